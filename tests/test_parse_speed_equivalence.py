"""The fast paths of parse and enrich give what the plain code they replace gives.

Each test sets a shortcut (a substring test before a regex, a search tried only at a word, texts
joined for one scan) against the straightforward form, on texts made of tokens that hit the
edge cases: words run into other words, case variants, characters whose case mapping changes
the length of the text (``ß``, ``İ``), the long s that matches ``s`` case-blind.

The whole-word searches of enrich (topic keywords, country forms) are set against a plain search
that tries every position: whole-word occurrences, leftmost first, the longest at a position,
not overlapping.
"""

from __future__ import annotations

import random
import re
import string
from collections import Counter
from collections.abc import Collection

import pytest

from generator.enrich import _matchers
from generator.enrich.config import load_tables
from generator.enrich.countries import CountryMatcher, _mostly_capitals
from generator.enrich.topics import _fold, _is_acronym
from generator.enrich.trie import WordFinder
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
              "¶1. (SBU) x", "4.(C) y", "----", "SECRET", "0. (C) zero", "1.5 percent", "12. text",
              "SUBJECT: A B", "REF: STATE 1", "1. Run In: text", "1. STATE 12345", "--- HEADING ---", "end.\u201d",
              "1. (S/REL NATO) x", "1. (Iran) x", "1.  (S//REL CHINA,", "KAZAKHSTAN) text", "REF:", "2. text",
              "2. (C) x", "1. PARIS FR 000087", "B. ANKARA 45"]
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


# For the whole-word searches: words glued to letters, digits and to each other, and characters
# whose class is easy to get wrong. Letters and digits beyond ASCII (ß, İ, final and capital
# sigma, long s, a combining acute, Arabic-Indic and superscript digits, a fraction), beyond
# the Basic Multilingual Plane (a mathematical capital, a CJK ideograph); separators: the
# underscore, a no-break space, curly quotes, dashes, an emoji beyond the plane, a lone surrogate.
_GLUE = ["x", "ab", "7", "S", "é", "ß", "İ", "ς", "Σ", "ſ", "\u0301", "\u0663", "²", "½", "𝐀", "\U00020000",
         "_", "\u00a0", "’", "“", "–", "—", "😀", "\ud800"]
_SEPARATORS = [" ", " ", " ", "\n", ".", ",", "-", "(", ")", "/", "'", ": "]
# Words of the tables that the tests name, and context the country guards look for.
_NAMED = ["nato", "russia", "NATO", "Russia", "nato russia", "arms control", "geostrategic", "missile defense",
          "START", "start", "IAEA", "Turkey", "TURKEY", "turkey", "Jordan", "JORDAN", "Chad", "Georgia", "GEORGIA",
          "Georgian", "Michael", "Mr.", "MR.", "the", "The", "Atlanta", "Governor", "Tbilisi", "U.S.", "U.S.A.",
          "D.P.R.K.", "Congo (Kinshasa)", "Côte d’Ivoire", "Equatorial Guinea", "EQUATORIAL GUINEA", "Guinea",
          "GUINEA", "Papua New Guinea", "New Mexico", "Mexico", "Mexico City", "Niger", "Nigeria", "Türkiye",
          "São Tomé and Príncipe", "Åland"]
# What the country guards look at: the guarded forms, names, titles, words of the US state.
_GUARDED = ["Jordan", "JORDAN", "Chad", "Chadian", "Georgia", "GEORGIA", "Georgian", "Michael", "Smith", "Mr.", "MR.",
            "Sen.", "the", "The", "and", "Atlanta", "Governor", "Tbilisi", "Syria", "x"]
# Words of no table: ones that start or end with no letter or digit (which rule out the
# separators-first scan), a word in another that has a separator inside, one-letter words.
_OWN_WORDS = ["nato", "russia", "nato russia", "missile defense", "defense ministry", "u.s.", "u.s", "x-", "x",
              "ab", "ß", "ſt", "ς", "σ", "İ", "\u0663", "(x)", ".net", "_x", "😀", "a\u0301"]


