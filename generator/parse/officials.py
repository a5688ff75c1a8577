"""The classifying official: the name(s) in a "Classified By:" block, without the title.

A block reads ``Classified By: Political Counselor F. Daniel Sainz for Reasons 1.4 (b) and (d)``,
``CLASSIFIED BY: Rose E. Gottemoeller, Assistant Secretary, VCI; REASON: 1.4(B), (D)`` or
``CLASSIFIED BY AF KARL WYCOFF, ACTING AND S/CT DAS SHARI VILLAROSA``. Three things make it hard:

- the telegram was wrapped at a fixed column, so any word may be broken by a space
  (``REA SONS``, ``f or reasons``, ``Hoyt Y ee``), and the drafter misspelt titles freely
  (``Ambassaor``, ``Counseor``, ``Direcotr``): titles are matched loosely (one or two letters off,
  a word cut in two put together again) and the reasons are found by their number (``1.4``) as
  well as by their word;
- titles are open-ended (office names, places, ``for Central Asia``): rather than list them all,
  the name is taken as the run of name-shaped words *after* the last title word, and a run that
  follows ``for``/``to``/``of`` keeps only the name-shaped end (``... Pakistan Richard C. Holbrooke``);
- in mixed-case text an all-capitals word is an office (``AIT``, ``PRT``, ``IPO``), which spares a
  list of every office; in all-capitals text the vocabulary below decides.
"""

from __future__ import annotations

import functools
import re

from .words import CONNECTORS, NAME_PARTICLES, PLACE_TITLES, SUFFIXES, is_title_prefix, is_title_word, normalise_word

_CLASSIFIED_BY = re.compile(r"\bclass\w*(?:\s+guide)?\s+by\b\s*:?", re.I)


def _spaced(word: str) -> str:
    """A word's letters with room for one wrap space anywhere: ``re\\s?a\\s?s...``."""
    return r"\s?".join(word)


# Where the reasons begin: their word in the spellings seen (a wrap space allowed anywhere),
# the executive order, or the section number itself (``1.4``, ``1,4``, ``1. 4``, ``1.5.D``).
_REASON_WORD = "|".join(_spaced(w) for w in ("reason", "reaon", "reson", "rason", "reasno")).replace("o", "[o0]")
_REASONS = re.compile(
    r"(?=[rse1])"  # what every branch starts with: most positions are passed over at once
    rf"(?:(?P<word>(?:\b(?:{_REASON_WORD})(?:\s?s)?(?:\(s\))?\b|\breas\b|\b{_spaced('section')}\b(?=\s*[\d(]))"
    r"\s*:?\s*)"
    r"|(?P<eo>\bE\.?\s?O\b\.?\s?(?:\d|,)|\b1[23]\d{3}\b)"
    r"|(?P<number>(?<![\w.])1\s?[.,]\s?[2-9](?!\d))"
    r"|(?P<for>(?<=\bfor\s)(?:(?-i:r[a-z])|re(?:a(?:s(?:o(?:n)?)?)?)?\s*$)))",  # "for reQ#8...", "FOR REA" at the end
    re.I,
)
# What joins the name to the reasons and is left over once they are cut off ("for", "per",
# "based on", "due to", a "for" the wrap broke: "f or").
_TAIL_WORDS = frozenset(("for", "fr", "f0r", "per", "under", "based", "upon", "on", "0n", "due", "to", "pursuant",
                         "with", "para", "paragraph", "in", "accordance", "and", "&", "eo", "e.o", "e.o."))
_SENTENCE_AFTER_REASONS = re.compile(r"(?<=[)\dA-Ha-h])\s*\.\s+(?=\S{3})")  # "1.5 (D).  NIACT PRECEDENCE..."
_PARENTHESES = re.compile(r"\([^()]*\)?")
_AI = re.compile(r"\ba\s?\.\s?[iy]\.", re.I)  # "a.i." (also "a. i.", "a.y.") after Charge d'Affaires
_SEGMENT = re.compile(r"[;:?]|,(?!\w)|\s-+\s|\s-+(?=[A-Z])|\s/\s")
_SLASH_NAME = re.compile(r"/(?=[A-Z][a-z])")  # "DCM/Ted Osius": a title run into a name
_INITIAL = re.compile(r"^(?:[A-Z0]\.){1,3}$")
_NAME_TOKEN = re.compile(r"^[\"“‘]?[A-Za-z0][A-Za-z0'’`\-.]*[\"”’]?,?$")  # also a nickname: "Hoot"
_NON_NAME = frozenset(("xxxxxxxxxxxx",))

