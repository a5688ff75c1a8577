"""Whole-word search for a set of words, with a regular expression shaped as a character trie.

Python's ``re`` tries the alternatives of ``a|b|c`` one after the other at every position; a
trie-shaped pattern branches on one character at a time instead, so a thousand country forms
or keywords cost about as much as a handful.

What is found: the whole-word occurrences of the words, leftmost first, the longest at a
position, not overlapping. A word occurs whole where the character before it (if any) and the
character after it (if any) are no letter or digit (``str.isalnum``).

Keeping the engine from trying the trie at every character: a pattern that starts with a
character set (or a choice of single characters) makes ``re`` skip, in C, to the next character
of that set before it tries the rest; a pattern that starts with a look-behind loses that. Two
shapes keep it, each best for one kind of text:

- separators first (``[\\W_](word)(?![^\\W_])``): the trie is tried only after a character that
  is no letter or digit, about one character in six of prose. Best where most characters could
  start a word: lower-case keywords in lower-cased text, capitals in text written in capitals.
  The text is searched behind a newline, so that a word at its start is found as any other.
- first characters first (``word(?![^\\W_])(?<![^\\W_].{4})``): the trie is tried at each
  character that could start a word, and the character before the word is checked only where a
  word has matched, by a look-behind as long as the word. Best where the first characters are
  rare, as capitalised names or acronyms in mixed-case text, and for words that start with no
  letter or digit (see ``WordFinder.compile``).

Character classes: ``[^\\W_]`` is, for one character, exactly ``str.isalnum()``, but the engine
looks each character up in the Unicode database, which costs in the separators-first scan. For
text within the Basic Multilingual Plane (ASCII text too) that shape uses the same classes
spelled out, which ``re`` checks against a bitmap.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

# One letter or digit, and one character that is none, for any text.
_ALNUM = r"[^\W_]"
_SEPARATOR = r"[\W_]"
# What the separators-first shape is searched in: the text behind a separator.
_START = "\n"


def trie_pattern(words: Iterable[str], end: Callable[[int], str] = lambda length: "") -> str:
    """A regex matching any of ``words``, preferring the longest, shaped as a character trie.

    ``end(n)`` is put where a word of ``n`` characters ends: the checks a match must pass there,
    tried before the shorter words that end earlier. Empty words are left out (they are no
    words); with no words left the regex matches nothing.
    """
    trie: dict[str, dict] = {}
    for word in words:
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, dict], depth: int) -> str:
        choices = [re.escape(char) + render(child, depth + 1) for char, child in sorted(node.items()) if char]
        if "" in node:
            choices.append(end(depth))
        return choices[0] if len(choices) == 1 else "(?:" + "|".join(choices) + ")"

    return render(trie, 0) if trie else "(?!)"


@functools.cache
def _bmp_classes() -> tuple[str, str]:
    """Classes of one letter or digit and of one character that is none, for text within the
    Basic Multilingual Plane, spelled out so that ``re`` makes them a two-level bitmap.

    Beyond the plane they would be a list of hundreds of ranges tried one by one, hence the
    Unicode classes for text that reaches there. Made from ``str.isalnum`` of this Python: the
    Unicode database the engine reads for ``[^\\W_]``.
    """
    runs: dict[bool, list[str]] = {True: [], False: []}
    start = 0
    for code in range(1, 0x10001):
        if code == 0x10000 or chr(code).isalnum() != chr(start).isalnum():
            first, last = re.escape(chr(start)), re.escape(chr(code - 1))
            runs[chr(start).isalnum()].append(first if start == code - 1 else f"{first}-{last}")
            start = code
    return "[" + "".join(runs[True]) + "]", "[" + "".join(runs[False]) + "]"


def _in_bmp(text: str) -> bool:
    """No character beyond the Basic Multilingual Plane: each one is one UTF-16 unit (a copy in
    C, a few microseconds for a cable)."""
    return len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)


def _separators_first(words: list[str], alnum: str, separator: str) -> re.Pattern[str]:
    """The separators-first shape; group 1 is the word.

    The end is checked once, after the trie (the engine backs up into it for a shorter word): a
    spelled-out class at each end of a word would take seconds to compile.
    """
    return re.compile(rf"{separator}((?:{trie_pattern(words)})(?!{alnum}))")


def _first_characters_first(words: list[str]) -> re.Pattern[str]:
    """The first-characters shape; group 1 is the word, as in the other shape.

    Its classes are tried only where a word has matched, so the Unicode ones serve any text.
    The look-behind skips the word's own characters (``.`` matches any of them, newlines too).
    """
    def end(length: int) -> str:
        return f"(?!{_ALNUM})(?<!{_ALNUM}.{{{length}}})"

    return re.compile(f"({trie_pattern(words, end)})", re.DOTALL)


@dataclass(frozen=True)
class WordFinder:
    """Finds the whole-word occurrences of a set of words (see the module's docstring)."""

    bmp: re.Pattern[str]  # for text within the Basic Multilingual Plane (ASCII text too)
    unicode: re.Pattern[str]  # for any text; the same pattern when the classes do not matter
    prefix: str  # put before the text searched: the separator the start of the text stands for

    @classmethod
    def compile(cls, words: Iterable[str], *, starts_are_common: bool) -> WordFinder:
        """The finder for ``words``; ``starts_are_common`` picks the shape (see the module).

        Say ``starts_are_common`` when most characters of the texts searched could start a word.
        Words that start with no letter or digit always get the first-characters shape: such a
        word may start right where the previous one ended, at the separator the other shape
        would already have taken as the end of that one.
        """
        words = [word for word in words if word]
        if starts_are_common and all(word[0].isalnum() for word in words):
            return cls(_separators_first(words, *_bmp_classes()), _separators_first(words, _ALNUM, _SEPARATOR),
                       _START)
        pattern = _first_characters_first(words)
        return cls(pattern, pattern, "")

    def _pattern(self, text: str) -> re.Pattern[str]:
        """The pattern with the cheapest classes that are exact for ``text``.

        ``isascii`` costs nothing (a str knows its widest character); the plane is checked only
        for the rest, and only when there is a choice.
        """
        if self.bmp is self.unicode or text.isascii() or _in_bmp(text):
            return self.bmp
        return self.unicode

    def findall(self, text: str) -> list[str]:
        """The words found in ``text``, in order: one C call, no match objects."""
        return self._pattern(text).findall(self.prefix + text)

    def finditer(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(word, start, end) for each word found in ``text``, in order; start and end index ``text``."""
        shift = len(self.prefix)
        for match in self._pattern(text).finditer(self.prefix + text):
            yield match.group(1), match.start(1) - shift, match.end(1) - shift
