"""Pass 1, the catalog: every cable read, parsed and enriched (or taken from the work store),
checked, and entered in the catalog.

Owns the parse tasks and their worker state, the content hash that keys a cable in the store,
``parse_items``/``parse_stream`` (also what ``cablesite parse`` prints) and the reading of
site_config/'s TAGS rules. Writes only to the cable store and the report; knows nothing of
pages, the manifest or the site folder."""

from __future__ import annotations

import functools
import hashlib
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..duplicates import CableIds
from ..enrich import enrich_cable
from ..enrich.config import SiteTables
from ..integrity import WorkStateError
from ..model import Cable, CatalogEntry, Problem, RawCable, SourceLocation
from ..parallel import Done, ordered_map
from ..parse import ParseError, TagRules, parse_cable
from ..parse.tag_phrases import country_words
from ..parse.tags import PERSON_TAGS
from ..progress import Progress, counted_input
from ..sources import read_sources, source_bytes
from ..store import CableStore, StoreDamaged
from ..write.paths import UnsafeName, url_of, validate_id
from .report import BuildReport

IN_PROCESS_FIRST = 32  # items (cables to parse, pages to make) handled in the build process before workers start
LARGE_CABLE_BYTES = 1_000_000  # the largest real Cablegate cables are well under this


def content_hash(raw: RawCable, salt: str = "") -> str:
    """A cable's key in the store: its input, salted with the build fingerprint."""
    digest = hashlib.sha256(salt.encode())
    digest.update(raw.text.encode("utf-8", "surrogatepass"))
    digest.update(raw.header.encode("utf-8", "surrogatepass"))
    digest.update(repr(sorted(raw.fields.items())).encode("utf-8", "surrogatepass"))  # str, list, datetime values
    return digest.hexdigest()


# Worker state for the parse stage, set once per worker process (see ``parallel.ordered_map``):
# the site tables, handed to the parser and to enrich with every cable (the parser keeps none).
_WORKER_TABLES: list[SiteTables] = []
_WORKER_TAG_RULES: list[TagRules] = []


def _init_parse_worker(tables: SiteTables | None, tag_rules: TagRules | None = None) -> None:
    _WORKER_TABLES[:] = [tables] if tables is not None else []
    _WORKER_TAG_RULES[:] = [tag_rules] if tag_rules is not None else []


def _parse_task(task: tuple[int, RawCable | Problem]) -> Problem | tuple[int, bytes | None, bytes | None, list[str]]:
    """Parse and enrich one cable (in a worker).

    Returns the pickled cable and its pickled catalog entry (a later build that finds the cable
    unchanged reads only the small entry back, never the whole cable) and the parse's warnings."""
    seq, item = task
    if isinstance(item, Problem):
        return item
    cable_id = str(item.fields.get("id") or "")
    warnings: list[str] = []
    try:
        validate_id(cable_id)
        cable = parse_cable(item, _WORKER_TAG_RULES[0] if _WORKER_TAG_RULES else None, warnings,
                            posts=_WORKER_TABLES[0].posts if _WORKER_TABLES else None)
    except (UnsafeName, ParseError) as err:
        return Problem(item.location, str(err), cable_id=cable_id or None)
    if _WORKER_TABLES:
        enrich_cable(cable, _WORKER_TABLES[0])
    entry = CatalogEntry.of(cable, url_of(cable))
    return (seq, pickle.dumps(cable, protocol=pickle.HIGHEST_PROTOCOL),
            pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL), warnings)


class Parsed(NamedTuple):
    item: Cable | CatalogEntry
    digest: str  # hash of the cable's input (and of the build fingerprint): its key in the store
    location: SourceLocation
    entry_signature: str  # hash of its catalog entry: what index lists show of it ("" if unknown)


