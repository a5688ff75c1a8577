"""Write: Markdown pages with front matter, through Jinja2 templates.

Cable text is data: every value goes through Jinja2's autoescaping into raw HTML inside the
Markdown page, so Markdown, HTML and template syntax in a cable show as literal characters.
Newlines inside text are written as ``&#10;`` so that each block is one line of Markdown and
nothing in it can start a Markdown construct.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

import frontmatter
import jinja2
import yaml
from markupsafe import Markup, escape

from ..model import Cable
from .paths import relative_url
from .reader import meta_description, page_title, paragraph_names, repeated_summary

TEMPLATES = Path(__file__).parent / "templates"


def escaped(value: Any) -> str:
    """``markupsafe.escape(value)`` as a ``str``, for the f-strings that join page markup.

    A hand-written path for plain strings (the same five replacements, by ``str.replace``) was
    measured against it on 10,000 synthetic cables (1.34 M calls): 0.88 s of CPU less in the
    calls, 1.5 s in the whole page writing, which the build's 2 workers share: about 3 % of a
    25 s build (``bench/library_choices.py``), under the 5 % that would pay for owning it."""
    return str(escape(value))


def cable_text(value: str | None) -> Markup:
    """Escape text and keep its line breaks inside a single Markdown line."""
    return Markup(escaped(value or "").replace("\n", "&#10;"))


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


def cable_paragraphs(paragraphs: list[Any]) -> Markup:
    """The blocks of a cable's body, each with its anchor, pilcrow link and marking; headings
    as <h2>. Written in Python rather than as a template loop: a page has dozens of blocks,
    and the loop's escaping calls cost a tenth of the whole build (tests hold it to the loop)."""
    out = []
    for p in paragraphs:
        anchor = escaped(p.anchor)
        if p.kind == "heading":
            # the permalink beside the heading, not in it: a heading read out ends in its words, not "¶"
            out.append(f'<div class="cable-heading-row"><h2 class="cable-heading" id="{anchor}">'
                       f'{cable_text(p.text)}</h2><a class="cable-pilcrow" href="#{anchor}" '
                       'aria-label="Link to this heading">¶</a></div>\n')
            continue
        classes = "cable-par"
        attributes = f'id="{anchor}"'
        if p.number is None:
            classes += " cable-par--unnumbered"
        if p.callout:
            callout = escaped(p.callout)
            classes += f" cable-callout cable-callout--{callout}"
            attributes += f' data-callout="{callout}"'
        if p.number is not None:
            number = escaped(p.number)
            link_title, number_span = f"paragraph {number}", f'<span class="cable-num">{number}.</span> '
        else:
            link_title, number_span = "this passage", ""
        marking = ""
        if p.classification:
            marking = (f'<span class="cable-mark cable-mark--{escaped(mark_level(p.classification))}" '
                       f'title="Classification of this paragraph">{escaped(p.classification)}</span> ')
        out.append(f'<div class="{classes}" {attributes}><a class="cable-pilcrow" href="#{anchor}" '
                   f'aria-label="Link to {link_title}">¶</a>{number_span}{marking}'
                   f'<span class="cable-text">{cable_spans(p.text, p.spans)}</span></div>\n')
    return Markup("".join(out))


def mark_level(marking: str | None) -> str:
    """CSS modifier for a marking badge: ``S/NF`` -> ``s``."""
    level = (marking or "").split("/")[0].split("-")[0].strip().lower()
    return {"ts": "ts", "s": "s", "c": "c", "sbu": "sbu", "u": "u"}.get(level, "other")


def entry_rows(entries: Any, link: Callable[[str], str]) -> Markup:
    """The rows of a list page: date, id, subject, origin and classification of each cable.

    Rows are written in Python rather than in a template loop because index pages repeat them
    millions of times at the scale of Cablegate (every cable is listed on ~15 pages)."""
    out = []
    for entry in entries:
        before_link, after_link, classification = _escaped_cells(entry)
        out.append(f'<tr role="row">{before_link}{escaped(link(entry.url))}{after_link}{classification}</tr>\n')
    return Markup("".join(out))


