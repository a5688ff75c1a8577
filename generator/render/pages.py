"""Render a set of generated pages into a site folder: MkDocs for the frame, stamping for the rest.

One small MkDocs run renders what only MkDocs can: the navigation pages, the theme's assets and
404 page, and the probe pages of ``stamp``. Every other page is then stamped from its kind's
frame in worker processes; a page no checked frame fits is rendered by MkDocs in shards, as
before. The site is the same, byte for byte, as one MkDocs run over every page (tested).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..integrity import WorkStateError, fault_point, read_sealed, write_sealed
from ..parallel import pool_map
from ..project import THEME, origin_of
from . import render_site
from .shards import DEFAULT_SHARD_SIZE, link_or_copy, nav_pages, render_in_shards
from .stamp import Frames, PageKind, frames_from_probes, init_stamp_worker, make_probes, sample_kinds, stamp_chunk

STAMP_CHUNK = 400  # pages per task sent to a stamping worker
IN_PROCESS_BELOW = 3000  # fewer pages than this are stamped without starting worker processes


@dataclass
class RenderResult:
    pages: int = 0  # pages asked for
    stamped: int = 0
    by_mkdocs: int = 0  # pages MkDocs rendered itself (navigation, and pages no frame fits)
    refused: dict[PageKind, str] = field(default_factory=dict)  # kinds whose frame failed a check


def frame_template(config_file: Path, kind: PageKind) -> Path:
    """The theme file that makes a kind's frame (its template, else Material's main.html), as the
    real file behind the build's theme folder: a project's override or the shipped file. For
    messages about a frame that failed its check."""
    return origin_of(config_file.parent / THEME / (kind.template or "main.html"))


def stamping_enabled() -> bool:
    """``CABLESITE_STAMP=0`` renders every page through MkDocs (slow; for comparison and themes
    that branch on a page's metadata values)."""
    return os.environ.get("CABLESITE_STAMP", "1") != "0"


def markdown_kept() -> bool:
    """``CABLESITE_KEEP_MARKDOWN=1`` writes every cable page's Markdown into the work folder's
    ``docs`` even when it is stamped (by default only pages MkDocs renders have one): for
    comparing the stamped site with a plain MkDocs run over all its pages (tests/test_stamp.py),
    or for using the pages elsewhere. A quarter more bytes written."""
    return os.environ.get("CABLESITE_KEEP_MARKDOWN", "0") == "1"


def render_pages(config_file: Path, docs: Path, pages: list[str], staging: Path, work: Path,
                 workers: int = 1, shard_size: int = DEFAULT_SHARD_SIZE,
                 progress: Callable[[int], None] | None = None, frames_key: str = "",
                 site_ready: bool = False) -> RenderResult:
    """Render ``pages`` (Markdown paths relative to ``docs``) into ``staging``.

    Files already in ``staging`` are replaced by new files, never written through (they may be
    hard links). ``site_ready`` says that the site the pages go into (``staging``, or the live
    site it will be moved into) holds the navigation pages and assets of the last build; then,
    if no navigation page is among ``pages``, the frames kept by that build under the same
    ``frames_key`` (what the frames depend on besides the navigation pages: the build
    fingerprint) are used without running MkDocs at all."""
    navigation = {rel for rel in nav_pages(config_file) if (docs / rel).exists()}
    candidates = [rel for rel in pages if rel not in navigation]
    kinds = sample_kinds(docs, candidates) if stamping_enabled() else []
    frames, result = prepare_frames(config_file, docs, pages, kinds, staging, work, frames_key, site_ready)
    return render_with_frames(frames, config_file, docs, pages, staging, work, workers, shard_size, progress,
                              result)


def prepare_frames(config_file: Path, docs: Path, changed: list[str], kinds: list[PageKind], staging: Path,
                   work: Path, frames_key: str = "", site_ready: bool = False) -> tuple[Frames, RenderResult]:
    """The frames of ``kinds``; when MkDocs runs for them, the navigation pages, assets and 404
    page are written into ``staging`` too.

    The frames are those kept by the last build when ``site_ready`` (the site being updated
    holds that build's navigation pages and assets), they were made under ``frames_key`` and no
    navigation page is among the ``changed`` pages; else one MkDocs run makes them. The
    navigation pages must be written before this."""
    result = RenderResult()
    navigation = [rel for rel in nav_pages(config_file) if (docs / rel).exists()]
    frames_file = work.parent / "frames.pickle"
    reusable = site_ready and frames_key and not set(navigation) & set(changed)
    frames = _kept_frames(frames_file, frames_key, kinds) if reusable else None
    if frames is None:
        frames = _render_frame_site(config_file, docs, navigation, kinds, staging, work)
        result.by_mkdocs += len(navigation)
        write_sealed(frames_file, (frames_key, frames))  # sealed: never unpickled unless this machine wrote it
    result.refused = frames.refused
    return frames, result


def render_with_frames(frames: Frames, config_file: Path, docs: Path, pages: list[str], staging: Path,
                       work: Path, workers: int = 1, shard_size: int = DEFAULT_SHARD_SIZE,
                       progress: Callable[[int], None] | None = None,
                       result: RenderResult | None = None) -> RenderResult:
    """Stamp ``pages`` (except the navigation pages, which ``prepare_frames`` rendered) into
    ``staging``; MkDocs renders those no frame fits."""
    result = result or RenderResult(refused=frames.refused)
    result.pages += len(pages)
    navigation = [rel for rel in nav_pages(config_file) if (docs / rel).exists()]
    nav_set = set(navigation)
    candidates = [rel for rel in pages if rel not in nav_set]
    leftovers: list[str] = []
    if progress and len(candidates) < len(pages):
        progress(len(pages) - len(candidates))  # the navigation pages: rendered with the frames
    # Closed on the way out, whatever happens here: that stops its workers (see ``pool_map``).
    with contextlib.closing(_stamp_all(frames, docs, staging, candidates, workers)) as stamped:
        for done, left in stamped:
            leftovers.extend(left)
            if progress:
                progress(done - len(left))
    result.stamped += len(candidates) - len(leftovers)
    if leftovers:
        _render_with_mkdocs(config_file, docs, leftovers, navigation, staging, work, shard_size, workers)
        result.by_mkdocs += len(leftovers)
        if progress:
            progress(len(leftovers))
    return result


def _kept_frames(frames_file: Path, frames_key: str, kinds: list[PageKind]) -> Frames | None:
    """The frames of the last build, if made under the same key and covering ``kinds``."""
    try:
        key, frames = read_sealed(frames_file)
    except (WorkStateError, ValueError, TypeError, AttributeError):
        return None
    if key != frames_key or not isinstance(frames, Frames):
        return None
    known = frames.by_kind.keys() | frames.refused.keys()
    return frames if all(kind in known for kind in kinds) else None


def _render_frame_site(config_file: Path, docs: Path, navigation: list[str], kinds: list[PageKind],
                       staging: Path, work: Path) -> Frames:
    """One MkDocs run over the navigation pages and the probes of ``kinds``: its site (assets,
    navigation pages, 404 page) goes into ``staging``, its probes become the frames."""
    probes = [make_probes(kind, number) for number, kind in enumerate(kinds)]
    base = work / "base"
    if base.exists():
        shutil.rmtree(base)
    base_docs, base_site = base / "docs", base / "site"
    for rel in navigation:  # the generated docs folder holds Markdown pages only: nothing else to copy
        link_or_copy(docs / rel, base_docs / rel)
    for marker, check in probes:
        for probe in (marker, check):
            target = base_docs / probe.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(probe.markdown(), encoding="utf-8")
    render_site(config_file, base_docs, base_site)
    frames = frames_from_probes(base_site, probes)
    _move_tree(base_site, staging)
    shutil.rmtree(base)
    return frames


def _stamp_all(frames: Frames, docs: Path, site: Path, pages: list[str],
               workers: int) -> Iterator[tuple[int, list[str]]]:
    """Stamp ``pages`` in chunks, in worker processes when there are many; yields, per chunk,
    its size and the pages of it that no frame fits."""
    chunks = [pages[i:i + STAMP_CHUNK] for i in range(0, len(pages), STAMP_CHUNK)]
    if not frames.by_kind:
        yield len(pages), pages
        return
    if workers <= 1 or len(pages) < IN_PROCESS_BELOW:
        init_stamp_worker(frames)
        for chunk in chunks:
            yield len(chunk), stamp_chunk(docs, site, chunk)
        return
    # Fresh interpreters (``pool_map``): a fork would carry the build's catalog into every worker's
    # memory. The pool is stopped at once if the build is interrupted or a worker dies.
    with contextlib.closing(pool_map(partial(_stamp_in_worker, docs, site), chunks, workers, "stamping pages",
                                     initializer=init_stamp_worker, initargs=(frames,))) as results:
        for number, (chunk, left) in enumerate(zip(chunks, results, strict=True)):
            if number == 0:
                fault_point("render-running")  # test hook: the render stage's workers are running
            yield len(chunk), left


def _stamp_in_worker(docs: Path, site: Path, chunk: list[str]) -> list[str]:
    """``stamp_chunk`` in a stamping worker (with the fault tests' hook for a worker killed)."""
    fault_point("render-worker")
    return stamp_chunk(docs, site, chunk)


def _render_with_mkdocs(config_file: Path, docs: Path, pages: list[str], navigation: list[str], staging: Path,
                        work: Path, shard_size: int, workers: int) -> None:
    """Pages no frame fits: MkDocs renders them (with the navigation pages, for the nav)."""
    rest = work / "rest"
    if rest.exists():
        shutil.rmtree(rest)
    for rel in dict.fromkeys([*pages, *navigation]):
        link_or_copy(docs / rel, rest / "docs" / rel)
    render_in_shards(config_file, rest / "docs", rest / "site", work / "shards", shard_size, workers)
    for rel in pages:
        html_rel = rel[: -len(".md")] + ".html"
        target = staging / html_rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(rest / "site" / html_rel, target)
    shutil.rmtree(rest)


def _move_tree(source: Path, target: Path) -> None:
    """Move every file of ``source`` into ``target``, replacing what is there (new inodes)."""
    for folder, _dirs, files in os.walk(source):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.replace(Path(folder, name), destination / name)
