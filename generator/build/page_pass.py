"""Pass 2, the pages: a Markdown page per index page and per cable, written only when its
inputs changed, stamped into its frame where one fits, and the search index fed.

Owns the order of the pass (index pages and frames first, in this process; then the cable
pages and the stamping of index pages in the workers) and the book-keeping of its results in
the build process: the manifest's page entries, the pages left for MkDocs to render
(``unrendered``), the search index's merges in catalog order (deterministic). What a page says
is ``contexts.py``'s and ``write/``'s; what may be reused, ``rebuild.py``'s; it does not touch
the site folder."""

from __future__ import annotations

import itertools
import os
import pickle
import time
from pathlib import Path

from ..enrich.config import ConfigError, SiteTables
from ..enrich.links import Links
from ..indexes.taxonomy import Taxonomy
from ..integrity import fault_point
from ..parallel import ordered_map
from ..progress import Progress, chatter
from ..render.pages import RenderResult, markdown_kept
from ..render.shards import nav_pages
from ..render.stamp import Frames
from ..search import SearchIndexer
from ..search.index import DEFAULT_CAP
from ..store import CableStore, Manifest, page_key
from .cable_pages import (
    StampResult,
    cable_page_jobs,
    clear_worker_state,
    init_pass2_worker,
    pass2_state,
    pass2_task,
    stamp_jobs,
)
from .catalog import IN_PROCESS_FIRST, Catalog
from .catalog_db import NAME as CATALOG_DB
from .catalog_db import CatalogDb, write_catalog_db
from .index_pages import IndexPages, IndexStage
from .report import BuildReport


def search_cap() -> int:
    """Cables the search index keeps per term (``CABLESITE_SEARCH_CAP``, default 2,000): a word
    in more cables keeps its best-scoring ones, and the browser checks the text where the cut
    lists may miss a cable (search-engine.js). Smaller for tests of that check on a small archive,
    larger for a publisher who trades bytes per query for fewer cut lists."""
    value = os.environ.get("CABLESITE_SEARCH_CAP", "")
    if not value:
        return DEFAULT_CAP
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"CABLESITE_SEARCH_CAP={value!r}: a whole number of cables of at least 1")
    return int(value)