def parse_items(items: Iterable[RawCable | Problem], report: BuildReport, *, tables: SiteTables | None = None,
                store: CableStore | None = None, salt: str = "", workers: int = 1,
                entries_only: bool = False, tag_rules: TagRules | None = None) -> Iterator[Parsed]:
    """Parsed (and, given tables, enriched) cables with their input hashes and sources, in input
    order; with ``entries_only``, their catalog entries instead (cheaper: an unchanged cable's
    entry is read from the store without unpickling the cable).

    Problems are recorded in ``report``; a duplicate id is one page when the content is the
    same and an error naming both sources when it is not. Cables already in ``store`` (same
    input, same code and configuration) are not parsed again."""
    ids = CableIds()
    pending: dict[int, tuple[RawCable, str]] = {}  # filled by the pool's feeder thread, emptied here

    def tasks() -> Iterator[tuple[int, RawCable | Problem] | Done]:
        for seq, item in enumerate(items):
            if isinstance(item, Problem):
                yield seq, item
                continue
            digest = content_hash(item, salt)
            pending[seq] = (item, digest)
            if store and store.has(digest):
                yield Done((seq, None, None, []))  # a cached cable is not sent to a worker
            else:
                yield seq, item

    if tag_rules is None and tables is not None:
        tag_rules = tag_rules_of(tables)
    for result in ordered_map(_parse_task, tasks(), workers, initializer=_init_parse_worker,
                              initargs=(tables, tag_rules), in_process_first=IN_PROCESS_FIRST):
        if isinstance(result, Problem):
            if result.fatal:
                report.read += 1
            report.problem(result)
            continue
        seq, data, entry_data, warnings = result
        raw, digest = pending.pop(seq)
        for warning in warnings:
            report.problem(Problem(raw.location, warning, cable_id=str(raw.fields.get("id")), fatal=False))
        report.read += 1
        report.parsed += data is not None
        if len(raw.text) > LARGE_CABLE_BYTES:
            report.problem(Problem(raw.location, f"unusually large cable ({len(raw.text) / 1e6:.1f} MB of text); "
                                   "built, check that it is one cable", cable_id=str(raw.fields.get("id")),
                                   fatal=False))
        if data is None and store is not None:  # cached: read back only what is asked for
            try:
                if entries_only:
                    entry_data = store.get_entry(digest)
                else:
                    data = store.get(digest)
            except StoreDamaged:  # the file, not a row: the build starts anew without it (see ``build``)
                raise
            except WorkStateError as err:  # damaged or foreign: this cable is parsed anew and stored again
                report.notes.append({"source": str(raw.location), "id": None, "message": f"{err}; parsed anew"})
                store.known.discard(digest)
        if (entry_data if entries_only else data) is None:
            _init_parse_worker(tables, tag_rules)  # in this process: its tables may never have been set here
            _, data, entry_data, _ = _parse_task((seq, raw))  # type: ignore[misc]
            report.parsed += 1
        parsed: Cable | CatalogEntry = pickle.loads(entry_data if entries_only else data)  # type: ignore[arg-type]
        if isinstance(parsed, Cable):
            parsed.location = raw.location  # a cached parse may come from another row or file
        if not ids.admit(parsed.id, digest, raw.location, report):  # a copy, or an id taken (in any case)
            continue
        if store is not None:
            if not store.has(digest):
                store.put(digest, data, entry_data)  # type: ignore[arg-type]
            store.used.add(digest)
        yield Parsed(parsed, digest, raw.location, hashlib.sha256(entry_data).hexdigest() if entry_data else "")


def parse_stream(items: Iterable[RawCable | Problem], report: BuildReport,
                 tag_rules: TagRules | None = None) -> Iterator[Cable]:
    """Parsed cables, serially and without a store: what ``cablesite parse`` prints."""
    for parsed in parse_items(items, report, tag_rules=tag_rules):
        yield parsed.item  # type: ignore[misc]


