"""MkDocs hooks of the tool itself: ``render_site`` adds this file to every render, after the hooks
a project's mkdocs.yml lists (a project never names a path inside the package).

Raw-HTML passthrough: the writer produces each page body as one block of escaped HTML. For such
a block Python-Markdown's only job is to recognise it as raw HTML and pass it through unchanged,
but it does so by running an HTML parser over it twice, which was three quarters of the render
time of a cable page. Pages whose front matter says ``render: raw-html`` skip that work: the body
is handed to the theme as the page content directly. The Markdown files stay valid Markdown and
render the same without this hook (only slower).

The theme's own scripts are handed to MkDocs minified (``on_files``; see minify.py for why here).
"""

from __future__ import annotations

from typing import Any

from generator.render.minify import minify_theme_scripts  # absolute: MkDocs loads this file by its path

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


def on_files(files: Any, config: Any) -> Any:
    minify_theme_scripts(files, config.theme.custom_dir)
    return files