def term_rows(rows: Any, link: Callable[[str], str], show_paragraphs: bool) -> Markup:
    """The rows of a term's list page (``indexes.browse.term_rows``): on country pages the last
    cell links the paragraphs naming the country, elsewhere it is the classification."""
    out = []
    for row in rows:
        entry = row["entry"]
        before_link, after_link, classification = _escaped_cells(entry)
        out.append(f'<tr role="row">{before_link}{escaped(link(entry.url))}{after_link}')
        if show_paragraphs:
            out.append('<td role="cell" class="browse-where">')
            if row["tagged"]:
                out.append('<span class="browse-badge" title="Filed under this country in its TAGS">TAGS</span> ')
            # one link to the cable for all its paragraphs: the link to url#anchor is the link to
            # url with "#anchor" after it, and escaping goes character by character
            href = escaped(link(entry.url))
            out.extend(f'<a href="{href}#{escaped(p["anchor"])}">{escaped(p["label"])}</a> ' for p in row["paragraphs"])
            out.append("</td></tr>\n")
        else:
            out.append(f"{classification}</tr>\n")
    return Markup("".join(out))


# Escaped cells by entry: an entry is listed on ~15 pages, escaped once. Keyed by every value
# shown, so a cache entry can never be stale; emptied when full, so it stays bounded.
_CELLS: dict[tuple[Any, ...], tuple[str, str, str]] = {}
_CELLS_LIMIT = 200_000


def _escaped_cells(entry: Any) -> tuple[str, str, str]:
    """(cells up to the link's href, cells after it, the classification cell) of an entry."""
    key = (entry.id, entry.date, entry.title, entry.origin, entry.classification)
    cells = _CELLS.get(key)
    if cells is None:
        if len(_CELLS) >= _CELLS_LIMIT:
            _CELLS.clear()
        date = entry.date.strftime("%Y-%m-%d") if entry.date else "undated"
        # explicit roles: the phone layout (theme cables.css) shows rows as cards, and a browser
        # may drop a table's semantics when its display changes (WebKit does) unless they are said
        cells = (f'<td role="cell">{date}</td><td role="cell"><a href="',
                 f'">{escaped(entry.id)}</a></td>'
                 f'<td role="cell">{escaped(entry.title if entry.title != entry.id else "")}</td>'
                 f'<td role="cell">{escaped(entry.origin or "")}</td>',
                 f'<td role="cell">{escaped(entry.classification or "")}</td>')
        _CELLS[key] = cells
    return cells


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no stat() per template use
    )
    env.filters["cable_text"] = cable_text
    env.filters["mark_level"] = mark_level
    env.filters["cable_spans"] = cable_spans
    env.filters["cable_paragraphs"] = cable_paragraphs
    env.filters["entry_rows"] = entry_rows
    env.filters["term_rows"] = term_rows
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
        # f-strings over escaped(): Markup.format's string.Formatter cost more than the rest of a
        # cable's metadata card (a cable page has a dozen chips).
        if url:
            return Markup(f'<a class="cable-chip" href="{escaped(relative_url(page_url, url))}">{escaped(label)}</a>')
        return Markup(f'<span class="cable-chip">{escaped(label)}</span>')
    return chip


# libyaml's emitter when PyYAML has it (its wheels do): a fifth of the pure-Python one's time, and
# a cable page's front matter was a tenth of the time spent writing it. The two can quote some
# rare characters differently; both read back as the same values, which is all MkDocs sees.
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def page_with_front_matter(body: str, meta: dict[str, Any], keep_empty: bool = False) -> str:
    """``keep_empty`` writes every key even without a value, so that all pages of a kind have the
    same keys (one page frame fits them all: see render/stamp.py)."""
    return page_and_meta(body, meta, keep_empty)[0]


def page_and_meta(body: str, meta: dict[str, Any], keep_empty: bool = False) -> tuple[str, dict[str, Any]]:
    """The page's text and the front matter it holds (what MkDocs will read back)."""
    written = {k: v for k, v in meta.items() if keep_empty or v not in (None, [], "")}
    plain = plain_front_matter(written)
    if plain is not None:  # laid out as python-frontmatter lays out a post
        return f"---\n{plain}\n---\n\n{body}".rstrip() + "\n", written
    return frontmatter.dumps(frontmatter.Post(body, **written), sort_keys=True, Dumper=_YAML_DUMPER) + "\n", written


_KEY = re.compile(r"[a-z_]+\Z")


