"""The publisher-editable tables of site_config/: countries, TAGS codes, topic taxonomy, settings.

They are data a publisher edits in a spreadsheet or text editor, so they are read leniently
(blank cells, stray spaces) but checked for what would silently break pages: two countries with
one ISO code, one TAGS code claimed by two countries, a topic without a name.
"""

from __future__ import annotations

import csv
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from ..parse.posts import PostTable, read_posts
from .corrections import CorrectionsError, read_tag_corrections

CONFIG_ENV = "CABLESITE_CONFIG_DIR"
DEFAULT_CONFIG_DIR = Path(__file__).resolve().parents[2] / "site_config"


@dataclass(frozen=True)
class Country:
    iso2: str  # ISO 3166-1 alpha-2 (XK for Kosovo, the code in common use)
    name: str
    region: str
    tags: tuple[str, ...]  # TAGS codes: the FIPS 10-4 code first, then variants seen in cables
    forms: tuple[str, ...]  # the name and its other forms: adjectives, demonyms, long names
    guard: str = ""  # "person": also a given name; "us-state": also a US state
    not_phrases: tuple[str, ...] = ()  # longer phrases holding a form that do not mean the country


@dataclass(frozen=True)
class TagCode:
    code: str
    name: str
    kind: str  # political, economic, military, ..., organization, region


@dataclass(frozen=True)
class TopicRule:
    name: str
    slug: str | None
    description: str
    tags: tuple[str, ...]
    keywords: tuple[str, ...]
    min_hits: int


@dataclass(eq=False)  # hashed by identity: matchers are cached per loaded table set
class SiteTables:
    countries: dict[str, Country] = field(default_factory=dict)  # by ISO code
    country_by_tag: dict[str, str] = field(default_factory=dict)  # TAGS code -> ISO code
    tag_codes: dict[str, TagCode] = field(default_factory=dict)
    topic_rules: list[TopicRule] = field(default_factory=list)
    index_us_mentions: bool = False
    tag_corrections: dict[str, str] = field(default_factory=dict)  # TAGS spelling -> entry
    posts: PostTable = field(default_factory=PostTable)  # posts.csv: station names for ids and origins

    def tag_topic(self, code: str) -> str | None:
        """The topic a TAGS code puts a cable in: a taxonomy topic claiming it, else its own name."""
        for rule in self.topic_rules:
            if code in rule.tags:
                return rule.name
        known = self.tag_codes.get(code)
        if known and known.kind not in ("region",):
            return known.name
        return None


def config_dir() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_DIR)


def _split(cell: str | None, sep: str = "|") -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(sep) if part.strip())


def read_countries(path: Path) -> tuple[dict[str, Country], dict[str, str]]:
    countries: dict[str, Country] = {}
    by_tag: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            iso2 = (row.get("iso2") or "").strip().upper()
            name = (row.get("name") or "").strip()
            if len(iso2) != 2 or not iso2.isalpha() or not name:
                raise ConfigError(f"{path}:{line}: a country needs a two-letter iso2 code and a name")
            if iso2 in countries:
                raise ConfigError(f"{path}:{line}: ISO code {iso2} is listed twice")
            tags = _split(row.get("tags"), " ")
            for tag in tags:
                if tag in by_tag:
                    raise ConfigError(f"{path}:{line}: TAGS code {tag} already belongs to {by_tag[tag]}")
                by_tag[tag] = iso2
            forms = tuple(dict.fromkeys((name, *_split(row.get("forms")))))
            countries[iso2] = Country(iso2, name, (row.get("region") or "").strip() or "Other", tags, forms,
                                      (row.get("guard") or "").strip(), _split(row.get("not")))
    return countries, by_tag


# The kinds a TAGS code may have (the handbook's subject categories, plus organisations and
# regions). ``region`` codes get tag pages but no topic; every other kind is a topic.
TAG_KINDS = ("administration", "business", "consular", "economic", "legal", "military", "operations",
             "organization", "political", "program", "region", "social", "technology")


def read_tag_codes(path: Path) -> dict[str, TagCode]:
    """site_config/tags.csv; a publisher's mistake (a code twice, no name, an unknown kind) is an
    error naming the line, not a silent override."""
    codes: dict[str, TagCode] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            code = (row.get("code") or "").strip()
            if not code:
                continue
            name, kind = (row.get("name") or "").strip(), (row.get("kind") or "").strip()
            if not name:
                raise ConfigError(f"{path}:{line}: TAGS code {code} has no name")
            if kind not in TAG_KINDS:
                raise ConfigError(f"{path}:{line}: TAGS code {code} has kind {kind!r}; "
                                  f"expected one of {', '.join(TAG_KINDS)}")
            if code in codes:
                raise ConfigError(f"{path}:{line}: TAGS code {code} is listed twice")
            codes[code] = TagCode(code, name, kind)
    return codes


def read_topic_rules(path: Path, default_min_hits: int) -> list[TopicRule]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rules = []
    for number, item in enumerate(data.get("topics") or [], start=1):
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            raise ConfigError(f"{path}: topic {number} has no name")
        rules.append(TopicRule(
            name=str(item["name"]).strip(), slug=item.get("slug"), description=str(item.get("description") or ""),
            tags=tuple(str(t) for t in item.get("tags") or ()),
            keywords=tuple(str(k) for k in item.get("keywords") or ()),
            min_hits=int(item.get("min_hits") or default_min_hits)))
    return rules


def _settings(path: Path) -> dict[str, Any]:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


@functools.lru_cache(maxsize=4)
def load_tables(directory: Path | None = None) -> SiteTables:
    """All of site_config/, read once per process."""
    base = directory or config_dir()
    settings = _settings(base / "settings.yml")
    countries, by_tag = read_countries(base / "countries.csv")
    tag_codes = read_tag_codes(base / "tags.csv")
    for code in tag_codes:
        if code in by_tag:
            raise ConfigError(f"{base / 'tags.csv'}: {code} is also the TAGS code of {by_tag[code]} in "
                              "countries.csv; a code means one thing")
    min_hits = int((settings.get("topics") or {}).get("min_hits") or 2)
    corrections_csv = base / "tag_corrections.csv"
    try:
        corrections = (read_tag_corrections(corrections_csv, frozenset(by_tag.keys() | tag_codes.keys()))
                       if corrections_csv.exists() else {})
    except CorrectionsError as err:
        raise ConfigError(str(err)) from err
    return SiteTables(
        countries=countries, country_by_tag=by_tag, tag_codes=tag_codes, tag_corrections=corrections,
        topic_rules=read_topic_rules(base / "topics.yml", min_hits),
        index_us_mentions=bool((settings.get("countries") or {}).get("index_united_states_mentions", False)),
        posts=read_posts(base / "posts.csv"))
