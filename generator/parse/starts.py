"""Where numbered paragraphs start: the lines behind the ``#parN`` anchors people link to.

A start is a line like ``1. (C) text``, ``¶1. (C)``, ``1.(SBU)`` or ``1. text``. A marked one
(a portion marking after the number) is a paragraph on its own evidence. An unmarked one must
also fit the cable's numbering and show where it begins: after a blank line, a rule or the end
of a sentence; right under a heading (``Talking Points`` over dashes, ``--- SUMMARY ---``),
where a skipped number is believed too; with a title-case run-in heading of its own
(``3. Warthogs Delay Departure: ...``); or, for paragraph 1, directly under the SUBJECT line.
A number that merely wraps onto a line start ("begin on November" / "26."), a list item
``3. (a)``, a date or a numbered REF line shows none of these and is left in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from .header import PAGE_HEADER, SECTION_HEADER
from .markings import classification_from_line, normalise_marking

PARAGRAPH_START = re.compile(
    r"^\s*(?:¶\s*)?(?P<num>\d{1,3})\s*\.(?!\d)\s*(?:\((?P<mark>[A-Za-z/\- ,]{1,80})\))?\s*(?P<rest>.*)$"
)
# A marking cut by the end of its line: "5.  (S//REL CHINA, AFGHANISTAN, KAZAKHSTAN, KYRGYZSTAN,"
_OPEN_MARK = re.compile(r"^\((?P<head>[A-Za-z/\- ,]{1,80})$")
_CLOSE_MARK = re.compile(r"^\s*(?P<tail>[A-Za-z/\- ,]{1,80})\)\s*:?\s*(?P<rest>.*)$")
# "(a)", "(iv)": the label of a list item, not a marking.
_LIST_LABEL = re.compile(r"^(?:[A-Za-z]|[ivxIVX]+)$")
DASH_RULE = re.compile(r"^\s*(?:[-\u2013\u2014]\s*){3,}$|^\s*[=_*~]{3,}\s*$")
# What ends the text before a paragraph: sentence punctuation, a closing quote or bracket.
_BLOCK_END = re.compile(r"[.!?:;\"')\]\u201d\u2019\u00bb]\s*$")
# A heading between rules on its own line: "--- SUMMARY ---", "== Talking Points ==".
_RULED_HEADING = re.compile(r"^\s*(?:-{2,}|={2,}|\*{2,})\s*(?P<text>[^-=*\s][^\n]{0,78}?)\s*(?:-{2,}|={2,}|\*{2,})\s*$")
# A run-in heading: two to ten words up to a colon, a full stop or a dash ("Warthogs Delay:"),
# or up to the line's end (a numbered heading line). No comma: that is a sentence.
_RUN_IN = re.compile(r"^(?P<head>[A-Z][\w'\u2019&/\-]*(?: [\w'\u2019&/\-]+){1,9}?)"
                     r"\s*(?P<end>:|\.(?!\w)|--|\u2014| - |$)")
_SMALL_WORDS = frozenset(("a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "over",
                          "the", "to", "vs", "with"))
_SUBJECT_LINE = re.compile(r"^\s*SUBJ(?:ECT)?\s*:", re.I)
_FIELD_LINE = re.compile(r"^\s*(?:REFS?\b|REFERENCES?\b|TAGS\b|E\.\s*[O0]\.|CLASSIFIED\s+BY\b)", re.I)
# A reference, not prose: "STATE 12345", "06 ANKARA 44", "UNESCO PARIS FR 000087".
_REF_FIELD = re.compile(r"^\s*(?:REFS?|REFERENCES?)\b", re.I)
_REFERENCE_ENTRY = re.compile(r"^(?:\d{2,4}\s+)?[A-Z]{2,}(?:\s+[A-Z]{2,}){0,3}\s+\d{2,}\b")
# Paragraph 1 run on at the end of a header line: "REASON: 1.4 (b), (d) 1. (C/NF) Summary: ...".
_RUN_ON_ONE = re.compile(r"(?<=\S)[ \t]+(?=¶?1[ \t]?\.[ \t]*\((?P<mark>[A-Za-z/\- ,]{1,80})\))")
_ARTIFACT_WORDS = frozenset(("SIPDIS", "NNNN", "BT"))
# A classification line's level ("C O N F I D E N T I A L", "SECRET//NOFORN") and what may follow it.
_LEVEL_WORD = re.compile(r"^(?:[A-Z]{1,2}(?: [A-Z]){3,}|[A-Z]+(?://[A-Z ]+)?)")
_AFTER_LEVEL = re.compile(r"^(?:SECTION \d+ OF \d+|[A-Z]{3}\d{3,5}$)")


class Opening(Enum):
    """What shows that an unmarked candidate begins a paragraph, strongest first."""

    HEADING = "under a heading"
    BREAK = "after a break"
    RUN_IN = "its own run-in heading"
    SUBJECT = "under the SUBJECT line"
    SEQUENCE = "paragraph 2 follows"


@dataclass
class _Start:
    line: int
    number: int
    marking: str | None
    rest: str
    after: int  # the first line after the start's own text (line + 1, or + 2 for a wrapped marking)


def is_artifact(line: str) -> bool:
    """Telegram page furniture: page headers, section openers, lone classification lines.

    This runs on every line of every cable, so each pattern is tried only when a word it needs
    ("OF", "PAGE") is there. (Caching it by line was measured slower: lines rarely repeat.)
    """
    stripped = line.strip()
    if not stripped:
        return False
    if stripped in _ARTIFACT_WORDS or ("OF" in line and SECTION_HEADER.match(line)):
        return True
    if "PAGE" in line:
        page = PAGE_HEADER.match(line)
        if page and not line[page.end():].strip():  # the header alone on its line
            return True
    if len(stripped) <= 80 and stripped[0] in "CSTUcstu" and classification_from_line(stripped):
        rest = _LEVEL_WORD.sub("", stripped).strip()
        return rest == "" or bool(_AFTER_LEVEL.match(rest))
    return False


def _candidate_starts(lines: list[str], first_line: int) -> Iterator[_Start]:
    """Lines shaped like a paragraph start (``1. (C) text``), in order; not all of them are."""
    for index in range(first_line, len(lines)):
        opening = lines[index].lstrip()[:1]
        if not (opening.isdecimal() or opening == "¶"):
            continue  # what the pattern needs first, tested without it (\s and \d are these)
        match = PARAGRAPH_START.match(lines[index])
        if match:
            start = _start_from(match, lines, index)
            if start:
                yield start


def _start_from(match: re.Match[str], lines: list[str], index: int) -> _Start | None:
    """The candidate a matching line gives: its number, its marking if any, and its text.

    A parenthesis that is no marking stays in the text ("2. (Iran) New Protests" is an unmarked
    candidate), unless it labels a list item ("3. (a) ..."): then the line is no candidate.
    """
    number, rest, mark = int(match.group("num")), match.group("rest"), match.group("mark")
    if mark is not None:
        marking = normalise_marking(mark)
        if marking:
            return _Start(index, number, marking, rest, index + 1)
        if _LIST_LABEL.match(mark.strip()):
            return None
        return _Start(index, number, None, match.string[match.start("mark") - 1:].strip(), index + 1)
    wrapped = _OPEN_MARK.match(rest.rstrip())
    if wrapped and index + 1 < len(lines):
        tail = _CLOSE_MARK.match(lines[index + 1])
        marking = normalise_marking(f"{wrapped.group('head')} {tail.group('tail')}") if tail else None
        if tail and marking:
            return _Start(index, number, marking, tail.group("rest"), after=index + 2)
    return _Start(index, number, None, rest, index + 1)


def find_paragraph_starts(lines: list[str], first_line: int = 0) -> list[_Start]:
    """Lines that open numbered paragraphs, following the cable's own numbering."""
    candidates = list(_candidate_starts(lines, first_line))
    marked_cable = sum(1 for c in candidates if c.marking) >= 2
    accepted: list[_Start] = []
    last = 0
    for position, cand in enumerate(candidates):
        if cand.marking:
            ok = cand.number > 0 and (cand.number <= last + 40 or not accepted)
        else:
            opening = _opening(lines, cand, first_line, bool(accepted))
            if opening is None and not accepted and position + 1 < len(candidates):
                opening = _confirmed_by_next(lines, cand, candidates[position + 1], first_line)
            ok = opening is not None and _fits_numbering(cand.number, last, bool(accepted), marked_cable, opening)
        if ok:
            accepted.append(cand)
            last = cand.number
    return accepted