TITLE, NAME, CONNECTOR, OTHER = "title", "name", "connector", "other"


@functools.lru_cache(maxsize=8192)
def split_classified_by(text: str) -> tuple[str | None, str | None]:
    """``Ambassador Clifford Sobel. Reasons: 1.4 (B and D).`` -> who and reasons, as written.

    A repeated ``Classified by`` (``Classified By: Classified by DCM Liz Dibble``) is dropped.
    Cached: an official's block comes back word for word in cable after cable."""
    text = text.strip()
    leads = list(_CLASSIFIED_BY.finditer(text))
    if leads:
        text = text[leads[-1].end():].strip()
    match = _REASONS.search(text)
    if not match:
        return _tidy_who(text), None
    who = _tidy_who(text[: match.start()])
    reasons = text[match.end():] if match.group("word") else text[match.start():]  # "Reasons:" dropped
    return who, reasons.strip(" .;,:") or None


def _tidy_who(text: str) -> str | None:
    """The official as written, without the words that led into the reasons."""
    words = text.rstrip(" .;,:-").split()
    while words:
        last = words[-1].strip(" .;,:-").lower()
        if last in _TAIL_WORDS or not last:
            words.pop()
        elif len(words) > 1 and (words[-2].lower() + last) in ("for", "upon"):
            del words[-2:]
        else:
            break
    return " ".join(words).strip(" .;,:-") or None


def classified_by_in_text(text: str) -> tuple[str | None, str | None]:
    """A ``CLASSIFIED BY`` sentence near the start of a paragraph (older cables put it in
    paragraph 1: ``CONFIDENTIAL - ENTIRE TEXT. CLASSIFIED BY: ... REASON: 1.5 (D).``)."""
    match = _CLASSIFIED_BY.search(text[:120])
    if not match:
        return None, None
    who, reasons = split_classified_by(text[match.start(): match.start() + 400])
    if reasons:
        reasons = _SENTENCE_AFTER_REASONS.split(reasons, maxsplit=1)[0].strip(" .;,") or None
    return who, reasons


def official_names(who: str | None) -> list[str]:
    """``Charge d'Affaires, a.i., Arnold A. Chacon`` -> ``['Arnold A. Chacon']``.

    The block is cut into parts at commas, semicolons, colons and dashes; the first part that
    holds a name gives it (``Rose E. Gottemoeller, Assistant Secretary``), a later part only
    when it ends in a name of two words or more right after a title
    (``..., ACTING AND S/CT DAS SHARI VILLAROSA``; not ``..., Iran Regional Presence Office``,
    ``..., Consulate General Hamburg``).
    """
    if not who:
        return []
    mixed = who.upper() != who  # any lower-case letter
    text = _PARENTHESES.sub(" ", who) if "(" in who else who
    if "." in text:
        text = _AI.sub(" a.i. ", text)
    if "/" in text:
        text = _SLASH_NAME.sub(" / ", text)
    names: list[str] = []
    parts = _segments(text)
    for number, part in enumerate(parts):
        name, after_title = _name_in(part, mixed, last=number == len(parts) - 1)
        if name and names and not (after_title and " " in name and part.rstrip(" .,").endswith(name)):
            continue
        if name and name not in names:
            names.append(name)
    return names


def _segments(text: str) -> list[str]:
    """Parts of the block; a part that is only ``Jr.`` or ``III`` joins the one before."""
    parts: list[str] = []
    for part in _SEGMENT.split(text):
        part = part.strip(" ,.")
        if not part:
            continue
        if parts and len(part) <= 4 and part.lower() in SUFFIXES:
            parts[-1] = f"{parts[-1]}, {part}"
            continue
        parts.append(part)
    return parts


def _name_in(part: str, mixed: bool, last: bool) -> tuple[str | None, bool]:
    """The name in one part and whether a title stands right before it. The block's last word
    may be a title cut short (``VCI/CCA Acting Offic``)."""
    tokens = _mend(part.split(), mixed)
    kinds = [_kind(t, mixed) for t in tokens]
    _resolve_single_letters(tokens, kinds)
    if last and len(tokens) > 1 and kinds[-1] == NAME and is_title_prefix(normalise_word(tokens[-1])):
        kinds[-1] = TITLE
    last_name = max((i for i, k in enumerate(kinds) if k == NAME), default=-1)
    if last_name < 0:
        return None, False
    start = last_name
    while start > 0 and kinds[start - 1] == NAME:
        start -= 1
    run = tokens[start: last_name + 1]
    before = kinds[start - 1] if start else None
    after_place = start > 0 and normalise_word(tokens[start - 1]) in PLACE_TITLES
    if before == CONNECTOR or after_place:
        run = _name_shaped_end(run)
        if not run:
            return None, False
    if before == OTHER and len(run) < 2:
        return None, False
    return _join(run), before == TITLE and not after_place


