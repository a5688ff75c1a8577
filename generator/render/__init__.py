"""Render: run MkDocs (Material + theme/ overrides) over the generated Markdown."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

# A fixed build date: MkDocs stamps the sitemap with it, and a site must not change between
# two builds of the same input.
FIXED_SOURCE_DATE_EPOCH = "946684800"  # 2000-01-01


class RenderError(RuntimeError):
    """MkDocs failed; the previous site is left untouched."""


@contextlib.contextmanager
def _quiet_mkdocs(verbose: bool) -> Iterator[None]:
    logger = logging.getLogger("mkdocs")
    old = logger.level
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(old)


@contextlib.contextmanager
def _source_date_epoch() -> Iterator[None]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = old or FIXED_SOURCE_DATE_EPOCH
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def render_site(config_file: Path, docs_dir: Path, site_dir: Path, verbose: bool = False) -> None:
    """Build the site from ``docs_dir`` into ``site_dir`` with the project's mkdocs.yml."""
    try:
        with _quiet_mkdocs(verbose), _source_date_epoch():
            config = load_config(config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir))
            mkdocs_build(config)
    except Exception as err:  # MkDocs raises many kinds; the build reports one failure
        raise RenderError(f"MkDocs failed: {err}") from err
