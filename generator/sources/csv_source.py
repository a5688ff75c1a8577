"""The de-facto ``cables.csv`` layout of the 2010 release.

Eight columns, no header row: sequence, created (``MM/DD/YYYY HH:MM``), reference id,
origin, classification, references, header (routing lines), body. Rows are streamed.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

from ..model import Problem, RawCable, SourceLocation
from .text import clean_text

COLUMNS = ("sequence", "created", "id", "origin", "classification", "references", "header", "body")

csv.field_size_limit(sys.maxsize)


def parse_created(value: str) -> dt.datetime | None:
    """The CSV's ``MM/DD/YYYY HH:MM`` (seconds and a date alone tolerated)."""
    value = value.strip()
    for fmt in ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


_BLOCK_BYTES = 1 << 22  # the file is decoded a block of whole lines at a time: fast, in C


def _decoded_lines(path: Path, problems: list[Problem]) -> Iterator[str]:
    """Lines of the file as text; bytes that are not UTF-8 are replaced and reported once.

    Blocks that decode cleanly (all of them, in a well-formed file) are split in one go; a block
    that does not is decoded line by line, so that the first bad line can be named."""
    number = 0  # lines yielded so far
    with path.open("rb") as handle:
        rest = b""
        while True:
            data = handle.read(_BLOCK_BYTES)
            block = rest + data
            cut = block.rfind(b"\n") + 1 if data else len(block)
            block, rest = block[:cut], block[cut:]
            if block:
                try:
                    text = block.decode("utf-8")
                except UnicodeDecodeError:
                    raws = block.split(b"\n")
                    last_raw = raws.pop()
                    for raw in [*(r + b"\n" for r in raws), *([last_raw] if last_raw else [])]:
                        number += 1
                        yield _decoded_line(raw, path, number, problems)
                else:
                    lines = text.split("\n")
                    last = lines.pop()  # "" when the block ends with a newline
                    for line in lines:
                        yield line + "\n"
                    number += len(lines)
                    if last:
                        number += 1
                        yield last
            if not data:
                return


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
    reader = csv.reader(_decoded_lines(path, decode_problems))
    try:
        next_line = 1
        for row_number, row in enumerate(reader, start=1):
            if decode_problems and not reported_decode:
                reported_decode = True
                yield decode_problems[0]
            location = SourceLocation(str(path), row=row_number, line=next_line)
            next_line = reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(COLUMNS):
                yield Problem(location, f"expected {len(COLUMNS)} columns, found {len(row)}")
                continue
            record = {name: clean_text(cell) for name, cell in zip(COLUMNS, row, strict=True)}
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
        yield Problem(SourceLocation(str(path), line=reader.line_num), f"CSV cannot be read past this line: {err}")
    except OSError as err:
        yield Problem(SourceLocation(str(path)), f"cannot read file: {err.strerror}")
