"""The build's catalog database (build/catalog_db.py) and the small state of the page workers:
links resolved as the in-memory index resolves them, a damaged file said and written anew, and
a worker's state that does not grow with the archive."""

from __future__ import annotations

import datetime as dt
import pickle
import sqlite3

import pytest

from generator.build import ChipMemo, link_context
from generator.build.cable_pages import SearchAnalyzer, pass2_state
from generator.build.catalog_db import CatalogDb, decode_entry, encode_entry, write_catalog_db
from generator.enrich import enrich_cable, load_tables
from generator.enrich.links import LinkIndex
from generator.indexes.taxonomy import Taxonomy
from generator.integrity import WorkStateError
from generator.model import CatalogEntry, Problem
from generator.parse import parse_cable
from generator.render.stamp import Frames
from generator.search import SearchIndexer
from generator.sources import read_sources


def _digests(entries: list[CatalogEntry]) -> dict[str, str]:
    return {entry.id: f"digest-{entry.id}" for entry in entries}


def test_the_database_links_the_sample_as_the_index_in_memory_does(tmp_path, sample_catalog):
    db = write_catalog_db(tmp_path / "catalog.sqlite", sample_catalog, _digests(sample_catalog))
    memory = LinkIndex.build(sample_catalog)
    taxonomy = Taxonomy.build(sample_catalog, load_tables())
    chips = taxonomy.chips()
    assert sum(len(memory.cited_by(e.id)) for e in sample_catalog) > 0  # the sample has references to check
    assert sum(memory.previous(e.id) is not None for e in sample_catalog) > 0
    for doc, entry in enumerate(sample_catalog):
        assert db.entry(doc) == (entry, f"digest-{entry.id}")
        assert db.cited_by(entry.id) == memory.cited_by(entry.id), entry.id
        assert db.previous(entry.id) == memory.previous(entry.id), entry.id
        assert db.next(entry.id) == memory.next(entry.id), entry.id
        target = db.resolve(entry.id)
        assert target is not None and (target.id, target.title, target.url) == (entry.id, entry.title, entry.url)
        # what a page and its key are made of: the same with the database and the chip table
        assert link_context(entry, db, chips, ChipMemo(chips)) == link_context(entry, memory, taxonomy), entry.id
    assert db.resolve("NO-SUCH-CABLE") is None
    # a rebuild's scan: the neighbours kept per step are each entry's own
    steps = 0
    for _, entry in zip(db.walk(), sample_catalog, strict=True):
        assert link_context(entry, db, chips, ChipMemo(chips)) == link_context(entry, memory, taxonomy), entry.id
        steps += 1
    assert steps == len(sample_catalog)
    db.close()


def test_an_entry_reads_back_equal_with_its_date_and_without():
    entry = CatalogEntry(id="08ROME1234", url="cable/2008/11/08ROME1234.html", date=None, subject="ITALY: \"X\" é",
                         origin="Embassy Rome", classification="CONFIDENTIAL", tags=["PREL", "IT"],
                         countries=["IT"], topics=["Politics"], reference_ids=["08ROME1"],
                         country_paragraphs={"IT": ["p1", "p3"]})
    assert decode_entry(encode_entry(entry)) == entry
    entry.date = dt.datetime(2008, 11, 13, 11, 34)
    assert decode_entry(encode_entry(entry)) == entry


def test_a_damaged_database_is_said_and_written_anew(tmp_path, sample_catalog):
    path = tmp_path / "catalog.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    notices: list[str] = []
    db = write_catalog_db(path, sample_catalog[:20], _digests(sample_catalog[:20]), notice=notices.append)
    assert len(notices) == 1 and str(path) in notices[0] and "written anew" in notices[0]
    assert db.entry(0)[0] == sample_catalog[0]
    db.close()
    write_catalog_db(path, sample_catalog[:20], _digests(sample_catalog[:20]), notice=notices.append).close()
    assert len(notices) == 1  # a sound file is replaced without a word


