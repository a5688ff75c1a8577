"""The synthetic cable generator: deterministic, shaped like real cables, and buildable.

The shape tests read the generated file back through the project's own reader and parser
(``read_sources`` -> ``parse_cable``), so they check what the build will see, not what the
generator meant to write.
"""

from __future__ import annotations

import csv
import re
import statistics
from pathlib import Path

import pytest

from generator.check import check_site
from generator.cli import main
from generator.model import Cable, RawCable
from generator.parse import parse_cable
from generator.parse.markings import normalise_marking
from generator.sources import read_sources
from generator.synth import COUNTRY_NAMES, FIT_CLASSIFICATIONS, POSTS, synthesize
from generator.write.paths import url_of

from .conftest import CONFIG

SHAPE_COUNT = 1000


def parsed(path: Path) -> list[Cable]:
    items = list(read_sources([path]))
    assert all(isinstance(item, RawCable) for item in items), "the reader reported problems with synthetic rows"
    return [parse_cable(item) for item in items]


@pytest.fixture(scope="module")
def synth_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "cables.csv"
    synthesize(SHAPE_COUNT, path, seed=11)
    return path


@pytest.fixture(scope="module")
def synth_cables(synth_csv) -> list[Cable]:
    return parsed(synth_csv)


def test_same_count_and_seed_give_identical_bytes(tmp_path):
    first, second, other = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    synthesize(300, first, seed=5)
    synthesize(300, second, seed=5)
    synthesize(300, other, seed=6)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_rows_have_the_cables_csv_layout(synth_csv):
    with synth_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == SHAPE_COUNT
    assert all(len(row) == 8 for row in rows)
    assert [row[0] for row in rows] == [str(n) for n in range(1, SHAPE_COUNT + 1)]
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", row[1]) for row in rows)
    assert all(re.fullmatch(r"\d\d[A-Z]+\d+", row[2]) for row in rows)
    assert len({row[2] for row in rows}) == SHAPE_COUNT, "reference ids must be unique"
    assert all(row[5] == "" for row in rows)
    assert all(row[6].startswith("VZCZC") and "\nFM " in row[6] for row in rows)
    raw = synth_csv.read_text(encoding="utf-8")
    assert raw.startswith('"1","') and raw.endswith('"\n'), "every field quoted, no header row"


def test_every_cable_parses_with_its_fields(synth_cables):
    assert len(synth_cables) == SHAPE_COUNT
    for cable in synth_cables:
        assert cable.date is not None and 1966 <= cable.date.year <= 2010
        assert cable.classification in FIT_CLASSIFICATIONS
        assert cable.subject and cable.tags and cable.origin
        assert cable.id.startswith(f"{cable.date.year % 100:02d}")


def test_paragraph_counts_and_lengths_follow_the_fit(synth_cables):
    numbered = [sum(1 for p in c.paragraphs if p.number is not None) for c in synth_cables]
    assert 7 <= statistics.median(numbered) <= 11  # the sample: median 9
    assert max(numbered) >= 25
    for cable in synth_cables:
        numbers = [p.number for p in cable.paragraphs if p.number is not None]
        assert numbers == list(range(1, len(numbers) + 1)), f"{cable.id}: paragraphs out of sequence"
    bodies = [sum(len(p.text) for p in c.paragraphs) for c in synth_cables]
    assert 6000 <= statistics.median(bodies) <= 11000  # the sample: median body 8.5 KB


def test_markings_parse_and_match_the_classification(synth_cables):
    seen: set[str] = set()
    for cable in synth_cables:
        marks = [p.classification for p in cable.paragraphs if p.number is not None and p.classification]
        seen.update(marks)
        assert all(normalise_marking(m) == m for m in marks)
        if marks and not cable.classification.startswith("UNCLASSIFIED"):
            level = cable.classification[0]  # "C" or "S"
            assert any(m.startswith(level) for m in marks), f"{cable.id}: no {level} paragraph"
        if marks and "NOFORN" in cable.classification:
            assert any(m.endswith("/NF") for m in marks)
    assert {"U", "SBU", "C", "S", "C/NF", "S/NF"} <= seen


def test_tags_mix_subject_and_country_codes(synth_cables):
    country_codes = set(COUNTRY_NAMES)
    mixed = sum(1 for c in synth_cables
                if any(t in country_codes for t in c.tags) and any(len(t) == 4 for t in c.tags))
    assert mixed / len(synth_cables) > 0.9
    hosts = {p.origin: p.country for p in POSTS if p.country}
    for cable in synth_cables:
        if cable.origin in hosts:
            assert hosts[cable.origin] in cable.tags, f"{cable.id}: host country missing from TAGS"


def test_references_cite_earlier_cables_of_the_file(synth_cables):
    order = {cable.id: index for index, cable in enumerate(synth_cables)}
    cited = 0
    for index, cable in enumerate(synth_cables):
        for ref_id in cable.reference_ids:
            assert ref_id in order, f"{cable.id} cites {ref_id}, which is not in the file"
            assert order[ref_id] < index
            cited += 1
        assert len(cable.reference_ids) == len(cable.references), f"{cable.id}: a REF entry did not parse"
    assert cited > SHAPE_COUNT * 0.5


def test_header_blocks_are_present_in_the_fitted_shares(synth_cables):
    total = len(synth_cables)
    summaries = sum(1 for c in synth_cables if c.summary) / total
    classified_by = sum(1 for c in synth_cables if c.classified_by) / total
    declassify = sum(1 for c in synth_cables if c.declassify_on) / total
    assert 0.6 < summaries < 0.8  # the sample: 0.709
    assert 0.8 < classified_by < 0.97  # the sample: 0.896
    assert declassify > 0.8
    years = [c.date.year for c in synth_cables if c.date]
    assert sum(1 for y in years if y >= 2005) / total > 0.9
    assert min(years) < 2000
    assert len({c.origin for c in synth_cables}) >= 80


def test_cli_writes_the_file(tmp_path, capsys):
    out = tmp_path / "sub" / "cables.csv"
    assert main(["synth", "25", "--out", str(out), "--seed", "2"]) == 0
    assert len(list(read_sources([out]))) == 25
    assert "25 synthetic cables" in capsys.readouterr().err


@pytest.mark.slow
def test_thousand_cable_smoke_build(tmp_path, synth_csv, synth_cables):
    from generator.build import build

    site = tmp_path / "site"
    report = build([synth_csv], site, CONFIG, "Synthetic archive")
    assert report.built == SHAPE_COUNT and not report.rejected
    missing = [c.id for c in synth_cables if not (site / url_of(c)).is_file()]
    assert not missing, f"{len(missing)} cable pages missing, e.g. {missing[:3]}"
    result = check_site(site)
    assert result.ok, result.broken[:10] + result.external_loads[:10]
    assert result.links > SHAPE_COUNT
