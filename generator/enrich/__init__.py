"""Enrich: what a cable means in the archive (countries, topics). Runs on one cable at a time;
links that need the whole archive are in ``enrich.links``."""

from __future__ import annotations

import functools

from ..model import Cable
from .config import SiteTables, load_tables
from .countries import CountryMatcher, detect_countries
from .topics import TopicMatcher


@functools.lru_cache(maxsize=4)
def _matchers(tables: SiteTables) -> tuple[CountryMatcher, TopicMatcher]:
    return CountryMatcher.from_tables(tables), TopicMatcher.from_tables(tables)


def enrich_cable(cable: Cable, tables: SiteTables | None = None) -> Cable:
    """Fill in countries (ISO codes, per paragraph too), mentions and topics from site_config/."""
    tables = tables or load_tables()
    country_matcher, topic_matcher = _matchers(tables)
    detect_countries(cable, tables, country_matcher)
    cable.topics = topic_matcher.topics_of(cable)
    return cable


__all__ = ["enrich_cable", "load_tables"]
