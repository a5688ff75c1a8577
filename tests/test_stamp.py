"""Stamped pages are the pages MkDocs would render, byte for byte, or MkDocs renders them."""

from __future__ import annotations

import shutil

import pytest
from mkdocs.utils.meta import get_data

from generator.build import work_dir_for
from generator.render import pages as render_pages_module
from generator.render import render_site
from generator.render.pages import render_pages
from generator.render.shards import nav_pages
from generator.render.stamp import Frame, PageKind, kind_of, make_probes
from generator.write.exports import is_export

from .conftest import CONFIG, PROJECT
from .test_render_shards import digest_tree


def _docs_copy(sample_site_markdown, tmp_path):
    site, _ = sample_site_markdown
    docs = tmp_path / "docs"
    shutil.copytree(work_dir_for(site) / "docs", docs)
    return docs


def _all_pages(docs):
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))


@pytest.mark.parametrize("in_workers", [False, True])
def test_stamped_site_equals_one_mkdocs_run(sample_site_markdown, tmp_path, monkeypatch, in_workers):
    docs = _docs_copy(sample_site_markdown, tmp_path)
    if in_workers:  # the sample is small enough to be stamped in-process: force the worker pool
        monkeypatch.setattr(render_pages_module, "IN_PROCESS_BELOW", 0)
    reference, stamped = tmp_path / "mkdocs", tmp_path / "stamped"
    render_site(CONFIG, docs, reference)
    result = render_pages(CONFIG, docs, _all_pages(docs), stamped, tmp_path / "work", workers=2)
    assert not result.refused
    assert result.stamped > 1900 and result.stamped + result.by_mkdocs == result.pages
    assert digest_tree(reference) == digest_tree(stamped)
    assert not any("zzcablesiteprobe" in p.name for p in stamped.rglob("*"))


def built_pages_equal_mkdocs(site, tmp_path):
    """The HTML pages of a built site against one MkDocs run over the Markdown the build wrote."""
    reference = tmp_path / "mkdocs-reference"
    render_site(CONFIG, work_dir_for(site) / "docs", reference)
    built = {rel: digest for rel, digest in digest_tree(site).items()
             if not rel.startswith("search/") and rel != ".cablesite" and not is_export(rel)}
    return built == digest_tree(reference)


def test_a_built_site_equals_one_mkdocs_run_over_its_pages(sample_site_markdown, tmp_path):
    """The build stamps cable pages from their text in memory as it makes them (not read back)."""
    site, report = sample_site_markdown
    assert report.pages_stamped >= report.built
    assert built_pages_equal_mkdocs(site, tmp_path)


def _cable_markdown(site):
    return [p for p in (work_dir_for(site) / "docs" / "cable").rglob("*.md")]


def test_stamped_cable_pages_leave_no_markdown_and_the_same_site(sample_site, sample_site_markdown):
    """A stamped cable page's Markdown is never written (MkDocs does not need it); keeping it
    changes nothing in the site, which the test above compares with MkDocs' own rendering."""
    (site, report), (kept, _) = sample_site, sample_site_markdown
    assert report.pages_stamped >= report.built and not _cable_markdown(site)
    assert len(_cable_markdown(kept)) == report.built
    assert digest_tree(site) == digest_tree(kept)


def test_a_cable_page_no_frame_fits_keeps_its_markdown(tmp_path):
    """A theme that shows a page's metadata: no frame fits the cable pages, MkDocs renders them
    from their Markdown, which the build therefore writes."""
    from generator.build import build

    from .conftest import CONTENT

    site = tmp_path / "site"
    report = build([CONTENT], site, _theme_printing_meta(tmp_path), "Test")
    assert report.built == 1 and len(_cable_markdown(site)) == 1
    page = next((site / "cable").rglob("*.html"))
    assert f"{page.stem} <article" in page.read_text(encoding="utf-8")  # the theme's {{ page.meta.id }}


def test_build_report_counts_stamped_pages(sample_site):
    site, report = sample_site
    navigation = [rel for rel in nav_pages(CONFIG) if (work_dir_for(site) / "docs" / rel).exists()]
    assert navigation and report.pages_rendered > report.built
    # every cable page and every index page off the nav; the navigation pages are MkDocs' own
    assert report.pages_stamped == report.pages_rendered - len(navigation)


