"""Pages of the 2010 cablegate static mirror (``cable/YYYY/MM/<ID>.html``).

The metadata table gives id, created date, classification and origin; the first ``<pre>``
holds the routing header and the second the cable text. The mirror's own paragraph links
(``<a id='parN' href='#parN'>¶</a>``) are dropped so that the parser numbers paragraphs from
the text itself, as it does for every other source.

A page is hostile input like any other, so it is read in time linear in its size: no pattern
here can scan past the next ``<`` (``[^<>]`` where a tag's inside is matched), whitespace is
matched possessively, and an element is found as its opening tag, then the first closing tag
after it; when there is none, no later element can close either and the search stops. (A
``<pre>(.*?)</pre>`` over the page rescans to the end from every unclosed ``<pre>``: a 200 KB
page of them took a minute.) ``html.parser`` is no way out: before Python 3.13.4 it is itself
quadratic in unclosed tags, comments and attribute quotes.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

from ..model import Problem, RawCable, SourceLocation
from .text import clean_text, read_text_file

_TABLE_OPEN = re.compile(r"<table class=['\"]cable['\"]>", re.I)
_TABLE_CLOSE = re.compile(r"</table>", re.I)
_CELL_OPEN = re.compile(r"<td[^<>]*>", re.I)
_CELL_CLOSE = re.compile(r"</td>", re.I)
_PRE_OPEN = re.compile(r"<pre[^<>]*>", re.I)
_PRE_CLOSE = re.compile(r"</pre>", re.I)
_MIRROR_ANCHOR = re.compile(
    r"<a\s++id=['\"]par\d++['\"][^<>]*>\s*+(?:(?:¶|&para;|&#182;)\s*+)?</a>", re.I)
_TAG = re.compile(r"<[^<>]+>")


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment: mirror anchors dropped, other tags removed, entities decoded."""
    fragment = _MIRROR_ANCHOR.sub("", fragment)
    return html.unescape(_TAG.sub("", fragment))


def elements(page: str, opening: re.Pattern[str], closing: re.Pattern[str],
             start: int = 0, end: int | None = None) -> Iterator[tuple[int, str]]:
    """(offset, inner HTML) of each element ``opening ... closing`` in ``page[start:end]``, as
    ``findall`` of ``opening(.*?)closing`` finds them, in linear time: an opening without a
    closing after it ends the search, since every later opening lacks one too."""
    end = len(page) if end is None else end
    position = start
    while True:
        found = opening.search(page, position, end)
        if found is None:
            return
        close = closing.search(page, found.end(), end)
        if close is None:
            return
        yield found.end(), page[found.end():close.start()]
        position = close.end()


def _parse_created(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        return None


def _table_cells(page: str) -> list[str] | None:
    """Text of the cells of the page's metadata table; None when the page has none."""
    table = next(elements(page, _TABLE_OPEN, _TABLE_CLOSE), None)
    if table is None:
        return None
    offset, inner = table
    return [clean_text(html_to_text(cell)).strip()
            for _, cell in elements(page, _CELL_OPEN, _CELL_CLOSE, offset, offset + len(inner))]


def _first_and_last_pre(page: str) -> tuple[tuple[int, str], tuple[int, str]] | None:
    """The first and the last ``<pre>`` block (the same one when there is one); None for none."""
    first = last = None
    for block in elements(page, _PRE_OPEN, _PRE_CLOSE):
        first = first or block
        last = block
    return (first, last) if first and last else None


def read_mirror_page(path: Path) -> Iterator[RawCable | Problem]:
    """Yield the cable on one mirror page, or a Problem if the page is not one."""
    page, problems = read_text_file(path)
    yield from problems
    if page is None:
        return
    cells = _table_cells(page)
    blocks = _first_and_last_pre(page)
    if cells is None or blocks is None:
        yield Problem(SourceLocation(str(path), line=1),
                      "not a cablegate mirror cable page (no metadata table or no <pre> text)")
        return
    fields: dict[str, object] = {}
    if cells:
        fields["id"] = cells[0]
    if len(cells) >= 2:
        created = _parse_created(cells[1])
        if created:
            fields["date"] = created
    if len(cells) >= 4 and cells[3]:
        fields["classification"] = cells[3]
    if len(cells) >= 5 and cells[4]:
        fields["origin"] = cells[4]
    if not fields.get("id"):
        fields["id"] = path.stem
    (first_at, first_html), (body_at, body_html) = blocks
    header = html_to_text(first_html) if first_at != body_at else ""
    yield RawCable(
        text=clean_text(html_to_text(body_html)),
        location=SourceLocation(str(path), line=page.count("\n", 0, body_at) + 1),
        kind="mirror",
        fields=fields,
        header=clean_text(header),
    )
