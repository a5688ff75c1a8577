"""What a cable page shows of the rest of the archive: references, neighbours and chips.

Owns the link context (from a catalog entry alone: what a page's key hashes, so that a rebuild
tells a changed page without loading its cable), the page context made from it, and the memo
of chip links. Pure functions of the archive's links (``enrich.links.Links``: the build's
catalog database, or an index in memory) and chip table (``indexes.taxonomy.Chips``): writes no
file, keeps no state between builds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..enrich.links import Links
from ..indexes.taxonomy import Chips
from ..model import Cable, CatalogEntry
from ..store import page_key
from ..write.paths import relative_url


def cable_context(cable: Cable, url: str, links: Links, taxonomy: Chips | None = None) -> dict[str, Any]:
    """What a cable page shows of the rest of the archive, from the cable alone: references and
    neighbours as links relative to the page; chips (countries, topics, tags, origin,
    classification) as site URLs, which the template's ``chip`` makes relative. The build makes
    it as ``page_context`` of the page's ``link_context`` (tested equal), from what the key hashes."""
    references = []
    for ref in cable.references:
        target = links.resolve(ref.cable_id) if ref.cable_id and ref.cable_id != cable.id else None
        references.append({"text": ref.text, "cable_id": ref.cable_id,
                           "url": relative_url(url, target.url) if target else None})
    return {"references": references, **neighbour_links(cable.id, url, links), **taxonomy_links(cable, taxonomy)}


def link_context(entry: CatalogEntry, links: Links, taxonomy: Chips | None = None,
                 chips: Callable[[CatalogEntry], dict[str, Any]] | None = None) -> dict[str, Any]:
    """What of the rest of the archive a cable page depends on, from its catalog entry alone.

    With the cable's own content hash it determines the page (``cable_context`` adds only the
    reference texts, which are part of the cable): its page key, computed without loading the
    cable, so that an unchanged page costs next to nothing in a rebuild."""
    resolved = {}
    for cable_id in entry.reference_ids:
        target = links.resolve(cable_id)
        resolved[cable_id] = relative_url(entry.url, target.url) if target else None
    return {"references": resolved, **neighbour_links(entry.id, entry.url, links),
            **(chips(entry) if chips else taxonomy_links(entry, taxonomy))}


def page_context(cable: Cable, context: dict[str, Any] | None) -> dict[str, Any]:
    """``cable_context`` from the page's ``link_context`` (tested equal): the reference texts
    are the cable's, with the links the link context resolved."""
    assert context is not None
    resolved = context["references"]
    references = [{"text": ref.text, "cable_id": ref.cable_id,
                   "url": resolved.get(ref.cable_id) if ref.cable_id and ref.cable_id != cable.id else None}
                  for ref in cable.references]
    return {**context, "references": references}


def neighbour_links(cable_id: str, url: str, links: Links) -> dict[str, Any]:
    """The cables citing this one, and the previous and next cable from the same post."""
    def entry_link(other_id: str) -> dict[str, Any] | None:
        entry = links.resolve(other_id)
        if entry is None:
            return None
        title = entry.title if entry.title != entry.id else None  # the id is shown anyway
        return {"id": entry.id, "subject": title, "url": relative_url(url, entry.url)}

    return {
        "cited_by": [e for e in (entry_link(i) for i in links.cited_by(cable_id)) if e],
        "previous": entry_link(links.previous(cable_id) or ""),
        "next": entry_link(links.next(cable_id) or ""),
    }


def taxonomy_links(cable: Cable | CatalogEntry, taxonomy: Chips | None) -> dict[str, Any]:
    """The index pages a cable's chips point at; without a taxonomy the chips are plain text."""
    if taxonomy is None:
        return {"countries": [], "topics": [], "classification_url": None, "origin_url": None, "tag_urls": {}}
    countries = [{"name": taxonomy.country_name(iso2), "url": taxonomy.url("country", iso2)}
                 for iso2 in cable.countries]
    return {
        "countries": countries,
        "topics": [{"name": name, "url": taxonomy.url("topic", name)} for name in cable.topics],
        "classification_url": taxonomy.url("classification", cable.classification),
        "origin_url": taxonomy.url("origin", cable.origin),
        "tag_urls": {tag: taxonomy.url("tag", tag) for tag in cable.tags},
    }


class ChipMemo:
    """``taxonomy_links`` with each chip's link worked out once per build, not once per cable
    that shows it: a rebuild asks for every cable's chips."""

    def __init__(self, taxonomy: Chips | None) -> None:
        self.taxonomy = taxonomy
        self.urls: dict[tuple[str, str | None], str | None] = {}
        self.countries: dict[str, dict[str, Any]] = {}

    def url(self, kind: str, key: str | None) -> str | None:
        found = self.urls.get((kind, key), self)
        if found is self:
            assert self.taxonomy is not None
            self.urls[(kind, key)] = found = self.taxonomy.url(kind, key)
        return found  # type: ignore[return-value]

    def country(self, iso2: str) -> dict[str, Any]:
        found = self.countries.get(iso2)
        if found is None:
            assert self.taxonomy is not None
            self.countries[iso2] = found = {"name": self.taxonomy.country_name(iso2),
                                            "url": self.taxonomy.url("country", iso2)}
        return found

    def __call__(self, entry: CatalogEntry) -> dict[str, Any]:
        """What ``taxonomy_links`` gives (tested to be equal)."""
        if self.taxonomy is None:
            return taxonomy_links(entry, None)
        url = self.url
        return {
            "countries": [self.country(iso2) for iso2 in entry.countries],
            "topics": [{"name": name, "url": url("topic", name)} for name in entry.topics],
            "classification_url": url("classification", entry.classification),
            "origin_url": url("origin", entry.origin),
            "tag_urls": {tag: url("tag", tag) for tag in entry.tags},
        }


def cable_page_key(entry: CatalogEntry, digest: str, links: Links, chips: ChipMemo) -> str:
    """A cable page's key: the hash of its cable's input and of what the page shows of the rest
    of the archive (``link_context``). Worked out without loading the cable, so that a rebuild
    can tell in the build process which pages to hand to the workers."""
    return page_key(digest, repr(link_context(entry, links, chips.taxonomy, chips)))
