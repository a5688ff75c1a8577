"""What a cable page tells readers besides the cable (issue 16): its title with the id, its meta
description, a summary not printed twice; the home page's bounded lists; the years chart."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from generator.indexes.chart import nice_step, year_chart
from generator.model import CatalogEntry, Paragraph
from generator.write.reader import first_sentence, meta_description, page_title, paragraph_names, repeated_summary

# 06MADRID1914: the summary is paragraph 1 without its "Summary." label (excerpts).
MADRID_SUMMARY = ("The Spanish Supreme Court announced July 24 that it had annulled the six-year prison sentence "
                  "handed down in September by Spain's National Court against accused terrorist Hamed Abderrahaman "
                  'Ahmed, known in the media as the "Spanish Taliban." Abderrahaman, a Spanish national captured in '
                  "Afghanistan by U.S. forces, was immediately released from prison.")
MADRID_PAR1 = ("Summary. The Spanish Supreme Court announced July 24 that it had annulled the six-year prison\n"
               "sentence handed down in September by Spain's National Court against accused terrorist Hamed\n"
               'Abderrahaman Ahmed, known in the media as the "Spanish Taliban."  Abderrahaman, a Spanish national\n'
               "captured in Afghanistan by U.S. forces, was immediately released from prison.  End Summary.")


def _par(number, text, kind="paragraph"):
    return Paragraph(number, f"par{number}" if number is not None else "intro", text, "C", kind)


def test_the_title_carries_the_id_and_is_the_id_alone_without_a_subject():
    assert page_title('COURT FREES "SPANISH TALIBAN"', "06MADRID1914") == 'COURT FREES "SPANISH TALIBAN" (06MADRID1914)'
    assert page_title("  AZERBAIJAN:\n  BAKU  ", "09BAKU179") == "AZERBAIJAN: BAKU (09BAKU179)"
    assert page_title(None, "09BAKU179") == page_title("", "09BAKU179") == "09BAKU179"


def test_first_sentence_ends_after_a_closing_quote_not_at_an_abbreviation():
    assert first_sentence(MADRID_PAR1) == ("The Spanish Supreme Court announced July 24 that it had annulled the "
                                           "six-year prison sentence handed down in September by Spain's National "
                                           "Court against accused terrorist Hamed Abderrahaman Ahmed, known in the "
                                           'media as the "Spanish Taliban."')
    # 08ISLAMABAD2524-like: "Mr." and "U.S." are not the end of a sentence
    assert first_sentence("The U.S. Embassy met Mr. Sharif on Monday. He asked for more.") == \
        "The U.S. Embassy met Mr. Sharif on Monday."
    # cables in capitals (1970s telegrams): a full stop after a word of capitals ends the sentence
    assert first_sentence("SUMMARY: U.S. FORCES LEFT TODAY. THE GOVERNMENT SAID NOTHING.") == "U.S. FORCES LEFT TODAY."
    assert first_sentence("No full stop here") == "No full stop here"


def test_meta_description_is_subject_and_first_sentence_of_the_summary_or_paragraph_one():
    paragraphs = [_par(1, MADRID_PAR1), _par(2, "The Court threw out other evidence.")]
    with_summary = meta_description('COURT FREES "SPANISH TALIBAN"', MADRID_SUMMARY, paragraphs, "06MADRID1914")
    assert with_summary.startswith('COURT FREES "SPANISH TALIBAN": The Spanish Supreme Court announced July 24')
    assert with_summary.endswith('"Spanish Taliban."')
    # no summary: the first block with text that is not a heading
    blocks = [_par(None, "SUMMARY", "heading"), _par(1, "The Court threw out other evidence. It said more.")]
    assert meta_description("SUBJECT", None, blocks, "X1") == "SUBJECT: The Court threw out other evidence."
    assert meta_description(None, None, [], "09BAKU179") == "09BAKU179"


def test_meta_description_is_cut_at_a_word_within_the_limit():
    long = "word " * 200
    text = meta_description("SUBJECT", long, [], "X1")
    assert len(text) <= 300 and text.endswith("…") and not text.endswith(" …")


def test_a_summary_lifted_from_paragraph_one_points_to_it():
    paragraphs = [_par(1, MADRID_PAR1), _par(2, "The Court threw out other evidence.")]
    repeated = repeated_summary(MADRID_SUMMARY, paragraphs)
    assert [p.number for p in repeated] == [1]
    assert paragraph_names(repeated) == "paragraph 1"


def test_a_summary_over_several_paragraphs_with_continued_labels_points_to_all_of_them():
    # 08ISLAMABAD2524: "Summary continued." paragraphs; the parser's summary leaves out paragraph 2
    paragraphs = [_par(1, "Summary. Prime Minister Gilani will be anxious to prove that he is committed."),
                  _par(2, "Summary continued. Nawaz Sharif has used his campaign to become popular."),
                  _par(3, "Summary continued. Gilani likely will ask for faster delivery of CSF reimbursements."),
                  _par(4, "Gilani will want to discuss the economy.")]
    summary = ("Prime Minister Gilani will be anxious to prove that he is committed. Summary continued. "
               "Gilani likely will ask for faster delivery of CSF reimbursements.")
    repeated = repeated_summary(summary, paragraphs)
    assert [p.number for p in repeated] == [1, 2, 3]
    assert paragraph_names(repeated) == "paragraphs 1–3"


def test_a_summary_not_in_the_text_is_printed():
    paragraphs = [_par(1, "We met the minister on Monday."), _par(2, "He said nothing new.")]
    assert repeated_summary("The minister, as expected, had no news for us at all.", paragraphs) == []
    assert repeated_summary(None, paragraphs) == []


def test_the_cable_page_shows_a_repeated_summary_once(sample_site):
    site, _ = sample_site
    page = (site / "cable" / "2006" / "07" / "06MADRID1914.html").read_text(encoding="utf-8")
    assert 'Summary:</strong> see <a href="#par1">paragraph 1</a>' in page
    assert "<h2>Summary</h2>" not in page
    assert "<title>COURT FREES &quot;SPANISH TALIBAN&quot; (06MADRID1914) - " in page
    description = re.search(r'<meta name="description" content="([^"]*)">', page).group(1)
    assert description.startswith("COURT FREES &quot;SPANISH TALIBAN&quot;: The Spanish Supreme Court")
    assert f'<meta property="og:description" content="{description}">' in page
    assert '<meta property="og:title" content="COURT FREES &quot;SPANISH TALIBAN&quot; (06MADRID1914)">' in page
    assert '<meta name="twitter:card" content="summary">' in page
    assert 'aria-label="Link to paragraph 1"' in page
    assert 'id="cable-text"' in page and 'href="#cable-text"' in page  # the skip link's target


def test_cable_pages_have_their_own_descriptions(sample_site):
    site, _ = sample_site
    seen = Counter()
    for path in sorted((site / "cable").rglob("*.html"))[:300]:
        match = re.search(r'<meta name="description" content="([^"]*)">', path.read_text(encoding="utf-8"))
        seen[match.group(1)] += 1
    assert seen and max(seen.values()) <= 2  # the same subject and opening sentence at most twice


def test_chart_steps_are_round_and_cover_the_tallest_bar():
    assert [nice_step(n) for n in (1, 4, 9, 440, 1_000, 26_000)] == [1, 1, 5, 200, 500, 10_000]
    chart = year_chart(Counter({"2004": 12, "2006": 440, "2010": 161}))
    assert [b["year"] for b in chart["bars"]] == [str(y) for y in range(2004, 2011)]  # gaps keep their slot
    assert chart["bars"][1]["count"] == 0 and chart["bars"][1]["url"] is None
    values = [int(g["value"].replace(",", "")) for g in chart["grid"]]
    assert values[0] == 0 and values[-1] >= 440 and len(values) <= 6
    tallest = max(chart["bars"], key=lambda b: b["height"])
    assert tallest["year"] == "2006" and tallest["y"] >= chart["grid"][-1]["y"]
    assert sum(b["label"] for b in chart["bars"]) <= 8
    assert all(b["x"] >= chart["left"] and b["x"] + b["width"] <= chart["right"] + 0.1 for b in chart["bars"])


def test_the_home_page_lists_stay_short_whatever_the_archive(tmp_path):
    from generator.enrich.config import load_tables
    from generator.indexes.home import NEWEST, TOP, home_context
    from generator.indexes.taxonomy import Taxonomy

    entries = [CatalogEntry(id=f"09POST{n}", url=f"cable/2009/01/09POST{n}.html", date=dt.datetime(2009, 1, 1 + n % 28),
                            subject=f"S{n}", origin=f"Embassy {n % 40}", classification="CONFIDENTIAL",
                            countries=[("FR", "DE", "IT", "ES", "PL", "SE", "NO", "DK", "FI", "PT")[n % 10]])
               for n in range(600)]
    entries.sort(key=lambda e: e.sort_key)
    context = home_context(entries, Taxonomy.build(entries, load_tables()), "Archive", Counter({"2009": 600}))
    assert all(len(group["items"]) <= TOP for group in context["top"]) and len(context["newest"]) == NEWEST
    posts = next(g for g in context["top"] if g["url"] == "origins.html")["items"]
    assert [p["count"] for p in posts] == sorted((p["count"] for p in posts), reverse=True)
    assert context["newest"][0].date >= context["newest"][-1].date


def test_with_a_site_url_every_page_names_its_canonical_address(tmp_path):
    """Canonical link and og:url come from the page's path: right on stamped pages too."""
    from generator.build import build
    from tests.conftest import CONFIG, CONTENT, PROJECT

    text = CONFIG.read_text(encoding="utf-8")
    text = text.replace("custom_dir: theme", f"custom_dir: {PROJECT / 'theme'}")
    text = text.replace("  - generator/render/hooks.py", f"  - {PROJECT / 'generator' / 'render' / 'hooks.py'}")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_url: https://cables.example.org/archive/\n" + text, encoding="utf-8")
    report = build([CONTENT], tmp_path / "site", config, "Test archive")
    assert report.pages_stamped > 0
    cable = next((tmp_path / "site" / "cable").rglob("*.html"))
    address = "https://cables.example.org/archive/" + cable.relative_to(tmp_path / "site").as_posix()
    page = cable.read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{address}">' in page
    assert f'<meta property="og:url" content="{address}">' in page
