"""Per-field coverage of the parse on the 1,045-cable CSV sample must not drop.

The floors are the counts reached when issue 3 was done (see the note in the report); a
change that loses a subject, a TAGS line, a reference or a numbered paragraph on any cable
fails here. No paragraph may hold a telegram page header.
"""

from __future__ import annotations

import pytest

from generator.model import RawCable
from generator.parse import parse_cable
from generator.parse.stats import FieldStats
from generator.sources import read_sources

# cables (of 1,045) that have each field
FLOORS = {"subject": 1035, "tags": 1044, "date": 1045, "classification": 1045, "references": 559,
          "paragraphs": 1029, "summary": 788}


@pytest.fixture(scope="module")
def sample_stats(sample_csv) -> FieldStats:
    stats = FieldStats()
    for raw in read_sources([sample_csv]):
        if isinstance(raw, RawCable):
            stats.add(parse_cable(raw))
    return stats


def test_sample_size(sample_stats):
    assert sample_stats.cables == 1045


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_field_share_does_not_drop(sample_stats, name):
    assert sample_stats.present[name] >= FLOORS[name], (
        f"{name}: {sample_stats.present[name]} cables, was {FLOORS[name]}\n{sample_stats.render()}")


def test_no_paragraph_holds_a_telegram_page_header(sample_stats):
    assert sample_stats.page_header_paragraphs == 0
