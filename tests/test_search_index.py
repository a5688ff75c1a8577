"""The search indexer (generator/search): tokens, encodings, postings, caps, spills, determinism."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from generator.model import Cable, CatalogEntry, Paragraph, SourceLocation
from generator.search import SearchIndexer, tokenize
from generator.search import index as search_index_module
from generator.search import runs as search_runs
from generator.search.encode import (
    decode_doc_set,
    decode_postings,
    decode_shard,
    encode_doc_set,
    encode_postings,
    read_varint,
    varint,
)
from generator.search.index import _pack, _unpack, read_meta, term_score
from generator.search.tokens import _WORD, MAX_TOKEN, fold


def test_tokenize_folds_case_and_diacritics_and_drops_short_and_long_runs():
    assert tokenize("Radar sites in Gabala, Azerbaijan; (C) A") == ["radar", "sites", "in", "gabala", "azerbaijan"]
    assert tokenize("Ağcabədi Café MÜNCHEN") == ["agcabədi", "cafe", "munchen"]
    assert tokenize("09BAKU226 snake_case x" + "y" * 40) == ["09baku226", "snake", "case"]


_ASCII_PIECES = st.sampled_from(["a", "Z", "0", "9", "_", " ", "\n", "\x1f", "\x7f", "-", "É", "ß", "İ", "٣", "x" * 33])


@given(st.lists(st.one_of(st.text(alphabet=st.characters(max_codepoint=127)), _ASCII_PIECES)).map("".join))
@example("Ab_9z AB \x00Q")
def test_tokenize_ascii_shortcut_as_the_unicode_rule(text):
    """ASCII text is cut at every character but a-z and 0-9 once lower-cased: the same tokens
    as the Unicode word rule on the folded text."""
    assert tokenize(text) == [t for t in _WORD.findall(fold(text)) if len(t) <= MAX_TOKEN]


@pytest.mark.parametrize("value", [0, 1, 127, 128, 300, 16_383, 16_384, 2**32 + 5])
def test_varint_round_trip(value):
    encoded = varint(value)
    assert read_varint(encoded + b"\x00", 0) == (value, len(encoded))
    assert len(encoded) == max(1, (value.bit_length() + 6) // 7)


def test_postings_are_delta_encoded_and_decode_back():
    postings = [(0, 0, 9), (3, 17, 255), (200, 1, 1), (100_000, 300, 40)]
    encoded = encode_postings(postings)
    assert decode_postings(encoded, len(postings)) == postings
    assert encoded[:6] == bytes([0, 0, 9, 3, 17, 255])  # deltas 0 and 3, one byte each


def test_doc_sets_pick_the_smaller_of_deltas_and_bitmap():
    sparse, dense = [5, 900, 901], list(range(0, 1000, 2))
    assert encode_doc_set(sparse, 1000)[0] == 0 and decode_doc_set(encode_doc_set(sparse, 1000)) == sparse
    assert encode_doc_set(dense, 1000)[0] == 1 and decode_doc_set(encode_doc_set(dense, 1000)) == dense
    assert len(encode_doc_set(dense, 1000)) == 1 + 125


def test_scores_saturate_and_packing_orders_by_score_then_low_doc():
    assert 1 <= term_score(1, 5000) < term_score(1, 50) < term_score(20, 50) <= 255
    assert _unpack(_pack(200, 12345, 17)) == (12345, 17, 200)
    assert sorted([_pack(5, 1, 0), _pack(9, 7, 0), _pack(5, 0, 0)], reverse=True) == [
        _pack(9, 7, 0), _pack(5, 0, 0), _pack(5, 1, 0)]


def make_cable(number: int, paragraphs: list[str], year: int | None = 2009, origin: str = "Embassy Baku",
               classification: str = "CONFIDENTIAL", countries: tuple[str, ...] = ()) -> Cable:
    return Cable(id=f"09POST{number}", location=SourceLocation("test"), subject=f"Subject {number}",
                 date=dt.datetime(year, 1, 1 + number % 28) if year else None, origin=origin,
                 classification=classification, countries=list(countries),
                 paragraphs=[Paragraph(i + 1, f"par{i + 1}", text) for i, text in enumerate(paragraphs)])


def build_index(tmp: Path, cables: list[Cable], **options) -> Path:
    catalog = sorted((CatalogEntry.of(c, f"cable/{c.id}.html") for c in cables), key=lambda e: e.sort_key)
    indexer = SearchIndexer(tmp / "work", catalog, progress=None, **options)
    for cable in cables:
        indexer.add(cable, f"cable/{cable.id}.html")
    site = tmp / "site"
    site.mkdir()
    indexer.write(site)
    return site / "search"


def all_terms(search: Path) -> dict[str, tuple[int, list[tuple[int, int, int]]]]:
    meta = read_meta(search)
    terms: dict = {}
    for number in range(len(meta["shards"])):
        shard = decode_shard(gzip.decompress((search / "t" / f"{number}.bin.gz").read_bytes()))
        assert next(iter(shard)) == meta["shards"][number]  # meta names each shard's first term
        terms.update(shard)
    assert list(terms) == sorted(terms)
    return terms


def corpus() -> list[Cable]:
    cables = [make_cable(n, ["Missile defense talks.", f"Filler words number {n}.", "More missile talk."],
                         year=2000 + n % 3, classification="SECRET" if n % 2 else "CONFIDENTIAL")
              for n in range(1, 12)]
    cables.append(make_cable(40, ["Briefing."] * 16 + ["Radar sites in Gabala, Azerbaijan."], year=None,
                             countries=("AZ",)))
    return cables


def test_postings_point_at_the_first_paragraph_holding_the_term(tmp_path):
    search = build_index(tmp_path, corpus())
    terms = all_terms(search)
    meta = read_meta(search)
    df, postings = terms["gabala"]
    assert df == 1 and len(postings) == 1
    doc, slot, _ = postings[0]
    assert slot == 17  # slot k is paragraph k; slot 0 is the subject line
    record = json.loads(gzip.decompress((search / "d" / "0" / f"{doc}.json.gz").read_bytes()))
    assert record["i"] == "09POST40" and record["p"][slot - 1] == ["par17", "Radar sites in Gabala, Azerbaijan."]
    assert doc == meta["docs"] - 1  # undated cables sort last
    assert terms["missile"][0] == 11 and {p[1] for p in terms["missile"][1]} == {1}
    assert terms["subject"][0] == 12 and {p[1] for p in terms["subject"][1]} == {0}


def test_years_are_doc_ranges_and_facets_are_doc_sets(tmp_path):
    search = build_index(tmp_path, corpus())
    meta = read_meta(search)
    assert [y[0] for y in meta["years"]] == [2000, 2001, 2002]
    assert meta["years"][0][1] == 0 and meta["years"][-1][2] == 11
    assert [label for label, _ in meta["facets"]["classification"]] == ["CONFIDENTIAL", "SECRET"]
    secret = decode_doc_set((search / "f" / "classification" / "1.bin").read_bytes())
    assert len(secret) == meta["facets"]["classification"][1][1] == 6
    assert meta["facets"]["country"] == [["AZ", 1, "Azerbaijan"]]  # code, cables, name


def test_a_capped_term_keeps_its_best_scored_cables_and_counts_all(tmp_path):
    cables = [make_cable(n, ["alpha " * (n % 5 + 1) + "beta"]) for n in range(1, 21)]
    df, postings = all_terms(build_index(tmp_path, cables, cap=4))["alpha"]
    assert df == 20 and len(postings) == 4
    assert [p[0] for p in postings] == sorted(p[0] for p in postings)
    assert {p[2] for p in postings} == {max(s for _, _, s in all_terms(build_index(tmp_path / "full", cables))
                                            ["alpha"][1])}


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_output_is_byte_identical_across_builds_and_with_spills(tmp_path):
    once = tree_digest(build_index(tmp_path / "a", corpus()))
    again = tree_digest(build_index(tmp_path / "b", corpus()))
    spilled = tree_digest(build_index(tmp_path / "c", corpus(), batch_postings=10))  # a run file every cable
    assert once == again == spilled


def test_more_runs_than_one_merge_reads_are_merged_in_steps_to_the_same_index(tmp_path, monkeypatch):
    """Past ``MERGE_FAN_IN`` runs the merge goes through intermediate runs (two levels here:
    a run per cable, three at a time), and the index is the same; the state keeps the segments'
    own runs and the intermediate ones are gone."""
    once = tree_digest(build_index(tmp_path / "a", corpus()))
    monkeypatch.setattr(search_runs, "MERGE_FAN_IN", 3)
    cables = corpus()
    assert len(cables) > 9
    search = build_index(tmp_path / "b", cables, batch_postings=10)
    assert tree_digest(search) == once
    work = tmp_path / "b" / "work"
    assert len(list((work / "state").rglob("run*.pickle"))) >= len(cables)
    assert len(list(work.glob("merged-1-*.pickle"))) >= 1 and not list(work.glob("merged-0-*.pickle"))


def test_a_run_is_cut_into_chunks_of_bounded_postings(tmp_path, monkeypatch):
    """What the merge holds per run: a chunk of at most ``RUN_CHUNK_POSTINGS`` postings (or one
    term's, when a term alone holds more), however few terms the run has."""
    from generator import integrity

    monkeypatch.setattr(search_runs, "RUN_CHUNK_POSTINGS", 100)
    terms = [(f"t{number:03d}", list(range(number % 70))) for number in range(200)]
    path = tmp_path / "run.pickle"
    search_runs.write_run(path, iter(terms))
    chunks = list(integrity.read_stream(path, "run"))
    assert [item for chunk in chunks for item in chunk] == terms
    assert all(sum(len(p) for _, p in chunk) < 100 + 70 for chunk in chunks) and len(chunks) > 50


def test_write_refuses_an_index_that_missed_cables(tmp_path):
    cables = corpus()
    catalog = sorted((CatalogEntry.of(c, f"cable/{c.id}.html") for c in cables), key=lambda e: e.sort_key)
    indexer = SearchIndexer(tmp_path / "work", catalog, progress=None)
    indexer.add(cables[0], "cable/x.html")
    with pytest.raises(ValueError, match="saw 1 cables"):
        indexer.write(tmp_path)


def test_the_mark_table_covers_every_combining_mark_of_unicode():
    import sys
    import unicodedata

    from generator.search import tokens

    every_mark = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)).startswith("M")}
    assert set(tokens._DROP_MARKS) == every_mark