def _fits_numbering(number: int, last: int, started: bool, marked_cable: bool, opening: Opening) -> bool:
    """An unmarked candidate's number against the last accepted one.

    The next number always fits. A skip of up to three (a paragraph the cable left out) is
    believed under a heading, or after a break in a cable without portion marks; in a marked
    cable an unmarked line after a break is more often a wrapped number than a paragraph.
    """
    if number == last + 1:
        return True
    skip_ok = opening is Opening.HEADING or (opening is Opening.BREAK and not marked_cable)
    return started and skip_ok and last < number <= last + 3


def first_paragraph_start(lines: list[str]) -> _Start | None:
    """``find_paragraph_starts(lines)[0]``, or None, without reading the rest of the cable.

    With nothing accepted yet, the rules there come down to: a marked candidate numbered above
    0, or an unmarked paragraph 1 that shows where it begins, whatever the number of marked
    candidates.
    """
    pending: _Start | None = None  # an unmarked paragraph 1 that only its successor can confirm
    for cand in _candidate_starts(lines, 0):
        if pending is not None and _confirmed_by_next(lines, pending, cand, 0):
            return pending
        pending = None
        if cand.marking:
            if cand.number > 0:
                return cand
        elif cand.number == 1:
            if _opening(lines, cand, 0, False) is not None:
                return cand
            pending = cand
    return None


