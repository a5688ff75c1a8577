"""The cable store's pruning (store.py ``CableStore.prune``): cables a build did not use are
dropped, and when it used them all SQLite is not asked to scan the table."""

from __future__ import annotations

from generator.store import CableStore


def _store_with(path, digests):
    store = CableStore(path)
    for digest in digests:
        store.put(digest, f"cable {digest}".encode(), entry=f"entry {digest}".encode())
    store.flush()
    return store


def test_cables_not_used_are_dropped(tmp_path):
    store = _store_with(tmp_path / "cables.sqlite", ["a" * 64, "b" * 64, "c" * 64])
    store.used |= {"a" * 64, "c" * 64}
    assert store.prune() == 1
    store.close()
    again = CableStore(tmp_path / "cables.sqlite")
    assert again.keys() == {"a" * 64, "c" * 64}
    assert again.get("b" * 64) is None and again.get("a" * 64) == b"cable " + b"a" * 64
    again.close()


def test_nothing_is_scanned_when_every_cable_was_used(tmp_path):
    store = _store_with(tmp_path / "cables.sqlite", ["a" * 64, "b" * 64])
    store.close()
    store = CableStore(tmp_path / "cables.sqlite")  # a rebuild of the same cables
    store.used |= {"a" * 64, "b" * 64}
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    assert store.prune() == 0
    assert not [s for s in statements if "DELETE" in s.upper()]
    store.db.set_trace_callback(None)
    assert store.keys() == {"a" * 64, "b" * 64}
    store.close()
