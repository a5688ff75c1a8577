"""Where one free-text TAGS entry ends and the next begins, in a run of free words.

Posts typed free text into TAGS lines without commas: ``ITALY NATIONAL ELECTIONS ITALIAN POLITICS
IRAQI FREEDOM`` is three entries, ``MEETINGS WITH AMBASSADOR NEW ZEALAND ROOD JOHN CROS GERARD
ZANU-PF COUNTRY CLEARANCE`` six. A careful reader finds the boundaries by what the words are:

- a country's name, adjective or government (``ITALIAN``, ``NEW ZEALAND``, ``USG``, ``GOI``) after a
  word that is not one opens a new entry, unless a preposition, conjunction or prefix binds it to the
  words before (``TIP IN TURKEY``, ``ANTI-CASTRO CUBAN``);
- a person is written ``SURNAME GIVENNAME`` as after OVIP: a word followed by a well-known given
  name is an entry ``SURNAME, GIVENNAME``;
- a short symbol repeated as the last word of the phrase after it is a section and a sub-topic of
  it: ``POL FOREIGN POL`` is ``POL`` and ``FOREIGN POL``;
- a hyphenated initialism (``ZANU-PF``, ``MDC-T``) is an organisation, an entry of its own.

Country words come from site_config/countries.csv (``CountryWords``); given names from the
nam_dict list that the ``gender-guesser`` package ships, read once per process and only when a run
has a word pair to test. Each run is read in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources

# Words that bind a country to the words before it ("TIP IN TURKEY", "ANTI AMERICAN") and are never a
# surname nor a section symbol: prepositions, conjunctions, articles, and prefixes written apart.
FUNCTION_WORDS = frozenset({"A", "AN", "THE", "OF", "IN", "ON", "AT", "TO", "FOR", "WITH", "AND", "OR", "BY",
                            "FROM", "INTO", "OVER", "UNDER", "AGAINST", "BETWEEN", "AMONG", "ABOUT", "VIA", "VS",
                            "ANTI", "PRO", "NON", "POST", "PRE"})
# Titles written before a given name ("SENATOR JOHN MCCAIN", "AMBASSADOR JOHN ROOS"): never a surname.
_TITLES = frozenset({"AMBASSADOR", "AMB", "PRESIDENT", "PRES", "VICE", "SECRETARY", "SECSTATE", "MINISTER", "PM",
                     "SENATOR", "SEN", "REPRESENTATIVE", "REP", "CONGRESSMAN", "CONGRESSWOMAN", "CODEL", "STAFFDEL",
                     "GOVERNOR", "GOV", "MAYOR", "GENERAL", "GEN", "ADMIRAL", "ADM", "COLONEL", "COL", "DEPUTY",
                     "ASSISTANT", "UNDER", "SPEAKER", "CHAIRMAN", "KING", "QUEEN", "PRINCE", "PRINCESS", "SHEIKH",
                     "EMIR", "JUDGE", "JUSTICE", "DR", "MR", "MRS", "MS", "SIR", "LORD", "FATHER", "BISHOP", "POPE"})
# "Government of <country>" as the cables write it: GOI (Israel, India, Iraq), GOJ, GOE ... One letter only:
# four-letter words from GO are English (GOAL, GOOD); the unambiguous acronyms (USG, HMG, GIROA) are forms
# of countries.csv.
_GOVERNMENT = re.compile(r"GO[A-Z]")
# Peoples and regions written like a country's adjective but no country's ("ARAB ISRAELI CONFLICT" is one
# entry, "PEACE PROCESS ARAB ISRAELI CONFLICT" two): country words for the rule, not in countries.csv.
_PEOPLES = frozenset({"ARAB", "ARABS", "KURD", "KURDS", "KURDISH", "EUROPEAN", "EUROPEANS", "AFRICAN", "AFRICANS",
                      "ASIAN", "ASIANS"})
# A hyphenated initialism: capital parts, one of them two or more letters without a vowel (PF, MDC, SPLM),
# which no English word is. MIL-TO-MIL, US-EU, ANTI-CASTRO have vowels in every part and stay words.
_INITIALISM_SHAPE = re.compile(r"[A-Z]{1,5}(?:-[A-Z]{1,5})+")
_NO_VOWEL = re.compile(r"[B-DF-HJ-NP-TV-Z]{2,}")
_SYMBOL = re.compile(r"[A-Z]{2,3}")  # office symbols: POL, MIL (ECON, a four-letter one, is a TAGS code)
_GIVEN_MIN = 4  # three-letter words in TAGS are acronyms far more often than given names (POL, TIP, KIM)
# A nam_dict line: gender, the name (only plain A-Z names: TAGS are written in capitals without accents),
# padding, then one frequency digit per country on a log scale (1 rare ... D very common). A name counts
# when it reaches 4 somewhere: so JUSTICE, GENERAL, UNITY, VISA (all 1) are not names here, GASPAR (4) is.
# (The possessive *+ keeps the scan linear: a line of low digits fails at once, no backtracking.)
_NAME_LINE = re.compile(rb"\n[MF?1][MF ] ([A-Z][a-z]{%d,}) [ 1-3-]*+[4-9A-D]" % (_GIVEN_MIN - 1))
_given: list[frozenset[str]] = []  # loaded once per process, on first use


@dataclass(frozen=True)
class CountryWords:
    """Countries' names, adjectives and acronyms in capitals, as word tuples keyed by their first word.

    ``blocked`` are longer phrases holding a form that do not mean the country (``LATIN AMERICAN``,
    ``NEW MEXICO``): read as ordinary words."""

    forms: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    blocked: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)


def country_words(forms: Iterable[str], not_phrases: Iterable[str] = ()) -> CountryWords:
    """The index of ``forms`` (``New Zealand``, ``Italian``, ``USG``) and ``not_phrases``, longest first."""
    return CountryWords(_index(forms), _index(not_phrases))


def _index(phrases: Iterable[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    by_first: dict[str, set[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = tuple(w.strip(".:,") for w in phrase.upper().split())
        if words and all(words):
            by_first.setdefault(words[0], set()).add(words)
    return {first: tuple(sorted(group, key=len, reverse=True)) for first, group in by_first.items()}


def given_names() -> frozenset[str]:
    """Given names in capitals (about 9,500 common ones), from gender-guesser's nam_dict, read on first use.

    Only the data file (GNU FDL) is used, none of the package's code; about 15 ms of CPU, once."""
    if not _given:
        raw = (resources.files("gender_guesser") / "data" / "nam_dict.txt").read_bytes()
        _given.append(frozenset(name.decode("ascii").upper() for name in _NAME_LINE.findall(raw)))
    return _given[0]


