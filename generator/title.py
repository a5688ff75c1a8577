"""A cable's title: the one place that decides it, for its page, the lists and search.

The subject when the cable has one. Without it (a bare body, a cable whose SUBJECT line was
lost) a reader still needs words, not an id: the first sentence of the summary, else of the first
paragraph, cut at a word boundary near ``TITLE_LENGTH`` characters. The id is the last resort
(the metadata card shows it in every case).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

TITLE_LENGTH = 100
ELLIPSIS = "…"
SENTENCE_SCAN = 600  # characters looked at for a first sentence: a longer one is cut anyway
# A full stop (or ! or ?), maybe a closing quote, then a space and a capital or an opening mark;
# what may come before it is checked apart (``_ends_sentence``), which is much faster than
# lookbehinds at every position.
_SENTENCE_END = re.compile(r"[.!?][\"'”]?(?=\s+[A-Z(\"“])")
_BEFORE_END = frozenset("abcdefghijklmnopqrstuvwxyz0123456789)\"'”")
_SHORTEST_SENTENCE = 12  # characters, or two words: "1." or "Ok." is not the sentence a reader needs
# A "Summary:" label in front of the text: it is not part of the first sentence.
SUMMARY_LABEL = re.compile(r"^[\s\-–—*=_.]*(?:summary(?:\s+and\s+comment)?\b\s*[:.\-–—]*\s*)?", re.IGNORECASE)
# Words that end in a full stop without ending the sentence ("Mr. Smith", "Jan. 5", "U.S. policy").
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "maj", "capt", "adm", "amb", "sen", "rep", "gov",
    "pres", "no", "nos", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "para", "paras", "approx", "dept", "govt", "min", "fm", "pm", "dep",
    "jr", "sr", "messrs", "prof", "sgt",
})


class _Block(Protocol):
    text: str
    kind: str


def cable_title(subject: str | None, cable_id: str, summary: str | None = None,
                paragraphs: Iterable[_Block] = ()) -> str:
    """The title to show for a cable (see the module's docstring)."""
    if subject and subject.strip():
        return subject.strip()
    return text_title(summary, paragraphs) or cable_id


def text_title(summary: str | None, paragraphs: Iterable[_Block] = ()) -> str | None:
    """The first sentence of the summary, else of the first paragraph with text, shortened."""
    source = summary
    if not (source and source.strip()):
        source = next((p.text for p in paragraphs if p.kind != "heading" and p.text.strip()), None)
    if not source:
        return None
    return shorten(first_sentence(source))


def first_sentence(text: str | None) -> str:
    """The first sentence of ``text`` on one line, without a leading "Summary:" label: the one
    rule for a cable's title (without a subject) and its page's description.

    A sentence ends at ., ! or ? (and a closing quote) followed by a space and a capital;
    abbreviations ("Mr.", "Jan.") and initials ("U.S. forces", "George W. Bush") do not end one.
    ``"Allies agreed. Turkey said ..."`` -> ``"Allies agreed."``"""
    text = SUMMARY_LABEL.sub("", " ".join((text or "")[:SENTENCE_SCAN].split()))
    for match in _SENTENCE_END.finditer(text):
        if _ends_sentence(text, match.start()):
            return text[: match.end()]
    return text


def _ends_sentence(text: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` ends a sentence: it follows a lower-case letter, a digit,
    a bracket or a quote, or a word of three or more capitals (cables in capitals); not an
    abbreviation ("Mr."), nor a single capital ("U.S."), nor within the first word or few characters."""
    space = text.rfind(" ", 0, stop)
    if stop < _SHORTEST_SENTENCE and space < 0:
        return False
    word = text[space + 1:stop].lstrip("(\"“")
    if word.lower() in _ABBREVIATIONS:
        return False
    return text[stop - 1] in _BEFORE_END or (len(word) >= 3 and word[-3:].isupper() and word[-3:].isalpha())


def shorten(text: str, limit: int = TITLE_LENGTH) -> str:
    """Cut at the last word boundary before ``limit`` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    head = text[: cut if cut > limit // 2 else limit].rstrip(" ,;:-–—(")
    return head + ELLIPSIS


__all__ = ["ELLIPSIS", "SUMMARY_LABEL", "TITLE_LENGTH", "cable_title", "first_sentence", "shorten", "text_title"]
