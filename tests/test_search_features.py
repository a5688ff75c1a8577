"""Search features in a real browser (issue 17): word forms, phrases, exclusion, stop words, the id
jump, the search page's URL, near spellings, the shard-boundary prefix, keyboard-only use and the
relevance set (tests/search_relevance.json), over the sample built once and served under /archive/.

Expected answers are computed here from the parsed sample with the indexer's own analysis
(generator/search/analysis.py: the terms of each cable, its stems' entries included), never
written down from a run of the engine."""

from __future__ import annotations

import gzip
import json
import re
import urllib.parse
from pathlib import Path

import pytest

from generator.search.analysis import STEM_MARK
from generator.search.index import read_meta
from generator.search.tokens import stem, tokenize
from tests.conftest import CONTENT, PROJECT
from tests.test_search_browser import archive_url, page, search  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RELEVANCE = PROJECT / "tests" / "search_relevance.json"
# First measurement (2026-12-01): 44 of 47 queries (0.94) with an expected cable in the top 5. On the
# same queries the engine before issue 17 (typed into the header box) had 40, Pagefind 1.4.0 over a
# copy of the same site (cable pages only, top 5 through its JS API) 35. 2026-12-01, a question's verb of
# saying optional: 45 of 47 (0.96); the two misses need "economy" to find "economic" (another Snowball
# stem) and "army" to find "military"/"SEDENA" (a synonym).
RELEVANCE_FLOOR = 0.95
STEMMER = PROJECT / "theme" / "assets" / "javascripts" / "stemmer.js"
PAGE_ROOT = "[data-cs-page]"


@pytest.fixture(scope="module")
def sample_cables(sample_csv):
    """id -> (cable, its index terms) for every cable of the sample site."""
    from generator.build import BuildReport, parse_stream
    from generator.enrich import enrich_cable
    from generator.search.analysis import cable_terms
    from generator.sources import read_sources

    cables = {}
    for cable in parse_stream(read_sources([CONTENT, sample_csv]), BuildReport()):
        counts, _, _ = cable_terms(enrich_cable(cable))  # as the build does: topics and countries found
        cables[cable.id] = (cable, set(counts))
    return cables


def holds_form(terms: set[str], word: str) -> bool:
    """Whether a cable's terms hold a form of ``word`` (the word, its stem, or a stem entry)."""
    root = stem(word)
    return word in terms or root in terms or root + STEM_MARK in terms


def holds_phrase(cable, words: list[str]) -> bool:
    texts = [f"{cable.subject or ''} {cable.id}"] + [p.text for p in cable.paragraphs]
    for tokens in map(tokenize, texts):
        if any(tokens[i:i + len(words)] == words for i in range(len(tokens) - len(words) + 1)):
            return True
    return False


def open_search_page(page, archive_url: str, query: str, **filters: str) -> None:  # noqa: F811
    params = urllib.parse.urlencode({"q": query, **filters})
    page.goto(f"{archive_url}search.html?{params}")
    page.wait_for_selector(f"{PAGE_ROOT}[data-cs-ready]", timeout=15_000)


def shown_ids(page, root: str = PAGE_ROOT) -> list[str]:  # noqa: F811
    return [meta.split(" · ")[0] for meta in page.locator(f"{root} a.cs-hit .cs-hit__meta").all_inner_texts()]


def count_text(page, root: str = PAGE_ROOT) -> str:  # noqa: F811
    return page.locator(f"{root} .cs-search__count").inner_text()


def show_all(page) -> list[str]:  # noqa: F811
    """Press "More results" until every hit is shown; the ids shown."""
    more = page.locator(f"{PAGE_ROOT} .cs-search__more")
    for _ in range(200):
        if not more.is_visible():
            break
        before = page.locator(f"{PAGE_ROOT} a.cs-hit").count()
        checked = page.locator(PAGE_ROOT).get_attribute("data-cs-checked")  # a click may check candidates, none passing
        more.click()
        page.wait_for_function(f"document.querySelectorAll('{PAGE_ROOT} a.cs-hit').length > {before} || "
                               f"document.querySelector('{PAGE_ROOT} .cs-search__more').hidden || "
                               f"document.querySelector('{PAGE_ROOT}').getAttribute('data-cs-checked') !== '{checked}'")
    return shown_ids(page)


