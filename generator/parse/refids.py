"""Cable ids inside one REF entry: a post name followed by a number, with a year before or after.

Entries are first tidied of the typing habits that hide an id (``0TTAWA`` and ``LAGOS O1512``
with O and 0 swapped, ``KUWAIT (C)02293`` with a portion mark inside, ``BAGHDAD #3565``,
``STATE: 73097``, ``10-OTTAWA-57``, ``09RIYADH1302`` written without spaces), then read left
to right. The post is read backwards from each number: the longest run of up to four words the
posts table knows (``THE HAGUE``, ``USUN NEW YORK``, ``REF A HAVANA`` -> ``HAVANA``), else the
words before the number as written, back to one that belongs to the sentence (``AND``,
``PREVIOUS``) or a lone letter: a post the table lacks keeps its spelling (``WHITE HOUSE 853``),
and a citation that is not a cable (``9 FAM APPENDIX K, 406``, ``UNSCR 1737``) gives no post.
A number that follows a cable after ``AND``, ``,`` or ``/`` is another cable of the same post
and year (``KABUL 936/935``, ``STATE 41252 AND 44603``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .posts import PostTable

# Words that end a post name when reading backwards from the number: they belong to the
# sentence around the reference, not to the post.
NOT_POST = frozenset({
    "A", "AN", "AND", "OR", "AS", "AT", "BY", "FROM", "FOR", "IN", "OF", "ON", "PER", "SEE", "TO", "WITH",
    "ALSO", "PREVIOUS", "PREVIOUSLY", "PRIOR", "NOTAL", "REF", "REFS", "REFTEL", "REFTELS", "CABLE",
    "CABLES", "TELEGRAM", "TELEGRAMS", "MSG", "MESSAGE", "EMBASSY", "EMBTEL", "DEPTEL", "AMEMBASSY", "AMCONSUL",
    "USMISSION", "CONSULATE", "MISSION", "DATED", "NO", "NUMBER", "PARA", "PARAS", "PARAGRAPH", "PAGE",
    "EXDIS", "NODIS", "LIMDIS", "SIPDIS", "NOFORN", "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY",
    "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER", "JAN", "FEB", "MAR",
    "APR", "JUN", "JUL", "AUG", "SEP", "SEPT", "OCT", "NOV", "DEC", "DAILY", "REPORT", "POINTS",
    "THE", "THIS", "THAT", "OTHERS", "UNCLASS", "UNCLASSIFIED", "CONFIDENTIAL", "SECRET",
    "UNSCR", "UNSC", "RESOLUTION", "FAM", "FAH", "NOTICE", "ARTICLE", "SECTION", "TITLE", "LAW", "DECREE",
})
_MONTH = (r"(?:JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?"
          r"|SEP(?:T(?:EMBER)?)?|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?)\b")
_YEAR = r"(?:19|20)\d\d|\d\d"

# Tidying, in order; an entry with none of these shapes is left alone (the common case).
_NEEDS_TIDYING = re.compile(r"[A-Z]0|0[A-Z]|\bO\d|[A-Z]\s*[(#:,]|\d-[A-Z]|\d[A-Z]|[A-Z]\d|EMBASSY|CONSUL|MISSION")
_ZERO_FOR_O = re.compile(r"(?<=[A-Z])0(?=[A-Z])|\b0(?=[A-Z]{3})|(?<=[A-Z]{3})0\b")
_O_FOR_ZERO = re.compile(r"\bO(?=\d)")
_MARK_BEFORE_NUMBER = re.compile(r"(?<=[A-Z])\s*\((?:U|C|S|SBU|TS)\)\s*(?=\d)")
# "PRAGUE, 1228", "STATE: 73097", "BAGHDAD #3565"; not "WASHINGTON, 2005" (a date's year)
_PUNCT_BEFORE_NUMBER = re.compile(r"(?<=[A-Z])\s*(?:[:,]\s*#?|#)\s*(?=\d)(?!(?:19|20)\d\d\b)")
_YEAR_INSIDE = re.compile(rf"(?<=[A-Z])\s*\(({_YEAR})\)\s*(\d{{1,7}})\b")  # STATE (01) 201265
_HYPHENED_ID = re.compile(rf"(?<![\w-])({_YEAR})-([A-Z]{{2,}})-(\d{{1,7}})\b")  # 10-OTTAWA-57
_GLUED_YEAR = re.compile(rf"(?<![\w/])({_YEAR})([A-Z][A-Z\-]*[A-Z])\s?(\d{{1,7}})(?![\w/])")  # 09RIYADH1302
_KIND_GLUED = re.compile(r"\b(?:AM)?(?:EMBASSY|CONSUL(?:ATE)?)(?=[A-Z]{3})|\bUSMISSION(?=[A-Z]{3})")  # EMBASSYVIENNA
_GLUED_POST = re.compile(r"(?<![\w/])([A-Z]{2,})(\d{3,7})(?![\w/])")  # HK05511

# A number: not inside a word, a date or a dotted code; a slash may join cable numbers
# (936/935) or add a year (00789/08).
_NUMBER = re.compile(r"(?<![\w.\-])(?<![^\d]/)(?P<number>\d{1,7})"
                     r"(?=[-/]\d\d(?![\d/\-])|/(?!(?:19|20)\d\d\b)\d{3,7}\b|(?![\w/\-]|\.\d))")
# The year before a post, zero-padded at times (094 QUITO), the mission's kind between at
# times (05 EMBASSY VIENNA).
_YEAR_BEFORE = re.compile(rf"(?:^|[\s(;,])\(?'?0?(?P<year>{_YEAR})\)?\s*"
                          r"(?:(?:AM)?EMBASSY\s+|AMCONSUL\s+|CONSULATE\s+|(?:US)?MISSION\s+)?$")
_YEAR_AFTER = re.compile(rf"(?:\s*\((?P<p>{_YEAR})\)|[-/](?P<s>\d\d)(?![\d/])|\s+(?P<w>\d\d)(?=\s*(?:$|[;,])))")
_DATE_AFTER = re.compile(rf"\s*{_MONTH}")
_LAST_WORD = re.compile(r"([A-Z][A-Z'\-]*)\s*$")
_JOINER = re.compile(r"\s*(?:/|,|&|\bAND\b)\s*(?:\bCABLES?\s+)?")
_POST_WORDS_BETWEEN = re.compile(r"\s+CABLES?\s*$")  # COLOMBO CABLES 0266
_YEAR_OF_NEXT = re.compile(rf"(?:{_YEAR})\s+[A-Z][A-Z' \-]*\s\d")  # 2543, 03 VAT 4859: 03 is a year
_BARE_NUMBER = re.compile(r"(?!(?:19|20)\d\d$)\d{3,7}")  # not "03" or "2006": a year cut off its entry
_NUMBER_FIRST = re.compile(r"^(?P<number>\d{1,7})\s+(?P<post>[A-Z][A-Z' \-]*[A-Z])$")  # 870 ULAANBAATAR


class Found(NamedTuple):
    cable_id: str
    start: int  # span of the entry text it was read from
    end: int
    post: str  # the canonical post, for a bare number later in the block


def tidy_entry(entry: str, posts: PostTable) -> str:
    """Upper-case an entry and undo the typing habits that hide ids (see the module docstring)."""
    text = entry.upper()
    if not _NEEDS_TIDYING.search(text):
        return text  # most entries: "STATE 1234", "05 PARIS 5459"
    text = _ZERO_FOR_O.sub("O", text)
    text = _O_FOR_ZERO.sub("0", text)
    text = _MARK_BEFORE_NUMBER.sub(" ", text)
    text = _PUNCT_BEFORE_NUMBER.sub(" ", text)
    text = _YEAR_INSIDE.sub(r" \2 (\1)", text)
    text = _HYPHENED_ID.sub(r"\1 \2 \3", text)
    text = _GLUED_YEAR.sub(r"\1 \2 \3", text)
    text = _KIND_GLUED.sub(lambda m: m.group(0) + " ", text)
    return _GLUED_POST.sub(lambda m: f"{m.group(1)} {m.group(2)}" if posts.knows(m.group(1)) else m.group(0), text)


def canonical_id(year: str | None, post: str, number: str, default_year: int | None, posts: PostTable) -> str | None:
    """``('05', 'PARIS', '05459', None)`` -> ``'05PARIS5459'``; None without any year."""
    if year:
        yy = year[-2:]
    elif default_year is not None:
        yy = f"{default_year % 100:02d}"
    else:
        return None
    return f"{yy}{posts.canonical(post)}{int(number)}"


def ids_in_entry(text: str, default_year: int | None, posts: PostTable, bare_post: str | None) -> list[Found]:
    """Canonical ids in one tidied entry, with the span each was read from.

    ``bare_post`` is the post an entry of a number alone refers to (the previous reference's
    post, else the citing cable's own)."""
    whole = _whole_entry(text, default_year, posts, bare_post)
    if whole is not None:
        return whole
    found: list[Found] = []
    consumed = 0
    last: tuple[str, str | None] | None = None  # post and year of the previous cable
    for match in _NUMBER.finditer(text):
        if match.start() < consumed or _DATE_AFTER.match(text, match.end()):
            continue
        end = match.end()
        after = _YEAR_AFTER.match(text, end)
        after_year = (after.group("p") or after.group("s") or after.group("w")) if after else None
        if after:
            end = after.end()
        post, start = _post_before(text, match.start(), posts)
        if post:
            year_match = _YEAR_BEFORE.search(text, max(0, start - 40), start)  # a window: linear
            year = year_match.group("year") if year_match else None
            if year_match:
                start = year_match.start("year")
            last = (post, year)
        elif last and _continues(text, consumed, match):
            post, year = last
            start = match.start()
        else:
            continue
        cable_id = canonical_id(after_year or year, post, match.group("number"), default_year, posts)
        if cable_id:
            found.append(Found(cable_id, start, end, posts.canonical(post)))
        consumed = end
    return found


def _whole_entry(text: str, default_year: int | None, posts: PostTable,
                 bare_post: str | None) -> list[Found] | None:
    """The id of an entry that is a number alone (``A) 6307``: ``bare_post``'s cable) or a
    number before a known post (``870 ULAANBAATAR``); None for any other entry."""
    stripped = text.strip(" .;,")
    if _BARE_NUMBER.fullmatch(stripped) and bare_post:
        post, number = bare_post, stripped
    else:
        first = _NUMBER_FIRST.match(stripped)
        if not (first and posts.knows(first.group("post"))):
            return None
        post, number = posts.canonical(first.group("post")), first.group("number")
    cable_id = canonical_id(None, post, number, default_year, posts)
    return [Found(cable_id, 0, len(text), post)] if cable_id else []


def _continues(text: str, consumed: int, match: re.Match[str]) -> bool:
    """A number joined to the cable before it (``936/935``, ``41252 AND 44603``) that is not
    the year of the next reference (``2543, 03 VAT 4859``)."""
    return (bool(_JOINER.fullmatch(text, consumed, match.start()))
            and not _YEAR_OF_NEXT.match(text, match.start()))


def _post_before(text: str, position: int, posts: PostTable) -> tuple[str | None, int]:
    """The post name written just before ``position`` and where it starts."""
    offset = max(0, position - 120)  # four words at most: a window keeps long entries linear
    head = _POST_WORDS_BETWEEN.sub("", text[offset:position].rstrip())
    words: list[tuple[str, int]] = []  # up to four words, nearest last, stopping at punctuation
    while len(words) < 4:
        match = _LAST_WORD.search(head, max(0, len(head) - 40))  # no post word is longer
        if not match:
            break
        before = head[: match.start()]
        if before and not before[-1].isspace() and before[-1] not in "(;,:)":
            break
        words.insert(0, (match.group(1), offset + match.start()))
        head = before.rstrip()
        if not head or head[-1] in ";,:()":
            break
    for first in range(len(words)):  # the longest run the table knows
        run = " ".join(word for word, _ in words[first:])
        if posts.knows(run):
            return run, words[first][1]
    kept: list[tuple[str, int]] = []
    for word, start in reversed(words):  # else: back to a word of the sentence or a lone letter
        if word in NOT_POST or len(word) < 2:
            break
        kept.insert(0, (word, start))
    if not kept or kept[-1] != words[-1]:
        return None, position
    return " ".join(word for word, _ in kept), kept[0][1]
