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
_TAG_CODE = re.compile(r"[A-Z]{2}|[ABCEKMOPST][A-Z]{3}")  # country or subject code shapes
PERSON_TAGS = ("OVIP", "OREP", "OPDC")  # tags followed by a person's name
# Compiled once here rather than looked up in re's cache on every call.
_SPACES = re.compile(r"\s+")
_CONTINUED_REF = re.compile(r"(?:[;,]|\bAND)\s*$", re.I)
_LEAD_MARK = re.compile(r"^\(([^)]{1,12})\)\s*")
_TRAIL_MARK = re.compile(r"\s*\(([^)]{1,12})\)\s*$")
_NOT_APPLICABLE = re.compile(r"N/?A", re.I)
_EO_NAME = re.compile(r"E\.?\s?[O0]\.", re.I)
_TAG_CODES_FOLLOW = re.compile(r"\s*[A-Z]{2,5}\b")
_FIELD_BEFORE = re.compile(r"[.)\d]\s*$")
_OPEN_PAREN = re.compile(r"\s*\(\s*")
_TAG_PART = re.compile(r"[^,(]+(?:\([^)]*\)?)?[^,(]*")
_PARENTHESISED = re.compile(r"\([^)]*\)")

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
        stripped = line.strip()
        if not stripped:
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
        matches = [m for m in _FIELD_START.finditer(stripped) if _is_field_start(stripped, m)]
        if not matches:
            if current and _ends_field(stripped):
                current = None
            elif current:
                buffers[current].append(stripped)
                found.last_field_line = index
            continue
        if current and matches[0].start() > 0 and not PAREN_MARKING.fullmatch(stripped[: matches[0].start()].strip()):
            buffers[current].append(stripped[: matches[0].start()])
        for number, match in enumerate(matches):
            end = matches[number + 1].start() if number + 1 < len(matches) else len(stripped)
            current = _field_key(match.group("name"))
            buffers[current].append(stripped[match.end():end].strip())
            if current == "EO" and found.eo is None:
                found.eo = _EO_NUMBER.search(match.group("name")).group()
        found.last_field_line = index
    _fill(found, buffers)
    return found


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
        found.subject, found.subject_marking = split_subject_marking(_join(buffers["SUBJECT"]))
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


def split_tags(text: str) -> list[str]:
    """``PGOV, PREL, OVIP (CLINTON, HILLARY)`` -> ``['PGOV', 'PREL', 'OVIP (CLINTON, HILLARY)']``.

    Lists come with commas or spaces; in a comma list an item of several words is one tag
    (``USEU BRUSSELS``), in a space list the name after a person tag joins it
    (``OVIP CLINTON HILLARY``). Tags are upper-cased and kept once, in order.
    """
    text = _SPACES.sub(" ", text.replace(";", ",")).strip().upper()
    tags: list[str] = []
    for item in _tag_items(text):
        item = _SPACES.sub(" ", item).strip(" .:,")
        item = _OPEN_PAREN.sub(" (", item).replace(" )", ")")
        if item and item not in tags:
            tags.append(item)
    return tags


def _tag_items(text: str) -> list[str]:
    """The tags of a TAGS value, person tags with their names kept together."""
    parts = _TAG_PART.findall(text)
    comma_list = "," in _PARENTHESISED.sub("", text)
    items: list[str] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if "(" in part:
            head, _, name = part.partition("(")
            words = head.split()
            items.extend(words[:-1])
            items.append(f"{words[-1] if words else ''} ({name.strip(' )')})".strip())
        elif comma_list and len(part.split()) > 1 and (
                part.split()[0] in PERSON_TAGS or not all(_TAG_CODE.fullmatch(w) for w in part.split())):
            items.append(part)  # one tag of several words: "OVIP CLINTON HILLARY", "USEU BRUSSELS"
        else:
            items.extend(_space_separated(part.split()))
    return items


def _space_separated(words: list[str]) -> list[str]:
    """``OVIP BIDEN JOSEPH PREL`` -> ``['OVIP BIDEN JOSEPH', 'PREL']``."""
    items: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word in PERSON_TAGS:
            name: list[str] = []
            while index < len(words) and not _TAG_CODE.fullmatch(words[index]) and (
                    len(name) < 2 or (len(name) == 2 and len(words[index].strip(".")) == 1)):
                name.append(words[index])
                index += 1
            word = " ".join([word, *name])
        items.append(word)
    return items


__all__ = ["PAGE_HEADER", "PAREN_MARKING", "PERSON_TAGS", "SECTION_HEADER", "HeaderFields",
           "normalise_declassification_date", "parse_header_lines", "split_classified_by", "split_tags"]
