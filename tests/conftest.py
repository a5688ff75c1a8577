"""Shared fixtures. The real-cable corpus is read from ../shared (never copied into the
project); tests that need it skip with a clear reason when it is absent."""

from __future__ import annotations

import os
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
def sample_site(tmp_path_factory, sample_csv):
    """content/ (the seed) plus the 1,045-cable CSV sample, built once for the session."""
    from generator.build import build

    site = tmp_path_factory.mktemp("sample") / "site"
    report = build([CONTENT, sample_csv], site, CONFIG, "Test archive")
    return site, report
