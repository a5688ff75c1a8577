"""Write: Markdown pages with front matter, through Jinja2 templates.

Cable text is data: every value goes through Jinja2's autoescaping into raw HTML inside the
Markdown page, so Markdown, HTML and template syntax in a cable show as literal characters.
Newlines inside text are written as ``&#10;`` so that each block is one line of Markdown and
nothing in it can start a Markdown construct.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import frontmatter
import jinja2
from markupsafe import Markup, escape

from ..model import Cable
from .paths import relative_url

TEMPLATES = Path(__file__).parent / "templates"


def cable_text(value: str | None) -> Markup:
    """Escape text and keep its line breaks inside a single Markdown line."""
    return Markup(str(escape(value or "")).replace("\n", "&#10;"))


_SPAN_CLASSES = {"redaction": "cable-redaction", "comment": "cable-inline-comment", "note": "cable-inline-note"}


def cable_spans(value: str | None, spans: list[Any] | None = None) -> Markup:
    """Escaped text with its marked spans (redactions, inline comments, notes) wrapped.

    Every piece of text is escaped by ``cable_text``; only the span tags are markup. Spans
    nest (a redaction inside a comment); one that would cross another's end is left out.
    """
    text = value or ""
    out: list[str] = []
    open_ends: list[int] = []
    position = 0
    for span in sorted(spans or [], key=lambda s: (s.start, -s.end)):
        if not 0 <= span.start < span.end <= len(text) or span.start < position or span.kind not in _SPAN_CLASSES:
            continue
        while open_ends and open_ends[-1] <= span.start:
            out.append(str(cable_text(text[position:open_ends[-1]])) + "</span>")
            position = open_ends.pop()
        if open_ends and span.end > open_ends[-1]:
            continue
        out.append(str(cable_text(text[position:span.start])))
        out.append(f'<span class="{_SPAN_CLASSES[span.kind]}">')
        open_ends.append(span.end)
        position = span.start
    while open_ends:
        out.append(str(cable_text(text[position:open_ends[-1]])) + "</span>")
        position = open_ends.pop()
    out.append(str(cable_text(text[position:])))
    return Markup("".join(out))


def mark_level(marking: str | None) -> str:
    """CSS modifier for a marking badge: ``S/NF`` -> ``s``."""
    level = (marking or "").split("/")[0].split("-")[0].strip().lower()
    return {"ts": "ts", "s": "s", "c": "c", "sbu": "sbu", "u": "u"}.get(level, "other")


def entry_cells(entry: Any, link: Callable[[str], str]) -> Markup:
    """The date, id, subject and origin cells of a cable's row in a list page.

    Written in Python rather than in the template because index pages repeat it millions of
    times at the scale of Cablegate (every cable is listed on ~15 pages); the output is what
    the template would give."""
    date = entry.date.strftime("%Y-%m-%d") if entry.date else "undated"
    return Markup(f'<td>{date}</td><td><a href="{escape(link(entry.url))}">{escape(entry.id)}</a></td>'
                  f'<td>{escape(entry.subject or "")}</td><td>{escape(entry.origin or "")}</td>')


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["cable_text"] = cable_text
    env.filters["mark_level"] = mark_level
    env.filters["cable_spans"] = cable_spans
    env.filters["entry_cells"] = entry_cells
    return env


_ENV = make_environment()


def plain_meta(value: str | None) -> str | None:
    """Front matter strings on one line: a newline or ``---`` can never end the YAML block."""
    if value is None:
        return None
    return " ".join(str(value).split())


def html_title(text: str) -> str:
    """Material inserts ``page.meta.title`` unescaped into <title> and the header: escape it."""
    return html.escape(" ".join(text.split()), quote=True)


def linker(page_url: str) -> Callable[[str], str]:
    return lambda target: relative_url(page_url, target)


def chip_maker(page_url: str) -> Callable[[str, str | None], Markup]:
    def chip(label: str, url: str | None) -> Markup:
        if url:
            return Markup('<a class="cable-chip" href="{}">{}</a>').format(relative_url(page_url, url), label)
        return Markup('<span class="cable-chip">{}</span>').format(label)
    return chip


def page_with_front_matter(body: str, meta: dict[str, Any], keep_empty: bool = False) -> str:
    """``keep_empty`` writes every key even without a value, so that all pages of a kind have the
    same keys (one page frame fits them all: see render/stamp.py)."""
    post = frontmatter.Post(body, **{k: v for k, v in meta.items() if keep_empty or v not in (None, [], "")})
    return frontmatter.dumps(post, sort_keys=True) + "\n"


def render_cable(cable: Cable, url: str, context: dict[str, Any]) -> str:
    """Markdown for one cable page; ``context`` carries the links enrich resolved."""
    title = cable.subject or cable.id
    body = _ENV.get_template("cable.md.j2").render(
        cable=cable, title=title, link=linker(url), chip=chip_maker(url),
        source_kind={"native": "text file", "csv": "cables.csv row", "mirror": "2010 mirror page"}.get(
            cable.source_kind, cable.source_kind),
        **context,
    )
    meta = {
        "title": html_title(title),
        "template": "cable.html",
        "id": cable.id,
        "date": cable.date.isoformat(timespec="minutes") if isinstance(cable.date, dt.datetime) else None,
        "classification": plain_meta(cable.classification),
        "origin": plain_meta(cable.origin),
        "subject": plain_meta(cable.subject),
        "tags": [plain_meta(t) for t in cable.tags],
        "references": cable.reference_ids,
        "countries": list(cable.countries),
        "topics": list(cable.topics),
        "hide": ["toc"],
        "render": "raw-html",  # the body is one block of escaped HTML: see render/hooks.py
    }
    return page_with_front_matter(body, meta, keep_empty=True)


def render_page(template: str, url: str, title: str, **context: Any) -> str:
    """Markdown for an index or home page."""
    body = _ENV.get_template(template).render(link=linker(url), **context)
    return page_with_front_matter(body, {"title": html_title(title), "hide": ["toc"], "render": "raw-html"})
