"""The TAGS value of a cable as a list of entries.

Real TAGS lines come in every shape: commas or spaces between codes, codes run together
(``PHUMBA``), free text (``HUMAN RIGHTS``), a person after OVIP (``OVIP (CLINTON, HILLARY)`` or
``OVIP BIDEN JOSEPH``), handling words (SIPDIS) and page headers of the next page glued in, typos
(``MOPPS``). The rules here read each shape; what needs knowledge of the codes (which codes exist,
which misspellings a publisher has corrected) comes in a ``TagRules`` built from site_config/.

Everything is one pass over the text (no rescans, no list membership tests), so a TAGS value of a
megabyte costs milliseconds; more than ``MAX_TAGS`` entries are cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from .tag_phrases import CountryWords, split_phrases

PERSON_TAGS = frozenset({"OVIP", "OREP", "OPDC"})  # tags followed by a person's name
MAX_TAGS = 300  # real cables carry a few dozen at most; more is a broken line, cut to keep pages sane
_HANDLING = frozenset({"SIPDIS", "NOFORN", "EXDIS", "NODIS", "LIMDIS", "STADIS", "ORCON", "PROPIN"})
_TAG_CODE = re.compile(r"[A-Z]{2}|[ABCEKMOPST][A-Z]{3}")  # country or subject code shapes
_SUBJECT_SHAPE = re.compile(r"[ABCEKMOPST][A-Z]{3}")
# The header of a telegram's next page run into the line: "IT   UNCLASSIFIED   PAGE 02   ROME 01059 ...".
_PAGE_HEADER = re.compile(r"\s(?:(?:UNCLAS\w*|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\s+)?PAGE\s+\d{1,3}\b", re.I)
_SPACES = re.compile(r"\s+")
_LETTERS = re.compile(r"[A-Z]+")
_PHRASE_WORD = 6  # free text has a word this long ("TIP IN TURKEY"); "CIA INRA INRO" are codes
_GLUE_MIN = 6  # shortest run of codes that is split (two letters plus a four-letter code)


@dataclass(frozen=True)
class TagRules:
    """What site_config/ knows about TAGS: the codes that exist, the publisher's corrections and
    the countries' names (where free text typed without commas changes entry)."""

    known: frozenset[str] = frozenset()
    corrections: Mapping[str, str] = field(default_factory=dict)  # as written (upper case) -> entry
    countries: CountryWords = field(default_factory=CountryWords)


@dataclass
class TagList:
    """The entries of a TAGS value and whether it had to be cut at ``MAX_TAGS``."""

    tags: list[str]
    cut_from: int = 0  # distinct entries the value held when it was cut (0: not cut)


def split_tags(text: str, rules: TagRules | None = None) -> list[str]:
    """``PGOV, PREL, OVIP (CLINTON, HILLARY)`` -> ``['PGOV', 'PREL', 'OVIP', 'CLINTON, HILLARY']``."""
    return read_tags(text, rules).tags


def read_tags(text: str, rules: TagRules | None = None) -> TagList:
    """The TAGS entries, upper-cased, each kept once in order, at most ``MAX_TAGS`` of them."""
    rules = rules or TagRules()
    page = _PAGE_HEADER.search(text)
    if page:  # what follows a page break is the next page's header and repeats: never tags
        text = text[: page.start()]
    seen: dict[str, None] = {}
    beyond: set[str] = set()  # distinct entries past the cut, counted for the warning
    for entry in _entries(text.upper().replace(";", ","), rules):
        entry = rules.corrections.get(entry, entry)
        if entry and entry not in seen:
            if len(seen) < MAX_TAGS:
                seen[entry] = None
            else:
                beyond.add(entry)
    return TagList(list(seen), len(seen) + len(beyond) if beyond else 0)


def _entries(text: str, rules: TagRules) -> Iterator[str]:
    """The entries of each comma-separated part, a parenthesised person name kept whole."""
    for part, name in _parts(text):
        words = [w.strip(".:,") for w in part.split()]
        words = [w for w in words if w and w not in _HANDLING]
        if name is not None:
            head = words.pop() if words else ""
            yield from _space_list(words, rules)
            if head in PERSON_TAGS:
                yield head
                yield name
            else:
                yield f"{head} ({name})".strip()
        else:
            yield from _space_list(words, rules)


def _parts(text: str) -> Iterator[tuple[str, str | None]]:
    """``A B, C (D, E), F`` -> ``('A B', None), ('C', 'D, E'), ('F', None)``: one linear scan."""
    start = 0
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == ",":
            yield text[start:index], None
            start = index + 1
        elif char == "(":
            close = text.find(")", index)
            close = length if close < 0 else close
            yield text[start:index], _SPACES.sub(" ", text[index + 1:close]).strip(" ,")
            start = index = close + 1
            continue
        index += 1
    yield text[start:], None


