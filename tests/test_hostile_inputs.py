"""Hostile input (issue #15, D14-D18): bad files are refused or cut with a problem naming the
file; they never take the build down, never take time beyond linear in their size and never
bring in data from outside the source folders."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.duplicates import CableIds
from generator.model import Problem, RawCable, SourceLocation
from generator.sources import read_sources
from generator.sources.mirror import read_mirror_page
from tests.conftest import CONFIG, PROJECT

# A mirror page cut down to what the reader looks at (the layout of the 2010 mirror's pages).
MIRROR_PAGE = """<html><body>
<table class='cable'>
<tr><th>Reference ID</th><th>Created</th><th>Released</th><th>Classification</th><th>Origin</th></tr>
<tr>
<td><a href='/cable/2009/03/09BAKU179.html'>09BAKU179</a></td>
<td><a href='/date/2009-03_0.html'>2009-03-05 12:07</a></td>
<td><a href='/reldate/2010-12-04_0.html'>2010-12-04 17:05</a></td>
<td><a href='/classification/1_0.html'>CONFIDENTIAL</a></td>
<td><a href='/origin/89_0.html'>Embassy Baku</a></td>
</tr>
</table>
<code><pre>VZCZCXRO1474&#x000A;FM AMEMBASSY BAKU</pre></code>
<code><pre>C O N F I D E N T I A L BAKU 000179&#x000A;&#x000A;SUBJECT: TEST&#x000A;&#x000A;\
<a id='par1' href='#par1'>¶</a>1. (C) First.&#x000A;{inside}&#x000A;\
<a id='par2' href='#par2'>¶</a>2. (C) Second.</pre></code>
{after}</body></html>
"""
# Every shape a pattern of the old reader rescanned to the end of the page from: unclosed <pre>,
# <td> and <table>, tags without '>', mirror anchors followed by whitespace and no </a>.
HOSTILE_UNIT = "<pre>x <pre <td>y <table class='cable'> <a id='par1'>" + " " * 40 + "<a href "


def _hostile_page(tmp_path: Path, size: int) -> Path:
    filler = HOSTILE_UNIT * (size // (2 * len(HOSTILE_UNIT)))
    page = tmp_path / f"09BAKU179-{size}.html"
    page.write_text(MIRROR_PAGE.format(inside=filler, after=filler), encoding="utf-8")
    return page


def _seconds(action: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def test_mirror_page_fields_and_text_from_the_cut_down_page(tmp_path):
    page = tmp_path / "09BAKU179.html"
    page.write_text(MIRROR_PAGE.format(inside="", after=""), encoding="utf-8")
    (raw,) = read_mirror_page(page)
    assert isinstance(raw, RawCable)
    assert raw.fields["id"] == "09BAKU179" and raw.fields["origin"] == "Embassy Baku"
    assert raw.header == "VZCZCXRO1474\nFM AMEMBASSY BAKU"
    assert "1. (C) First." in raw.text and "par1" not in raw.text and "¶" not in raw.text
    assert raw.location.line == MIRROR_PAGE.count("\n", 0, MIRROR_PAGE.index("C O N F")) + 1


def test_mirror_page_of_unclosed_tags_is_read_in_linear_time(tmp_path):
    """D15: 200 KB of repeated ``<pre>`` took 57 s (quadratic). Four times the size must take
    about four times as long (quadratic: sixteen), and a 4 MB page well under the time the old
    reader needed for 100 KB."""
    small, large = _hostile_page(tmp_path, 1_000_000), _hostile_page(tmp_path, 4_000_000)
    for page in (small, large):
        items = list(read_mirror_page(page))
        assert [type(item) for item in items] == [RawCable]
        assert items[0].fields["id"] == "09BAKU179"
    small_s = _seconds(lambda: list(read_mirror_page(small)))
    large_s = _seconds(lambda: list(read_mirror_page(large)))
    assert large_s < 10.0, f"a 4 MB hostile mirror page took {large_s:.1f} s"
    assert large_s < 10 * max(small_s, 0.01), f"1 MB: {small_s:.3f} s, 4 MB: {large_s:.3f} s: not linear"


def test_mirror_page_without_a_closed_pre_is_named(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(MIRROR_PAGE.split("<code><pre>")[0] + "<pre>" + HOSTILE_UNIT * 1000, encoding="utf-8")
    (problem,) = read_sources([page])
    assert isinstance(problem, Problem) and problem.location.path == str(page)
    assert "not a cablegate mirror cable page" in problem.message


# --- D14: symbolic links out of the source folders -------------------------------------------

CABLE_BODY = "UNCLAS BAKU 000179\n\nSUBJECT: A TEST CABLE\n\n1. (U) The text of the cable.\n"


def test_symlink_to_a_file_outside_the_sources_is_refused(tmp_path):
    content, outside = tmp_path / "content", tmp_path / "outside"
    content.mkdir()
    outside.mkdir()
    (content / "09BAKU179.txt").write_text(CABLE_BODY, encoding="utf-8")
    secret = outside / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    link = content / "passwd.txt"
    link.symlink_to(secret)
    items = list(read_sources([content]))
    cables = [item for item in items if isinstance(item, RawCable)]
    problems = [item for item in items if isinstance(item, Problem)]
    assert [cable.fields["id"] for cable in cables] == ["09BAKU179"]
    assert all("root:x" not in cable.text for cable in cables)
    (problem,) = problems
    assert problem.location.path == str(link) and not problem.fatal
    assert "outside the source folders" in problem.message and str(secret.resolve()) in problem.message


def test_a_link_out_that_is_no_cable_file_is_ignored_as_before(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    (content / "logo.png").symlink_to(tmp_path / "logo.png")
    (content / "09BAKU179.txt").write_text(CABLE_BODY, encoding="utf-8")
    assert [type(item) for item in read_sources([content])] == [RawCable]


def test_symlink_within_the_sources_is_read(tmp_path):
    content, other = tmp_path / "content", tmp_path / "other"
    content.mkdir()
    other.mkdir()
    (other / "09BAKU179.txt").write_text(CABLE_BODY, encoding="utf-8")
    (content / "linked.txt").symlink_to(other / "09BAKU179.txt")
    items = list(read_sources([content, other]))
    assert [type(item) for item in items] == [RawCable, RawCable]


def test_a_symlink_loop_is_refused_not_followed(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.txt").symlink_to(content / "b.txt")
    (content / "b.txt").symlink_to(content / "a.txt")
    (content / "09BAKU179.txt").write_text(CABLE_BODY, encoding="utf-8")
    assert [type(item) for item in read_sources([content])] == [RawCable]


def test_a_source_named_on_the_command_line_may_be_a_link(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "09BAKU179.txt").write_text(CABLE_BODY, encoding="utf-8")
    named = tmp_path / "named.txt"
    named.symlink_to(elsewhere / "09BAKU179.txt")
    assert [type(item) for item in read_sources([named])] == [RawCable]


# --- D16, D17: front matter ---------------------------------------------------------------------

ALIAS_BOMB = """---
id: 09BAKU179
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
tags: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
"""


def _native(tmp_path: Path, front_matter: str, name: str = "09BAKU179.txt") -> list[RawCable | Problem]:
    path = tmp_path / name
    path.write_text(front_matter + CABLE_BODY, encoding="utf-8")
    return list(read_sources([path]))


def test_yaml_alias_bomb_is_refused_without_expanding_it(tmp_path):
    """D16: 9**9 strings from 500 bytes; safe_load expanded them (5.9 GB). Now the first alias
    is refused, naming the file and its line."""
    start = time.perf_counter()
    (problem,) = _native(tmp_path, ALIAS_BOMB)
    assert time.perf_counter() - start < 5.0
    assert isinstance(problem, Problem) and problem.fatal
    assert problem.location.path == str(tmp_path / "09BAKU179.txt") and problem.location.line == 4
    assert "alias *a refused" in problem.message


def test_merge_key_alias_is_refused_too(tmp_path):
    (problem,) = _native(tmp_path, "---\nbase: &base {origin: Embassy Baku}\n<<: *base\n---\n")
    assert isinstance(problem, Problem) and problem.location.line == 3 and "alias *base refused" in problem.message
    assert "\n" not in problem.message


def test_deeply_nested_front_matter_is_refused(tmp_path):
    (problem,) = _native(tmp_path, "---\nid: 09BAKU179\ntags: " + "[" * 5000 + "]" * 5000 + "\n---\n")
    assert isinstance(problem, Problem) and problem.location.line == 3
    assert "nested more than" in problem.message


@pytest.mark.parametrize(("value", "words"), [
    ("2009-02-30", "day is out of range"),
    ("2009-02-03 10:00:61", "second must be in"),
    ("1" * 5000, "invalid value"),
    ("0x" + "f" * 5000, "invalid value"),
])
def test_invalid_front_matter_value_rejects_that_cable_naming_file_and_line(tmp_path, value, words):
    """D17: the ValueError of one value ended the whole build, with no file named."""
    (problem,) = _native(tmp_path, f"---\nid: 09BAKU179\nsubject: Fine\ndate: {value}\n---\n")
    assert isinstance(problem, Problem) and problem.fatal
    assert str(problem.location) == f"{tmp_path / '09BAKU179.txt'}:4"
    assert "'date'" in problem.message and words in problem.message


def test_an_unknown_field_holding_an_unprintable_number_is_named(tmp_path):
    (problem,) = _native(tmp_path, "---\nid: 09BAKU179\nnote: 0x" + "f" * 5000 + "\n---\n")
    assert isinstance(problem, Problem) and problem.location.line == 3 and "'note'" in problem.message


def test_valid_front_matter_is_read_as_before(tmp_path):
    (raw,) = _native(tmp_path, "---\nid: 09BAKU179\ndate: 2009-02-03 10:00:59\ntags: [PREL, AJ]\n"
                                "classification: SECRET\nnote: kept\n---\n")
    assert isinstance(raw, RawCable)
    assert raw.fields == {"id": "09BAKU179", "date": dt.datetime(2009, 2, 3, 10, 0, 59), "tags": ["PREL", "AJ"],
                          "classification": "SECRET", "extra": {"note": "kept"}}
    assert raw.location.line == 8
    (raw,) = _native(tmp_path, "---\n~\n---\n", name="09BAKU180.txt")
    assert isinstance(raw, RawCable) and raw.fields == {"id": "09BAKU180"}


# --- D18, #20: duplicate ids ----------------------------------------------------------------------


class _Report:
    def __init__(self) -> None:
        self.built, self.notes, self.problems = 0, [], []

    def problem(self, problem: Problem) -> None:
        self.problems.append(problem)


def test_ids_equal_but_for_case_are_an_error_naming_both():
    ids, report = CableIds(), _Report()
    first, second = SourceLocation("a/09BAKU179.txt", line=1), SourceLocation("cables.csv", row=7, line=9)
    assert ids.admit("09BAKU179", "h1", first, report)
    assert not ids.admit("09baku179", "h2", second, report)
    (problem,) = report.problems
    assert problem.fatal and problem.location == second and problem.cable_id == "09baku179"
    assert "09baku179" in problem.message and "09BAKU179" in problem.message and str(first) in problem.message
    assert report.built == 0 and report.notes == []


def test_same_id_different_content_names_the_id_and_both_places():
    """Issue #20: the message said "same id as X" without the id."""
    ids, report = CableIds(), _Report()
    first, second = SourceLocation("a/x.txt", line=4), SourceLocation("b/x.txt", line=4)
    assert ids.admit("09DUP1", "h1", first, report)
    assert not ids.admit("09DUP1", "h2", second, report)
    (problem,) = report.problems
    assert problem.location == second and "09DUP1" in problem.message and "a/x.txt:4" in problem.message
    assert not ids.admit("09DUP1", "h1", SourceLocation("c/x.txt"), report)
    assert report.built == 1 and "identical copy of a/x.txt:4" in report.notes[0]["message"]