def plain_front_matter(meta: dict[str, Any]) -> str | None:
    """The YAML of ``meta`` when every value is None, a string or a list of strings; None
    otherwise (then PyYAML writes it).

    Why: PyYAML's representer, even with libyaml's emitter, was a fifth of the time spent on a
    cable page; and it writes some values it cannot read back (a lone no-break space comes back
    as null). Strings are written as YAML double-quoted scalars (``yaml_string``), which read
    back exactly the values written (tested)."""
    lines = []
    for key in sorted(meta):
        value = meta[key]
        if not _KEY.match(key):  # (an empty front matter, too, is left to PyYAML: MkDocs reads "{}")
            return None
        if value is None:
            lines.append(f"{key}: null")
        elif isinstance(value, str):
            lines.append(f"{key}: {yaml_string(value)}")
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            lines.append(f"{key}: []" if not value else
                         f"{key}:\n" + "\n".join(f"- {yaml_string(item)}" for item in value))
        else:
            return None
    return "\n".join(lines) or None


def yaml_string(value: str) -> str:
    """``value`` as a YAML double-quoted scalar. A JSON string is one: for printable text JSON
    escapes only ``"`` and ``\\`` (and control characters), all YAML escapes too. A character
    that is not printable (C1 controls, the line and paragraph separators and NEL, which YAML
    would fold, no-break and other spaces, format characters) gets YAML's ``\\u``/``\\U``
    escape, so that nothing is folded, trimmed or refused on reading.

    Why not PyYAML's emitter (libyaml's, double-quoted style): on 10,000 synthetic cables
    (267,000 calls) writing the pages took 2.9 s more CPU with it (1.9 s in the calls alone),
    which the build's 2 workers share: about 5.7 % of a 25 s build (``bench/library_choices.py``),
    over the 5 % that pays for owning these lines."""
    text = encode_basestring(value)  # what json.dumps(value, ensure_ascii=False) returns, without its set-up per call
    if value.isprintable():
        return text
    return "".join(c if c.isprintable() else (f"\\u{ord(c):04X}" if ord(c) < 0x10000 else f"\\U{ord(c):08X}")
                   for c in text)


def render_cable(cable: Cable, url: str, context: dict[str, Any]) -> str:
    """Markdown for one cable page; ``context`` carries the links enrich resolved."""
    return cable_page(cable, url, context)[0]


def cable_page(cable: Cable, url: str, context: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """``render_cable``, with the front matter the page holds (for stamping it: render/stamp.py)."""
    title = cable.title
    repeated = repeated_summary(cable.summary, cable.paragraphs)
    body = _ENV.get_template("cable.md.j2").render(
        cable=cable, title=title, link=linker(url), chip=chip_maker(url),
        summary_at=repeated[0].anchor if repeated else None, summary_names=paragraph_names(repeated),
        source_kind={"native": "text file", "csv": "cables.csv row", "mirror": "2010 mirror page"}.get(
            cable.source_kind, cable.source_kind),
        **context,
    )
    meta = {
        "title": html_title(page_title(cable.title, cable.id)),  # the id tells apart cables of one subject
        # printed by the theme as it is, like the title: escaped here
        "description": html_title(meta_description(cable.subject, cable.summary, cable.paragraphs, cable.id)),
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
        "hide": ["navigation", "toc"],  # the text uses the full width (the menu stays, as a drawer)
        "render": "raw-html",  # the body is one block of escaped HTML: see render/hooks.py
    }
    return page_and_meta(body, meta, keep_empty=True)


# Index pages that are in the navigation (mkdocs.yml) keep its sidebar, which lists their section.
_PAGES_WITH_NAVIGATION = {"browse.md.j2", "years.md.j2"}


def render_page(template: str, url: str, title: str, description: str = "", **context: Any) -> str:
    """Markdown for an index or home page; ``description`` is its meta description (what the
    page lists: indexes/describe.py), printed by the theme as it is, so escaped like the title."""
    body = _ENV.get_template(template).render(link=linker(url), **context)
    hide = ["toc"] if template in _PAGES_WITH_NAVIGATION else ["navigation", "toc"]
    meta = {"title": html_title(title), "hide": hide, "render": "raw-html"}
    if description:
        meta["description"] = html_title(description)
    return page_with_front_matter(body, meta)