def cables_read(urls: list[str]) -> set[str]:
    """The cables whose hit file (any of its parts: hitfiles.py) the requested ``urls`` read."""
    return {m.group(1) for url in urls if (m := re.search(r"/search/d/(\d+/\d+)(?:-\d+)?\.json\.gz$", url))}


def test_the_browser_stems_every_word_of_the_sample_as_the_build_does(browser, sample_csv):
    """stemmer.js against snowballstemmer over every a-z word of the sample (about 35,000)."""
    words = sorted({t for line in sample_csv.read_text(encoding="utf-8").splitlines() for t in tokenize(line)
                    if re.fullmatch("[a-z]+", t)})
    assert len(words) > 20_000
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.set_content("<html><body></body></html>")
        tab.add_script_tag(content=STEMMER.read_text(encoding="utf-8"))
        browser_stems = tab.evaluate("(words) => words.map(window.csStem)", words)
    finally:
        context.close()
    differ = [(w, stem(w), s) for w, s in zip(words, browser_stems, strict=True) if stem(w) != s]
    assert not differ, f"{len(differ)} words stemmed differently, e.g. {differ[:10]}"


def test_a_prefix_that_begins_a_shard_finds_its_cables(page, archive_url, sample_site, sample_cables):  # noqa: F811
    """A prefix whose first term is a shard's first term, the shard before ending with a term it
    does not begin (the bug of issue 17: such prefixes found nothing)."""
    from generator.search.encode import decode_shard

    site, _ = sample_site
    meta = read_meta(site / "search")
    prefix = None
    for number, first in enumerate(meta["shards"][1:], start=1):
        if not re.fullmatch("[a-z]{4,}", first):
            continue
        last = list(decode_shard(gzip.decompress((site / "search" / "t" / f"{number - 1}.bin.gz").read_bytes())))[-1]
        candidate = first[:3] if not last.startswith(first[:3]) else None
        if candidate and any(first in terms for _, terms in sample_cables.values()):
            prefix = candidate, first
            break
    assert prefix, "no shard boundary of the sample is the start of a prefix run"
    page.goto(archive_url + "index.html")
    search(page, prefix[0])
    assert not count_text(page, ".cs-search").startswith("0 "), f"{prefix[0]!r} (shard starting {prefix[1]!r})"
    marked = page.locator(".cs-search a.cs-hit mark").all_inner_texts()
    assert any(tokenize(m)[0].startswith(prefix[0]) for m in marked)


def test_word_forms_match_both_ways_and_a_trailing_space_changes_nothing(page, archive_url, sample_cables):  # noqa: F811
    expected = sum(holds_form(terms, "negotiate") for _, terms in sample_cables.values())
    counts = {}
    for query in ("negotiate", "negotiations", "negotiations "):
        open_search_page(page, archive_url, query)
        counts[query] = count_text(page)
    assert set(counts.values()) == {f"{expected} cables"}, counts
    open_search_page(page, archive_url, "sanctioned")
    first = shown_ids(page)[0]
    assert "sanctioned" in sample_cables[first][1], "the form typed ranks above its other forms"
    open_search_page(page, archive_url, "pipeline Ukraine")  # not the last word: still all its forms
    assert "08KYIV2173" in show_all(page)


def test_a_phrase_finds_exactly_the_cables_holding_it(page, archive_url, sample_cables):  # noqa: F811
    words = ["nuclear", "program"]
    expected = {cid for cid, (cable, _) in sample_cables.items() if holds_phrase(cable, words)}
    with_words = {cid for cid, (_, terms) in sample_cables.items() if all(w in terms for w in words)}
    assert 0 < len(expected) < len(with_words)
    open_search_page(page, archive_url, '"nuclear program"')
    assert set(show_all(page)) == expected
    assert count_text(page) == f"{len(expected)} cables"


