"""Pages of the 2010 cablegate static mirror (``cable/YYYY/MM/<ID>.html``).

The metadata table gives id, created date, classification and origin; the first ``<pre>``
holds the routing header and the second the cable text. The mirror's own paragraph links
(``<a id='parN' href='#parN'>¶</a>``) are dropped so that the parser numbers paragraphs from
the text itself, as it does for every other source.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

from ..model import Problem, RawCable, SourceLocation
from .text import clean_text, read_text_file

_TABLE = re.compile(r"<table class=['\"]cable['\"]>(.*?)</table>", re.S | re.I)
_CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S | re.I)
_PRE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.S | re.I)
_MIRROR_ANCHOR = re.compile(r"<a\s+id=['\"]par\d+['\"][^>]*>\s*(?:¶|&para;|&#182;)?\s*</a>", re.I)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment: mirror anchors dropped, other tags removed, entities decoded."""
    fragment = _MIRROR_ANCHOR.sub("", fragment)
    return html.unescape(_TAG.sub("", fragment))


def _parse_created(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        return None


def read_mirror_page(path: Path) -> Iterator[RawCable | Problem]:
    """Yield the cable on one mirror page, or a Problem if the page is not one."""
    page, problems = read_text_file(path)
    yield from problems
    if page is None:
        return
    table = _TABLE.search(page)
    blocks = _PRE.findall(page)
    if table is None or not blocks:
        yield Problem(SourceLocation(str(path), line=1),
                      "not a cablegate mirror cable page (no metadata table or no <pre> text)")
        return
    cells = [clean_text(html_to_text(cell)).strip() for cell in _CELL.findall(table.group(1))]
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
    body_html = blocks[-1]
    header = html_to_text(blocks[0]) if len(blocks) > 1 else ""
    body_line = page.count("\n", 0, page.find(body_html)) + 1
    yield RawCable(
        text=clean_text(html_to_text(body_html)),
        location=SourceLocation(str(path), line=body_line),
        kind="mirror",
        fields=fields,
        header=clean_text(header),
    )
