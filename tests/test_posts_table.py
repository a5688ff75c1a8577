"""site_config/posts.csv: its loader, its use for reference ids and origin names, and the
station spellings of Cablemap's tables as a regression check (read from ../shared)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.enrich.config import ConfigError, load_tables
from generator.model import RawCable, SourceLocation
from generator.parse import origin_from_header, parse_cable
from generator.parse.posts import PostTable, active_posts, read_posts
from generator.parse.references import parse_references

from .conftest import PROJECT, SHARED, _need

CASES = SHARED / "corpus" / "parser-cases" / "cablemap-cases.json"


def _table(tmp_path: Path, text: str) -> PostTable:
    path = tmp_path / "posts.csv"
    path.write_text("post,name,aliases\n" + text, encoding="utf-8")
    return read_posts(path)


def test_the_shipped_table_loads_with_the_other_tables():
    posts = load_tables(PROJECT / "site_config").posts
    assert posts.canonical("Buenos Aires") == "BUENOSAIRES"
    assert posts.canonical("SECSTATE") == "STATE"
    assert posts.display_name("BUENOSAIRES") == "Embassy Buenos Aires"
    assert posts.display_name("SAO PAULO") == "Consulate Sao Paulo"


def test_spellings_compare_joined_and_in_capitals(tmp_path):
    posts = _table(tmp_path, "SAOPAULO,Consulate Sao Paulo,SAOPAUO|SAO PAUL\n")
    assert [posts.canonical(s) for s in ("Sao Paulo", "sao-paulo", "SAO PAUO", "SAOPAUL")] == ["SAOPAULO"] * 4
    assert posts.knows("Sao Paulo") and not posts.knows("SAO")


def test_unknown_spellings_stay_as_written(tmp_path):
    posts = _table(tmp_path, "SAOPAULO,Consulate Sao Paulo,\n")
    assert posts.canonical("Colomobo") == "COLOMOBO"
    assert posts.display_name("COLOMOBO") is None


@pytest.mark.parametrize(("rows", "message"), [
    ("BUENOS AIRES,Embassy Buenos Aires,\n", r"posts\.csv:2: post 'BUENOS AIRES' must be written as in ids"),
    ("PARIS,Embassy Paris,\nPARIS,Embassy Paris,\n", r"posts\.csv:3: post PARIS is listed twice"),
    ("PARIS,Embassy Paris,\nUNESCOPARISFR,Mission UNESCO,PARIS\n",
     r"posts\.csv:3: spelling 'PARIS' of UNESCOPARISFR already belongs to PARIS"),
    ("SANJOSE,Embassy San Jose,SJ\nSANJUAN,,S J\n",
     r"posts\.csv:3: spelling 'S J' of SANJUAN already belongs to SANJOSE"),
])
def test_bad_rows_name_file_and_line(tmp_path, rows, message):
    with pytest.raises(ConfigError, match=message):
        _table(tmp_path, rows)


def test_blank_lines_and_a_missing_file(tmp_path):
    assert list(_table(tmp_path, "\nPARIS,Embassy Paris,\n,,\n").posts) == ["PARIS"]
    assert read_posts(tmp_path / "absent.csv").posts == {}


def test_origin_names_from_the_table():
    assert origin_from_header("FM AMEMBASSY BUENOSAIRES") == "Embassy Buenos Aires"
    assert origin_from_header("FM AMCONSUL SAOPAULO") == "Consulate Sao Paulo"
    assert origin_from_header("FM AMEMBASSY NOWHERESVILLE") == "Embassy Nowheresville"  # as before


def test_the_build_passes_the_parsers_table(tmp_path):
    """What the build does with a project's table: passed to the parser, it changes the ids and
    the origin; the parser keeps nothing of it (the next parse without it uses the default)."""
    custom = _table(tmp_path, "ZAGREB,Embassy Zagreb,ZAGREBB\n")
    assert [r.cable_id for r in parse_references("ZAGREBB 12; SECSTATE 3", 2009, None, custom)] == [
        "09ZAGREB12", "09SECSTATE3"]
    raw = RawCable(text="SUBJECT: TEST\nREF: ZAGREBB 12\n\n1. (U) Text.", header="FM AMEMBASSY ZAGREBB",
                   location=SourceLocation("snippet"), kind="native", fields={"id": "09ZAGREB13"})
    cable = parse_cable(raw, posts=custom)
    assert cable.origin == "Embassy Zagreb"
    assert [r.cable_id for r in cable.references] == ["09ZAGREB12"]
    assert active_posts() is not custom
    assert [r.cable_id for r in parse_references("SECSTATE 3", 2009, None)] == ["09STATE3"]
    assert parse_cable(raw).origin == "Embassy Zagrebb"


# The release spells AIT Taipei's ids TAIPEI (05TAIPEI4305 is the id of a cable the reference
# cases quote, whose own REF expects TAIPEI): ids must match the release to resolve, so the
# table follows it where Cablemap's spelling table wrote AITTAIPEI.
RELEASE_SPELLING = {"02TAIPEI12": "02TAIPEI12"}


def test_station_spellings_of_the_peer_parser():
    cases = json.loads(_need(CASES).read_text(encoding="utf-8"))["station_spellings"]
    wrong = {}
    for case in cases:
        refs = parse_references(case["text"], None, None)
        got = refs[0].cable_id if refs else None
        if got != RELEASE_SPELLING.get(case["text"], case["expected"]):
            wrong[case["text"]] = (got, case["expected"])
    assert not wrong, wrong
    assert len(cases) >= 55


@pytest.mark.parametrize("workers", [1, 2])
def test_the_build_parse_uses_the_projects_table(tmp_path, workers):
    """The catalog pass hands the project's posts table to the parser, in worker processes too
    (40 cables: past the few the build process parses itself before workers start)."""
    from generator.build import BuildReport, parse_items

    (tmp_path / "posts.csv").write_text("post,name,aliases\nZAGREB,Embassy Zagreb,ZAGREBB\n", encoding="utf-8")
    tables = load_tables(tmp_path)
    raws = [RawCable(text="SUBJECT: TEST\nREF: ZAGREBB 12\n\n1. (U) Text.", header="FM AMEMBASSY ZAGREBB",
                     location=SourceLocation("snippet", n), kind="native", fields={"id": f"09ZAGREB{100 + n}"})
            for n in range(40)]
    cables = [p.item for p in parse_items(raws, BuildReport(), tables=tables, workers=workers)]
    assert len(cables) == 40
    assert {c.origin for c in cables} == {"Embassy Zagreb"}
    assert {tuple(r.cable_id for r in c.references) for c in cables} == {("09ZAGREB12",)}
