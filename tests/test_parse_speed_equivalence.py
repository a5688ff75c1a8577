"""The fast paths of parse and enrich give what the plain code they replace gives.

Each test sets a shortcut (a substring test before a regex, a search tried only at a word, texts
joined for one scan) against the straightforward form, on texts made of tokens that hit the
edge cases: words run into other words, case variants, characters whose case mapping changes
the length of the text (``ß``, ``İ``), the long s that matches ``s`` case-blind.
"""

from __future__ import annotations

import random
import re
import string
from collections import Counter

import pytest

from generator.enrich import _matchers
from generator.enrich.config import load_tables
from generator.enrich.countries import _mostly_capitals
from generator.enrich.topics import _fold
from generator.enrich.trie import whole_words
from generator.parse.artifacts import (
    _NUMBERED_PAGE,
    _numbered_pages,
    clean_telegram,
    strip_numbered_page_headers,
    strip_old_page_headers,
)
from generator.parse.body import (
    _CLOSED_BLOCK,
    _closed_blocks,
    find_paragraph_starts,
    first_paragraph_start,
    is_artifact,
)
from generator.parse.header import PAGE_HEADER, SECTION_HEADER
from generator.parse.markings import classification_from_line

_TOKENS = [
    " ", " ", " ", "  ", "\t", "\n", "\n\n", ".", ",", "(", ")", ":", "-", "--", "x", "ab", "The", "said",
    "BRASILIA", "USNATO", "00000043", "000000431", "004", "002.", "2", "OF", "of", "003",
    "Comment", "COMMENT", "comment", "Note", "NOTE", "note", "End", "END", "end", "of", "OF",
    "Summary", "SUMMARY", "ſummary", "ß", "İ", "ς", "Σ", "1.", "2.", "(C)", "(S//NF)", "(a)", "¶",
    "SECRET", "S E C R E T", "CONFIDENTIAL", "UNCLAS", "SECTION 01 OF 02", "PAGE 02 HARARE 06677 01 OF 03 291400Z",
    "SIPDIS", "NNNN", "BT", "terrorism", "counterterrorism", "al qaeda", "arms control", "Turkey", "TURKEY",
    "nuclear weapons", "START", "IAEA", "é", "ü",
    "00000043 004 OF 004", "00000043 002.\n 2 OF 003", " 004 OF 004", "Comment:", "(Comment:", "note.", "End Comment",
    "END NOTE", "end of note", "Summary:", "End Summary",
]


def _texts(count: int, seed: int, length: int = 40) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_TOKENS) for _ in range(rng.randint(0, length))) for _ in range(count)]


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


@pytest.mark.parametrize("seed", range(3))
def test_numbered_pages_as_finditer(seed: int) -> None:
    texts = [*_texts(3000, seed), "BRASILIA 00000043 004 OF 004", "x00000043 004 OF 004 00000043 004 OF 004",
             "USNATO 00000464 002.\n\n2 OF 003 text", ".00000043 004 OF 004"]
    for text in texts:
        assert _spans(_numbered_pages(text)) == _spans(_NUMBERED_PAGE.finditer(text)), text


@pytest.mark.parametrize("seed", range(3))
def test_closed_blocks_as_finditer(seed: int) -> None:
    texts = [*_texts(3000, seed), "(Comment: a (b) c. End Comment.)", "xnote: a. End note. Note: b. END NOTE",
             "ß Comment: a. End comment.", "(NOTE. (Comment: x End comment) end note)"]
    for text in texts:
        assert _spans(_closed_blocks(text, text.upper())) == _spans(_CLOSED_BLOCK.finditer(text)), text


def _is_artifact_before(line: str) -> bool:
    """is_artifact as it was written before its word tests."""
    stripped = line.strip()
    if not stripped:
        return False
    if SECTION_HEADER.match(line) or stripped in ("SIPDIS", "NNNN", "BT"):
        return True
    if PAGE_HEADER.match(line) and not PAGE_HEADER.sub("", line).strip():
        return True
    if len(stripped) <= 80 and stripped[0] in "CSTUcstu" and classification_from_line(stripped):
        rest = re.sub(r"^(?:[A-Z]{1,2}(?: [A-Z]){3,}|[A-Z]+(?://[A-Z ]+)?)", "", stripped).strip()
        return rest == "" or bool(re.match(r"^(?:SECTION \d+ OF \d+|[A-Z]{3}\d{3,5}$)", rest))
    return False


