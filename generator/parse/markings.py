"""Classification markings: paragraph portion marks like ``(C)`` and overall levels.

Kept in one place because the body parser, the header parser and the inference of a cable's
overall classification must agree on what a marking is.
"""

from __future__ import annotations

import re

# Levels and caveats seen in portion marks: (U), (SBU), (C), (S), (TS), (C/NF), (S//NF),
# (S/REL GBR), (SBU/NF), (FOUO), (U//FOUO), (C-NF) ...
_LEVEL = r"(?:TS|S|C|U|SBU|FOUO|LOU|CUI|UNCLAS|CONF|SECRET|CONFIDENTIAL)"
_CAVEAT = (r"(?:NF|NOFORN|REL(?:\s+[A-Z]{2,3}(?:\s*,\s*[A-Z]{2,3})*)?|ORCON|OC|FOUO|SBU|PROPIN|FGI"
           r"|EXDIS|NODIS|LIMDIS|SI|TK|HCS|G)")
MARKING_BODY = rf"{_LEVEL}(?:\s*(?:/{{1,2}}|-)\s*{_CAVEAT})*"
MARKING_RE = re.compile(rf"^{MARKING_BODY}$")
PAREN_MARKING = re.compile(rf"\(\s*({MARKING_BODY})\s*\)", re.I)

_LEVEL_RANK = {"U": 0, "UNCLAS": 0, "SBU": 1, "FOUO": 1, "LOU": 1, "CUI": 1,
               "C": 2, "CONF": 2, "CONFIDENTIAL": 2, "S": 3, "SECRET": 3, "TS": 4}
_RANK_NAME = {0: "UNCLASSIFIED", 1: "UNCLASSIFIED//FOR OFFICIAL USE ONLY", 2: "CONFIDENTIAL",
              3: "SECRET", 4: "TOP SECRET"}


def normalise_marking(text: str) -> str | None:
    """``s//nf`` -> ``S/NF``; None when the text is not a portion marking."""
    cleaned = re.sub(r"\s+", " ", text.strip().upper())
    cleaned = re.sub(r"\s*(/{1,2}|-)\s*", lambda m: "/" if "/" in m.group(1) else "-", cleaned)
    if not MARKING_RE.match(cleaned):
        return None
    return cleaned.replace("-", "/") if re.fullmatch(rf"{_LEVEL}-[A-Z]+", cleaned) else cleaned


def marking_rank(marking: str) -> int:
    level = re.split(r"[/\- ]", marking, maxsplit=1)[0]
    return _LEVEL_RANK.get(level, 0)


def overall_from_markings(markings: list[str]) -> str | None:
    """The overall classification a set of portion marks implies: the highest one, +NOFORN."""
    if not markings:
        return None
    rank = max(marking_rank(m) for m in markings)
    name = _RANK_NAME[rank]
    if rank >= 2 and any(re.search(r"\b(NF|NOFORN)\b", m) for m in markings):
        name += "//NOFORN"
    return name


_SPACED = re.compile(r"^\s*([A-Z]{1,2}(?:\s[A-Z]){3,})\b(?P<rest>.*)$", re.I)
_LEVEL_WORDS = ("TOP SECRET", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "UNCLAS")


def _collapse_spaced(letters: str) -> str:
    """``S E C R E T`` -> ``SECRET``; the release's slips ``SS E C R E T``, ``CO N F ...`` too."""
    word = letters.replace(" ", "").upper()
    if len(word) > 1 and word[0] == word[1] and word[1:].startswith(_LEVEL_WORDS):
        word = word[1:]
    return word


def classification_from_line(line: str) -> str | None:
    """The level stated by a classification line: ``C O N F I D E N T I A L SECTION 01 OF 02``."""
    spaced = _SPACED.match(line)
    if spaced:
        rest = spaced.group("rest")
        text = _collapse_spaced(spaced.group(1)) + ("//NOFORN" if "NOFORN" in rest.upper() else "")
    else:
        text = line.strip().split("SECTION")[0]
    text = text.strip().upper()
    head = re.match(r"^(TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS)\b(.*)$", text)
    if not head:
        return None
    level = "UNCLASSIFIED" if head.group(1) == "UNCLAS" else head.group(1)
    rest = head.group(2)
    if "NOFORN" in rest:
        level += "//NOFORN"
    elif re.search(r"FOR OFFICIAL USE ONLY|//\s*FOUO|\bSENSITIVE\b", rest) and level == "UNCLASSIFIED":
        level += "//FOR OFFICIAL USE ONLY"
    return level


__all__ = [
    "MARKING_BODY",
    "PAREN_MARKING",
    "classification_from_line",
    "normalise_marking",
    "overall_from_markings",
]
