"""Telegram furniture removed from the text before it is parsed.

The released cables keep the page and section headers of the original telegram pages, often
run into the text: ``BRASILIA 00000043 004 OF 004`` in the middle of a sentence, ``PAGE 02
HARARE 06677 01 OF 03 291400Z`` followed by the line it interrupted, a continuation page's
whole routing block, ``SIPDIS`` at the start of a line. They are not part of the cable's text,
and they break paragraphs and header fields apart, so they are taken out first, keeping the
text that shares their lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# "BRASILIA 00000351 002.2 OF 003", "USNATO 00000464 002 OF 003": a zero-padded eight-digit
# number, the page and the page count. The split form "002.\n\n2 OF 002" occurs too.
_NUMBERED_PAGE = re.compile(r"(?<![\w.])(?P<number>\d{8})[ \t]+\d{3}(?:\.[ \t]*\n?\s*\d)?[ \t]+OF[ \t]+\d{3}\b")
# The same without its look-behind, which would cost a match attempt at every character: this
# form starts with a digit class, so the engine skips to the next digit in C. The look-behind
# (not preceded by a word character or a dot) is checked on each candidate instead.
_NUMBERED_PAGE_BODY = re.compile(r"\d\d{7}[ \t]+\d{3}(?:\.[ \t]*\n?\s*\d)?[ \t]+OF[ \t]+\d{3}\b")
_WORD_OR_DOT = re.compile(r"[\w.]")
# What every numbered page header holds: "OF 003". A pattern that starts with a literal is
# searched for in C at memchr speed, so most cables (those without such headers) stop here.
_PAGE_COUNT = re.compile(r"OF[ \t]+\d{3}\b")
# "PAGE 02 HARARE 06677 01 OF 03 291400Z": page, post, number, section of sections, time.
OLD_PAGE_HEADER = re.compile(
    r"^\s*PAGE\s+(?P<page>\d{2,3})\s+[A-Z][A-Z ]*?\s+\d+\s+(?P<section>\d{2,3})\s+OF\s+\d{2,3}\s+\d{6}Z\s*"
)
_TRAILING_LEVEL = re.compile(r"\s+(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\s*$")
_LONE_LEVEL = re.compile(r"\s*(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)(?:\s+[A-Z]{3}\d{3,5})?\s*")
_LEADING_SIPDIS = re.compile(r"^(\s*)SIPDIS\s+(?=\S)")
_POST_WIDTH = 10  # the page headers cut the post name to ten characters ("BUENOS AIR")
_CABLE_ID = re.compile(r"\d{2}([A-Z]+)\d+")
_CAPITALISED = re.compile(r"[A-Z][A-Z']*")
_CAPITALS_ONLY = re.compile(r"[A-Z' ]+")


def post_of(cable_id: str | None) -> str | None:
    """``09BRASILIA1342`` -> ``BRASILIA``; None for ids that are not cable ids."""
    match = _CABLE_ID.fullmatch(cable_id or "")
    return match.group(1) if match else None


def _post_start(text: str, position: int, post: str | None) -> int:
    """Where the post name in front of a numbered page header begins (same line only).

    The cable's own post (from its id) is preferred; otherwise the capitalised words that fit
    the header's ten-character post field.
    """
    line_start = text.rfind("\n", 0, position) + 1
    words = list(_CAPITALISED.finditer(text[line_start:position]))
    by_post = by_width = position
    for count in range(1, min(4, len(words)) + 1):
        begin = line_start + words[-count].start()
        tail = text[begin:position].strip()
        if not _CAPITALS_ONLY.fullmatch(tail):
            break
        if post and post.startswith(tail.replace(" ", "")):
            by_post = begin
        if len(tail) <= _POST_WIDTH:
            by_width = begin
    return by_post if by_post != position else by_width


def _numbered_pages(text: str) -> Iterator[re.Match[str]]:
    """The matches ``_NUMBERED_PAGE.finditer(text)`` gives, found faster.

    A candidate that fails the look-behind is skipped by one character, as the engine would;
    a match that passes it is resumed after, so the matches are the same, non-overlapping.
    """
    if not _PAGE_COUNT.search(text):
        return
    position = 0
    while match := _NUMBERED_PAGE_BODY.search(text, position):
        start = match.start()
        if start and _WORD_OR_DOT.match(text, start - 1):
            position = start + 1
            continue
        yield match
        position = match.end()


def strip_numbered_page_headers(text: str, cable_id: str | None) -> str:
    """Remove ``POST 0000NNNN 00N OF 00N`` wherever it stands, keeping the text around it."""
    post = post_of(cable_id)
    out: list[str] = []
    position = 0
    for match in _numbered_pages(text):
        start = _post_start(text, match.start(), post)
        left = text[position:start].rstrip(" \t")
        newlines = text.count("\n", start, match.end())
        position = match.end()
        while position < len(text) and text[position] in " \t":
            position += 1
        joins_text = left and not left.endswith("\n") and position < len(text) and text[position] != "\n"
        out.append(left + ("\n" * newlines if newlines else " " if joins_text else ""))
    out.append(text[position:])
    return "".join(out)


def strip_old_page_headers(lines: list[str]) -> list[str]:
    """Remove ``PAGE NN POST NNNNN NN OF NN DDHHMMZ`` headers, keeping the text after them.

    Page 01 of a later section opens a repeat of the routing block, classification, handling
    and header fields, which runs until the next page header: that whole stretch is dropped.
    The classification printed at the foot of each page, often run onto the last text line,
    goes too.
    """
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        match = OLD_PAGE_HEADER.match(line) if "PAGE" in line else None  # the word first: it is rare
        if not match:
            out.append(line)
            index += 1
            continue
        _drop_page_foot(out)
        if int(match.group("page")) == 1 and int(match.group("section")) > 1:
            end = _next_page_header(lines, index + 1)
            if end is not None:
                index = end + 1
                continue
            index += 1
            continue
        rest = line[match.end():]
        if rest.strip():
            out.append(rest)
        index += 1
    return out


def _next_page_header(lines: list[str], start: int) -> int | None:
    for index in range(start, min(len(lines), start + 40)):
        if "PAGE" in lines[index] and OLD_PAGE_HEADER.match(lines[index]):
            return index
    return None


def _drop_page_foot(out: list[str]) -> None:
    """The classification printed at the foot of the page before a page header."""
    index = len(out) - 1
    while index >= 0 and (not out[index].strip() or _LONE_LEVEL.fullmatch(out[index])):
        if out[index].strip():
            del out[index]
        index -= 1
    if index >= 0:
        out[index] = _TRAILING_LEVEL.sub("", out[index])


def strip_leading_sipdis(lines: list[str]) -> list[str]:
    """``SIPDIS SCENARIOS UNDER WHICH`` -> ``SCENARIOS UNDER WHICH``: a marker the release put in."""
    # Most lines lack the word: the substring test spares them the substitution.
    return [_LEADING_SIPDIS.sub(r"\1", line) if "SIPDIS" in line else line for line in lines]


def clean_telegram(text: str, cable_id: str | None) -> list[str]:
    """The cable's lines with page headers and their debris removed."""
    text = strip_numbered_page_headers(text, cable_id)
    lines = text.split("\n")
    # Both steps leave the lines as they are without their word; most cables lack it.
    if "PAGE" in text:
        lines = strip_old_page_headers(lines)
    return strip_leading_sipdis(lines) if "SIPDIS" in text else lines


__all__ = ["OLD_PAGE_HEADER", "clean_telegram", "post_of", "strip_numbered_page_headers",
           "strip_old_page_headers"]
