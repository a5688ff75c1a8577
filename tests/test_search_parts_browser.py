"""Hit files in parts, in a real browser (issue 17's byte budgets): a long cable's hit file is part 0
(card, first paragraphs) and later parts, and the engine reads a later part when the hit shows one
of its paragraphs, when a phrase can only be there, and all of them for an excluded phrase.

The sample's long cables have parts at the shipped part size (hitfiles.PART_CHARS). The words and
phrases are found here, in the built sample's hit files and the indexer's own analysis, never
written down from a run of the engine."""

from __future__ import annotations

import gzip
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.search.analysis import cable_terms
from generator.search.tokens import tokenize
from tests.conftest import PROJECT
from tests.test_search_browser import archive_url, page  # noqa: F401 (fixtures)
from tests.test_search_features import (  # noqa: F401 (fixtures)
    PAGE_ROOT,
    holds_form,
    holds_phrase,
    open_search_page,
    sample_cables,
    show_all,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ENGINE = PROJECT / "theme" / "assets" / "javascripts" / "search-engine.js"
_STOP_SOURCE = re.search(r"var STOP = new Set\((.*?)\.split", ENGINE.read_text(encoding="utf-8"), re.S).group(1)
STOP = set("".join(re.findall(r'"([a-z ]*)"', _STOP_SOURCE)).split())  # the engine's optional words
A_WORD = re.compile("[a-z]{4,}")


@dataclass
class LongCable:
    id: str
    starts: list[int]  # where each later part begins (paragraph indexes)
    paragraphs: list[list[str]]  # [anchor, text], every part's


def _json(path: Path) -> dict:
    return json.loads(gzip.decompress(path.read_bytes()))


@pytest.fixture(scope="module")
def long_cables(sample_site) -> list[LongCable]:
    """The sample site's cables whose hit file is in parts, with all their paragraphs."""
    site, _ = sample_site
    found = []
    for head_path in sorted((site / "search" / "d").glob("*/*.json.gz")):
        if "-" in head_path.name:
            continue
        head = _json(head_path)
        if "k" not in head:
            continue
        paragraphs = list(head["p"])
        for part in range(1, len(head["k"]) + 1):
            part_path = head_path.with_name(head_path.name.replace(".json.gz", f"-{part}.json.gz"))
            paragraphs += _json(part_path)["p"]
        found.append(LongCable(head["i"], head["k"], paragraphs))
    assert len(found) > 20, "the sample has too few cables in parts"
    return found


def _df(sample_cables, word: str) -> int:  # noqa: F811
    return sum(word in terms for _, terms in sample_cables.values())


def test_a_hit_shown_by_a_paragraph_of_a_later_part_links_it_and_cuts_its_snippet_there(
        page, archive_url, long_cables, sample_cables):  # noqa: F811
    """A word first in a later part, in few cables: the hit links #parN of its first paragraph with
    the word and marks it in that paragraph's snippet."""
    from generator.enrich import enrich_cable

    choice = None
    for cable in long_cables:
        _, first_slot, _ = cable_terms(enrich_cable(sample_cables[cable.id][0]))
        for word, slot in sorted(first_slot.items()):
            if A_WORD.fullmatch(word) and slot - 1 >= cable.starts[0] and 0 < _df(sample_cables, word) <= 5:
                choice = cable, word, cable.paragraphs[slot - 1]
                break
        if choice:
            break
    assert choice, "no long cable of the sample has a rare word first in a later part"
    cable, word, (anchor, text) = choice
    assert word in tokenize(text)
    open_search_page(page, archive_url, f'"{word}"')
    hit = page.locator(f"{PAGE_ROOT} a.cs-hit", has=page.locator(".cs-hit__meta", has_text=cable.id))
    assert hit.get_attribute("href").endswith(f"#{anchor}")
    assert [tokenize(m)[0] for m in hit.locator("mark").all_inner_texts()][:1] == [word]


def _phrase_in_later_part(long_cables, sample_cables, most: int):  # noqa: F811
    """(cable, phrase words): two words, each in part 0, side by side only in a later part, the
    phrase held by at most ``most`` cables of the sample (the engine must read past part 0)."""
    for cable in long_cables:
        parsed = sample_cables[cable.id][0]
        early = [tokenize(f"{parsed.subject or ''} {parsed.id}")]
        early += [tokenize(text) for _, text in cable.paragraphs[:cable.starts[0]]]
        early_words = {t for tokens in early for t in tokens}
        for _, text in cable.paragraphs[cable.starts[0]:]:
            tokens = tokenize(text)
            for first, second in itertools.pairwise(tokens):
                pair = [first, second]
                if not all(A_WORD.fullmatch(w) and w not in STOP and w in early_words for w in pair):
                    continue
                if any(tokens_[i:i + 2] == pair for tokens_ in early for i in range(len(tokens_) - 1)):
                    continue
                if max(_df(sample_cables, w) for w in pair) > 60:  # keep the candidates few
                    continue
                holders = {cid for cid, (c, terms) in sample_cables.items()
                           if first in terms and second in terms and holds_phrase(c, pair)}
                if 0 < len(holders) <= most:
                    return cable, pair, holders
    return None


def test_a_phrase_only_in_a_later_part_is_found(page, archive_url, long_cables, sample_cables):  # noqa: F811
    found = _phrase_in_later_part(long_cables, sample_cables, most=10)
    assert found, "no long cable of the sample holds a phrase only past part 0"
    cable, words, holders = found
    open_search_page(page, archive_url, '"' + " ".join(words) + '"')
    assert set(show_all(page)) == holders and cable.id in holders


def test_an_excluded_phrase_only_in_a_later_part_excludes_the_cable(
        page, archive_url, long_cables, sample_cables):  # noqa: F811
    """``word -"phrase"``: the index cannot tell which cables hold a phrase, so every part of each
    candidate is read; the long cable holding the phrase only past part 0 is left out."""
    found = _phrase_in_later_part(long_cables, sample_cables, most=10)
    assert found, "no long cable of the sample holds a phrase only past part 0"
    cable, words, holders = found
    candidates = {cid for cid, (_, terms) in sample_cables.items() if holds_form(terms, words[0])}
    expected = candidates - holders
    assert cable.id in candidates and len(candidates) <= 200 and words[0] not in STOP
    open_search_page(page, archive_url, f'{words[0]} -"{" ".join(words)}"')
    assert set(show_all(page)) == expected
