"""The search index: written by the build as cables stream past, read by the browser in pieces.

Why purpose-built: at Cablegate's 251,287 cables Pagefind needs far more memory than a build
machine has and SQLite over HTTP reads megabytes a query (figures in issue 5). Here a query
reads the one small file (``meta.json``) that maps terms to shards, one term shard of about
8 KB per word, and one small JSON file per hit shown; nothing grows with the archive except
the number of files.

Postings are per cable, not per paragraph: (doc, slot of the first paragraph holding the term,
score). The browser downloads the hit's paragraphs anyway to show a snippet, and picks there
the paragraph holding most of the query's words; this keeps the postings a third smaller
than paragraph postings. Each term keeps its ``cap`` best-scoring cables; a common word's
list is cut, which the browser shows as "at least N" when it counts.

Memory is bounded: postings are gathered per *segment* (1,000 consecutive doc ids, which is
also a folder of hit files), sorted by term and spilled to a run file (more than one when a
segment is very large); the runs are merged term by term at the end, where each term is cut
to its ``cap`` best cables.

Segments are also what a rebuild reuses. A build leaves, per segment, its runs, facet values
and the keys of its documents (hash of cable, position and URL) in a state folder. The next
build reuses a segment whose keys are all the same (its runs, and its folder of hit files in the
live site), and for a segment where a few documents changed it drops those documents' postings
from the old runs and adds their new ones: only changed cables are analysed again, only their
hit files are written (``install`` puts them into the live site), and the result is the same as
a clean build (runs are never cut, so nothing a later change needs is lost).

The term list is patched too. A build also leaves every term's encoded entry (``terms.pickle``)
and the full postings of the capped terms (``capped.sqlite``, sorted, so that taking a cable out
or putting one in is a bisection). When few documents changed, the next build rewrites only the
entries of the terms those documents hold or held (their old postings are what the filtering of
their segment's runs took out) and copies every other entry as it was, instead of merging every
run; the shards it writes are the same bytes (tested). A state that does not fit falls back to
the full merge.
"""

from __future__ import annotations

import bisect
import gzip
import heapq
import json
import os
import shutil
import sqlite3
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

from .. import integrity
from ..integrity import WorkStateError
from ..model import Cable, CatalogEntry
from ..write.files import write_new_file
from .analysis import cable_terms, country_name
from .encode import decode_postings, encode_doc_set, encode_postings, encode_term_entry_parts, gzipped

FORMAT_VERSION = 2  # 2: stem entries ("<stem> ") and names in slot 0
DEFAULT_CAP = 2000  # cables kept per term: about 6 KB of postings at most
# A term shard is cut once it holds this much (before gzip). 8,000 rather than 16,000: a query fetches a
# whole shard per word for one entry, and on the sample's 47 relevance queries this cut the bytes of a later
# query by a third (median 47 -> 31 KB) for 1.8 KB more of meta.json (bench/RESULTS.md, 2026-12-01).
SHARD_BYTES = 8_000
BATCH_POSTINGS = 400_000  # postings held in memory before a spill (~25 MB)
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
DOCS_PER_FOLDER = 1000  # hit files per folder, and documents per segment
FACETS = ("origin", "classification", "country", "topic")
STATE_VERSION = 1  # of what a build leaves for the next (summary.json, terms.pickle, capped.sqlite)
PATCH_AT_MOST = 0.1  # share of the documents analysed anew up to which a rebuild patches the term list

# BM25 term-frequency part with a fixed reference length: the average is not known while
# streaming, and a constant keeps scores independent of the order cables arrive in.
K1 = 1.2
B = 0.75
REFERENCE_LENGTH = 500
SCORE_BITS = 255
_TIE_DOC = (1 << 32) - 1  # doc ids are stored inverted in sort keys: low ids win ties


def _length_norm(length: int) -> float:
    return K1 * (1 - B + B * length / REFERENCE_LENGTH)


