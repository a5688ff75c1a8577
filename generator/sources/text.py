"""Decoding helpers shared by the readers: text from files we did not write."""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Problem, SourceLocation

# C0 controls other than tab and newline, and DEL. They are invalid in HTML, and Markdown
# uses STX/ETX as internal placeholders, so they are shown as their Unicode control pictures.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _control_picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    return "\u2421" if code == 0x7F else chr(0x2400 + code)


def clean_text(text: str) -> str:
    """Normalise line ends and make control characters visible instead of dropping them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    return _CONTROL_CHARS.sub(_control_picture, text)


def decode_bytes(data: bytes) -> tuple[str, int | None]:
    """Decode UTF-8; on failure decode with replacement and return the first bad line number."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return data.decode("utf-8", errors="replace"), line


def read_text_file(path: Path) -> tuple[str | None, list[Problem]]:
    """A source file's text, decoded as UTF-8 with replacement; the problems say what went wrong.

    Returns None as the text when the file cannot be read at all."""
    try:
        data = path.read_bytes()
    except OSError as err:
        return None, [Problem(SourceLocation(str(path)), f"cannot read file: {err.strerror}")]
    text, bad_line = decode_bytes(data)
    if bad_line is None:
        return text, []
    return text, [Problem(SourceLocation(str(path), line=bad_line),
                          "not valid UTF-8; undecodable bytes replaced with U+FFFD", fatal=False)]