def _classification_before(line: str) -> str | None:
    """classification_from_line as it was written before its quick rejection."""
    spaced = re.match(r"^\s*([A-Z]{1,2}(?:\s[A-Z]){3,})\b(?P<rest>.*)$", line, re.I)
    if spaced:
        word = spaced.group(1).replace(" ", "").upper()
        levels = ("TOP SECRET", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "UNCLAS")
        if len(word) > 1 and word[0] == word[1] and word[1:].startswith(levels):
            word = word[1:]
        text = word + ("//NOFORN" if "NOFORN" in spaced.group("rest").upper() else "")
    else:
        text = line.strip().split("SECTION")[0]
    text = text.strip().upper()
    head = re.match(r"^(TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS)\b(.*)$", text)
    if not head:
        return None
    level = "UNCLASSIFIED" if head.group(1) == "UNCLAS" else head.group(1)
    if "NOFORN" in head.group(2):
        level += "//NOFORN"
    elif re.search(r"FOR OFFICIAL USE ONLY|//\s*FOUO|\bSENSITIVE\b", head.group(2)) and level == "UNCLASSIFIED":
        level += "//FOR OFFICIAL USE ONLY"
    return level


def test_line_tests_as_before() -> None:
    lines = [line for text in _texts(4000, 7, 8) for line in text.split("\n")]
    lines += ["ſECRET", "  S E C R E T SECTION 01 OF 02", "SECRET//NOFORN", "UNCLAS SECTION 01 OF 05 KABUL 003934",
              "CO N F I D E N T I A L", "PAGE 02 HARARE 06677 01 OF 03 291400Z", "BRASILIA 00000043 004 OF 004"]
    for line in lines:
        assert classification_from_line(line) == _classification_before(line), line
        assert is_artifact(line) == _is_artifact_before(line), line


def test_cleaning_as_before() -> None:
    for text in _texts(2000, 11):
        lines = strip_numbered_page_headers(text, "09BRASILIA43").split("\n")
        before = [re.sub(r"^(\s*)SIPDIS\s+(?=\S)", r"\1", line) for line in strip_old_page_headers(lines)]
        assert clean_telegram(text, "09BRASILIA43") == before


def test_first_paragraph_start_is_the_first_of_all() -> None:
    rng = random.Random(5)
    shapes = ["1. (C) text.", "2. (S) more", "1. text", "2. text", "3. (a) list", "", "heading", "end.",
              "¶1. (SBU) x", "4.(C) y", "----", "SECRET", "0. (C) zero", "1.5 percent", "12. text"]
    for _ in range(3000):
        lines = [rng.choice(shapes) for _ in range(rng.randint(0, 12))]
        starts = find_paragraph_starts(lines)
        assert first_paragraph_start(lines) == (starts[0] if starts else None), lines


def test_fold_and_capitals_as_before() -> None:
    drop_lower = str.maketrans("", "", string.ascii_lowercase)
    drop_upper = str.maketrans("", "", string.ascii_uppercase)
    for text in [*_texts(3000, 3), " a", "a ", "a\x1fb", "a\u00a0b", "\ud800 Abc"]:
        assert _fold(text) == " ".join(text.split()), text
        lower = len(text) - len(text.translate(drop_lower))
        upper = len(text) - len(text.translate(drop_upper))
        assert _mostly_capitals(text) == (lower + upper >= 20 and upper > 4 * lower), text


def test_keyword_hits_as_text_by_text() -> None:
    matcher = _matchers(load_tables())[1]
    rng = random.Random(9)
    texts = _texts(600, 13, 60)
    for _ in range(200):
        chosen = rng.sample(texts, rng.randint(0, 6))
        expected: Counter[str] = Counter()
        for text in chosen:
            folded = " ".join(text.split())
            for pattern, subject in ((matcher.plain, folded.lower()), (matcher.acronyms, folded)):
                if pattern is not None:
                    for match in whole_words(pattern, subject):
                        expected.update(matcher.topics_of_keyword.get(match.group(0), ()))
        assert matcher.keyword_hits(chosen) == expected
