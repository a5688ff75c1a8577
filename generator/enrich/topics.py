"""Topics of a cable: from its TAGS subject and organisation codes, and from the keyword taxonomy.

TAGS give topics only to tagged cables; the keyword taxonomy (site_config/topics.yml) lets
untagged ones (the seed, a publisher's own texts) be found by topic too. A keyword topic needs
several hits (``min_hits``) so that one passing phrase does not file a cable under it.

All keywords of all topics are found in one pass: ordinary keywords on the text lower-cased with
its white space folded to single spaces (so a phrase broken across lines still matches),
acronyms (keywords written in capitals, such as START) on the text as written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..model import Cable
from .config import SiteTables
from .trie import WordFinder


def _is_acronym(keyword: str) -> bool:
    return keyword.upper() == keyword and any(c.isalpha() for c in keyword)


# The ASCII characters str.split() splits on, besides the space, and a double space.
_ASCII_BREAKS = ("\n", "  ", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


def _fold(text: str) -> str:
    """White space folded to single spaces, ends stripped.

    Most paragraphs are ASCII with single spaces already; for them a few substring tests (in C,
    no word list built) show there is nothing to fold.
    """
    if (text.isascii() and not text.startswith(" ") and not text.endswith(" ")
            and not any(brk in text for brk in _ASCII_BREAKS)):
        return text
    return " ".join(text.split())


@dataclass
class TopicMatcher:
    tables: SiteTables
    plain: WordFinder  # lower-case keywords, matched on folded lower-case text
    acronyms: WordFinder  # capitalised keywords, matched on folded text as written
    topics_of_keyword: dict[str, list[str]]  # keyword as matched -> topic names

    @classmethod
    def from_tables(cls, tables: SiteTables) -> TopicMatcher:
        topics_of_keyword: dict[str, list[str]] = {}
        for rule in tables.topic_rules:
            for keyword in rule.keywords:
                key = _fold(keyword) if _is_acronym(keyword) else _fold(keyword).lower()
                names = topics_of_keyword.setdefault(key, [])
                if rule.name not in names:
                    names.append(rule.name)
        plain = [k for k in topics_of_keyword if not _is_acronym(k)]
        acronyms = [k for k in topics_of_keyword if _is_acronym(k)]
        return cls(tables, WordFinder.compile(plain), WordFinder.compile(acronyms), topics_of_keyword)

    def keyword_hits(self, texts: list[str]) -> Counter[str]:
        """Occurrences of each topic's keywords in ``texts``, by topic name.

        The folded texts are searched as one, joined by newlines, to pay for each pattern's
        scan once per cable. That finds what searching them one by one finds: a folded text
        and a (folded) keyword hold no newline, so no match spans two texts, and a newline,
        being no letter or digit, bounds a word as the start or end of a text does (for
        ``lower()``'s final sigma too).
        """
        folded = "\n".join(_fold(text) for text in texts)
        found = Counter(self.plain.findall(folded.lower()))
        found.update(self.acronyms.findall(folded))
        hits: Counter[str] = Counter()
        for keyword, count in found.items():
            for name in self.topics_of_keyword.get(keyword, ()):
                hits[name] += count
        return hits

    def topics_of(self, cable: Cable) -> list[str]:
        """Topic names: those of its TAGS first (in TAGS order), then keyword topics."""
        names: dict[str, None] = {}
        for tag in cable.tags:
            topic = self.tables.tag_topic(tag.strip())
            if topic:
                names.setdefault(topic, None)
        hits = self.keyword_hits([cable.subject or "", *(p.text for p in cable.paragraphs)])
        for rule in self.tables.topic_rules:
            if hits[rule.name] >= rule.min_hits:
                names.setdefault(rule.name, None)
        return list(names)
