"""The page pass's jobs: per cable, its Markdown page, its HTML (stamped), its JSON and its
search analysis; and the stamping of index pages. Run in worker processes.

Owns the jobs and their results, the state the workers read (``set_worker_state``: set in the build
process before the pool forks, read-only in the workers) and the choice, in the build
process, of which cables need a job at all (``cable_page_jobs``). A worker writes only its own
files in the staging site, and its page's Markdown under ``docs`` only when no frame fits it
(MkDocs renders it from there): a stamped cable page needs none, and a 25-30 KB Markdown file
per cable was a quarter of the bytes a 10k build wrote. The manifest and the search index are
fed from the results, in the build process (``page_pass.py``)."""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from ..enrich.links import LinkIndex
from ..indexes.taxonomy import Taxonomy
from ..integrity import fault_point
from ..model import Cable, CatalogEntry
from ..parallel import Done
from ..render.stamp import Frames, stamp_generated, stamp_pages
from ..search import SearchIndexer
from ..store import CableStore, page_key
from ..write.exports import write_cable_json
from ..write.files import write_new_file
from ..write.markdown import cable_page
from ..write.paths import doc_path_for_url, safe_join
from .contexts import ChipMemo, cable_page_key, link_context, page_context

STAMP_JOB_PAGES = 16  # index pages per stamping job (a cable page job is one page)

# State of the page pass, prepared by the build process before the worker pool forks (read-only there).
_PASS2: dict[str, Any] = {}
_STORE_READERS: dict[int, CableStore] = {}


def write_file(root: Path, relative: str, text: str) -> None:
    """Write a generated Markdown page (a new file: see ``write.files``), refusing paths that leave ``root``."""
    write_new_file(safe_join(root, relative), text.encode("utf-8"))


def set_worker_state(**state: Any) -> None:
    """What the workers read (the catalog, links, taxonomy, frames, search index, folders):
    set before the pool forks, so that each worker has it without it being sent."""
    _PASS2.update(state)


def init_pass2_worker(state: dict[str, Any]) -> None:
    """A pass-2 worker's state: a forked one has it already, a Dask worker receives it."""
    _PASS2.update(state)
    _STORE_READERS.clear()


def worker_state() -> dict[str, Any]:
    """A copy of the state ``set_worker_state`` set, for ``init_pass2_worker`` in workers elsewhere."""
    return dict(_PASS2)


def clear_worker_state() -> None:
    """Drop the workers' state and this process's store connection once the pass is over."""
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


class StampJob(NamedTuple):
    """Index pages written by this build, to stamp with their frames (see render/stamp.py)."""

    pages: tuple[str, ...]


class StampResult(NamedTuple):
    stamped: int  # pages stamped
    left: list[str]  # pages no frame fits: MkDocs renders them


def cable_page_jobs(catalog: list[CatalogEntry], digests: dict[str, str], previous: dict[str, str],
                    search_index: SearchIndexer, links: LinkIndex,
                    taxonomy: Taxonomy) -> Iterator[CablePageJob | Done]:
    """Per cable, in catalog order: a job for the workers, or (a page whose key is as the last
    build left it, and whose search analysis the index has) its result, with no work."""
    chips = ChipMemo(taxonomy)
    for doc, entry in enumerate(catalog):
        rel = doc_path_for_url(entry.url)
        if rel not in previous:  # a page the last build did not make (all, in a clean build): the
            yield CablePageJob(doc, None, True)  # worker works its key out, in parallel
            continue
        key = cable_page_key(entry, digests[entry.id], links, chips)
        write = previous[rel] != key
        if write or search_index.needs_analysis(doc):
            yield CablePageJob(doc, key, write)
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
    entry: CatalogEntry = state["catalog"][job.doc]
    digest = state["digests"][entry.id]
    cable: Cable | None = None

    def load() -> Cable:
        data = _store_reader().get(digest)
        if data is None:  # pragma: no cover - the store is written and flushed before pass 2
            raise RuntimeError(f"cable {entry.id} missing from the work store")
        return pickle.loads(data)

    rel = doc_path_for_url(entry.url)
    if "chips" not in state:
        state["chips"] = ChipMemo(state["taxonomy"])
    key, context = job.key, None
    if key is None or job.write:  # the page's context gives its key too: worked out once
        context = link_context(entry, state["links"], state["taxonomy"], state["chips"])
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
    search: SearchIndexer = state["search"]
    analysis = None
    if search.needs_analysis(job.doc):  # the catalog's order is the search index's doc order
        analysis = pickle.dumps(search.analyze(cable or load(), entry.url), protocol=pickle.HIGHEST_PROTOCOL)
    return CablePageResult(rel, key, job.write, stamped, analysis)
