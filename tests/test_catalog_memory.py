"""What the build process keeps per cable (build/catalog.py's ``SharedStrings``, the slotted
``CatalogEntry``): the same entries, with the strings many cables repeat held once."""

from __future__ import annotations

import copy
import pickle

from generator.build.catalog import SharedStrings


def test_shared_entries_equal_the_entries_they_came_from(sample_catalog):
    shared = SharedStrings()
    compacted = [shared(pickle.loads(pickle.dumps(entry))) for entry in sample_catalog]
    assert compacted == sample_catalog
    assert len(shared.table) < len(sample_catalog)  # distinct values, far fewer than the cables


def test_repeated_strings_are_one_object(sample_catalog):
    shared = SharedStrings()
    # Each entry as a worker's pickle brings it: its own copies of every string.
    entries = [shared(pickle.loads(pickle.dumps(entry))) for entry in sample_catalog]
    by_origin: dict[str, list[int]] = {}
    for entry in entries:
        if entry.origin:
            by_origin.setdefault(entry.origin, []).append(id(entry.origin))
    busiest = max(by_origin.values(), key=len)
    assert len(busiest) > 10 and len(set(busiest)) == 1
    anchors = {id(a) for e in entries for anchors in e.country_paragraphs.values() for a in anchors if a == "par1"}
    assert len(anchors) == 1
    tags = {id(t) for e in entries for t in e.tags if t == "PREL"}
    assert len(tags) == 1


def test_a_title_equal_to_the_subject_is_held_once(sample_catalog):
    entry = next(e for e in sample_catalog if e.subject and e.title == e.subject)
    copied = copy.copy(entry)
    copied.title = "".join(list(entry.subject))  # an equal string, another object (as a worker's entry has)
    assert copied.title is not copied.subject
    assert SharedStrings()(copied).title is copied.subject


def test_entries_have_no_instance_dict(sample_catalog):
    entry = copy.copy(sample_catalog[0])
    assert not hasattr(entry, "__dict__")
    assert pickle.loads(pickle.dumps(entry)) == entry