def is_initialism(word: str) -> bool:
    """``ZANU-PF``, ``MDC-T``: a hyphenated organisation acronym (not ``MIL-TO-MIL`` nor ``US-EU``)."""
    return bool(_INITIALISM_SHAPE.fullmatch(word)) and any(
        _NO_VOWEL.fullmatch(part) for part in word.split("-"))


def split_phrases(words: list[str], countries: CountryWords, codes: frozenset[str] = frozenset()) -> Iterator[str]:
    """The entries of a run of free words (``words``, upper case), by the rules of the module's docstring.

    ``codes`` are the known TAGS codes: a code is never read as a surname or a given name."""
    repeats = _next_same(words)
    current: list[str] = []
    after_country = False  # the last word of ``current`` belongs to a country form
    end_at = -1  # index of the last word of the sub-topic after a section symbol
    index = 0
    while index < len(words):
        kind, span = _unit_at(words, index, countries, codes, repeats)
        if kind == _COUNTRY and current and not after_country and not _binds(current[-1]):
            yield " ".join(current)  # a country after other words opens an entry
            current = []
        if kind in (_ALONE, _PERSON, _SYMBOL_UNIT):
            if current:
                yield " ".join(current)
                current = []
            yield f"{words[index]}, {words[index + 1]}" if kind == _PERSON else words[index]
            end_at = repeats[index] if kind == _SYMBOL_UNIT else end_at
        else:
            current.extend(words[index:index + span])
        after_country = kind == _COUNTRY
        index += span
        if current and index > end_at >= index - span:  # the sub-topic's last word taken
            yield " ".join(current)
            current = []
    if current:
        yield " ".join(current)


