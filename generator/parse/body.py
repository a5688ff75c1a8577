"""The body of a cable: numbered paragraphs, headings and unnumbered text.

A paragraph starts at a line like ``1. (C) text``, ``¶1. (C)``, ``1.(SBU)`` or, in cables
without portion marks, ``1. text`` in sequence. A blank line does not end a paragraph (the
original telegrams break pages inside paragraphs); only the next paragraph start, a heading or
the signature does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Paragraph, Span
from . import signers
from .header import PAGE_HEADER
from .markings import normalise_marking
from .starts import DASH_RULE as _DASH_RULE
from .starts import find_paragraph_starts, is_artifact

# Re-exported: the parser and the tests import it from here, where it lived before starts.py.
from .starts import first_paragraph_start as first_paragraph_start

_LIST_MARKER = re.compile(r"^\s*(?:-{1,2}|o\s|\*|•|[A-Z]\.\s|\(?[a-z]\)|\(?\d{1,2}\)|\(?[ivx]+\))")
_SENTENCE_END = re.compile(r"[.!?:;\"')\]]\s*$")
# A list item or a dash rule (_LIST_MARKER or _DASH_RULE) in one match.
_LIST_OR_RULE = re.compile(rf"(?:{_LIST_MARKER.pattern})|(?:{_DASH_RULE.pattern})")
_HEADING_END = re.compile(r"[.,;]\s*$")
_HEADING_TEXT_END = re.compile(r"[.,;]$")
_LEAD_MARK = re.compile(r"^\(([A-Za-z/\- ,]{1,80})\)\s*")
_NOT_CAPITALS = re.compile(r"[^A-Z]")
_END_CALLOUT = re.compile(r"\bEND\s+(?:OF\s+)?(?:COMMENT|NOTE)\b", re.I)


def reflow(lines: list[str]) -> str:
    """Join the telegram's hard-wrapped lines; keep list items and real paragraph breaks.

    A blank line inside a paragraph is kept as a break only when the text before it ends a
    sentence; otherwise it is a page break of the original and the text runs on.
    """
    chunks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            chunks[-1].append(line.rstrip())
        elif chunks[-1]:
            chunks.append([])
    out = ""
    for chunk in chunks:
        if not chunk:
            continue
        text = _join_chunk(chunk)
        if not out:
            out = text
        elif _SENTENCE_END.search(out[-8:]) or _LIST_MARKER.match(chunk[0]):  # the tail: linear time
            out += "\n\n" + text
        else:
            out += " " + text
    return out.strip()


def _join_chunk(chunk: list[str]) -> str:
    """The lines of one chunk (none of them blank) joined: a list item or a rule starts a new
    line, the rest runs on. Built as a list and joined once rather than by repeated ``+=``."""
    parts = [chunk[0].strip()]
    for line in chunk[1:]:
        parts.append(("\n" if _LIST_OR_RULE.match(line) else " ") + line.strip())
    return "".join(parts)


def _heading_at_end(block: list[str]) -> tuple[list[str], str | None]:
    """Split a trailing short heading line (with optional dash rules) off a block."""
    end = len(block)
    while end and (not block[end - 1].strip() or _DASH_RULE.match(block[end - 1])):
        end -= 1
    if not end:
        return block, None
    candidate = block[end - 1].strip()
    start = end - 1
    before = start - 1
    while before >= 0 and _DASH_RULE.match(block[before]):
        before -= 1
    if before >= 0 and block[before].strip():
        return block, None  # not separated from the text above: a last line, not a heading
    if (len(candidate) > 80 or len(candidate.split()) > 12 or _HEADING_END.search(candidate)
            or (not candidate[:1].isalnum() and not candidate.startswith("-"))
            or (_LIST_MARKER.match(candidate) and not candidate.startswith("---"))):
        return block, None
    heading = candidate.strip("- ").strip()
    if not heading or before < 0:
        return block, None
    return block[: before + 1], heading


def split_signature(lines: list[str]) -> tuple[list[str], str | None]:
    """The signer's line taken out of the body (rules in signers.py: ``DAALDER``, ``BUTENIS``)."""
    return signers.split_signature(lines)