def unknown_tags(cable: Cable | CatalogEntry, tables: SiteTables) -> list[str]:
    """TAGS values that are neither a country code nor a subject code of site_config/ (nor the person
    named after OVIP and the like)."""
    known = _known_tags(tables)
    people = {tag for before, tag in zip(cable.tags, cable.tags[1:], strict=False) if before in PERSON_TAGS}
    return [tag for tag in cable.tags if tag.split(" ")[0] not in known and tag not in people]


@functools.lru_cache(maxsize=4)
def _known_tags(tables: SiteTables) -> frozenset[str]:
    return frozenset(tables.country_by_tag.keys() | tables.tag_codes.keys())


@functools.lru_cache(maxsize=4)
def tag_rules_of(tables: SiteTables) -> TagRules:
    """What the parser needs of site_config/ to read TAGS: the known codes, the corrections and the
    countries' names (where free text typed without commas changes entry)."""
    countries = tables.countries.values()
    return TagRules(known=_known_tags(tables), corrections=dict(tables.tag_corrections),
                    countries=country_words((f for c in countries for f in c.forms),
                                            (p for c in countries for p in c.not_phrases)))


@dataclass
class Catalog:
    """What pass 1 hands to the page pass: the catalog in site order, and per cable id its
    content hash (its key in the store) and its catalog entry's hash (what index lists show)."""

    entries: list[CatalogEntry] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)
    signatures: dict[str, str] = field(default_factory=dict)


class SharedStrings:
    """One copy of each string that many catalog entries repeat (post, classification, tags,
    countries, topics, paragraph anchors), and a title equal to the subject held once.

    Why: the catalog is the build process's per-cable memory, and each entry came back from a
    worker (or the store) as a pickle with its own copy of every string. On 2,000 synthetic
    cables (tracemalloc) an entry took 2,790 bytes with an instance dict, 2,670 with slots,
    and 1,250 with these strings shared (1,045 sample cables: 3,560, 3,440, 1,880). The table
    itself grows with the distinct values (554 and 826 strings there), not with the cables."""

    def __init__(self) -> None:
        self.table: dict[str, str] = {}

    def __call__(self, entry: CatalogEntry) -> CatalogEntry:
        one = self.table.setdefault
        if entry.origin:
            entry.origin = one(entry.origin, entry.origin)
        if entry.classification:
            entry.classification = one(entry.classification, entry.classification)
        entry.tags = [one(tag, tag) for tag in entry.tags]
        entry.countries = [one(code, code) for code in entry.countries]
        entry.topics = [one(topic, topic) for topic in entry.topics]
        entry.reference_ids = list(entry.reference_ids)
        entry.country_paragraphs = {one(code, code): [one(anchor, anchor) for anchor in anchors]
                                    for code, anchors in entry.country_paragraphs.items()}
        if entry.title == entry.subject:
            entry.title = entry.subject
        return entry


def read_and_parse(sources: list[Path], report: BuildReport, tables: SiteTables, store: CableStore,
                   fingerprint: str, workers: int, progress: bool) -> Catalog:
    """Pass 1: every cable parsed (or taken from the store), checked, and entered in the catalog."""
    catalog = Catalog()
    shared = SharedStrings()
    # The cables are known only once read: the time left is reckoned from the sources' bytes.
    ticker = Progress("parse", enabled=progress, size_total=source_bytes(sources) if progress else None)
    for entry, digest, location, signature in parse_items(counted_input(read_sources(sources), ticker), report,
                                                          tables=tables, store=store, salt=fingerprint,
                                                          workers=workers, entries_only=True):
        assert isinstance(entry, CatalogEntry)
        unknown = unknown_tags(entry, tables)
        if unknown:
            report.problem(Problem(location, "unknown TAGS code(s) " + ", ".join(unknown)
                                   + " (not in site_config/); kept as tags", cable_id=entry.id, fatal=False))
        catalog.entries.append(shared(entry))
        catalog.digests[entry.id] = digest
        catalog.signatures[entry.id] = signature
        ticker.step()
    ticker.close()
    catalog.entries.sort(key=lambda e: e.sort_key)
    return catalog
