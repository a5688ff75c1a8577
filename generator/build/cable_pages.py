"""The page pass's jobs: per cable, its Markdown page, its HTML (stamped), its JSON and its
search analysis; and the stamping of index pages. Run in worker processes.

Owns the jobs and their results, the state the workers read (``pass2_state``: small, sent to
each worker once; a worker is started afresh, not forked from the build process, so that it
holds none of the build's per-cable memory) and the choice, in the build process, of which
cables need a job at all (``cable_page_jobs``). A worker reads a cable's catalog entry and
links from the build's catalog database (``catalog_db.py``), its cable from the store. A
worker writes only its own files in the staging site, and its page's Markdown under ``docs``
only when no frame fits it (MkDocs renders it from there): a stamped cable page needs none, and
a 25-30 KB Markdown file per cable was a quarter of the bytes a 10k build wrote. The manifest
and the search index are fed from the results, in the build process (``page_pass.py``)."""

from __future__ import annotations

import copy
import itertools
import multiprocessing
import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..indexes.taxonomy import Chips, ChipTable
from ..integrity import fault_point, state_key, use_state_key
from ..model import Cable, CatalogEntry
from ..parallel import Done
from ..render.stamp import Frames, stamp_generated, stamp_pages
from ..search import SearchIndexer
from ..store import CableStore, page_key
from ..write.exports import write_cable_json
from ..write.files import write_new_file
from ..write.markdown import cable_page
from ..write.paths import doc_path_for_url, safe_join
from .catalog_db import CatalogDb
from .contexts import ChipMemo, cable_page_key, link_context, page_context

if TYPE_CHECKING:
    from ..search.index import CableAnalysis

STAMP_JOB_PAGES = 16  # index pages per stamping job (a cable page job is one page)

# State of the page pass in a worker (``init_pass2_worker``); read-only there.
_PASS2: dict[str, Any] = {}
_STORE_READERS: dict[int, CableStore] = {}


def write_file(root: Path, relative: str, text: str) -> None:
    """Write a generated Markdown page (a new file: see ``write.files``), refusing paths that leave ``root``."""
    write_new_file(safe_join(root, relative), text.encode("utf-8"))


class SearchAnalyzer:
    """What a worker needs of the build's ``SearchIndexer``: ``analyze`` for a document number.

    A copy of the indexer without its per-document tables (catalog, keys, the id-to-number
    map, the segments to analyse again): those grow with the archive, and the worker is told
    the document's number in its job instead."""

    def __init__(self, indexer: SearchIndexer) -> None:
        light = copy.copy(indexer)
        light.catalog, light.keys, light.doc_of, light.changed = [], [], {}, {}
        self.indexer = light

    def analyze(self, doc: int, cable: Cable, url: str) -> CableAnalysis:
        self.indexer.doc_of = {cable.id: doc}  # the one document ``analyze`` looks up
        return self.indexer.analyze(cable, url)


def pass2_state(*, links: CatalogDb, chips: ChipTable, search: SearchIndexer, docs: Path, store_path: Path,
                frames: Frames, staging: Path, keep_markdown: bool) -> dict[str, Any]:
    """What a page worker is given, once: paths, the page frames, the chip table, the search
    analyzer and the build's state key (the store's rows are sealed with it). Its size grows
    with the taxonomy and the frames, never with the number of cables."""
    return {"links": links, "chips": chips, "search": SearchAnalyzer(search), "docs": docs, "store_path": store_path,
            "frames": frames, "staging": staging, "keep_markdown": keep_markdown, "key": state_key()}


def init_pass2_worker(state: dict[str, Any]) -> None:
    """A pass-2 worker's state (in the build process too, for the jobs it runs itself)."""
    clear_worker_state()
    use_state_key(state["key"])
    _PASS2.update(state)
    _PASS2["chip_memo"] = ChipMemo(state["chips"])


def clear_worker_state() -> None:
    """Drop the workers' state and this process's store connection once the pass is over."""
    links = _PASS2.get("links")
    if isinstance(links, CatalogDb):
        links.close()
    _PASS2.clear()
    _STORE_READERS.clear()


def _store_reader() -> CableStore:
    """The read connection of this process: SQLite connections must not cross a fork."""
    pid = os.getpid()
    if pid not in _STORE_READERS:
        _STORE_READERS.clear()
        _STORE_READERS[pid] = CableStore(_PASS2["store_path"], load_digests=False)
    return _STORE_READERS[pid]


class CablePageResult(NamedTuple):
    rel: str  # the page's Markdown path
    key: str  # hash of its inputs (manifest)
    written: bool  # written anew by this build
    stamped: bool  # its HTML is in the staging site already (see render/stamp.py)
    analysis: bytes | None  # pickled search analysis; None when the search index has it from the last build