def test_a_database_damaged_while_read_is_an_error_naming_it(tmp_path, sample_catalog):
    path = tmp_path / "catalog.sqlite"
    write_catalog_db(path, sample_catalog[:5], _digests(sample_catalog[:5])).close()
    path.write_bytes(b"\0" * 4096)
    with pytest.raises(WorkStateError, match=r"catalog\.sqlite: file is not a database"):
        CatalogDb(path).resolve(sample_catalog[0].id)
    with pytest.raises(WorkStateError, match=r"missing\.sqlite: unable to open"):
        CatalogDb(tmp_path / "missing.sqlite").entry(0)


def test_the_reader_pickles_as_its_path_and_reopens(tmp_path, sample_catalog):
    db = write_catalog_db(tmp_path / "catalog.sqlite", sample_catalog[:5], _digests(sample_catalog[:5]))
    assert db.resolve(sample_catalog[0].id) is not None  # connected
    copy = pickle.loads(pickle.dumps(db))
    assert len(pickle.dumps(db)) < 300
    assert copy.entry(4)[0] == sample_catalog[4]
    db.close()
    copy.close()


def _state_bytes(tmp_path, entries: list[CatalogEntry]) -> tuple[int, int]:
    """Pickled sizes of a page worker's state for ``entries``, and of its chip table alone."""
    tmp_path.mkdir()
    db = write_catalog_db(tmp_path / "catalog.sqlite", entries, _digests(entries))
    chips = Taxonomy.build(entries, load_tables()).chips()
    search = SearchIndexer(tmp_path / "search", entries, keys=[f"key-{e.id}" for e in entries], progress=None)
    state = pass2_state(links=db, chips=chips, search=search, docs=tmp_path / "docs", store_path=tmp_path / "s",
                        frames=Frames(), staging=tmp_path / "staging", keep_markdown=False)
    data = pickle.dumps(state)
    db.close()
    assert b"CatalogEntry" not in data and entries[-1].id.encode() not in data
    return len(data), len(pickle.dumps(chips))


def test_a_page_workers_state_does_not_grow_with_the_archive(tmp_path, sample_catalog):
    """What is sent to each worker: kilobytes, whatever the number of cables (the chip table
    grows with the taxonomy's terms, not with the cables)."""
    small, small_chips = _state_bytes(tmp_path / "small", sample_catalog[:50])
    large, large_chips = _state_bytes(tmp_path / "large", sample_catalog)
    assert small - small_chips < 4096 and large - large_chips < 4096
    assert abs((large - large_chips) - (small - small_chips)) < 256
    assert large_chips < 64 * len(sample_catalog)  # terms, not cables: far less than a line per cable


def test_the_workers_analysis_is_the_indexers(tmp_path, sample_csv):
    cables = [enrich_cable(parse_cable(item)) for item in read_sources([sample_csv]) if not isinstance(item, Problem)]
    cables = sorted(cables, key=lambda c: (c.date.isoformat() if c.date else "9999", c.id))[:30]
    entries = [CatalogEntry.of(cable, f"cable/x/{cable.id}.html") for cable in cables]
    indexer = SearchIndexer(tmp_path / "a", entries, progress=None)
    analyzer = pickle.loads(pickle.dumps(SearchAnalyzer(SearchIndexer(tmp_path / "b", entries, progress=None))))
    for doc in (0, 7, 29):
        mine = analyzer.analyze(doc, cables[doc], entries[doc].url)
        theirs = indexer.analyze(cables[doc], entries[doc].url)
        assert pickle.dumps(mine) == pickle.dumps(theirs)
        name = indexer.doc_file(doc)
        assert (tmp_path / "b" / "out" / name).read_bytes() == (tmp_path / "a" / "out" / name).read_bytes()


def test_sqlite_is_not_asked_to_write_a_read_only_database(tmp_path, sample_catalog):
    db = write_catalog_db(tmp_path / "catalog.sqlite", sample_catalog[:3], _digests(sample_catalog[:3]))
    db.resolve(sample_catalog[0].id)
    assert db._db is not None
    with pytest.raises(sqlite3.OperationalError):
        db._db.execute("DELETE FROM entries")
    db.close()