def _indexed(tmp: Path, cables: list[Cable], previous: tuple[Path, Path] | None = None, cap: int = 2000,
             patched: list[bool] | None = None, **options) -> tuple[Path, Path, int]:
    """Index ``cables`` as the build does (documents in doc order, keyed by content and position),
    reusing a previous (state, search copy) when given; returns (search, state, cables analysed)
    and appends to ``patched`` whether the term list was patched rather than merged."""
    catalog = sorted((CatalogEntry.of(c, f"cable/{c.id}.html") for c in cables), key=lambda e: e.sort_key)
    by_id = {c.id: c for c in cables}
    keys = [f"{doc}:{e.id}:{hashlib.sha256(repr(by_id[e.id]).encode()).hexdigest()}" for doc, e in enumerate(catalog)]
    state = tmp / "state"
    indexer = SearchIndexer(tmp / "work", catalog, progress=None, keys=keys, state=state, cap=cap,
                            previous_state=previous[0] if previous else None,
                            previous_search=previous[1] if previous else None, **options)
    analysed = 0
    for doc, entry in enumerate(catalog):
        if indexer.needs_analysis(doc):
            indexer.merge(indexer.analyze(by_id[entry.id], entry.url))
            analysed += 1
        else:
            indexer.skip(doc)
    site = tmp / "site"
    site.mkdir()
    indexer.write(site)
    if patched is not None:
        patched.append(indexer.patched)
    if previous:
        indexer.install(site / "search", previous[1])
        return previous[1], state, analysed
    return site / "search", state, analysed


