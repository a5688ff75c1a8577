"""The thin driver: one build from start to end, the stages in order.

Owns the sequence (project and tables, reuse decision, pass 1, pass 2, search index, the
rendering MkDocs still has to do, the archive-wide exports, the swap), the work folder's
sub-folders and the build's lock, signals and failure handling. Each stage's work is its
module's: catalog.py, page_pass.py, rebuild.py, and outside this package render/, search/,
write/exports.py and publish.py."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from .. import publish
from ..enrich.config import load_tables
from ..executors import ExecutorChoice, open_executor
from ..integrity import WorkStateError, fault_point
from ..lifecycle import begin, commit, discard, new_state_name, stop_on_signals, tidy_states
from ..lock import BuildLock
from ..parallel import executing, start_worker_server, use_one_malloc_arena, worker_count, young_collections_less_often
from ..progress import Progress, chatter
from ..project import prepare_project
from ..render.pages import RenderResult, frame_template, render_with_frames
from ..render.shards import DEFAULT_SHARD_SIZE
from ..store import CableStore, Manifest, build_fingerprint
from ..write.exports import write_site_exports
from .catalog import read_and_parse
from .page_pass import PagePass
from .rebuild import assemble_site, previous_build, swap_in
from .report import BuildReport
from .safety import check_site_dir, work_dir_for


def build(sources: list[Path], site_dir: Path, config_file: Path, site_name: str = "Cable archive",
          progress: bool = False, workers: int | None = None, incremental: bool = True,
          shard_size: int = DEFAULT_SHARD_SIZE, executor: ExecutorChoice | None = None) -> BuildReport:
    """Build the site for ``sources`` into ``site_dir``; returns what was read, built, rejected.

    With ``incremental`` (the default) the work folder beside the site keeps the parsed cables
    and a manifest of the generated pages: a rebuild parses only changed cables, re-renders only
    the pages whose inputs changed, and gives the same bytes as a clean build. One build at a
    time per site (``lock.py``); whatever it reuses is verified first, and what does not verify
    is built anew with a note (``integrity.py``, ``lifecycle.py``, ``publish.py``).
    ``executor`` says where the parallel stages run (``executors.py``; default: local processes)."""
    if executor is not None and executor.remote:  # tasks carry paths that workers elsewhere must find
        sources, site_dir, config_file = [s.absolute() for s in sources], site_dir.absolute(), config_file.absolute()
    check_site_dir(site_dir, sources)
    work = work_dir_for(site_dir)
    with (BuildLock(work, site_dir) as lock, stop_on_signals(), young_collections_less_often(),
          open_executor(executor, worker_count(workers)) as pool_executor, executing(pool_executor)):
        notes: list[str] = []
        if lock.stale:
            notes.append(f"a build (PID {lock.stale}) died holding {lock.path}; its lock is taken over")
        publish.tidy_trash(work)
        if publish.recover(site_dir, work):
            notes.append(f"the previous site was put back at {site_dir} (a build died while swapping it in)")
        try:
            return _build(sources, site_dir, config_file, site_name, progress, workers, incremental, shard_size,
                          notes)
        except WorkStateError as err:
            if not incremental:
                raise
            notes.append(f"{err}; everything is built anew")
            return _build(sources, site_dir, config_file, site_name, progress, workers, False, shard_size, notes,
                          keep_store=isinstance(err, publish.SiteChanged))


def _build(sources: list[Path], site_dir: Path, config_file: Path, site_name: str, progress: bool,
           workers: int | None, incremental: bool, shard_size: int, notes: list[str],
           keep_store: bool = False) -> BuildReport:
    report = BuildReport(site_dir=str(site_dir))
    use_one_malloc_arena()
    workers = worker_count(workers)
    started = time.perf_counter()
    work = work_dir_for(site_dir)
    docs = work / "docs"
    # The project's mkdocs.yml, theme/ and site_config/ over the shipped defaults (see project.py).
    project = prepare_project(config_file, work / "project")
    config_file = project.config
    tables = load_tables(project.tables)
    fingerprint = build_fingerprint(config_file, [project.source_config])
    previous, reuse = previous_build(work, site_dir, fingerprint, incremental, keep_store, notes)
    report.notes.extend({"source": "work folder", "id": None, "message": note} for note in notes)
    tidy_states(work, previous.search_state)
    begin(work)
    docs.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(fingerprint, search_state=new_state_name())
    # Everything rendered anew goes to ``staging``: the whole site in a clean build, only the
    # changed files in an incremental one (completed with links to the live site's others).
    staging, assembled, search_out = work / "site", work / "site-next", work / "search-site"
    leftovers = [staging, assembled, search_out, work / "search", work / manifest.search_state, work / "render", docs]
    try:
        for folder in (staging, assembled, search_out):
            shutil.rmtree(folder, ignore_errors=True)
        staging.mkdir(parents=True)
        store = CableStore(work / "cables.sqlite")
        start_worker_server(workers)  # pass 2's workers come from it: started while this process is small
        try:
            catalog = read_and_parse(sources, report, tables, store, fingerprint, workers, progress)
            report.seconds["read_parse"] = time.perf_counter() - started
            mark = time.perf_counter()
            pages = PagePass(catalog, store, tables, docs, site_name, previous, manifest, report, work, progress,
                             workers, staging, site_dir / "search" if reuse else None)
            rendered = pages.run(config_file, fingerprint, reuse)
            store.prune()
        finally:
            store.close()
        removed = sorted(set(previous.pages) - set(manifest.pages))
        for rel in removed:
            (docs / rel).unlink(missing_ok=True)
        report.seconds["write"] = time.perf_counter() - mark

        # The search index is written before the rest is rendered, so that its postings and facets are freed first.
        mark = time.perf_counter()
        search_out.mkdir(parents=True)
        search_index = pages.search_index
        assert search_index is not None
        search_index.write(search_out)
        fault_point("after-search-state")
        report.seconds["search"] = time.perf_counter() - mark

        mark = time.perf_counter()
        _render_rest(pages, rendered, config_file, docs, staging, work, workers, shard_size, progress, report)
        exports_started = time.perf_counter()
        exports = write_site_exports(catalog.entries, manifest.pages, staging, site_dir if reuse else None,
                                     config_file, site_name, work / "cables.sqlite", catalog.digests)
        report.notes.extend({"source": "exports", "id": None, "message": m} for m in exports.notes)
        for message in exports.info:
            chatter("exports")(message)
        report.seconds["exports"] = time.perf_counter() - exports_started  # the archive-wide files (not the JSON)
        site = assemble_site(site_dir, staging, assembled, search_out, previous, removed, exports.stale,
                             search_index.install, reuse)
        pages.search_index = search_index = None  # its postings and facets are freed before the swap
        swap_in(site, site_dir, work, manifest, previous)
        report.seconds["render"] = time.perf_counter() - mark
        manifest.save(work / "manifest.json")
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: stop within seconds, the unlinking done by a process of its own
        for path in leftovers:
            if path.is_dir() and not path.is_symlink():
                publish.remove_later(path, work)  # renamed at once; what a killed deleter leaves, tidy_trash removes
        discard(leftovers)
        raise
    except BaseException:
        discard(leftovers)  # the next build starts anew (``building`` stays): free what it cannot use
        raise
    commit(work, manifest.search_state)
    discard([staging, search_out, work / "analyses.sqlite"])  # the last: what older versions kept
    report.pages_rendered = len(pages.changed)
    report.seconds["total"] = time.perf_counter() - started
    (work / "build-report.json").write_text(json.dumps(report.to_json(), indent=2, sort_keys=True) + "\n")
    return report


def _render_rest(pages: PagePass, rendered: RenderResult, config_file: Path, docs: Path, staging: Path,
                 work: Path, workers: int, shard_size: int, progress: bool, report: BuildReport) -> None:
    """MkDocs renders what the page pass left (navigation pages, pages no frame fits)."""
    ticker = Progress("render", total=len(pages.unrendered), unit="pages", enabled=progress)
    if pages.unrendered:
        rendered = render_with_frames(pages.frames, config_file, docs, pages.unrendered, staging,
                                      work / "render", workers, shard_size, progress=ticker.step, result=rendered)
    ticker.close()
    report.pages_stamped = rendered.stamped
    report.notes.extend({"source": str(frame_template(config_file, kind)), "id": None,
                         "message": f"pages of kind {kind} rendered by MkDocs: {reason}"}
                        for kind, reason in rendered.refused.items())