def test_a_phrase_reads_a_bounded_number_of_hit_files_a_page(page, archive_url, sample_cables):  # noqa: F811
    """"active measures": most cables holding both words do not hold the phrase; a page checks at most
    CHECK of them (search.js), so that its bytes stay bounded at any archive size, and "More
    results" checks the rest."""
    check = int(re.search(r"var CHECK = (\d+);", (PROJECT / "theme/assets/javascripts/search.js").read_text()).group(1))
    assert 10 <= check <= 20  # at least a page of hits, at most issue 17's byte budget (about 5 KB a hit file)
    words = ["active", "measures"]
    candidates = {cid for cid, (_, terms) in sample_cables.items() if all(w in terms for w in words)}
    expected = {cid for cid in candidates if holds_phrase(sample_cables[cid][0], words)}
    assert len(candidates) > check + len(expected), "the sample no longer has many candidates for this phrase"
    hit_files: list[str] = []
    page.on("request", lambda request: hit_files.append(request.url) if "/search/d/" in request.url else None)
    open_search_page(page, archive_url, '"active measures"')
    assert len(cables_read(hit_files)) == check
    assert count_text(page).startswith("at most ")
    assert set(show_all(page)) == expected
    assert count_text(page) == f"{len(expected)} cable" + ("s" if len(expected) != 1 else "")
    assert len(cables_read(hit_files)) == len(candidates)


def test_an_excluded_word_leaves_out_every_cable_holding_a_form_of_it(page, archive_url, sample_cables):  # noqa: F811
    expected = {cid for cid, (_, terms) in sample_cables.items()
                if holds_form(terms, "iran") and not holds_form(terms, "nuclear")}
    open_search_page(page, archive_url, "Iran -nuclear")
    assert count_text(page) == f"{len(expected)} cables"
    assert set(shown_ids(page)) <= expected


def test_or_takes_either_word(page, archive_url, sample_cables):  # noqa: F811
    def either(terms: set[str]) -> bool:
        return holds_form(terms, "zapatero") or holds_form(terms, "moratinos") or any(
            t.startswith("moratinos") and STEM_MARK not in t for t in terms)  # the last word is being typed

    expected = {cid for cid, (_, terms) in sample_cables.items() if either(terms)}
    both = {cid for cid in expected if holds_form(sample_cables[cid][1], "zapatero")
            and holds_form(sample_cables[cid][1], "moratinos")}
    assert len(both) < len(expected)
    open_search_page(page, archive_url, "Zapatero OR Moratinos")
    assert count_text(page) == f"{len(expected)} cables"


def test_stop_words_are_optional(page, archive_url, sample_cables):  # noqa: F811
    # the last word, typed without a space after it, also stands for the words it begins
    expected = sum(holds_form(terms, "president") and (holds_form(terms, "azerbaijan") or any(
        t.startswith("azerbaijan") and STEM_MARK not in t for t in terms)) for _, terms in sample_cables.values())
    open_search_page(page, archive_url, "who is the president of Azerbaijan")
    assert count_text(page) == f"{expected} cables"
    assert "10BAKU134" in shown_ids(page)[:5]


def test_a_questions_verb_of_saying_is_optional_and_elsewhere_required(page, archive_url, sample_cables):  # noqa: F811
    """"what did Sarkozy say in Saudi Arabia": cables reporting it without a form of "say" are found
    (08RIYADH102 never says "say"); "Sarkozy said in Saudi Arabia", not a question, needs the word."""
    def holds_all(terms: set[str], words: list[str]) -> bool:  # the last word also stands for the words it begins
        *whole, last = words
        return all(holds_form(terms, w) for w in whole) and (holds_form(terms, last) or any(
            t.startswith(last) and STEM_MARK not in t for t in terms))

    question = {cid for cid, (_, terms) in sample_cables.items() if holds_all(terms, ["sarkozy", "saudi", "arabia"])}
    statement = {cid for cid, (_, terms) in sample_cables.items()
                 if holds_all(terms, ["sarkozy", "said", "saudi", "arabia"])}
    assert statement < question, "the sample has no cable on Sarkozy and Saudi Arabia without a form of 'say'"
    open_search_page(page, archive_url, "what did Sarkozy say in Saudi Arabia")
    assert count_text(page) == f"{len(question)} cables"
    assert set(show_all(page)) == question
    open_search_page(page, archive_url, "Sarkozy said in Saudi Arabia")
    assert count_text(page) == f"{len(statement)} cables"


