"""The text of a cable's REF field, read from the header lines.

REF blocks are the most irregular header field: written ``REF:``, ``REFS :``, ``Ref(s):``,
``REF A)`` or run into the SUBJECT line (``... MILLS REF: A. STATE 40721``, even glued:
``UK PRIMEREF: A. LONDON 1939``); wrapped over lines and broken by blank lines in the middle
of an entry (``D. 03`` / blank / ``HANOI 2323``); carrying page headers of the telegram
(``CONFIDENTIAL PAGE 02 ROME 01196 01 OF 02 082030Z``). This module finds the field and its
continuation lines with rules of its own, so the general header scanner need not know them.
"""

from __future__ import annotations

import re

_REF_WORD = re.compile(r"ref", re.I)
# "REF:", "REFS :", "Ref(s):", "REFTEL:", "REFERENCE:" anywhere in a line; glued to the word
# before it only in capitals ("PRIMEREF:"), which running text never writes.
_REF_COLON = re.compile(r"(?:(?<![A-Za-z])(?i:REF(?:S|\(S\)|TELS?|ERENCES?)?)|(?<=[A-Z])REFS?)\s*:")
# "REF A) LONDON 2351", "REF A WELLINGTON 721", "A. REF AMMAN 222": no colon, at a line's start.
_REF_LEAD = re.compile(r"^\s*(?:[A-Z][.)]\s+)?(?i:REF(?:S|TELS?)?)\b(?=\s+\(?[A-Za-z0-9])")
# Where the field stops inside a line: the next field, a handling notice, paragraph 1.
_FIELD_END = re.compile(
    r"\bCLASSIFIED\s+BY\b|\bSENSITIVE\s+BUT\s+UNCLASSIFIED\b|\bTHIS\s+(?:MESSAGE|CABLE)\s+IS\b"
    r"|\bTHIS\s+MESSAGE\s+HAS\b|(?<!\()\bSUBJ(?:ECT)?\s*:|\bTAGS\s*:|\bE\.\s?O\.\s*\d|\bDECL(?:ASSIFY)?\s*:"
    r"|\bPLEASE\s+(?:PROTECT|HANDLE)\b|\bSUMMARY\s*[:.\-]|(?:^|\s)¶?\s*1\.\s*\((?:U|C|S|SBU|TS)\b",
    re.I,
)
# A line that opens a paragraph or a heading rather than going on with the REF list.
_PARAGRAPH = re.compile(r"^\s*¶?\s*\d{1,2}\s*\.\s*(?:\(|[A-Z][a-z])|^\s*\((?:U|C|S|SBU|TS)\)\s|^\W*SUMMARY\W*$",
                        re.I)
# Telegram page and section headers that land inside a wrapped REF block.
_PAGE_HEADER = re.compile(
    r"(?:\b(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET)\s+)?"
    r"\bPAGE\s+\d{2}\s+[A-Z][A-Z ]*?\s+\d+\s+\d+\s+OF\s+\d+\s+\d{6}Z"
    r"|\b[A-Z][A-Z ]*?\s+0{2,}\d+\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}\b")
# A line that goes on with the list after a blank line: a label (``¶B.``, ``(B)``, ``- (B)``).
_LABEL_LINE = re.compile(r"^[\s\-¶]*\(?[A-Za-z](?:\)|[.:](?=\s|\d|\())")
# What the text before a blank line leaves open: a label, a year, a post without its number,
# or a joining word or mark.
_OPEN_END = re.compile(r"(?:\(?\b[A-Za-z][.):]|\b\d{2}|[A-Za-z]{2,}|[;,&]|\bAND)\s*$", re.I)
_NUMBER_END = re.compile(r"\d{3}\s*(?:\(\d{2,4}\))?\s*$")  # "HANOI 3288" ends; "D. 03" does not
_DASH_RULE = re.compile(r"^\s*(?:-\s*){3,}|^\s*[=_*]{3,}")
_TRAILING_MARK = re.compile(r"\s*\((?:U|C|S|SBU|TS)\)\s*$")  # "BRASILIA 123 (U) This cable is ..." cut
_FIELD_NAME_AGAIN = re.compile(r"^(?:\s*(?i:REF(?:S|\(S\)|TELS?|ERENCES?)?)\b\s*:?)+")  # "REF: REFERENCE: 01 ABUJA"
_LABEL_LETTER = re.compile(r"^[\s\-¶]*\(?([A-Za-z])(?:\)|[.:])")


def ref_field(lines: list[str]) -> str | None:
    """The REF field's text from the header lines, page headers removed; None without one."""
    text = "\n".join(lines)
    for candidate in _REF_WORD.finditer(text):  # only lines holding "ref" are tried
        index = text.count("\n", 0, candidate.start())
        line = lines[index]
        start = _field_start(line)
        if start is None:
            continue
        parts: list[str] = []
        rest, ended = _cut(line[start:])
        parts.append(rest)
        if not ended:
            parts.extend(_continuation(lines[index + 1:], " ".join(parts)))
        text = _PAGE_HEADER.sub(" ", " ".join(parts).replace("\\n", " "))  # some dumps hold a literal \n
        text = _FIELD_NAME_AGAIN.sub("", text)
        text = _TRAILING_MARK.sub("", " ".join(text.split()))
        return text or None
    return None


def _field_start(line: str) -> int | None:
    """Where the REF field's value begins in ``line``, if the field starts there."""
    match = _REF_COLON.search(line)
    if match:
        return match.end()
    lead = _REF_LEAD.match(line)
    if lead:
        return lead.end()
    return None


def _cut(text: str) -> tuple[str, bool]:
    """The part of a line that belongs to the field, and whether the field ends in it."""
    end = _FIELD_END.search(text)
    if end:
        return text[: end.start()], True
    return text, False


def _continuation(lines: list[str], so_far: str) -> list[str]:
    """The lines after the REF line that go on with it: wrapped lines, and after a blank line
    those that open with a label or complete what the text before left open."""
    parts: list[str] = []
    blank = False
    for line in lines:
        if not line.strip():
            blank = True
            continue
        before = " ".join([so_far, *parts])
        again = _field_start(line)
        if again is not None:  # "REF A ..." / "REF B ...": one line per entry
            parts.append("; " + line[again:])
            blank = False
            continue
        if (_PARAGRAPH.match(line) and not _next_label(line, before)) or _DASH_RULE.match(line):
            break
        if blank and not _goes_on(line, before):
            break
        blank = False
        text, ended = _cut(line)
        parts.append(text)
        if ended:
            break
    return parts


def _next_label(line: str, before: str) -> bool:
    """Whether ``line`` opens with the label after the last one of ``before``: ``(C) Sao Paulo
    42`` after ``(B) ...`` is an entry, not a paragraph marked (C)."""
    match = _LABEL_LETTER.match(line)
    if not match or match.group(1).upper() == "A":
        return False
    previous = chr(ord(match.group(1).upper()) - 1)
    return bool(re.search(rf"(?:^|[\s;,(])\(?{previous}(?:\)|[.:])", before, re.I))


def _goes_on(line: str, before: str) -> bool:
    if _LABEL_LINE.match(line):
        return True
    tail = before.rstrip()
    return not tail or (bool(_OPEN_END.search(tail)) and not _NUMBER_END.search(tail))
