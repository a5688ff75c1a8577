"""site_config/tag_corrections.csv: TAGS spellings seen in cables and the entry they stand for.

A publisher adds a row when a tag page shows a misspelt code (``MOPPS`` for ``MOPS``); the parser
replaces the spelling with the entry wherever a TAGS line holds it as a whole entry. Spellings not
in the table stay as written: nothing is guessed. A row that would make the table ambiguous or
hide a real code is an error naming the file and line.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

_ENTRY = re.compile(r"[A-Z0-9][A-Z0-9 ./&-]*")


class CorrectionsError(ValueError):
    """A row of tag_corrections.csv that cannot be used as it stands."""


def read_tag_corrections(path: Path, known: frozenset[str] = frozenset()) -> dict[str, str]:
    """``written -> entry`` from a CSV with the columns ``written``, ``entry`` (and ``source``).

    ``known`` are the real codes (countries.csv and tags.csv): a real code is never corrected away."""
    corrections: dict[str, str] = {}
    lines: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"written", "entry"} - set(reader.fieldnames or ())
        if missing:
            raise CorrectionsError(f"{path}:1: missing column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            written = " ".join((row.get("written") or "").split())
            entry = " ".join((row.get("entry") or "").split())
            if not written and not entry:
                continue
            for value in (written, entry):
                if not _ENTRY.fullmatch(value):
                    raise CorrectionsError(f"{path}:{line}: {value!r} is not a TAGS entry in capitals "
                                           "(letters, digits, spaces, . / & -)")
            if written == entry:
                raise CorrectionsError(f"{path}:{line}: {written} is corrected to itself")
            if written in known:
                raise CorrectionsError(f"{path}:{line}: {written} is a real TAGS code (countries.csv or tags.csv)")
            if written in corrections:
                raise CorrectionsError(f"{path}:{line}: {written} is listed twice (first on line {lines[written]})")
            corrections[written] = entry
            lines[written] = line
    for written, entry in corrections.items():
        if entry in corrections:
            raise CorrectionsError(f"{path}:{lines[written]}: {written} is corrected to {entry}, which is itself "
                                   f"corrected on line {lines[entry]}; give the final entry")
    return corrections
