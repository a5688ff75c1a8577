"""Data for reuse (issue #16): cable JSON beside each page, data/cables.csv, feed.xml, and the
sitemap and robots.txt when the configuration names site_url."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.build import build
from generator.model import CatalogEntry
from generator.write.exports import CSV_COLUMNS, PRIVATE_FIELDS, cable_json, csv_row, site_url_of
from generator.write.feed import FeedItem, atom_feed, newest, shorten, xml_text
from generator.write.sitemap import MAX_URLS, robots_txt, sitemap_files

from .conftest import CONFIG, CONTENT
from .test_incremental import digest_tree, sample_rows, write_rows

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE_URL = "https://cables.example.org/archive/"


def config_with_site_url(folder: Path, site_url: str = SITE_URL) -> Path:
    """mkdocs.yml with site_url, beside links to the project's theme and code (which the
    configuration names by relative path)."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "mkdocs.yml"
    config.write_text(CONFIG.read_text(encoding="utf-8").replace(
        "site_name: Cable archive\n", f"site_name: Cable archive\nsite_url: {site_url}\n"), encoding="utf-8")
    for name in ("theme", "generator", "site_config"):
        (folder / name).symlink_to(CONFIG.parent / name)
    return config


def parse_json(*files: Path) -> list[dict]:
    """What ``cablesite parse --json`` prints for ``files``."""
    out = subprocess.run([sys.executable, "-c", "import sys; from generator.cli import main; sys.exit(main())",
                          "parse", *map(str, files), "--json"], capture_output=True, text=True, check=True,
                         cwd=CONFIG.parent)
    return json.loads(out.stdout)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- the cable JSON ---------------------------------------------------------------------------


def test_a_built_cables_json_is_its_parse_less_the_source_path(sample_site, sample_csv):
    site, report = sample_site
    expected = {c["id"]: c for c in parse_json(CONTENT, sample_csv)}
    found = sorted(site.glob("cable/*/*/*.json")) + sorted(site.glob("cable/undated/*.json"))
    assert len(found) == report.built == len(expected)
    for path in found:
        data = json.loads(path.read_text(encoding="utf-8"))
        parsed = expected[data["id"]]
        assert path.with_suffix(".html").exists()
        assert data == {k: v for k, v in parsed.items() if k not in PRIVATE_FIELDS}, data["id"]


def test_the_seed_cables_json_has_its_twenty_paragraphs(sample_site):
    site, _ = sample_site
    data = json.loads(next(site.glob("cable/undated/000_ba35c497a3e78353.json")).read_text(encoding="utf-8"))
    assert [p["number"] for p in data["paragraphs"] if p["number"] is not None] == list(range(1, 21))
    assert "source" not in data  # where the build machine read it is not published


def test_the_cable_page_links_its_json(sample_site):
    site, _ = sample_site
    page = next(site.glob("cable/2009/*/*.html"))
    assert f'href="{page.stem}.json"' in page.read_text(encoding="utf-8")


def test_cable_json_is_one_line_of_utf8_as_parse_prints_it(seed_file):
    from generator.build import BuildReport
    from generator.cli import _parsed

    cable = next(_parsed([seed_file], BuildReport()))
    text = cable_json(cable).decode("utf-8")
    assert text.endswith("}\n") and text.count("\n") == 1
    assert json.loads(text)["paragraphs"][0]["anchor"] == "par1"


# --- data/cables.csv --------------------------------------------------------------------------


def test_cables_csv_has_one_row_per_cable_in_catalog_order_with_its_url(sample_site):
    site, report = sample_site
    rows = read_csv(site / "data" / "cables.csv")
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == report.built == len({r["id"] for r in rows})
    for row in rows:
        assert (site / row["url"]).is_file(), row
        folder = f"{row['date'][:4]}/{row['date'][5:7]}" if row["date"] else "undated"
        assert row["url"] == f"cable/{folder}/{row['id']}.html"
    dated = [r["date"] for r in rows if r["date"]]
    assert dated == sorted(dated) and not any(r["date"] for r in rows[len(dated):])  # undated last


def test_a_csv_row_keeps_commas_quotes_and_line_breaks_of_a_subject():
    entry = CatalogEntry(id="08ANKARA1", url="cable/2008/01/08ANKARA1.html", date=dt.datetime(2008, 1, 2, 9, 30),
                         subject='TURKEY: "DEEP STATE", ERGENEKON\nAND THE AKP', origin="Embassy Ankara",
                         classification="CONFIDENTIAL", tags=["PGOV", "PREL", "TU"])
    out = io.StringIO(newline="")
    csv.writer(out).writerow(csv_row(entry, SITE_URL))
    [row] = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert row == ["08ANKARA1", "2008-01-02", "CONFIDENTIAL", "Embassy Ankara", entry.subject, "PGOV;PREL;TU",
                   SITE_URL + "cable/2008/01/08ANKARA1.html"]


