"""Hit files: what the browser reads of a cable to show it as a hit and to check a phrase in it.

A hit file (``d/<folder>/<doc>.json.gz``) holds the cable's card (id, subject, date, origin,
classification, URL) and its paragraphs' anchors and texts: the snippet is cut from the paragraph
holding most of the query's words, and a phrase or an excluded word is checked in the text.

A long cable's file is cut into parts by the text they hold (issue 17's byte budgets): a hit needs
only the card and the paragraph it shows, a phrase check only the paragraphs from the first one
that can hold the phrase on. Part 0 is the usual file, with the first paragraphs and ``k``, the
index of the first paragraph of each later part; part ``n`` (``<doc>-<n>.json.gz``) holds
``{"p": [...]}``, its paragraphs only.

Only a cable of more than twice ``part_chars`` characters of text is cut (the others have one file
without ``k``, as before parts), and then finely: into ``ceil(T / part_chars)`` parts (at least
three), each starting at the first paragraph that begins at or past its share of the text, so no
part is a sliver and every paragraph is in exactly one part, in order. Fine parts are what makes
the phrase check cheap: it skips the parts before the first paragraph that can hold the phrase,
and a candidate that does not hold it is read from there to its end.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..model import Cable
from ..write.files import write_new_file
from .encode import gzipped
from .shards import json_bytes

# Characters of paragraph text a part holds (about, when a paragraph is longer). On the shared
# sample (1,046 cables) a cable's paragraphs hold 7,900 characters at the median, 11,400 at p75,
# 16,200 at p90, 30,000 at p99 and 65,000 at most (its hit files: 3.6 KB gzipped at the median,
# 6.7 KB at p90, 21.4 KB at most). Cutting past 16,000 splits the 10 % longest (103 cables) and
# leaves the median and the p90 cable one file: creating a file is the build's most expensive
# operation on a slow disk (past 8,000 would split half the cables). Parts of 8,000 (a median
# cable's text each) make 238 more files than cables, parts of 16,000 would make 113; the finer
# parts are what brings the heaviest query of the sample's 47 ("active measures" Georgia, a phrase
# checked in 9 long cables) within issue 17's budget: its candidates' hit files read are 75 KB
# with parts of 8,000 against 85 KB with parts of 16,000 and 98 KB whole (gzipped).
PART_CHARS = 8_000


def part_starts(lengths: Sequence[int], part_chars: int = PART_CHARS) -> list[int]:
    """Where each part after the first begins (paragraph indexes, increasing), for paragraphs of
    ``lengths`` characters: empty when the text is at most twice ``part_chars``, else
    ``ceil(total / part_chars)`` parts, part ``n`` starting at the first paragraph that begins at
    or past ``n / parts`` of the text (fewer when a paragraph spans more than a share)."""
    total = sum(lengths)
    if total <= 2 * part_chars:
        return []
    parts = -(-total // part_chars)
    starts: list[int] = []
    offset, share = 0, 1  # share: the next part to begin, at ``share / parts`` of the text
    for index, length in enumerate(lengths):
        if index and offset * parts >= share * total and offset < total:  # a part holds some text
            starts.append(index)
            while share * total <= offset * parts:  # a long paragraph may span several shares
                share += 1
        offset += length
    return starts


def part_of(starts: Sequence[int], paragraph: int) -> int:
    """The part holding the paragraph of index ``paragraph``."""
    return sum(1 for start in starts if start <= paragraph)


def doc_file(doc: int, folder: int, part: int = 0) -> str:
    """Path of a cable's hit file (or of its part ``part``) inside the ``search`` folder."""
    suffix = f"-{part}" if part else ""
    return f"d/{doc // folder}/{doc}{suffix}.json.gz"


def hit_files(cable: Cable, url: str, part_chars: int = PART_CHARS) -> list[bytes]:
    """The bytes of a cable's hit file and of its later parts, gzipped, part 0 first."""
    paragraphs = [[p.anchor, p.text] for p in cable.paragraphs]
    starts = part_starts([len(text) for _, text in paragraphs], part_chars)
    ends = [*starts, len(paragraphs)]
    date = cable.date.date().isoformat() if cable.date else ""
    record: dict[str, object] = {"i": cable.id, "s": cable.title, "d": date, "o": cable.origin or "",
                                 "c": cable.classification or "", "u": url, "p": paragraphs[:ends[0]]}
    if starts:
        record["k"] = starts
    files = [gzipped(json_bytes(record))]
    files += [gzipped(json_bytes({"p": paragraphs[start:end]})) for start, end in zip(starts, ends[1:], strict=True)]
    return files


def write_hit_files(root: Path, doc: int, folder: int, cable: Cable, url: str, part_chars: int = PART_CHARS) -> int:
    """Write a cable's hit file and parts under ``root`` (a ``search`` folder); the number of parts."""
    files = hit_files(cable, url, part_chars)
    for part, data in enumerate(files):
        write_new_file(root / doc_file(doc, folder, part), data)
    return len(files)


def remove_parts(root: Path, doc: int, folder: int, first: int) -> None:
    """Delete a cable's files from part ``first`` on under ``root`` (a ``search`` folder), up to the
    first one missing: parts are numbered without gaps."""
    part = first
    while True:
        try:
            (root / doc_file(doc, folder, part)).unlink()
        except FileNotFoundError:
            return
        part += 1
