"""The cable's summary: the text a drafter marked as such near the top of the body.

Drafters open it in many ways (``Summary:``, ``Summary and Comment:``, ``Summary and Action
Request.``, ``Summary/Comment:``, a ``--- SUMMARY ---`` or ``SUMMARY AND TABLE OF CONTENTS``
heading) and close it with ``End Summary`` in as many (``END SUMMARY AND COMMENT.``, ``End
Summary/Comment.``), across paragraphs, or not at all. One opener rule and one closer rule cover
the spellings; a summary never closed is its first paragraph, up to an inline heading.
"""

from __future__ import annotations

import re

from ..model import Paragraph

# "Summary", optionally "and"/"/" and up to three words ("and Action Request"), then ":" "." or a dash.
_OPENER = re.compile(r"\bSUMMARY(?:\s*(?:\bAND\b|/|&)\s*[A-Z]+(?:[ \t]+[A-Z]+){0,2}?)?\s*(?::|\.|--?|—)\s*", re.I)
_CLOSER = re.compile(r"\(?\bEND\s+(?:OF\s+)?SUMMARY\b", re.I)
_HEADING = re.compile(r"[\W_]*SUMMARY(?:\s*(?:\bAND\b|/|&)\s*[A-Z]+(?:\s+[A-Z]+){0,3})?[\W_]*", re.I)
_LEAD_MARKING = re.compile(r"^\s*\((?:TS|S|C|U|SBU|LOU)(?:\s*/{1,2}\s*[A-Z]+)*\)\s*")
_INLINE_HEADING = re.compile(r"\s+[-‐=_]{4,}.*$", re.S)
_WINDOW = 10  # the summary opens within the first paragraphs
_SPAN = 6  # and runs over a few at most


def extract_summary(paragraphs: list[Paragraph]) -> str | None:
    """The summary text without its opener and closer, or None when the cable has none."""
    for index, para in enumerate(paragraphs[:_WINDOW]):
        text = para.text
        # The word test spares most paragraphs the case-blind searches.
        if "SUMMARY" not in text.upper():
            continue
        following = paragraphs[index + 1:index + _SPAN]
        if _HEADING.fullmatch(text):
            if not following:
                return None
            first = following[0].text
            lead = _OPENER.match(first)
            return _collect(first[lead.end():] if lead else first, following[1:])
        opener = _OPENER.search(text)
        closer = _CLOSER.search(text)
        if opener and closer and opener.start() > closer.start():
            opener = None  # the "Summary." of "End Summary." opens nothing
        if opener and (opener.start() < 40 or index == 0):
            return _collect(text[opener.end():], following)
        if closer:  # closed but never opened: the paragraph itself is the summary
            return _clean(text[: closer.start()]) or None
    return None


def _collect(first: str, following: list[Paragraph]) -> str | None:
    """From the opener on, through the paragraph that closes it; unclosed: the first paragraph."""
    closer = _CLOSER.search(first)
    if closer:
        return _clean(first[: closer.start()]) or None
    parts = [_clean(first)]
    for para in following:
        closer = _CLOSER.search(para.text)
        if closer:
            parts.append(_clean(para.text[: closer.start()]))
            return "\n\n".join(p for p in parts if p) or None
        if para.kind == "heading":
            break
        parts.append(_clean(para.text))
    return _INLINE_HEADING.sub("", parts[0]).strip() or None


def _clean(text: str) -> str:
    """Without a portion marking the opener left in front (``Summary: (SBU) Japanese ...``)."""
    return _LEAD_MARKING.sub("", text).strip()


__all__ = ["extract_summary"]
