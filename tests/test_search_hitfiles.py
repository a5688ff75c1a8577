"""Hit files in parts (generator/search/hitfiles.py): where a long cable's file is cut, what each part
holds, and that a rebuild leaves no part of before behind."""

from __future__ import annotations

import gzip
import itertools
import json
import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.search import index as search_index_module
from generator.search.hitfiles import PART_CHARS, hit_files, part_of, part_starts
from tests.test_search_index import _indexed, corpus, make_cable, tree_digest

# Paragraphs of 10QUITO44 (cablegate sample), shortened: a heading paragraph, then long ones
QUITO = ["Summary: The Correa government has again moved to restrict the media.",
         "On January 12 the National Assembly debated the communications law " * 6,
         "Opposition legislators walked out of the session in protest. " * 5,
         "Comment: The law's vague language leaves room for abuse. " * 4]


def read(path: Path) -> dict:
    return json.loads(gzip.decompress(path.read_bytes()))


def test_a_cable_within_the_part_size_has_one_file_without_part_list():
    cable = make_cable(1, QUITO)
    (only,) = hit_files(cable, "cable/x.html", part_chars=10_000)
    record = json.loads(gzip.decompress(only))
    assert "k" not in record and record["p"] == [[p.anchor, p.text] for p in cable.paragraphs]
    assert set(record) == {"i", "s", "d", "o", "c", "u", "p"}


def test_a_long_cable_is_cut_evenly_at_paragraph_boundaries():
    lengths = [len(text) for text in QUITO]
    assert lengths == [69, 402, 305, 228]  # 1,004 characters; the paragraphs begin at 0, 69, 471 and 776
    assert part_starts(lengths, 502) == []  # at most twice a part's text: one file
    assert part_starts(lengths, 501) == [2, 3]  # three parts: past 334.7 (paragraph 3, at 471) and 669.3 (776)
    assert part_starts(lengths, 400) == [2, 3]
    assert part_starts(lengths, 300) == [2, 3]  # four shares, but paragraph 3 spans two: three parts
    assert part_starts([100] * 10, 250) == [3, 5, 8]  # four: past 250, 500 and 750 characters
    assert part_starts([300, 0, 0], 100) == []  # no part of empty paragraphs alone
    assert part_starts([5000, 10, 10], 1000) == [1]  # a paragraph spanning several shares: fewer parts
    assert part_of([2, 3], 0) == part_of([2, 3], 1) == 0 and part_of([2, 3], 2) == 1 and part_of([2, 3], 3) == 2


@given(st.lists(st.integers(0, 3000), max_size=60), st.integers(1, 5000))
def test_every_paragraph_is_in_exactly_one_part_in_order(lengths, part_chars):
    starts = part_starts(lengths, part_chars)
    assert starts == sorted(set(starts)) and all(0 < s < len(lengths) for s in starts)
    assert len(starts) + 1 <= max(1, -(-sum(lengths) // part_chars))
    if sum(lengths) <= 2 * part_chars:
        assert starts == []
    bounds = [0, *starts, len(lengths)]
    for start, end in itertools.pairwise(bounds):  # a part holds about its share, at most one more paragraph
        assert sum(lengths[start:end]) <= -(-sum(lengths) // (len(starts) + 1)) + max(lengths[start:end], default=0)


def test_parts_hold_every_paragraph_once_and_part_0_says_where_they_start():
    cable = make_cable(2, QUITO)
    files = [json.loads(gzip.decompress(data)) for data in hit_files(cable, "cable/y.html", part_chars=400)]
    head, *parts = files
    assert head["k"] == [2, 3] and [set(part) for part in parts] == [{"p"}, {"p"}]
    rebuilt = head["p"] + [p for part in parts for p in part["p"]]
    assert rebuilt == [[p.anchor, p.text] for p in cable.paragraphs]
    assert hit_files(cable, "cable/y.html", part_chars=400) == hit_files(cable, "cable/y.html", part_chars=400)
    # the sample's median cable (7,900 characters of text) and its p90 cable (16,200) keep one file
    assert part_starts([395] * 20, PART_CHARS) == [] and part_starts([400] * 40, PART_CHARS) == []


def _long(number: int, repeat: int) -> list[str]:
    return ["Missile defense talks."] + [f"Paragraph {i} of cable {number} about radar sites. " * repeat
                                         for i in range(6)]


def test_a_rebuild_leaves_no_part_of_a_cable_that_shrank_or_grew(tmp_path, monkeypatch):
    """A long cable becomes short (its parts go), a short one long (parts appear), a long one
    longer and a long one gone: the live index equals a clean one's, byte for byte."""
    monkeypatch.setattr(search_index_module, "DOCS_PER_FOLDER", 4)
    cables = corpus()
    for number in (2, 5, 7):
        old = cables[number - 1]
        cables[number - 1] = make_cable(number, _long(number, 3), year=old.date.year,
                                        classification=old.classification)
    cables[-1] = make_cable(40, [*_long(40, 3), "Radar sites in Gabala."], year=None, countries=("AZ",))  # last
    first, state, _ = _indexed(tmp_path / "first", cables, part_chars=300)
    assert len(list(first.rglob("*-*.json.gz"))) >= 6, "the long cables have parts"
    live = tmp_path / "live"
    shutil.copytree(first, live)
    changed = list(cables)
    changed[1] = make_cable(2, ["Missile defense talks.", "Short now."], year=cables[1].date.year,
                            classification=cables[1].classification)  # shrank below the part size
    changed[2] = make_cable(3, _long(3, 4), year=cables[2].date.year,
                            classification=cables[2].classification)  # grew past it
    changed[4] = make_cable(5, _long(5, 6), year=cables[4].date.year,
                            classification=cables[4].classification)  # more parts
    changed[6] = make_cable(7, _long(7, 2), year=cables[6].date.year,
                            classification=cables[6].classification)  # fewer parts
    rebuilt, _, analysed = _indexed(tmp_path / "again", changed, previous=(state, live), part_chars=300)
    clean, _, _ = _indexed(tmp_path / "clean", changed, part_chars=300)
    assert analysed == 4
    assert tree_digest(rebuilt) == tree_digest(clean)
    # a cable gone: the documents after it move up, and the last position, with parts, is gone
    gone = [c for c in changed if c.id != "09POST5"]
    again, _, _ = _indexed(tmp_path / "gone", gone, previous=(tmp_path / "again" / "state", live), part_chars=300)
    assert tree_digest(again) == tree_digest(_indexed(tmp_path / "gone-clean", gone, part_chars=300)[0])