# --- The whole build: every refusal above is a problem naming the file; the rest is built ---------


def test_hostile_sources_leave_the_rest_of_the_build_standing(tmp_path):
    content, outside, site = tmp_path / "content", tmp_path / "outside", tmp_path / "site"
    content.mkdir()
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0:SECRETROOTLINE:/root:/bin/bash\n", encoding="utf-8")
    (content / "passwd.txt").symlink_to(outside / "passwd")
    (content / "a-good.txt").write_text("---\nid: 09BAKU179\ndate: 2009-03-05\n---\n" + CABLE_BODY, encoding="utf-8")
    (content / "b-case.txt").write_text("---\nid: 09baku179\ndate: 2009-03-05\n---\n" + CABLE_BODY, encoding="utf-8")
    (content / "c-bomb.txt").write_text(ALIAS_BOMB + CABLE_BODY, encoding="utf-8")
    (content / "d-date.txt").write_text("---\nid: 09BAKU180\ndate: 2009-02-30\n---\n" + CABLE_BODY, encoding="utf-8")
    (content / "e-number.txt").write_text("---\nid: 09BAKU181\nsubject: " + "9" * 5000 + "\n---\n" + CABLE_BODY,
                                          encoding="utf-8")
    mirror = content / "cable" / "2009" / "03"
    mirror.mkdir(parents=True)
    (mirror / "09BAKU182.html").write_text(
        MIRROR_PAGE.replace("09BAKU179", "09BAKU182").format(inside="", after=HOSTILE_UNIT * 5000), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", str(content), "--site-dir", str(site),
                           "--config", str(CONFIG), "--quiet", "--workers", "1", "--strict"],
                          cwd=PROJECT, capture_output=True, text=True, timeout=600)
    err = done.stderr
    assert done.returncode == 1, err
    assert "Traceback" not in err
    assert f"warning: {content / 'passwd.txt'}: symbolic link to" in err
    assert f"error: {content / 'b-case.txt'}:5: id 09baku179 differs only in case from 09BAKU179" in err
    assert f"error: {content / 'c-bomb.txt'}:4: front matter is not valid YAML" in err and "alias *a" in err
    assert f"error: {content / 'd-date.txt'}:3: front matter field 'date'" in err
    assert f"error: {content / 'e-number.txt'}:3: front matter field 'subject'" in err
    assert "--strict: 5 problems" in err
    pages = sorted(p.name for p in (site / "cable").rglob("*.html"))
    assert pages == ["09BAKU179.html", "09BAKU182.html"]
    for path in site.rglob("*"):
        if path.is_file():
            assert b"SECRETROOTLINE" not in path.read_bytes(), path


def test_parse_command_reports_an_invalid_value_without_a_traceback(tmp_path, capsys):
    """D17: ``cablesite parse`` printed a traceback for ``date: 2009-02-30``."""
    from generator.cli import main

    bad, good = tmp_path / "bad.txt", tmp_path / "09BAKU179.txt"
    bad.write_text("---\nid: 09BAKU180\ndate: 2009-02-30\n---\n" + CABLE_BODY, encoding="utf-8")
    good.write_text(CABLE_BODY, encoding="utf-8")
    assert main(["parse", str(bad), str(good), "--json"]) == 0
    out, err = capsys.readouterr()
    assert [cable["id"] for cable in json.loads(out)] == ["09BAKU179"]
    assert f"error: {bad}:3: front matter field 'date': invalid value (day is out of range for month)" in err
    assert main(["parse", str(bad), "--json", "--strict"]) == 1
