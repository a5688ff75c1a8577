"""Page frames: MkDocs renders one page per kind of page, the others are stamped from it.

Why: the Material template costs ~2 ms a page and MkDocs adds its own per-page work, which at
251,287 cables is most of the render stage. But a generated page that is not in the navigation
(every cable and index page: see ``nav`` in mkdocs.yml) differs from any other page of the same
kind only in its title, its body and the segments of its own path: the navigation, the assets'
relative URLs (which depend only on the depth) and everything else in Material's frame are the
same. So MkDocs renders, for each kind of page (its depth, its ``template``, its ``hide`` list
and the set of its front-matter keys), a probe page whose title, body and path segments are
markers; the rendered probe, split at the markers, is the *frame* of that kind, and every page
of the kind is the frame with its own values put in. A page's ``description`` (its meta
description, also used for link previews) is a slot too, as the title is.

Exactness is checked, not assumed: each kind gets two probes with different values (the second
with characters that escaping would change), and the frame of the first, filled with the
second's values, must equal the second exactly as MkDocs rendered it. A theme that prints any
other front-matter value of the page is caught by a marker in that value. A kind that fails a
check, and any page that is not plain enough (not ``render: raw-html``, a non-string title, a
path segment that URL-quoting would change), is left to MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.utils.meta import YAML_RE, get_data

from ..write.files import write_new_file
from .hooks import RAW_HTML

MARK = "zzcablesiteprobe"  # lower-case letters and digits: no filter or quoting changes it
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_SPECIAL_STEMS = {"index", "readme", "404"}  # MkDocs gives these other URLs or roles


@dataclass(frozen=True, order=True)
class PageKind:
    """What decides a generated page's frame, apart from its own title, body and path."""

    depth: int
    template: str
    hide: tuple[str, ...]
    keys: tuple[str, ...]  # front-matter keys, sorted: a theme may test for their presence
    h1: bool  # the body has its own <h1>: Material then leaves out the title heading


def read_page(path: Path) -> tuple[str, dict[str, Any]]:
    """A Markdown file's body and front matter, read exactly as MkDocs reads it (UTF-8 with an
    optional byte-order mark, in text mode: ``as_read_back``)."""
    return get_data(as_read_back(path.read_bytes().decode("utf-8")))


def kind_of(rel: str, meta: dict[str, Any], body: str) -> PageKind | None:
    """The page's kind, or None when MkDocs must render the page itself."""
    if meta.get("render") != RAW_HTML or not isinstance(meta.get("title"), str):
        return None
    if "description" in meta and not isinstance(meta["description"], str):
        return None
    segments = rel[: -len(".md")].split("/") if rel.endswith(".md") else []
    if not segments or segments[-1].lower() in _SPECIAL_STEMS:
        return None
    if not all(_SAFE_SEGMENT.match(segment) for segment in segments):
        return None
    template = meta.get("template", "")
    hide = meta.get("hide", [])
    if not isinstance(template, str) or not isinstance(hide, list) or not all(isinstance(h, str) for h in hide):
        return None
    return PageKind(len(segments) - 1, template, tuple(hide), tuple(sorted(meta)), "<h1" in body)


@dataclass
class Probe:
    """A page written for MkDocs to render, with marker values (``tag`` tells the probes apart)."""

    kind: PageKind
    tag: str
    title: str
    body: str
    segments: list[str]
    meta_marker: str
    description: str = ""

    @property
    def has_description(self) -> bool:
        return "description" in self.kind.keys

    @property
    def rel(self) -> str:
        return "/".join(self.segments) + ".md"

    @property
    def html_rel(self) -> str:
        return "/".join(self.segments) + ".html"

    def values(self) -> dict[str, str]:
        """Slot name -> value, the same slots a frame has."""
        slots = {"title": self.title, "body": self.body}
        if self.has_description:
            slots["description"] = self.description
        slots.update({f"s{i}": segment for i, segment in enumerate(self.segments)})
        return slots

    def markdown(self) -> str:
        import yaml  # PyYAML comes with MkDocs

        meta: dict[str, Any] = {}
        for key in self.kind.keys:
            if key == "title":
                meta[key] = self.title
            elif key == "description":
                meta[key] = self.description
            elif key == "render":
                meta[key] = RAW_HTML
            elif key == "template" and self.kind.template:
                meta[key] = self.kind.template
            elif key == "hide":
                meta[key] = list(self.kind.hide)
            else:
                meta[key] = self.meta_marker
        return "---\n" + yaml.safe_dump(meta, sort_keys=True, allow_unicode=True) + "---\n" + self.body