# --- feed.xml ---------------------------------------------------------------------------------


def test_the_feed_is_atom_with_the_50_newest_cables(sample_site):
    site, _ = sample_site
    root = ET.parse(site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert root.find(ATOM + required) is not None and root.find(ATOM + required).text, required
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 50
    dates = [e.find(f"{ATOM}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert root.find(f"{ATOM}updated").text == dates[0]
    newest_ids = [r["id"] for r in read_csv(site / "data" / "cables.csv") if r["date"]][-50:][::-1]
    assert [Path(e.find(f"{ATOM}link").get("href")).stem for e in entries] == newest_ids
    ids = set()
    for entry in entries:
        for required in ("id", "title", "updated", "summary"):
            assert entry.find(ATOM + required) is not None and entry.find(ATOM + required).text, required
        ids.add(entry.find(f"{ATOM}id").text)
        href = entry.find(f"{ATOM}link").get("href")  # relative: the default configuration has no site_url
        assert (site / href).is_file() and Path(href).stem in entry.find(f"{ATOM}title").text
    assert len(ids) == 50 and all(i.startswith("urn:uuid:") for i in ids)


def test_feed_text_drops_what_xml_cannot_hold_and_escapes_the_rest():
    item = FeedItem("06ROME1", "ITALY: <SCRIPT> & \x0cPAGE", "cable/2006/01/06ROME1.html",
                    dt.datetime(2006, 1, 3, 14, 5), "1. (C) Page one\x0c\x1a ends </summary> here & " + "word " * 300)
    root = ET.fromstring(atom_feed([item], "Archive", SITE_URL))
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "ITALY: <SCRIPT> & PAGE (06ROME1)"
    assert entry.find(f"{ATOM}link").get("href") == SITE_URL + "cable/2006/01/06ROME1.html"
    assert entry.find(f"{ATOM}id").text == SITE_URL + "cable/2006/01/06ROME1.html"
    assert entry.find(f"{ATOM}updated").text == "2006-01-03T14:05:00Z"
    summary = entry.find(f"{ATOM}summary").text
    assert summary.startswith("1. (C) Page one ends </summary> here &") and len(summary) <= 602
    assert xml_text("a\x00b\ufffec") == "abc"
    assert shorten("one two three", 8) == "one two …"


def test_newest_skips_undated_cables_and_keeps_the_newest_first():
    def entry(cable_id: str, date: dt.datetime | None) -> CatalogEntry:
        return CatalogEntry(cable_id, f"cable/x/{cable_id}.html", date, None, None, None)

    catalog = sorted([entry("A", dt.datetime(2001, 1, 1)), entry("B", dt.datetime(2003, 1, 1)),
                      entry("C", None), entry("D", dt.datetime(2002, 1, 1))], key=lambda e: e.sort_key)
    assert [e.id for e in newest(catalog, 2)] == ["B", "D"]


# --- sitemap.xml and robots.txt ---------------------------------------------------------------


def _locs(data: bytes, tag: str) -> list[str]:
    root = ET.fromstring(data)
    return [loc.text for loc in root.iter(f"{SM}loc")] if root.tag == f"{SM}{tag}" else []


def test_a_sitemap_that_fits_one_file_is_a_urlset():
    files = dict(sitemap_files(["index.html", "cable/2009/02/09BAKU179.html"], SITE_URL))
    assert list(files) == ["sitemap.xml"]
    assert _locs(files["sitemap.xml"], "urlset") == [SITE_URL + "index.html",
                                                     SITE_URL + "cable/2009/02/09BAKU179.html"]


def test_the_sitemap_index_splits_at_the_per_file_limits():
    urls = [f"cable/2010/02/10CABLE{n}.html" for n in range(10)]
    files = list(sitemap_files(urls, SITE_URL, max_urls=3))
    assert [name for name, _ in files] == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap-4.xml",
                                           "sitemap.xml"]
    parts = [_locs(data, "urlset") for _, data in files[:-1]]
    assert [len(p) for p in parts] == [3, 3, 3, 1]
    assert [loc for part in parts for loc in part] == [SITE_URL + u for u in urls]
    assert _locs(files[-1][1], "sitemapindex") == [SITE_URL + name for name, _ in files[:-1]]
    by_size = list(sitemap_files(urls, SITE_URL, max_bytes=400))  # the byte limit splits too
    assert all(len(data) <= 400 for _, data in by_size[:-1]) and len(by_size) > 2
    assert [loc for _, d in by_size[:-1] for loc in _locs(d, "urlset")] == [SITE_URL + u for u in urls]


def test_cablegates_251287_pages_make_6_sitemap_files_of_at_most_50000_urls():
    urls = (f"cable/{2000 + n % 11}/{1 + n % 12:02d}/{n:02d}CABLE{n}.html" for n in range(251_287))
    files = list(sitemap_files(urls, SITE_URL))
    parts, (index_name, index) = files[:-1], files[-1]
    assert index_name == "sitemap.xml" and len(parts) == 6
    counts = [data.count(b"<url>") for _, data in parts]
    assert counts == [MAX_URLS] * 5 + [1_287]
    assert all(len(data) <= 50 * 1024 * 1024 for _, data in parts)
    assert len(_locs(index, "sitemapindex")) == 6


def test_sitemap_urls_are_escaped_and_robots_names_the_sitemap():
    files = dict(sitemap_files(["tag/A&B.html"], "https://example.org/a b/"))
    assert b"https://example.org/a%20b/tag/A&amp;B.html" in files["sitemap.xml"]
    assert robots_txt(SITE_URL).decode().endswith(f"Sitemap: {SITE_URL}sitemap.xml\n")


def test_site_url_is_read_as_mkdocs_reads_it(tmp_path, monkeypatch):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: X\nsite_url: !ENV [CABLESITE_TEST_URL, 'https://fallback.example/']\n")
    monkeypatch.setenv("CABLESITE_TEST_URL", "https://env.example/cables")
    assert site_url_of(config) == "https://env.example/cables/"
    assert site_url_of(CONFIG) is None


# --- builds: site_url, incremental ------------------------------------------------------------


@pytest.fixture()
def small_archive(tmp_path, sample_csv):
    rows = sample_rows(sample_csv, 80)
    source = tmp_path / "in" / "cables.csv"
    source.parent.mkdir()
    write_rows(source, rows)
    return rows, source, config_with_site_url(tmp_path / "project")


def test_with_site_url_the_sitemap_lists_every_page_and_robots_names_it(tmp_path, small_archive):
    _rows, source, config = small_archive
    site = tmp_path / "site"
    report = build([CONTENT, source], site, config, workers=2)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if p.name != "404.html" and p.relative_to(site).parts[0] != "search")
    listed = _locs((site / "sitemap.xml").read_bytes(), "urlset")
    assert sorted(listed) == [SITE_URL + p for p in pages] and len(listed) == report.built + report.index_pages
    assert (site / "robots.txt").read_text().endswith(f"Sitemap: {SITE_URL}sitemap.xml\n")
    assert not (site / "sitemap.xml.gz").exists()
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.find(f"{ATOM}entry/{ATOM}link").get("href").startswith(SITE_URL)
    assert all(r["url"].startswith(SITE_URL) for r in read_csv(site / "data" / "cables.csv"))
    assert any("below the host's root" in n["message"] for n in report.notes)


def test_a_rebuild_after_one_change_equals_a_clean_build_and_keeps_the_sitemap(tmp_path, small_archive):
    rows, source, config = small_archive
    site = tmp_path / "site"
    build([CONTENT, source], site, config, workers=2)
    rows[40][7] += "\n\nAn added closing line.\n"
    gone = rows.pop(20)[2]
    write_rows(source, rows)
    again = build([CONTENT, source], site, config, workers=2)
    assert again.pages_written >= 1
    assert not list(site.glob(f"cable/*/*/{gone}.*"))  # its page and its JSON
    clean = tmp_path / "clean" / "site"
    build([CONTENT, source], clean, config, incremental=False)
    assert digest_tree(site) == digest_tree(clean)
    rows[41][7] += "\n\nAnother closing line.\n"  # a change to text alone: the sitemap stays as it is
    write_rows(source, rows)
    sitemap = os.stat(site / "sitemap.xml")
    build([CONTENT, source], site, config, workers=2)
    assert os.stat(site / "sitemap.xml").st_ino == sitemap.st_ino
    changed_id = rows[41][2]
    assert "Another closing line." in next(site.glob(f"cable/*/*/{changed_id}.json")).read_text(encoding="utf-8")


def test_the_json_of_references_and_spans_holds_every_field_of_their_dataclasses():
    """``Cable.to_json`` writes references and spans field by field (dataclasses.asdict cost a
    third of the JSON's time): a field added to either must appear in the JSON too."""
    from dataclasses import asdict

    from generator.model import Cable, Paragraph, Reference, SourceLocation, Span

    cable = Cable(id="09BAKU179", location=SourceLocation("x.txt", 1),
                  references=[Reference("A. 05 PARIS 5459", "05PARIS5459", "A")],
                  paragraphs=[Paragraph(1, "par1", "Met XXXXXXXXXXXX.", spans=[Span("redaction", 4, 16)])])
    data = cable.to_json()
    assert data["reference_texts"] == [asdict(ref) for ref in cable.references]
    assert data["paragraphs"][0]["spans"] == [asdict(span) for span in cable.paragraphs[0].spans]
