"""Header fields of a cable: the lines above paragraph 1.

The scanner walks the header lines once, with the field it is currently reading as state,
because real headers wrap fields over several lines (TAGS, SUBJECT, REF, Classified By) and
sometimes run several fields together on one line (``E.o. 12958: decl: ... Tags: prel
Subject: ...``). A field ends at a blank line (a REF line ending in ``;`` or ``AND`` goes on),
at the next field's name, at a heading, a dash rule or a line that opens with a portion mark.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import officials
from .artifacts import OLD_PAGE_HEADER
from .markings import PAREN_MARKING, classification_from_line, normalise_marking
from .subject import continues, cut_subject, join_wrapped, misspelt_label
from .tags import PERSON_TAGS, split_tags

_FIELD_START = re.compile(
    r"(?P<name>\bE\.?\s?[O0]\.?\s*\d{5}\b|\bTAGS?\b|\bSUBJ(?:ECT)?\b|\bREF(?:S|TEL|TELS|ERENCES?)?\b"
    r"|\bCLASSIFIED\s+BY\b)\s*:?",
    re.I,
)
_HANDLING_WORDS = {"SIPDIS", "NOFORN", "EXDIS", "NODIS", "LIMDIS", "STADIS", "ROGER", "CHEROKEE",
                   "NOFORN SIPDIS", "SIPDIS NOFORN", "DEPT FOR", "SENSITIVE", "SBU"}
_HANDLING_RE = re.compile(r"\b(SIPDIS|NOFORN|EXDIS|NODIS|LIMDIS|STADIS|ORCON|PROPIN|SENSITIVE)\b", re.I)
_DECL = re.compile(r"\bDECL(?:ASSIFY)?\b\s*:?\s*(?:ON\s*)?:?\s*"
                   r"(?P<date>\d{1,4}/\d{1,2}/\d{2,4}|OADR\b|[A-Z]*\d[A-Z0-9./-]*)", re.I)
_EO_NUMBER = re.compile(r"\d{5}")
_MIRROR_DATE_LINE = re.compile(r"^\s*[A-Z][a-z]+day, \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}\s*$")
_DASH_RULE = re.compile(r"^\s*(?:-\s*){3,}|^\s*[=_*]{3,}")
_HEADING_WORD = re.compile(r"^\W*(?:\([A-Z/ ]{1,10}\)\s*)?(?:SUMMARY|INTRODUCTION|BACKGROUND)\W*$", re.I)
_PARAGRAPH_LEAD = re.compile(r"^\s*(?:¶\s*)?\(\s*(?:TS|S|C|U|SBU)(?:\s*/{1,2}\s*[A-Z]+)*\s*\)\s+\S")
# Compiled once here rather than looked up in re's cache on every call.
_SPACES = re.compile(r"\s+")
_LINE_CONTINUATION = re.compile(r"\\\s*$")
_CONTINUED_REF = re.compile(r"(?:[;,]|\bAND)\s*$", re.I)
_LEAD_MARK = re.compile(r"^\(([^)]{1,12})\)\s*")
_TRAIL_MARK = re.compile(r"\s*\(([^)]{1,12})\)\s*$")
_NOT_APPLICABLE = re.compile(r"N/?A", re.I)
_EO_NAME = re.compile(r"E\.?\s?[O0]\.", re.I)
_TAG_CODES_FOLLOW = re.compile(r"\s*[A-Z]{2,5}\b")
_FIELD_BEFORE = re.compile(r"[.)\d]\s*$")

# Kept for callers that import them from here.
PAGE_HEADER = OLD_PAGE_HEADER
SECTION_HEADER = re.compile(r"^\s*[A-Z][A-Z .-]*?\s+0{2,}\d+\s+\d{3}\s+OF\s+\d{3}\s*$")


@dataclass
class HeaderFields:
    """What the header states, each as written (cleaned of line wrapping)."""

    classification: str | None = None
    tags_text: str | None = None
    subject: str | None = None
    subject_marking: str | None = None
    ref_text: str | None = None
    classified_by: str | None = None  # who, e.g. "Ambassador Clifford Sobel"
    classification_reasons: str | None = None  # e.g. "1.4 (b) and (d)"
    eo: str | None = None  # the executive order, e.g. "12958"
    eo_text: str | None = None  # the E.O. line's value as written
    declassify_on: str | None = None  # ISO date when it is one, else as written
    handling: list[str] = field(default_factory=list)
    last_field_line: int = -1  # index of the last line that belongs to a header field


def _join(parts: list[str]) -> str:
    return _SPACES.sub(" ", " ".join(parts)).strip()


def _ends_field(stripped: str) -> bool:
    """A line that cannot continue a wrapped field: a heading, a rule, a marked paragraph."""
    return bool(_DASH_RULE.match(stripped) or _HEADING_WORD.match(stripped) or _PARAGRAPH_LEAD.match(stripped))


def parse_header_lines(lines: list[str]) -> HeaderFields:
    """Read header fields from the lines before the first paragraph."""
    found = HeaderFields()
    current: str | None = None
    buffers: dict[str, list[str]] = {"TAGS": [], "SUBJECT": [], "REF": [], "CLASSIFIED": [], "EO": []}
    for index, line in enumerate(lines):
        stripped = _LINE_CONTINUATION.sub("", line).strip()  # the mirror's "\\" at line ends
        if not stripped:
            if current == "SUBJECT" and not any(buffers["SUBJECT"]):
                continue  # "SUBJECT:" alone on its line: the value follows a blank line
            if current != "REF" or not _CONTINUED_REF.search(_join(buffers["REF"])):
                current = None
            continue
        if found.classification is None and index < 6:
            level = classification_from_line(stripped)
            if level:
                found.classification = level
                found.last_field_line = index
                _add_handling(found, stripped)
                continue
        if _MIRROR_DATE_LINE.match(line):
            continue
        if stripped.upper() in _HANDLING_WORDS or (
            stripped.isupper() and len(stripped.split()) <= 3 and _HANDLING_RE.search(stripped)  # cheap tests first
        ):
            _add_handling(found, stripped)
            found.last_field_line = max(found.last_field_line, index)
            current = None
            continue
        if classification_from_line(stripped) and len(stripped.split()) <= 4:
            continue  # a repeated classification line
        starts = _field_starts(stripped)
        if not starts:
            if current and (_ends_field(stripped) or not continues(current, buffers[current], stripped)):
                current = None
            elif current:
                buffers[current].append(stripped)
                found.last_field_line = index
            continue
        if current and starts[0][0] > 0 and not PAREN_MARKING.fullmatch(stripped[: starts[0][0]].strip()):
            buffers[current].append(stripped[: starts[0][0]])
        for number, (start, name_end, key) in enumerate(starts):
            end = starts[number + 1][0] if number + 1 < len(starts) else len(stripped)
            current = key
            buffers[current].append(stripped[name_end:end].strip())
            if current == "EO" and found.eo is None:
                found.eo = _EO_NUMBER.search(stripped[start:name_end]).group()
        found.last_field_line = index
    _fill(found, buffers)
    return found


def _field_starts(line: str) -> list[tuple[int, int, str]]:
    """Where field names start and end on the line, with the field each opens."""
    starts = [(m.start(), m.end(), _field_key(m.group("name")))
              for m in _FIELD_START.finditer(line) if _is_field_start(line, m)]
    if not starts:
        misspelt = misspelt_label(line)
        return [misspelt] if misspelt else []
    return starts


def _field_key(name: str) -> str:
    name = name.upper()
    if name.startswith("E"):
        return "EO"
    if name.startswith("TAG"):
        return "TAGS"
    if name.startswith("SUBJ"):
        return "SUBJECT"
    if name.startswith("REF"):
        return "REF"
    return "CLASSIFIED"


def _fill(found: HeaderFields, buffers: dict[str, list[str]]) -> None:
    if buffers["TAGS"]:
        found.tags_text = _join(buffers["TAGS"])
    if buffers["SUBJECT"]:
        subject, spill = cut_subject(join_wrapped(buffers["SUBJECT"]))
        found.subject, found.subject_marking = split_subject_marking(subject)
        for key, value in spill.items():  # a REF or Classified By run on into the subject line
            if not buffers[key] and value:
                buffers[key].append(value)
    if buffers["REF"]:
        found.ref_text = _join(buffers["REF"]) or None
    if buffers["CLASSIFIED"]:
        found.classified_by, found.classification_reasons = split_classified_by(_join(buffers["CLASSIFIED"]))
    if buffers["EO"]:
        _fill_eo(found, _join(buffers["EO"]))


def split_subject_marking(subject: str) -> tuple[str | None, str | None]:
    """``(C) TURKEY: ...`` -> ``('TURKEY: ...', 'C')``; a trailing mark is taken when none leads."""
    marking = None
    lead = _LEAD_MARK.match(subject)
    if lead and normalise_marking(lead.group(1)):
        marking = normalise_marking(lead.group(1))
        subject = subject[lead.end():]
    else:
        trail = _TRAIL_MARK.search(subject)
        if trail and normalise_marking(trail.group(1)):
            marking = normalise_marking(trail.group(1))
            subject = subject[: trail.start()]
    return subject.strip() or None, marking


def split_classified_by(text: str) -> tuple[str | None, str | None]:
    """``Ambassador Clifford Sobel. Reasons: 1.4 (B and D).`` -> who and reasons (see officials)."""
    return officials.split_classified_by(text)


def _fill_eo(found: HeaderFields, text: str) -> None:
    found.eo_text = text or None
    decl = _DECL.search(text)
    if decl:
        found.declassify_on = normalise_declassification_date(decl.group("date"))


def normalise_declassification_date(value: str) -> str | None:
    """``01/07/2014`` / ``11/29/10`` / ``2035/01/07`` -> ISO date; other values as written."""
    value = value.strip(" .;,")
    if _NOT_APPLICABLE.fullmatch(value):
        return None
    parts = value.split("/")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        if len(parts[0]) == 4:
            year, month, day = (int(p) for p in parts)
        else:
            month, day, year = (int(p) for p in parts)
            year = year + 2000 if year < 100 else year
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return value
    return value or None


def _is_field_start(line: str, match: re.Match[str]) -> bool:
    """Tell a field name from the same word in running text (``the ref`` in a sentence)."""
    name = match.group("name").upper()
    before = line[: match.start()]
    has_colon = line[match.start():match.end()].rstrip().endswith(":")
    if match.start() == 0 or PAREN_MARKING.fullmatch(before.strip()):
        return True
    if name.startswith("E") and _EO_NAME.match(match.group("name")):
        return True  # "E.O. 12958" is never running text
    if name.startswith("TAG") and not has_colon:
        # "DECL: 03/20/2019 TAG PTER, PGOV": no colon, but tag codes follow a field
        follows = line[match.end():]
        return bool(_DECL.search(before) and _TAG_CODES_FOLLOW.match(follows))
    return bool(has_colon and (name.startswith(("TAG", "SUBJ")) or _FIELD_BEFORE.search(before)))


def _add_handling(found: HeaderFields, text: str) -> None:
    for word in _HANDLING_RE.findall(text):
        word = word.upper()
        if word not in found.handling:
            found.handling.append(word)


__all__ = ["PAGE_HEADER", "PAREN_MARKING", "PERSON_TAGS", "SECTION_HEADER", "HeaderFields",
           "normalise_declassification_date", "parse_header_lines", "split_classified_by", "split_tags"]
