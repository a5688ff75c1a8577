"""The work folder's memory between builds: parsed cables by input hash, and a page manifest.

``CableStore`` keeps each parsed and enriched cable (pickled) under the hash of its input and
of everything that shapes the parse, so an unchanged cable is never parsed twice and the second
pass can stream cables back in catalog order without holding them all in memory.
``Manifest`` remembers, per generated page, the hash of what it was made from, so a rebuild
re-renders only the pages whose inputs changed.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import integrity
from .integrity import WorkStateError
from .write.paths import UnsafeName, safe_join

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


class StoreDamaged(WorkStateError):
    """The SQLite file itself is damaged (not one blob in it): nothing in it is used."""


def open_db(path: Path) -> sqlite3.Connection:
    """A connection with SQLite's rollback journal on: a build killed while it writes leaves the
    file as the last commit left it (with the journal off it was left "malformed"); the next
    connection rolls the hot journal back.

    Not the write-ahead log: it writes every page twice (log, then checkpoint), which made
    storing the 10k benchmark's cables 0.7 s slower in the build process (1.0-1.2 s against
    0.3-0.5 s for 10,000 blobs of 13 KB, bench-style batches of 2,000). ``synchronous=OFF``
    leaves only power loss unguarded, and every blob is sealed (integrity.py): a page lost with
    the power fails its check and the part is rebuilt, never used."""
    try:
        db = sqlite3.connect(path)
        db.execute("PRAGMA journal_mode=TRUNCATE")
        db.execute("PRAGMA synchronous=OFF")
    except sqlite3.DatabaseError as err:
        raise StoreDamaged(f"{path}: {err}") from err
    return db


def remove_db(path: Path) -> None:
    """Delete a SQLite file and its write-ahead log."""
    for name in (path.name, path.name + "-wal", path.name + "-shm", path.name + "-journal"):
        path.with_name(name).unlink(missing_ok=True)


class _BlobTable:
    """A SQLite file holding one table of (key, blob) rows, written in batches by one process.

    Each blob is sealed (``integrity``) under its table and key, and verified when read: a
    changed byte, a row moved under another key or a crafted pickle is ``WorkStateError``."""

    table = ""
    column = ""
    batch = 1000

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = open_db(path)
        self._execute(f"CREATE TABLE IF NOT EXISTS {self.table} ({self.column} TEXT PRIMARY KEY, data BLOB NOT NULL)")
        self._pending: list[tuple[str, bytes]] = []

    def _execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        """``execute``, with SQLite's errors (a damaged file) said as ``WorkStateError`` naming it."""
        try:
            return self.db.execute(sql, *args)
        except sqlite3.DatabaseError as err:
            raise StoreDamaged(f"{self.path}: {err}") from err

    def _where(self, key: str) -> str:
        return f"{self.path} ({self.table} {key[:16]})"

    def keys(self) -> set[str]:
        return {row[0] for row in self._execute(f"SELECT {self.column} FROM {self.table}")}

    def get(self, key: str) -> bytes | None:
        """The blob kept under ``key`` (verified), or None if there is none."""
        self.flush()
        row = self._execute(f"SELECT data FROM {self.table} WHERE {self.column} = ?", (key,)).fetchone()
        return integrity.unseal(row[0], f"{self.table}/{key}", self._where(key)) if row else None

    def put(self, key: str, data: bytes) -> None:
        self._pending.append((key, integrity.seal(data, f"{self.table}/{key}")))
        if len(self._pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            try:
                self.db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?)", self._pending)
                integrity.fault_point("store-write")  # test hook: killed while SQLite writes
                self.db.commit()
            except sqlite3.OperationalError as err:  # a full disk, not a damaged file: no rebuild helps
                raise OSError(f"{self.path}: {err}") from err
            except sqlite3.DatabaseError as err:
                raise StoreDamaged(f"{self.path}: {err}") from err
            self._pending.clear()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.db.close()


