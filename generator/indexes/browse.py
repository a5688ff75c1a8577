"""Taxonomy pages (one list per country, topic, tag, origin, classification) and browse pages.

Every list is paginated (``paginate``), so no page grows with the archive. Each country and
topic page says where its entries come from, in words built from the same site_config/ tables
that decided them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import CatalogEntry
from .describe import browse_description, term_description, year_span
from .paginate import PAGE_SIZE, paginate
from .taxonomy import Taxonomy, Term

_PAR_ANCHOR = re.compile(r"^par(\d+)(?:_\d+)?(-\d+)?$")  # par17, par17_2 (a repeated 17), par17-1 (text after 17)

BROWSE_PAGES = {  # kind -> (page name, heading)
    "country": ("countries", "Countries"),
    "topic": ("topics", "Topics"),
    "tag": ("tags", "TAGS"),
    "origin": ("origins", "Posts"),
    "classification": ("classifications", "Classifications"),
}
TERM_HEADINGS = {"country": "{name}", "topic": "Topic: {name}", "tag": "TAGS: {name}",
                 "origin": "{name}", "classification": "Classification: {name}"}


@dataclass
class PageSpec:
    """What ``indexes.IndexPage`` needs, kept here to avoid an import cycle."""

    url: str
    template: str
    title: str
    context: dict[str, Any]


@functools.lru_cache(maxsize=4096)
def paragraph_label(anchor: str) -> str:
    """``par17`` -> ``¶17``; an unnumbered block after paragraph 17 -> ``¶17+``; anything else -> ``¶``."""
    match = _PAR_ANCHOR.match(anchor)
    if not match:
        return "¶"
    return f"¶{match.group(1)}" + ("+" if match.group(2) else "")


def _sentence_list(items: Sequence[str]) -> str:
    quoted = [f"“{item}”" for item in items]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def about_country(term: Term, taxonomy: Taxonomy) -> list[str]:
    country = taxonomy.tables.countries.get(term.key)
    if country is None:
        return ["Cables filed under this country code."]
    lines = []
    if country.tags:
        lines.append(f"Cables whose TAGS line carries {' or '.join(country.tags)}, the State Department's "
                     f"geographic code for {country.name} (FIPS 10-4, with variants found in cables), are marked TAGS.")
    if country.iso2 == "US" and not taxonomy.tables.index_us_mentions:
        lines.append("Mentions of the United States in the text are not indexed (a setting in "
                     "site_config/settings.yml): nearly every cable of a US archive names it.")
    else:
        lines.append(f"Cables whose subject or text names {country.name} are listed too, with a ¶ link to each "
                     f"paragraph that does. Forms looked for: {_sentence_list(country.forms)}.")
    return lines


def about_topic(term: Term, taxonomy: Taxonomy) -> list[str]:
    rule = next((r for r in taxonomy.tables.topic_rules if r.name == term.key), None)
    codes = [c for c in taxonomy.tables.tag_codes.values() if taxonomy.tables.tag_topic(c.code) == term.key]
    lines = [rule.description] if rule and rule.description else []
    if codes:
        named = ", ".join(f"{c.code} ({c.name})" for c in codes)
        lines.append(f"Cables whose TAGS line carries {named}.")
    if rule and rule.keywords:
        lines.append(f"Cables, tagged or not, whose subject and text use these keywords at least {rule.min_hits} "
                     f"times in all: {_sentence_list(rule.keywords)} (the keyword taxonomy in site_config/topics.yml).")
    return lines or ["Cables filed under this topic."]


def about_tag(term: Term, taxonomy: Taxonomy) -> tuple[list[str], dict[str, str] | None]:
    tables = taxonomy.tables
    iso2 = tables.country_by_tag.get(term.key)
    if iso2:
        country = taxonomy.terms["country"].get(iso2)
        name = tables.countries[iso2].name
        related = {"name": f"All cables about {name}", "url": country.url} if country else None
        return [f"{term.key} is the TAGS geographic code for {name}."], related
    code = tables.tag_codes.get(term.key)
    if code is None:
        return [f"Cables whose TAGS line holds “{term.key}”, a value the TAGS table of this archive does not "
                "name (often a typing variant or a name written into the TAGS line)."], None
    topic = tables.tag_topic(term.key)
    topic_term = taxonomy.terms["topic"].get(topic or "")
    related = {"name": f"Topic: {topic}", "url": topic_term.url} if topic_term else None
    return [f"{term.key}: {code.name} ({code.kind} code)."], related


def term_rows(term: Term, items: Sequence[CatalogEntry]) -> list[dict[str, Any]]:
    """Table rows of one page; on country pages with the paragraphs naming the country."""
    rows = []
    for entry in items:
        row: dict[str, Any] = {"entry": entry, "paragraphs": [], "tagged": False}
        if term.kind == "country":
            anchors = entry.country_paragraphs.get(term.key, [])
            row["paragraphs"] = [{"anchor": a, "label": paragraph_label(a)} for a in anchors]
        rows.append(row)
    return rows


@dataclass
class TermAbout:
    """Everything on a term's pages besides its cables."""

    heading: str
    about: list[str]
    related: dict[str, str] | None
    tag_codes: set[str]  # on country pages: the TAGS codes that file a cable under the country
    described_as: str = ""  # the term in its pages' meta description: "Human rights (PHUM)"


