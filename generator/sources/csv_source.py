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
    until then rows need no cleaning. Given an open ``handle``, reading goes on from where it
    stands, after the bytes ``rest`` and the ``lines`` lines already handed out."""

    def __init__(self, path: Path, problems: list[Problem], handle: BinaryIO | None = None, rest: bytes = b"",
                 lines: int = 0) -> None:
        self.path, self.problems = path, problems
        self.handle, self.rest, self.lines = handle, rest, lines
        self.special = False

    def __iter__(self) -> Iterator[str]:
        return itertools.chain.from_iterable(self._blocks())

    def _blocks(self) -> Iterator[Iterable[str]]:
        if self.handle is not None:
            yield from self._blocks_of(self.handle)
            return
        with self.path.open("rb") as handle:
            yield from self._blocks_of(handle)

    def _blocks_of(self, handle: BinaryIO) -> Iterator[Iterable[str]]:
        number = self.lines  # lines handed out so far
        rest, self.rest = self.rest, b""
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
    """The file's CSV rows, each with the number of its first line.

    Files of the release quote every field, and such rows are cut here with ``str.find`` on
    whole decoded blocks, several times faster than handing ``csv.reader`` a million lines.
    From the first row that is not of that shape (an unquoted field, a stray character after
    a closing quote, a lone CR) or the first block that is not valid UTF-8, the rest of the
    file goes through ``csv.reader`` over ``_Blocks``: the rows are those ``csv.reader`` gives
    for the whole file (tested). ``special`` is as in ``_Blocks``; ``line_num`` is the last
    line read, for errors."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path, self.problems = path, problems
        self.line_num = 0
        self._slow: _Blocks | None = None
        self._special = False

    @property
    def special(self) -> bool:
        return self._special or (self._slow is not None and self._slow.special)

    def __iter__(self) -> Iterator[tuple[list[str], int]]:
        with self.path.open("rb") as handle:
            buffer, line, rest = "", 1, b""
            while True:
                block, rest, final = _next_block(handle, rest)
                try:
                    text = block.decode("utf-8")
                except UnicodeDecodeError:
                    yield from self._by_csv_reader(handle, buffer, block + rest, line)
                    return
                if not self._special and _has_special(block):
                    self._special = True
                buffer += text
                position = 0
                while True:
                    found = _quoted_row(buffer, position, final)
                    # A row not of that shape, or one so long (an unclosed quote?) that it would be
                    # rescanned with every block: csv.reader reads the rest of the file.
                    if found is _NOT_QUOTED or (found is None and len(buffer) - position > _LONG_ROW_CHARS):
                        yield from self._by_csv_reader(handle, buffer[position:], rest, line)
                        return
                    if found is None:  # the row goes on in the next block
                        break
                    row, end = found
                    self.line_num = line + buffer.count("\n", position, end - 1)
                    yield row, line
                    line = self.line_num + 1
                    position = end
                buffer = buffer[position:]
                if final:
                    if buffer:  # an unfinished quoted field at the end: csv.reader says what it says
                        yield from self._by_csv_reader(handle, buffer, b"", line)
                    return

    def _by_csv_reader(self, handle: BinaryIO, text: str, rest: bytes, line: int) -> Iterator[tuple[list[str], int]]:
        """The rows from ``text`` on (starting at ``line``), then the rest of the file."""
        before = line - 1  # lines read before ``text``
        self._slow = _Blocks(self.path, self.problems, handle, rest, before + text.count("\n"))
        if self._special:
            self._slow.special = True
        reader = csv.reader(itertools.chain(io.StringIO(text, newline="\n"), self._slow))
        first = before + 1
        for row in reader:
            self.line_num = before + reader.line_num
            yield row, first
            first = self.line_num + 1
        self.line_num = before + reader.line_num


_LONG_ROW_CHARS = 1 << 26  # an unfinished row longer than this (an unclosed quote?) goes to csv.reader
_NOT_QUOTED: tuple[list[str], int] = ([], -1)  # a row ``_quoted_row`` leaves to csv.reader


def _quoted_row(text: str, start: int, final: bool) -> tuple[list[str], int] | None:
    """The row at ``start`` when every field of it is quoted, and where the next row starts;
    None when ``text`` ends within it (unless ``final``, the end of the file); ``_NOT_QUOTED``
    when it is not of that shape. Blank lines are empty rows, as csv.reader has them."""
    size = len(text)
    if start >= size:
        return None
    fields: list[str] = []
    position = start
    if text[position] == "\n":
        return fields, position + 1
    if text.startswith("\r\n", position):
        return fields, position + 2
    while True:
        if position >= size:
            return None
        if text[position] != '"':
            return _NOT_QUOTED
        close = text.find('"', position + 1)
        while close >= 0 and close + 1 < size and text[close + 1] == '"':  # a doubled quote inside
            close = text.find('"', close + 2)
        if close < 0 or close + 1 >= size:
            if close >= 0 and final:  # the file's last field, without a line break after it
                fields.append(_unquoted(text, position, close))
                return fields, close + 1
            return None if not final else _NOT_QUOTED
        fields.append(_unquoted(text, position, close))
        after = text[close + 1]
        if after == ",":
            position = close + 2
        elif after == "\n":
            return fields, close + 2
        elif after == "\r" and close + 2 < size and text[close + 2] == "\n":
            return fields, close + 3
        elif after == "\r" and close + 2 >= size and not final:
            return None
        else:
            return _NOT_QUOTED


def _unquoted(text: str, opening: int, closing: int) -> str:
    field = text[opening + 1:closing]
    return field.replace('""', '"') if '""' in field else field


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
