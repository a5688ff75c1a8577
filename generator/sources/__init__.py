"""Sources: turn files on disk into ``RawCable`` records, one at a time.

Every reader yields ``RawCable`` or ``Problem`` objects and never raises for bad input, so a
broken row or file is reported with its location while the rest of the archive still builds.
Readers stream: nothing here holds more than one file's worth of text (a CSV row at a time).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..model import Problem, RawCable, SourceLocation
from .csv_source import read_csv
from .mirror import read_mirror_page
from .native import read_native

NATIVE_SUFFIXES = {".txt", ".md", ".cable", ".text"}
MIRROR_SUFFIXES = {".html", ".htm"}
CSV_SUFFIXES = {".csv"}

SourceItem = RawCable | Problem


def iter_source_files(source: Path) -> Iterator[Path]:
    """Files below a source folder in a stable order (sorted), skipping hidden ones."""
    if source.is_file():
        yield source
        return
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file():
            yield path


def read_file(path: Path) -> Iterator[SourceItem]:
    """Dispatch one file to the reader for its kind, by file name suffix."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        yield from read_csv(path)
    elif suffix in MIRROR_SUFFIXES:
        yield from read_mirror_page(path)
    elif suffix in NATIVE_SUFFIXES:
        yield from read_native(path)
    # Anything else in a content folder (images, notes) is not a cable and is ignored.


def read_sources(sources: Iterable[Path]) -> Iterator[SourceItem]:
    """All records from all sources, in the order given and sorted within folders."""
    for source in sources:
        if not source.exists():
            yield Problem(SourceLocation(str(source)), "source not found")
            continue
        for path in iter_source_files(source):
            yield from read_file(path)


__all__ = ["SourceItem", "iter_source_files", "read_file", "read_sources"]
