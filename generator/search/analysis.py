"""What a cable gives the search index: its terms, how often each counts, and where it first is.

Slot 0 is the cable's head: its subject, id and TAGS, which count ``SUBJECT_WEIGHT`` times.
The names it is filed under (topics, countries, post) count ``NAME_WEIGHT`` times:
a cable filed under the topic "Human rights" is found by "human rights" even when its text
says "HR" or "abuses", and a word of the subject tells more of what a cable is about than the
same word in a paragraph. Slot k >= 1 is the k-th paragraph.

Word forms: besides its terms, a cable holds an entry ``"<stem> "`` for each English stem
(tokens.stem) of which it has a form other than the stem itself, counting all its forms of the
stem. The space sorts the entry right after the term equal to the stem, so a query word's
forms are usually in the shard of the word itself; a cable whose only form is the stem is in
that term's entry already, so the browser takes the two together (search-engine.js: wordHits).
"""

from __future__ import annotations

import functools
from collections import Counter
from itertools import compress
from operator import itemgetter

from ..model import Cable
from .tokens import stems, tokenize

SUBJECT_WEIGHT = 4  # a word of the subject, id or TAGS counts as four in the body
NAME_WEIGHT = 2  # a word of a topic, country or post the cable is filed under counts as two
STEM_MARK = " "  # ends a stem's entry: no term holds a space, and it sorts before every letter


@functools.cache
def _country_names() -> dict[str, str]:
    """ISO code -> country name, from the site tables the build enriched the cables with."""
    from ..enrich.config import load_tables

    return {code: country.name for code, country in load_tables().countries.items()}


def country_name(code: str) -> str:
    return _country_names().get(code, code)


def filed_under(cable: Cable) -> list[str]:
    """The names of the topics, countries and post the cable is filed under."""
    return [*cable.topics, *map(country_name, cable.countries), cable.origin or ""]


def cable_terms(cable: Cable) -> tuple[Counter[str], dict[str, int], int]:
    """term -> weighted count, term -> first slot holding it, and the cable's length in tokens."""
    head = tokenize(" ".join(filter(None, (cable.subject, cable.id, " ".join(cable.tags)))))
    names = tokenize(" ".join(filed_under(cable)))
    slots = [head] + [tokenize(p.text) for p in cable.paragraphs]
    counts: Counter[str] = Counter()
    for tokens in slots[1:]:
        counts.update(tokens)
    counts.update(head * SUBJECT_WEIGHT)
    counts.update(names * NAME_WEIGHT)
    # A name's word not in the text points at the first paragraph: slot 0 tells the browser a
    # word is in the subject (search-engine.js ranks that up), which names shared by hundreds
    # of cables would blur.
    first_slot = dict.fromkeys(names, 1 if len(slots) > 1 else 0)
    for number in range(len(slots) - 1, -1, -1):  # backwards: the first slot holding a term wins
        first_slot.update(dict.fromkeys(slots[number], number))
    add_stems(counts, first_slot)
    return counts, first_slot, len(names) + sum(len(tokens) for tokens in slots)


def add_stems(counts: Counter[str], first_slot: dict[str, int]) -> None:
    """Add a ``"<stem> "`` entry for each stem of which the cable has a form other than the stem:
    the count of all its forms, at the first slot holding one.

    The stems, the terms that differ from theirs and their counts and slots are picked out in C
    (``map``, ``compress``, ``itemgetter``); only those terms pass through Python code: 20 % less
    time than one Python loop over every term (0.082 against 0.104 ms a cable, 10k benchmark's
    cables, best of 5)."""
    roots = list(map(stems.__getitem__, counts))  # a term that is its own stem maps to None
    terms = list(compress(counts, roots))
    if not terms:
        return
    if len(terms) == 1:
        tfs: tuple[int, ...] = (counts[terms[0]],)
        slots: tuple[int, ...] = (first_slot[terms[0]],)
    else:
        tfs, slots = itemgetter(*terms)(counts), itemgetter(*terms)(first_slot)
    tf: dict[str, int] = {}
    slot: dict[str, int] = {}
    for root, count, first in zip(filter(None, roots), tfs, slots, strict=True):
        if root in tf:
            tf[root] += count
            if first < slot[root]:
                slot[root] = first
        else:
            tf[root] = count
            slot[root] = first
    for root, total in tf.items():
        key = root + STEM_MARK
        counts[key] = total + counts.get(root, 0)
        first_slot[key] = min(slot[root], first_slot.get(root, slot[root]))
