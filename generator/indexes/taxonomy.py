"""The archive's taxonomy: which cables belong to which country, topic, tag, origin, classification.

Built in one pass over the catalog (linear in the archive size; each entry is appended to the
lists of its terms, and the catalog is already in date order, so the lists are too). Then every
term gets a file name: tag values, post names and topic names are data we did not write, so
they are made safe for any file system, and two values that would share a file name (also when
they differ only in case, which a case-insensitive file system would merge) are told apart by a
suffix and reported, never silently merged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ..enrich.config import SiteTables
from ..model import CatalogEntry
from ..write.paths import UnsafeName, slugify, validate_id

KINDS = ("country", "topic", "tag", "origin", "classification")
_PLAIN_TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")


@dataclass
class Term:
    """One index page's subject: a country, a topic, a raw TAGS value, a post or a classification."""

    kind: str
    key: str  # ISO code, topic name, TAGS value, origin or classification as found
    name: str  # as shown to readers
    group: str = ""  # region of a country, kind of a TAGS code, source of a topic
    entries: list[CatalogEntry] = field(default_factory=list)
    path: str = ""  # page name without ".html", e.g. "country/it"

    @property
    def url(self) -> str:
        return f"{self.path}.html"


class UniqueNames:
    """Hands out file names, never the same one twice (compared without case)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.renamed: list[str] = []

    def claim(self, folder: str, base: str, value: str) -> str:
        name, number = base, 1
        while f"{folder}/{name}".lower() in self.taken:
            number += 1
            name = f"{base}-{number}"
        if number > 1:
            self.renamed.append(f"{folder} {value!r} shares the file name {base!r} with another value: "
                                f"its page is {folder}/{name}.html")
        self.taken.add(f"{folder}/{name}".lower())
        return f"{folder}/{name}"


def tag_file_name(tag: str) -> str:
    """A TAGS value as a file name: kept as written when plain (``PREL``, ``AU-1``), else a slug."""
    if _PLAIN_TAG.match(tag):
        try:
            return validate_id(tag)
        except UnsafeName:
            return f"{tag}-tag"  # a reserved device name such as CON
    return slugify(tag, fallback="tag").upper()


class Chips(Protocol):
    """What a cable page's chips need of the taxonomy: an index page's URL, a country's name."""

    def url(self, kind: str, key: str | None) -> str | None: ...

    def country_name(self, iso2: str) -> str: ...


@dataclass
class ChipTable:
    """``Chips`` without the cables: per kind, each term's page URL, and the countries' names.

    What a page worker is given of the taxonomy (``Taxonomy.chips``): it grows with the number
    of terms (a few thousand), not of cables, so it is cheap to send to every worker."""

    urls: dict[str, dict[str, str]]
    countries: dict[str, str]

    def url(self, kind: str, key: str | None) -> str | None:
        return self.urls[kind].get((key or "").strip())

    def country_name(self, iso2: str) -> str:
        return self.countries.get(iso2, iso2)


@dataclass
class Taxonomy:
    tables: SiteTables
    terms: dict[str, dict[str, Term]] = field(default_factory=lambda: {kind: {} for kind in KINDS})
    renamed: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, entries: Iterable[CatalogEntry], tables: SiteTables) -> Taxonomy:
        taxonomy = cls(tables)
        for entry in entries:
            taxonomy._file(entry)
        taxonomy._name_pages()
        return taxonomy

    def _add(self, kind: str, key: str | None, entry: CatalogEntry) -> None:
        if not key:
            return
        terms = self.terms[kind]
        term = terms.get(key)
        if term is None:
            term = terms[key] = Term(kind, key, key)
        if not term.entries or term.entries[-1] is not entry:
            term.entries.append(entry)

    def _file(self, entry: CatalogEntry) -> None:
        for iso2 in entry.countries:
            self._add("country", iso2, entry)
        for topic in entry.topics:
            self._add("topic", topic, entry)
        for tag in entry.tags:
            self._add("tag", tag.strip(), entry)
        self._add("origin", (entry.origin or "").strip(), entry)
        self._add("classification", (entry.classification or "").strip(), entry)

    def _name_pages(self) -> None:
        names = UniqueNames()
        rules = {rule.name: rule for rule in self.tables.topic_rules}
        for kind in KINDS:
            for key in sorted(self.terms[kind]):
                term = self.terms[kind][key]
                if kind == "country":
                    country = self.tables.countries.get(key)
                    term.name, term.group = (country.name, country.region) if country else (key, "Other")
                    term.path = names.claim("country", key.lower(), key)
                elif kind == "topic":
                    rule = rules.get(key)
                    term.group = "Keyword taxonomy" if rule else self._topic_group(key)
                    term.path = names.claim("topic", (rule.slug if rule and rule.slug else slugify(key, "topic")), key)
                elif kind == "tag":
                    term.group = self._tag_group(key)
                    term.path = names.claim("tag", tag_file_name(key), key)
                else:
                    term.path = names.claim(kind, slugify(key, kind), key)
        self.renamed = names.renamed

    def _topic_group(self, name: str) -> str:
        kinds = {code.kind for code in self.tables.tag_codes.values() if code.name == name}
        return "Organisations" if kinds == {"organization"} else "TAGS subject codes"

    def _tag_group(self, tag: str) -> str:
        if tag in self.tables.country_by_tag:
            return "Countries"
        code = self.tables.tag_codes.get(tag)
        if code is None:
            return "Not in the TAGS table"
        return {"organization": "Organisations", "region": "Regions"}.get(code.kind, f"Subject: {code.kind}")

    def url(self, kind: str, key: str | None) -> str | None:
        term = self.terms[kind].get((key or "").strip())
        return term.url if term else None

    def country_name(self, iso2: str) -> str:
        """A country's name as chips show it (the code itself when site_config/ does not know it)."""
        country = self.tables.countries.get(iso2)
        return country.name if country else iso2

    def chips(self) -> ChipTable:
        """The part of the taxonomy a cable page's chips need, without the cables."""
        return ChipTable({kind: {key: term.url for key, term in terms.items()} for kind, terms in self.terms.items()},
                         {key: self.country_name(key) for key in self.terms["country"]})

    def all_terms(self) -> Iterable[Term]:
        for kind in KINDS:
            yield from (self.terms[kind][key] for key in sorted(self.terms[kind]))