class CablePageJob(NamedTuple):
    """A cable page to make anew (its Markdown and HTML), or to analyse for search, or both."""

    doc: int  # position in the catalog (the search index's doc id)
    key: str | None  # the page key (``cable_page_key``), or None for the worker to work out
    write: bool  # the page's inputs changed (or it is new): write and stamp it
    analyse: bool  # the search index needs its analysis (it has not the last build's)


class StampJob(NamedTuple):
    """Index pages written by this build, to stamp with their frames (see render/stamp.py)."""

    pages: tuple[str, ...]


class StampResult(NamedTuple):
    stamped: int  # pages stamped
    left: list[str]  # pages no frame fits: MkDocs renders them


def cable_page_jobs(catalog: list[CatalogEntry], digests: dict[str, str], previous: dict[str, str],
                    search_index: SearchIndexer, links: CatalogDb, chips: Chips) -> Iterator[CablePageJob | Done]:
    """Per cable, in catalog order: a job for the workers, or (a page whose key is as the last
    build left it, and whose search analysis the index has) its result, with no work."""
    memo = ChipMemo(chips)
    steps = links.walk() if previous else itertools.repeat(None)  # a rebuild asks every cable's links
    for doc, entry in enumerate(catalog):
        next(steps)
        rel = doc_path_for_url(entry.url)
        analyse = search_index.needs_analysis(doc)
        if rel not in previous:  # a page the last build did not make (all, in a clean build): the
            yield CablePageJob(doc, None, True, analyse)  # worker works its key out, in parallel
            continue
        key = cable_page_key(entry, digests[entry.id], links, memo)
        write = previous[rel] != key
        if write or analyse:
            yield CablePageJob(doc, key, write, analyse)
        else:
            yield Done(CablePageResult(rel, key, False, False, None))


def stamp_jobs(index_pages: list[str]) -> Iterator[StampJob]:
    """The stamping of ``index_pages``, a few pages per job."""
    for start in range(0, len(index_pages), STAMP_JOB_PAGES):
        yield StampJob(tuple(index_pages[start:start + STAMP_JOB_PAGES]))


def pass2_task(job: CablePageJob | StampJob) -> CablePageResult | StampResult:
    """A page-pass job in a worker: a cable page, or the stamping of a few index pages."""
    if multiprocessing.parent_process() is not None:
        fault_point("pass2-worker")
    if isinstance(job, CablePageJob):
        return _cable_page_task(job)
    left = stamp_pages(_PASS2["frames"], _PASS2["docs"], _PASS2["staging"], job.pages)
    return StampResult(len(job.pages) - len(left), left)


def _cable_page_task(job: CablePageJob) -> CablePageResult:
    """The page pass for one cable (in a worker): its Markdown page and its HTML if its inputs
    changed, and its search analysis (postings and hit file) unless the search index has it from
    the last build. The cable itself is loaded only when one of them must be made anew."""
    state = _PASS2
    links: CatalogDb = state["links"]
    entry, digest = links.entry(job.doc)
    cable: Cable | None = None

    def load() -> Cable:
        data = _store_reader().get(digest)
        if data is None:  # pragma: no cover - the store is written and flushed before pass 2
            raise RuntimeError(f"cable {entry.id} missing from the work store")
        return pickle.loads(data)

    rel = doc_path_for_url(entry.url)
    key, context = job.key, None
    if key is None or job.write:  # the page's context gives its key too: worked out once
        context = link_context(entry, links, state["chips"], state["chip_memo"])
        key = key or page_key(digest, repr(context))
    stamped = False
    if job.write:
        cable = load()
        text, meta = cable_page(cable, entry.url, page_context(cable, context))
        write_cable_json(state["staging"], entry.url, cable)  # data for reuse, beside the page
        frames: Frames = state["frames"]
        stamped = bool(frames.by_kind) and stamp_generated(frames, rel, text, meta, state["staging"])
        if not stamped or state["keep_markdown"]:  # MkDocs renders it, from the docs folder
            write_file(state["docs"], rel, text)
        elif job.key is not None:  # the last build had the page: it may have left it for MkDocs
            (state["docs"] / rel).unlink(missing_ok=True)
    analysis = None
    if job.analyse:  # the catalog's order is the search index's doc order
        search: SearchAnalyzer = state["search"]
        analysis = pickle.dumps(search.analyze(job.doc, cable or load(), entry.url), protocol=pickle.HIGHEST_PROTOCOL)
    return CablePageResult(rel, key, job.write, stamped, analysis)
