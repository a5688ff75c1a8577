"""End-to-end: build content/ plus the CSV sample, then look at what a reader gets."""

from __future__ import annotations

import re

from generator.check import check_site


def test_seed_page_has_every_paragraph_anchor(sample_site):
    site, _ = sample_site
    page = (site / "cable" / "undated" / "000_ba35c497a3e78353.html").read_text(encoding="utf-8")
    for n in range(1, 21):
        assert f'id="par{n}"' in page
        assert f'href="#par{n}"' in page  # the visible pilcrow permalink
    assert 'id="par21"' not in page


def test_seed_page_is_titled_by_its_summary_and_shows_its_id(sample_site):  # it has no SUBJECT line
    site, _ = sample_site
    page = (site / "cable" / "undated" / "000_ba35c497a3e78353.html").read_text(encoding="utf-8")
    title = "NATO Allies received a September 17 briefing on the President&#39;s decision on the U.S. Ballistic…"
    assert f'<h1 class="cable-title">{title}</h1>' in page
    assert "<title>NATO Allies received a September 17 briefing" in page
    assert "000_ba35c497a3e78353" in page  # the id stays in the metadata card
    rows = [p.read_text(encoding="utf-8") for p in site.glob("classification/*.html")]
    listed = '000_ba35c497a3e78353</a></td><td role="cell">NATO Allies received'
    assert any(listed in r for r in rows)  # lists show it too


def test_every_sample_cable_is_at_its_mirror_url(sample_site, sample_csv):
    site, report = sample_site
    pages = list(site.glob("cable/*/*/*.html"))
    assert len(pages) == 1045
    assert (site / "cable" / "2009" / "03" / "09BAKU179.html").exists()
    assert report.read == report.built + len(report.rejected) == 1046
    assert report.rejected == []


def test_no_broken_internal_link_or_anchor(sample_site):
    site, _ = sample_site
    result = check_site(site)
    assert result.pages > 1045
    assert result.broken == []
    assert result.external_loads == []


def test_cables_are_not_in_the_navigation(sample_site):
    site, _ = sample_site
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = home[home.find('<nav class="md-nav md-nav--primary"'):]
    nav = nav[: nav.find("</nav>")]
    assert "cable/" not in nav
    size = len((site / "cable" / "2009" / "03" / "09BAKU179.html").read_bytes())
    assert size < 200_000


def test_list_pages_are_paginated_at_500(sample_site):
    site, _ = sample_site
    first = (site / "cables.html").read_text(encoding="utf-8")
    assert len(re.findall(r'href="cable/', first)) == 500
    assert (site / "cables_2.html").exists() and (site / "cables_3.html").exists()
    assert not (site / "cables_4.html").exists()
    assert 'href="cables_2.html"' in first


def test_site_loads_nothing_from_other_hosts(sample_site):
    site, _ = sample_site
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in page and "fonts.gstatic" not in page
    assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="https?://', page)


def test_written_files_are_new_files_in_folders_made_as_needed(tmp_path):
    """``write_new_file`` makes missing folders, and replaces a file by a new one: a hard link
    to the old one (the live site's copy) keeps the old bytes."""
    import os

    from generator.write.files import write_new_file

    target = tmp_path / "a" / "b" / "page.html"
    write_new_file(target, b"first")
    live = tmp_path / "live.html"
    os.link(target, live)
    write_new_file(target, b"second")
    write_new_file(tmp_path / "a" / "other.html", b"third")
    assert target.read_bytes() == b"second" and live.read_bytes() == b"first"
    assert (tmp_path / "a" / "other.html").read_bytes() == b"third"
