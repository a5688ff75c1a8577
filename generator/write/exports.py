"""Data for reuse: each cable's parse as JSON beside its page, the archive's metadata as CSV,
the Atom feed of the newest cables, and (given ``site_url``) the sitemap and robots.txt.

The JSON of a cable is written by the pass-2 worker that writes its page (so incremental
rebuilds and removals treat it as the page); the archive-wide files are made at the end of the
build from the catalog, streamed in catalog order. In an incremental build an archive-wide
file goes to the staging folder only when its bytes differ from the live site's, so that a
rebuild touching one cable does not replace every sitemap file.
"""

from __future__ import annotations

import csv
import filecmp
import json
import pickle
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.utils.yaml import yaml_load

from ..model import Cable, CatalogEntry
from ..store import CableStore
from .feed import FeedItem, atom_feed, newest
from .files import write_new_file
from .paths import safe_join
from .sitemap import INDEX, PART, absolute, robots_txt, sitemap_files

CSV_PATH = "data/cables.csv"
CSV_COLUMNS = ("id", "date", "classification", "origin", "subject", "tags", "url")
TAG_SEPARATOR = ";"
FEED_PATH = "feed.xml"
ROBOTS_PATH = "robots.txt"
# Fields of ``Cable.to_json`` left out of the published file: where the build machine read the
# cable (a local path, which is nobody's business and makes the file depend on where it was built).
PRIVATE_FIELDS = ("source",)


def json_url(page_url: str) -> str:
    """The JSON file's site URL beside a cable page: ``cable/2009/02/09BAKU179.json``."""
    return page_url[: -len(".html")] + ".json" if page_url.endswith(".html") else page_url + ".json"


def cable_json(cable: Cable) -> bytes:
    """The published JSON of a cable: the ``cablesite parse --json`` object (one line, as that
    command prints it) less ``PRIVATE_FIELDS``."""
    data = cable.to_json()
    for name in PRIVATE_FIELDS:
        data.pop(name, None)
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


def write_cable_json(root: Path, page_url: str, cable: Cable) -> None:
    """Write the cable's JSON beside its page under ``root``."""
    write_new_file(safe_join(root, json_url(page_url)), cable_json(cable))


def removed_json(removed_pages: Iterable[str]) -> list[str]:
    """The JSON files of removed cable pages (Markdown paths ``cable/.../<ID>.md``)."""
    return [page[: -len(".md")] + ".json" for page in removed_pages if page.startswith("cable/")]


def is_export(rel: str) -> bool:
    """Whether a site file (path relative to the site) is one of the data-for-reuse files this
    module writes, rather than a page or asset MkDocs renders."""
    return (rel.startswith("cable/") and rel.endswith(".json")) or rel in (CSV_PATH, FEED_PATH, ROBOTS_PATH) \
        or rel == INDEX or bool(PART.match(rel))


def site_url_of(config_file: Path) -> str | None:
    """``site_url`` from mkdocs.yml (read as MkDocs reads it: ``!ENV`` and ``INHERIT`` work),
    ending in ``/``; None when not set."""
    with config_file.open(encoding="utf-8") as handle:
        value = yaml_load(handle).get("site_url")
    if not value:
        return None
    return str(value) if str(value).endswith("/") else f"{value}/"


def csv_row(entry: CatalogEntry, site_url: str | None) -> list[str]:
    """A cable's row of ``data/cables.csv`` (``CSV_COLUMNS``); url absolute given ``site_url``."""
    return [entry.id, entry.date.date().isoformat() if entry.date else "", entry.classification or "",
            entry.origin or "", entry.subject or "", TAG_SEPARATOR.join(entry.tags),
            absolute(site_url, entry.url) if site_url else entry.url]


