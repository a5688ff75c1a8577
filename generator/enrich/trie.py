"""A regular expression for a set of words, shaped as a character trie.

Python's ``re`` tries the alternatives of ``a|b|c`` one after the other at every position; a
trie-shaped pattern branches on one character at a time instead, so a thousand country forms
or keywords cost about as much as a handful.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, preferring the longest, shaped as a character trie."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        ends_here = "" in node
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends_here:
            return f"(?:{body})?"
        return body

    return render(trie)


def compile_words(words: Iterable[str]) -> re.Pattern[str]:
    """The trie pattern, ending at a word boundary; use with ``whole_words``.

    The start boundary is checked in ``whole_words`` rather than with a look-behind, because a
    pattern that starts with a look-behind loses the engine's fast scan for its first character.
    """
    return re.compile(rf"(?:{trie_pattern(words)})(?![^\W_])")


def whole_words(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` in ``text`` that do not start inside a word."""
    for match in pattern.finditer(text):
        start = match.start()
        if start and text[start - 1].isalnum():
            continue
        yield match