def _text_blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def heading_text(block: list[str]) -> str | None:
    """The heading a block is, or None: one short line, maybe between or inside dash rules.

    ``SUMMARY`` over ``-------``, ``----- SUMMARY -----``, ``(S//NF) Summary``.
    """
    words = [line for line in block if not _DASH_RULE.match(line)]
    if len(words) != 1:
        return None
    text = words[0].strip().strip("-=_* ").strip()
    text = _LEAD_MARK.sub(lambda m: "" if normalise_marking(m.group(1)) else m.group(), text)
    if not text or len(text) > 80 or len(text.split()) > 12 or _HEADING_TEXT_END.search(text):
        return None
    return text


def _unnumbered(lines: list[str], after: int, counter: dict[int, int]) -> list[Paragraph]:
    """Text outside numbered paragraphs: one block per blank-line-separated chunk."""
    out = []
    for block in _text_blocks(lines):
        counter[after] = counter.get(after, 0) + 1
        anchor = f"par{after}-{counter[after]}"
        heading = heading_text(block)
        if heading:
            out.append(Paragraph(number=None, anchor=anchor, text=heading, kind="heading"))
            continue
        text = reflow(block)
        marking = None
        lead = _LEAD_MARK.match(text)
        if lead and normalise_marking(lead.group(1)):
            marking = normalise_marking(lead.group(1))
            text = text[lead.end():]
        out.append(Paragraph(number=None, anchor=anchor, text=text, classification=marking, kind="text"))
    return out


_LETTER_PILCROW = re.compile(r"^(\s*)¶\s*(?=[A-Za-z][.)]\s)")


def _body_line(line: str) -> str:
    """A line as the body parser reads it: furniture blanked, a run-in page header and the
    pilcrow before a lettered item (``¶A. ``) taken out. The substring tests spare most lines
    the substitutions, which change nothing without the word."""
    if is_artifact(line):
        return ""
    if "PAGE" in line:
        line = PAGE_HEADER.sub("", line)
    if "¶" in line:
        line = _LETTER_PILCROW.sub(r"\1", line)
    return line


def parse_body(lines: list[str], first_line: int) -> tuple[list[Paragraph], str | None]:
    """Paragraphs of the body that starts at ``first_line``, and the signature if any."""
    lines = [_body_line(line) for line in lines]
    starts = find_paragraph_starts(lines, first_line)
    lines, signature = split_signature(lines)
    paragraphs: list[Paragraph] = []
    counter: dict[int, int] = {}
    used_anchors: set[str] = set()
    boundaries = [s.line for s in starts] + [len(lines)]
    if not starts:
        return mark_structure(_unnumbered(lines[first_line:], 0, counter)), signature
    paragraphs.extend(_unnumbered(lines[first_line: starts[0].line], 0, counter))
    for number, start in enumerate(starts):
        block = [start.rest, *lines[start.after:boundaries[number + 1]]]
        # A heading heads the paragraph after it: a short line closing the cable ("END COMMENT",
        # "MINIMIZE CONSIDERED" once the signer is taken off) heads nothing.
        block, heading = _heading_at_end(block) if number + 1 < len(starts) else (block, None)
        anchor = f"par{start.number}"
        repeat = 2
        while anchor in used_anchors:
            anchor = f"par{start.number}_{repeat}"
            repeat += 1
        used_anchors.add(anchor)
        paragraphs.append(Paragraph(number=start.number, anchor=anchor, text=reflow(block),
                                    classification=start.marking))
        if heading:
            counter[start.number] = counter.get(start.number, 0) + 1
            paragraphs.append(Paragraph(number=None, anchor=f"par{start.number}-{counter[start.number]}",
                                        text=heading, kind="heading"))
    return mark_structure(paragraphs), signature


# Comment and note blocks. Inline, a block must be closed ("End Comment.") or bracketed, so that
# "declined to comment." is not one; a paragraph that opens with "Comment:" is one to its end.
_BLOCK_OPEN = r"\b(?P<kind>COMMENT|NOTE)\b\s*(?::|\.|--?|—)"
_CLOSED_BLOCK = re.compile(
    rf"\(?{_BLOCK_OPEN}.*?\bEND\s+(?:OF\s+)?(?P=kind)\b\s*[.:]?\s*\)?", re.I | re.S)