class CableStore(_BlobTable):
    """Pickled cables keyed by input hash, and beside each its pickled catalog entry (what a
    rebuild needs of an unchanged cable); one writer (the build's main process)."""

    table, column, batch = "cables", "digest", 2000

    def __init__(self, path: Path, load_digests: bool = True) -> None:
        super().__init__(path)
        self._execute("CREATE TABLE IF NOT EXISTS entries (digest TEXT PRIMARY KEY, data BLOB NOT NULL)")
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
            self._pending_entries.append((key, integrity.seal(entry, f"entries/{key}")))
        super().put(key, data)

    def flush(self) -> None:
        if self._pending_entries:
            try:
                self.db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", self._pending_entries)
                self.db.commit()
            except sqlite3.OperationalError as err:  # a full disk, not a damaged file: no rebuild helps
                raise OSError(f"{self.path}: {err}") from err
            except sqlite3.DatabaseError as err:
                raise StoreDamaged(f"{self.path}: {err}") from err
            self._pending_entries.clear()
        super().flush()

    def get_entry(self, digest: str) -> bytes | None:
        """A stored catalog entry, each handed out once: a rebuild asks for nearly all of them,
        so the first request reads the whole table in one scan (one query per cable cost more
        than everything else the main process does for an unchanged cable)."""
        if self._entries is None:
            self.flush()
            self._entries = dict(self._execute("SELECT digest, data FROM entries"))
        found = self._entries.pop(digest, None)
        if found is None:
            row = self._execute("SELECT data FROM entries WHERE digest = ?", (digest,)).fetchone()
            found = row[0] if row else None
        return integrity.unseal(found, f"entries/{digest}", self._where(digest)) if found is not None else None

    def prune(self) -> int:
        """Drop cables this build did not use: the store never outgrows the archive.

        Nothing is asked of SQLite when every cable the store holds was used (a clean build, a
        rebuild of the same cables): the DELETE scans the whole table, out of the page cache by
        the end of pass 2. Measured on a 500,000-cable build's store (7.6 GB, cold cache): 275 s
        for the cables, 20 s for the entries, for no row removed (about 90 s at 251,287)."""
        self.flush()
        if self.known <= self.used:
            return 0
        self._execute("CREATE TEMP TABLE keep (digest TEXT PRIMARY KEY)")
        self.db.executemany("INSERT INTO keep VALUES (?)", ((d,) for d in self.used))
        removed = self.db.execute("DELETE FROM cables WHERE digest NOT IN (SELECT digest FROM keep)").rowcount
        self.db.execute("DELETE FROM entries WHERE digest NOT IN (SELECT digest FROM keep)")
        self.db.execute("DROP TABLE keep")
        self.known &= self.used
        self.db.commit()
        return removed


def _write_table(out: TextIO, table: dict[str, object], slice_size: int = 20_000) -> None:
    """``json.dumps(table, sort_keys=True)`` written to ``out`` ``slice_size`` keys at a time."""
    keys = sorted(table)
    out.write("{")
    for start in range(0, len(keys), slice_size):
        part = {key: table[key] for key in keys[start:start + slice_size]}
        out.write((", " if start else "") + json.dumps(part, sort_keys=True)[1:-1])
    out.write("}")


STATE_FOLDER = re.compile(r"search-state-[0-9a-f]{16}")


@dataclass
class Manifest:
    """Per generated Markdown page, the hash of its inputs; valid only for one fingerprint.

    Also what the live site holds (``site_files``: per file, its size and mtime), so
    that a rebuild can tell a damaged or missing site file, and the name of the search state
    folder this build left (unique per build: never one an older manifest names)."""

    fingerprint: str = ""
    pages: dict[str, str] = field(default_factory=dict)
    lists: dict[str, str] = field(default_factory=dict)  # index list name -> hash of what its pages show
    search_state: str = ""  # the work folder's sub-folder the search index left for the next build
    site_files: dict[str, list] = field(default_factory=dict)  # site path -> [size, mtime_ns, ""]
    problem: str = ""  # why a manifest on disk was not usable ("" when it was, or there was none)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """The manifest at ``path``; an empty one (with ``problem`` said) if it is unreadable or
        names a path outside the work folder or the site (it is data, checked like cable ids)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            manifest = cls(str(data["fingerprint"]), dict(data["pages"]), dict(data.get("lists", {})),
                           str(data.get("search_state", "")), dict(data.get("site_files", {})))
            manifest.validate()
            return manifest
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError, KeyError, TypeError, AttributeError, UnsafeName) as err:
            return cls(problem=f"{path}: not usable ({err}); everything is built anew")

    def validate(self) -> None:
        """Refuse (``UnsafeName``/``ValueError``) paths that would leave their folder."""
        for rel in itertools.chain(self.pages, self.site_files):
            safe_join(Path("."), rel)
        for value in self.site_files.values():
            if not (isinstance(value, list) and len(value) == 3):
                raise ValueError(f"bad site file record {value!r}")
        if self.search_state and not STATE_FOLDER.fullmatch(self.search_state):
            raise ValueError(f"bad search state folder {self.search_state!r}")

    def save(self, path: Path) -> None:
        """Written as ``json.dumps(..., sort_keys=True)`` would write it, byte for byte, but a
        slice of each large table at a time: at 251,287 cables the text is 85 MB, and made whole
        (then encoded whole) it was some 170 MB more in the build process's last seconds, which
        were the build's summed peak."""
        tmp = path.with_suffix(".tmp")
        small = {"fingerprint": self.fingerprint, "lists": self.lists, "search_state": self.search_state}
        tables = {"pages": self.pages, "site_files": self.site_files}
        with tmp.open("w", encoding="utf-8") as out:
            out.write("{")
            for number, key in enumerate(sorted([*small, *tables])):
                out.write((", " if number else "") + json.dumps(key) + ": ")
                if key in small:
                    out.write(json.dumps(small[key], sort_keys=True))
                else:
                    _write_table(out, tables[key])
            out.write("}")
        tmp.replace(path)


def page_key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()
