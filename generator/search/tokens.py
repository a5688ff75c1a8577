"""The tokeniser shared, rule for rule, by the indexer and the browser (search.js).

A token is a run of letters and digits after Unicode NFKD decomposition with the combining
marks dropped, lower-cased: "Gabala," -> "gabala", "Ağcabədi" -> "agcabədi" -> as the browser
would fold it. Tokens of one character carry no meaning in cables (paragraph markings, list
letters) and very long ones are noise (routing lines, base64), so both are left out. Changing
a rule here means changing ``tokenize`` in theme/assets/javascripts/search.js the same way.
"""

from __future__ import annotations

import re
import unicodedata

import snowballstemmer

MIN_TOKEN = 2
MAX_TOKEN = 32
_WORD = re.compile(rf"[^\W_]{{{MIN_TOKEN},}}")  # runs shorter than MIN_TOKEN are skipped by the engine, in C
# The same runs in ASCII text once lower-cased (where ``[^\W_]`` is ``[a-z0-9]``), most cables:
# every other character made a space and the text split there, both in C (``str.translate``
# has a fast path for an ASCII-to-ASCII table), the runs too short or too long filtered after.
# 20-25 % less time than ``findall`` of ``[a-z0-9]{2,}`` and the long-run filter (252 -> 204 µs
# a cable text on the 10k benchmark's cables, 214 -> 160 µs on the shared sample's, best of 3).
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})
# Every combining mark (Unicode category M), mapped to nothing: str.translate drops them in C.
# Marks live only in planes 0 and 1 and in plane 14's variation selectors: scanning just those
# keeps the start-up of every worker process short (a test checks against all of Unicode).
MARK_RANGES = (range(0x20000), range(0xE0000, 0xE1000))
_DROP_MARKS = {c: None for r in MARK_RANGES for c in r if unicodedata.category(chr(c)).startswith("M")}


def fold(text: str) -> str:
    """Lower case without diacritics, the form in which terms are stored and looked up."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).translate(_DROP_MARKS)
    return text.lower()


def tokenize(text: str) -> list[str]:
    """The index terms of ``text``, in order, repeats kept (term frequency counts them)."""
    if text.isascii():
        return [t for t in text.lower().translate(_ASCII_SEPARATORS).split() if MIN_TOKEN <= len(t) <= MAX_TOKEN]
    tokens = _WORD.findall(fold(text))
    if tokens and max(map(len, tokens)) > MAX_TOKEN:  # rare (routing lines, base64): filter only then
        return [t for t in tokens if len(t) <= MAX_TOKEN]
    return tokens


_ENGLISH = snowballstemmer.stemmer("english")
_LETTERS = re.compile(r"[a-z]+")


class _StemCache(dict):
    """term -> its stem, or None when the stem is the term itself (half the terms: the caller skips
    them with one test), filled on first use. Lookups are dict lookups in C (the indexer maps
    it over every cable's terms). Only words of a-z are kept: ids and numbers, unique to a few
    cables each, would crowd the common words out. Cleared past ``_STEM_CACHE`` words (about
    200 bytes each) so that a worker's memory stays bounded on any archive."""

    def __missing__(self, term: str) -> str | None:
        if not _LETTERS.fullmatch(term):
            return None
        if len(self) >= _STEM_CACHE:
            self.clear()
        root = _ENGLISH.stemWord(term)
        self[term] = changed = None if root == term else root
        return changed


_STEM_CACHE = 1 << 18
stems = _StemCache()


def stem(term: str) -> str:
    """The Snowball English stem of a term of the letters a-z, else the term itself.

    Only such words are stemmed: ids, numbers and words with other letters are names, not
    English word forms. The browser stems a query word with a port of the same algorithm
    (theme/assets/javascripts/stemmer.js; a test holds the two to the same stems)."""
    return stems[term] or term