def test_a_rebuild_analyses_only_changed_cables_and_equals_a_clean_index(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index_module, "DOCS_PER_FOLDER", 4)  # 12 cables: three segments
    cables = corpus()
    first, state, analysed = _indexed(tmp_path / "first", cables)
    assert analysed == len(cables)
    kept_state = tree_digest(state)

    changed = [make_cable(5, ["Missile defense talks.", "Gabala radar, rewritten.", "More missile talk."],
                          year=2000 + 5 % 3, classification="SECRET") if c.id == "09POST5" else c for c in cables]
    last = ("09POST8", "09POST11", "09POST40")  # the last three documents: the others keep their places
    for name, corpus_now, expected in (
            ("changed", changed, 1),  # one text changed
            ("shorter", [c for c in changed if c.id not in last], 1),  # and the last segment shorter
            ("segment gone", [c for c in changed if c.id not in (*last, "09POST5")], 0)):  # the last segment gone
        live = tmp_path / f"{name}-live"  # the live site's index, updated in place
        shutil.copytree(first, live)
        rebuilt, _, analysed = _indexed(tmp_path / name, corpus_now, previous=(state, live))
        clean, _, _ = _indexed(tmp_path / f"{name}-clean", corpus_now)
        assert analysed == expected
        assert tree_digest(rebuilt) == tree_digest(clean)
        assert tree_digest(state) == kept_state  # the previous state is read, never changed