class PagePass:
    """Pass 2 of one build. What is left to render afterwards (index pages, and pages no frame
    fits) is in ``unrendered``; the fed search index, in ``search_index``."""

    def __init__(self, catalog: Catalog, store: CableStore, tables: SiteTables, docs: Path, site_name: str,
                 previous: Manifest, manifest: Manifest, report: BuildReport, work: Path, progress: bool,
                 workers: int, staging: Path, live_search: Path | None) -> None:
        self.catalog, self.store, self.tables, self.docs = catalog, store, tables, docs
        self.previous, self.manifest, self.report = previous, manifest, report
        self.work, self.progress, self.workers = work, progress, workers
        self.staging, self.live_search = staging, live_search
        self.index_pages = IndexPages(catalog, store.path, docs, site_name, previous, manifest.fingerprint, work,
                                      staging)
        self.changed: list[str] = []  # Markdown pages written anew by this build
        self.unrendered: list[str] = []  # of which those still to be rendered after pass 2
        self.stamped = 0  # pages the workers stamped (cable pages as they were written, and index pages)
        self.frames = Frames()
        self.search_index: SearchIndexer | None = None

    def run(self, config_file: Path, fingerprint: str, reuse: bool) -> RenderResult:
        """Write every page; returns what rendering the cable pages did so far."""
        self.store.flush()
        mark = time.perf_counter()
        links = write_catalog_db(self.work / CATALOG_DB, self.catalog.entries, self.catalog.digests,
                                 notice=lambda message: self.report.notes.append(
                                     {"source": "catalog database", "id": None, "message": message}))
        self.report.seconds["catalog_db"] = time.perf_counter() - mark
        taxonomy = Taxonomy.build(self.catalog.entries, self.tables)
        self.report.notes.extend({"source": "indexes", "id": None, "message": m} for m in taxonomy.renamed)
        index = self._index_stage(links, taxonomy, config_file, fingerprint, reuse)
        self.manifest.pages.update(index.pages)
        self.manifest.lists.update(index.lists)
        self.report.index_pages += index.count
        self.report.seconds.update(index.seconds)
        self.changed += index.written
        self.frames = index.frames
        mark = time.perf_counter()
        # The index pages a frame may fit are stamped by the cable workers after the cables, so
        # that no process waits for them at the end; the navigation pages the frames' MkDocs
        # run rendered stay in ``unrendered`` (``render_with_frames`` leaves them as they are).
        stampable = bool(self.frames.by_kind)
        navigation = set(nav_pages(config_file)) if stampable else set()
        to_stamp = [rel for rel in index.written if stampable and rel not in navigation]
        self.unrendered += [rel for rel in index.written if not stampable or rel in navigation]
        try:
            self._write_cable_pages(links, taxonomy, to_stamp)
        finally:
            links.close()
        self.report.seconds["write_cables"] = time.perf_counter() - mark
        rendered = index.rendered
        rendered.pages += self.stamped
        rendered.stamped += self.stamped
        return rendered

    def _index_stage(self, links: Links, taxonomy: Taxonomy, config_file: Path, fingerprint: str,
                     reuse: bool) -> IndexStage:
        """The index pages and the page frames, in this process.

        Not in forked children any more: a child forked here counts the whole catalog and
        taxonomy again (at 50,000 cables the summed peak became this stage's, 838 MB: the build
        process and two children of ~300 MB each, once pass 2's workers no longer were forked).
        The garbage index pages and MkDocs leave in this heap is counted once: the page
        workers started next are not forked from this process (``cable_pages.pass2_state``)."""
        pages = self.index_pages
        return pages.frames(pages.share(taxonomy, (0, 1)), links, taxonomy, config_file, fingerprint, reuse)

    def _search_indexer(self) -> SearchIndexer:
        """The search index of this build, continuing the last one's state where it may."""
        catalog = self.catalog
        # A search document's key: its cable, its position and its URL (what its postings and hit file hold).
        keys = [page_key(catalog.digests[entry.id], str(doc), entry.url) for doc, entry in enumerate(catalog.entries)]
        reusable = self.previous.search_state and self.live_search is not None and self.live_search.is_dir()
        return SearchIndexer(
            self.work / "search", catalog.entries, keys=keys, state=self.work / self.manifest.search_state,
            previous_state=self.work / self.previous.search_state if reusable else None,
            previous_search=self.live_search if reusable else None, progress=chatter("search"), cap=search_cap(),
            notice=lambda message: self.report.notes.append({"source": "search state", "id": None,
                                                              "message": message}))

    def _write_cable_pages(self, links: CatalogDb, taxonomy: Taxonomy, index_pages: list[str]) -> None:
        """The cable pages, and then the stamping of ``index_pages``, in the workers (started
        afresh: a forked one would count the build's catalog again, see ``pass2_state``)."""
        report, manifest, catalog = self.report, self.manifest, self.catalog
        self.search_index = search_index = self._search_indexer()
        chips = taxonomy.chips()
        state = pass2_state(links=links, chips=chips, search=search_index, docs=self.docs, store_path=self.store.path,
                            frames=self.frames, staging=self.staging, keep_markdown=markdown_kept())
        ticker = Progress("write", total=len(catalog.entries), enabled=self.progress)
        jobs = itertools.chain(cable_page_jobs(catalog.entries, catalog.digests, self.previous.pages,
                                               search_index, links, chips),
                               stamp_jobs(index_pages))
        doc = -1
        try:
            for result in ordered_map(pass2_task, jobs, self.workers, chunksize=16,
                                      in_process_first=IN_PROCESS_FIRST, initializer=init_pass2_worker,
                                      initargs=(state,), fresh_workers=True):
                if isinstance(result, StampResult):
                    self.stamped += result.stamped
                    self.unrendered += result.left
                    continue
                doc += 1
                if doc == IN_PROCESS_FIRST + 8:
                    fault_point("pass2-merge")  # test hook: the workers are running
                manifest.pages[result.rel] = result.key
                if result.written:
                    self.changed.append(result.rel)
                    report.pages_written += 1
                    if result.stamped:
                        self.stamped += 1
                    else:
                        self.unrendered.append(result.rel)
                if result.analysis is None:
                    search_index.skip(doc)
                else:
                    search_index.merge(pickle.loads(result.analysis))
                report.built += 1
                ticker.step()
            ticker.close()
        finally:
            clear_worker_state()
