"""Sources: turn files on disk into ``RawCable`` records, one at a time.

Every reader yields ``RawCable`` or ``Problem`` objects and never raises for bad input, so a
broken row or file is reported with its location while the rest of the archive still builds.
Readers stream: nothing here holds more than one file's worth of text (a CSV row at a time).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
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


def link_outside(path: Path, roots: Sequence[Path]) -> str | None:
    """Why a source file may not be read, or None: a symbolic link whose target lies outside
    every (resolved) source folder would publish whatever it points at (``/etc/passwd``).

    Only the file itself can be a link: ``rglob`` does not descend into linked folders."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as err:  # RuntimeError: a link loop (Python < 3.13)
        return f"symbolic link that cannot be followed ({err}); not read"
    if any(target == root or root in target.parents for root in roots):
        return None
    return f"symbolic link to {target}, outside the source folders; not read"


def is_source_file(path: Path) -> bool:
    """Whether ``read_file`` reads the file (by its suffix); others in a folder are ignored."""
    return path.suffix.lower() in NATIVE_SUFFIXES | MIRROR_SUFFIXES | CSV_SUFFIXES


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
    """All records from all sources, in the order given and sorted within folders; a file
    linking outside the sources is refused with a warning naming it."""
    sources = list(sources)
    roots = [source.resolve() for source in sources if source.exists()]
    for source in sources:
        if not source.exists():
            yield Problem(SourceLocation(str(source)), "source not found")
            continue
        for path in iter_source_files(source):
            refused = link_outside(path, roots) if path != source and is_source_file(path) else None
            if refused:
                yield Problem(SourceLocation(str(path)), refused, fatal=False)
                continue
            yield from read_file(path)


def source_bytes(sources: Iterable[Path]) -> int:
    """The summed size of the files ``read_sources`` reads: what the parse stage's time left is
    reckoned from (a stat per file; a walk of 251,287 files' folders takes a second or two)."""
    total = 0
    for source in sources:
        if not source.exists():
            continue
        for path in iter_source_files(source):
            if is_source_file(path):
                try:
                    total += path.stat().st_size
                except OSError:
                    continue
    return total


__all__ = ["SourceItem", "iter_source_files", "link_outside", "read_file", "read_sources", "source_bytes"]