def test_a_rebuild_patches_the_term_list_exactly_as_a_full_merge_makes_it(tmp_path, monkeypatch):
    """A few changed cables: the previous term list is patched (capped terms from their full
    postings kept in the state) and equals a clean index, over a chain of rebuilds where terms
    appear, vanish, become capped and stop being capped."""
    monkeypatch.setattr(search_index_module, "DOCS_PER_FOLDER", 4)
    cap = 3
    cables = corpus()
    cables[3] = make_cable(4, ["Missile defense talks.", "Zebra crossing.", "More missile talk."], year=2001)
    cables[4] = make_cable(5, ["Missile defense talks.", "Zebra crossing and yak.", "More missile talk."], year=2002)
    cables[5] = make_cable(6, ["Missile defense talks.", "Zebra crossing and yak.", "More missile talk."], year=2000)
    steps = [
        ("a capped term loses a best cable", {1: ["Defense talks only.", "Filler words number 1."]}),
        ("a term vanishes, another appears", {12: ["Briefing."] * 16 + ["Radar sites in Quba."]}),
        ("a term becomes capped", {7: ["Zebra and yak.", "Filler words number 7."]}),  # zebra: 4 cables
        ("a term stops being capped", {4: ["Missile defense talks.", "Filler."], 7: ["Nothing here."]}),
        ("a subject word changes everywhere it is", {n: [f"Changed {n}.", "Missile talk."] for n in (2, 3, 8)}),
    ]
    state_holder = tmp_path / "first"
    search, state, _ = _indexed(state_holder, cables, cap=cap)
    live = tmp_path / "live"
    shutil.copytree(search, live)
    for number, (name, changes) in enumerate(steps):
        for index, paragraphs in changes.items():
            old = cables[index - 1]
            cables[index - 1] = make_cable(int(old.id[6:]), paragraphs, year=old.date.year if old.date else None,
                                           classification=old.classification, countries=tuple(old.countries))
        patched: list[bool] = []
        rebuilt, state, analysed = _indexed(tmp_path / f"step{number}", cables, previous=(state, live), cap=cap,
                                            patched=patched)
        clean, clean_state, _ = _indexed(tmp_path / f"step{number}-clean", cables, cap=cap)
        assert patched == [True], name
        assert analysed == len(changes), name
        assert tree_digest(rebuilt) == tree_digest(clean), name
        assert all_terms(rebuilt) == all_terms(clean), name
        for kept in ("terms.pickle", "summary.json"):  # what the next rebuild patches
            assert (state / kept).read_bytes() == (clean_state / kept).read_bytes(), (name, kept)
        zebra = all_terms(live)["zebra"]
        assert (zebra[0], len(zebra[1])) == {2: (4, 3), 3: (2, 2)}.get(number, (zebra[0], len(zebra[1])))
    terms = all_terms(live)
    assert "quba" in terms and "gabala" not in terms
    assert terms["missile"][0] > cap == len(terms["missile"][1])


def test_a_rebuild_merges_every_run_when_many_cables_changed(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index_module, "DOCS_PER_FOLDER", 4)
    monkeypatch.setattr(search_index_module, "PATCH_AT_MOST", 0.1)
    cables = corpus()
    search, state, _ = _indexed(tmp_path / "first", cables)
    changed = [make_cable(int(c.id[6:]), ["All new text here."], year=c.date.year if c.date else None)
               for c in cables]
    patched: list[bool] = []
    rebuilt, _, analysed = _indexed(tmp_path / "again", changed, previous=(state, search), patched=patched)
    clean, _, _ = _indexed(tmp_path / "clean", changed)
    assert patched == [False] and analysed == len(changed)
    assert tree_digest(rebuilt) == tree_digest(clean)


def test_a_rebuild_whose_state_lost_a_capped_list_merges_in_full(tmp_path, monkeypatch):
    import sqlite3

    monkeypatch.setattr(search_index_module, "DOCS_PER_FOLDER", 4)
    cables = corpus()
    search, state, _ = _indexed(tmp_path / "first", cables, cap=3)
    with sqlite3.connect(state / "capped.sqlite") as db:
        assert db.execute("DELETE FROM capped WHERE term = 'missile'").rowcount == 1
    cables[0] = make_cable(1, ["Defense talks only."], year=cables[0].date.year)
    patched: list[bool] = []
    rebuilt, _, analysed = _indexed(tmp_path / "again", cables, previous=(state, search), cap=3, patched=patched)
    clean, _, _ = _indexed(tmp_path / "clean", cables, cap=3)
    assert patched == [False] and analysed == 1
    assert tree_digest(rebuilt) == tree_digest(clean)


@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 ", min_size=1, max_size=33), max_size=40),
       st.data())
def test_an_analysis_comes_back_whole_from_its_compact_pickle(terms, data):
    """What a worker hands the build process (terms in one string, postings as machine bytes)."""
    import pickle

    from generator.search.index import CableAnalysis

    postings = data.draw(st.lists(st.integers(0, 2**64 - 1), min_size=len(terms), max_size=len(terms)))
    facets = {"origin": ["Embassy Baku"], "country": []}
    back = pickle.loads(pickle.dumps(CableAnalysis(7, terms, postings, facets)))
    assert (back.doc, back.terms, list(back.postings), back.facets) == (7, terms, postings, facets)