def make_probes(kind: PageKind, number: int) -> tuple[Probe, Probe]:
    """The marker probe and the checking probe of one kind of page."""
    def markers(tag: str) -> Probe:
        prefix = f"{MARK}{number:04d}{tag}"
        segments = [f"{prefix}s{i}q" for i in range(kind.depth + 1)]
        return Probe(kind, tag, f"{prefix}tq", f"{prefix}bq", segments, f"{prefix}mq", f"{prefix}dq")

    marker = markers("a")
    check = markers("b")
    # Values that any escaping, filtering or re-parsing would alter.
    check.title = f"{check.title} &amp; &lt;i&gt; &quot;q&quot; &#x27;a&#x27; {{{{ x }}}} \\1 $0 ü"
    check.description = f"{check.description} &amp; &lt;i&gt; &quot;q&quot; {{{{ x }}}} \\1 $0 ü"
    check.body = (f'<p class="x">{check.body} &amp; <b>b</b> {{{{ x }}}} {{% y %}} \\1 $0 ü</p>\n'
                  "<!-- c -->\n<pre>  a\n\tb</pre>\n")
    if kind.h1:
        marker.body = f"<h1>{marker.body}</h1>"
        check.body = f"<h1>x</h1>\n{check.body}"
    return marker, check


@dataclass
class Frame:
    """A rendered probe split at its markers: literal text and slot names, alternating."""

    parts: list[str]
    slots: list[str]

    @classmethod
    def from_probe(cls, html: str, probe: Probe) -> Frame:
        values = probe.values()
        by_value = {value: name for name, value in values.items()}
        pattern = re.compile("|".join(re.escape(v) for v in sorted(by_value, key=len, reverse=True)))
        parts: list[str] = []
        slots: list[str] = []
        position = 0
        for match in pattern.finditer(html):
            parts.append(html[position:match.start()])
            slots.append(by_value[match.group(0)])
            position = match.end()
        parts.append(html[position:])
        return cls(parts, slots)

    def fill(self, values: dict[str, str]) -> str:
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            out.append(values[slot])
            out.append(part)
        return "".join(out)


@dataclass
class Frames:
    """The frames of the kinds that passed their checks, and why the others did not."""

    by_kind: dict[PageKind, Frame] = field(default_factory=dict)
    refused: dict[PageKind, str] = field(default_factory=dict)


def frames_from_probes(site: Path, probes: list[tuple[Probe, Probe]]) -> Frames:
    """Read the rendered probes from ``site``, check each kind, and remove the probes' files."""
    frames = Frames()
    for marker, check in probes:
        marker_html = _read_probe(site, marker)
        check_html = _read_probe(site, check)
        reason = _check(marker, check, marker_html, check_html)
        if reason:
            frames.refused[marker.kind] = reason
        else:
            frames.by_kind[marker.kind] = Frame.from_probe(marker_html or "", marker)
    for marker, check in probes:
        for probe in (marker, check):
            _remove_with_empty_parents(site, probe.html_rel)
    return frames


def _read_probe(site: Path, probe: Probe) -> str | None:
    path = site / probe.html_rel
    return path.read_bytes().decode("utf-8") if path.exists() else None


def _check(marker: Probe, check: Probe, marker_html: str | None, check_html: str | None) -> str:
    if marker_html is None or check_html is None:
        return "MkDocs did not write the probe page where expected (use_directory_urls?)"
    if marker.meta_marker in marker_html or check.meta_marker in check_html:
        return "the theme shows a page's own front-matter values"
    frame = Frame.from_probe(marker_html, marker)
    if "body" not in frame.slots:
        return "the theme does not show the page body as it is"
    if frame.fill(check.values()) != check_html:
        return "the page frame depends on the page in a way stamping cannot reproduce"
    return ""


