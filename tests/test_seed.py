"""The seed cable: a bare body with page breaks inside paragraphs 8 and 17."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from generator.parse import parse_cable
from generator.sources import read_sources

from .conftest import CONTENT


def _parse(path: Path):
    items = list(read_sources([path]))
    assert len(items) == 1, items
    return parse_cable(items[0])


def test_seed_has_exactly_twenty_confidential_paragraphs(seed_file):
    cable = _parse(seed_file)
    numbered = [p for p in cable.paragraphs if p.number is not None]
    assert [p.number for p in numbered] == list(range(1, 21))
    assert [p.anchor for p in numbered] == [f"par{n}" for n in range(1, 21)]
    assert {p.classification for p in numbered} == {"C"}
    assert len(cable.paragraphs) == 20  # nothing else: no stray unnumbered blocks


def test_page_breaks_do_not_split_paragraphs(seed_file):
    by_number = {p.number: p for p in _parse(seed_file).paragraphs}
    assert "seriousness" in by_number[8].text
    assert by_number[8].text.startswith("The Czech response came in four points")
    assert "interceptor missiles themselves" in by_number[17].text
    assert by_number[17].text.endswith("early tracking capabilities.")
    assert "Gabala" in by_number[17].text
    assert "\n\n" not in by_number[8].text  # the mid-sentence break is joined, not kept


def test_marking_is_kept_apart_from_text(seed_file):
    first = _parse(seed_file).paragraphs[0]
    assert first.text.startswith("Summary: NATO Allies received")
    assert "(C)" not in first.text


def test_bare_body_gets_id_from_file_name_and_inferred_classification(seed_file):
    cable = _parse(seed_file)
    assert cable.id == "000_ba35c497a3e78353"
    assert cable.classification == "CONFIDENTIAL"  # the highest marking, (C)
    assert cable.date is None  # undated, not an error
    assert cable.summary and cable.summary.startswith("NATO Allies received a September 17")


def test_shipped_seed_matches_the_seed(seed_file):
    shipped = _parse(next((CONTENT / "cables").glob("*.txt")))
    original = _parse(seed_file)
    assert shipped.id == original.id
    assert [(p.number, p.text) for p in shipped.paragraphs] == [(p.number, p.text) for p in original.paragraphs]


def test_parse_json_contract(seed_file):
    out = subprocess.run([sys.executable, "-m", "generator.cli", "parse", str(seed_file), "--json"],
                         capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 1
    cable = data[0]
    for key in ("id", "date", "classification", "origin", "subject", "tags", "references", "summary",
                "countries", "topics", "paragraphs"):
        assert key in cable
    assert cable["date"] is None
    assert [p["number"] for p in cable["paragraphs"]] == list(range(1, 21))
    assert all(set(p) >= {"number", "anchor", "classification", "text", "countries"} for p in cable["paragraphs"])
