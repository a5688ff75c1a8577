"""The full postings of the capped terms, kept in a build's state for the next build to patch.

A term shard holds only a common term's ``cap`` best cables; to take a changed cable out of such a
term exactly (or put one in), a rebuild needs the term's whole list: SQLite, one sealed blob a term.
"""

from __future__ import annotations

import sqlite3
from array import array
from pathlib import Path

from .. import integrity
from ..integrity import WorkStateError


class StaleState(Exception):
    """The previous build's state does not fit what this build found in it: merge in full."""


def remove_db(path: Path) -> None:
    """Delete a SQLite database and the journal files it may have left."""
    for name in (path.name, path.name + "-journal", path.name + "-wal", path.name + "-shm"):
        path.with_name(name).unlink(missing_ok=True)


class CappedStore:
    """The full postings of the capped terms (a term shard holds only their best ``cap``), kept
    in the state so that a rebuild can take a changed cable out of such a term exactly."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path)
            # A rollback journal (not WAL): a kill mid-write leaves the last commit, and the file
            # alone is the whole database, which the next build copies.
            self.db.execute("PRAGMA journal_mode=DELETE")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("CREATE TABLE IF NOT EXISTS capped (term TEXT PRIMARY KEY, postings BLOB NOT NULL)")
        except sqlite3.DatabaseError as err:
            raise WorkStateError(f"{path}: {err}") from err

    def put(self, term: str, postings: array) -> None:
        """Keep ``postings`` (packed, sorted ascending) as the term's full list (sealed, see integrity.py)."""
        self.db.execute("INSERT OR REPLACE INTO capped VALUES (?, ?)",
                        (term, integrity.seal(postings.tobytes(), term)))

    def get(self, term: str) -> array:
        try:
            row = self.db.execute("SELECT postings FROM capped WHERE term = ?", (term,)).fetchone()
        except sqlite3.DatabaseError as err:
            raise StaleState(f"{self.path}: {err}") from err
        if row is None:
            raise StaleState(f"no full postings of the capped term {term!r}")
        postings = array("Q")
        try:
            postings.frombytes(integrity.unseal(row[0], term, f"{self.path} (term {term!r})"))
        except WorkStateError as err:
            raise StaleState(str(err)) from err
        return postings

    def discard(self, term: str) -> None:
        self.db.execute("DELETE FROM capped WHERE term = ?", (term,))

    def close(self) -> None:
        self.db.commit()
        self.db.close()
