"""Index pages say what they list (issue 16): each country, topic, tag, post, classification,
year, month and list page, the browse pages, the years, search and home pages have a meta
description (and Open Graph description) of their own instead of the site-wide one."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter

from generator.enrich.config import load_tables
from generator.indexes import build_index_pages
from generator.indexes.describe import (
    clip,
    home_description,
    list_description,
    month_name,
    page_part,
    term_description,
    year_span,
)
from generator.indexes.paginate import paginate
from generator.indexes.taxonomy import Taxonomy
from generator.model import CatalogEntry
from generator.write.markdown import render_page


def _entry(cable_id: str, date: dt.datetime | None, origin: str, tags: list[str], countries: list[str],
           classification: str = "CONFIDENTIAL", subject: str = "") -> CatalogEntry:
    """A catalog entry as enrich leaves it (the topics of its TAGS codes, by the shipped tables)."""
    folder = f"{date:%Y/%m}" if date else "undated"
    tables = load_tables()
    topics = sorted({tables.tag_topic(tag) for tag in tags if tables.tag_topic(tag)})
    return CatalogEntry(id=cable_id, url=f"cable/{folder}/{cable_id}.html", date=date, subject=subject or cable_id,
                        origin=origin, classification=classification, tags=tags, countries=countries,
                        topics=topics)


# Header values as in cables of the sample (09BAKU179, 06BAKU1105, 10BAKU134), trimmed.
BAKU = [
    _entry("06BAKU1105", dt.datetime(2006, 8, 4, 9, 0), "Embassy Baku", ["PGOV", "PHUM", "AJ"], ["AZ"],
           subject="AZERBAIJAN: OPPOSITION JOURNALISTS SENTENCED"),
    _entry("09BAKU179", dt.datetime(2009, 3, 6, 11, 0), "Embassy Baku", ["PREL", "PHUM", "AJ"], ["AZ", "RU"],
           subject="AZERBAIJAN: REFERENDUM ON TERM LIMITS"),
    _entry("10BAKU134", dt.datetime(2010, 2, 22, 6, 0), "Embassy Baku", ["EPET", "AJ"], ["AZ"],
           classification="SECRET", subject="AZERBAIJAN: GAS TO EUROPE"),
]


def _pages(entries: list[CatalogEntry], size: int = 500) -> dict[str, str]:
    entries = sorted(entries, key=lambda e: e.sort_key)
    taxonomy = Taxonomy.build(entries, load_tables())
    return {page.url: page.context.get("description", "")
            for page in build_index_pages(entries, "Cable archive", size=size, taxonomy=taxonomy)}


def test_each_kind_of_list_says_how_many_cables_of_what_over_which_years():
    pages = _pages(BAKU)
    assert pages["origin/embassy-baku.html"] == "3 cables from Embassy Baku, 2006–2010, oldest first."
    assert pages["country/az.html"] == "3 cables about Azerbaijan, 2006–2010, oldest first."
    assert pages["tag/PHUM.html"] == "2 cables whose TAGS line carries PHUM (Human Rights), 2006–2009, oldest first."
    assert pages["tag/AJ.html"].startswith("3 cables whose TAGS line carries AJ (Azerbaijan), 2006–2010")
    assert pages["classification/secret.html"] == "1 cable classified SECRET, 2010."
    assert pages["date/2009.html"] == "1 cable dated 2009."  # the year is not said twice
    assert pages["date/2009-03.html"] == "1 cable dated March 2009."
    assert pages["cables.html"] == "All 3 cables of the archive, 2006–2010, oldest first."
    assert re.fullmatch(r"2 cables on Human rights \(PHUM(, [A-Z]+)*(, …)?\), 2006–2009, oldest first\.",
                        pages["topic/human-rights.html"])
    assert pages["years.html"] == "Cables per year and per month, 2006–2010: 3 cables in all."
    assert pages["search.html"].startswith("Search the full text of 3 cables")
    assert pages["index.html"].startswith("Cable archive: 3 diplomatic cables, dated 2006-08-04 to 2010-02-22, "
                                          "from 1 post, about ")
    assert pages["origins.html"].startswith("The 1 post (embassies, consulates, missions) that sent")
    assert pages["countries.html"].startswith("The 2 countries the cables of this archive are about")
    assert all(pages.values()), [url for url, text in pages.items() if not text]  # none left to the site's


def test_the_pages_of_a_long_list_each_say_which_part_they_show():
    pages = _pages(BAKU, size=2)
    assert pages["cables.html"] == "All 3 cables of the archive, 2006–2010, oldest first."
    assert pages["cables_2.html"] == ("All 3 cables of the archive, 2006–2010, oldest first. "
                                      "Page 2 of 2: cables 3–3, 2010-02-22 to 2010-02-22.")
    listed = [text for url, text in pages.items() if url.startswith("origin/")]
    assert len(listed) == len(set(listed)) == 2


def test_undated_cables_give_no_years_and_are_counted_on_the_years_page():
    undated = [_entry("BAKU1", None, "Embassy Baku", [], []), _entry("BAKU2", None, "Embassy Baku", [], [])]
    assert year_span(undated) == ""
    pages = _pages(BAKU + undated)
    assert pages["origin/embassy-baku.html"] == "5 cables from Embassy Baku, 2006–2010, oldest first."
    assert pages["years.html"] == "Cables per year and per month, 2006–2010: 5 cables in all, 2 of them undated."
    assert home_description("A", undated, 1, 0).startswith("A: 2 diplomatic cables, from 1 post, about 0 countries.")


def test_names_from_the_data_are_kept_as_they_are_and_escaped_in_the_page():
    # a post name as typed in a source, with markup characters and braces
    entries = [_entry("09X1", dt.datetime(2009, 1, 5), 'Embassy "Tbilisi" <b>{n}</b> & co', [], [])]
    text = term_description("origin", entries[0].origin, 1, year_span(entries), paginate("origin/x", entries)[0])
    assert text == '1 cable from Embassy "Tbilisi" <b>{n}</b> & co, 2009.'
    page = render_page("list.md.j2", "origin/x.html", "T", description=text, page=paginate("origin/x", entries)[0],
                       heading="T", intro="", total=1)
    front = page.split("---", 2)[1]
    assert html.escape(text) in front and "<b>" not in front


def test_descriptions_are_cut_at_a_word_and_months_named():
    assert len(clip("word " * 100)) <= 300 and clip("word " * 100).endswith("d…")
    assert month_name("2009-02") == "February 2009" and month_name("2009-13") == "2009-13"
    first = paginate("x", BAKU, 2)[0]
    assert page_part(first) == ""
    assert list_description("3 cables", "", 3, first) == "3 cables, oldest first."


def test_every_index_page_of_the_sample_has_its_own_description(sample_site):
    """The built site: no index page shows the site-wide description, Open Graph repeats each
    page's own, and no two index pages share one."""
    site, _ = sample_site
    site_wide = "A browsable, citable archive of diplomatic cables."
    seen: Counter[str] = Counter()
    index_pages = [p for p in site.rglob("*.html")
                   if p.relative_to(site).parts[0] not in ("cable", "assets") and p.name != "404.html"]
    assert len(index_pages) > 800
    for path in index_pages:
        text = path.read_text(encoding="utf-8")
        found = re.search(r'<meta name="description" content="([^"]*)">', text)
        assert found and found.group(1) != site_wide, path
        assert f'<meta property="og:description" content="{found.group(1)}">' in text, path
        seen[found.group(1)] += 1
    assert max(seen.values()) == 1, [d for d, n in seen.items() if n > 1][:5]
    home = (site / "index.html").read_text(encoding="utf-8")
    site_name = re.search(r'<meta property="og:site_name" content="([^"]*)">', home).group(1)
    assert f'<meta property="og:title" content="{site_name}">' in home  # the site's name, not "Home"
    assert re.search(r'content="Test archive: 1,046 diplomatic cables, dated \d{4}-\d\d-\d\d to 2010', home)
    baku = (site / "origin" / "embassy-baku.html").read_text(encoding="utf-8")
    assert re.search(r'<meta name="description" content="\d+ cables from Embassy Baku, 20\d\d–2010, oldest first.">',
                     baku)
