"""Bytes a search reads, measured in a browser: each query of the relevance set
(tests/search_relevance.json) typed into the header box of a built site, in Chromium, each in a
fresh browser context (cold cache), and the files it fetched weighed.

Why a browser and not only the formula of bench/run.py (``search_bytes``: four queries, the
shards of their words and 10 hit files of median size): the engine fetches more than a word's
shard in some queries (a word being typed spans up to three shards; a phrase or an excluded word
reads candidates' hit files until ten pass), and only running it shows what it fetches.

Each file fetched is weighed twice, from the site folder: as stored (what the preview server
sends, and the unit of the earlier figures in bench/RESULTS.md: JavaScript, CSS and meta.json
uncompressed, the index's .gz files as they are) and as a host that compresses text sends it
(gzip -6 of the files not already gzipped). The scripts are the site's, minified at build time
since issue 17 (generator/render/minify.py); figures from before that weighed the readable sources.
Per query:

- engine: search.js, search.css (loaded with every page), search-engine.js, stemmer.js (on first use);
- first query: engine + meta.json + the query's index files (term shards, hit files, facet files);
- later query: the query's index files alone (engine and meta.json are cached by then). Each query
  runs cold, so a shard an earlier query had fetched is counted again: an upper bound.

Hit files fetched are counted as "hit" (a cable's file, part 0) and "part" (a later part of a long
cable's file, generator/search/hitfiles.py); the summary also says how many files search/d holds.

    python bench/search_bytes.py SITE_DIR [--queries tests/search_relevance.json] [--json OUT]

Needs Playwright and Debian's chromium (as the browser tests do). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(PROJECT))

from generator.serve import background_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ENGINE = ("assets/javascripts/search.js", "assets/stylesheets/search.css",
          "assets/javascripts/search-engine.js", "assets/javascripts/stemmer.js")
META = "search/meta.json.gz"
START_PAGE = "index.html"
PART = re.compile(r"-\d+\.json\.gz$")  # a later part of a hit file: d/<folder>/<doc>-<part>.json.gz
WAIT_MS = 60_000


@dataclass
class Weight:
    """Bytes of some files: as stored, and as a compressing host sends them."""

    stored: int = 0
    gzipped: int = 0

    def add(self, other: Weight) -> None:
        self.stored += other.stored
        self.gzipped += other.gzipped


@dataclass
class QueryBytes:
    query: str
    hits: str  # the count line the box showed
    engine: Weight = field(default_factory=Weight)
    meta: Weight = field(default_factory=Weight)
    index: Weight = field(default_factory=Weight)  # shards, hit files, facet files
    files: dict[str, int] = field(default_factory=dict)  # kind -> number fetched

    @property
    def first(self) -> Weight:
        total = Weight()
        for part in (self.engine, self.meta, self.index):
            total.add(part)
        return total


def weigh(site: Path, relative: str) -> Weight:
    """A site file's size as stored, and gzipped unless it is gzip already."""
    data = (site / relative).read_bytes()
    if relative.endswith(".gz"):
        return Weight(len(data), len(data))
    return Weight(len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))


def kind_of(relative: str) -> str | None:
    """What a fetched file is for a search (None: the page itself, Material's assets and the like)."""
    if relative in ENGINE:
        return "engine"
    if relative == META:
        return "meta"
    for prefix, kind in (("search/t/", "shard"), ("search/d/", "hit"), ("search/f/", "facet")):
        if relative.startswith(prefix):
            return "part" if kind == "hit" and PART.search(relative) else kind
    return None


def run_query(browser, root: str, site: Path, text: str) -> QueryBytes:
    """``text`` filled into the header box of the start page in a fresh context; the files fetched
    from loading the page until the box's results are in and the network is quiet."""
    context = browser.new_context()
    fetched: list[str] = []
    try:
        tab = context.new_page()
        tab.on("requestfinished", lambda request: fetched.append(request.url))
        tab.goto(root + START_PAGE)
        box = tab.locator("[data-cs-search][data-cs-index]")
        box.locator(".cs-search__input").fill(text)
        tab.wait_for_selector("[data-cs-search][data-cs-index][data-cs-ready]", state="attached", timeout=WAIT_MS)
        tab.wait_for_load_state("networkidle", timeout=WAIT_MS)
        hits = box.locator(".cs-search__count").inner_text()
    finally:
        context.close()
    result = QueryBytes(text, hits)
    root_path = urlsplit(root).path
    for url in dict.fromkeys(fetched):  # each file once: the engine fetches each once
        relative = unquote(urlsplit(url).path).removeprefix(root_path)
        kind = kind_of(relative)
        if kind is None:
            continue
        result.files[kind] = result.files.get(kind, 0) + 1
        {"engine": result.engine, "meta": result.meta}.get(kind, result.index).add(weigh(site, relative))
    return result


def measure(site: Path, queries: list[str]) -> list[QueryBytes]:
    from playwright.sync_api import sync_playwright

    results = []
    with background_server(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for number, text in enumerate(queries, start=1):
                result = run_query(browser, url + "/", site, text)
                print(f"{number:3d} {text!r}: {result.hits}; first {result.first.stored:,} B, "
                      f"later {result.index.stored:,} B as stored ({result.files})", file=sys.stderr, flush=True)
                results.append(result)
        finally:
            browser.close()
    return results


def summary(results: list[QueryBytes], site: Path | None = None) -> list[str]:
    """Median and max of the first-query and later-query bytes, as stored and gzipped (KB = 1,000 B),
    and how many hit files (and parts) ``site``'s search/d holds."""
    def line(name: str, values: list[int]) -> str:
        return f"{name}: median {statistics.median(values) / 1000:.1f} KB, max {max(values) / 1000:.1f} KB"

    engine = results[0].engine
    return [
        f"{len(results)} queries; engine {engine.stored / 1000:.1f} KB as stored, "
        f"{engine.gzipped / 1000:.1f} KB gzipped",
        line("first query, as stored", [r.first.stored for r in results]),
        line("first query, gzipped", [r.first.gzipped for r in results]),
        line("later query, as stored", [r.index.stored for r in results]),
        line("later query, gzipped", [r.index.gzipped for r in results]),
    ] + ([hit_files_line(site)] if site is not None else [])


def hit_files_line(site: Path) -> str:
    names = [path.name for path in (site / "search" / "d").rglob("*.json.gz")]
    parts = sum(1 for name in names if PART.search(name))
    return f"search/d: {len(names):,} files ({len(names) - parts:,} cables' hit files, {parts:,} later parts)"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("--queries", type=Path, default=PROJECT / "tests" / "search_relevance.json")
    parser.add_argument("--json", type=Path, help="write every query's figures here")
    args = parser.parse_args(argv)
    queries = [entry["q"] for entry in json.loads(args.queries.read_text(encoding="utf-8"))["queries"]]
    results = measure(args.site, queries)
    if args.json:
        args.json.write_text(json.dumps([{**vars(r), "engine": vars(r.engine), "meta": vars(r.meta),
                                          "index": vars(r.index)} for r in results], indent=1), encoding="utf-8")
    print("\n".join(summary(results, args.site)))


if __name__ == "__main__":
    main()