_BRACKETED_BLOCK = re.compile(rf"\(\s*{_BLOCK_OPEN}[^()]*(?:\([^()]*\)[^()]*)*\)", re.I)
_LEADING_BLOCK = re.compile(rf"^\s*(?:\(\s*)?{_BLOCK_OPEN}", re.I)
_REDACTION = re.compile(r"X{5,}")
_CALLOUT_WORDS = ("COMMENT", "NOTE")
_OPENING = re.compile(rf"\(?{_BLOCK_OPEN}", re.I)  # how a _CLOSED_BLOCK starts
_CLOSINGS = {word: re.compile(rf"\bEND\s+(?:OF\s+)?{word}\b", re.I) for word in _CALLOUT_WORDS}
_CALLOUT_HEADINGS = {"COMMENT": "comment", "COMMENTS": "comment", "NOTE": "note", "NOTES": "note"}


def _closed_blocks(text: str, upper: str) -> Iterator[re.Match[str]]:
    """What ``_CLOSED_BLOCK.finditer(text)`` gives, without its case-blind try at every character.

    A match starts at "COMMENT" or "NOTE" (any case) or at the "(" before it, so the pattern is
    tried only there, leftmost first, resuming after each match as ``finditer`` does. Where a
    letter matches case-blind, ``upper`` has the capital at the same index (checked for every
    code point), unless upper-casing changed the length: then the plain scan is used. Without
    "END" there is no closed block.
    """
    if "END" not in upper:
        return
    if len(upper) != len(text):
        yield from _CLOSED_BLOCK.finditer(text)
        return
    starts: dict[int, str] = {}  # where a match may start -> the word there
    for word in _CALLOUT_WORDS:
        index = upper.find(word)
        while index >= 0:
            starts[index] = word
            if index and text[index - 1] == "(":
                starts[index - 1] = word
            index = upper.find(word, index + 1)
    last_closing: dict[str, int] = {}
    position = 0
    for start, word in sorted(starts.items()):
        if start < position or not _OPENING.match(text, start):
            continue
        if word not in last_closing:
            last_closing[word] = _last_closing(text, upper, word)
        if last_closing[word] < start + len(word):
            continue  # no "End <word>" further on: the pattern's lazy scan for one would fail
        match = _CLOSED_BLOCK.match(text, start)
        if match:
            yield match
            position = match.end()


def _last_closing(text: str, upper: str, word: str) -> int:
    """Where the last "End <word>" (how a ``_CLOSED_BLOCK`` ends) starts; -1 if nowhere."""
    closing = _CLOSINGS[word]
    index = upper.rfind("END")
    while index >= 0 and not closing.match(text, index):
        index = upper.rfind("END", 0, index)
    return index


def find_spans(text: str) -> list[Span]:
    """Redaction runs and inline comment/note blocks in a paragraph's text, in order."""
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    upper = text.upper()
    blocks = (_closed_blocks(text, upper), _BRACKETED_BLOCK.finditer(text)) \
        if "COMMENT" in upper or "NOTE" in upper else ()
    for matches in blocks:
        for match in matches:
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            start, end = match.start(), match.end()
            if text[start] != "(" and text[end - 1] == ")" and text[start:end].count(")") > text[start:end].count("("):
                end -= 1
            taken.append((start, end))
            spans.append(Span(kind=match.group("kind").lower(), start=start, end=end))
    if "XXXXX" in text:
        spans.extend(Span("redaction", m.start(), m.end()) for m in _REDACTION.finditer(text))
    return sorted(spans, key=lambda span: (span.start, -span.end))


def mark_structure(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Mark comment and note callouts and inline spans.

    A paragraph that is a comment or note from its first word (``Comment: ...``) is a callout;
    so are the paragraphs under a ``COMMENT`` heading, up to the next heading or the paragraph
    that closes with ``End Comment``.
    """
    under: str | None = None
    for para in paragraphs:
        if para.kind == "heading":
            under = _CALLOUT_HEADINGS.get(_NOT_CAPITALS.sub("", para.text.upper()))
            continue
        para.spans = find_spans(para.text)
        lead = _LEADING_BLOCK.match(para.text)
        whole = [s for s in para.spans if s.kind != "redaction" and s.start <= lead.start() + 2 and
                 s.end >= len(para.text.rstrip()) - 1] if lead else []
        if lead and (whole or not any(s.kind != "redaction" and s.start <= lead.end() for s in para.spans)):
            para.callout = lead.group("kind").lower()
            para.spans = [s for s in para.spans if s.kind == "redaction"]
        elif under:
            para.callout = under
            if _END_CALLOUT.search(para.text):
                under = None
    return paragraphs
