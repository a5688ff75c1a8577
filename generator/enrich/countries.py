"""Countries of a cable: its TAGS geographic codes and the countries its paragraphs name.

Names, adjectives and demonyms come from site_config/countries.csv and are matched as whole
words, longest form first, with one trie-shaped regular expression (fast on a large archive:
the engine branches on each character instead of trying a thousand alternatives). False hits
are avoided by rule, not by luck:

- case: mixed-case text must capitalise the form ("Turkey", not "turkey"); paragraphs written
  all in capitals (older cables) are matched in capitals.
- longer phrases win and can be declared as not meaning the country ("New Mexico", "Mexico
  City", "Indian Ocean"): the table's ``not`` column.
- cities are simply not in the table, so "Warsaw" or "Moscow" never count.
- ``guard`` "person" (Jordan, Chad): not when the word sits inside a personal name, i.e. next to
  another capitalised word ("Michael Jordan", "Jordan Smith") or after a title ("Mr. Jordan").
- ``guard`` "us-state" (Georgia): not when the surrounding text speaks of the US state
  (Atlanta, a governor, a senator from Georgia ...) and nothing speaks of the country.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Cable, Mention
from .config import Country, SiteTables
from .trie import WordFinder

_TITLES = {"mr", "mrs", "ms", "dr", "amb", "ambassador", "sen", "senator", "rep", "gen", "general", "col", "capt",
           "lt", "maj", "prof", "professor", "gov", "governor", "judge", "justice", "minister", "secretary"}
# Capitalised words that may stand before a country name without making it part of a person's name.
_LEADING_WORDS = {
    "the", "in", "and", "but", "or", "for", "from", "with", "to", "of", "on", "at", "by", "as", "both", "neither",
    "while", "unlike", "like", "including", "if", "when", "although", "whereas", "neighboring", "neighbouring",
    "kingdom", "hashemite", "northern", "southern", "eastern", "western", "central", "post", "embassy", "only",
    "that", "this", "because", "since", "after", "before", "during", "about", "against", "between", "within",
    "into", "via", "toward", "towards", "among", "than", "also", "even", "not", "nor", "so", "yet", "where",
    "whether", "all", "every", "each", "some", "many", "most", "other", "others", "such", "said", "says", "its",
}
_US_STATE_CONTEXT = re.compile(
    r"\b(?:Atlanta|Savannah|Augusta|Macon|Athens,\s+Georgia|Fort\s+(?:Benning|Gordon|Stewart)|Peach\s+State|"
    r"Governor|Gov\.|Senator|Sen\.|Congressman|Congresswoman|Representative|Rep\.|state\s+legislature|"
    r"\((?:R|D)-(?:GA|Georgia)\)|[A-Z][a-z]+,\s+Georgia\b)")
_COUNTRY_CONTEXT = re.compile(r"\b(?:Tbilisi|Abkhaz\w*|South\s+Ossetia\w*|Saakashvili|Caucasus|Georgian)\b")
# ASCII letters suffice to tell a cable written in capitals; bytes.translate counts them in C, on
# the UTF-8 form, where ASCII letters are the same single bytes and nothing else uses those bytes.
_LOWER_BYTES = string.ascii_lowercase.encode("ascii")
_UPPER_BYTES = string.ascii_uppercase.encode("ascii")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z'’.]*)\s$")
_WORD_AFTER = re.compile(r"^\s([A-Za-z][A-Za-z'’]*)")


@dataclass
class CountryMatcher:
    """Finds country mentions in text, built once from the country table."""

    mixed: WordFinder  # the forms as written, for mixed-case text
    upper: WordFinder  # the forms in capitals, for text written in capitals
    meaning: dict[str, str | None]  # form -> ISO code; None for phrases that mean no country
    meaning_upper: dict[str, str | None]
    countries: dict[str, Country]
    guarded: frozenset[str]  # the forms (as written and in capitals) of countries with a guard

    @classmethod
    def from_tables(cls, tables: SiteTables) -> CountryMatcher:
        meaning: dict[str, str | None] = {}
        for country in tables.countries.values():
            for phrase in country.not_phrases:
                meaning.setdefault(phrase, None)
        for country in tables.countries.values():
            for form in country.forms:
                meaning[form] = country.iso2  # a form of one country beats a "not" of another
        meaning_upper: dict[str, str | None] = {}
        for form, iso2 in meaning.items():
            if meaning_upper.get(form.upper()) is None:
                meaning_upper[form.upper()] = iso2

        guarded = frozenset(form for forms in (meaning, meaning_upper) for form, iso2 in forms.items()
                            if iso2 is not None and tables.countries[iso2].guard)
        return cls(WordFinder.compile(meaning), WordFinder.compile(meaning_upper),
                   meaning, meaning_upper, tables.countries, guarded)

    def find(self, text: str) -> list[tuple[str, str]]:
        """(ISO code, form as written) for each mention in ``text``, in order.

        The forms are found in one C call; only a text that holds a guarded form (Jordan, Chad,
        Georgia) is scanned again for the positions the guards look around.
        """
        shouting = _mostly_capitals(text)
        finder, meaning = (self.upper, self.meaning_upper) if shouting else (self.mixed, self.meaning)
        words = finder.findall(text)
        if self.guarded.isdisjoint(words):
            return [(iso2, word) for word in words if (iso2 := meaning.get(word)) is not None]
        return self.guarded_mentions(text, finder.finditer(text), meaning, shouting)

    def guarded_mentions(self, text: str, words: Iterable[tuple[str, int, int]], meaning: dict[str, str | None],
                         shouting: bool) -> list[tuple[str, str]]:
        """(ISO code, form) for the forms found in ``text`` (each with its position) that their
        country's guard lets through; what ``find`` gives for a text holding a guarded form."""
        found = []
        for word, start, end in words:
            iso2 = meaning.get(word)
            if iso2 is None:
                continue
            guard = self.countries[iso2].guard
            if guard == "person" and _in_personal_name(text, start, end, shouting):
                continue
            if guard == "us-state" and _means_us_state(text, start, end):
                continue
            found.append((iso2, word))
        return found