def _theme_printing_meta(tmp_path):
    """A copy of the project's theme and config whose cable template prints a front-matter value."""
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT / "theme", theme)
    cable = theme / "cable.html"
    cable.write_text(cable.read_text().replace("{{ page.content }}", "{{ page.meta.id }} {{ page.content }}"))
    config = tmp_path / "mkdocs.yml"
    text = CONFIG.read_text().replace("custom_dir: theme", f"custom_dir: {theme}")
    config.write_text(text.replace("generator/render/hooks.py", str(PROJECT / "generator/render/hooks.py")))
    return config


def test_a_theme_showing_page_metadata_is_left_to_mkdocs(sample_site_markdown, tmp_path):
    docs = _docs_copy(sample_site_markdown, tmp_path)
    config = _theme_printing_meta(tmp_path)
    reference, stamped = tmp_path / "mkdocs", tmp_path / "stamped"
    render_site(config, docs, reference)
    result = render_pages(config, docs, _all_pages(docs), stamped, tmp_path / "work", workers=1)
    assert any(kind.template == "cable.html" for kind in result.refused)
    assert "front-matter" in next(iter(result.refused.values()))
    assert result.by_mkdocs > 1000  # the cable pages
    assert digest_tree(reference) == digest_tree(stamped)


def test_stamping_can_be_switched_off(sample_site_markdown, tmp_path, monkeypatch):
    docs = _docs_copy(sample_site_markdown, tmp_path)
    monkeypatch.setenv("CABLESITE_STAMP", "0")
    result = render_pages(CONFIG, docs, _all_pages(docs)[:50], tmp_path / "site", tmp_path / "work", workers=1)
    assert result.stamped == 0 and result.by_mkdocs >= 50


@pytest.mark.parametrize("rel, meta", [
    ("cable/2009/01/09X1.md", {"title": "t", "render": "markdown"}),  # not raw HTML: Markdown to convert
    ("cable/2009/01/09X1.md", {"title": 2009, "render": "raw-html"}),  # YAML made the title a number
    ("cable/2009/01/09 X1.md", {"title": "t", "render": "raw-html"}),  # URL-quoting would change the path
    ("cable/2009/01/index.md", {"title": "t", "render": "raw-html"}),  # MkDocs gives index pages other URLs
    ("README.md", {"title": "t", "render": "raw-html"}),
])
def test_pages_that_are_not_plain_enough_are_not_stamped(rel, meta):
    assert kind_of(rel, meta, "<p>x</p>") is None


def test_kinds_tell_depth_template_keys_and_heading_apart():
    meta = {"title": "t", "render": "raw-html", "hide": ["toc"], "template": "cable.html", "id": "X"}
    kind = kind_of("cable/2009/01/09X1.md", meta, "<h1>t</h1>")
    assert kind == PageKind(3, "cable.html", ("toc",), ("hide", "id", "render", "template", "title"), True)
    assert kind_of("cable/undated/09X1.md", meta, "<h1>t</h1>").depth == 2
    assert not kind_of("cable/2009/01/09X1.md", meta, "<p>t</p>").h1


def test_a_frame_puts_values_back_where_the_markers_were():
    kind = PageKind(1, "", ("toc",), ("hide", "render", "title"), False)
    marker, _check = make_probes(kind, 7)
    html = f"<title>{marker.title}</title><a href='../{marker.segments[0]}/{marker.segments[1]}.html'>{marker.body}"
    frame = Frame.from_probe(html, marker)
    assert frame.fill({"title": "A &amp; B", "body": "<p>$1 \\1</p>", "s0": "country", "s1": "fr"}) == \
        "<title>A &amp; B</title><a href='../country/fr.html'><p>$1 \\1</p>"


@pytest.mark.parametrize("text", ["\ufeff---\ntitle: t\n---\r\nbody\rmore\n", "x\r\r\n\n", "\ufeff\ufeffz",
                                  "a\u2028b\x85c"])
def test_a_page_is_read_back_as_python_reads_the_file_in_text_mode(tmp_path, text):
    """``as_read_back`` (a stamped page never written) and ``read_page`` (a file) see what
    MkDocs sees: the file opened as utf-8-sig in text mode."""
    from generator.render.stamp import as_read_back, read_page

    path = tmp_path / "page.md"
    path.write_bytes(text.encode("utf-8"))
    with open(path, encoding="utf-8-sig") as handle:
        seen = handle.read()
    assert as_read_back(text) == seen
    assert read_page(path) == get_data(seen)
