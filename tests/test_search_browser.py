"""Search in a real browser (issue 5): Debian's chromium driven by Playwright, against the built
sample served under a sub-path (/archive/) by the project's Range-capable preview server."""

from __future__ import annotations

import threading
import time

import pytest

from tests.conftest import CONTENT

SEED_PAGE = "cable/undated/000_ba35c497a3e78353.html"
SAMPLE_BYTES_BOUND = 1_500_000  # issue 5: home page to first hit on the sample
FIRST_HIT_SECONDS = 1.0  # issue 5: first hit after the last keystroke

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def archive_url(served_sample) -> str:
    return served_sample


class ByteCounter:
    """Bytes on the wire (response headers and encoded bodies) of every request the page's
    context makes, workers included, as Chromium reports them."""

    def __init__(self, page) -> None:
        self.total = 0
        self.urls: list[str] = []
        page.context.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        sizes = request.sizes()
        self.total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        self.urls.append(request.url)


@pytest.fixture
def page(browser):
    context = browser.new_context()  # a fresh context: cold cache for every test
    opened = context.new_page()
    yield opened
    context.close()


def search(page, text: str) -> float:
    """Type ``text`` into the box after focusing it with "/"; seconds from the last key to the first hit."""
    page.keyboard.press("/")
    page.keyboard.type(text, delay=30)
    typed = time.perf_counter()
    page.wait_for_selector(".cs-search__hits a.cs-hit", timeout=10_000)
    return time.perf_counter() - typed


def expected_cables(words_prefix: str, classification: str | None = None) -> int:
    """Cables of the sample whose subject, id, tags, paragraphs or names filed under (topics,
    countries, post: issue 17) hold a word starting with the prefix."""
    from generator.build import BuildReport, parse_stream
    from generator.enrich import enrich_cable
    from generator.search import tokenize
    from generator.search.analysis import filed_under
    from generator.sources import read_sources
    from tests.conftest import SAMPLE_CSV

    count = 0
    for cable in parse_stream(read_sources([CONTENT, SAMPLE_CSV]), BuildReport()):
        texts = [cable.subject or "", cable.id, " ".join(cable.tags)] + [p.text for p in cable.paragraphs]
        texts += filed_under(enrich_cable(cable))
        if classification is not None and cable.classification != classification:
            continue
        if any(t.startswith(words_prefix) for text in texts for t in tokenize(text)):
            count += 1
    return count


def test_gabala_opens_the_seed_at_paragraph_17_within_the_byte_bound(page, archive_url):
    counter = ByteCounter(page)
    page.goto(archive_url + "index.html")
    seconds = search(page, "Gabala")
    hit = page.locator(f'.cs-search__hits a.cs-hit[href$="{SEED_PAGE}#par17"]')
    hit.wait_for(timeout=10_000)
    page.wait_for_load_state("networkidle")
    assert counter.total < SAMPLE_BYTES_BOUND, f"{counter.total} bytes to the first hit: {counter.urls}"
    assert seconds < FIRST_HIT_SECONDS, f"first hit {seconds:.2f} s after the last keystroke"
    assert hit.locator("mark").first.inner_text() == "Gabala"
    index = page.locator(".cs-search__hits a.cs-hit").evaluate_all(
        f"(links) => links.findIndex(a => a.href.endsWith('{SEED_PAGE}#par17'))")
    for _ in range(index + 1):
        page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == archive_url + SEED_PAGE + "#par17"
    in_view = page.evaluate("""() => { const r = document.getElementById('par17').getBoundingClientRect();
                                     return window.scrollY > 0 && r.top >= 0 && r.top < window.innerHeight; }""")
    assert in_view, "the seed page did not open scrolled to paragraph 17"


def test_a_filter_narrows_the_results_and_the_count_is_right(page, archive_url):
    from playwright.sync_api import expect

    page.goto(archive_url + SEED_PAGE)
    search(page, "missile")
    count = page.locator(".cs-search__count")
    expect(count).to_have_text(f"{expected_cables('missile')} cables")
    secret = page.locator('select[name="classification"] option', has_text="SECRET (").first
    page.select_option('select[name="classification"]', value=secret.get_attribute("value"))
    narrowed = expected_cables("missile", "SECRET")
    assert 0 < narrowed < expected_cables("missile")
    expect(count).to_have_text(f"{narrowed} cables")
    expect(page.locator(".cs-search__hits a.cs-hit")).to_have_count(min(narrowed, 10))


def test_search_box_is_on_every_page_and_slash_focuses_it(page, archive_url):
    page.goto(archive_url + "cables.html")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('cs-search__input')")
    page.keyboard.press("Escape")
    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.classList.contains('cs-search__input')")


def test_cable_text_in_results_is_shown_as_text_never_as_markup(browser, tmp_path):
    """A cable whose text looks like HTML: the hit shows it literally and runs nothing."""
    from generator.build import build
    from generator.serve import make_server
    from tests.conftest import CONFIG

    content = tmp_path / "content"
    content.mkdir()
    (content / "09TEST1.txt").write_text(
        "---\nid: 09TEST1\ndate: 2009-01-02\nsubject: <b>Bold</b> subject\n---\n"
        '1. (C) Zanzibarx <img src=x onerror="window.pwned=1"> and <script>window.pwned=2</script>.\n',
        encoding="utf-8")
    site = tmp_path / "site"
    build([content], site, CONFIG, "Escaping test")
    server = make_server(site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        search(page, "zanzibarx")
        hit = page.locator(".cs-search__hits a.cs-hit").first
        assert hit.locator(".cs-hit__title").inner_text() == "<b>Bold</b> subject"
        assert '<img src=x onerror="window.pwned=1">' in hit.locator(".cs-hit__snippet").inner_text()
        assert hit.locator("img, script, b").count() == 0
        assert hit.locator("mark").all_inner_texts() == ["Zanzibarx"]
        assert page.evaluate("window.pwned === undefined")
    finally:
        context.close()
        server.shutdown()
        server.server_close()