def test_names_a_cable_is_filed_under_are_searchable(page, archive_url, sample_cables):  # noqa: F811
    """A cable filed under the topic "Human rights" whose text never says so is found."""
    only_topic = [cid for cid, (cable, _) in sample_cables.items() if "Human rights" in cable.topics
                  and not holds_phrase(cable, ["human", "rights"])]
    assert only_topic, "the sample has no cable filed under Human rights without the words"
    open_search_page(page, archive_url, "human rights")
    assert set(only_topic) <= set(show_all(page))


def test_a_reference_id_typed_whole_opens_its_cable(page, archive_url):  # noqa: F811
    page.goto(f"{archive_url}search.html?q=10BAKU134")
    page.wait_for_url("**/cable/2010/02/10BAKU134.html", timeout=15_000)
    page.goto(archive_url + "cables.html")
    page.keyboard.press("/")
    page.keyboard.type("10baku134", delay=20)
    page.wait_for_selector(".cs-search[data-cs-ready] a.cs-hit", timeout=15_000)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("cable/2010/02/10BAKU134.html")


def test_the_search_page_keeps_query_and_filters_in_the_url_and_back_restores_them(
        page, archive_url, sample_cables):  # noqa: F811
    expected = sum(holds_form(terms, "missile") and cable.classification == "SECRET"
                   for cable, terms in sample_cables.values())
    open_search_page(page, archive_url, "missile", classification="SECRET")
    assert count_text(page) == f"{expected} cables"
    page.fill(f"{PAGE_ROOT} .cs-search__input", "missile defense")
    page.keyboard.press("Enter")
    page.wait_for_function("location.search.includes('defense')")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query == {"q": ["missile defense"], "classification": ["SECRET"]}
    page.wait_for_selector(f"{PAGE_ROOT} a.cs-hit")
    first = page.locator(f"{PAGE_ROOT} a.cs-hit").first
    with page.expect_navigation():
        first.click()
    assert "/cable/" in page.url
    page.go_back()
    page.wait_for_selector(f"{PAGE_ROOT} a.cs-hit", timeout=15_000)
    assert page.input_value(f"{PAGE_ROOT} .cs-search__input") == "missile defense"
    chosen = page.locator(f'{PAGE_ROOT} select[name="classification"] option:checked').inner_text()
    assert chosen.startswith("SECRET (")


def test_the_header_box_offers_all_results_and_keeps_its_query_on_back(page, archive_url):  # noqa: F811
    page.goto(archive_url + "cables.html")
    search(page, "Gabala")
    all_results = page.locator(".cs-search .cs-search__all")
    assert urllib.parse.urlsplit(all_results.get_attribute("href")).query == "q=Gabala"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.go_back()
    page.wait_for_function("document.querySelector('.cs-search__input').value === 'Gabala'")


def test_no_results_suggest_near_spellings_and_name_the_filters_on(page, archive_url):  # noqa: F811
    open_search_page(page, archive_url, "sanctoins", classification="SECRET")
    assert "classification SECRET" in count_text(page)
    suggestion = page.locator(f"{PAGE_ROOT} .cs-search__spelling", has_text="sanctions")
    suggestion.wait_for(timeout=10_000)
    suggestion.click()
    page.wait_for_function("location.search.includes('q=sanctions')")
    page.wait_for_selector(f"{PAGE_ROOT} a.cs-hit")


