"""The header's search box on the 404 page (issue 17): a static host shows that page at any missing
URL, at any depth, so its links cannot be relative to where it is shown. MkDocs renders it with
base_url "/" (or the path of site_url), and the box must read its index from there: before the fix
its index URL was "//search/" (a host named "search") and every query failed.

Served by the project's preview server, which answers a missing file with the nearest 404.html as
GitHub Pages does (generator/serve.py); the site at the server's root (the sample) and under a
sub-path (/archive/, named by site_url)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CONTENT
from tests.test_search_browser import SEED_PAGE, page, search  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MISSING = "no/such/deep/page"
SUB_PATH = "archive"


class Requests:
    """Every request the page makes, and those that failed or were answered with an error."""

    def __init__(self, tab) -> None:
        self.urls: list[str] = []
        self.bad: list[str] = []
        tab.on("request", lambda request: self.urls.append(request.url))
        tab.on("requestfailed", lambda request: self.bad.append(f"{request.url} failed: {request.failure}"))
        tab.on("response", self._answered)

    def _answered(self, response) -> None:
        if response.status >= 400:
            self.bad.append(f"{response.url} answered {response.status}")


def search_from_the_404_page(tab, root: str) -> None:
    """Open a missing page below ``root`` (the site's address), search from its header box and open
    the seed cable's hit; every request stays below ``root`` and none fails but the missing page."""
    requests = Requests(tab)
    response = tab.goto(root + MISSING)
    assert response.status == 404 and tab.locator(".cs-search__input").count() == 1
    search(tab, "Gabala")
    hit = tab.locator(f'.cs-search__hits a.cs-hit[href="{root}{SEED_PAGE}#par17"]')
    hit.wait_for(timeout=10_000)
    assert tab.locator(".cs-search__all").get_attribute("href") == f"{root}search.html?q=Gabala"
    with tab.expect_navigation():
        hit.click()
    assert tab.url == f"{root}{SEED_PAGE}#par17"
    assert requests.bad == [f"{root}{MISSING} answered 404"], requests.bad
    assert all(url.startswith(root) for url in requests.urls), [u for u in requests.urls if not u.startswith(root)]


def test_the_404_page_searches_the_sample_at_any_depth(page, sample_site):  # noqa: F811
    from generator.serve import background_server

    site, _ = sample_site
    with background_server(site) as url:
        search_from_the_404_page(page, url + "/")


def test_the_404_page_searches_a_site_under_a_sub_path(page, tmp_path):  # noqa: F811
    """A site published under /archive/ (site_url names it, as MkDocs needs for its 404 page)."""
    from generator.build import build
    from generator.serve import background_server
    from tests.test_exports import config_with_site_url

    config = config_with_site_url(tmp_path / "project", f"https://cables.example.org/{SUB_PATH}/")
    site = tmp_path / "host" / SUB_PATH
    report = build([CONTENT], site, config, "Sub-path archive")
    assert report.built == 1 and not report.rejected
    assert 'data-cs-index="/archive/search/"' in Path(site / "404.html").read_text(encoding="utf-8")
    with background_server(site.parent) as url:
        search_from_the_404_page(page, f"{url}/{SUB_PATH}/")