def _mend(tokens: list[str], mixed: bool) -> list[str]:
    """Put together words the wrap broke: ``AFFAIR S`` (a title) and, in mixed case, a name
    and its lower-case rest (``Hoyt Y ee``, ``Richa rd``, ``Josiah Rosen blatt`` at the end)."""
    out: list[str] = []
    for index, token in enumerate(tokens):
        if out and _glues(out[-1], token, mixed, last=index == len(tokens) - 1):
            out[-1] += token
        else:
            out.append(token)
    return out


def _glues(left: str, right: str, mixed: bool, last: bool) -> bool:
    """Whether ``right`` is the rest of ``left``, broken off by the wrap. The cheap tests on the
    two words' shapes come first: this runs for every pair of neighbouring words."""
    if len(right) > 2 and len(left) > 2 and not (mixed and right[0].islower()):
        return False  # the common case: two whole words
    if "." in right or not right[:1].isalpha() or not left[-1:].isalpha():
        return False
    if len(right) <= 2 or len(left) <= 2:
        right_word = normalise_word(right)
        if (is_title_word(normalise_word(left + right)) and not is_title_word(right_word)
                and not is_title_word(normalise_word(left))):
            return True
    if not (mixed and right[0].islower() and left[0].isupper() and (len(right) <= 3 or len(left) == 1 or last)):
        return False
    right_word = normalise_word(right)
    return right_word not in CONNECTORS and right_word not in NAME_PARTICLES and not is_title_word(right_word)


@functools.lru_cache(maxsize=16384)
def _kind(token: str, mixed: bool) -> str:
    """What a word of the block is: a title, a connector, part of a name, or something else.
    Cached: the same titles open most blocks."""
    word = normalise_word(token)
    if not word:
        return OTHER
    if word in CONNECTORS:
        return CONNECTOR
    if word in SUFFIXES or _INITIAL.match(token):
        return NAME
    if "/" in token or is_title_word(word):
        return TITLE
    if not _NAME_TOKEN.match(token) or word in _NON_NAME:
        return OTHER
    if mixed and not _INITIAL.match(token):
        if token.isupper() and len(word) >= 2:
            return TITLE  # an office in mixed-case text: AIT, PRT, IPO
        if token[0].islower() and word not in NAME_PARTICLES:
            return OTHER
    return NAME


def _resolve_single_letters(tokens: list[str], kinds: list[str]) -> None:
    """A lone letter without a dot is an initial between name words (``Patricia A McNerney``),
    else part of a title (``T U/S``, ``A E/MIN``)."""
    for index in range(len(tokens) - 1, -1, -1):
        if len(tokens[index]) == 1 and tokens[index].isalpha():
            before = kinds[index - 1] if index else None
            after = kinds[index + 1] if index + 1 < len(kinds) else None
            kinds[index] = NAME if before == NAME and after == NAME else TITLE


def _name_shaped_end(run: list[str]) -> list[str]:
    """The end of a run that looks like a name: surname, initials and at most one given name
    (``Afghanistan and Pakistan Richard C. Holbrooke`` -> ``Richard C. Holbrooke``)."""
    end = len(run)
    while end > 0 and normalise_word(run[end - 1]) in SUFFIXES:
        end -= 1
    if end < 2:
        return []
    start = end - 1
    while start > 0 and _INITIAL.match(run[start - 1]):
        start -= 1
    if start > 0:
        start -= 1
    return run[start:]


def _join(run: list[str]) -> str:
    name = " ".join(run).strip(" ,;:")
    if name.endswith(".") and not _INITIAL.match(run[-1]) and normalise_word(run[-1]) not in ("jr", "sr"):
        name = name[:-1]
    return name


@functools.lru_cache(maxsize=8192)
def names_of_classifier(who: str | None) -> tuple[str, ...]:
    """``official_names`` cached: the same officials classify thousands of cables."""
    return tuple(official_names(who))


__all__ = ["classified_by_in_text", "names_of_classifier", "official_names", "split_classified_by"]
