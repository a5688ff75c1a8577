"""The de-facto ``cables.csv`` layout of the 2010 release.

Eight columns, no header row: sequence, created (``MM/DD/YYYY HH:MM``), reference id,
origin, classification, references, header (routing lines), body. Rows are streamed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..model import Problem, RawCable, SourceLocation
from .text import clean_text

COLUMNS = ("sequence", "created", "id", "origin", "classification", "references", "header", "body")

csv.field_size_limit(sys.maxsize)


_CREATED = re.compile(r"(\d\d)/(\d\d)/(\d{4}) (\d\d):(\d\d)")


def parse_created(value: str) -> dt.datetime | None:
    """The CSV's ``MM/DD/YYYY HH:MM`` (seconds and a date alone tolerated)."""
    value = value.strip()
    exact = _CREATED.fullmatch(value)
    if exact:  # the layout of every row of the release: read without strptime, a tenth of its cost
        month, day, year, hour, minute = map(int, exact.groups())
        try:
            return dt.datetime(year, month, day, hour, minute)
        except ValueError:
            return None
    for fmt in ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


_BLOCK_BYTES = 1 << 22  # the file is decoded a block of whole lines at a time: fast, in C
# Bytes that ``clean_text`` changes (C0 controls but tab and newline, DEL, CR) and the first byte
# of a UTF-8 byte-order mark.
_SPECIAL_BYTES = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F, 0xEF])


class _Blocks:
    """The file as an iterable of lines (for ``csv.reader``), decoded a block at a time.

    Blocks that decode cleanly (all of them, in a well-formed file) are split into lines by
    ``io.StringIO`` in C; a block that does not is decoded line by line, so that the first bad
    line can be named. ``special`` turns true as soon as a block holding a byte that
    ``clean_text`` would change has been read, i.e. before any row holding it is handed out:
    until then rows need no cleaning."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path, self.problems = path, problems
        self.special = False

    def __iter__(self) -> Iterator[str]:
        return itertools.chain.from_iterable(self._blocks())

    def _blocks(self) -> Iterator[Iterable[str]]:
        with self.path.open("rb") as handle:
            yield from self._blocks_of(handle)

    def _blocks_of(self, handle: BinaryIO) -> Iterator[Iterable[str]]:
        number = 0  # lines handed out so far
        rest = b""
        while True:
            block, rest, final = _next_block(handle, rest)
            if block:
                if not self.special and _has_special(block):
                    self.special = True
                try:
                    text = block.decode("utf-8")
                except UnicodeDecodeError:
                    raws = block.split(b"\n")
                    last_raw = raws.pop()
                    lines = []
                    for raw in [*(r + b"\n" for r in raws), *([last_raw] if last_raw else [])]:
                        number += 1
                        lines.append(_decoded_line(raw, self.path, number, self.problems))
                    yield lines
                else:
                    number += text.count("\n") + (not text.endswith("\n"))
                    yield io.StringIO(text, newline="\n")
            if final:
                return


def _next_block(handle: BinaryIO, rest: bytes) -> tuple[bytes, bytes, bool]:
    """The next block of whole lines (``rest``, the bytes left over last time, then the file up
    to its last line break), the bytes after that break, and whether the file has ended (then
    the block is all that was left)."""
    data = handle.read(_BLOCK_BYTES)
    block = rest + data
    cut = block.rfind(b"\n") + 1 if data else len(block)
    return block[:cut], block[cut:], not data


def _has_special(block: bytes) -> bool:
    return len(block.translate(None, _SPECIAL_BYTES)) != len(block)


class _Rows:
    """The file's CSV rows, each with the number of its first line: ``csv.reader`` over
    ``_Blocks``. ``special`` is as in ``_Blocks``; ``line_num`` is the last line read, for errors.

    Why not a splitter of its own for the release's rows (every field quoted), cut with
    ``str.find``, as before: it read a 10,000-cable file in 0.51 s of CPU against csv.reader's
    0.97 s (``bench/library_choices.py``), 0.46 s or under 2 % of a whole 25 s build of it
    (read in the build process beside the parse workers), short of the 5 % that would pay for
    owning a CSV parser."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.line_num = 0
        self._blocks = _Blocks(path, problems)

    @property
    def special(self) -> bool:
        return self._blocks.special

    def __iter__(self) -> Iterator[tuple[list[str], int]]:
        reader = csv.reader(self._blocks)
        first = 1
        for row in reader:
            self.line_num = reader.line_num
            yield row, first
            first = self.line_num + 1
        self.line_num = reader.line_num


def _decoded_line(raw: bytes, path: Path, number: int, problems: list[Problem]) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        if not problems:
            problems.append(Problem(SourceLocation(str(path), line=number),
                                    "not valid UTF-8; undecodable bytes replaced with U+FFFD", fatal=False))
        return raw.decode("utf-8", errors="replace")


def read_csv(path: Path) -> Iterator[RawCable | Problem]:
    """Yield one RawCable per well-formed row and a Problem for every broken one."""
    decode_problems: list[Problem] = []
    reported_decode = False
    rows = _Rows(path, decode_problems)
    try:
        for row_number, (row, first_line) in enumerate(rows, start=1):
            if decode_problems and not reported_decode:
                reported_decode = True
                yield decode_problems[0]
            location = SourceLocation(str(path), row=row_number, line=first_line)
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(COLUMNS):
                yield Problem(location, f"expected {len(COLUMNS)} columns, found {len(row)}")
                continue
            if rows.special:
                row = [clean_text(cell) for cell in row]
            record = dict(zip(COLUMNS, row, strict=True))
            cable_id = record["id"].strip()
            if not cable_id:
                yield Problem(location, "empty reference id (column 3)")
                continue
            if not record["body"].strip():
                yield Problem(location, "empty body (column 8)", cable_id=cable_id)
                continue
            fields: dict[str, object] = {"id": cable_id, "sequence": record["sequence"].strip()}
            created = parse_created(record["created"]) if record["created"].strip() else None
            if created is not None:
                fields["date"] = created
            elif record["created"].strip():
                yield Problem(location, f"unparseable date {record['created']!r} (column 2); built as undated",
                              cable_id=cable_id, fatal=False)
            for key in ("origin", "classification"):
                if record[key].strip():
                    fields[key] = record[key].strip()
            if record["references"].strip():
                fields["references"] = [r for r in record["references"].replace(",", " ").split() if r]
            yield RawCable(
                text=record["body"],
                location=location,
                kind="csv",
                fields=fields,
                header=record["header"],
            )
    except csv.Error as err:
        yield Problem(SourceLocation(str(path), line=rows.line_num), f"CSV cannot be read past this line: {err}")
    except OSError as err:
        yield Problem(SourceLocation(str(path)), f"cannot read file: {err.strerror}")