def term_score(tf: int, length: int) -> int:
    """BM25's saturating tf part tf*(k1+1)/(tf+norm), divided by its bound k1+1, scaled to 1..255."""
    return min(SCORE_BITS, int(tf * SCORE_BITS / (tf + _length_norm(length)) + 0.5)) or 1


def _pack(score: int, doc: int, slot: int) -> int:
    """One int per posting (a tuple costs three times the memory); sorts by score, then low doc."""
    return (score << 48) | ((_TIE_DOC - doc) << 16) | min(slot, 0xFFFF)


def _unpack(key: int) -> tuple[int, int, int]:
    return _TIE_DOC - ((key >> 16) & _TIE_DOC), key & 0xFFFF, key >> 48


def _quiet(_message: str) -> None:
    """A sink that drops what it is told."""


def _stderr(message: str) -> None:
    print(f"search: {message}", file=sys.stderr, flush=True)


# What every query fetches first (shard boundaries, facets, years), gzipped like the shards and
# hit files: at 251,287 cables 22.2 KB as JSON, a seventh of the heaviest first query's bytes.
META_FILE = "meta.json.gz"


def read_meta(search_dir: Path) -> dict:
    """The meta file of a built ``search`` folder, as the browser reads it."""
    return json.loads(gzip.decompress((search_dir / META_FILE).read_bytes()))


T = TypeVar("T")
TermEntry = tuple[str, int, int, bytes]  # term, df, postings stored, those postings encoded


@dataclass
class CableAnalysis:
    """What one cable contributes to the index: (term, packed posting) pairs and facet values."""

    doc: int
    terms: list[str]
    postings: Sequence[int]  # packed, one per term (see _pack): a list, or an array once unpickled
    facets: dict[str, list[str]]

    def __reduce__(self) -> tuple[Callable[..., CableAnalysis], tuple[int, str, bytes, dict[str, list[str]]]]:
        """Pickled as one string of terms and the postings' machine bytes: the workers hand
        one per cable to the build process, whose unpickling competes with them for the cores
        (50 -> 20 µs to pickle a cable's, 60 -> 32 µs to unpickle it; 10k benchmark's cables).
        No term holds a line break (terms are runs of letters and digits, stems end in a space)."""
        return _analysis, (self.doc, "\n".join(self.terms), array("Q", self.postings).tobytes(), self.facets)


def _analysis(doc: int, terms: str, postings: bytes, facets: dict[str, list[str]]) -> CableAnalysis:
    packed = array("Q")
    packed.frombytes(postings)
    return CableAnalysis(doc, terms.split("\n") if terms else [], packed, facets)


