"""Do our paragraph anchors cover the 2010 mirror's? Per cable, and in total.

The 2010 mirror put ``<a id='parN'>`` before every line that starts with a number, a full
stop and white space (``1. (C) ...``, but also a wrapped ``26.`` in mid-sentence). People link
to those anchors, so every one the mirror had should exist on our page. For each mirror page
this parses the cable with the project's own reader and parser and lists the mirror anchors we
do not produce. A missing anchor whose number does not follow the mirror's previous one (the
``26.`` of "begin on November / 26.") is marked ``?``: probably the mirror's mistake, not ours.

Text sources (a ``cables.csv``, ``.txt`` files) have no anchors; with ``--emulate`` the mirror's
rule is applied to their text instead. On the 40 shared mirror pages the rule finds exactly the
anchors the mirror put there (tests/test_mirror_anchors.py checks it), so the shared sample CSV,
converted from such pages, can be scored too.

Run: python bench/paragraph_agreement.py [--emulate] [--quiet] PATH...
(PATH: mirror pages, folders of them, or with --emulate any source cablesite reads.)
Prints one line per cable that misses an anchor (all cables without --quiet) and the totals:
cables with every mirror anchor, and with every in-sequence ("plausible") one.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.model import Problem, RawCable
from generator.parse import parse_cable
from generator.sources import read_sources

_PRE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.S | re.I)
_ANCHOR = re.compile(r"<a\s+id=['\"]par(\d+)['\"]", re.I)
_MIRROR_RULE = re.compile(r"^[ \t]*(\d+)\.\s", re.M)  # what the mirror anchored, on plain text


@dataclass
class Agreement:
    cable_id: str
    mirror: list[int]
    missing: list[int]
    doubtful: list[int]  # missing and out of the mirror's own sequence

    @property
    def plausible_missing(self) -> list[int]:
        return [n for n in self.missing if n not in self.doubtful]


def mirror_numbers(raw: RawCable) -> list[int]:
    """The mirror's anchor numbers, in page order: read from the page, or by its rule."""
    if raw.kind == "mirror":
        page = Path(raw.location.path).read_text(encoding="utf-8", errors="replace")
        blocks = _PRE.findall(page)
        return [int(n) for n in _ANCHOR.findall(blocks[-1])] if blocks else []
    return [int(n) for n in _MIRROR_RULE.findall(raw.text)]


def _out_of_sequence(numbers: list[int]) -> set[int]:
    """Positions whose number neither follows the previous one (+1..+3) nor starts at 1."""
    odd, last = set(), 0
    for index, number in enumerate(numbers):
        if not (last < number <= last + 3 or number == 1):
            odd.add(index)
        else:
            last = number
    return odd


def compare(raw: RawCable) -> Agreement:
    """The mirror's anchors for one cable against the anchors our parse gives it."""
    mirror = mirror_numbers(raw)
    cable = parse_cable(raw)
    ours = {p.anchor for p in cable.paragraphs}
    odd = _out_of_sequence(mirror)
    missing, doubtful = [], []
    for index, number in enumerate(mirror):
        if f"par{number}" not in ours and number not in missing:
            missing.append(number)
            if index in odd:
                doubtful.append(number)
    return Agreement(cable.id, mirror, missing, doubtful)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--emulate", action="store_true",
                        help="apply the mirror's rule to text sources (CSV, .txt) instead of skipping them")
    parser.add_argument("--quiet", action="store_true", help="print only cables that miss an anchor")
    args = parser.parse_args(argv)
    results: list[Agreement] = []
    for item in read_sources(args.paths):
        if isinstance(item, Problem):
            print(f"problem: {item}", file=sys.stderr)
            continue
        if item.kind != "mirror" and not args.emulate:
            continue
        result = compare(item)
        results.append(result)
        if result.missing or not args.quiet:
            marks = " ".join(f"par{n}{'?' if n in result.doubtful else ''}" for n in result.missing)
            print(f"{result.cable_id}\t{len(result.mirror)} anchors\t"
                  f"{'ok' if not result.missing else 'missing ' + marks}")
    total = len(results)
    every = sum(1 for r in results if not r.missing)
    plausible = sum(1 for r in results if not r.plausible_missing)
    if total:
        print(f"cables: {total}; with every mirror anchor: {every} ({every / total:.1%}); "
              f"with every in-sequence anchor: {plausible} ({plausible / total:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