def _confirmed_by_next(lines: list[str], cand: _Start, following: _Start, first_line: int) -> Opening | None:
    """An unmarked paragraph 1 that nothing above shows the start of (it follows a REF line or a
    wrapped header field directly) is one when the next candidate is paragraph 2 and plainly
    starts a paragraph: marked, or after a break or a heading. Numbered REF lines ("1. STATE
    123" over "2. ANKARA 45") do not confirm each other: the second shows no start either."""
    if cand.number != 1 or following.number != 2 or _REFERENCE_ENTRY.match(cand.rest):
        return None
    if following.marking or _opening(lines, following, first_line, True) in (Opening.BREAK, Opening.HEADING):
        return Opening.SEQUENCE
    return None


def _opening(lines: list[str], cand: _Start, first_line: int, started: bool) -> Opening | None:
    """What shows that an unmarked candidate begins a paragraph, or None."""
    if cand.line == first_line:
        return Opening.BREAK
    prev = _skip_furniture(lines, cand.line - 1)
    if prev < 0:
        return Opening.BREAK
    before = lines[prev].strip()
    if before and _REFERENCE_ENTRY.match(cand.rest) and _lists_references(before):
        return None  # "REF:" over "1. STATE 12345": an entry of the REF field
    if not before:  # a blank line: a break, under a heading if a rule or a ruled heading is above it
        above = _skip_furniture(lines, prev, blanks=True)
        return Opening.HEADING if above >= 0 and _is_rule_or_heading(lines[above].strip()) else Opening.BREAK
    if _is_rule_or_heading(before):
        return Opening.HEADING
    if _BLOCK_END.search(before):
        return Opening.BREAK
    if _has_run_in_heading(cand.rest, lines[cand.after] if cand.after < len(lines) else ""):
        return Opening.RUN_IN
    if not started and cand.number == 1 and _follows_subject(lines, prev) and not _REFERENCE_ENTRY.match(cand.rest):
        return Opening.SUBJECT
    return None


