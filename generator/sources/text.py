"""Decoding helpers shared by the readers: text from files we did not write."""

from __future__ import annotations

import re

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
