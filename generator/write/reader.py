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

from ..title import SUMMARY_LABEL, first_sentence

DESCRIPTION_LIMIT = 300  # characters: what search engines and link previews show at most
_SUMMARY_LEAD = SUMMARY_LABEL
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
