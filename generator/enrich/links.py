"""Links between cables: references resolved against the archive, "cited by", neighbours.

Built once from the catalog in linear time (dictionaries keyed by id and by origin), then
asked per cable while pages are written.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import CatalogEntry


@dataclass
class LinkIndex:
    by_id: dict[str, CatalogEntry] = field(default_factory=dict)
    cited_by: dict[str, list[str]] = field(default_factory=dict)
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
        index.cited_by = dict(citing)
        for ids in by_origin.values():
            for before, after in itertools.pairwise(ids):
                index.next_by_origin[before] = after
                index.previous_by_origin[after] = before
        return index

    def resolve(self, cable_id: str) -> CatalogEntry | None:
        return self.by_id.get(cable_id)
