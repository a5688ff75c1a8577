"""The work folder's store (store.py): the cable store's pruning (cables a build did not use are
dropped, and when it used them all SQLite is not asked to scan the table) and the manifest's
writing."""

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


def test_a_manifest_is_written_as_one_json_dump_would_write_it(tmp_path):
    """Manifest.save writes its large tables a slice at a time (store.py): the same bytes as
    ``json.dumps(sort_keys=True)`` of the whole, across slices, with empty tables, and loaded back equal."""
    import json

    from generator.store import Manifest

    pages = {f"cable/2006/06X{n}.md": f"{n:064x}" for n in range(45_001)}
    files = {f"search/d/{n // 1000}/{n}.json.gz": [n, n * 1_000_003, ""] for n in range(41_000)}
    manifest = Manifest("f" * 64, pages, {"country/af": "h\u00e9"}, "search-state-0123456789abcdef", files)
    manifest.save(tmp_path / "manifest.json")
    whole = json.dumps({"fingerprint": manifest.fingerprint, "pages": pages, "lists": manifest.lists,
                        "search_state": manifest.search_state, "site_files": files}, sort_keys=True)
    assert (tmp_path / "manifest.json").read_text(encoding="utf-8") == whole
    loaded = Manifest.load(tmp_path / "manifest.json")
    assert (loaded.pages, loaded.site_files, loaded.lists) == (pages, files, manifest.lists) and not loaded.problem
    Manifest().save(tmp_path / "empty.json")
    assert (tmp_path / "empty.json").read_text(encoding="utf-8") == json.dumps(
        {"fingerprint": "", "pages": {}, "lists": {}, "search_state": "", "site_files": {}}, sort_keys=True)
