"""Browse pages and cross-links: taxonomy pages per the URL contract, chips on cable pages,
references both ways, pagination at 500, safe file names, and a link check over whole sites."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.build import ChipMemo, build, cable_context, link_context, page_context, taxonomy_links
from generator.check import check_site
from generator.enrich import enrich_cable, load_tables
from generator.enrich.links import LinkIndex
from generator.indexes import build_index_pages
from generator.indexes.browse import paragraph_label
from generator.indexes.taxonomy import Taxonomy, tag_file_name
from generator.model import CatalogEntry, Problem
from generator.parse import parse_cable
from generator.sources import read_sources
from generator.write.markdown import render_page

from .conftest import CONFIG

SEED_URL = "cable/undated/000_ba35c497a3e78353.html"
# TAGS two-letter values of the sample that no table defines: not FIPS 10-4 codes, not in the TAGS list.
UNDEFINED_SAMPLE_CODES = {"GE", "UE"}


def _read(site: Path, url: str) -> str:
    return (site / url).read_text(encoding="utf-8")


def test_every_tags_country_code_of_the_sample_has_a_country_page(sample_site, sample_catalog):
    site, _ = sample_site
    tables = load_tables()
    codes = {t for e in sample_catalog for t in e.tags if re.fullmatch(r"[A-Z]{2}", t)}
    unmapped = set()
    for code in sorted(codes):
        iso2 = tables.country_by_tag.get(code)
        if iso2 is None:
            unmapped.add(code)
            continue
        assert (site / "country" / f"{iso2.lower()}.html").is_file(), code
        assert f'href="../country/{iso2.lower()}.html"' in _read(site, f"tag/{code}.html"), code
    regional = {c for c in unmapped if c[0] in "XZ"}  # State Department regional codes (XA Africa ...)
    named = {c for c in unmapped if c in tables.tag_codes}  # EU, UN: organisations
    assert unmapped - regional - named == UNDEFINED_SAMPLE_CODES
    assert len(codes - unmapped) > 100


def test_remembered_chip_links_equal_those_worked_out_per_cable(sample_catalog):
    """Page keys use ``ChipMemo``, pages ``taxonomy_links``: a difference would leave a page
    stale in a rebuild, or rebuild it every time."""
    taxonomy = Taxonomy.build(sample_catalog, load_tables())
    chips = ChipMemo(taxonomy)
    for entry in sample_catalog + sample_catalog[:50]:  # the second time from what is remembered
        assert chips(entry) == taxonomy_links(entry, taxonomy), entry.id
    assert len(chips.urls) > 100 and len(chips.countries) > 50
    assert ChipMemo(None)(sample_catalog[0]) == taxonomy_links(sample_catalog[0], None)


def test_a_page_context_made_from_the_link_context_is_the_cable_context(sample_csv):
    """Workers make a page's context from the link context its key hashes (``page_context``):
    it must be what ``cable_context`` makes from the cable."""
    cables = []
    for item in read_sources([sample_csv]):
        if not isinstance(item, Problem):
            cables.append(enrich_cable(parse_cable(item)))
    entries = sorted((CatalogEntry.of(c, f"cable/x/{c.id}.html") for c in cables), key=lambda e: e.sort_key)
    by_id = {e.id: e for e in entries}
    links, taxonomy = LinkIndex.build(entries), Taxonomy.build(entries, load_tables())
    chips = ChipMemo(taxonomy)
    resolved = 0
    for cable in cables:
        entry = by_id[cable.id]
        made = page_context(cable, link_context(entry, links, taxonomy, chips))
        assert made == cable_context(cable, entry.url, links, taxonomy), cable.id
        resolved += sum(1 for ref in made["references"] if ref["url"])
    assert resolved > 20


def test_references_between_sample_cables_are_links_both_ways(sample_site, sample_catalog):
    site, _ = sample_site
    links = LinkIndex.build(sample_catalog)
    pairs = [(e, links.by_id[r]) for e in sample_catalog for r in e.reference_ids if r in links.by_id]
    cited_by = sum(len(v) for v in links.citing.values())
    print(f"\nsample: {len(pairs)} resolved references, {cited_by} cited-by links")
    assert pairs and cited_by == len(pairs)
    for citing, cited in pairs:
        citing_page = _read(site, _site_url(citing))
        cited_page = _read(site, _site_url(cited))
        assert re.search(rf'href="[^"]*{cited.id}\.html"', citing_page), (citing.id, cited.id)
        cited_by_part = cited_page[cited_page.index("<dt>Cited by</dt>"):]
        assert re.search(rf'href="[^"]*{citing.id}\.html"', cited_by_part), (cited.id, citing.id)


def _site_url(entry: CatalogEntry) -> str:
    return f"cable/{entry.date:%Y/%m}/{entry.id}.html"


def test_sample_counts(sample_catalog):
    countries = {c for e in sample_catalog for c in e.countries}
    topics = {t for e in sample_catalog for t in e.topics}
    print(f"\nsample: {len(countries)} countries, {len(topics)} topics")
    assert len(countries) > 100 and len(topics) > 50


def test_seed_is_on_each_country_page_linked_to_its_paragraphs(sample_site):
    site, _ = sample_site
    expected = {"it": [3], "gb": [4, 8, 9], "cz": [1, 8, 17], "az": [17], "ir": [17, 19], "tr": [1, 12]}
    for iso2, numbers in expected.items():
        page = _read(site, f"country/{iso2}.html")
        row = next(line for line in page.splitlines() if "000_ba35c497a3e78353" in line)
        linked = [int(n) for n in re.findall(r'000_ba35c497a3e78353\.html#par(\d+)"', row)]
        assert linked == numbers, iso2
    assert "000_ba35c497a3e78353" not in _read(site, "country/be.html") if (site / "country/be.html").exists() else True


def test_seed_page_has_chips_to_its_index_pages(sample_site):
    site, _ = sample_site
    page = _read(site, SEED_URL)
    for target in ("country/it.html", "country/ru.html", "country/az.html", "topic/missile-defense.html",
                   "topic/nato-russia-relations.html", "topic/arms-control.html", "classification/confidential.html"):
        assert f'href="../../{target}"' in page, target
    assert "000_ba35c497a3e78353" in _read(site, "topic/missile-defense.html")
    about = _read(site, "topic/missile-defense.html")
    assert "keywords" in about and "site_config/topics.yml" in about  # where the entries come from


def test_sample_cable_chips_link_tags_origin_and_classification(sample_site):
    site, _ = sample_site
    page = _read(site, "cable/2009/03/09BAKU179.html")
    for target in ("tag/ETTC.html", "tag/AJ.html", "country/az.html", "country/ir.html", "origin/embassy-baku.html",
                   "classification/secret-noforn.html", "date/2009-03.html"):
        assert re.search(rf'href="(?:\.\./)+{re.escape(target)}"', page), target


def test_browse_pages_list_entries_with_counts(sample_site):
    site, _ = sample_site
    countries = _read(site, "countries.html")
    assert "<h2>Europe and Eurasia</h2>" in countries and 'href="country/tr.html"' in countries
    assert 'href="topic/missile-defense.html"' in _read(site, "topics.html")
    assert 'href="origin/embassy-madrid.html"' in _read(site, "origins.html")
    assert 'href="tag/PREL.html"' in _read(site, "tags.html")
    assert 'href="classification/secret-noforn.html"' in _read(site, "classifications.html")
    years = _read(site, "years.html")
    assert years.count("<rect") >= 10 and 'href="date/2009.html"' in years
    nav = _read(site, "index.html")
    for page in ("countries.html", "topics.html", "origins.html", "years.html", "classifications.html", "tags.html"):
        assert f'href="{page}"' in nav


def test_whole_sample_site_link_check(sample_site):
    site, report = sample_site
    result = check_site(site)
    assert result.broken == [] and result.external_loads == []
    assert report.index_pages > 500
    print(f"\nindex pages: {report.index_pages}; seconds: {report.seconds}")


def _entry(number: int, **fields) -> CatalogEntry:
    base = {"id": f"09TEST{number}", "url": f"cable/2009/01/09TEST{number}.html", "date": dt.datetime(2009, 1, 1),
            "subject": f"Subject {number}", "origin": "Embassy Ankara", "classification": "SECRET"}
    return CatalogEntry(**{**base, **fields})


def test_file_names_from_data_are_safe_and_never_collide():
    assert tag_file_name("PREL") == "PREL" and tag_file_name("AU-1") == "AU-1"
    assert tag_file_name("OVIP (STEINBERG, JAMES B.)") == "OVIP-STEINBERG-JAMES-B"
    assert tag_file_name("CON") == "CON-tag"
    assert tag_file_name("../../etc") == "ETC"
    entries = [_entry(1, tags=["Prel"], origin="Embassy Ankara"), _entry(2, tags=["PREL"], origin="Embassy  ANKARA"),
               _entry(3, tags=["OVIP (X)"], origin="embassy-ankara")]
    taxonomy = Taxonomy.build(entries, load_tables())
    tag_urls = {taxonomy.url("tag", t) for t in ("Prel", "PREL", "OVIP (X)")}
    origin_urls = {taxonomy.url("origin", o) for o in ("Embassy Ankara", "Embassy  ANKARA", "embassy-ankara")}
    assert len(tag_urls) == 3 and len({u.lower() for u in tag_urls}) == 3  # also on case-insensitive disks
    assert len(origin_urls) == 3
    assert len(taxonomy.renamed) == 3  # each shared name is reported


def test_index_pages_made_in_shares_are_the_pages_made_at_once(sample_catalog):
    """The build makes the index pages in one share per worker process: together the shares
    must give every page once, exactly as one pass gives it, each list whole in one share."""
    taxonomy = Taxonomy.build(sample_catalog, load_tables())

    def rendered(part: tuple[int, int]) -> dict[str, str]:
        return {page.url: render_page(page.template, page.url, page.title, **page.context)
                for page in build_index_pages(sample_catalog, "Test", size=40, taxonomy=taxonomy, part=part)}

    whole = rendered((0, 1))
    shares = [rendered((number, 3)) for number in range(3)]
    assert sum(len(share) for share in shares) == len(whole) > 100
    assert {url: text for share in shares for url, text in share.items()} == whole
    assert all(len(share) > len(whole) // 6 for share in shares)  # lists take turns
    later_pages = 0
    for url in whole:  # the pages of a list (name.html, then name_2.html ...) stay together
        match = re.fullmatch(r"(.+)_\d+\.html", url)
        if match and f"{match.group(1)}.html" in whole:
            later_pages += 1
            assert sum(url in share and f"{match.group(1)}.html" in share for share in shares) == 1, url
    assert later_pages > 10


def test_hostile_values_are_escaped_on_index_pages():
    entries = [_entry(1, tags=["<script>alert(1)</script>"], origin="<b>Post</b>", subject="<img src=x onerror=1>")]
    for page in build_index_pages(entries, "Test", taxonomy=Taxonomy.build(entries, load_tables())):
        text = render_page(page.template, page.url, page.title, **page.context)
        assert "<script>" not in text and "<img" not in text and "<b>Post" not in text, page.url


def _write_tiny_archive(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for n in range(1, count + 1):
        day = 1 + n % 28
        (folder / f"09ANKARA{n}.txt").write_text(
            f"---\nid: 09ANKARA{n}\ndate: 2009-01-{day:02d}\nclassification: CONFIDENTIAL\norigin: Embassy Ankara\n"
            f"subject: Tiny cable {n}\ntags: PREL TU\n---\n"
            f"1. (C) Turkey and the Polish delegation met.\n\n2. (C) Nothing else of note.\n", encoding="utf-8")


@pytest.mark.slow
def test_every_list_is_paginated_at_500_with_previous_and_next(tmp_path):
    _write_tiny_archive(tmp_path / "content", 510)
    site = tmp_path / "site"
    report = build([tmp_path / "content"], site, CONFIG, "Tiny archive")
    assert report.built == 510 and report.rejected == []
    for name in ("country/tr", "country/pl", "tag/PREL", "tag/TU", "topic/external-political-relations",
                 "origin/embassy-ankara", "classification/confidential", "date/2009", "date/2009-01", "cables"):
        first, second = _read(site, f"{name}.html"), _read(site, f"{name}_2.html")
        assert not (site / f"{name}_3.html").exists(), name
        assert len(re.findall(r'<td role="cell"><a href="[^"]*cable/2009/01/', first)) == 500, name
        assert len(re.findall(r'<td role="cell"><a href="[^"]*cable/2009/01/', second)) == 10, name
        assert re.search(rf'rel="next" href="[^"]*{name.split("/")[-1]}_2\.html"', first), name
        assert re.search(rf'rel="prev" href="[^"]*{name.split("/")[-1]}\.html"', second), name
    assert _read(site, "country/tr.html").count('#par1"') == 500  # each row links the paragraph naming Turkey
    result = check_site(site)
    assert result.broken == [] and result.external_loads == []


def test_paragraph_labels_follow_the_anchors():
    assert [paragraph_label(a) for a in ("par17", "par17_2", "par17-1", "intro")] == ["¶17", "¶17", "¶17+", "¶"]
