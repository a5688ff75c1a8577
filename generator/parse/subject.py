"""Where a SUBJECT or TAGS value ends, and field names spelt wrong.

The header scanner (header.py) reads a field on until a blank line or the next field name. Real
cables break that in a few recurring ways, each handled by one rule here:

- the next field runs on the same line, sometimes glued to the last word:
  ``... VISIT TO EGYPTREF: CAIRO 493``, ``... TO CAIROClassified By: ...``, ``... RIO Ref(s): A) ...``;
- a handling notice follows the subject: ``... ANOTHER CHILD Sensitive but unclassified``;
- a line that is not the field's: paragraph 1 (``1. Summary. EU Justice ...``), a page header
  (``PAGE 02 HARA``), a sentence after an all-capital subject (``This is an Action request.``),
  a subject line after TAGS that has no SUBJECT label;
- the field name itself is misspelt: ``TAS:``, ``TGS:``, ``TABS:``, ``TAGES:``, ``UBJECT:``.
"""

from __future__ import annotations

import re

# A field name run into the subject, even glued to its last word ("PRIMEREF:", "CAIROClassified By:").
_RUN_ON = re.compile(r"(?P<ref>REF(?:S|TELS?|\(S\))?\s*:|\b[Rr]ef(?:s|tels?|\(s\))?\s*:)"
                     r"|(?P<classified>(?i:Classified\s+By\s*:))"
                     r"|(?P<notice>\s(?:Sensitive\s+but\b|SENSITIVE\s+BUT\s+UNCLASSIFIED\b))")
_CLASSIFIED_LABEL = re.compile(r"Classified\s+By\s*:", re.I)
_NUMBERED_LEAD = re.compile(r"^¶?\d{1,2}\s*\.\s*(?:\(|[A-Z])")
_PAGE_LINE = re.compile(r"^(?:(?:UNCLAS\w*|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\s+)?PAGE\s+\d{1,3}\b", re.I)
_TAGS_LINE = re.compile(r"[A-Z][A-Z0-9/&(),. -]*")
_LOWER = re.compile(r"[a-z]")
_UPPER = re.compile(r"[A-Z]")
_HYPHEN_END = re.compile(r"[A-Za-z0-9]-$")
_SPACES = re.compile(r"\s+")
# A label: a word and a colon (";" "," for TAGS) at the line's start or after a date or "N/A".
_LABEL = re.compile(r"(?:^|(?<=[\d./)A]\s))(?P<word>[A-Za-z]{3,8})\s*(?P<sep>[:;,])")
_LABELS = {"TAGS": "TAGS", "SUBJECT": "SUBJECT"}
_MAX_TAGS_LINE_WORDS = 16


def join_wrapped(parts: list[str]) -> str:
    """Join a field's lines; a line ending in a hyphen runs on without a space (``US-`` ``LATIN``)."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        out = out + part if _HYPHEN_END.search(out) else f"{out} {part}" if out else part
    return _SPACES.sub(" ", out).strip()


def cut_subject(text: str) -> tuple[str, dict[str, str]]:
    """The subject before a field or notice that runs on, and the run-on fields' values.

    ``ENERGY INSTALLATIONS REF: BRASILIA 861`` -> ``('ENERGY INSTALLATIONS', {'REF': 'BRASILIA 861'})``.
    """
    match = _RUN_ON.search(text)
    if not match:
        return text, {}
    subject, rest = text[: match.start()].rstrip(), text[match.start():]
    spill: dict[str, str] = {}
    if match.group("ref"):
        value = rest[len(match.group("ref")):]
        classified = _CLASSIFIED_LABEL.search(value)
        if classified:
            spill["CLASSIFIED"] = value[classified.end():].strip()
            value = value[: classified.start()]
        spill["REF"] = value.strip()
    elif match.group("classified"):
        spill["CLASSIFIED"] = rest[len(match.group("classified")):].strip()
    return subject, spill


def continues(key: str, parts: list[str], line: str) -> bool:
    """Whether ``line`` (no field name on it) continues the field ``key`` read so far."""
    if _PAGE_LINE.match(line):
        return False
    if key == "TAGS":
        return _continues_tags(parts, line)
    if key == "SUBJECT":
        if _NUMBERED_LEAD.match(line):
            return False
        so_far = " ".join(parts)
        # an all-capital subject does not go on into a sentence in mixed case
        return not (_UPPER.search(so_far) and not _LOWER.search(so_far) and _LOWER.search(line))
    return True


def _continues_tags(parts: list[str], line: str) -> bool:
    """A TAGS value wraps after a comma, or onto a line of capital codes (``NATO, UK, CN``)."""
    so_far = " ".join(parts).rstrip()
    if so_far.endswith(","):
        return True
    return bool(_TAGS_LINE.fullmatch(line)) and len(line.split()) <= _MAX_TAGS_LINE_WORDS


def misspelt_label(line: str) -> tuple[int, int, str] | None:
    """``TGS: GOV, PREL`` -> ``(0, 4, 'TAGS')``: a TAGS or SUBJECT name one letter off.

    The name must open the line or follow a date or ``N/A`` (``DECL: 08/22/2017 AGS: PGOV``) and be
    followed by a colon (TAGS also by ``;`` or ``,``); one letter left out, added or changed."""
    if ":" not in line and ";" not in line and "," not in line:
        return None  # most lines: no label at all
    for match in _LABEL.finditer(line):
        word = match.group("word").upper()
        for label, key in _LABELS.items():
            if word != label and _one_edit(word, label) and (match.group("sep") == ":" or key == "TAGS"):
                return match.start(), match.end(), key
    return None


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one letter added, left out or changed."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


__all__ = ["continues", "cut_subject", "join_wrapped", "misspelt_label"]
