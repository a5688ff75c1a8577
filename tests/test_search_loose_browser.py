"""Common words whose cut lists have no cable in common (search-engine.js, ``anyClause``).

The index keeps a word's best ``cap`` cables (generator/search/index.py). At 251,287 cables the
lists of four common words ("human rights Mexico army") shared no cable, and the box said "No
cables match" although cables hold them all: a silent miss. The sample is built here with a cap
of 40 (``CABLESITE_SEARCH_CAP``), which cuts the lists of its common words as Cablegate's size
cuts them at 2,000, and two words are chosen from the built index whose lists share no cable
while a cable in one of them holds both words in its text."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import re
from collections.abc import Iterator

import pytest

from generator.search.analysis import STEM_MARK
from generator.search.encode import decode_shard
from generator.search.index import read_meta
from generator.search.tokens import stem, tokenize
from tests.conftest import CONFIG, CONTENT
from tests.test_search_browser import page  # noqa: F401 (fixture)
from tests.test_search_features import PAGE_ROOT, count_text, open_search_page, sample_cables, show_all  # noqa: F401

CAP = 40


@pytest.fixture(scope="module")
def capped_site(tmp_path_factory, sample_csv):
    """The sample built with a cap of 40 cables per term."""
    from generator.build import build

    site = tmp_path_factory.mktemp("capped") / "site"
    before = os.environ.get("CABLESITE_SEARCH_CAP")
    os.environ["CABLESITE_SEARCH_CAP"] = str(CAP)
    try:
        build([CONTENT, sample_csv], site, CONFIG, "Capped archive")
    finally:
        if before is None:
            del os.environ["CABLESITE_SEARCH_CAP"]
        else:
            os.environ["CABLESITE_SEARCH_CAP"] = before
    return site


@pytest.fixture(scope="module")
def capped_url(capped_site) -> Iterator[str]:
    from generator.serve import background_server

    with background_server(capped_site.parent) as url:
        yield f"{url}/{capped_site.name}/"


def index_entries(site) -> dict[str, tuple[int, list[tuple[int, int, int]]]]:
    """term -> (df, postings) over every shard of a built site's index."""
    entries: dict[str, tuple[int, list[tuple[int, int, int]]]] = {}
    for shard in sorted((site / "search" / "t").glob("*.bin.gz")):
        entries.update(decode_shard(gzip.decompress(shard.read_bytes())))
    return entries


def listed(entries, word: str) -> tuple[set[int], bool]:
    """The cables the index lists for ``word`` as the browser gathers them (the word, its stem,
    the stem's forms), and whether any of those lists was cut."""
    docs: set[int] = set()
    cut = False
    for term in {word, stem(word), stem(word) + STEM_MARK}:
        if term in entries:
            df, postings = entries[term]
            docs |= {doc for doc, _, _ in postings}
            cut = cut or len(postings) < df
    return docs, cut


def text_stems(cable) -> set[str]:
    """The stems of what a hit file holds of a cable: its title, id, post and paragraphs."""
    head = f"{cable.title} {cable.id} {cable.origin or ''}"
    return {stem(t) for text in [head, *(p.text for p in cable.paragraphs)] for t in tokenize(text)}


def cable_of(site, doc: int) -> str:
    """The id in a document's hit file (``d/<folder>/<doc>.json.gz``, 1,000 documents a folder)."""
    return json.loads(gzip.decompress((site / "search" / "d" / str(doc // 1000) / f"{doc}.json.gz").read_bytes()))["i"]


@pytest.fixture(scope="module")
def disjoint_pair(capped_site, sample_cables):  # noqa: F811
    """Two common words whose cut lists share no cable, and the cables listed for either that hold
    both in their text (what the box must find)."""
    entries = index_entries(capped_site)
    meta = read_meta(capped_site / "search")
    assert meta["cap"] == CAP
    by_doc = {doc: cable_of(capped_site, doc) for doc in range(meta["docs"])}
    words = sorted((t for t, (df, postings) in entries.items()
                    if re.fullmatch("[a-z]{6,}", t) and len(postings) < df and stem(t) == t),
                   key=lambda t: -entries[t][0])[:150]
    stems = {cable_id: text_stems(cable) for cable_id, (cable, _) in sample_cables.items()}
    for first, second in itertools.combinations(words, 2):
        (docs_a, cut_a), (docs_b, cut_b) = listed(entries, first), listed(entries, second)
        if not (cut_a and cut_b) or docs_a & docs_b:
            continue
        holding = {by_doc[d] for d in docs_a | docs_b if {first, second} <= stems[by_doc[d]]}
        if holding:
            return first, second, holding, stems
    pytest.fail("no two common words of the sample with disjoint cut lists: the cap is too large for the test")


def test_common_words_with_disjoint_lists_find_the_cables_holding_both(page, capped_url, disjoint_pair):  # noqa: F811
    first, second, holding, stems = disjoint_pair
    open_search_page(page, capped_url, f"{first} {second} ")
    assert "so far" in count_text(page), count_text(page)  # says it is checking likely cables
    shown = show_all(page)
    assert shown, f"{first} {second}: nothing shown, though {sorted(holding)[:5]} hold both"
    assert holding <= set(shown), f"{first} {second}: missed {sorted(holding - set(shown))[:5]}"
    for cable_id in shown:
        assert {first, second} <= stems[cable_id], f"{cable_id} shown for {first} {second} without both"
    final = count_text(page)
    assert final.startswith(f"{len(shown)} cable"), final


def test_the_strict_answer_is_kept_when_the_lists_meet(page, capped_url, capped_site):  # noqa: F811
    """Two words whose cut lists share cables: the usual answer, no text checked for words."""
    entries = index_entries(capped_site)
    words = [t for t, (df, postings) in entries.items()
             if re.fullmatch("[a-z]{6,}", t) and len(postings) < df and stem(t) == t]
    pair = next((a, b) for a, b in itertools.combinations(words, 2)
                if listed(entries, a)[0] & listed(entries, b)[0])
    open_search_page(page, capped_url, f"{pair[0]} {pair[1]} ")
    assert "so far" not in count_text(page)
    assert page.locator(f"{PAGE_ROOT} a.cs-hit").count() > 0
