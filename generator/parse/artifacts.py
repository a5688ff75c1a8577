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

# "BRASILIA 00000351 002.2 OF 003", "USNATO 00000464 002 OF 003": a zero-padded eight-digit
# number, the page and the page count. The split form "002.\n\n2 OF 002" occurs too.
_NUMBERED_PAGE = re.compile(r"(?<![\w.])(?P<number>\d{8})[ \t]+\d{3}(?:\.[ \t]*\n?\s*\d)?[ \t]+OF[ \t]+\d{3}\b")
# "PAGE 02 HARARE 06677 01 OF 03 291400Z": page, post, number, section of sections, time.
OLD_PAGE_HEADER = re.compile(
    r"^\s*PAGE\s+(?P<page>\d{2,3})\s+[A-Z][A-Z ]*?\s+\d+\s+(?P<section>\d{2,3})\s+OF\s+\d{2,3}\s+\d{6}Z\s*"
)
_TRAILING_LEVEL = re.compile(r"\s+(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\s*$")
_LEADING_SIPDIS = re.compile(r"^(\s*)SIPDIS\s+(?=\S)")
_POST_WIDTH = 10  # the page headers cut the post name to ten characters ("BUENOS AIR")


def post_of(cable_id: str | None) -> str | None:
    """``09BRASILIA1342`` -> ``BRASILIA``; None for ids that are not cable ids."""
    match = re.fullmatch(r"\d{2}([A-Z]+)\d+", cable_id or "")
    return match.group(1) if match else None


def _post_start(text: str, position: int, post: str | None) -> int:
    """Where the post name in front of a numbered page header begins (same line only)."""
    line_start = text.rfind("\n", 0, position) + 1
    words = list(re.finditer(r"[A-Z][A-Z']*", text[line_start:position]))
    best = position
    for count in range(1, min(4, len(words)) + 1):
        chosen = words[-count:]
        tail = text[line_start + chosen[0].start(): position]
        if not re.fullmatch(r"[A-Z' ]+\s*", tail):
            break
        letters = tail.replace(" ", "").strip()
        if post:
            if post.startswith(letters) or (post == "STATE" and letters == "STATE"):
                best = line_start + chosen[0].start()
        elif len(tail.strip()) <= _POST_WIDTH:
            best = line_start + chosen[0].start()
    return best


def strip_numbered_page_headers(text: str, cable_id: str | None) -> str:
    """Remove ``POST 0000NNNN 00N OF 00N`` wherever it stands, keeping the text around it."""
    post = post_of(cable_id)
    out: list[str] = []
    position = 0
    for match in _NUMBERED_PAGE.finditer(text):
        start = _post_start(text, match.start(), post)
        if post is None and start == match.start() and not text[text.rfind("\n", 0, start) + 1:start].strip() == "":
            pass  # a bare number at a line start is still a page header
        left = text[position:start]
        newlines = text.count("\n", start, match.end())
        right_starts_line = match.end() >= len(text) or text[match.end()] == "\n"
        if newlines:
            out.append(left.rstrip(" \t") + "\n" * newlines)
        elif left.endswith("\n") or not left or right_starts_line:
            out.append(left.rstrip(" \t"))
        else:
            out.append(left.rstrip(" \t") + " ")
        position = match.end()
        if not newlines and not right_starts_line and (not left or left.endswith("\n")):
            while position < len(text) and text[position] in " \t":
                position += 1
        elif not right_starts_line:
            while position < len(text) and text[position] in " \t":
                position += 1
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
        match = OLD_PAGE_HEADER.match(line)
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
        if OLD_PAGE_HEADER.match(lines[index]):
            return index
    return None


def _drop_page_foot(out: list[str]) -> None:
    """The classification at the foot of the page before a page header."""
    while out and (not out[-1].strip() or re.fullmatch(r"\s*(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)"
                                                       r"(?:\s+[A-Z]{3}\d{3,5})?\s*", out[-1])):
        if not out[-1].strip() and len(out) >= 2 and not _TRAILING_LEVEL.search(out[-2]) and \
                not re.fullmatch(r"\s*(?:UNCLASSIFIED|CONFIDENTIAL|SECRET)\b.*", out[-2]):
            break
        out.pop()
    if out:
        out[-1] = _TRAILING_LEVEL.sub("", out[-1])


def strip_leading_sipdis(lines: list[str]) -> list[str]:
    """``SIPDIS SCENARIOS UNDER WHICH`` -> ``SCENARIOS UNDER WHICH``: a marker the release put in."""
    return [_LEADING_SIPDIS.sub(r"\1", line) for line in lines]


def clean_telegram(text: str, cable_id: str | None) -> list[str]:
    """The cable's lines with page headers and their debris removed."""
    text = strip_numbered_page_headers(text, cable_id)
    lines = strip_old_page_headers(text.split("\n"))
    return strip_leading_sipdis(lines)


__all__ = ["OLD_PAGE_HEADER", "clean_telegram", "post_of", "strip_numbered_page_headers",
           "strip_old_page_headers"]
