"""Countries: the site_config table against ISO 3166 and the FIPS codes of TAGS, and mentions in
text with their paragraphs, on the seed and on snippets made to trip the matcher."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.enrich import enrich_cable, load_tables
from generator.enrich.countries import CountryMatcher
from generator.model import Cable, Paragraph, SourceLocation
from generator.parse import parse_cable
from generator.sources import read_sources

# The seed names these countries, in these paragraphs (checked by reading the cable).
SEED_PARAGRAPHS = {
    "IT": [3], "GB": [4, 8, 9], "NO": [5], "PL": [1, 6], "DK": [7], "CZ": [1, 8, 17], "DE": [9, 19],
    "ES": [10], "RO": [11], "TR": [1, 12], "FR": [13], "RU": [1, 5, 7, 8, 9, 10, 13, 16, 17, 19],
    "IR": [17, 19], "AZ": [17],
}


def _seed(seed_file: Path) -> Cable:
    return enrich_cable(parse_cable(next(iter(read_sources([seed_file])))))


def _cable(*texts: str, tags: list[str] | None = None) -> Cable:
    paragraphs = [Paragraph(n, f"par{n}", text) for n, text in enumerate(texts, start=1)]
    return Cable(id="TEST1", location=SourceLocation("test"), tags=tags or [], paragraphs=paragraphs)


def _found(text: str) -> list[str]:
    return [iso2 for iso2, _ in CountryMatcher.from_tables(load_tables()).find(text)]


def test_seed_lands_on_each_country_with_the_right_paragraphs(seed_file):
    cable = _seed(seed_file)
    assert set(cable.countries) == set(SEED_PARAGRAPHS)  # no Belgium for Brussels, no Switzerland for Geneva
    found: dict[str, list[int]] = {}
    for mention in cable.mentions:
        found.setdefault(mention.country, []).append(int(mention.anchor.removeprefix("par")))
    assert found == SEED_PARAGRAPHS
    by_number = {p.number: p for p in cable.paragraphs}
    assert by_number[17].countries == ["AZ", "RU", "IR", "CZ"]
    assert by_number[2].countries == []


def test_adjectives_and_demonyms_count(seed_file):
    words = {(m.country, m.anchor): m.words for m in _seed(seed_file).mentions}
    assert words[("PL", "par6")] == ["Polish"]
    assert words[("CZ", "par8")] == ["Czech", "Czechs"]
    assert "Russian Federation" in words[("RU", "par5")]
    assert words[("IR", "par17")] == ["Iranian"]
    assert words[("TR", "par12")] == ["Turkish"]


def test_cities_are_not_countries():
    assert _found("He flew to Warsaw, Prague, Brussels and Moscow, then to Geneva.") == []
    assert _found("The meeting in Mexico City and the visit to Kuwait City went well.") == []
    assert _found("The Governor of New Mexico met the delegation.") == []


def test_lower_case_turkey_is_a_bird():
    assert _found("They served turkey at the Thanksgiving reception.") == []
    assert _found("Turkey said it best.") == ["TR"]


def test_jordan_the_person_is_not_the_country():
    assert _found("The visitors talked about Michael Jordan at length.") == []
    assert _found("Mr. Jordan thanked the Ambassador.") == []
    assert _found("Jordan Smith, a staffer, took notes.") == []
    assert _found("Syria and Jordan signed the accord; Jordan's king was present.") == ["SY", "JO", "JO"]


def test_georgia_the_us_state_is_not_the_country():
    assert _found("The Governor of Georgia visited Atlanta, Georgia last week.") == []
    assert _found("Georgia and Russia fought over South Ossetia; Tbilisi protested.") == ["GE", "RU"]


def test_text_in_capitals_is_matched_in_capitals():
    assert _found("THE TURKISH AMBASSADOR MET THE POLISH DELEGATION IN ANKARA.") == ["TR", "PL"]
    assert _found("MR. JORDAN MET THE DELEGATION FROM EGYPT AND THE OTHERS.") == ["EG"]


def test_us_mentions_are_a_setting():
    text = "The U.S. delegation and the Italian PermRep agreed."
    tables = load_tables()
    assert not tables.index_us_mentions  # the shipped setting
    assert enrich_cable(_cable(text), tables).countries == ["IT"]
    indexing = dataclasses.replace(tables, index_us_mentions=True)
    assert enrich_cable(_cable(text), indexing).countries == ["US", "IT"]
    assert enrich_cable(_cable("No names here.", tags=["US"]), tables).countries == ["US"]  # TAGS still count


def test_tags_geographic_codes_are_fips_not_iso():
    tables = load_tables()
    expected = {"TU": "TR", "GM": "DE", "EZ": "CZ", "RS": "RU", "UK": "GB", "SP": "ES", "AJ": "AZ", "IZ": "IQ",
                "KS": "KR", "KN": "KP", "CH": "CN", "SZ": "CH", "SW": "SE", "SF": "ZA", "UP": "UA", "DA": "DK",
                "PO": "PT", "AS": "AU", "AU": "AT", "EI": "IE", "IS": "IL", "LE": "LB", "BM": "MM", "KV": "XK"}
    assert {code: tables.country_by_tag.get(code) for code in expected} == expected
    cable = enrich_cable(_cable("Nothing named.", tags=["PREL", "TU", "GM"]), tables)
    assert cable.countries == ["TR", "DE"]


def test_country_table_matches_iso_3166():
    pycountry = pytest.importorskip("pycountry", reason="pycountry (the test extra) holds the ISO 3166 list")
    iso = {c.alpha_2 for c in pycountry.countries}
    table = load_tables().countries
    assert set(table) - iso == {"XK"}  # Kosovo: the user-assigned code in general use, not in ISO 3166-1
    assert iso - set(table) == set()  # complete: every ISO country and territory has a row
    for code, country in table.items():
        if code != "XK":
            variants = {"AE", "IQ", "JP", "ME", "PS", "RS", "RU", "SJ", "UM", "VE", "YE"}  # codes seen in cables too
            assert len(country.tags) <= 1 or code in variants, code


def test_parse_json_lists_iso_codes_and_topic_names(seed_file):
    out = subprocess.run([sys.executable, "-m", "generator.cli", "parse", str(seed_file), "--json"],
                         capture_output=True, text=True, check=True).stdout
    [cable] = json.loads(out)
    assert set(cable["countries"]) == set(SEED_PARAGRAPHS)
    assert "Missile defense" in cable["topics"]
    par17 = next(p for p in cable["paragraphs"] if p["number"] == 17)
    assert par17["countries"] == ["AZ", "RU", "IR", "CZ"]
