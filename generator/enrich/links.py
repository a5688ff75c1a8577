"""Links between cables: references resolved against the archive, "cited by", neighbours.

One interface (``Links``), two homes. The build asks it of ``build/catalog_db.py``'s SQLite
file in the work folder, so that no process holds the archive's links in memory and the page
workers need nothing of the build process's heap; ``LinkIndex`` here is the same in memory
(dictionaries keyed by id and by origin, built in linear time), for small uses and tests.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ..model import CatalogEntry


class Linked(Protocol):
    """What a link to another cable shows of it (a ``CatalogEntry`` is one)."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def url(self) -> str: ...


class Links(Protocol):
    """The archive's links, asked per cable while pages are written."""

    def resolve(self, cable_id: str) -> Linked | None:
        """The cable of that id in the archive, if there is one."""
        ...

    def cited_by(self, cable_id: str) -> list[str]:
        """The cables referring to this one, in site order (date, id)."""
        ...

    def previous(self, cable_id: str) -> str | None:
        """The cable before this one from the same post (site order)."""
        ...

    def next(self, cable_id: str) -> str | None:
        """The cable after this one from the same post (site order)."""
        ...


def neighbour_rows(entries: Iterable[CatalogEntry]) -> Iterable[tuple[CatalogEntry, str | None]]:
    """Each entry of ``entries`` (in site order) with the id of the one before it from the same
    post: what "previous" and "next" are made of, in one pass holding one id per post."""
    last: dict[str, str] = {}
    for entry in entries:
        origin = entry.origin or ""
        yield entry, last.get(origin)
        last[origin] = entry.id


@dataclass
class LinkIndex:
    """``Links`` in memory."""

    by_id: dict[str, CatalogEntry] = field(default_factory=dict)
    citing: dict[str, list[str]] = field(default_factory=dict)
    previous_by_origin: dict[str, str] = field(default_factory=dict)
    next_by_origin: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[CatalogEntry]) -> LinkIndex:
        index = cls()
        ordered = sorted(entries, key=lambda e: e.sort_key)
        for entry in ordered:
            index.by_id[entry.id] = entry
        citing: dict[str, list[str]] = defaultdict(list)
        by_origin: dict[str, list[str]] = defaultdict(list)
        for entry in ordered:
            for ref in entry.reference_ids:
                if ref in index.by_id and ref != entry.id:
                    citing[ref].append(entry.id)
            by_origin[entry.origin or ""].append(entry.id)
        index.citing = dict(citing)
        for ids in by_origin.values():
            for before, after in itertools.pairwise(ids):
                index.next_by_origin[before] = after
                index.previous_by_origin[after] = before
        return index

    def resolve(self, cable_id: str) -> CatalogEntry | None:
        return self.by_id.get(cable_id)

    def cited_by(self, cable_id: str) -> list[str]:
        return self.citing.get(cable_id, [])

    def previous(self, cable_id: str) -> str | None:
        return self.previous_by_origin.get(cable_id)

    def next(self, cable_id: str) -> str | None:
        return self.next_by_origin.get(cable_id)
