"""The publisher-editable tables of site_config/: countries, TAGS codes, topic taxonomy, settings.

They are data a publisher edits in a spreadsheet or text editor, so they are read leniently
(blank cells, stray spaces) but checked for what would silently break pages: two countries with
one ISO code, one TAGS code claimed by two countries, a topic without a name.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from ..parse.posts import PostTable, read_posts
from ..project import CONFIG_ENV, TABLES, resolve, tables_overlay  # noqa: F401 - CONFIG_ENV re-exported
from .corrections import CorrectionsError, read_tag_corrections


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
    """The folder whose tables override the shipped ones: ``CABLESITE_CONFIG_DIR``, else the
    current project's ``site_config/`` (which may be absent or hold only some tables)."""
    return tables_overlay(Path.cwd())


def table_path(name: str, directory: Path | None = None) -> Path:
    """A table of site_config/ (any file in it, e.g. ``countries.csv``): the project's own copy
    in ``directory`` (default: ``config_dir()``) when it has one, else the shipped default."""
    return resolve(TABLES, name, directory or config_dir())


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


def _read_yaml(path: Path) -> dict[str, Any]:
    """A YAML table as a mapping; a publisher's typo is an error naming the file and line."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML: {err.problem or err.context}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot be read: {err}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: expected a mapping of settings")
    return data


def read_topic_rules(path: Path, default_min_hits: int) -> list[TopicRule]:
    data = _read_yaml(path)
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
    return _read_yaml(path) if path.exists() else {}


TABLE_FILES = ("settings.yml", "countries.csv", "tags.csv", "topics.yml", "tag_corrections.csv", "posts.csv")


def load_tables(directory: Path | None = None) -> SiteTables:
    """All of site_config/: each table from ``directory`` (the project's tables, default
    ``config_dir()``) when it is there, else the shipped one. Read once per process for as long
    as the files stay unchanged (``cablesite serve`` rebuilds after an edit)."""
    base = directory or config_dir()
    files = tuple(table_path(name, base) for name in TABLE_FILES)
    stamps = tuple((str(path), *_stamp(path)) for path in files)
    return _load_tables(files, stamps)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, -1)
    return (stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _load_tables(files: tuple[Path, ...], _stamps: tuple[tuple[str, int, int], ...]) -> SiteTables:
    settings_file, countries_file, tags_file, topics_file, corrections_csv, posts_file = files
    settings = _settings(settings_file)
    countries, by_tag = read_countries(countries_file)
    tag_codes = read_tag_codes(tags_file)
    for code in tag_codes:
        if code in by_tag:
            raise ConfigError(f"{tags_file}: {code} is also the TAGS code of {by_tag[code]} in "
                              f"{countries_file}; a code means one thing")
    min_hits = int((settings.get("topics") or {}).get("min_hits") or 2)
    try:
        corrections = (read_tag_corrections(corrections_csv, frozenset(by_tag.keys() | tag_codes.keys()))
                       if corrections_csv.exists() else {})
    except CorrectionsError as err:
        raise ConfigError(str(err)) from err
    return SiteTables(
        countries=countries, country_by_tag=by_tag, tag_codes=tag_codes, tag_corrections=corrections,
        topic_rules=read_topic_rules(topics_file, min_hits),
        index_us_mentions=bool((settings.get("countries") or {}).get("index_united_states_mentions", False)),
        posts=read_posts(posts_file))
