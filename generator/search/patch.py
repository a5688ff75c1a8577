"""What a rebuild reuses of the last build's search state: a segment's runs carried over without
its changed documents, and the term list patched instead of merged from every run.

The term list is patched when few documents changed: the next build rewrites only the entries of
the terms those documents hold or held (their old postings are what the filtering of their
segment's runs took out, ``removed``) and copies every other entry as it was; the shards it
writes are the same bytes as a full merge's (tested). A state that does not fit raises
``StaleState`` and the indexer falls back to the full merge.
"""

from __future__ import annotations

import bisect
import heapq
import os
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path

from .. import integrity
from .capped import CappedStore, StaleState
from .encode import decode_postings
from .postings import _TIE_DOC, TermEntry, _pack, encoded_entry, term_entry
from .runs import read_run, write_run


def carry_over(previous: Path, folder: Path, dropped: set[int], facets: dict[str, dict[str, list[int]]],
               start: int, removed: dict[str, list[int]]) -> list[Path]:
    """Bring a segment's runs and facets from the previous state into ``folder``, without the
    ``dropped`` documents (changed, or gone): as hard links when nothing is dropped, else
    filtered into new run files numbered from ``start``; the terms that lost postings go into
    ``removed``. Returns the runs."""
    names: list[str] = integrity.read_sealed(previous / "runs.pickle")
    old_facets: dict[str, dict[str, list[int]]] = integrity.read_sealed(previous / "facets.pickle")
    for facet, values in old_facets.items():
        for value, docs in values.items():
            kept = [doc for doc in docs if doc not in dropped]
            if kept:
                facets[facet].setdefault(value, []).extend(kept)
    runs = []
    for number, name in enumerate(names, start=start):
        target = folder / f"run{number}.pickle"
        if not dropped:
            os.link(previous / name, target)
        else:
            write_run(target, without_docs(read_run(previous / name), dropped, removed))
        runs.append(target)
    return runs


def without_docs(terms: Iterable[tuple[str, list[int]]], dropped: set[int],
                 removed: dict[str, list[int]]) -> Iterator[tuple[str, list[int]]]:
    """A run's terms without the postings of ``dropped`` documents (terms left with none go);
    the postings taken out are added to ``removed``."""
    doc_mask = _TIE_DOC
    for term, postings in terms:
        kept = [key for key in postings if _TIE_DOC - ((key >> 16) & doc_mask) not in dropped]
        if len(kept) != len(postings):
            kept_set = set(kept)
            removed.setdefault(term, []).extend(key for key in postings if key not in kept_set)
        if kept:
            yield term, kept


def patched_entries(previous_terms: Path, new_runs: Iterable[Path], removed: dict[str, list[int]], cap: int,
                    capped: CappedStore) -> Iterator[TermEntry]:
    """Every term's entry in term order, from the previous build's entries (``previous_terms``):
    a term no changed document holds (or held) keeps its entry as it was; the others lose the
    postings of the dropped documents (``removed``) and gain those of the documents analysed now
    (``new_runs``). Equal to a full merge (tested): a capped term's full list comes from
    ``capped``, an uncapped one's from its entry."""
    new: dict[str, list[int]] = {}
    for path in new_runs:
        for term, postings in read_run(path):
            new.setdefault(term, []).extend(postings)
    old_entries = read_run(previous_terms)
    additions = ((term, None) for term in sorted(new))
    merged = heapq.merge(((entry[0], entry) for entry in old_entries), additions, key=lambda item: item[0])
    for term, group in groupby(merged, key=lambda item: item[0]):
        old: TermEntry | None = None
        for _, entry in group:  # the previous entry, and (None) the term's new postings
            old = entry or old
        if term not in new and term not in removed:
            if old is not None:
                yield old
            continue
        if old is not None and old[1] > old[2]:  # capped: its entry holds only the best postings
            entry = _patched_capped(old, removed.get(term, ()), new.get(term, ()), cap, capped)
        else:
            postings = [_pack(score, doc, slot) for doc, slot, score in decode_postings(old[3], old[2])] \
                if old is not None else []
            gone = set(removed.get(term, ()))
            if len(gone) != sum(key in gone for key in postings):
                raise StaleState(f"the previous entry of {term!r} lacks postings its runs held")
            postings = [key for key in postings if key not in gone] + new.get(term, [])
            entry = term_entry(term, postings, cap, capped)
        if entry is not None:
            yield entry


def _patched_capped(old: TermEntry, removed: Iterable[int], added: Iterable[int], cap: int,
                    capped: CappedStore) -> TermEntry | None:
    """A capped term's entry after taking ``removed`` out of its full list and adding
    ``added``; its encoded postings are reused when its best ``cap`` stay the same."""
    term, _, count, body = old
    full = capped.get(term)  # packed, ascending: the best ``cap`` are at the end
    threshold = full[-count]  # the lowest posting of the entry
    top_changed = False
    for key in removed:
        at = bisect.bisect_left(full, key)
        if at == len(full) or full[at] != key:
            raise StaleState(f"the full postings of {term!r} lack one its runs held")
        del full[at]
        top_changed = top_changed or key >= threshold
    for key in added:
        bisect.insort(full, key)
        top_changed = top_changed or key > threshold
    df = len(full)
    if df <= cap:
        capped.discard(term)
        return term_entry(term, full.tolist(), cap, capped)
    capped.put(term, full)
    if not top_changed:  # the same best ``cap`` postings
        return term, df, count, body
    return encoded_entry(term, df, full[-cap:].tolist())
