"""Header fields of a cable: the lines above paragraph 1.

The scanner walks the header lines once, with the field it is currently reading as state,
because real headers wrap fields over several lines (TAGS, SUBJECT, REF, Classified By) and
sometimes run several fields together on one line (``E.o. 12958: decl: ... Tags: prel
Subject: ...``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .markings import PAREN_MARKING, classification_from_line, normalise_marking

_FIELD_START = re.compile(
    r"(?P<name>\bE\.?\s?O\.?\s*\d{5}\b|\bTAGS?\b|\bSUBJ(?:ECT)?\b|\bREF(?:S|TEL|TELS|ERENCES?)?\b|\bCLASSIFIED\s+BY\b)"
    r"\s*:?",
    re.I,
)
_HANDLING_WORDS = {"SIPDIS", "NOFORN", "EXDIS", "NODIS", "LIMDIS", "STADIS", "ROGER", "CHEROKEE",
                   "NOFORN SIPDIS", "SIPDIS NOFORN", "DEPT FOR", "SENSITIVE", "SBU"}
_HANDLING_RE = re.compile(r"\b(SIPDIS|NOFORN|EXDIS|NODIS|LIMDIS|STADIS|ORCON|PROPIN|SENSITIVE)\b", re.I)
_DECL = re.compile(r"\bDECL(?:ASSIFY)?\s*:?\s*(?:ON\s*)?:?\s*(?P<date>\d{1,2}/\d{1,2}/\d{2,4}|[A-Z0-9]+)", re.I)
_MIRROR_DATE_LINE = re.compile(r"^\s*[A-Z][a-z]+day, \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}\s*$")

# Page headers of the original telegram pages, which can interrupt a header field.
PAGE_HEADER = re.compile(
    r"^\s*PAGE\s+\d{2,3}\s+[A-Z][A-Z ]*?\s+\d+\s+\d{2,3}\s+OF\s+\d{2,3}\s+\d{6}Z\s*"
)
SECTION_HEADER = re.compile(r"^\s*[A-Z][A-Z .-]*?\s+0{2,}\d+\s+\d{3}\s+OF\s+\d{3}\s*$")


@dataclass
class HeaderFields:
    """What the header states, each as written (cleaned of line wrapping)."""

    classification: str | None = None
    tags_text: str | None = None
    subject: str | None = None
    subject_marking: str | None = None
    ref_text: str | None = None
    classified_by: str | None = None
    declassify_on: str | None = None
    handling: list[str] = field(default_factory=list)
    last_field_line: int = -1  # index of the last line that belongs to a header field


def _join(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def parse_header_lines(lines: list[str]) -> HeaderFields:
    """Read header fields from the lines before the first paragraph."""
    found = HeaderFields()
    current: str | None = None
    buffers: dict[str, list[str]] = {"TAGS": [], "SUBJECT": [], "REF": [], "CLASSIFIED": []}
    for index, line in enumerate(lines):
        stripped = line.strip()
        if PAGE_HEADER.match(line):
            stripped = PAGE_HEADER.sub("", line).strip()
            if not stripped:
                continue
        if not stripped:
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
            _HANDLING_RE.search(stripped) and len(stripped.split()) <= 3 and stripped.isupper()
        ):
            _add_handling(found, stripped)
            found.last_field_line = max(found.last_field_line, index)
            current = None
            continue
        if classification_from_line(stripped) and current is not None and len(stripped.split()) <= 4:
            continue  # a repeated classification line inside a wrapped field
        matches = list(_FIELD_START.finditer(stripped))
        matches = [m for m in matches if _is_field_start(stripped, m)]
        if not matches:
            if current:
                buffers[current].append(stripped)
                found.last_field_line = index
            continue
        if current and matches[0].start() > 0:
            buffers[current].append(stripped[: matches[0].start()])
        for number, match in enumerate(matches):
            end = matches[number + 1].start() if number + 1 < len(matches) else len(stripped)
            value = stripped[match.end():end].strip()
            name = match.group("name").upper()
            if name.startswith("E"):
                decl = _DECL.search(value)
                if decl:
                    found.declassify_on = decl.group("date")
                current = None
            elif name.startswith("TAG"):
                current = "TAGS"
                buffers["TAGS"].append(value)
            elif name.startswith("SUBJ"):
                current = "SUBJECT"
                buffers["SUBJECT"].append(value)
            elif name.startswith("REF"):
                current = "REF"
                buffers["REF"].append(value)
            else:
                current = "CLASSIFIED"
                buffers["CLASSIFIED"].append(value)
        found.last_field_line = index
    if buffers["TAGS"]:
        found.tags_text = _join(buffers["TAGS"])
    if buffers["SUBJECT"]:
        subject = _join(buffers["SUBJECT"])
        marking = re.match(r"^\(([^)]{1,12})\)\s*", subject)
        if marking and normalise_marking(marking.group(1)):
            found.subject_marking = normalise_marking(marking.group(1))
            subject = subject[marking.end():]
        found.subject = subject or None
    if buffers["REF"]:
        found.ref_text = _join(buffers["REF"])
    if buffers["CLASSIFIED"]:
        found.classified_by = _join(buffers["CLASSIFIED"])
    return found


def _is_field_start(line: str, match: re.Match[str]) -> bool:
    """Tell a field name from the same word in running text (``the ref`` in a sentence)."""
    name = match.group("name").upper()
    before = line[: match.start()]
    has_colon = line[match.start():match.end()].rstrip().endswith(":")
    if match.start() == 0:
        return True
    return bool(has_colon and (name.startswith(("TAG", "SUBJ", "E")) or re.search(r"[.)\d]\s*$", before)))


def _add_handling(found: HeaderFields, text: str) -> None:
    for word in _HANDLING_RE.findall(text):
        word = word.upper()
        if word not in found.handling:
            found.handling.append(word)


def split_tags(text: str) -> list[str]:
    """``PGOV, PREL, OVIP (CLINTON, HILLARY)`` -> ``['PGOV', 'PREL', 'OVIP (CLINTON, HILLARY)']``."""
    tags: list[str] = []
    text = text.replace(";", ",")
    for match in re.finditer(r"[^\s,()]+(?:\s*\([^)]*\))?|\([^)]*\)", text):
        token = re.sub(r"\s+", " ", match.group().strip().upper())
        if token.startswith("(") and tags:
            tags[-1] = f"{tags[-1]} {token}"
            continue
        token = token.strip(".:")
        if token and token not in tags:
            tags.append(token)
    return tags


__all__ = ["PAGE_HEADER", "PAREN_MARKING", "SECTION_HEADER", "HeaderFields", "parse_header_lines", "split_tags"]