class SearchIndexer:
    """Feed it every cable once (``add``, or ``analyze`` then ``merge``), then ``write`` the index
    into a site folder.

    For a rebuild, give it the documents' ``keys``, the state folder the last build left
    (``previous_state``) and the live site's ``search`` folder (``previous_search``, only read).
    Documents that do not ``need_analysis`` are then passed over with ``skip``, and the index
    ``write`` makes holds only the hit files written anew: ``install`` it over the live one."""

    def __init__(self, work: Path, catalog: list[CatalogEntry], cap: int = DEFAULT_CAP,
                 batch_postings: int = BATCH_POSTINGS, progress: Callable[[str], None] | None = _stderr,
                 progress_every: int = 25_000, keys: list[str] | None = None, state: Path | None = None,
                 previous_state: Path | None = None, previous_search: Path | None = None,
                 notice: Callable[[str], None] | None = None) -> None:
        """``catalog`` sorted as the site lists cables (date, id): its order gives doc ids.
        ``progress`` takes the index's internal chatter; ``notice`` what a user must be told
        (a damaged state indexed anew), by default the same sink."""
        self.notice = notice or progress or (lambda _message: None)
        if work.exists():
            shutil.rmtree(work)
        self.work = work
        self.docs_dir = work / "out" / "d"
        self.docs_dir.mkdir(parents=True)
        self.state = state or work / "state"
        if self.state.exists():
            shutil.rmtree(self.state)
        self.state.mkdir(parents=True)
        self.catalog = catalog
        self.doc_of = {entry.id: number for number, entry in enumerate(catalog)}
        self.keys = keys if keys is not None else [""] * len(catalog)
        self.cap = cap
        self.batch_postings = batch_postings
        self.progress = progress or (lambda message: None)
        self.progress_every = progress_every
        self.batch: dict[str, list[int]] = {}
        self.batch_size = 0
        self.open_segment: int | None = None
        self.runs: list[Path] = []
        self.runs_of: dict[int, list[Path]] = {}
        self.facets_of: dict[int, dict[str, dict[str, list[int]]]] = {}
        self.added = 0
        # Per segment with a previous state: the documents to analyse again (empty: reuse it whole)
        self.changed: dict[int, set[int]] = {}
        self.previous_folder: dict[int, Path] = {}
        self.gone: list[int] = []  # documents of the previous index past the new end (their hit files go)
        self.previous_root: Path | None = None
        self.new_runs: list[Path] = []  # runs of the documents analysed by this indexer
        self.dropped: set[int] = set()  # documents whose postings were taken out of the previous runs
        self.removed: dict[str, list[int]] = {}  # per term, the postings of ``dropped`` documents it lost
        self.skipped = 0
        self.patched = False  # whether ``write`` patched the previous term list instead of merging every run
        if previous_state is not None and previous_search is not None:
            self.previous_root = previous_state
            self._compare(previous_state, previous_search)

    def __getstate__(self) -> dict[str, object]:
        """A copy for a worker elsewhere (``analyze`` runs on Dask workers, see executors.py) takes
        no sink of the build process along: its notices and chatter stay with the original."""
        state = dict(self.__dict__)
        state["notice"] = state["progress"] = _quiet
        return state

    @property
    def segments(self) -> int:
        return -(-len(self.catalog) // DOCS_PER_FOLDER)

    def _compare(self, previous_state: Path, previous_search: Path) -> None:
        """Compare each segment's keys with the last build's (whose hit files must be in place)."""
        for segment in range(self.segments):
            folder = previous_state / f"{segment:05d}"
            hits = previous_search / "d" / str(segment)
            if not folder.is_dir():
                continue
            try:  # sealed (see integrity.py): a damaged or crafted file is never unpickled
                old_keys: list[str] = integrity.read_sealed(folder / "keys.pickle")
                complete = (folder / "facets.pickle").is_file() and all(
                    (folder / name).is_file() for name in integrity.read_sealed(folder / "runs.pickle"))
            except WorkStateError as err:
                self.notice(f"{err}; segment {segment} is indexed anew")
                continue
            if not complete or not hits.is_dir():
                continue
            first = segment * DOCS_PER_FOLDER
            new_keys = self.keys[first:first + DOCS_PER_FOLDER]
            changed = {first + i for i, key in enumerate(new_keys)
                       if not key or i >= len(old_keys) or old_keys[i] != key}
            self.gone += range(first + len(new_keys), first + len(old_keys))
            self.changed[segment] = changed
            self.previous_folder[segment] = folder

    def needs_analysis(self, doc: int) -> bool:
        """Whether ``doc`` must be analysed, or is in the previous state as it is now."""
        changed = self.changed.get(doc // DOCS_PER_FOLDER)
        return changed is None or doc in changed

    def add(self, cable: Cable, url: str) -> None:
        """Index one cable and write its hit file (metadata and paragraphs, for snippets)."""
        self.merge(self.analyze(cable, url))

    def skip(self, doc: int) -> None:
        """Count a document whose postings, facets and hit file come from the previous state."""
        if self.needs_analysis(doc):
            raise ValueError(f"document {doc} changed since the last build and must be analysed")
        self.added += 1
        self.skipped += 1

    def analyze(self, cable: Cable, url: str) -> CableAnalysis:
        """The per-cable part of ``add``: postings, facet values and the hit file.

        It changes nothing in the indexer, so the build runs it in worker processes (on a
        forked copy) and only ``merge`` runs in the main process."""
        doc = self.doc_of[cable.id]
        self._write_doc(doc, cable, url)
        facets = {"origin": [cable.origin], "classification": [cable.classification],
                  "country": cable.countries, "topic": cable.topics}
        terms, postings = self._postings(doc, cable)
        return CableAnalysis(doc, terms, postings,
                             {facet: list(dict.fromkeys(v for v in found if v)) for facet, found in facets.items()})

    def merge(self, analysis: CableAnalysis) -> None:
        """Add one analysed cable to its segment's batch; spill the batch to disk when full."""
        segment = analysis.doc // DOCS_PER_FOLDER
        if segment != self.open_segment:
            self._spill()
            self.open_segment = segment
        batch = self.batch
        for term, posting in zip(analysis.terms, analysis.postings, strict=True):
            postings = batch.get(term)
            if postings is None:
                batch[term] = postings = []
            postings.append(posting)
        self.batch_size += len(analysis.postings)  # a cable names a term once: a term's df is its postings count
        facets = self.facets_of.setdefault(segment, {name: {} for name in FACETS})
        for facet, values in analysis.facets.items():
            for value in values:
                facets[facet].setdefault(value, []).append(analysis.doc)
        self.added += 1
        if self.added % self.progress_every == 0:
            self.progress(f"indexed {self.added:,} of {len(self.catalog):,} cables")
        if self.batch_size >= self.batch_postings:
            self._spill()

    def _postings(self, doc: int, cable: Cable) -> tuple[list[str], list[int]]:
        """The cable's terms and, for each, its packed posting (the hot part of the build)."""
        counts, first_slot, length = cable_terms(cable)
        if any(slot > 0xFFFF for slot in first_slot.values()):  # slots are stored in 16 bits (see _pack)
            first_slot = {term: min(slot, 0xFFFF) for term, slot in first_slot.items()}
        norm = _length_norm(length)
        doc_bits = (_TIE_DOC - doc) << 16
        # term_score and _pack, once per distinct term frequency (most terms occur once or twice)
        base = {tf: (min(SCORE_BITS, int(tf * SCORE_BITS / (tf + norm) + 0.5)) or 1) << 48 | doc_bits
                for tf in set(counts.values())}
        return list(counts), [base[tf] | first_slot[term] for term, tf in counts.items()]

    def doc_file(self, doc: int) -> str:
        """Path of a cable's hit file inside the ``search`` folder."""
        return f"d/{doc // DOCS_PER_FOLDER}/{doc}.json.gz"

    def _write_doc(self, doc: int, cable: Cable, url: str) -> None:
        record = {"i": cable.id, "s": cable.title, "d": cable.date.date().isoformat() if cable.date else "",
                  "o": cable.origin or "", "c": cable.classification or "", "u": url,
                  "p": [[p.anchor, p.text] for p in cable.paragraphs]}
        path = self.docs_dir.parent / self.doc_file(doc)
        write_new_file(path, gzipped(_json_bytes(record)))

    def _spill(self) -> None:
        """Write the open segment's batch, sorted by term, to a run file of that segment."""
        if not self.batch or self.open_segment is None:
            return
        segment = self.open_segment
        runs = self.runs_of.setdefault(segment, [])
        path = self.state / f"{segment:05d}" / f"run{len(runs)}.pickle"
        path.parent.mkdir(exist_ok=True)
        _write_run(path, ((term, self.batch[term]) for term in sorted(self.batch)))
        runs.append(path)
        self.new_runs.append(path)
        self.batch = {}
        self.batch_size = 0

    def _close_segments(self) -> None:
        """Finish every segment: spill the open batch, bring in the previous state's runs and
        facets (without the changed documents), and save what the next build needs."""
        self._spill()
        self.open_segment = None
        for segment in range(self.segments):
            folder = self.state / f"{segment:05d}"
            folder.mkdir(exist_ok=True)
            facets = self.facets_of.setdefault(segment, {name: {} for name in FACETS})
            runs = self.runs_of.setdefault(segment, [])
            previous = self.previous_folder.get(segment)
            if previous is not None:
                dropped = self.changed[segment] | set(range(len(self.catalog), (segment + 1) * DOCS_PER_FOLDER))
                self.dropped |= dropped
                runs += _carry_over(previous, folder, dropped, facets, start=len(runs), removed=self.removed)
            first = segment * DOCS_PER_FOLDER
            integrity.write_sealed(folder / "keys.pickle", self.keys[first:first + DOCS_PER_FOLDER])
            integrity.write_sealed(folder / "facets.pickle", facets)
            integrity.write_sealed(folder / "runs.pickle", [run.name for run in runs])
            self.runs += runs

    def _merged_entries(self, capped: _CappedStore) -> Iterator[TermEntry]:
        """Every term's entry in term order, merged over all runs."""
        for term, postings in _merged_terms(self._fewer_runs()):
            entry = self._entry(term, postings, capped)  # runs are never cut: every cable holding the term is there
            if entry is not None:
                yield entry

    def _fewer_runs(self) -> list[Path]:
        """The runs, merged ``MERGE_FAN_IN`` at a time into runs in the work folder until no more
        than that are left (the state keeps the segments' own runs, for the next build)."""
        runs, level = list(self.runs), 0
        while len(runs) > MERGE_FAN_IN:
            merged = []
            for number, start in enumerate(range(0, len(runs), MERGE_FAN_IN)):
                merged.append(self.work / f"merged-{level}-{number}.pickle")
                _write_run(merged[-1], _merged_terms(runs[start:start + MERGE_FAN_IN]))
            if level:
                for path in runs:
                    path.unlink()
            runs, level = merged, level + 1
        return runs

    def _entry(self, term: str, postings: list[int], capped: _CappedStore) -> TermEntry | None:
        """A term's entry from all its postings (packed, any order): its df, and its ``cap`` best
        postings encoded in doc order. A capped term's full list is kept for the next build."""
        df = len(postings)
        if df > self.cap:  # the best ``cap`` (packed keys sort by score, then low doc); a sort beats nlargest
            postings.sort()
            capped.put(term, array("Q", postings))
            del postings[:-self.cap]
        elif not df:
            return None
        return _encoded(term, df, postings)

    def _can_patch(self) -> bool:
        """Whether the previous build's term list can be patched: it is complete, and every
        document it indexed is either reused or had its postings taken out of its segment's
        runs (``dropped``), so that the postings it loses are known (``removed``)."""
        root = self.previous_root
        if root is None:
            return False
        try:
            summary = json.loads((root / "summary.json").read_text(encoding="utf-8"))
            old_docs = int(summary["docs"])
            usable = summary.get("version") == STATE_VERSION and summary.get("cap") == self.cap
        except (OSError, ValueError, KeyError, TypeError):
            return False
        if not usable or not (root / "terms.pickle").is_file() or not (root / "capped.sqlite").is_file():
            return False
        old_segments = -(-old_docs // DOCS_PER_FOLDER)
        if any(segment >= self.segments or segment not in self.previous_folder for segment in range(old_segments)):
            return False
        return self.added - self.skipped <= max(DOCS_PER_FOLDER, PATCH_AT_MOST * len(self.catalog))

    def _patched_entries(self, capped: _CappedStore) -> Iterator[TermEntry]:
        """Every term's entry in term order, from the previous build's entries: a term no changed
        document holds (or held) keeps its entry as it was; the others lose the postings of the
        dropped documents (``removed``) and gain those of the documents analysed now. Equal to a
        full merge (tested): a capped term's full list comes from ``capped``, an uncapped one's
        from its entry."""
        assert self.previous_root is not None
        new: dict[str, list[int]] = {}
        for path in self.new_runs:
            for term, postings in _read_run(path):
                new.setdefault(term, []).extend(postings)
        removed = self.removed
        old_entries = _read_run(self.previous_root / "terms.pickle")
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
                entry = self._patched_capped(old, removed.get(term, ()), new.get(term, ()), capped)
            else:
                postings = [_pack(score, doc, slot) for doc, slot, score in decode_postings(old[3], old[2])] \
                    if old is not None else []
                gone = set(removed.get(term, ()))
                if len(gone) != sum(key in gone for key in postings):
                    raise _StaleState(f"the previous entry of {term!r} lacks postings its runs held")
                postings = [key for key in postings if key not in gone] + new.get(term, [])
                entry = self._entry(term, postings, capped)
            if entry is not None:
                yield entry

    def _patched_capped(self, old: TermEntry, removed: Iterable[int], added: Iterable[int],
                        capped: _CappedStore) -> TermEntry | None:
        """A capped term's entry after taking ``removed`` out of its full list and adding
        ``added``; its encoded postings are reused when its best ``cap`` stay the same."""
        term, _, count, body = old
        full = capped.get(term)  # packed, ascending: the best ``cap`` are at the end
        threshold = full[-count]  # the lowest posting of the entry
        top_changed = False
        for key in removed:
            at = bisect.bisect_left(full, key)
            if at == len(full) or full[at] != key:
                raise _StaleState(f"the full postings of {term!r} lack one its runs held")
            del full[at]
            top_changed = top_changed or key >= threshold
        for key in added:
            bisect.insort(full, key)
            top_changed = top_changed or key > threshold
        df = len(full)
        if df <= self.cap:
            capped.discard(term)
            return self._entry(term, full.tolist(), capped)
        capped.put(term, full)
        if not top_changed:  # the same best ``cap`` postings
            return term, df, count, body
        return _encoded(term, df, full[-self.cap:].tolist())

    def write(self, site_dir: Path) -> dict[str, int]:
        """Write ``search/`` into ``site_dir``: term shards, doc sets, hit files and the meta file."""
        if self.added != len(self.catalog):
            raise ValueError(f"search index saw {self.added} cables, the catalog holds {len(self.catalog)}")
        self._close_segments()
        out = self.work / "out"
        capped_path = self.state / "capped.sqlite"
        self.patched = self._can_patch()
        if self.patched:
            assert self.previous_root is not None
            shutil.copyfile(self.previous_root / "capped.sqlite", capped_path)
            self.progress(f"updating the terms of {self.added - self.skipped:,} changed cable(s)")
        else:
            self.progress(f"merging {len(self.runs)} run(s) into term shards")
        try:
            boundaries, terms, shard_bytes = self._write_terms(out / "t", capped_path)
        except (_StaleState, WorkStateError) as err:
            self.notice(f"the last build's search state does not fit ({err}); merging every run")
            self.patched = False
            shutil.rmtree(out / "t", ignore_errors=True)
            _remove_db(capped_path)
            boundaries, terms, shard_bytes = self._write_terms(out / "t", capped_path)
        facets = self._write_facets(out / "f")
        meta = {"version": FORMAT_VERSION, "docs": len(self.catalog), "cap": self.cap, "shards": boundaries,
                "folder": DOCS_PER_FOLDER, "years": self._years(), "facets": facets}
        (out / META_FILE).write_bytes(gzipped(_json_bytes(meta)))
        (self.state / "summary.json").write_text(json.dumps({"version": STATE_VERSION, "docs": len(self.catalog),
                                                             "cap": self.cap}), encoding="utf-8")
        target = site_dir / "search"
        if target.exists():
            shutil.rmtree(target)
        out.rename(target)
        self.facets_of.clear()  # what ``install`` needs is small; the facets are not
        self.progress(f"{terms:,} terms in {len(boundaries):,} shards ({shard_bytes / 1e6:.1f} MB)")
        return {"terms": terms, "shards": len(boundaries), "shard_bytes": shard_bytes}

    def install(self, built: Path, live: Path) -> None:
        """Put the index ``write`` made (``built``) in the place of the previous one (``live``),
        which it was built against, touching only what changed: the hit files written anew (each
        replaced by a rename), the term shards and facets (folders swapped) and the meta file.
        New hit files come first and hit files of documents no longer indexed go last, so that
        a reader mid-way never meets a term pointing at a missing file."""
        retired = built.parent / "retired"
        if retired.exists():
            shutil.rmtree(retired)
        retired.mkdir()
        for segment in range(self.segments):
            new, old = built / "d" / str(segment), live / "d" / str(segment)
            if segment in self.previous_folder:  # a folder of the live index, with only changes written
                if new.is_dir():
                    for path in new.iterdir():
                        os.replace(path, old / path.name)
            elif new.is_dir():
                if old.exists():
                    old.rename(retired / f"d{segment}")
                new.rename(old)
        for name in ("t", "f"):
            if (live / name).exists():
                (live / name).rename(retired / name)
            (built / name).rename(live / name)
        os.replace(built / META_FILE, live / META_FILE)
        for doc in self.gone:
            (live / self.doc_file(doc)).unlink(missing_ok=True)
        for folder in (live / "d").iterdir():  # segments past the new end
            if not folder.name.isdigit() or int(folder.name) >= self.segments:
                folder.rename(retired / f"gone-{folder.name}")
        shutil.rmtree(retired)
        shutil.rmtree(built)

    def _write_terms(self, folder: Path, capped_path: Path) -> tuple[list[str], int, int]:
        capped = _CappedStore(capped_path)
        try:
            entries = self._patched_entries(capped) if self.patched else self._merged_entries(capped)
            return self._write_shards(folder, entries)
        finally:
            capped.close()

    def _write_shards(self, folder: Path, entries: Iterable[TermEntry]) -> tuple[list[str], int, int]:
        """Cut the entries into shards of about ``SHARD_BYTES``; the entries are kept in the state
        too (``terms.pickle``), for the next build to patch."""
        folder.mkdir(parents=True)
        boundaries: list[str] = []
        parts: list[bytes] = []
        size = total = terms = 0
        previous = b""

        def flush() -> None:
            nonlocal parts, size, total, previous
            (folder / f"{len(boundaries) - 1}.bin.gz").write_bytes(gzipped(b"".join(parts)))
            total += size
            parts, size, previous = [], 0, b""

        def written() -> Iterator[TermEntry]:
            nonlocal size, previous, terms
            for entry in entries:
                term, df, count, body = entry
                if not parts:
                    boundaries.append(term)
                encoded = term.encode("utf-8")
                part = encode_term_entry_parts(previous, encoded, df, count, body)
                parts.append(part)
                size += len(part)
                previous = encoded
                terms += 1
                if size >= SHARD_BYTES:
                    flush()
                yield entry

        _write_run(self.state / "terms.pickle", written(), weight=lambda entry: entry[2])  # postings it stores
        if parts:
            flush()
        return boundaries, terms, total

    def _write_facets(self, folder: Path) -> dict[str, list[list[str | int]]]:
        """One doc-set file per facet value; meta lists [label, count] in label order, and a
        country's name after them (the filter shows names, the search page's URL the code)."""
        combined: dict[str, dict[str, list[int]]] = {name: {} for name in FACETS}
        for segment in sorted(self.facets_of):
            for facet, values in self.facets_of[segment].items():
                for value, docs in values.items():
                    combined[facet].setdefault(value, []).extend(docs)
        listing: dict[str, list[list[str | int]]] = {}
        for facet, values in combined.items():
            listing[facet] = []
            (folder / facet).mkdir(parents=True)
            for number, (label, docs) in enumerate(sorted(values.items())):
                docs.sort()
                (folder / facet / f"{number}.bin").write_bytes(encode_doc_set(docs, len(self.catalog)))
                name = country_name(label) if facet == "country" else label
                listing[facet].append([label, len(docs)] if name == label else [label, len(docs), name])
        return listing

    def _years(self) -> list[list[int]]:
        """[year, first doc, end doc): the docs are sorted by date, so a year is a range of ids."""
        years: list[list[int]] = []
        for number, entry in enumerate(self.catalog):
            if entry.date is None:
                continue
            if years and years[-1][0] == entry.date.year:
                years[-1][2] = number + 1
            else:
                years.append([entry.date.year, number, number + 1])
        return years


def _encoded(term: str, df: int, postings: list[int]) -> TermEntry:
    """A term's entry from the postings it shows (packed, any order), put in doc order."""
    doc_mask = _TIE_DOC
    triples = sorted([(_TIE_DOC - ((key >> 16) & doc_mask), key & 0xFFFF, key >> 48) for key in postings])
    return term, df, len(triples), encode_postings(triples)


def _json_bytes(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _postings_of(item: tuple[str, list[int]]) -> int:
    return len(item[1])


def _write_run(path: Path, terms: Iterable[Any], weight: Callable[[Any], int] = _postings_of) -> None:
    """A run file: (term, packed postings) in term order, pickled in chunks (``_chunks``), each chunk
    sealed and the file closed by an end mark (``integrity.write_stream``): a run cut at a chunk
    boundary, or changed, fails when it is read instead of losing terms silently. Sealed under
    "run", not the file's name: a reused run is linked under another name."""
    with path.open("wb") as run:
        integrity.write_stream(run, _chunks(terms, weight), "run")


def _chunks(items: Iterable[T], weight: Callable[[T], int]) -> Iterator[list[T]]:
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


def _merged_terms(runs: list[Path]) -> Iterator[tuple[str, list[int]]]:
    """Each term of ``runs`` once, in term order, with the postings of all of them."""
    merged = heapq.merge(*(_read_run(path) for path in runs), key=itemgetter(0))
    for term, group in groupby(merged, key=itemgetter(0)):
        postings: list[int] = []
        for _, run_postings in group:
            postings += run_postings
        yield term, postings


def _read_run(path: Path) -> Iterator[tuple[str, list[int]]]:
    for chunk in integrity.read_stream(path, "run"):
        yield from chunk


def _remove_db(path: Path) -> None:
    for name in (path.name, path.name + "-journal", path.name + "-wal", path.name + "-shm"):
        path.with_name(name).unlink(missing_ok=True)


def _carry_over(previous: Path, folder: Path, dropped: set[int], facets: dict[str, dict[str, list[int]]],
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
            _write_run(target, _without(_read_run(previous / name), dropped, removed))
        runs.append(target)
    return runs


def _without(terms: Iterable[tuple[str, list[int]]], dropped: set[int],
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


class _StaleState(Exception):
    """The previous build's state does not fit what this build found in it: merge in full."""


class _CappedStore:
    """The full postings of the capped terms (a term shard holds only their best ``cap``), kept
    in the state so that a rebuild can take a changed cable out of such a term exactly."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path)
            # A rollback journal (not WAL): a kill mid-write leaves the last commit, and the file
            # alone is the whole database, which the next build copies.
            self.db.execute("PRAGMA journal_mode=DELETE")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("CREATE TABLE IF NOT EXISTS capped (term TEXT PRIMARY KEY, postings BLOB NOT NULL)")
        except sqlite3.DatabaseError as err:
            raise WorkStateError(f"{path}: {err}") from err

    def put(self, term: str, postings: array) -> None:
        """Keep ``postings`` (packed, sorted ascending) as the term's full list (sealed, see integrity.py)."""
        self.db.execute("INSERT OR REPLACE INTO capped VALUES (?, ?)",
                        (term, integrity.seal(postings.tobytes(), term)))

    def get(self, term: str) -> array:
        try:
            row = self.db.execute("SELECT postings FROM capped WHERE term = ?", (term,)).fetchone()
        except sqlite3.DatabaseError as err:
            raise _StaleState(f"{self.path}: {err}") from err
        if row is None:
            raise _StaleState(f"no full postings of the capped term {term!r}")
        postings = array("Q")
        try:
            postings.frombytes(integrity.unseal(row[0], term, f"{self.path} (term {term!r})"))
        except WorkStateError as err:
            raise _StaleState(str(err)) from err
        return postings

    def discard(self, term: str) -> None:
        self.db.execute("DELETE FROM capped WHERE term = ?", (term,))

    def close(self) -> None:
        self.db.commit()
        self.db.close()
