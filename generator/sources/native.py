"""Native cable files: optional YAML front matter, then the raw cable text.

Front matter states what the publisher knows for sure (id, date, classification, ...); the
parser finds everything else in the text. A bare body with no front matter is a valid file:
its id comes from the file name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..model import Problem, RawCable, SourceLocation
from .front_matter import FrontMatterError, load_front_matter
from .text import clean_text, read_text_file

KNOWN_FIELDS = {
    "id", "date", "classification", "origin", "subject", "tags", "references",
    "summary", "title", "header",
}


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (yaml text or None, body, line number where the body starts)."""
    if not text.startswith("---"):
        return None, text, 1
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None, text, 1


def _normalise_field(key: str, value: Any) -> Any:
    """Front matter values as the parser expects them (strings, lists of strings, dates)."""
    if value is None:
        return None
    if key == "date":
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        return str(value)
    if key in ("tags", "references"):
        if isinstance(value, str):
            return [clean_text(part) for part in value.replace(",", " ").split() if part]
        if isinstance(value, list):
            return [clean_text(str(item)) for item in value if item is not None]
        return [clean_text(str(value))]
    # YAML escapes ("\e", "\x01") can produce control characters the file text did not hold.
    return clean_text(str(value))


def _convert(key: str, value: Any) -> Any:
    """Known fields normalised, others kept as they are; either raises ValueError for a value
    that cannot be printed (an integer of more than 4,300 digits), which the build would
    otherwise meet later, when it hashes the fields, and fail on."""
    if key in KNOWN_FIELDS:
        return _normalise_field(key, value)
    repr(value)
    return value


def read_native(path: Path) -> Iterator[RawCable | Problem]:
    """Yield the one cable a native file holds, or the problems that prevent reading it."""
    text, problems = read_text_file(path)
    yield from problems
    if text is None:
        return
    text = clean_text(text)
    if not text.strip():
        yield Problem(SourceLocation(str(path), line=1), "empty file: no cable text")
        return
    meta_text, body, body_line = split_front_matter(text)
    fields: dict[str, Any] = {}
    if meta_text is not None:
        try:
            meta = load_front_matter(meta_text, _convert)
        except FrontMatterError as err:
            yield Problem(SourceLocation(str(path), line=err.line + 1), str(err))
            return
        for key, value in meta.items():
            if key in KNOWN_FIELDS:
                fields[key] = value
            else:
                fields.setdefault("extra", {})[key] = value
    if "id" not in fields or not fields["id"]:
        fields["id"] = path.stem
    if not body.strip():
        yield Problem(SourceLocation(str(path), line=body_line), "no cable text after the front matter",
                      cable_id=str(fields["id"]))
        return
    yield RawCable(
        text=body,
        location=SourceLocation(str(path), line=body_line),
        kind="native",
        fields=fields,
        header=str(fields.pop("header", "") or ""),
    )