_COUNTRY, _WORDS, _ALONE, _PERSON, _SYMBOL_UNIT = "country", "words", "alone", "person", "symbol"


def _unit_at(words: list[str], index: int, countries: CountryWords, codes: frozenset[str],
             repeats: list[int]) -> tuple[str, int]:
    """What starts at ``index`` and how many words it takes: a country form, a blocked phrase or a
    plain word (``_WORDS``), an initialism (``_ALONE``), a person, a section symbol."""
    span, is_country = _country_at(words, index, countries)
    if span:
        return (_COUNTRY if is_country else _WORDS), span
    word = words[index]
    if is_initialism(word):
        return _ALONE, 1
    if _is_person(words, index, countries, codes):
        return _PERSON, 2
    if repeats[index] > index + 1 and _SYMBOL.fullmatch(word) and word not in FUNCTION_WORDS:
        return _SYMBOL_UNIT, 1
    return _WORDS, 1


def _binds(word: str) -> bool:
    """A word that ties the country after it to the words before: ``IN`` (``TIP IN TURKEY``), a prefix
    written apart or hyphenated (``ANTI AMERICAN``, ``ANTI-CASTRO CUBAN EXILES``)."""
    return word in FUNCTION_WORDS or word.split("-", 1)[0] in FUNCTION_WORDS


def _next_same(words: list[str]) -> list[int]:
    """For each word the index of its next occurrence in ``words`` (-1 if none): one pass from the end."""
    later: dict[str, int] = {}
    result = [-1] * len(words)
    for index in range(len(words) - 1, -1, -1):
        result[index] = later.get(words[index], -1)
        later[words[index]] = index
    return result


def _country_at(words: list[str], index: int, countries: CountryWords) -> tuple[int, bool]:
    """(words taken, whether they name a country) for the longest country form or blocked phrase at
    ``index``; (0, False) when neither starts there. A blocked phrase wins over a form it holds."""
    word = words[index]
    form = _longest(words, index, countries.forms.get(word, ()))
    blocked = _longest(words, index, countries.blocked.get(word, ()))
    if blocked >= form and blocked:
        return blocked, False
    if form:
        return form, True
    return (1, True) if word in _PEOPLES or _GOVERNMENT.fullmatch(word) else (0, False)


def _longest(words: list[str], index: int, candidates: tuple[tuple[str, ...], ...]) -> int:
    for candidate in candidates:  # longest first
        if tuple(words[index:index + len(candidate)]) == candidate:
            return len(candidate)
    return 0


def _is_person(words: list[str], index: int, countries: CountryWords, codes: frozenset[str]) -> bool:
    """``ROOD JOHN``: a surname-like word and a well-known given name after it, neither a code nor a
    country word (ISRAEL, JORDAN are given names too) nor a function word nor a title. Without the
    countries' names (no tables) the rule is off: ``DISENGAGEMENT ISRAEL`` would read as a person."""
    if index + 1 >= len(words) or not countries.forms:
        return False
    surname, given = words[index], words[index + 1]
    if not (surname.isalpha() and len(surname) >= 2 and given.isalpha() and len(given) >= _GIVEN_MIN):
        return False
    if surname in FUNCTION_WORDS or surname in _TITLES or surname in codes or given in codes or (
            given in FUNCTION_WORDS):  # ANTI is an Estonian name, but "RISING ANTI AMERICAN" holds none
        return False
    if _country_at(words, index + 1, countries)[0]:
        return False
    return given in given_names()


__all__ = ["FUNCTION_WORDS", "CountryWords", "country_words", "given_names", "is_initialism", "split_phrases"]
