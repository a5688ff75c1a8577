"""The site's sitemap (sitemaps.org protocol) and robots.txt, for a site whose address is known.

A sitemap file may hold at most 50,000 URLs and 50 MB uncompressed; an archive the size of
Cablegate has five times that many pages. When every URL fits in one file, ``sitemap.xml`` is
that file; otherwise it is a sitemap index naming ``sitemap-1.xml``, ``sitemap-2.xml``, ...,
each within both limits. Files are made one at a time from a stream of page URLs, so memory
stays at one file's worth whatever the archive's size. No ``lastmod``: the build knows no
honest modification date (a cable's date is not when its page changed), and the protocol
makes the field optional.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from urllib.parse import quote
from xml.sax.saxutils import escape

MAX_URLS = 50_000  # sitemaps.org: URLs per sitemap file
MAX_BYTES = 50 * 1024 * 1024  # sitemaps.org: uncompressed bytes per sitemap file
INDEX = "sitemap.xml"
PART = re.compile(r"^sitemap-[0-9]+\.xml$")  # the names of the index's files

_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_URLSET = _HEAD + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
_URLSET_END = "</urlset>\n"
_INDEX = _HEAD + '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
_INDEX_END = "</sitemapindex>\n"
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"  # reserved characters kept as they are; the rest percent-encoded


def absolute(site_url: str, url: str) -> str:
    """``url`` (a site-relative path) under ``site_url``, percent-encoded as the protocol asks."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return quote(base + url, safe=_URL_SAFE)


def _loc(tag: str, url: str) -> str:
    return f"<{tag}><loc>{escape(url)}</loc></{tag}>\n"


def url_chunks(urls: Iterable[str], max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES) -> Iterator[bytes]:
    """``<urlset>`` files of absolute ``urls``, in order, each within ``max_urls`` and ``max_bytes``."""
    fixed = len(_URLSET.encode()) + len(_URLSET_END.encode())
    lines: list[bytes] = []
    size = fixed
    for url in urls:
        line = _loc("url", url).encode("utf-8")
        if fixed + len(line) > max_bytes:
            raise ValueError(f"URL too long for a sitemap file of {max_bytes} bytes: {url[:80]}...")
        if lines and (len(lines) >= max_urls or size + len(line) > max_bytes):
            yield _URLSET.encode() + b"".join(lines) + _URLSET_END.encode()
            lines, size = [], fixed
        lines.append(line)
        size += len(line)
    if lines:
        yield _URLSET.encode() + b"".join(lines) + _URLSET_END.encode()


def sitemap_files(urls: Iterable[str], site_url: str, max_urls: int = MAX_URLS,
                  max_bytes: int = MAX_BYTES) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of the sitemap of the site-relative page ``urls``: ``sitemap.xml``
    alone when it holds them all, else the parts and, last, ``sitemap.xml`` as their index."""
    chunks = url_chunks((absolute(site_url, url) for url in urls), max_urls, max_bytes)
    first = next(chunks, None)
    if first is None:  # no pages: an empty urlset is still a valid sitemap
        yield INDEX, (_URLSET + _URLSET_END).encode()
        return
    second = next(chunks, None)
    if second is None:
        yield INDEX, first
        return
    names = []
    for number, chunk in enumerate(itertools.chain((first, second), chunks), start=1):
        name = f"sitemap-{number}.xml"
        names.append(name)
        yield name, chunk
    yield INDEX, (_INDEX + "".join(_loc("sitemap", absolute(site_url, n)) for n in names) + _INDEX_END).encode()


def robots_txt(site_url: str) -> bytes:
    """robots.txt: everything may be crawled; where the sitemap is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(site_url, INDEX)}\n".encode()
