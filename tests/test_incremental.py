"""Incremental builds: a rebuild after one change re-renders only what the change touches and
leaves a site byte-identical to a clean build of the same input."""

from __future__ import annotations

import csv
import hashlib
import shutil
import sys

from generator.build import build
from generator.store import build_fingerprint

from .conftest import CONFIG, CONTENT

csv.field_size_limit(sys.maxsize)


def digest_tree(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def write_rows(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)


def sample_rows(sample_csv, count):
    with sample_csv.open(newline="", encoding="utf-8") as handle:
        return [row for _, row in zip(range(count), csv.reader(handle), strict=False)]


def test_one_changed_cable_rebuilds_little_and_matches_a_clean_build(tmp_path, sample_csv):
    rows = sample_rows(sample_csv, 150)
    source = tmp_path / "in" / "cables.csv"
    source.parent.mkdir()
    write_rows(source, rows)
    site = tmp_path / "site"
    first = build([CONTENT, source], site, CONFIG, workers=2)
    assert first.pages_rendered == first.built + first.index_pages

    rows[70][7] = rows[70][7].replace("1. (", "1. (", 1) + "\n\nAn added closing line.\n"
    write_rows(source, rows)
    again = build([CONTENT, source], site, CONFIG, workers=2)
    assert 1 <= again.pages_written <= 12, again.pages_written  # the cable and the index pages listing it
    assert again.pages_rendered == again.pages_written
    clean_site = tmp_path / "clean" / "site"
    build([CONTENT, source], clean_site, CONFIG, incremental=False)
    assert digest_tree(site) == digest_tree(clean_site)


def test_nothing_changed_renders_nothing_and_removed_cables_disappear(tmp_path, sample_csv):
    rows = sample_rows(sample_csv, 60)
    source = tmp_path / "cables.csv"
    write_rows(source, rows)
    site = tmp_path / "site"
    build([source], site, CONFIG)
    unchanged = build([source], site, CONFIG)
    assert unchanged.pages_written == 0 and unchanged.pages_rendered == 0
    gone_id = rows[10][2]
    del rows[10]
    write_rows(source, rows)
    build([source], site, CONFIG)
    assert not list(site.glob(f"cable/*/*/{gone_id}.html"))
    clean_site = tmp_path / "clean"
    build([source], clean_site, CONFIG, incremental=False)
    assert digest_tree(site) == digest_tree(clean_site)


def test_a_configuration_change_rebuilds_everything(tmp_path):
    site = tmp_path / "site"
    build([CONTENT], site, CONFIG)
    other = tmp_path / "mkdocs.yml"
    other.write_text(CONFIG.read_text(encoding="utf-8").replace("site_name: Cable archive",
                                                                "site_name: Another archive"), encoding="utf-8")
    (tmp_path / "theme").symlink_to(CONFIG.parent / "theme")
    (tmp_path / "generator").symlink_to(CONFIG.parent / "generator")
    again = build([CONTENT], site, other)
    assert again.pages_rendered == again.built + again.index_pages > 1  # every page, not just changed ones
    assert "Another archive" in (site / "index.html").read_text(encoding="utf-8")


def test_a_changed_subject_and_tags_update_every_list_and_link_like_a_clean_build(tmp_path, sample_csv):
    """Index lists are skipped when their cables are unchanged: a cable whose subject and TAGS
    change must still leave its old tag lists, join new ones, and show its new subject on every
    list and on the pages linking to it."""
    rows = sample_rows(sample_csv, 120)
    source = tmp_path / "cables.csv"
    write_rows(source, rows)
    site = tmp_path / "site"
    build([source], site, CONFIG, workers=2)
    row = next(r for r in rows[40:] if "\nTAGS:" in r[7] and "\nSUBJECT:" in r[7])
    lines = row[7].split("\n")
    for number, line in enumerate(lines):
        if line.startswith("TAGS:"):
            lines[number] = "TAGS: PREL, KNNP, FR"
        elif line.startswith("SUBJECT:"):
            lines[number] = "SUBJECT: A SUBJECT CHANGED FOR THE TEST"
    row[7] = "\n".join(lines)
    write_rows(source, rows)
    again = build([source], site, CONFIG, workers=2)
    assert again.pages_written < again.built  # lists without the cable were not made again
    clean_site = tmp_path / "clean"
    build([source], clean_site, CONFIG, incremental=False)
    assert digest_tree(site) == digest_tree(clean_site)
    assert "A SUBJECT CHANGED FOR THE TEST" in (site / "tag" / "KNNP.html").read_text()


def test_the_fingerprint_follows_what_the_files_say_not_where_they_are(tmp_path):
    """A project moved or cloned elsewhere keeps its work folder valid; a changed file does not."""
    copy = tmp_path / "elsewhere"
    for name in ("theme", "site_config"):
        shutil.copytree(CONFIG.parent / name, copy / name)
    shutil.copy(CONFIG, copy / "mkdocs.yml")
    assert build_fingerprint(copy / "mkdocs.yml") == build_fingerprint(CONFIG)
    (copy / "site_config" / "settings.yml").write_text(
        (copy / "site_config" / "settings.yml").read_text() + "\n# edited\n")
    assert build_fingerprint(copy / "mkdocs.yml") != build_fingerprint(CONFIG)
