"""What a cable page tells readers and the sites they share it on, besides the cable itself.

The page title carries the id (several cables share a subject, and a browser tab, a bookmark or
a search result must tell them apart); the meta description (also Open Graph's and Twitter's)
is the subject and the first sentence of the summary or of paragraph 1; and a summary that the
cable repeats as its first paragraph(s) is shown once, with a pointer to the paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

DESCRIPTION_LIMIT = 300  # characters: what search engines and link previews show at most
# a full stop (or ! or ?), maybe a closing quote, then a space and a capital; what may come before
# it is checked apart (``_ends_sentence``), which is much faster than lookbehinds at every position
_SENTENCE_END = re.compile(r"[.!?][\"'”]?(?=\s+[A-Z(\"“])")
_BEFORE_END = frozenset("abcdefghijklmnopqrstuvwxyz0123456789)\"'”")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "capt", "sen", "rep", "amb", "gov", "pres",
                  "no", "vs", "etc", "approx", "dept", "min", "jr", "sr", "messrs", "prof", "adm", "maj", "sgt"}
_SENTENCE_SCAN = 2 * DESCRIPTION_LIMIT  # characters looked at: a longer first sentence is cut anyway
_SHORTEST_SENTENCE = 12  # characters: "1." or "Ok." is not the sentence a reader needs
_SUMMARY_LEAD = re.compile(r"^[\s\-–—*=_.]*(?:summary(?:\s+and\s+comment)?\b\s*[:.\-–—]*\s*)?", re.IGNORECASE)
_SENTENCE_GAP = re.compile(r"(?<=[.!?:])\s+")
_LOOKAHEAD_PARAGRAPHS = 6  # a summary starts in one of the first few blocks, if it is repeated at all
_SPAN_PARAGRAPHS = 12  # and runs over a few of them at most


def squeeze(text: str | None) -> str:
    """Text on one line with single spaces: cables wrap and indent at will."""
    return " ".join((text or "").split())


def page_title(subject: str | None, cable_id: str) -> str:
    """``SUBJECT (09BAKU179)``; the id alone when there is no subject."""
    subject = squeeze(subject)
    if not subject or subject == cable_id:
        return cable_id
    return f"{subject} ({cable_id})"


def first_sentence(text: str | None) -> str:
    """The first sentence of ``text``, without a leading "Summary:" label.

    A sentence ends at ., ! or ? (and a closing quote) followed by a space and a capital;
    abbreviations of single capitals ("U.S. forces") do not end one."""
    text = _SUMMARY_LEAD.sub("", squeeze((text or "")[:_SENTENCE_SCAN]))
    for match in _SENTENCE_END.finditer(text):
        if _ends_sentence(text, match.start()):
            return text[: match.end()]
    return text


def _ends_sentence(text: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` ends a sentence: it follows a lower-case letter, a digit,
    a bracket or a quote, or a word of three or more capitals (cables in capitals); not an
    abbreviation ("Mr."), nor a single capital ("U.S."), nor within the first few characters."""
    if stop < _SHORTEST_SENTENCE:
        return False
    word = text[text.rfind(" ", 0, stop) + 1:stop].lstrip("(\"“")
    if word.lower() in _ABBREVIATIONS:
        return False
    return text[stop - 1] in _BEFORE_END or (len(word) >= 3 and word[-3:].isupper() and word[-3:].isalpha())


def meta_description(subject: str | None, summary: str | None, paragraphs: Sequence[Any], cable_id: str) -> str:
    """Subject, then the first sentence of the summary (or of the first paragraph with text),
    cut at a word to ``DESCRIPTION_LIMIT``; never empty, so every cable page has its own."""
    lead = summary or next((p.text for p in paragraphs if p.kind != "heading" and squeeze(p.text)), "")
    parts = [squeeze(subject) or cable_id]
    sentence = first_sentence(lead)
    if sentence:
        parts.append(sentence)
    text = ": ".join(parts) if len(parts) == 2 and not parts[0].endswith((".", ":")) else " ".join(parts)
    if len(text) <= DESCRIPTION_LIMIT:
        return text
    cut = text[: DESCRIPTION_LIMIT - 1].rsplit(" ", 1)[0]
    return cut + "…"


def repeated_summary(summary: str | None, paragraphs: Sequence[Any]) -> list[Any]:
    """The paragraphs that repeat ``summary`` (one or a few consecutive ones among the first), or
    [] when the summary is not all in them.

    The summary is usually lifted from paragraph 1 ("1. (C) Summary. The Court ..."): printing
    both shows the same text twice, one above the other. When the summary runs over several
    paragraphs the parser may leave out some of them ("Summary continued." blocks), so the test
    is that every sentence of the summary is in those paragraphs, compared without case, with
    whitespace squeezed and the "Summary:" label removed (the parser strips both)."""
    wanted = _SUMMARY_LEAD.sub("", squeeze(summary)).lower()
    if len(wanted) < 20:
        return []
    head = wanted[:60]
    texts: list[str] = []  # squeezed, lower-cased, made only as far as needed (this runs for every cable page)
    start = None
    for index, paragraph in enumerate(paragraphs[:_LOOKAHEAD_PARAGRAPHS]):
        texts.append(squeeze(paragraph.text).lower())
        if head in texts[index]:
            start = index
            break
    if start is None:
        return []
    if wanted in texts[start]:  # the usual case: the summary is paragraph 1, or in it
        return [paragraphs[start]]
    pending = [piece for piece in _SENTENCE_GAP.split(wanted) if piece]
    joined = ""
    for end in range(start, min(len(paragraphs), start + _SPAN_PARAGRAPHS)):
        joined = f"{joined} {texts[end] if end < len(texts) else squeeze(paragraphs[end].text).lower()}"
        pending = [piece for piece in pending if piece not in joined]
        if not pending:
            return list(paragraphs[start:end + 1])
    return []


def paragraph_names(paragraphs: Sequence[Any]) -> str:
    """``paragraph 1`` or ``paragraphs 1–2``, for the pointer that replaces a repeated summary."""
    numbers = [str(p.number) for p in paragraphs if p.number is not None]
    if not numbers:
        return "the text below"
    if len(numbers) == 1:
        return f"paragraph {numbers[0]}"
    return f"paragraphs {numbers[0]}–{numbers[-1]}"
