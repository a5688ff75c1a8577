"""The theme's own scripts reach the site minified (generator/render/minify.py, issue 17), only
they, and a rebuild keeps the site identical to a clean build. That the minified scripts still
work is what the browser tests of search and the reader show: they run against the built site."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.structure.files import File

from generator.build import build
from generator.project import shipped_root
from generator.render.minify import is_theme_script, jsmin, minify_file, shipped_scripts

from .conftest import CONTENT
from .test_incremental import digest_tree, sample_rows, write_rows

SHIPPED_SCRIPTS = shipped_root() / "theme" / "assets" / "javascripts"

# From theme/assets/javascripts/search-engine.js: a comment, a regex literal with quotes in it
# and a string; only the comment and the needless spaces may go.
ENGINE_EXCERPT = b'''/* A query's clauses: words, "phrases", -excluded ones. */
  function parse(text) {
    var re = /(-?)"([^"]*)"?|(\\S+)/g, m, clauses = [], excluded = [], join = false, open = !/[\\s"]$/.test(text);
    return text.normalize("NFKD").replace(/\\p{M}/gu, "").toLowerCase();
  }
'''


def theme_file(uri: str, folder: Path, site: Path) -> File:
    path = folder / uri
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ENGINE_EXCERPT)
    return File(uri, str(folder), str(site), use_directory_urls=False)


def test_the_minifier_drops_comments_and_spaces_and_keeps_regexes_and_strings():
    out = jsmin(ENGINE_EXCERPT)
    assert len(out) < len(ENGINE_EXCERPT) and b"clauses:" not in out and b"\n" not in out
    assert b'var re=/(-?)"([^"]*)"?|(\\S+)/g,m,clauses=[]' in out
    assert b'!/[\\s"]$/.test(text)' in out and b'.replace(/\\p{M}/gu,"")' in out


def test_the_shipped_scripts_are_the_theme_folders_javascript():
    assert shipped_scripts() == {f"assets/javascripts/{p.name}" for p in SHIPPED_SCRIPTS.glob("*.js")}
    assert {"assets/javascripts/search.js", "assets/javascripts/search-engine.js",
            "assets/javascripts/stemmer.js", "assets/javascripts/reader.js"} <= shipped_scripts()


def test_only_a_shipped_script_copied_from_the_theme_folder_is_minified(tmp_path):
    theme, docs, material, site = (tmp_path / name for name in ("theme", "docs", "material", "site"))
    scripts = shipped_scripts()
    assert is_theme_script(theme_file("assets/javascripts/search.js", theme, site), str(theme), scripts)
    # the same path from the docs folder (a page folder shadowing the theme), a project's own
    # extra script, Material's bundle, and a run with no theme folder: copied as they are
    assert not is_theme_script(theme_file("assets/javascripts/search.js", docs, site), str(theme), scripts)
    assert not is_theme_script(theme_file("assets/javascripts/extra.js", theme, site), str(theme), scripts)
    assert not is_theme_script(theme_file("assets/javascripts/bundle.min.js", material, site), str(theme), scripts)
    assert not is_theme_script(theme_file("assets/javascripts/search.js", theme, site), None, scripts)
    assert not is_theme_script(theme_file("assets/stylesheets/search.js", theme, site), str(theme), scripts)


def test_a_minified_file_is_written_by_mkdocs_from_its_new_bytes(tmp_path):
    file = theme_file("assets/javascripts/search.js", tmp_path / "theme", tmp_path / "site")
    assert minify_file(file)
    file.copy_file()
    assert Path(file.abs_dest_path).read_bytes() == jsmin(ENGINE_EXCERPT)
    assert (tmp_path / "theme" / "assets" / "javascripts" / "search.js").read_bytes() == ENGINE_EXCERPT


def test_a_minifier_failure_publishes_the_file_as_it_is_and_names_it(tmp_path, caplog):
    def broken(_source: bytes) -> bytes:
        raise ValueError("unterminated template literal")

    file = theme_file("assets/javascripts/search.js", tmp_path / "theme", tmp_path / "site")
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        assert not minify_file(file, broken)
    assert file.content_bytes == ENGINE_EXCERPT and file.abs_src_path  # still copied from the file
    warning = caplog.records[-1]
    assert warning.levelno == logging.WARNING and warning.name.startswith("mkdocs.")
    message = warning.getMessage()
    assert str(tmp_path / "theme" / "assets" / "javascripts" / "search.js") in message
    assert "unterminated template literal" in message


def test_the_built_sample_has_the_minified_scripts_and_materials_files_untouched(sample_site):
    site, _report = sample_site
    for source in sorted(SHIPPED_SCRIPTS.glob("*.js")):
        published = (site / "assets" / "javascripts" / source.name).read_bytes()
        assert published == jsmin(source.read_bytes()), source.name
        assert len(published) < 0.85 * source.stat().st_size, source.name  # comments are a third of them
    import material

    bundles = list((Path(material.__file__).parent / "templates" / "assets" / "javascripts").glob("bundle.*.min.js"))
    assert bundles
    for bundle in bundles:
        assert (site / "assets" / "javascripts" / bundle.name).read_bytes() == bundle.read_bytes()


def test_a_rebuild_after_a_script_and_a_cable_change_equals_a_clean_build(tmp_path, sample_csv):
    """A project overriding one theme script and adding its own: the override is minified, the
    project's own script is not; a rebuild after a cable change keeps the minified assets, and one
    after the script and a cable change equals a clean build (tests/test_incremental.py compares
    a cable-only rebuild with a clean build of the shipped theme)."""
    project = tmp_path / "project"
    scripts = project / "theme" / "assets" / "javascripts"
    scripts.mkdir(parents=True)
    reader = (SHIPPED_SCRIPTS / "reader.js").read_bytes()
    (scripts / "reader.js").write_bytes(reader)
    (scripts / "extra.js").write_bytes(b"/* the publisher's own */\nvar extra = 1;\n")
    rows = sample_rows(sample_csv, 40)
    source = tmp_path / "in" / "cables.csv"
    source.parent.mkdir()
    write_rows(source, rows)
    config = project / "mkdocs.yml"  # absent: the shipped configuration, with this project's theme/
    site = tmp_path / "site"
    build([CONTENT, source], site, config, workers=2)
    assert (site / "assets" / "javascripts" / "reader.js").read_bytes() == jsmin(reader)
    rows[3][7] += "\n\nAn added closing line.\n"  # a cable alone: the last build's assets and frames are kept
    write_rows(source, rows)
    assert build([CONTENT, source], site, config, workers=2).pages_rendered <= 12
    assert (site / "assets" / "javascripts" / "reader.js").read_bytes() == jsmin(reader)

    changed = reader + b"\n/* a note */\nwindow.cablesiteReaderNote = \"1.  (C)  kept  as  is\";\n"
    (scripts / "reader.js").write_bytes(changed)
    rows[7][7] += "\n\nAn added closing line.\n"
    write_rows(source, rows)
    build([CONTENT, source], site, config, workers=2)
    published = (site / "assets" / "javascripts" / "reader.js").read_bytes()
    assert published == jsmin(changed) and b'"1.  (C)  kept  as  is"' in published and b"a note" not in published
    assert (site / "assets" / "javascripts" / "extra.js").read_bytes() == (scripts / "extra.js").read_bytes()
    clean = tmp_path / "clean" / "site"
    build([CONTENT, source], clean, config, incremental=False)
    assert digest_tree(site) == digest_tree(clean)
    assert not any(os.path.samefile(p, scripts / p.name) for p in (site / "assets" / "javascripts").glob("*.js")
                   if (scripts / p.name).exists())  # the site's files are its own, never the theme's
