"""Pagination: no list page grows with the archive.

Page 1 of a list called ``name`` is ``name.html``; page n >= 2 is ``name_<n>.html`` (the URL
contract in DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

PAGE_SIZE = 500
T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    name: str  # the list's base name, e.g. "date/2009"
    number: int  # 1-based
    count: int  # number of pages in the list
    items: Sequence[T]
    first_index: int  # 0-based index of items[0] in the whole list

    @property
    def url(self) -> str:
        return page_url(self.name, self.number)

    @property
    def previous_url(self) -> str | None:
        return page_url(self.name, self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return page_url(self.name, self.number + 1) if self.number < self.count else None


def page_url(name: str, number: int) -> str:
    return f"{name}.html" if number == 1 else f"{name}_{number}.html"


def paginate(name: str, items: Sequence[T], size: int = PAGE_SIZE) -> list[Page[T]]:
    """Split ``items`` into pages of at most ``size``; an empty list still gets page 1."""
    count = max(1, -(-len(items) // size))
    return [Page(name, n + 1, count, items[n * size:(n + 1) * size], n * size) for n in range(count)]
