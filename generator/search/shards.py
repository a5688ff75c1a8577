"""The files of ``search/`` a query reads first: term shards (cut by size), facet doc sets, and
the meta file that names the shards' first terms, the facets and the years.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..model import CatalogEntry
from .analysis import country_name
from .encode import encode_doc_set, encode_term_entry_parts, gzipped
from .postings import TermEntry
from .runs import write_run

# A term shard is cut once it holds this much (before gzip). 8,000 rather than 16,000: a query fetches a
# whole shard per word for one entry, and on the sample's 47 relevance queries this cut the bytes of a later
# query by a third (median 47 -> 31 KB) for 1.8 KB more of meta.json (bench/RESULTS.md, 2026-12-01).
SHARD_BYTES = 8_000

# What every query fetches first (shard boundaries, facets, years), gzipped like the shards and
# hit files: at 251,287 cables 22.2 KB as JSON, a seventh of the heaviest first query's bytes.
META_FILE = "meta.json.gz"


def read_meta(search_dir: Path) -> dict:
    """The meta file of a built ``search`` folder, as the browser reads it."""
    return json.loads(gzip.decompress((search_dir / META_FILE).read_bytes()))


def json_bytes(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_shards(folder: Path, entries: Iterable[TermEntry], terms_state: Path) -> tuple[list[str], int, int]:
    """Cut the entries into shards of about ``SHARD_BYTES``; the entries are kept in the state
    too (``terms_state``), for the next build to patch. Returns the shards' first terms, the
    number of terms and the shards' bytes before gzip."""
    folder.mkdir(parents=True)
    boundaries: list[str] = []
    parts: list[bytes] = []
    size = total = terms = 0
    previous = b""

    def flush() -> None:
        nonlocal parts, size, total, previous
        (folder / f"{len(boundaries) - 1}.bin.gz").write_bytes(gzipped(b"".join(parts)))
        total += size
        parts, size, previous = [], 0, b""

    def written() -> Iterator[TermEntry]:
        nonlocal size, previous, terms
        for entry in entries:
            term, df, count, body = entry
            if not parts:
                boundaries.append(term)
            encoded = term.encode("utf-8")
            part = encode_term_entry_parts(previous, encoded, df, count, body)
            parts.append(part)
            size += len(part)
            previous = encoded
            terms += 1
            if size >= SHARD_BYTES:
                flush()
            yield entry

    write_run(terms_state, written(), weight=lambda entry: entry[2])  # postings it stores
    if parts:
        flush()
    return boundaries, terms, total

def write_facets(folder: Path, facets_of: dict[int, dict[str, dict[str, list[int]]]], facet_names: Iterable[str],
                 docs: int) -> dict[str, list[list[str | int]]]:
    """One doc-set file per facet value (the segments' ``facets_of`` combined); meta lists
    [label, count] in label order, and a country's name after them (the filter shows names, the
    search page's URL the code)."""
    combined: dict[str, dict[str, list[int]]] = {name: {} for name in facet_names}
    for segment in sorted(facets_of):
        for facet, values in facets_of[segment].items():
            for value, members in values.items():
                combined[facet].setdefault(value, []).extend(members)
    listing: dict[str, list[list[str | int]]] = {}
    for facet, values in combined.items():
        listing[facet] = []
        (folder / facet).mkdir(parents=True)
        for number, (label, members) in enumerate(sorted(values.items())):
            members.sort()
            (folder / facet / f"{number}.bin").write_bytes(encode_doc_set(members, docs))
            name = country_name(label) if facet == "country" else label
            listing[facet].append([label, len(members)] if name == label else [label, len(members), name])
    return listing


def years(catalog: list[CatalogEntry]) -> list[list[int]]:
    """[year, first doc, end doc): the docs are sorted by date, so a year is a range of ids."""
    found: list[list[int]] = []
    for number, entry in enumerate(catalog):
        if entry.date is None:
            continue
        if found and found[-1][0] == entry.date.year:
            found[-1][2] = number + 1
        else:
            found.append([entry.date.year, number, number + 1])
    return found