def _remove_with_empty_parents(site: Path, rel: str) -> None:
    path = site / rel
    path.unlink(missing_ok=True)
    parent = path.parent
    while parent != site and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def stamp_page(frames: Frames, docs: Path, rel: str, site: Path) -> bool:
    """Write the HTML of ``docs/rel`` into ``site`` from its frame; False if it has none."""
    body, meta = read_page(docs / rel)
    return _stamp(frames, rel, body, meta, site)


def stamp_generated(frames: Frames, rel: str, text: str, meta: dict[str, Any], site: Path) -> bool:
    """``stamp_page`` for a page this build has just made as ``text`` from ``meta``: the cable
    pages are stamped as they are made, with no file to write and read back and no YAML to parse.

    What MkDocs would read is derived from the text as MkDocs derives it (its own front-matter
    pattern). The values are taken from ``meta`` only when the YAML round trip is certain to give
    them back unchanged (a printable title, text without carriage returns, which reading in
    text mode would turn into newlines); otherwise from the text as MkDocs would read it back
    from its file (``as_read_back``). The page need not be written at all: a stamped cable page
    has no Markdown file (see build/cable_pages.py)."""
    title = meta.get("title")
    description = meta.get("description", "")
    match = YAML_RE.match(text)
    if match is None or "\r" in text or not isinstance(title, str) or not title.isprintable() \
            or title != title.strip() or not isinstance(description, str) or not description.isprintable() \
            or description != description.strip():
        body, meta = get_data(as_read_back(text))
        return _stamp(frames, rel, body, meta, site)
    return _stamp(frames, rel, text[match.end():].lstrip("\n"), meta, site)


def as_read_back(text: str) -> str:
    """``text`` as MkDocs reads it from the UTF-8 file it is written to (``utf-8-sig``, text
    mode): a leading byte-order mark dropped, line ends made newlines. The one definition that
    ``read_page`` (a file) and ``stamp_generated`` (a page not written) share."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _stamp(frames: Frames, rel: str, body: str, meta: dict[str, Any], site: Path) -> bool:
    kind = kind_of(rel, meta, body)
    frame = frames.by_kind.get(kind) if kind else None
    if frame is None:
        return False
    segments = rel[: -len(".md")].split("/")
    values = {"title": meta["title"], "body": body}
    if "description" in meta:
        values["description"] = meta["description"]
    values.update({f"s{i}": segment for i, segment in enumerate(segments)})
    html = frame.fill(values)
    target = site / (rel[: -len(".md")] + ".html")
    # a new file: a hard-linked copy of the live site stays untouched; encoded as MkDocs writes pages
    write_new_file(target, html.encode("utf-8", errors="xmlcharrefreplace"))
    return True


# Worker state: the frames, sent once per worker process.
_WORKER_FRAMES: list[Frames] = []


def init_stamp_worker(frames: Frames) -> None:
    _WORKER_FRAMES[:] = [frames]


def stamp_pages(frames: Frames, docs: Path, site: Path, pages: Iterable[str]) -> list[str]:
    """Stamp ``pages``; returns those no frame fits, which MkDocs must render instead."""
    return [rel for rel in pages if not stamp_page(frames, docs, rel, site)]


def stamp_chunk(docs: Path, site: Path, pages: list[str]) -> list[str]:
    """``stamp_pages`` for a chunk, in a stamping worker (its frames were sent once)."""
    return stamp_pages(_WORKER_FRAMES[0], docs, site, pages)


def sample_kinds(docs: Path, pages: list[str], limit: int = 64) -> list[PageKind]:
    """The kinds of a spread of pages (the first and last of each folder, and evenly spaced
    ones): which probes to render. A kind missed here only costs speed: its pages go to MkDocs."""
    chosen: set[str] = set()
    first_by_folder: dict[str, str] = {}
    last_by_folder: dict[str, str] = {}
    for rel in pages:
        folder = rel.split("/", 1)[0] if "/" in rel else ""
        first_by_folder.setdefault(folder, rel)
        last_by_folder[folder] = rel
    chosen.update(first_by_folder.values(), last_by_folder.values())
    step = max(1, len(pages) // limit)
    chosen.update(pages[::step])
    kinds: set[PageKind] = set()
    for rel in sorted(chosen):
        try:
            body, meta = read_page(docs / rel)
        except (OSError, ValueError):
            continue
        kind = kind_of(rel, meta, body)
        if kind is not None:
            kinds.add(kind)
    return sorted(kinds)
