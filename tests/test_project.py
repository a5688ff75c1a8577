"""A project's mkdocs.yml, theme/ and site_config/ over the shipped defaults, file by file, and
one clear message (file and line, no traceback) for each kind of broken project file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.enrich.config import ConfigError, load_tables, table_path
from generator.progress import configure
from generator.project import (
    ProjectError,
    layered_files,
    prepare_project,
    read_config_data,
    resolve,
    shipped_root,
)

from .conftest import PROJECT

SEED_ID = "000_ba35c497a3e78353"


@pytest.fixture(autouse=True)
def _default_output():
    configure()
    yield
    configure()


@pytest.fixture
def project(tmp_path, monkeypatch, seed_file) -> Path:
    """An empty folder holding only the seed cable, as the current folder."""
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(seed_file, folder / seed_file.name)
    monkeypatch.chdir(folder)
    return folder


def build_here(capsys, *extra: str) -> tuple[int, str]:
    code = main(["build", f"{SEED_ID}.txt", "--site-dir", "out", "--workers", "1", *extra])
    return code, capsys.readouterr().err


def one_error(stderr: str) -> str:
    """The one error line of a failed command; a traceback or a second error fails the test."""
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    return errors[0]


def test_the_shipped_defaults_of_a_checkout_are_its_top_level_folders():
    assert shipped_root() == PROJECT
    assert resolve("theme", "main.html", None) == PROJECT / "theme" / "main.html"


def test_a_project_file_overrides_the_shipped_one_of_the_same_path_only(tmp_path):
    theme = tmp_path / "theme"
    (theme / "assets" / "stylesheets").mkdir(parents=True)
    (theme / "assets" / "stylesheets" / "cables.css").write_text("/* mine */", encoding="utf-8")
    (theme / "extra.html").write_text("<p>new</p>", encoding="utf-8")
    files = layered_files("theme", theme)
    assert files["assets/stylesheets/cables.css"] == theme / "assets/stylesheets/cables.css"
    assert files["extra.html"] == theme / "extra.html"
    assert files["main.html"] == shipped_root() / "theme" / "main.html"
    assert set(files) == set(layered_files("theme", None)) | {"extra.html"}


def test_a_project_table_replaces_the_shipped_one_and_the_others_stay(tmp_path):
    tables = tmp_path / "site_config"
    tables.mkdir()
    (tables / "countries.csv").write_text("iso2,tags,name,region,forms,guard,not\nFR,FR,France,Europe,French,,\n",
                                          encoding="utf-8")
    loaded = load_tables(tables)
    assert list(loaded.countries) == ["FR"]
    assert "PREL" in loaded.tag_codes  # tags.csv: the shipped one
    assert table_path("posts.csv", tables) == shipped_root() / "site_config" / "posts.csv"  # any file alike


def test_cablesite_config_dir_names_the_tables_to_use(tmp_path, monkeypatch):
    monkeypatch.setenv("CABLESITE_CONFIG_DIR", str(tmp_path))
    (tmp_path / "tags.csv").write_text("code,name,kind,source\nPREL,Relations,political,\n", encoding="utf-8")
    assert table_path("tags.csv") == tmp_path / "tags.csv"
    assert table_path("countries.csv") == shipped_root() / "site_config" / "countries.csv"
    assert list(load_tables().tag_codes) == ["PREL"]


def test_the_effective_configuration_inherits_the_project_one(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Mine\ntheme:\n  name: material\n", encoding="utf-8")
    prepared = prepare_project(config, tmp_path / ".site-build" / "project")
    data = read_config_data(prepared.config)
    assert data["site_name"] == "Mine" and data["theme"] == {"name": "material", "custom_dir": "theme"}
    assert (prepared.config.parent / "theme" / "main.html").resolve() == shipped_root() / "theme" / "main.html"


def test_a_folder_without_mkdocs_yml_builds_with_the_shipped_defaults(project, capsys):
    code, stderr = build_here(capsys)
    assert code == 0, stderr
    page = (project / "out" / "cable" / "undated" / f"{SEED_ID}.html").read_text(encoding="utf-8")
    assert re.findall(r'id="par(\d+)"', page) == [str(n) for n in range(1, 21)]
    assert "<title>" in page and "Cable archive" in page  # the shipped site_name and theme
    assert (project / "out" / "assets" / "stylesheets" / "cables.css").read_bytes() == \
        (shipped_root() / "theme" / "assets" / "stylesheets" / "cables.css").read_bytes()
    assert main(["check", "--site-dir", "out"]) == 0


def test_a_project_theme_file_and_site_name_reach_the_site(project, capsys):
    (project / "theme" / "assets" / "stylesheets").mkdir(parents=True)
    (project / "theme" / "assets" / "stylesheets" / "cables.css").write_text("/* mine */\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        (shipped_root() / "mkdocs.yml").read_text(encoding="utf-8").replace("site_name: Cable archive",
                                                                              "site_name: My embassy papers"),
        encoding="utf-8")
    code, stderr = build_here(capsys)
    assert code == 0, stderr
    site = project / "out"
    assert (site / "assets" / "stylesheets" / "cables.css").read_text(encoding="utf-8") == "/* mine */\n"
    assert (site / "assets" / "stylesheets" / "browse.css").read_bytes() == \
        (shipped_root() / "theme" / "assets" / "stylesheets" / "browse.css").read_bytes()
    assert "My embassy papers" in (site / "index.html").read_text(encoding="utf-8")
    assert not [p for p in site.rglob("*") if p.is_symlink()]  # the theme's links are copied as files


def test_no_sources_and_no_content_folder_is_one_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 2
    assert "no content/ folder here" in one_error(capsys.readouterr().err)
    assert main(["check"]) == 2
    assert "site: no such folder" in one_error(capsys.readouterr().err)


def test_a_missing_config_named_on_the_command_line_is_one_error(project, capsys):
    code, stderr = build_here(capsys, "--config", "nowhere/mkdocs.yml")
    assert code == 2
    assert "nowhere/mkdocs.yml: no such file" in one_error(stderr)


def test_a_broken_mkdocs_yml_names_the_file_and_line(project, capsys):
    (project / "mkdocs.yml").write_text("site_name: Mine\ntheme:\n  name: material\n   font: false\n",
                                        encoding="utf-8")
    code, stderr = build_here(capsys)
    assert code == 1
    assert re.search(r"mkdocs\.yml:4: not valid YAML", one_error(stderr)), stderr
    assert not (project / "out").exists()


def test_a_setting_mkdocs_refuses_names_the_file_and_line(project, capsys):
    (project / "mkdocs.yml").write_text("site_name: Mine\n\ntheme:\n  name: no-such-theme\n", encoding="utf-8")
    code, stderr = build_here(capsys)
    assert code == 1
    line = one_error(stderr)
    assert f"{project / 'mkdocs.yml'}:3: setting 'theme'" in line and "no-such-theme" in line


def test_a_bad_row_in_a_project_table_names_the_file_and_line(project, capsys):
    (project / "site_config").mkdir()
    shipped = (shipped_root() / "site_config" / "countries.csv").read_text(encoding="utf-8").splitlines()
    (project / "site_config" / "countries.csv").write_text("\n".join([*shipped[:3], ",,No code,Europe,,,"]) + "\n",
                                                           encoding="utf-8")
    code, stderr = build_here(capsys)
    assert code == 1
    assert f"{project / 'site_config' / 'countries.csv'}:4: a country needs a two-letter iso2 code" in one_error(stderr)


def test_a_broken_theme_override_names_the_theme_file_and_line(project, capsys):
    (project / "theme").mkdir()
    (project / "theme" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block extrahead %}\n  <link rel="stylesheet" href="x.css">\n',
        encoding="utf-8")
    code, stderr = build_here(capsys)
    assert code == 1
    line = one_error(stderr)
    assert f"{project / 'theme' / 'main.html'}:" in line and "theme template error" in line, line


def test_a_theme_override_naming_a_missing_template_is_one_error(project, capsys):
    (project / "theme").mkdir()
    (project / "theme" / "main.html").write_text('{% extends "no-such-base.html" %}\n', encoding="utf-8")
    code, stderr = build_here(capsys)
    assert code == 1
    assert "no-such-base.html" in one_error(stderr)


def test_read_config_data_reports_a_file_that_is_not_a_mapping(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ProjectError, match=r"mkdocs\.yml:1: a MkDocs configuration is a mapping"):
        read_config_data(config)


def test_a_broken_yaml_table_names_the_file_and_line(tmp_path):
    (tmp_path / "topics.yml").write_text("topics:\n  - name: A\n    keywords: [a, b\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"topics\.yml:\d+: not valid YAML"):
        load_tables(tmp_path)


def test_a_theme_override_that_changes_the_page_frame_is_named_in_a_note(project, capsys):
    """A frame that fails its check (here: the cable template prints a front-matter value) is left
    to MkDocs, and the note names the project's template that made it so."""
    (project / "theme").mkdir()
    shipped = (shipped_root() / "theme" / "cable.html").read_text(encoding="utf-8")
    assert "{{ page.content }}" in shipped
    (project / "theme" / "cable.html").write_text(
        shipped.replace("{{ page.content }}", "{{ page.meta.id }} {{ page.content }}"), encoding="utf-8")
    code, stderr = build_here(capsys)
    assert code == 0, stderr
    notes = [line for line in stderr.splitlines() if line.startswith("note:")]
    assert any(line.startswith(f"note: {project / 'theme' / 'cable.html'}: ") and "front-matter" in line
               for line in notes), stderr
    page = (project / "out" / "cable" / "undated" / f"{SEED_ID}.html").read_text(encoding="utf-8")
    assert re.findall(r'id="par(\d+)"', page) == [str(n) for n in range(1, 21)]
    assert f"{SEED_ID} " in page
