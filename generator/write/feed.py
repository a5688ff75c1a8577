"""The Atom 1.0 feed (RFC 4287) of the newest cables: ``feed.xml``.

Written with ``xml.etree`` (which escapes text and attributes) rather than a feed library: the
format is small and fixed, and ``feedgen`` would add lxml, a compiled dependency, for it.
Characters XML 1.0 forbids (a form feed or other control character in a cable's text) are
dropped, or no feed reader would parse the file.

Links need the site's address (``site_url`` in mkdocs.yml). Without it the feed is still
written, with links relative to the feed's own address (``feed.xml`` sits at the site root, so
readers resolve them to the right pages) and entry ids derived from the page paths (Atom ids
must be absolute IRIs); a comment in the feed says so. Setting ``site_url`` later changes the
ids once (to the pages' URLs).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ..model import CatalogEntry
from .sitemap import absolute

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50  # entries: the newest cables
SUMMARY_CHARS = 600  # an entry's summary is cut (at a word) beyond this
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class FeedItem(NamedTuple):
    """What an entry shows of a cable."""

    cable_id: str
    title: str
    url: str  # site-relative page URL
    date: dt.datetime
    summary: str


def newest(catalog: Sequence[CatalogEntry], count: int = FEED_SIZE) -> list[CatalogEntry]:
    """The ``count`` newest dated cables, newest first (the catalog is sorted by date, then id;
    undated cables come last and are left out: a feed entry needs a date)."""
    found: list[CatalogEntry] = []
    for entry in reversed(catalog):
        if len(found) == count:
            break
        if entry.date is not None:
            found.append(entry)
    return found


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    """``text`` on one line, cut at a word boundary after at most ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def rfc3339(date: dt.datetime) -> str:
    """Atom's date form; a cable's date without a zone is UTC (the telegrams' Zulu time)."""
    if date.tzinfo is not None:
        date = date.astimezone(dt.UTC).replace(tzinfo=None)
    return date.replace(microsecond=0).isoformat() + "Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = xml_text(text)
    return element


def _href(site_url: str | None, url: str) -> str:
    """A link to a site URL: absolute given the site's address, else relative to the feed (at the root)."""
    return absolute(site_url, url) if site_url else url


def _entry_id(url: str, site_url: str | None, site_name: str) -> str:
    if site_url:
        return absolute(site_url, url)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"cablesite:{site_name}:{url}").urn


def atom_feed(items: Iterable[FeedItem], site_name: str, site_url: str | None) -> bytes:
    """The feed document (UTF-8 bytes) for ``items``, newest first. Deterministic: its
    ``updated`` is the newest entry's date, never the time of the build."""
    items = list(items)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    if not site_url:
        feed.append(ET.Comment(" site_url is not set in mkdocs.yml: links are relative to this feed's address "
                               "and ids are derived from the page paths "))
    _sub(feed, "id", _entry_id("feed.xml", site_url, site_name))
    _sub(feed, "title", site_name)
    _sub(feed, "subtitle", "The newest cables of the archive")
    _sub(feed, "updated", rfc3339(max((i.date for i in items), default=dt.datetime(1970, 1, 1))))
    _sub(_sub(feed, "author"), "name", site_name)
    _sub(feed, "link", rel="alternate", type="text/html", href=_href(site_url, "index.html"))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=_href(site_url, "feed.xml"))
    _sub(feed, "generator", "cablesite")
    for item in items:
        entry = _sub(feed, "entry")
        title = item.title if item.cable_id in item.title else f"{item.title} ({item.cable_id})"
        _sub(entry, "title", title)
        _sub(entry, "id", _entry_id(item.url, site_url, site_name))
        _sub(entry, "link", rel="alternate", type="text/html", href=_href(site_url, item.url))
        _sub(entry, "updated", rfc3339(item.date))
        _sub(entry, "published", rfc3339(item.date))
        if item.summary:
            _sub(entry, "summary", shorten(xml_text(item.summary)), type="text")
    ET.indent(feed, space=" ")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