def _lists_references(line: str) -> bool:
    """A REF field line, or a numbered entry of one (``2. USUNESCO PARIS FR 00187``)."""
    if _REF_FIELD.match(line):
        return True
    entry = PARAGRAPH_START.match(line)
    return bool(entry and _REFERENCE_ENTRY.match(entry.group("rest")))


def _skip_furniture(lines: list[str], index: int, blanks: bool = False) -> int:
    """The nearest line at or above ``index`` that is not page furniture (nor blank, with
    ``blanks``); -1 if none."""
    while index >= 0 and (is_artifact(lines[index]) or (blanks and not lines[index].strip())):
        index -= 1
    return index


def _is_rule_or_heading(text: str) -> bool:
    return bool(DASH_RULE.match(text) or _RULED_HEADING.match(text))


def _has_run_in_heading(rest: str, following: str) -> bool:
    """``Warthogs Delay Departure: the A-10s ...``: two or more title-case words (small words
    between them lower-case) ending at a colon, a full stop or a dash; or a whole line of them
    with a blank line or a rule after it. All-capital text is not title case: in a cable
    written in capitals it says nothing."""
    match = _RUN_IN.match(rest)
    if not match:
        return False
    if not match.group("end") and following.strip() and not DASH_RULE.match(following):
        return False  # capitalised words that run on into the next line: a sentence, not a heading
    words = match.group("head").split()
    capitalised = [w for w in words if w not in _SMALL_WORDS]
    return (len(capitalised) >= 2 and all(w[0].isupper() for w in capitalised)
            and any(c.islower() for c in match.group("head")))


def _follows_subject(lines: list[str], prev: int) -> bool:
    """The line ``prev`` is the SUBJECT line or its wrapped continuation (up to three lines),
    with no other header field (REF, TAGS, Classified By) after it."""
    for back in range(prev, max(-1, prev - 4), -1):
        line = lines[back]
        if not line.strip():
            return False
        if _SUBJECT_LINE.match(line):
            return True
        if _FIELD_LINE.match(line) or PARAGRAPH_START.match(line):
            return False
    return False


def split_run_on_paragraph_one(lines: list[str]) -> list[str]:
    """The lines with a marked paragraph 1 that runs on at the end of a header field put on a
    line of its own: ``CLASSIFIED BY: Gene A. Cretz, ... REASON: 1.4 (b), (d) 1. (C/NF) Summary:``
    (09TRIPOLI65) becomes the Classified By line and ``1. (C/NF) Summary: ...``.

    Only the header is read (up to the first line that starts like a paragraph), only a line
    of a field (SUBJECT, Classified By, REF ...) or its wrapped continuation, and only a "1."
    with a real marking and text after it (10BRASILIA51 ends its Classified By line with a bare
    "1. (C)" and then gives paragraph 1 on a line of its own). Otherwise the list is returned as it is, not copied.
    """
    for index, line in enumerate(lines):
        opening = line.lstrip()[:1]
        if (opening.isdecimal() or opening == "¶") and PARAGRAPH_START.match(line):
            return lines  # the body begins here: nothing ran on
        if "1" not in line or "(" not in line:
            continue  # what a run-on "1. (C)" needs, tested without the pattern
        for match in _RUN_ON_ONE.finditer(line):
            paragraph = PARAGRAPH_START.match(line[match.end():])
            if (paragraph and paragraph.group("rest").strip() and normalise_marking(match.group("mark"))
                    and _in_header_field(lines, index)):
                return [*lines[:index], line[:match.start()], line[match.end():], *lines[index + 1:]]
    return lines


def _in_header_field(lines: list[str], index: int) -> bool:
    """The line at ``index`` opens a header field or continues one opened up to two lines above."""
    for back in range(index, max(-1, index - 3), -1):
        if not lines[back].strip():
            return False
        if _FIELD_LINE.match(lines[back]) or _SUBJECT_LINE.match(lines[back]):
            return True
    return False
