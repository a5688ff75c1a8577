"""Whole-word search for a set of words, on an Aho-Corasick automaton (a trie with failure
links: ``ahocorasick-rs``).

What is found: the whole-word occurrences of the words, leftmost first, the longest at a
position, not overlapping. A word occurs whole where the character before it (if any) and the
character after it (if any) are no letter or digit (``str.isalnum``).

How: the automaton reports every occurrence of every word in one call, overlapping ones too
(in Rust, the text scanned once whatever the number of words); those that are not whole words
are dropped, and of the rest the leftmost, then the longest, is kept, and the search goes on
from its end. Dropping first matters: a word found inside another ("strategic arms" in
"geostrategic arms control") must hide no whole word after it ("arms control").

Why the library: it replaced a regular expression shaped as a character trie, compiled by hand
in two shapes with spelled-out character classes. Country and topic detection on 10,000
synthetic cables took 5.94 s of CPU with that and 4.70 s with this (``pyahocorasick``, iterating
its matches one by one: 6.74 s); on the 1,045 real cables of the shared sample, 0.77 s against
0.57 s (``bench/library_choices.py``). The hand-written code saved nothing.

A text holding a lone surrogate (which UTF-8 cannot encode, and so the library cannot search;
front matter's ``"\\ud800"`` makes one) is searched with U+FFFD in its place: one character for
one, no letter or digit either, and in no word, so the words found and their positions are
the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ahocorasick_rs import AhoCorasick

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class WordFinder:
    """Finds the whole-word occurrences of a set of words (see the module's docstring)."""

    automaton: AhoCorasick | None  # None: no words, nothing is ever found

    @classmethod
    def compile(cls, words: Iterable[str]) -> WordFinder:
        """The finder for ``words``; empty words are left out (they are no words)."""
        unique = sorted({word for word in words if word})
        return cls(AhoCorasick(unique) if unique else None)

    def findall(self, text: str) -> list[str]:
        """The words found in ``text``, in order."""
        return [text[start:end] for start, end in self._spans(text)]

    def finditer(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(word, start, end) for each word found in ``text``, in order."""
        for start, end in self._spans(text):
            yield text[start:end], start, end

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of the words found: the whole-word matches, leftmost-longest, not overlapping."""
        if self.automaton is None or not text:
            return []
        try:
            matches = self.automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:
            matches = self.automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=True)
        size = len(text)
        whole = sorted((start, -end) for _word, start, end in matches
                       if (start == 0 or not text[start - 1].isalnum()) and (end == size or not text[end].isalnum()))
        spans: list[tuple[int, int]] = []
        last = 0
        for start, negative_end in whole:
            if start >= last:
                last = -negative_end
                spans.append((start, last))
        return spans
