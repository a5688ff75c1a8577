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


def _decoded_lines(path: Path, problems: list[Problem]) -> Iterator[str]:
    """Lines of the file as text; bytes that are not UTF-8 are replaced and reported once."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                if not problems:
                    problems.append(Problem(
                        SourceLocation(str(path), line=number),
                        "not valid UTF-8; undecodable bytes replaced with U+FFFD",
                        fatal=False,
                    ))
                yield raw.decode("utf-8", errors="replace")


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