def test_typing_fetches_hit_files_only_for_the_hits_shown(page, archive_url):  # noqa: F811
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(archive_url + "index.html")
    search(page, "who is the president of Azerbaijan")
    page.wait_for_load_state("networkidle")
    hit_files = [url for url in requested if "/search/d/" in url]
    assert 0 < len(cables_read(hit_files)) <= 10, hit_files


def test_keyboard_only_combobox(page, archive_url):  # noqa: F811
    page.goto(archive_url + "cables.html")
    box = page.locator(".cs-search .cs-search__input")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"
    search(page, "Gabala")
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    option = page.locator(f"#{active}")
    assert option.get_attribute("role") == "option" and option.get_attribute("aria-selected") == "true"
    nested = page.evaluate("""() => [...document.querySelectorAll('[role=option]')].filter(o =>
        o.querySelector('a[href], button, input, select, textarea, [tabindex]')).length""")
    assert nested == 0, "an option holds an interactive element (axe nested-interactive)"
    assert page.evaluate("[...document.querySelectorAll('[role=option]')].every(o => o.tabIndex === -1)")
    page.keyboard.press("Escape")
    assert page.locator(".cs-search__panel").is_hidden()
    assert page.locator(".cs-search a.cs-hit").count() == 0
    url = page.url
    page.keyboard.press("Enter")  # nothing stale to open
    page.wait_for_timeout(300)
    assert page.url == url
    # the filters: arrow keys change a select, they do not move through the hits
    box.fill("")
    box.type("Gabala", delay=30)
    page.wait_for_selector(".cs-search a.cs-hit", timeout=10_000)
    select = page.locator('.cs-search select[name="from"]')
    select.focus()
    page.keyboard.press("ArrowDown")
    assert select.input_value() != ""
    # the shortcuts stay out of the way of links and controls
    link = page.locator(".md-content a[href]").first
    link.focus()
    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.tagName") == "A"


def test_relevance_set_meets_its_floor(page, archive_url):  # noqa: F811
    queries = json.loads(RELEVANCE.read_text(encoding="utf-8"))["queries"]
    assert len(queries) >= 40
    missed = []
    for item in queries:
        if item["kind"] == "id":
            page.goto(f"{archive_url}search.html?q={urllib.parse.quote(item['q'])}")
            page.wait_for_url("**/cable/**", timeout=15_000)
            top = [Path(urllib.parse.urlsplit(page.url).path).stem]
        else:
            open_search_page(page, archive_url, item["q"])
            top = shown_ids(page)[:5]
        if not set(item["expect"]) & set(top):
            missed.append((item["q"], top))
    share = 1 - len(missed) / len(queries)
    print(f"relevance: {len(queries) - len(missed)} of {len(queries)} queries ({share:.2f}) hit the top 5")
    assert share >= RELEVANCE_FLOOR, f"{share:.2f} < {RELEVANCE_FLOOR}; missed: {missed}"


def test_the_search_pages_help_names_the_rules_the_engine_applies(sample_site):
    """The help on the search page says what the engine does: its example words are the ones the
    engine treats so (the stop words and the question's verbs of saying, read from the engine)."""
    site, _ = sample_site
    help_text = re.search(r'<p class="cs-search__help">(.*?)</p>', (site / "search.html").read_text(encoding="utf-8"),
                          re.S).group(1)
    engine = (PROJECT / "theme" / "assets" / "javascripts" / "search-engine.js").read_text(encoding="utf-8")
    saying = set(re.search(r'var SAYING = new Set\("([a-z ]+)"', engine).group(1).split())
    questions = set(re.search(r'var QUESTION = new Set\("([a-z ]+)"', engine).group(1).split())
    assert {"say", "tell"} <= saying and "what" in questions
    assert "<i>say</i> or <i>tell</i>" in help_text and "<i>what did Sarkozy say about Iran</i>" in help_text
    for feature in ('"nuclear program"', "-nuclear", "Iran OR Iraq", "10BAKU134"):
        assert feature in help_text
