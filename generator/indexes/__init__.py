"""Indexes: group the catalog into list pages (home, all cables, years, months, and the
taxonomy: countries, topics, tags, origins, classifications) and the browse pages over them.

Each index is computed in one pass over the catalog (linear in the archive size) and split
into pages of at most ``PAGE_SIZE`` cables. This stage only decides what pages exist and what
they list; ``write`` turns the specs into Markdown.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..enrich.config import load_tables
from ..model import CatalogEntry
from .browse import BROWSE_PAGES, browse_pages, term_about, term_pages
from .chart import year_chart
from .describe import counted, list_description, month_name, search_description, year_span, years_description
from .home import home_context
from .paginate import PAGE_SIZE, Page, page_url, paginate
from .taxonomy import Taxonomy


@dataclass
class IndexPage:
    url: str
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    unchanged: bool = False  # ``is_unchanged`` said its list is as before: nothing made, keep the page


# Asked once per list (all cables, a year, a country ...) with the list's name, a text standing for
# everything on its pages besides the cables, the cables, and its page URLs: True when the caller
# knows these pages are as the last build made them, so that they need not be made again.
UnchangedCheck = Callable[[str, str, Sequence[CatalogEntry], list[str]], bool]


def _unchanged_pages(name: str, signature: str, entries: Sequence[CatalogEntry], size: int,
                     is_unchanged: UnchangedCheck | None) -> list[IndexPage] | None:
    if is_unchanged is None:
        return None
    urls = [page_url(name, n) for n in range(1, max(1, -(-len(entries) // size)) + 1)]
    if not is_unchanged(name, signature, entries, urls):
        return None
    return [IndexPage(url, "", "", unchanged=True) for url in urls]


def list_pages(name: str, heading: str, entries: Sequence[CatalogEntry], intro: str = "",
               size: int = PAGE_SIZE, is_unchanged: UnchangedCheck | None = None,
               what: tuple[str, bool] = ("", True)) -> Iterator[IndexPage]:
    """The pages of one list of cables. ``what`` is the lead of their meta description, as
    ``describe.list_description`` takes it ("47 cables dated 2009"), and whether the years the
    cables span follow it (not when it names them); by default the count and the heading."""
    lead, with_span = what if what[0] else (f"{counted(len(entries))}: {heading}", True)
    kept = _unchanged_pages(name, f"list\0{heading}\0{intro}\0{lead}\0{with_span}", entries, size, is_unchanged)
    if kept is not None:
        yield from kept
        return
    span = year_span(entries) if with_span else ""
    for page in paginate(name, entries, size):
        title = heading if page.number == 1 else f"{heading} (page {page.number})"
        yield IndexPage(page.url, "list.md.j2", title,
                        {"page": page, "heading": heading, "intro": intro, "total": len(entries),
                         "description": list_description(lead, span, len(entries), page)})


def build_index_pages(entries: list[CatalogEntry], site_name: str, size: int = PAGE_SIZE,
                      taxonomy: Taxonomy | None = None, is_unchanged: UnchangedCheck | None = None,
                      part: tuple[int, int] = (0, 1)) -> Iterator[IndexPage]:
    """Every index page of the archive; ``entries`` must be sorted by date then id.

    ``is_unchanged`` lets an incremental build skip the lists it knows to be as before (the
    home, browse and years pages, which summarise the whole archive, are always made).
    ``part`` (k, n) gives only the k-th of n shares of the pages, so that n processes can make
    them together: the pages of one list are in one share, and the lists take turns."""
    taxonomy = taxonomy or Taxonomy.build(entries, load_tables())
    number, parts = part
    turn = itertools.count()

    def mine() -> bool:
        return next(turn) % parts == number

    years: dict[str, list[CatalogEntry]] = defaultdict(list)
    months: dict[str, list[CatalogEntry]] = defaultdict(list)
    for entry in entries:
        if entry.date:
            years[f"{entry.date.year:04d}"].append(entry)
            months[f"{entry.date.year:04d}-{entry.date.month:02d}"].append(entry)
    dated = [e for e in entries if e.date]
    per_year = Counter({year: len(items) for year, items in years.items()})
    if mine():  # <title>: "Home - <site name>"
        yield IndexPage("index.html", "home.md.j2", "Home", home_context(entries, taxonomy, site_name, per_year))
    if mine():
        yield IndexPage("search.html", "search.md.j2", "Search",  # search.html?q=...: see search.js
                        {"description": search_description(len(entries))})
    if mine():
        yield from list_pages("cables", "All cables", entries, "Every cable in the archive, oldest first.", size,
                              is_unchanged, (f"All {counted(len(entries))} of the archive", True))
    for year, items in sorted(years.items()):
        if mine():
            yield from list_pages(f"date/{year}", f"Cables of {year}", items, size=size, is_unchanged=is_unchanged,
                                  what=(f"{counted(len(items))} dated {year}", False))
    for month, items in sorted(months.items()):
        if mine():
            yield from list_pages(f"date/{month}", f"Cables of {month}", items, size=size,
                                  is_unchanged=is_unchanged,
                                  what=(f"{counted(len(items))} dated {month_name(month)}", False))
    if mine():
        yield IndexPage("years.html", "years.md.j2", "Years", {
            "chart": year_chart(per_year),
            "years": [{"year": year, "count": len(items), "url": f"date/{year}.html",
                       "months": [{"month": m[5:], "count": len(months[m]), "url": f"date/{m}.html"}
                                  for m in sorted(months) if m.startswith(f"{year}-")]}
                      for year, items in sorted(years.items())],
            "undated": len(entries) - len(dated),
            "description": years_description(entries, len(entries) - len(dated)),
        })
    for kind in BROWSE_PAGES:
        if mine():
            for spec in browse_pages(kind, taxonomy, size):
                yield IndexPage(spec.url, spec.template, spec.title, spec.context)
    for term in taxonomy.all_terms():
        if not mine():
            continue
        about = term_about(term, taxonomy)
        signature = json.dumps([term.kind, term.key, term.name, about.heading, about.about, about.related,
                                sorted(about.tag_codes), about.described_as])
        kept = _unchanged_pages(term.path, signature, term.entries, size, is_unchanged)
        if kept is not None:
            yield from kept
            continue
        for spec in term_pages(term, taxonomy, size, about):
            yield IndexPage(spec.url, spec.template, spec.title, spec.context)


__all__ = ["PAGE_SIZE", "IndexPage", "Page", "Taxonomy", "build_index_pages", "list_pages"]
