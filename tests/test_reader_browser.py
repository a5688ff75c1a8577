"""Reading the sample site in a real browser (issue 16): axe-core finds no serious or critical
violation in either colour scheme, the keyboard reaches the cable text with one Tab, the menu
works from the keyboard, the scheme toggle is a labelled button that remembers, a paragraph's
link and citation can be copied with the keyboard, and no page is wider than a 390 px phone.

Debian's chromium driven by Playwright; axe-core from the axe-playwright-python package."""

from __future__ import annotations

from pathlib import Path

import pytest

CABLE = "cable/2006/07/06MADRID1914.html"  # references, cited by, a summary repeated in paragraph 1
AXE_PAGES = ["index.html", CABLE, "country/af.html", "years.html", "cables_2.html"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site_url(served_sample) -> str:
    return served_sample


@pytest.fixture(scope="module")
def axe_source() -> str:
    axe = pytest.importorskip("axe_playwright_python", reason="axe-playwright-python (the test extra) ships axe-core")
    return (Path(axe.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def _serious(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ' x' + v.nodes.length + ': '
                  + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))""")
    return found


@pytest.mark.parametrize("scheme,phone", [("light", False), ("dark", False), ("light", True), ("dark", True)])
def test_axe_finds_no_serious_violation(browser, site_url, axe_source, scheme, phone):
    size = PHONE if phone else {"viewport": {"width": 1280, "height": 900}}
    context = browser.new_context(color_scheme=scheme, **size)
    page = context.new_page()
    try:
        problems = {}
        for rel in AXE_PAGES:
            page.goto(site_url + rel)
            expected = "slate" if scheme == "dark" else "default"
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
            found = _serious(page, axe_source)
            if found:
                problems[rel] = found
        assert problems == {}
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_in_the_open_search_panel(browser, site_url, axe_source, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(site_url + CABLE)
        page.keyboard.press("/")
        page.keyboard.type("missile defense", delay=20)
        page.wait_for_selector(".cs-search__hits [role=option]", timeout=15_000)
        page.keyboard.press("ArrowDown")  # a selected option, as a keyboard user sees it
        assert page.locator(".cs-search__input").get_attribute("aria-expanded") == "true"
        assert _serious(page, axe_source) == []
    finally:
        context.close()


def test_the_cable_page_axe_checked_has_references_and_cited_by(sample_site):
    site, _ = sample_site
    page = (site / CABLE).read_text(encoding="utf-8")
    assert "<dt>References</dt>" in page and "<dt>Cited by</dt>" in page
    assert 'href="cables_3.html"' in (site / "cables_2.html").read_text(encoding="utf-8")  # a page of a long list


def test_one_tab_and_enter_reach_the_cable_text(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(site_url + CABLE)
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href'),"
                                " document.activeElement.getBoundingClientRect().width]")
        assert "md-skip" in focused[0] and focused[1] == "#cable-text" and focused[2] > 0  # visible when focused
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "cable-text"
        page.keyboard.press("Tab")  # the next stop is the first paragraph's permalink
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Link to paragraph 1"
        page.goto(site_url + "country/af.html")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#cs-main"
    finally:
        context.close()


def _tab_stops(page, count: int) -> list[dict]:
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("""() => { const e = document.activeElement, r = e.getBoundingClientRect();
            return {tag: e.tagName, cls: String(e.className),
                    label: e.getAttribute('aria-label') || (e.labels && e.labels.length ? e.labels[0].textContent.trim()
                           : e.textContent.trim()),
                    w: r.width, h: r.height, drawer: !!e.closest('.md-sidebar--primary')}; }"""))
    return stops


@pytest.mark.parametrize("width", [1280, 390])
def test_every_early_tab_stop_is_visible_and_named(browser, site_url, width):
    options = PHONE if width == 390 else {"viewport": {"width": width, "height": 900}}
    context = browser.new_context(**options)
    page = context.new_page()
    try:
        page.goto(site_url + "index.html")
        stops = _tab_stops(page, 8)
        for stop in stops:
            assert stop["w"] > 0 and stop["h"] > 0 and stop["label"], stop  # no invisible or nameless stop
            assert stop["tag"] != "INPUT" or "md-option" not in stop["cls"], stop  # Material's palette radio
            assert not stop["drawer"], stop  # the closed drawer is out of the Tab order
        assert any(stop["label"] in ("Switch to dark mode", "Switch to light mode") for stop in stops)
        if width == 390:
            assert any(stop["label"] == "Navigation menu" for stop in stops)
    finally:
        context.close()


def test_the_menu_button_opens_and_closes_the_drawer_from_the_keyboard(browser, site_url):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(site_url + CABLE)
        button = page.get_by_role("button", name="Navigation menu")
        assert button.evaluate("e => e.tagName") == "BUTTON"  # a real button, not a label given a role
        button.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.getElementById('__drawer').checked") is True
        assert button.get_attribute("aria-expanded") == "true"
        page.wait_for_timeout(300)
        assert page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")  # focus moved in
        page.keyboard.press("Escape")
        assert page.evaluate("document.getElementById('__drawer').checked") is False
        assert button.get_attribute("aria-expanded") == "false"
    finally:
        context.close()


def test_the_scheme_toggle_follows_the_system_until_chosen_and_remembers(browser, site_url):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(site_url + "index.html")
        scheme = "document.body.getAttribute('data-md-color-scheme')"
        assert page.evaluate(scheme) == "slate"
        toggle = page.get_by_role("button", name="Switch to light mode")
        toggle.focus()
        page.keyboard.press("Enter")
        assert page.evaluate(scheme) == "default"
        assert page.get_by_role("button", name="Switch to dark mode").is_visible()
        page.goto(site_url + CABLE)
        assert page.evaluate(scheme) == "default"  # remembered across pages
    finally:
        context.close()


def test_a_paragraph_link_and_citation_are_copied_with_the_keyboard(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(site_url + CABLE)
        page.get_by_role("button", name="Cite paragraph 3").focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('.cable-copied').textContent.length > 0")
        citation = page.evaluate("navigator.clipboard.readText()")
        assert citation == (f"Embassy Madrid, “COURT FREES \"SPANISH TALIBAN\"”, cable 06MADRID1914, 2006-07-28, "
                            f"paragraph 3. {site_url}{CABLE}#par3")
        assert "Citation of paragraph 3 copied" in page.inner_text(".cable-copied")
        page.get_by_role("button", name="Copy link to paragraph 2").click()
        page.wait_for_function("document.querySelector('.cable-copied').textContent.includes('paragraph 2')")
        assert page.evaluate("navigator.clipboard.readText()") == f"{site_url}{CABLE}#par2"
        page.goto(site_url + CABLE + "#par2")
        background = page.evaluate("getComputedStyle(document.getElementById('par2')).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # the :target highlight
    finally:
        context.close()


def test_no_page_is_wider_than_a_phone(browser, site_url, sample_site):
    """Every page of the sample site at 390 px as a mobile device (which widens its viewport to
    fit content that overflows, hence the innerWidth check)."""
    site, _ = sample_site
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html") if "assets" not in p.parts)
    assert len(pages) > 1900
    context = browser.new_context(**PHONE)
    context.route("**/search/**", lambda route: route.abort())  # the sweep needs no search index
    page = context.new_page()
    too_wide = []
    try:
        for rel in pages:
            page.goto(site_url + rel, wait_until="domcontentloaded")
            inner, scroll = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
            if inner != 390 or scroll > inner:
                too_wide.append((rel, inner, scroll))
    finally:
        context.close()
    assert too_wide == []


@pytest.mark.parametrize("script", [True, False])
def test_the_home_page_search_opens_the_search_page_with_its_query(browser, site_url, script):
    """The home page's form goes to search.html?q=... beside it (the site is served under a
    sub-path), with JavaScript or without; with it the search page runs the query from the URL."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=script)
    page = context.new_page()
    try:
        page.goto(site_url + "index.html")
        page.get_by_label("Search the full text of every cable").fill("  missile defense ")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expected = "missile+defense" if script else "++missile+defense+"  # JavaScript trims it
        assert page.url == f"{site_url}search.html?q={expected}"
        if script:
            box = page.locator(".cs-search--page .cs-search__input")
            assert box.input_value() == "missile defense"
            page.wait_for_selector(".cs-search--page .cs-search__hits li", timeout=15_000)
            assert "q=missile+defense" in page.url  # the query stays in the address (linkable)
        else:
            assert page.title().startswith("Search")
            assert page.locator(".cs-search--page .cs-search__input").count() == 1
    finally:
        context.close()


def test_an_empty_home_page_search_stays_on_the_home_page(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(site_url + "index.html")
        page.get_by_label("Search the full text of every cable").fill("   ")
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        assert page.url == site_url + "index.html"
        assert page.evaluate("document.activeElement.id") == "archive-search-q"
    finally:
        context.close()


@pytest.mark.parametrize("rel,fifth", [("cables_2.html", "Class."), ("country/af.html", "Where")])
def test_list_tables_on_a_phone_are_cards_that_stay_tables_for_screen_readers(browser, site_url, rel, fifth):
    """Below 45em a list's rows are cards (CSS display changes, which may strip a table's
    semantics: WebKit drops them unless the markup says the roles). The accessibility tree still
    has the table, its column headers, a row per cable and a cell per value; each cell shows its
    column's name, which the tree leaves out (the column header says it)."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(site_url + rel)
        assert page.evaluate("getComputedStyle(document.querySelector('.cable-list tbody tr')).display") == "block"
        cables = page.locator(".cable-list tbody tr").count()
        assert cables > 1
        table = page.get_by_role("table")
        assert table.count() == 1
        assert [h.inner_text() for h in table.get_by_role("columnheader").all()] == [
            "Date", "Reference ID", "Subject", "Origin", "Where" if fifth == "Where" else "Classification"]
        assert table.get_by_role("row").count() == cables + 1
        assert table.get_by_role("cell").count() == 5 * cables
        assert page.evaluate("""[...document.querySelectorAll('.cable-list tr, .cable-list td')]
            .every(e => e.getAttribute('role') === (e.tagName === 'TR' ? 'row' : 'cell'))""")
        labels = page.evaluate("""[...document.querySelectorAll('.cable-list tbody tr:first-child td')].map(td => {
            const style = getComputedStyle(td, '::before');
            return [style.content, style.display, style.visibility]; })""")
        names = ["Date", "ID", "Subject", "Origin", fifth]
        assert [label[0].split(" / ")[0] for label in labels] == [f'"{name}"' for name in names]
        assert all(label[1] != "none" and label[2] == "visible" for label in labels)
        tree = context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
        cells = [n.get("name", {}).get("value", "") for n in tree if n["role"]["value"] == "cell"][:5]
        first = page.evaluate("[...document.querySelectorAll('.cable-list tbody tr:first-child td')]"
                              ".map(td => td.textContent.trim().replace(/\\s+/g, ' '))")
        assert cells == first  # the value alone: the visible names are not read out again
        assert page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]") == [390, 390]
    finally:
        context.close()
