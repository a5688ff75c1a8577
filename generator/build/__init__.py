"""The build driver: runs the stages in order and keeps the books.

sources -> parse -> enrich -> (catalog) -> indexes -> write -> render -> search. Parsed cables
are streamed to a store in the work folder and read back once the catalog (ids, dates,
references) is complete, so that cross-links can be written without holding every cable in
memory. Index pages and page frames come first (in the build process), then each cable page is
written, rendered (stamped: see render/stamp.py) and analysed for search in worker processes.
Nothing in the site folder changes until everything is rendered: the complete new site (in an
incremental build, links to the live site's unchanged files and the new ones) then takes the
old one's place in one exchange (publish.py). One build at a time (lock.py); nothing from the
work folder is used unverified (integrity.py); a build that dies leaves nothing the next trusts
(lifecycle.py).

The package, by stage (each module's docstring says what it owns and what it may not touch):

- ``report.py``: the build report.
- ``safety.py``: which site folders may be replaced; where the work folder lies.
- ``catalog.py``: pass 1, parse and catalog (also ``cablesite parse``).
- ``contexts.py``: what a cable page shows of the rest of the archive (links, chips), and its key.
- ``page_pass.py``: pass 2, with ``index_pages.py`` (index pages, page frames),
  ``cable_pages.py`` (the workers' jobs: cable pages, stamping, search analyses) and
  ``catalog_db.py`` (the catalog and its links on disk, which the workers read).
- ``rebuild.py``: what may be reused from the last build, the index-list memo, the swap.
- ``driver.py``: ``build``, the stages in order.
"""

from __future__ import annotations

from .catalog import Catalog, Parsed, parse_items, parse_stream, tag_rules_of, unknown_tags
from .contexts import ChipMemo, cable_context, link_context, page_context, taxonomy_links
from .driver import build
from .report import BuildReport
from .safety import SITE_MARKER, UnsafeSiteDir, check_site_dir, work_dir_for

__all__ = [
    "SITE_MARKER",
    "BuildReport",
    "Catalog",
    "ChipMemo",
    "Parsed",
    "UnsafeSiteDir",
    "build",
    "cable_context",
    "check_site_dir",
    "link_context",
    "page_context",
    "parse_items",
    "parse_stream",
    "tag_rules_of",
    "taxonomy_links",
    "unknown_tags",
    "work_dir_for",
]