def write_catalog_csv(catalog: Iterable[CatalogEntry], target: Path, site_url: str | None) -> None:
    """``data/cables.csv``: a header row, then one row per cable in catalog order, streamed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(csv_row(entry, site_url) for entry in catalog)


def feed_items(entries: Sequence[CatalogEntry], load: Callable[[str], Cable]) -> list[FeedItem]:
    """The feed's entries: each cable's summary, else its first paragraph, for the text."""
    items = []
    for entry in entries:
        assert entry.date is not None
        cable = load(entry.id)
        summary = cable.summary or next((p.text for p in cable.paragraphs if p.text.strip()), "")
        items.append(FeedItem(entry.id, entry.title, entry.url, entry.date, summary))
    return items


@dataclass
class ExportResult:
    """What the archive-wide exports did: files written, live files to remove, notes for the report."""

    written: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    info: list[str] = field(default_factory=list)  # expected of most builds (no site_url): --verbose only


class _Writer:
    """Writes archive-wide files into ``staging``; in an incremental build (``live`` given) only
    those whose bytes differ from the live site's."""

    def __init__(self, staging: Path, live: Path | None, result: ExportResult) -> None:
        self.staging, self.live, self.result = staging, live, result

    def put(self, rel: str, data: bytes) -> None:
        if self.live is not None and _same_bytes(self.live / rel, data):
            return
        write_new_file(safe_join(self.staging, rel), data)
        self.result.written.append(rel)

    def settle(self, rel: str) -> None:
        """Keep ``rel``, written to staging, only if it differs from the live file."""
        if self.live is not None and (self.live / rel).is_file() \
                and filecmp.cmp(self.staging / rel, self.live / rel, shallow=False):
            (self.staging / rel).unlink()
        else:
            self.result.written.append(rel)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def write_site_exports(catalog: Sequence[CatalogEntry], pages: Iterable[str], staging: Path, live: Path | None,
                       config_file: Path, site_name: str, store_path: Path, digests: dict[str, str]) -> ExportResult:
    """Write data/cables.csv, feed.xml and, given ``site_url``, the sitemap and robots.txt.

    ``pages`` are the Markdown paths of every generated page (the manifest); ``live`` is the
    site folder an incremental build updates (None in a clean build)."""
    result = ExportResult()
    writer = _Writer(staging, live, result)
    site_url = site_url_of(config_file)
    write_catalog_csv(catalog, safe_join(staging, CSV_PATH), site_url)
    writer.settle(CSV_PATH)
    reader = CableStore(store_path, load_digests=False)
    try:
        items = feed_items(newest(catalog), lambda cable_id: _load(reader, digests, cable_id))
    finally:
        reader.close()
    writer.put(FEED_PATH, atom_feed(items, site_name, site_url))
    names = {CSV_PATH, FEED_PATH}
    if site_url:
        urls = (page[: -len(".md")] + ".html" for page in sorted(pages))
        for name, data in sitemap_files(urls, site_url):
            writer.put(name, data)
            names.add(name)
        writer.put(ROBOTS_PATH, robots_txt(site_url))
        names.add(ROBOTS_PATH)
        if site_url.count("/") > 3:  # https://host/path/: robots.txt counts only at the host's root
            result.notes.append(f"site_url {site_url} is below the host's root: crawlers read robots.txt only at "
                                "the root, so name sitemap.xml in the host's robots.txt")
    else:
        result.info.append("no site_url in mkdocs.yml: no sitemap.xml or robots.txt written, and feed.xml has "
                           "relative links (set site_url for absolute ones)")
    if live is not None:
        owned = [p.name for p in live.glob("*.xml") if PART.match(p.name)] + ["sitemap.xml", ROBOTS_PATH]
        result.stale = sorted(name for name in owned if name not in names and (live / name).exists())
    return result


def _load(reader: CableStore, digests: dict[str, str], cable_id: str) -> Cable:
    """A parsed cable read back from the build's store (a few, for the feed)."""
    data = reader.get(digests[cable_id])
    if data is None:  # pragma: no cover - the store is written before the exports
        raise RuntimeError(f"cable {cable_id} missing from the work store")
    return pickle.loads(data)
