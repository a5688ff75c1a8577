"""REF lines: split into entries and turn each cable reference into a canonical id.

Canonical ids follow the release: two-digit year, post as the posts table spells it in ids,
number without leading zeros (``05PARIS5459``, ``08STATE74879``, ``09THEHAGUE759``). A
reference without a year takes the citing cable's year, which is how the State Department
wrote them; a number alone (``A) 6307``) is a cable of the post named before it in the block,
else of the citing cable's own post.

Entries are found by their letters (``A.``, ``B)``, ``(C)``, ``D:``, also doubled as in
``A. A)``), accepted only in alphabetical order so that a one-letter word is not taken for a
label; a letter repeated by a typing slip (``A) ... B) ... B)``) opens an entry too. Reading
the ids inside an entry is refids.py's job. Entries that are not cables (e-mails, OSC
reports, intelligence reports, messages cited by date-time group) keep their text and get no id.
"""

from __future__ import annotations

import re

from ..model import Reference
from .posts import PostTable, active_posts
from .refids import Found, ids_in_entry, tidy_entry

_NON_CABLE = re.compile(
    r"@|\bE-?MAILS?\b|\bEMAIL|\bOSC\b|\bFBIS\b|\bMEMCONS?\b|\bTELCONS?\b|\bFAX\b|\bLETTER\b|\bPHONE\b"
    r"|\bWEBSITE\b|\bHTTP|\bWWW\.|\bDTG\b|\b\d{6}Z\b|\bIIR\b|\bTD-\d|\bSVTC\b|\bDVC\b|\bNON-?PAPER\b|\bINCSR\b",
    re.I,
)
_LABEL_MARK = r"\(?(?P<label>[A-Z])(?:\)|[.:](?=\s|\(|\d|$))"
_LABEL = re.compile(rf"(?:^|(?<=[\s;,.)]))(?:¶\s*)?{_LABEL_MARK}(?:\s*\(?(?P=label)(?:\)|[.:](?=\s|\(|\d|$)))?",
                    re.I)
_SPACES = re.compile(r"\s+")
_ENTRY_SEPARATOR = re.compile(r";|,(?!\s*\d)")
_NO_REFERENCE = re.compile(r"(?i)none|n/a|refs?|reftels?|\W+")
_OWN_POST = re.compile(r"^\d\d([A-Z]+?)\d+$")


def canonical_post(post: str, posts: PostTable | None = None) -> str:
    """``Sao Paulo`` -> ``SAOPAULO``, ``SECSTATE`` -> ``STATE``, ``RIO DE JAN`` -> ``RIODEJANEIRO``."""
    return (posts or active_posts()).canonical(post)


def split_entries(ref_text: str) -> list[tuple[str | None, str]]:
    """Split ``A. 05 PARIS 5459 B. PARIS 1568`` into ``[('A', '05 PARIS 5459'), ('B', 'PARIS 1568')]``.

    Letters count as labels only in order (A, B, C ...), which keeps ``B`` in ``B.C.`` or the
    ``A`` of a sentence from splitting an entry; the last label's letter written again in the
    same form (``B) ... B)``) is a slip of the typist and opens an entry as well.
    """
    text = _SPACES.sub(" ", ref_text.replace("¶", " ")).strip()
    labels: list[re.Match[str]] = []
    expected = None
    for match in _LABEL.finditer(text):
        letter = match.group("label").upper()
        if expected is None and letter == "A":
            expected = letter
        if labels and match.start() < labels[-1].end():
            continue
        if letter == expected or (labels and _repeats(labels[-1], match)):
            labels.append(match)
            expected = chr(ord(letter) + 1)
    if not labels:
        return [(None, part) for part in _split_unlabelled(text)]
    entries: list[tuple[str | None, str]] = []
    lead = text[: labels[0].start()].strip(" ;,")
    if lead:
        entries.extend((None, part) for part in _split_unlabelled(lead))
    for index, match in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        entries.append((match.group("label").upper(), text[match.end():end].strip(" ;,")))
    return entries


def _repeats(previous: re.Match[str], match: re.Match[str]) -> bool:
    """The previous label written again, letter and marks alike (``B)`` after ``B)``)."""
    return match.group(0).strip() == previous.group(0).strip() and match.group(0).strip()[-1] in ").:"


def _split_unlabelled(text: str) -> list[str]:
    return [part.strip(" ;,") for part in _ENTRY_SEPARATOR.split(text) if part.strip(" ;,")]


def parse_references(ref_text: str, cable_year: int | None, own_id: str | None,
                     posts: PostTable | None = None) -> list[Reference]:
    """References from the text after ``REF:``; non-cable entries keep their text, no id.

    An entry naming several cables (``A. BRASILIA 1250 AND RECIFE 66``) gives one Reference per
    cable; the cable's own id is never kept as an id (it appears in page headers).
    """
    posts = posts or active_posts()
    own = _OWN_POST.match(own_id or "")
    last_post = posts.canonical(own.group(1)) if own else None
    refs: list[Reference] = []
    for label, entry in split_entries(ref_text):
        if not entry or _NO_REFERENCE.fullmatch(entry):
            continue
        prefix = f"{label}. " if label else ""
        tidy = tidy_entry(entry, posts)
        found = [] if _NON_CABLE.search(entry) else ids_in_entry(tidy, cable_year, posts, last_post)
        if found:
            last_post = found[-1].post
        found = _distinct(found, own_id)
        if len(found) <= 1:
            refs.append(Reference(text=prefix + entry, cable_id=found[0].cable_id if found else None, label=label))
            continue
        for item in found:
            refs.append(Reference(text=prefix + tidy[item.start:item.end].strip(), cable_id=item.cable_id, label=label))
    return refs


def _distinct(found: list[Found], own_id: str | None) -> list[Found]:
    seen: set[str] = set()
    kept = []
    for item in found:
        if item.cable_id and item.cable_id != own_id and item.cable_id not in seen:
            seen.add(item.cable_id)
            kept.append(item)
    return kept
