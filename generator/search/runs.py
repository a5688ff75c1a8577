"""Run files: a segment's postings sorted by term, spilled to disk, and merged term by term.

Memory is bounded: postings are gathered per segment, sorted by term and spilled to a run file
(more than one when a segment is very large); the runs are merged term by term at the end. A run
is pickled in chunks (``chunks``) so that the merge holds one small chunk of each run at once.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

from .. import integrity

# A run file is pickled in chunks of at most this many terms and this many postings: the merge
# holds one chunk of every run at once, and there are as many runs as segments (and more), so a
# chunk must stay small whatever a segment's vocabulary. Cut by terms alone (4,000), a chunk held
# most of a segment: the 10k build's process peaked 128 MB higher in the merge than before it.
RUN_CHUNK_TERMS = 4_000
RUN_CHUNK_POSTINGS = 16_384  # about 0.6 MB once unpickled
# Runs one merge reads at once. More runs than this (a segment's at least: 252 at Cablegate's
# size, 2,326 at PlusD's) are first merged this many at a time into fewer, so that what the
# merge holds (a chunk of each run it reads) stays bounded whatever the archive's size, for one
# more writing and reading of the postings past that size. Measured on the 252 runs of a 251k
# build (the merge alone): 256 at once, 28.6 s and 318 MB peak; 64 at once, 38.5-50.0 s and
# 100 MB. 256 keeps Cablegate's size in one pass, under what the build process holds then.
MERGE_FAN_IN = 256

T = TypeVar("T")


def _postings_of(item: tuple[str, list[int]]) -> int:
    return len(item[1])


def write_run(path: Path, terms: Iterable[Any], weight: Callable[[Any], int] = _postings_of) -> None:
    """A run file: (term, packed postings) in term order, pickled in chunks (``chunks``), each chunk
    sealed and the file closed by an end mark (``integrity.write_stream``): a run cut at a chunk
    boundary, or changed, fails when it is read instead of losing terms silently. Sealed under
    "run", not the file's name: a reused run is linked under another name."""
    with path.open("wb") as run:
        integrity.write_stream(run, chunks(terms, weight), "run")


def chunks(items: Iterable[T], weight: Callable[[T], int]) -> Iterator[list[T]]:
    """``items`` in lists of at most ``RUN_CHUNK_TERMS`` items and about ``RUN_CHUNK_POSTINGS``
    postings (each item's ``weight``; a single heavier item makes a chunk of its own)."""
    chunk: list[T] = []
    held = 0
    for item in items:
        chunk.append(item)
        held += weight(item)
        if len(chunk) >= RUN_CHUNK_TERMS or held >= RUN_CHUNK_POSTINGS:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


def merged_terms(runs: list[Path]) -> Iterator[tuple[str, list[int]]]:
    """Each term of ``runs`` once, in term order, with the postings of all of them."""
    merged = heapq.merge(*(read_run(path) for path in runs), key=itemgetter(0))
    for term, group in groupby(merged, key=itemgetter(0)):
        postings: list[int] = []
        for _, run_postings in group:
            postings += run_postings
        yield term, postings


def read_run(path: Path) -> Iterator[tuple[str, list[int]]]:
    for chunk in integrity.read_stream(path, "run"):
        yield from chunk



def fewer_runs(runs: list[Path], work: Path) -> list[Path]:
    """The runs, merged ``MERGE_FAN_IN`` at a time into runs in ``work`` until no more than that
    are left (the segments' own runs are kept, for the next build; intermediate ones are deleted)."""
    runs, level = list(runs), 0
    while len(runs) > MERGE_FAN_IN:
        merged = []
        for number, start in enumerate(range(0, len(runs), MERGE_FAN_IN)):
            merged.append(work / f"merged-{level}-{number}.pickle")
            write_run(merged[-1], merged_terms(runs[start:start + MERGE_FAN_IN]))
        if level:
            for path in runs:
                path.unlink()
        runs, level = merged, level + 1
    return runs
