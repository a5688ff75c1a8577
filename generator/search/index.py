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

This module is the indexer, which runs the steps; each step has its own module: ``postings``
(packing and scores), ``runs`` (run files and their merge), ``capped`` (the full lists of capped
terms), ``patch`` (what a rebuild carries over and patches) and ``shards`` (the files written).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from .. import integrity
from ..integrity import WorkStateError
from ..model import Cable, CatalogEntry
from .analysis import cable_terms
from .capped import CappedStore, StaleState, remove_db
from .encode import gzipped
from .hitfiles import PART_CHARS, doc_file, remove_parts, write_hit_files
from .patch import carry_over, patched_entries
from .postings import (
    _TIE_DOC,
    SCORE_BITS,
    CableAnalysis,
    TermEntry,
    _length_norm,
    _pack,
    _unpack,
    term_entry,
    term_score,
)
from .runs import fewer_runs, merged_terms, write_run
from .shards import META_FILE, json_bytes, read_meta, write_facets, write_shards, years

# Names tests and other modules import from here (defined in the modules this one is made of)
__all__ = ["META_FILE", "CableAnalysis", "SearchIndexer", "TermEntry", "_pack", "_unpack", "read_meta", "term_score"]

FORMAT_VERSION = 2  # 2: stem entries ("<stem> ") and names in slot 0
DEFAULT_CAP = 2000  # cables kept per term: about 6 KB of postings at most
BATCH_POSTINGS = 400_000  # postings held in memory before a spill (~25 MB)
DOCS_PER_FOLDER = 1000  # hit files per folder, and documents per segment
FACETS = ("origin", "classification", "country", "topic")
STATE_VERSION = 1  # of what a build leaves for the next (summary.json, terms.pickle, capped.sqlite)
PATCH_AT_MOST = 0.1  # share of the documents analysed anew up to which a rebuild patches the term list


def _parts_in(names: set[str], doc: int) -> int:
    """How many parts of ``doc``'s hit file ``names`` (a folder's file names) hold."""
    parts = 0
    while Path(doc_file(doc, 1, parts)).name in names:
        parts += 1
    return parts


def _quiet(_message: str) -> None:
    """A sink that drops what it is told."""


def _stderr(message: str) -> None:
    print(f"search: {message}", file=sys.stderr, flush=True)


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
                 notice: Callable[[str], None] | None = None, part_chars: int = PART_CHARS) -> None:
        """``catalog`` sorted as the site lists cables (date, id): its order gives doc ids.
        ``part_chars``: the text a hit file's part holds (hitfiles.py; smaller in tests).
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
        self.part_chars = part_chars
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
        write_hit_files(self.docs_dir.parent, doc, DOCS_PER_FOLDER, cable, url, self.part_chars)
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

    def doc_file(self, doc: int, part: int = 0) -> str:
        """Path of a cable's hit file (or of its part ``part``) inside the ``search`` folder."""
        return doc_file(doc, DOCS_PER_FOLDER, part)

    def _spill(self) -> None:
        """Write the open segment's batch, sorted by term, to a run file of that segment."""
        if not self.batch or self.open_segment is None:
            return
        segment = self.open_segment
        runs = self.runs_of.setdefault(segment, [])
        path = self.state / f"{segment:05d}" / f"run{len(runs)}.pickle"
        path.parent.mkdir(exist_ok=True)
        write_run(path, ((term, self.batch[term]) for term in sorted(self.batch)))
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
                runs += carry_over(previous, folder, dropped, facets, start=len(runs), removed=self.removed)
            first = segment * DOCS_PER_FOLDER
            integrity.write_sealed(folder / "keys.pickle", self.keys[first:first + DOCS_PER_FOLDER])
            integrity.write_sealed(folder / "facets.pickle", facets)
            integrity.write_sealed(folder / "runs.pickle", [run.name for run in runs])
            self.runs += runs

    def _merged_entries(self, capped: CappedStore) -> Iterator[TermEntry]:
        """Every term's entry in term order, merged over all runs."""
        for term, postings in merged_terms(fewer_runs(self.runs, self.work)):
            # runs are never cut: every cable holding the term is there
            entry = term_entry(term, postings, self.cap, capped)
            if entry is not None:
                yield entry

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
        except (StaleState, WorkStateError) as err:
            self.notice(f"the last build's search state does not fit ({err}); merging every run")
            self.patched = False
            shutil.rmtree(out / "t", ignore_errors=True)
            remove_db(capped_path)
            boundaries, terms, shard_bytes = self._write_terms(out / "t", capped_path)
        facets = write_facets(out / "f", self.facets_of, FACETS, len(self.catalog))
        meta = {"version": FORMAT_VERSION, "docs": len(self.catalog), "cap": self.cap, "shards": boundaries,
                "folder": DOCS_PER_FOLDER, "years": years(self.catalog), "facets": facets}
        (out / META_FILE).write_bytes(gzipped(json_bytes(meta)))
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
        stale: list[tuple[int, int]] = []  # (doc rewritten, its parts now): its later parts of before go
        for segment in range(self.segments):
            new, old = built / "d" / str(segment), live / "d" / str(segment)
            if segment in self.previous_folder:  # a folder of the live index, with only changes written
                written = {path.name for path in new.iterdir()} if new.is_dir() else set()
                for name in written:
                    os.replace(new / name, old / name)
                stale.extend((doc, _parts_in(written, doc)) for doc in sorted(self.changed[segment]))
            elif new.is_dir():
                if old.exists():
                    old.rename(retired / f"d{segment}")
                new.rename(old)
        for name in ("t", "f"):
            if (live / name).exists():
                (live / name).rename(retired / name)
            (built / name).rename(live / name)
        os.replace(built / META_FILE, live / META_FILE)
        for doc, parts in stale:
            remove_parts(live, doc, DOCS_PER_FOLDER, parts)
        for doc in self.gone:
            remove_parts(live, doc, DOCS_PER_FOLDER, 0)
        for folder in (live / "d").iterdir():  # segments past the new end
            if not folder.name.isdigit() or int(folder.name) >= self.segments:
                folder.rename(retired / f"gone-{folder.name}")
        shutil.rmtree(retired)
        shutil.rmtree(built)

    def _write_terms(self, folder: Path, capped_path: Path) -> tuple[list[str], int, int]:
        capped = CappedStore(capped_path)
        try:
            if self.patched:
                assert self.previous_root is not None
                entries = patched_entries(self.previous_root / "terms.pickle", self.new_runs, self.removed, self.cap,
                                          capped)
            else:
                entries = self._merged_entries(capped)
            return write_shards(folder, entries, self.state / "terms.pickle")
        finally:
            capped.close()
