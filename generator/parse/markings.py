"""Classification markings: paragraph portion marks like ``(C)`` and overall levels.

Kept in one place because the body parser, the header parser and the inference of a cable's
overall classification must agree on what a marking is.
"""

from __future__ import annotations

import functools
import re

# Levels and caveats seen in portion marks: (U), (SBU), (C), (S), (TS), (C/NF), (S//NF),
# (S/REL GBR), (SBU/NF), (FOUO), (U//FOUO), (C-NF) ... A releasability caveat names who may
# read the text: countries or alliances, maybe after "TO", separated by commas, the last maybe
# after "AND": (S/REL NATO), (S/Rel to Ukraine), (S//REL TO USA, FVEY), (C/rel to UN),
# (S/REL FRANCE, BRITAIN, TURKEY, SAUDI ARABIA, JORDAN, AND QATAR).
_LEVEL = r"(?:TS|S|C|U|SBU|FOUO|LOU|CUI|UNCLAS|CONF|SECRET|CONFIDENTIAL)"
_READER = r"[A-Z]{2,}(?: [A-Z]{2,})*"  # USA, NATO, SAUDI ARABIA (spaces are single once cleaned)
_RELEASE = rf"REL(?:\s+{_READER}(?:\s*,\s*(?:AND\s+)?{_READER})*)?"
_CAVEAT = (rf"(?:NF|NOFORN|{_RELEASE}|ORCON|OC|FOUO|SBU|PROPIN|FGI"
           r"|EXDIS|NODIS|LIMDIS|SI|TK|HCS|G)")
# Between level and caveats a slash, two, or a dash; a single space only right after the level,
# as in (C NF): inside a releasability list a space separates the words of a name.
MARKING_BODY = rf"{_LEVEL}(?:(?:\s*(?:/{{1,2}}|-)\s*|\s)(?:{_CAVEAT}))?(?:\s*(?:/{{1,2}}|-)\s*{_CAVEAT})*"
MARKING_RE = re.compile(rf"^{MARKING_BODY}$")
_SPACES = re.compile(r"\s+")
_SEPARATOR = re.compile(r"\s*(/{1,2}|-)\s*")
_LEVEL_DASH_WORD = re.compile(rf"{_LEVEL}-[A-Z]+")
_LEVEL_SPACE = re.compile(rf"^({_LEVEL}) (?=[A-Z])")
# The 1970s form "(C - ENTIRE TEXT)": the level stated once for the whole cable.
_ENTIRE_TEXT = re.compile(rf"^({_LEVEL})\s*-\s*ENTIRE TEXT$")
# A level run into NOFORN without a separator: (SNF), (CNF).
_GLUED_NOFORN = re.compile(r"^(TS|S|C)NF$")
_LEVEL_SPLIT = re.compile(r"[/\- ]")
_NOFORN_WORD = re.compile(r"\b(NF|NOFORN)\b")
_LEVEL_HEAD = re.compile(r"^(TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS)\b(.*)$")
_FOUO = re.compile(r"FOR OFFICIAL USE ONLY|//\s*FOUO|\bSENSITIVE\b")
PAREN_MARKING = re.compile(rf"\(\s*({MARKING_BODY})\s*\)", re.I)

_LEVEL_RANK = {"U": 0, "UNCLAS": 0, "SBU": 1, "FOUO": 1, "LOU": 1, "CUI": 1,
               "C": 2, "CONF": 2, "CONFIDENTIAL": 2, "S": 3, "SECRET": 3, "TS": 4}
_RANK_NAME = {0: "UNCLASSIFIED", 1: "UNCLASSIFIED//FOR OFFICIAL USE ONLY", 2: "CONFIDENTIAL",
              3: "SECRET", 4: "TOP SECRET"}