def _mostly_capitals(text: str) -> bool:
    """Written in capitals, as older cables are: at least 80% of its letters (counted in C)."""
    data = text.encode("utf-8", "surrogatepass")
    lower = len(data) - len(data.translate(None, _LOWER_BYTES))
    upper = len(data) - len(data.translate(None, _UPPER_BYTES))
    return lower + upper >= 20 and upper > 4 * lower


def _in_personal_name(text: str, start: int, end: int, shouting: bool) -> bool:
    """Whether the word at ``text[start:end]`` is part of a personal name (guard "person")."""
    before = _WORD_BEFORE.search(text[max(0, start - 40):start])
    if before and before.group(1).rstrip(".").lower() in _TITLES:
        return True
    if shouting:
        return False
    if before and before.group(1)[0].isupper() and not before.group(1).endswith(".") \
            and before.group(1).lower() not in _LEADING_WORDS:
        return True
    after = _WORD_AFTER.search(text[end:end + 40])
    return bool(after and after.group(1)[0].isupper() and after.group(1).lower() not in _LEADING_WORDS)


def _means_us_state(text: str, start: int, end: int) -> bool:
    """Whether the word at ``text[start:end]`` means the US state (guard "us-state")."""
    window = text[max(0, start - 200):end + 200]
    return bool(_US_STATE_CONTEXT.search(window)) and not _COUNTRY_CONTEXT.search(window)


def tag_countries(tags: Iterable[str], tables: SiteTables) -> list[str]:
    """ISO codes of the TAGS geographic codes among ``tags``, in TAGS order."""
    codes = (tables.country_by_tag.get(tag.strip().upper()) for tag in tags)
    return list(dict.fromkeys(code for code in codes if code))


def detect_countries(cable: Cable, tables: SiteTables, matcher: CountryMatcher) -> None:
    """Fill ``cable.countries``, ``cable.mentions`` and each paragraph's ``countries``.

    A cable's countries are its TAGS countries, then those its subject and paragraphs name, in
    the order they first appear. Mentions of the United States count only when the settings
    say so (most cables of a US archive name it).
    """
    skip = set() if tables.index_us_mentions else {"US"}
    mentioned: dict[str, None] = {}
    mentions: list[Mention] = []
    for iso2, _word in matcher.find(cable.subject or ""):
        if iso2 not in skip:
            mentioned.setdefault(iso2, None)
    for paragraph in cable.paragraphs:
        words: dict[str, list[str]] = {}
        for iso2, word in matcher.find(paragraph.text):
            if iso2 in skip:
                continue
            forms = words.setdefault(iso2, [])
            if word not in forms:
                forms.append(word)
        paragraph.countries = list(words)
        for iso2, forms in words.items():
            mentioned.setdefault(iso2, None)
            mentions.append(Mention(iso2, paragraph.anchor, forms))
    cable.countries = list(dict.fromkeys([*tag_countries(cable.tags, tables), *mentioned]))
    cable.mentions = mentions
