"""What each index page says it lists, for its meta description (and Open Graph's and Twitter's).

A page shared in a chat or found by a search engine is shown by its description. With the
site-wide one on every index page, a country page, a post's page and page 7 of all cables
looked the same; here each says what it lists: how many cables, of what, over which years, and
on a page after the first which part of the list it shows ("47 cables from Embassy Baku,
2004–2010, oldest first."). Everything is computed from the page's own list in one pass, and
depends only on what the list's signature covers (its cables and its heading), so an
incremental build that keeps a list's pages keeps their descriptions right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..model import CatalogEntry
from ..write.reader import DESCRIPTION_LIMIT, squeeze
from .paginate import Page

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# What a term's cables are, by kind: {n} is "47 cables", {name} the term as readers see it.
_TERM_PHRASES = {
    "country": "{n} about {name}",
    "topic": "{n} on {name}",
    "tag": "{n} whose TAGS line carries {name}",
    "origin": "{n} from {name}",
    "classification": "{n} classified {name}",
}
# What a browse page lists, by kind: the noun and its plural (counted), then what they are.
_BROWSE_PHRASES = {
    "country": ("country", "countries", "the cables of this archive are about, by region, each with its number "
                                        "of cables."),
    "topic": ("topic", "topics", "the cables of this archive are filed under, each with its number of cables."),
    "tag": ("value", "values", "found in the TAGS lines of this archive's cables, by kind, each with its number "
                               "of cables."),
    "origin": ("post", "posts", "(embassies, consulates, missions) that sent the cables of this archive, most "
                                "cables first."),
    "classification": ("classification", "classifications", "of the cables of this archive, most cables first."),
}


def clip(text: str) -> str:
    """``text`` on one line, cut at a word to ``DESCRIPTION_LIMIT`` (what previews show at most)."""
    text = squeeze(text)
    if len(text) <= DESCRIPTION_LIMIT:
        return text
    return text[: DESCRIPTION_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def counted(number: int, noun: str = "cable", plural: str = "") -> str:
    """``1 cable``, ``1,045 cables``."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def dated_ends(entries: Sequence[CatalogEntry]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The first and last date among ``entries`` (sorted by date, undated ones anywhere)."""
    first = next((e.date for e in entries if e.date), None)
    last = next((e.date for e in reversed(entries) if e.date), None)
    return first, last


def year_span(entries: Sequence[CatalogEntry]) -> str:
    """``2004–2010``, ``2009`` or "" (no dated cable)."""
    first, last = dated_ends(entries)
    if first is None or last is None:
        return ""
    return f"{first.year}" if first.year == last.year else f"{first.year}–{last.year}"


def month_name(month: str) -> str:
    """``2009-02`` -> ``February 2009``; anything else as it is."""
    year, _, number = month.partition("-")
    if year.isdigit() and number.isdigit() and 1 <= int(number) <= 12:
        return f"{_MONTHS[int(number) - 1]} {year}"
    return month


def page_part(page: Page[Any], entries: bool = True) -> str:
    """`` Page 2 of 3: cables 501–1,000, 2006-01-03 to 2007-12-01.`` on a page after the first
    (so that every page of a long list says something of its own), "" on the first."""
    if page.number == 1:
        return ""
    last = page.first_index + len(page.items)
    text = f" Page {page.number} of {page.count}: {'cables' if entries else 'items'} {page.first_index + 1:,}–{last:,}"
    if entries:
        first_date, last_date = dated_ends(page.items)
        if first_date and last_date:
            text += f", {first_date:%Y-%m-%d} to {last_date:%Y-%m-%d}"
    return text + "."


def list_description(lead: str, span: str, total: int, page: Page[Any]) -> str:
    """A list of ``total`` cables: ``lead`` says how many and what they are ("47 cables from
    Embassy Baku"), ``span`` the years they span (``year_span``, once per list: "" when the lead
    names them), then the part of the list on this page."""
    order = ", oldest first" if total > 1 else ""
    return clip(f"{lead}{', ' + span if span else ''}{order}.{page_part(page)}")


def term_description(kind: str, name: str, total: int, span: str, page: Page[Any]) -> str:
    """A country's, topic's, tag's, post's or classification's list (``name``: as
    ``browse.described_name`` gives it)."""
    # str.format puts the values in as they are: braces in a name are not read again
    return list_description(_TERM_PHRASES[kind].format(n=counted(total), name=squeeze(name)), span, total, page)


def browse_description(kind: str, total: int, page: Page[Any]) -> str:
    """A browse page: what kind of terms it lists, and how many."""
    noun, plural, rest = _BROWSE_PHRASES[kind]
    return clip(f"The {counted(total, noun, plural)} {rest}{page_part(page, entries=False)}")


def years_description(entries: Sequence[CatalogEntry], undated: int) -> str:
    """The years page: the span, the count of all ``entries``, the undated ones among them."""
    span = year_span(entries)
    text = f"Cables per year and per month{', ' + span if span else ''}: {counted(len(entries))} in all"
    return clip(text + (f", {undated:,} of them undated." if undated else "."))


def home_description(site_name: str, entries: Sequence[CatalogEntry], posts: int, countries: int) -> str:
    """The home page: what the archive holds, and what a reader can do with it."""
    first, last = dated_ends(entries)
    dates = f", dated {first:%Y-%m-%d} to {last:%Y-%m-%d}" if first and last else ""
    text = (f"{squeeze(site_name)}: {counted(len(entries), 'diplomatic cable')}{dates}, from "
            f"{counted(posts, 'post')}, about {counted(countries, 'country', 'countries')}. "
            "Search their full text, or browse them by country, topic, post, year and classification.")
    return clip(text)


def search_description(total: int) -> str:
    """The search page."""
    return (f"Search the full text of {counted(total)}: every word in any of its forms, phrases, "
            "and filters by year, post, classification, country and topic.")
