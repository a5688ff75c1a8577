"""Sharded rendering: MkDocs over a large archive, in worker processes, merged into one site.

MkDocs keeps every page of a build in memory and renders on one core. A page's HTML depends
only on its own Markdown, the configuration, the theme and the navigation, so the pages can be
split into shards, each shard built by its own MkDocs run (with the navigation pages present so
that the navigation resolves), and the outputs moved into one site folder: the result is the
same file for file as one big build, with memory bounded by the shard size and all cores busy.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..integrity import fault_point
from ..parallel import pool_map
from ..project import read_config_data
from . import render_site

DEFAULT_SHARD_SIZE = int(os.environ.get("CABLESITE_SHARD_SIZE", "2000"))  # pages per MkDocs run


@dataclass
class Shard:
    number: int
    pages: list[str]  # Markdown paths relative to the docs folder that this shard owns
    docs: Path
    site: Path


def nav_pages(config_file: Path) -> list[str]:
    """The Markdown files named in mkdocs.yml's ``nav``: every shard needs them to build its nav."""
    data = read_config_data(config_file)  # INHERIT followed: the build's mkdocs.yml inherits the project's
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str) and node.endswith(".md"):
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data.get("nav") or [])
    return found


def markdown_files(docs_dir: Path) -> list[str]:
    return sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md"))


def plan_shards(pages: list[str], navigation: Iterable[str], shard_size: int, work: Path) -> list[Shard]:
    """Split the pages into shards of at most ``shard_size``; shard 0 owns the navigation pages."""
    nav = [p for p in navigation]
    nav_set = set(nav)
    rest = [p for p in pages if p not in nav_set]
    groups = [rest[i:i + shard_size] for i in range(0, len(rest), shard_size)] or [[]]
    groups[0] = [p for p in nav if p in set(pages)] + groups[0]
    return [Shard(n, group, work / f"shard-{n:04d}" / "docs", work / f"shard-{n:04d}" / "site")
            for n, group in enumerate(groups)]


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link (no data copied) where the file system allows it, else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _link_pages(docs_dir: Path, shard: Shard, navigation: Iterable[str]) -> None:
    """Populate a shard's docs folder with hard links (no copying) to its pages and the nav pages."""
    for rel in dict.fromkeys([*shard.pages, *navigation]):
        if (docs_dir / rel).exists():
            link_or_copy(docs_dir / rel, shard.docs / rel)


def _render_shard(config_file: Path, shard: Shard) -> int:
    """One shard's MkDocs run, in a worker (with the fault tests' hook for a worker killed)."""
    fault_point("render-worker")
    render_site(config_file, shard.docs, shard.site)
    return shard.number


def _html_path(markdown_path: str) -> str:
    return markdown_path[: -len(".md")] + ".html"


def _merge(shards: list[Shard], staging: Path) -> None:
    """Shard 0's site (assets, navigation pages, 404) becomes the site; the others add their pages."""
    shards[0].site.rename(staging)
    for shard in shards[1:]:
        for rel in shard.pages:
            built = shard.site / _html_path(rel)
            target = staging / _html_path(rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(built, target)


def render_in_shards(config_file: Path, docs_dir: Path, staging: Path, work: Path,
                     shard_size: int = DEFAULT_SHARD_SIZE, workers: int | None = None,
                     progress: Callable[[int, int], None] | None = None) -> int:
    """Render ``docs_dir`` into ``staging`` in shards; returns the number of shards."""
    navigation = nav_pages(config_file)
    pages = markdown_files(docs_dir)
    if len(pages) <= shard_size:
        render_site(config_file, docs_dir, staging)
        return 1
    if work.exists():
        shutil.rmtree(work)
    shards = plan_shards(pages, navigation, shard_size, work)
    for shard in shards:
        _link_pages(docs_dir, shard, navigation)
    workers = max(1, min(workers or os.cpu_count() or 1, len(shards)))
    # Fresh interpreters (``pool_map``), not forks: a fork would carry the build's catalog and
    # indexes into every MkDocs worker (and into the summed memory), and MkDocs needs none of it.
    # The pool is stopped at once if the build is interrupted or a worker dies.
    # Closed on the way out, whatever happens here: that stops the workers (see ``pool_map``).
    with contextlib.closing(pool_map(partial(_render_shard, config_file), shards, workers,
                                     "rendering pages with MkDocs")) as results:
        for done, _number in enumerate(results, start=1):
            if done == 1:
                fault_point("render-running")  # test hook: the render stage's workers are running
            if progress:
                progress(done, len(shards))
    _merge(shards, staging)
    shutil.rmtree(work)
    return len(shards)