@functools.lru_cache(maxsize=4096)
def normalise_marking(text: str) -> str | None:
    """``s//nf`` -> ``S/NF``, ``S//Rel NATO,ISAF`` -> ``S/REL NATO, ISAF``, ``C NF`` -> ``C/NF``,
    ``C - ENTIRE TEXT`` -> ``C``; None when the text is not a portion marking.

    Cached: a cable repeats the same few marks (``C``, ``SBU``) in every paragraph.
    """
    cleaned = _SPACES.sub(" ", text.strip().upper())
    entire = _ENTIRE_TEXT.match(cleaned)
    if entire:
        return entire.group(1)
    glued = _GLUED_NOFORN.match(cleaned)
    if glued:
        return f"{glued.group(1)}/NF"
    cleaned = _SEPARATOR.sub(lambda m: "/" if "/" in m.group(1) else "-", cleaned)
    if not MARKING_RE.match(cleaned):
        return None
    cleaned = _LEVEL_SPACE.sub(r"\1/", cleaned).replace(" ,", ",").replace(",", ", ").replace(",  ", ", ")
    return cleaned.replace("-", "/") if _LEVEL_DASH_WORD.fullmatch(cleaned) else cleaned


def marking_rank(marking: str) -> int:
    level = _LEVEL_SPLIT.split(marking, maxsplit=1)[0]
    return _LEVEL_RANK.get(level, 0)


def overall_from_markings(markings: list[str]) -> str | None:
    """The overall classification a set of portion marks implies: the highest one, +NOFORN."""
    if not markings:
        return None
    rank = max(marking_rank(m) for m in markings)
    name = _RANK_NAME[rank]
    if rank >= 2 and any(_NOFORN_WORD.search(m) for m in markings):
        name += "//NOFORN"
    return name


_SPACED = re.compile(r"^\s*([A-Z]{1,2}(?:\s[A-Z]){3,})\b(?P<rest>.*)$", re.I)
_LEVEL_WORDS = ("TOP SECRET", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "UNCLAS")
_LEVEL_STARTS = ("TOP SECRET", "SECRET", "CONFIDENTIAL", "UNCLAS")  # the longest is 12 characters


def _collapse_spaced(letters: str) -> str:
    """``S E C R E T`` -> ``SECRET``; the release's slips ``SS E C R E T``, ``CO N F ...`` too."""
    word = letters.replace(" ", "").upper()
    if len(word) > 1 and word[0] == word[1] and word[1:].startswith(_LEVEL_WORDS):
        word = word[1:]
    return word


def _may_state_level(line: str) -> bool:
    """False for lines that cannot be classification lines, found without a regex (most lines).

    A spaced level has white space after its first one or two letters; any other starts with a
    level word once upper-cased, and upper-casing the first 12 characters gives (at least) the
    first 12 of the whole line's upper case.
    """
    text = line.lstrip()
    return text[1:2].isspace() or text[2:3].isspace() or text[:12].upper().startswith(_LEVEL_STARTS)


def classification_from_line(line: str) -> str | None:
    """The level stated by a classification line: ``C O N F I D E N T I A L SECTION 01 OF 02``."""
    if not _may_state_level(line):
        return None
    spaced = _SPACED.match(line)
    if spaced:
        rest = spaced.group("rest")
        text = _collapse_spaced(spaced.group(1)) + ("//NOFORN" if "NOFORN" in rest.upper() else "")
    else:
        text = line.strip().split("SECTION")[0]
    text = text.strip().upper()
    head = _LEVEL_HEAD.match(text)
    if not head:
        return None
    level = "UNCLASSIFIED" if head.group(1) == "UNCLAS" else head.group(1)
    rest = head.group(2)
    if "NOFORN" in rest:
        level += "//NOFORN"
    elif _FOUO.search(rest) and level == "UNCLASSIFIED":
        level += "//FOR OFFICIAL USE ONLY"
    return level


__all__ = [
    "MARKING_BODY",
    "PAREN_MARKING",
    "classification_from_line",
    "normalise_marking",
    "overall_from_markings",
]
