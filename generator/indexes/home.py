"""The home page: what the archive holds at a glance, drawn from the catalog in one pass.

Everything on it is bounded whatever the archive's size: counts, the date range, the chart of
cables per year (one bar a year), the top few countries, topics and posts, the newest cables.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..model import CatalogEntry
from .browse import BROWSE_PAGES
from .chart import year_chart
from .describe import home_description
from .taxonomy import Taxonomy

TOP = 8  # countries, topics and posts shown on the home page
NEWEST = 10  # newest cables shown


def top_terms(taxonomy: Taxonomy, kind: str, size: int = TOP) -> list[dict[str, Any]]:
    """The ``size`` terms of ``kind`` with the most cables (ties by name), with their counts."""
    terms = heapq.nsmallest(size, taxonomy.terms[kind].values(), key=lambda t: (-len(t.entries), t.name))
    return [{"name": t.name, "url": t.url, "count": len(t.entries)} for t in terms]


def home_context(entries: Sequence[CatalogEntry], taxonomy: Taxonomy, site_name: str,
                 years: Counter[str]) -> dict[str, Any]:
    """The template values of the home page; ``entries`` sorted by date then id."""
    dated = [e for e in entries if e.date]
    return {
        "site_name": site_name,
        "total": len(entries),
        "first_date": dated[0].date.strftime("%Y-%m-%d") if dated else None,
        "last_date": dated[-1].date.strftime("%Y-%m-%d") if dated else None,
        "undated": len(entries) - len(dated),
        "counts": {kind: len(taxonomy.terms[kind]) for kind in BROWSE_PAGES},
        "classifications": sorted(Counter(e.classification or "unknown" for e in entries).items(),
                                  key=lambda item: (-item[1], item[0]))[:TOP],
        "chart": year_chart(years),
        "top": [{"heading": heading, "url": f"{name}.html", "items": top_terms(taxonomy, kind)}
                for kind, (name, heading) in BROWSE_PAGES.items() if kind in ("country", "topic", "origin")],
        "newest": list(reversed(dated[-NEWEST:])),
        "browse": [{"name": heading, "url": f"{name}.html", "count": len(taxonomy.terms[kind])}
                   for kind, (name, heading) in BROWSE_PAGES.items()],
        "description": home_description(site_name, entries, len(taxonomy.terms["origin"]),
                                        len(taxonomy.terms["country"])),
    }
