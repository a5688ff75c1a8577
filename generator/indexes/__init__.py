"""Indexes: group the catalog into list pages (home, all cables, years, months).

Each index is computed in one pass over the catalog (linear in the archive size) and split
into pages of at most ``PAGE_SIZE`` cables. This stage only decides what pages exist and what
they list; ``write`` turns the specs into Markdown.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import CatalogEntry
from .paginate import PAGE_SIZE, Page, paginate


@dataclass
class IndexPage:
    url: str
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)


def list_pages(name: str, heading: str, entries: Sequence[CatalogEntry], intro: str = "",
               size: int = PAGE_SIZE) -> Iterator[IndexPage]:
    for page in paginate(name, entries, size):
        title = heading if page.number == 1 else f"{heading} (page {page.number})"
        yield IndexPage(page.url, "list.md.j2", title,
                        {"page": page, "heading": heading, "intro": intro, "total": len(entries)})


def build_index_pages(entries: list[CatalogEntry], site_name: str, size: int = PAGE_SIZE) -> Iterator[IndexPage]:
    """Every index page of the archive; ``entries`` must be sorted by date then id."""
    years: dict[str, list[CatalogEntry]] = defaultdict(list)
    months: dict[str, list[CatalogEntry]] = defaultdict(list)
    for entry in entries:
        if entry.date:
            years[f"{entry.date.year:04d}"].append(entry)
            months[f"{entry.date.year:04d}-{entry.date.month:02d}"].append(entry)
    dated = [e for e in entries if e.date]
    yield IndexPage("index.html", "home.md.j2", site_name, {
        "site_name": site_name,
        "total": len(entries),
        "first_date": dated[0].date.strftime("%Y-%m-%d") if dated else None,
        "last_date": dated[-1].date.strftime("%Y-%m-%d") if dated else None,
        "undated": len(entries) - len(dated),
        "origins": sorted({e.origin for e in entries if e.origin}),
        "classifications": sorted(Counter(e.classification or "unknown" for e in entries).items()),
        "years": sorted((year, len(items)) for year, items in years.items()),
    })
    yield from list_pages("cables", "All cables", entries, "Every cable in the archive, oldest first.", size)
    for year, items in sorted(years.items()):
        yield from list_pages(f"date/{year}", f"Cables of {year}", items, size=size)
    for month, items in sorted(months.items()):
        yield from list_pages(f"date/{month}", f"Cables of {month}", items, size=size)


__all__ = ["PAGE_SIZE", "IndexPage", "Page", "build_index_pages", "list_pages"]
