"""The catalog on disk for pass 2: ``catalog.sqlite`` in the work folder, the archive's links
(``enrich.links.Links``) and catalog entries by position, asked of from any process.

Why a file: the page workers need per cable only its entry, its content hash and a few
neighbours' titles and URLs, yet with the catalog in the build process's memory every worker
counted it again (forked) or was sent all of it (Dask): at 251,000 cables some 1.2-1.5 GB a
process. Written by the build process once pass 1 is done, in one streaming pass over the
catalog (nothing per cable is held while writing), then read with point lookups: one read-only
connection per process, opened on first use (SQLite connections must not cross a fork).

The file is scratch: written anew by every build under a temporary name and moved into place,
so a killed build leaves either the last complete file or none. Entries are stored as JSON
columns, not pickles: the file is data, never code, whoever wrote it."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from ..enrich.links import neighbour_rows
from ..integrity import WorkStateError
from ..model import CatalogEntry
from ..store import remove_db

NAME = "catalog.sqlite"
_HEADER = b"SQLite format 3\x00"
_FIELDS = ("id", "url", "date", "subject", "origin", "classification", "tags", "countries", "topics",
           "reference_ids", "country_paragraphs", "title")
_DATE = _FIELDS.index("date")
_SCHEMA = (
    "CREATE TABLE entries (doc INTEGER PRIMARY KEY, id TEXT NOT NULL, digest TEXT NOT NULL, url TEXT NOT NULL, "
    "title TEXT NOT NULL, previous TEXT, next TEXT, entry TEXT NOT NULL)",
    "CREATE TABLE cited (cited TEXT NOT NULL, citer TEXT NOT NULL)",  # rowid order: the citers' site order
)
_INDEXES = (
    "CREATE UNIQUE INDEX entries_id ON entries (id)",
    "CREATE INDEX cited_of ON cited (cited)",
)


_AROUND = ("SELECT e.id, p.id, p.title, p.url, n.id, n.title, n.url, e.entry, e.digest FROM entries e "
           "LEFT JOIN entries p ON p.id = e.previous LEFT JOIN entries n ON n.id = e.next")
_CITERS = ("SELECT t.id, t.title, t.url FROM cited c JOIN entries t ON t.id = c.citer WHERE c.cited = ? "
           "ORDER BY c.rowid")


class LinkTarget(NamedTuple):
    """A cable as a link to it shows it (``enrich.links.Linked``)."""

    id: str
    title: str
    url: str


def encode_entry(entry: CatalogEntry) -> str:
    """A catalog entry as a JSON array (its date in ISO form, which reads back equal)."""
    values: list[Any] = [getattr(entry, name) for name in _FIELDS]
    if values[_DATE] is not None:
        values[_DATE] = values[_DATE].isoformat()
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def decode_entry(text: str) -> CatalogEntry:
    """``encode_entry`` undone."""
    values = json.loads(text)
    if values[_DATE] is not None:
        values[_DATE] = dt.datetime.fromisoformat(values[_DATE])
    return CatalogEntry(*values)


def write_catalog_db(path: Path, entries: list[CatalogEntry], digests: dict[str, str],
                     notice: Callable[[str], None] | None = None) -> CatalogDb:
    """Write the catalog ``entries`` (in site order, as pass 1 sorts them) and their content
    hashes to ``path``, replacing the last build's file; the reader of it.

    A previous file that is not a SQLite file any more is said in ``notice``: it is not used
    (every build writes its own), but a damaged work folder is worth knowing of."""
    if notice is not None and path.exists() and not _looks_like_sqlite(path):
        notice(f"{path} was damaged (not a SQLite file); written anew")
    scratch = path.with_name(path.name + ".new")
    remove_db(scratch)
    db = sqlite3.connect(scratch)
    try:
        db.execute("PRAGMA journal_mode=OFF")  # a scratch file: a build killed now leaves it unused
        db.execute("PRAGMA synchronous=OFF")
        for statement in _SCHEMA:
            db.execute(statement)
        db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)", _entry_rows(entries, digests))
        db.executemany("INSERT INTO cited VALUES (?, ?)", _cited_rows(entries))
        for statement in _INDEXES:  # after the rows: one sort each, not an index grown row by row
            db.execute(statement)
        db.commit()
    finally:
        db.close()
    remove_db(path)
    os.replace(scratch, path)
    return CatalogDb(path)


def _looks_like_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(_HEADER)) == _HEADER


def _entry_rows(entries: list[CatalogEntry], digests: dict[str, str]) -> Iterator[tuple]:
    """A row per entry with its previous and next cable from the same post. A row waits for
    the next entry from its post (one row per post waits), so rows come out of catalog order."""
    waiting: dict[str, list] = {}  # per previous id: the row whose next is still unknown
    for doc, (entry, previous) in enumerate(neighbour_rows(entries)):
        if previous is not None:
            row = waiting.pop(previous)
            row[6] = entry.id
            yield tuple(row)
        waiting[entry.id] = [doc, entry.id, digests[entry.id], entry.url, entry.title, previous, None,
                             encode_entry(entry)]
    for row in waiting.values():
        yield tuple(row)


def _cited_rows(entries: Iterable[CatalogEntry]) -> Iterator[tuple[str, str]]:
    """A row per reference (to a cable of the archive or not: only the archive's are asked for)."""
    for entry in entries:
        for ref in entry.reference_ids:
            if ref != entry.id:
                yield ref, entry.id


class CatalogDb:
    """``Links`` and the catalog's entries by position, read from ``write_catalog_db``'s file.

    Pickles as its path alone: a worker (forked, started afresh, or on a Dask machine that sees
    the work folder) opens its own connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._forget()

    def _forget(self) -> None:
        """No cable's neighbourhood kept (see ``entry``)."""
        self._near: dict[str, LinkTarget] = {}  # the last entry's neighbours and citers, by id
        self._around: tuple[str | None, str | None, str | None] = (None, None, None)  # its id, previous, next
        self._citers: tuple[str, list[str]] | None = None  # its id and the cables citing it

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path, self._db, self._pid = state["path"], None, 0
        self._forget()

    def _query(self, sql: str, args: tuple, fetch: bool = True) -> Any:
        """Rows of ``sql`` (its cursor, without ``fetch``); a damaged or missing file is a
        ``WorkStateError`` naming it."""
        try:
            if self._db is None or self._pid != os.getpid():
                uri = f"file:{urllib.parse.quote(str(self.path))}?mode=ro&immutable=1"
                self._db, self._pid = sqlite3.connect(uri, uri=True, check_same_thread=False), os.getpid()
            cursor = self._db.execute(sql, args)
            return cursor.fetchall() if fetch else cursor
        except sqlite3.Error as err:
            raise self._error(err) from err

    def _error(self, err: sqlite3.Error) -> WorkStateError:
        return WorkStateError(f"{self.path}: {err} (the build's catalog database; the next build writes it anew)")

    def entry(self, doc: int) -> tuple[CatalogEntry, str]:
        """The catalog entry at position ``doc`` (site order) and its cable's content hash.

        Fetched with its previous and next cable from the same post (one query), which the
        page's links ask for next: kept until the next ``entry``, as are the cables citing it."""
        rows = self._query(_AROUND + " WHERE e.doc = ?", (doc,))
        if not rows:
            raise WorkStateError(f"{self.path}: no catalog entry {doc} (the build's catalog database)")
        self._keep(rows[0])
        return decode_entry(rows[0][7]), rows[0][8]

    def walk(self) -> Iterator[None]:
        """A step per catalog entry, in site order, with that entry's previous and next cable
        kept as ``entry`` keeps them: for asking every cable's links (a rebuild's page keys)
        in one scan instead of point queries."""
        cursor = self._query(_AROUND.replace(", e.entry", ", NULL") + " ORDER BY e.doc", (), fetch=False)
        while True:
            try:
                row = cursor.fetchone()
            except sqlite3.Error as err:
                raise self._error(err) from err
            if row is None:
                return
            self._keep(row)
            yield

    def _keep(self, row: tuple) -> None:
        """Keep a row of ``_AROUND``'s neighbours (see ``entry``)."""
        cable_id, *around = row[:7]
        self._forget()
        before = LinkTarget(*around[:3]) if around[0] is not None else None
        after = LinkTarget(*around[3:]) if around[3] is not None else None
        for target in (before, after):
            if target is not None:
                self._near[target.id] = target
        self._around = (cable_id, before.id if before else None, after.id if after else None)

    def resolve(self, cable_id: str) -> LinkTarget | None:
        near = self._near.get(cable_id)
        if near is not None:
            return near
        rows = self._query("SELECT id, title, url FROM entries WHERE id = ?", (cable_id,))
        return LinkTarget(*rows[0]) if rows else None

    def cited_by(self, cable_id: str) -> list[str]:
        if self._citers is not None and self._citers[0] == cable_id:
            return self._citers[1]
        rows = self._query(_CITERS, (cable_id,))
        for row in rows:
            self._near[row[0]] = LinkTarget(*row)
        self._citers = (cable_id, [row[0] for row in rows])
        return self._citers[1]

    def previous(self, cable_id: str) -> str | None:
        if self._around[0] == cable_id:
            return self._around[1]
        rows = self._query("SELECT previous FROM entries WHERE id = ?", (cable_id,))
        return rows[0][0] if rows else None

    def next(self, cable_id: str) -> str | None:
        if self._around[0] == cable_id:
            return self._around[2]
        rows = self._query("SELECT next FROM entries WHERE id = ?", (cable_id,))
        return rows[0][0] if rows else None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
