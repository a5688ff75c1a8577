"""Render: run MkDocs (Material + theme/ overrides) over the generated Markdown."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from ..project import origin_of, read_config_data

# A fixed build date: MkDocs stamps the sitemap with it, and a site must not change between
# two builds of the same input.
FIXED_SOURCE_DATE_EPOCH = "946684800"  # 2000-01-01
# The raw-HTML passthrough (see hooks.py) is the tool's, not the project's: every render uses it,
# whatever the project's mkdocs.yml lists, so a project never has to name a path inside the package.
TOOL_HOOK = Path(__file__).resolve().parent / "hooks.py"


class RenderError(RuntimeError):
    """MkDocs failed; the previous site is left untouched."""


class _DropErrors(logging.Filter):
    """MkDocs logs a page's failure and then raises it: the raised error is reported (once)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno < logging.ERROR


@contextlib.contextmanager
def _quiet_mkdocs(verbose: bool) -> Iterator[None]:
    """MkDocs' warnings on stderr as ``mkdocs: WARNING: ...`` lines; its errors left to the
    exception that follows them."""
    logger = logging.getLogger("mkdocs")
    old_level, old_propagate = logger.level, logger.propagate
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s: %(message)s"))
    handler.addFilter(_DropErrors())
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.setLevel(old_level)
        logger.removeHandler(handler)
        logger.propagate = old_propagate


@contextlib.contextmanager
def _source_date_epoch() -> Iterator[None]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = old or FIXED_SOURCE_DATE_EPOCH
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def hooks_with_tool(config_file: Path) -> list[str]:
    """The configuration's hooks (made absolute against its folder, as MkDocs would) plus the
    tool's own, once."""
    hooks = [str((config_file.parent / hook).resolve())
             for hook in read_config_data(config_file).get("hooks") or [] if isinstance(hook, str)]
    if str(TOOL_HOOK) not in hooks:
        hooks.append(str(TOOL_HOOK))
    return hooks


def explain(err: BaseException) -> str:
    """One line for a failed render: a theme template's error names the template's real file and
    line (not the link to it in the work folder), anything else MkDocs says is passed on."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        where = origin_of(Path(err.filename)) if err.filename else err.name or "a theme template"
        return f"{where}:{err.lineno}: theme template error: {err.message}"
    if isinstance(err, jinja2.TemplateNotFound):
        return f"the theme has no template {err.name!r} (a theme/ file names it; see theme/ and mkdocs.yml)"
    if isinstance(err, jinja2.TemplateError):
        return f"theme template error: {err}"
    return f"MkDocs failed: {err}"


def render_site(config_file: Path, docs_dir: Path, site_dir: Path, verbose: bool = False) -> None:
    """Build the site from ``docs_dir`` into ``site_dir`` with the project's mkdocs.yml."""
    try:
        with _quiet_mkdocs(verbose), _source_date_epoch():
            # absolute: MkDocs would take relative paths as relative to the configuration file
            config = load_config(config_file=str(config_file), docs_dir=str(docs_dir.resolve()),
                                 site_dir=str(site_dir.resolve()),
                                 hooks=hooks_with_tool(config_file))
            mkdocs_build(config)
    except Exception as err:  # MkDocs raises many kinds; the build reports one failure
        raise RenderError(explain(err)) from err