def term_about(term: Term, taxonomy: Taxonomy) -> TermAbout:
    heading = TERM_HEADINGS[term.kind].format(name=term.name)
    related = None
    if term.kind == "country":
        about = about_country(term, taxonomy)
        tag_codes = set(taxonomy.tables.countries[term.key].tags) if term.key in taxonomy.tables.countries else set()
    elif term.kind == "topic":
        about, tag_codes = about_topic(term, taxonomy), set()
    elif term.kind == "tag":
        (about, related), tag_codes = about_tag(term, taxonomy), set()
    else:
        about, tag_codes = [f"Cables whose {term.kind} is “{term.key}”."], set()
    return TermAbout(heading, about, related, tag_codes, described_name(term, taxonomy))


def described_name(term: Term, taxonomy: Taxonomy) -> str:
    """The term as its pages' meta description names it: a topic with the TAGS codes filed
    under it ("Human rights (PHUM)", three at most), a TAGS code with its meaning ("PHUM (Human
    Rights)"), anything else by its name."""
    tables = taxonomy.tables
    if term.kind == "topic":
        codes = sorted(c.code for c in tables.tag_codes.values() if tables.tag_topic(c.code) == term.key)
        return f"{term.name} ({', '.join(codes[:3])}{', …' if len(codes) > 3 else ''})" if codes else term.name
    if term.kind == "tag":
        iso2 = tables.country_by_tag.get(term.key)
        code = tables.tag_codes.get(term.key)
        meaning = tables.countries[iso2].name if iso2 else code.name if code else ""
        return f"{term.key} ({meaning})" if meaning else term.key
    return term.name


def term_pages(term: Term, taxonomy: Taxonomy, size: int = PAGE_SIZE,
               about_term: TermAbout | None = None) -> Iterator[PageSpec]:
    described = about_term or term_about(term, taxonomy)
    heading, about, related, tag_codes = described.heading, described.about, described.related, described.tag_codes
    browse_name, browse_heading = BROWSE_PAGES[term.kind]
    span, described_as = year_span(term.entries), described.described_as or term.name
    for page in paginate(term.path, term.entries, size):
        rows = term_rows(term, page.items)
        for row in rows:
            row["tagged"] = bool(tag_codes.intersection(row["entry"].tags))
        title = heading if page.number == 1 else f"{heading} (page {page.number})"
        yield PageSpec(page.url, "term.md.j2", title, {
            "page": page, "heading": heading, "about": about, "related": related, "rows": rows,
            "total": len(term.entries), "kind": term.kind, "show_paragraphs": term.kind == "country",
            "browse": {"name": browse_heading, "url": f"{browse_name}.html"},
            "description": term_description(term.kind, described_as, len(term.entries), span, page),
        })


def browse_pages(kind: str, taxonomy: Taxonomy, size: int = PAGE_SIZE) -> Iterator[PageSpec]:
    """The list of a kind's terms with their counts, grouped (countries by region)."""
    name, heading = BROWSE_PAGES[kind]
    terms = list(taxonomy.terms[kind].values())
    if kind == "country":
        terms.sort(key=lambda t: (t.group, t.name))
    elif kind in ("topic", "tag"):
        order = {"Keyword taxonomy": "0", "Countries": "2", "Organisations": "3", "Regions": "4",
                 "Not in the TAGS table": "9"}
        terms.sort(key=lambda t: (order.get(t.group, "1"), t.group, t.name.lower()))
    else:
        terms.sort(key=lambda t: (-len(t.entries), t.name))
    items = [{"name": _browse_label(t, taxonomy), "url": t.url, "count": len(t.entries), "group": t.group}
             for t in terms]
    for page in paginate(name, items, size):
        title = heading if page.number == 1 else f"{heading} (page {page.number})"
        yield PageSpec(page.url, "browse.md.j2", title, {"page": page, "heading": heading, "kind": kind,
                                                          "total": len(items), "groups": _grouped(page.items),
                                                          "description": browse_description(kind, len(items), page)})


def _grouped(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive items of one group together, in the order given (already sorted by group)."""
    groups: list[dict[str, Any]] = []
    for item in items:
        if not groups or groups[-1]["name"] != item["group"]:
            groups.append({"name": item["group"], "items": []})
        groups[-1]["items"].append(item)
    return groups


def _browse_label(term: Term, taxonomy: Taxonomy) -> str:
    if term.kind != "tag":
        return term.name
    code = taxonomy.tables.tag_codes.get(term.key)
    iso2 = taxonomy.tables.country_by_tag.get(term.key)
    if iso2:
        return f"{term.key} — {taxonomy.tables.countries[iso2].name}"
    return f"{term.key} — {code.name}" if code else term.key