def _space_list(words: list[str], rules: TagRules) -> Iterator[str]:
    """Codes one by one, a person's name after a person tag, a run of free words as one entry.

    ``OVIP BIDEN JOSEPH PREL`` -> ``OVIP``, ``BIDEN, JOSEPH``, ``PREL``; ``KJUS TIP IN TURKEY`` ->
    ``KJUS``, ``TIP IN TURKEY`` (one code-shaped word between free words belongs to the phrase). A run
    of words none longer than five letters is codes, not text: ``CIA INRA INRO`` are three entries."""
    glued = [_glued(word, rules) for word in words]  # once per word: the tests below reuse it
    kinds = [word in rules.known or word in rules.corrections or bool(_TAG_CODE.fullmatch(word)) or len(parts) > 1
             for word, parts in zip(words, glued, strict=True)]
    index = 0
    while index < len(words):
        word = words[index]
        if word in PERSON_TAGS:
            yield word
            index += 1
            name: list[str] = []
            while index < len(words) and not _ends_name(words[index], kinds[index], glued[index], rules) and (
                    len(name) < 2 or (len(name) == 2 and len(words[index]) == 1)):
                name.append(words[index])
                index += 1
            if name:
                yield f"{name[0]}, {' '.join(name[1:])}" if len(name) > 1 else name[0]
            continue
        if kinds[index]:
            yield from glued[index] or [word]
            index += 1
            continue
        end = index + 1  # a phrase: free words, and code-shaped words between them
        last_free = index
        while end < len(words) and words[end] not in PERSON_TAGS:
            if not kinds[end]:
                last_free = end
            elif end + 1 < len(words) and kinds[end + 1]:
                break  # two codes in a row: the phrase ended before them
            end += 1
        run = words[index:last_free + 1]
        if any(len(w) >= _PHRASE_WORD for w in run):
            yield from split_phrases(run, rules.countries, rules.known)  # one or more free-text entries
        else:  # short capital words only: codes not in the tables (CIA INRA INRO), one by one
            for offset, code in enumerate(run):
                yield from glued[index + offset] or [code]
        index = last_free + 1


def _ends_name(word: str, is_code: bool, glued: list[str], rules: TagRules) -> bool:
    """A code after a person's name; with known codes, only those (BUSH is code-shaped, not a code)."""
    return (word in rules.known or len(glued) > 1) if rules.known else is_code


def _glued(word: str, rules: TagRules) -> list[str]:
    """``PHUMBA`` -> ``['PHUM', 'BA']``; ``[]`` when the word is not codes run together.

    A split is taken only when every piece is a known code or a four-letter subject-code shape,
    at least one piece is a known code of four letters or more, and known pieces outnumber the
    unknown ones (so ``UNESCO``, ``REPORT`` or ``ECONOMIC`` stay whole). Linear in the word."""
    if len(word) < _GLUE_MIN or word in rules.known or not rules.known or not _LETTERS.fullmatch(word):
        return []
    # best[i] for word[:i]: (weight, -pieces, known minus unknown pieces, known of 4+ letters, start of
    # the last piece). A known code weighs its length (two letters: 1), an unknown subject shape 2: so
    # CVIS is not CV + IS, and ECIN (unknown) is not EC + IN, the fewer pieces winning a tie.
    best: list[tuple[int, int, int, int, int] | None] = [None] * (len(word) + 1)
    best[0] = (0, 0, 0, 0, -1)
    for end in range(2, len(word) + 1):
        choice = None
        for size in (2, 3, 4, 5, 6):
            start = end - size
            before = best[start] if start >= 0 else None
            if before is None:
                continue
            piece = word[start:end]
            known = piece in rules.known
            if not known and not (size == 4 and _SUBJECT_SHAPE.fullmatch(piece)):
                continue
            weight = (1 if size == 2 else size) if known else 2
            candidate = (before[0] + weight, before[1] - 1, before[2] + (1 if known else -1),
                         before[3] + (known and size >= 4), start)
            if choice is None or candidate[:2] > choice[:2]:
                choice = candidate
        best[end] = choice
    result = best[len(word)]
    if result is None or result[2] <= 0 or result[3] == 0:
        return []
    pieces: list[str] = []
    end = len(word)
    while end > 0:
        start = best[end][4]  # type: ignore[index]
        pieces.append(word[start:end])
        end = start
    return pieces[::-1]


__all__ = ["MAX_TAGS", "PERSON_TAGS", "TagList", "TagRules", "read_tags", "split_tags"]
