"""The work folder's memory between builds: parsed cables by input hash, and a page manifest.

``CableStore`` keeps each parsed and enriched cable (pickled) under the hash of its input and
of everything that shapes the parse, so an unchanged cable is never parsed twice and the second
pass can stream cables back in catalog order without holding them all in memory.
``Manifest`` remembers, per generated page, the hash of what it was made from, so a rebuild
re-renders only the pages whose inputs changed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def hash_files(paths: Iterable[Path]) -> str:
    """One hash over the names and contents of files (folders walked, sorted).

    Names are taken relative to each of ``paths`` (numbered in order), so that the same project
    moved or cloned elsewhere has the same fingerprint and its work folder stays valid."""
    digest = hashlib.sha256()
    for number, root in enumerate(paths):
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            name = path.relative_to(root).as_posix() if root.is_dir() else path.name
            digest.update(f"{number}/{name}".encode())
            digest.update(b"\0")
            digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def build_fingerprint(config_file: Path, extra: Iterable[Path] = ()) -> str:
    """Everything besides the cables that shapes the site: code, templates, config, theme, tables.

    When it changes, nothing from an earlier build is reused."""
    root = config_file.resolve().parent
    return hash_files([PACKAGE, config_file.resolve(), root / "theme", root / "site_config", *extra])


class _BlobTable:
    """A SQLite file holding one table of (key, blob) rows, written in batches by one process."""

    table = ""
    column = ""
    batch = 1000

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(f"CREATE TABLE IF NOT EXISTS {self.table} ({self.column} TEXT PRIMARY KEY, data BLOB NOT NULL)")
        self._pending: list[tuple[str, bytes]] = []

    def keys(self) -> set[str]:
        return {row[0] for row in self.db.execute(f"SELECT {self.column} FROM {self.table}")}

    def get(self, key: str) -> bytes | None:
        self.flush()
        row = self.db.execute(f"SELECT data FROM {self.table} WHERE {self.column} = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, data: bytes) -> None:
        self._pending.append((key, data))
        if len(self._pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self.db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?)", self._pending)
            self.db.commit()
            self._pending.clear()

    def close(self) -> None:
        self.flush()
        self.db.close()


class CableStore(_BlobTable):
    """Pickled cables keyed by input hash, and beside each its pickled catalog entry (what a
    rebuild needs of an unchanged cable); one writer (the build's main process)."""

    table, column, batch = "cables", "digest", 2000

    def __init__(self, path: Path, load_digests: bool = True) -> None:
        super().__init__(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS entries (digest TEXT PRIMARY KEY, data BLOB NOT NULL)")
        self._pending_entries: list[tuple[str, bytes]] = []
        self._entries: dict[str, bytes] | None = None  # read on first use by get_entry
        # Digests in memory: has() is asked from the parallel map's feeder thread, which may not
        # touch the SQLite connection; 64 bytes a cable.
        self.known: set[str] = self.keys() if load_digests else set()
        self.used: set[str] = set()

    def has(self, digest: str) -> bool:
        return digest in self.known

    def put(self, key: str, data: bytes, entry: bytes | None = None) -> None:
        self.known.add(key)
        if entry is not None:
            self._pending_entries.append((key, entry))
        super().put(key, data)

    def flush(self) -> None:
        if self._pending_entries:
            self.db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", self._pending_entries)
            self._pending_entries.clear()
            self.db.commit()
        super().flush()

    def get_entry(self, digest: str) -> bytes | None:
        """A stored catalog entry, each handed out once: a rebuild asks for nearly all of them,
        so the first request reads the whole table in one scan (one query per cable cost more
        than everything else the main process does for an unchanged cable)."""
        if self._entries is None:
            self.flush()
            self._entries = dict(self.db.execute("SELECT digest, data FROM entries"))
        found = self._entries.pop(digest, None)
        if found is None:
            row = self.db.execute("SELECT data FROM entries WHERE digest = ?", (digest,)).fetchone()
            found = row[0] if row else None
        return found

    def prune(self) -> int:
        """Drop cables this build did not use: the store never outgrows the archive."""
        self.flush()
        self.db.execute("CREATE TEMP TABLE keep (digest TEXT PRIMARY KEY)")
        self.db.executemany("INSERT INTO keep VALUES (?)", ((d,) for d in self.used))
        removed = self.db.execute("DELETE FROM cables WHERE digest NOT IN (SELECT digest FROM keep)").rowcount
        self.db.execute("DELETE FROM entries WHERE digest NOT IN (SELECT digest FROM keep)")
        self.db.execute("DROP TABLE keep")
        self.known &= self.used
        self.db.commit()
        return removed


@dataclass
class Manifest:
    """Per generated Markdown page, the hash of its inputs; valid only for one fingerprint."""

    fingerprint: str = ""
    pages: dict[str, str] = field(default_factory=dict)
    lists: dict[str, str] = field(default_factory=dict)  # index list name -> hash of what its pages show
    search_state: str = ""  # the work folder's sub-folder the search index left for the next build

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(str(data["fingerprint"]), dict(data["pages"]), dict(data.get("lists", {})),
                       str(data.get("search_state", "")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"fingerprint": self.fingerprint, "pages": self.pages, "lists": self.lists,
                                   "search_state": self.search_state},
                                  sort_keys=True), encoding="utf-8")
        tmp.replace(path)


def page_key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()
