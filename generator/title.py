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
_SPACES = re.compile(r"\s+")
# A sentence ends at . ! or ? followed by a space and a capital, a digit or an opening mark.
_SENTENCE_END = re.compile(r"[.!?](?=[\"'”’)]*\s+[\"'“‘(]*[A-Z0-9])")
_WORD_BEFORE = re.compile(r"(\S+)$")
# Words that end in a full stop without ending the sentence ("Mr. Smith", "Jan. 5", "U.S. policy").
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "maj", "capt", "adm", "amb", "sen", "rep", "gov",
    "pres", "no", "nos", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "para", "paras", "ref", "reftel", "approx", "dept", "govt", "min", "fm", "pm", "dep",
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
    return shorten(first_sentence(_SPACES.sub(" ", source).strip()))


def first_sentence(text: str) -> str:
    """``"Allies agreed. Turkey said ..."`` -> ``"Allies agreed."``; abbreviations do not end one."""
    for match in _SENTENCE_END.finditer(text):
        if match.start() > TITLE_LENGTH * 3:
            break  # far past any title's length: the cut below decides
        if text[match.start()] == "." and _is_abbreviation(text[: match.start()]):
            continue
        return text[: match.end()]
    return text


def _is_abbreviation(before: str) -> bool:
    """Whether the word before a full stop is an abbreviation or an initial (``U.S``, ``W``)."""
    word = _WORD_BEFORE.search(before)
    if not word:
        return False
    token = word.group(1).lstrip("(\"'“‘")
    return (len(token) == 1 and token.isalpha()) or "." in token or token.lower() in _ABBREVIATIONS


def shorten(text: str, limit: int = TITLE_LENGTH) -> str:
    """Cut at the last word boundary before ``limit`` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    head = text[: cut if cut > limit // 2 else limit].rstrip(" ,;:-–—(")
    return head + ELLIPSIS


__all__ = ["ELLIPSIS", "TITLE_LENGTH", "cable_title", "first_sentence", "shorten", "text_title"]
