"""Link check over a built site: every internal link and anchor must resolve.

Streams the site page by page: for each page it keeps only its anchor ids, and links are
grouped by target so each target page is read once. Also flags anything loaded from another
host, since the built site must work offline and leak nothing to third parties.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

_ATTR = re.compile(r"""<(?P<tag>[a-zA-Z][a-zA-Z0-9]*)\b(?P<attrs>[^>]*)>""")
_HREF = re.compile(r"""\b(?P<name>href|src)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""")
_ID = re.compile(r"""\b(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SCRIPT_STYLE = re.compile(r"<(script|style)\b([^>]*)>.*?</\1>", re.S | re.I)


@dataclass
class LinkReport:
    pages: int = 0
    links: int = 0
    broken: list[str] = field(default_factory=list)
    external_loads: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken and not self.external_loads


def _without_code(text: str) -> str:
    """Drop script and style bodies (their strings are not links) but keep the tags' attributes."""
    return _SCRIPT_STYLE.sub(lambda m: f"<{m.group(1)}{m.group(2)}></{m.group(1)}>", text)


def _ids(text: str) -> set[str]:
    text = _without_code(text)
    return {html.unescape(a or b) for a, b in _ID.findall(text)}


def check_site(site_dir: Path) -> LinkReport:
    report = LinkReport()
    wanted: dict[str, set[tuple[str, str]]] = defaultdict(set)  # target -> {(anchor, from)}
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel == "404.html":
            continue  # served at any missing URL, so MkDocs links it from the site root on purpose
        report.pages += 1
        text = _without_code(path.read_text(encoding="utf-8", errors="replace"))
        for tag in _ATTR.finditer(text):
            for attr in _HREF.finditer(tag.group("attrs")):
                value = html.unescape(attr.group("dq") or attr.group("sq") or attr.group("bare") or "")
                _classify(tag.group("tag").lower(), attr.group("name"), value, rel, site_dir, wanted, report)
    for target, uses in sorted(wanted.items()):
        target_path = site_dir / target
        if not target_path.is_file():
            for _anchor, source in sorted(uses):
                report.broken.append(f"{source}: link to missing {target}")
            continue
        anchors = {a for a, _ in uses if a}
        if not anchors or not target.endswith(".html"):
            continue
        ids = _ids(target_path.read_text(encoding="utf-8", errors="replace"))
        for anchor, source in sorted(uses):
            if anchor and anchor not in ids:
                report.broken.append(f"{source}: link to missing anchor {target}#{anchor}")
    return report


def _classify(tag: str, attr: str, value: str, page: str, site_dir: Path,
              wanted: dict[str, set[tuple[str, str]]], report: LinkReport) -> None:
    parts = urlsplit(value)
    if parts.scheme or value.startswith("//"):
        loads = attr == "src" or tag == "link"
        if loads and parts.scheme in ("http", "https", "") and not value.startswith("data:"):
            report.external_loads.append(f"{page}: loads {value}")
        return
    if value.startswith(("mailto:", "javascript:", "data:")):
        return
    report.links += 1
    path = unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        report.broken.append(f"{page}: absolute link {value} breaks when served from a sub-path")
        return
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if target.startswith("../") or target == "..":
            report.broken.append(f"{page}: link {value} leaves the site")
            return
        if path.endswith("/") or (site_dir / target).is_dir():
            target = posixpath.join(target, "index.html")
    wanted[target].add((unquote(parts.fragment), page))
