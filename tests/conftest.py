"""Shared fixtures. The real-cable corpus is read from ../shared (never copied into the
project); tests that need it skip with a clear reason when it is absent."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
SEED = SHARED / "seeds" / "000_ba35c497a3e78353.txt"
SAMPLE_CSV = SHARED / "corpus" / "cablegate-sample.csv"
MIRROR_DIR = SHARED / "corpus" / "cablegate-html"
CONTENT = PROJECT / "content"
CONFIG = PROJECT / "mkdocs.yml"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared corpus lives in ../shared beside the project")
    return path


@pytest.fixture(scope="session")
def seed_file() -> Path:
    return _need(SEED)


@pytest.fixture(scope="session")
def sample_csv() -> Path:
    return _need(SAMPLE_CSV)


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    return _need(MIRROR_DIR)


@pytest.fixture(scope="session")
def sample_catalog(sample_csv) -> list:
    """The sample's catalog entries in site order, each at a made-up URL (no build)."""
    from generator.enrich import enrich_cable
    from generator.model import CatalogEntry, Problem
    from generator.parse import parse_cable
    from generator.sources import read_sources

    entries = []
    for item in read_sources([sample_csv]):
        if isinstance(item, Problem):
            continue
        cable = enrich_cable(parse_cable(item))
        entries.append(CatalogEntry.of(cable, f"cable/x/{cable.id}.html"))
    return sorted(entries, key=lambda e: e.sort_key)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory, sample_csv):
    """content/ (the seed) plus the 1,045-cable CSV sample, built once for the session."""
    from generator.build import build

    site = tmp_path_factory.mktemp("sample") / "site"
    report = build([CONTENT, sample_csv], site, CONFIG, "Test archive")
    return site, report


@contextlib.contextmanager
def markdown_kept() -> Iterator[None]:
    """Builds inside write every cable page's Markdown into the work folder, stamped or not
    (``CABLESITE_KEEP_MARKDOWN``): what a plain MkDocs run over all the pages needs."""
    before = os.environ.get("CABLESITE_KEEP_MARKDOWN")
    os.environ["CABLESITE_KEEP_MARKDOWN"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["CABLESITE_KEEP_MARKDOWN"]
        else:
            os.environ["CABLESITE_KEEP_MARKDOWN"] = before


@pytest.fixture(scope="session")
def sample_site_markdown(tmp_path_factory, sample_csv):
    """``sample_site`` built again with every page's Markdown kept in its work folder."""
    from generator.build import build

    site = tmp_path_factory.mktemp("sample-markdown") / "site"
    with markdown_kept():
        report = build([CONTENT, sample_csv], site, CONFIG, "Test archive")
    return site, report


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's chromium driven by Playwright (its own browser download is not reachable here)."""
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is absent but CI=true: CI installs chromium, the browser tests must run")
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def served_sample(sample_site) -> Iterator[str]:
    """The sample site served at http://127.0.0.1:<port>/<its folder's name>/ (a sub-path, as on a
    real host) by the project's preview server; its root is the folder holding the site, since
    the server follows no symlink out of its root."""
    from generator.serve import background_server

    site, _ = sample_site
    with background_server(site.parent) as url:
        yield f"{url}/{site.name}/"
