"""MkDocs hooks of the tool itself: ``render_site`` adds this file to every render, after the hooks
a project's mkdocs.yml lists (a project never names a path inside the package).

Raw-HTML passthrough: the writer produces each page body as one block of escaped HTML. For such
a block Python-Markdown's only job is to recognise it as raw HTML and pass it through unchanged,
but it does so by running an HTML parser over it twice, which was three quarters of the render
time of a cable page. Pages whose front matter says ``render: raw-html`` skip that work: the body
is handed to the theme as the page content directly. The Markdown files stay valid Markdown and
render the same without this hook (only slower).
"""

from __future__ import annotations

from typing import Any

RAW_HTML = "raw-html"
_STASH = "_cablesite_raw_html"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if page.meta.get("render") == RAW_HTML:
        setattr(page, _STASH, markdown)
        return ""
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    raw = getattr(page, _STASH, None)
    if raw is None:
        return html
    delattr(page, _STASH)
    return raw