def _whole_words(words: Collection[str], text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of each whole-word occurrence of ``words`` in ``text``, the plain way: at
    each position that follows no letter or digit, the longest word there that no letter or digit
    follows; after a word found, on from its end."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        if word:
            by_first.setdefault(word[0], []).append(word)
    found: list[tuple[str, int, int]] = []
    start = 0
    while start < len(text):
        word = None if start and text[start - 1].isalnum() else _longest_at(by_first.get(text[start], []), text, start)
        if word is None:
            start += 1
            continue
        found.append((word, start, start + len(word)))
        start += len(word)
    return found


def _longest_at(longest_first: list[str], text: str, start: int) -> str | None:
    """The first of ``longest_first`` at ``text[start:]`` that no letter or digit follows."""
    for word in longest_first:
        end = start + len(word)
        if text.startswith(word, start) and (end == len(text) or not text[end].isalnum()):
            return word
    return None


def _word_tokens(seed: int) -> list[str]:
    """Words named above, a sample of the country forms and topic keywords (as written and in
    capitals), some cut short, so that texts hold whole words, words in words and near misses."""
    country_matcher, topic_matcher = _matchers(load_tables())
    rng = random.Random(seed)
    words = [*_NAMED, *_OWN_WORDS, *rng.sample(sorted(country_matcher.meaning), 40),
             *rng.sample(sorted(topic_matcher.topics_of_keyword), 20)]
    cut_short = [word[:len(word) // 2 + 1] for word in rng.sample(words, 20)]
    return [*words, *(word.upper() for word in rng.sample(words, 20)), *cut_short]


def _word_texts(count: int, seed: int, length: int = 24) -> list[str]:
    """Texts of words, separators and glue; a third in ASCII, a third within the Basic
    Multilingual Plane, a third reaching beyond it (each kind is searched with its own classes)."""
    rng = random.Random(seed)
    words = _word_tokens(seed)
    texts = []
    for number in range(count):
        tokens = [[*_SEPARATORS, *_SEPARATORS], words, _GLUE]
        if number % 3 < 2:
            plane = (lambda token: token.isascii()) if number % 3 == 0 else (lambda token: max(token) < "\U00010000")
            tokens = [[token for token in kind if plane(token)] for kind in tokens]
        texts.append("".join(rng.choice(rng.choices(tokens, weights=(4, 4, 2))[0])
                             for _ in range(rng.randint(0, length))))
    return texts


def _guard_texts(count: int, seed: int) -> list[str]:
    """Texts of the words the guards look at, mostly one space apart (the person guard looks at the
    words right next to the form), some longer than the 200 characters around the form that the
    US-state guard reads."""
    rng = random.Random(seed)
    separators = [" ", " ", " ", " ", ", ", ". ", "\n", "-"]
    return ["".join(rng.choice(_GUARDED) + rng.choice(separators) for _ in range(rng.randint(1, rng.choice((10, 80)))))
            for _ in range(count)]


def _finders() -> list[tuple[WordFinder, Collection[str]]]:
    """The finders of enrich with their words, and finders of words of no table in both shapes."""
    country_matcher, topic_matcher = _matchers(load_tables())
    keywords = topic_matcher.topics_of_keyword
    return [(country_matcher.mixed, set(country_matcher.meaning)),
            (country_matcher.upper, set(country_matcher.meaning_upper)),
            (topic_matcher.plain, {keyword for keyword in keywords if not _is_acronym(keyword)}),
            (topic_matcher.acronyms, {keyword for keyword in keywords if _is_acronym(keyword)}),
            *((WordFinder.compile(words), set(words))
              for words in (_OWN_WORDS, [word for word in _OWN_WORDS if word[0].isalnum()], []))]


@pytest.mark.parametrize("seed", range(3))
def test_word_finders_as_plain_search(seed: int) -> None:
    texts = [*_word_texts(1500, seed), "nato", "nato russia", "Turkey", "x", "", "ab😀nato", "nato𝐀", "U.S.A.",
             "(x)(x)", "u.s.(x)", "x-(x)", "\u0663x", "ſt", "a\u0301", "\ud800nato"]
    for finder, words in _finders():
        for text in texts:
            expected = _whole_words(words, text)
            assert list(finder.finditer(text)) == expected, (text, words)
            assert finder.findall(text) == [word for word, _, _ in expected], (text, words)


def _find_plainly(matcher: CountryMatcher, text: str) -> list[tuple[str, str]]:
    """CountryMatcher.find on the plain search: the guards see the positions it gives."""
    shouting = _mostly_capitals(text)
    meaning = matcher.meaning_upper if shouting else matcher.meaning
    return matcher.guarded_mentions(text, _whole_words(meaning.keys(), text), meaning, shouting)


@pytest.mark.parametrize("seed", range(2))
def test_country_mentions_as_plain_search(seed: int) -> None:
    matcher = _matchers(load_tables())[0]
    texts = [*_word_texts(1500, 20 + seed, 40), *_guard_texts(600, 30 + seed)]
    texts += [text.upper() for text in texts[::5]]  # paragraphs in capitals
    guarded = dropped = 0
    for text in texts:
        expected = _find_plainly(matcher, text)
        assert matcher.find(text) == expected, text
        meaning = matcher.meaning_upper if _mostly_capitals(text) else matcher.meaning
        forms = [form for form, _, _ in _whole_words(meaning, text) if meaning[form] is not None]
        guarded += not matcher.guarded.isdisjoint(forms)
        dropped += len(expected) < len(forms)
    assert guarded > 400 and dropped > 150  # the guards were tried, on the positions found, and dropped forms


def test_keyword_hits_as_text_by_text() -> None:
    matcher = _matchers(load_tables())[1]
    plain = {keyword for keyword in matcher.topics_of_keyword if not _is_acronym(keyword)}
    acronyms = {keyword for keyword in matcher.topics_of_keyword if _is_acronym(keyword)}
    rng = random.Random(9)
    texts = [*_texts(300, 13, 60), *_word_texts(600, 14, 40)]
    for _ in range(300):
        chosen = rng.sample(texts, rng.randint(0, 6))
        expected: Counter[str] = Counter()
        for text in chosen:
            folded = " ".join(text.split())
            for words, subject in ((plain, folded.lower()), (acronyms, folded)):
                for word, _, _ in _whole_words(words, subject):
                    expected.update(matcher.topics_of_keyword[word])
        assert matcher.keyword_hits(chosen) == expected, chosen


def test_a_word_found_inside_a_word_hides_no_whole_word() -> None:
    """A keyword found starting inside a word is no hit, and takes no text from the next one: the
    search before this one found "strategic arms" in "geostrategic", dropped it and so missed
    "arms control"; in capitals it missed GUINEA behind SUBEQUATORIAL."""
    country_matcher, topic_matcher = _matchers(load_tables())
    assert topic_matcher.keyword_hits(["a geostrategic arms control treaty"]) == Counter({"Arms control": 1})
    shouting = "PARTS OF SUBEQUATORIAL GUINEA AND THE REST OF THE COAST"
    assert country_matcher.find(shouting) == [("GN", "GUINEA")]
    finder = WordFinder.compile(["missile defense", "defense ministry"])
    assert list(finder.finditer("antimissile defense ministry")) == [("defense ministry", 12, 28)]


def test_words_one_separator_apart_are_all_found() -> None:
    country_matcher, topic_matcher = _matchers(load_tables())
    assert topic_matcher.plain.findall("cocaine heroin") == ["cocaine", "heroin"]
    assert topic_matcher.plain.findall("heroin,nato-russia council") == ["heroin", "nato-russia council"]
    assert topic_matcher.acronyms.findall("START/IAEA BMD") == ["START", "IAEA", "BMD"]
    assert list(country_matcher.mixed.finditer("Turkey,Syria Iran")) == [("Turkey", 0, 6), ("Syria", 7, 12),
                                                                          ("Iran", 13, 17)]
    assert list(country_matcher.upper.finditer("TURKEY,SYRIA IRAN")) == [("TURKEY", 0, 6), ("SYRIA", 7, 12),
                                                                          ("IRAN", 13, 17)]
    finder = WordFinder.compile(["nato", "russia", "u.s.", "(x)"])
    assert finder.findall("nato russia") == ["nato", "russia"]
    assert list(finder.finditer("u.s.(x) nato")) == [("u.s.", 0, 4), ("(x)", 4, 7), ("nato", 8, 12)]
