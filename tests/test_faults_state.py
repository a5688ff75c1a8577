"""Damaged, truncated or crafted files in the work folder and in the live site (issue 15): each is
found, said in one line naming the file, and built anew; never a crash, never silent reuse, and
never a pickle of the work folder run unverified."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import struct
import sys
from pathlib import Path

import pytest

from generator import integrity
from generator.build import work_dir_for
from generator.integrity import WorkStateError
from generator.store import Manifest

from .faultkit import build_cli, differences, make_archive

pytestmark = [pytest.mark.slow,  # a few dozen small builds: minutes on a loaded 2-core machine
              pytest.mark.skipif(sys.platform != "linux", reason="fault injection relies on Linux process control")]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return make_archive(tmp_path_factory.mktemp("faults-state"))


class _Planted:
    """A pickle that, when loaded, creates a file: proof that code from the work folder ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _state(site: Path) -> Path:
    work = work_dir_for(site)
    manifest = json.loads((work / "manifest.json").read_text())
    return work / manifest["search_state"]


def _rebuild_equals_clean(archive, site, name="v1"):
    done = build_cli(archive, archive.sources[name], site)
    assert done.returncode == 0, done.stderr
    assert differences(site, archive.reference[name]) == []
    return done


def _cut_end_mark(path: Path) -> None:
    """Drop a stream's last frame (its end mark): the file now ends exactly at a chunk boundary."""
    data = path.read_bytes()
    at, frames = 0, []
    while at < len(data):
        frames.append(at)
        at += 4 + struct.unpack_from("<I", data, at)[0]
    path.write_bytes(data[:frames[-1]])


def test_a_changed_byte_in_a_stored_cable_is_never_published(archive, tmp_path):
    """D6: one letter of a stored cable changed (still a valid pickle); its hit file is made
    anew (the search state is gone), so an unverified store would publish the changed text."""
    site = archive.old_site(tmp_path)
    work = work_dir_for(site)
    db = sqlite3.connect(work / "cables.sqlite")
    digest, blob = db.execute("SELECT digest, data FROM cables LIMIT 1").fetchone()
    at = blob.index(b"the ") if b"the " in blob else len(blob) - 40
    db.execute("UPDATE cables SET data = ? WHERE digest = ?", (blob[:at] + b"X" + blob[at + 1:], digest))
    db.commit()
    db.close()
    for folder in work.glob("search-state-*"):
        os.rename(folder, work / "gone")
    done = _rebuild_equals_clean(archive, site)
    assert "cables.sqlite" in done.stderr and "integrity check" in done.stderr


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_cable_store_is_rebuilt_with_a_note_naming_it(archive, tmp_path, damage):
    """D3/D7: "database disk image is malformed" on every later build, without naming --clean."""
    site = archive.old_site(tmp_path)
    store = work_dir_for(site) / "cables.sqlite"
    data = store.read_bytes()
    store.write_bytes(data[:4096] + os.urandom(len(data) - 4096) if damage == "garbage" else data[: len(data) // 3])
    done = _rebuild_equals_clean(archive, site)
    assert "cables.sqlite" in done.stderr and "built anew" in done.stderr


@pytest.mark.parametrize("name", ["keys.pickle", "runs.pickle", "facets.pickle"])
def test_a_crafted_pickle_in_the_search_state_is_never_loaded(archive, tmp_path, name):
    """D8: a crafted pickle used to run code when a rebuild loaded it."""
    site = archive.old_site(tmp_path)
    marker = tmp_path / "code-ran"
    (_state(site) / "00000" / name).write_bytes(pickle.dumps(_Planted(marker)))
    done = _rebuild_equals_clean(archive, site)
    assert not marker.exists()
    assert name in done.stderr and "integrity check" in done.stderr


def test_a_crafted_catalog_entry_in_the_store_is_never_loaded(archive, tmp_path):
    site = archive.old_site(tmp_path)
    marker = tmp_path / "code-ran"
    db = sqlite3.connect(work_dir_for(site) / "cables.sqlite")
    db.execute("UPDATE entries SET data = ?", (pickle.dumps(_Planted(marker)),))
    db.commit()
    db.close()
    done = _rebuild_equals_clean(archive, site)
    assert not marker.exists()
    assert "cables.sqlite" in done.stderr and "parsed anew" in done.stderr  # that cable, not everything
    assert "everything is built anew" not in done.stderr


@pytest.mark.parametrize("target", ["run", "terms"])
def test_a_state_file_cut_at_a_chunk_boundary_is_found(archive, tmp_path, target, monkeypatch):
    """D6/D7: a run or term file cut where a chunk ends read as complete, and lost terms."""
    monkeypatch.setattr(integrity, "_KEY", [archive.key.read_bytes()])  # the builds' key
    site = archive.old_site(tmp_path)
    path = _state(site) / ("00000/run0.pickle" if target == "run" else "terms.pickle")
    _cut_end_mark(path)
    with pytest.raises(WorkStateError, match="truncated"):
        list(integrity.read_stream(path, "run"))
    done = _rebuild_equals_clean(archive, site, "v2" if target == "run" else "v1")
    assert path.name in done.stderr


def test_garbled_frames_and_capped_postings_are_made_anew(archive, tmp_path):
    site = archive.old_site(tmp_path)
    work = work_dir_for(site)
    (work / "frames.pickle").write_bytes(b"\x80\x05garbage")
    (_state(site) / "capped.sqlite").write_bytes(os.urandom(8192))
    _rebuild_equals_clean(archive, site)


@pytest.mark.parametrize("damage", ["delete-page", "truncate-home", "delete-css", "change-hit", "symlink",
                                    "extra-file"])
def test_a_damaged_live_site_is_restored_by_a_plain_build(archive, tmp_path, damage):
    """D5: deleted or truncated site files stayed so through every plain rebuild."""
    site = archive.old_site(tmp_path)
    page = next(site.glob("cable/*/*/*.html"))
    if damage == "delete-page":
        page.unlink()
    elif damage == "truncate-home":
        (site / "index.html").write_bytes((site / "index.html").read_bytes()[:100])
    elif damage == "delete-css":
        next(site.glob("assets/stylesheets/*.css")).unlink()
    elif damage == "change-hit":
        hit = site / "search" / "d" / "0" / "3.json.gz"
        data = bytearray(hit.read_bytes())
        data[-5] ^= 1  # a bit of the gzip CRC: same size
        hit.write_bytes(bytes(data))
        os.utime(hit, ns=(hit.stat().st_atime_ns, hit.stat().st_mtime_ns - 10**9))
    elif damage == "symlink":
        page.unlink()
        page.symlink_to("/etc/hostname")
    else:
        (site / "cable" / "stray.html").write_text("not built by cablesite")
    done = _rebuild_equals_clean(archive, site)
    if damage != "extra-file":
        assert "built anew" in done.stderr


def test_a_manifest_naming_a_path_outside_is_refused(archive, tmp_path):
    """D9: a ``../`` page in manifest.json deleted a file outside the work folder."""
    site = archive.old_site(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    manifest = work_dir_for(site) / "manifest.json"
    data = json.loads(manifest.read_text())
    data["pages"]["../../outside.txt"] = "0" * 64
    manifest.write_text(json.dumps(data))
    done = _rebuild_equals_clean(archive, site)
    assert outside.read_text() == "keep me"
    assert "manifest.json" in done.stderr and "not usable" in done.stderr


def test_manifest_paths_and_state_names_are_validated(tmp_path):
    path = tmp_path / "manifest.json"
    for bad in ({"pages": {"/etc/passwd": "x"}}, {"pages": {}, "search_state": "../x"},
                {"pages": {}, "site_files": {"a/../../b": [1, 2, "h"]}}):
        path.write_text(json.dumps({"fingerprint": "f", **bad}))
        loaded = Manifest.load(path)
        assert loaded.fingerprint == "" and "not usable" in loaded.problem


def test_a_rebuild_after_cables_are_removed_leaves_no_empty_folders(archive, tmp_path):
    """D21: empty folders a clean build does not have stayed behind."""
    site = archive.old_site(tmp_path)
    _rebuild_equals_clean(archive, site, "v1-less")  # folders are part of the comparison


def test_the_old_site_left_between_two_renames_is_put_back(archive, tmp_path):
    """D4 (where the two-rename swap is used): a build died after moving the old site aside."""
    site = archive.old_site(tmp_path)
    os.rename(site, work_dir_for(site) / "site-old")
    done = _rebuild_equals_clean(archive, site)
    assert "put back" in done.stderr


def test_seals_bind_data_and_name(tmp_path, monkeypatch):
    monkeypatch.setenv("CABLESITE_STATE_KEY", str(tmp_path / "key"))
    monkeypatch.setattr(integrity, "_KEY", [])
    blob = integrity.seal(b"data", "cables/abc")
    assert integrity.unseal(blob, "cables/abc") == b"data"
    with pytest.raises(WorkStateError, match="integrity check"):
        integrity.unseal(blob, "cables/abd")  # a row moved under another key
    with pytest.raises(WorkStateError, match="integrity check"):
        integrity.unseal(blob[:-1] + b"x", "cables/abc")
    assert (tmp_path / "key").stat().st_mode & 0o077 == 0  # private to its owner
    monkeypatch.setattr(integrity, "_KEY", [os.urandom(32)])  # another machine's key
    with pytest.raises(WorkStateError):
        integrity.unseal(blob, "cables/abc")


def test_the_swap_is_one_atomic_exchange_where_the_system_has_one(tmp_path):
    """D4: with renameat2(RENAME_EXCHANGE) there is no moment without a site at --site-dir."""
    from generator.publish import exchange, swap_into_place

    old, new, work = tmp_path / "site", tmp_path / "next", tmp_path / "work"
    for folder, text in ((old, "old"), (new, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    work.mkdir()
    if not exchange(new, old):
        pytest.skip("this system has no renameat2(RENAME_EXCHANGE); the two-rename swap is used")
    assert (old / "index.html").read_text() == "new" and (new / "index.html").read_text() == "old"
    swap_into_place(new, old, work)  # and back, the old site going to a deleter of its own
    assert (old / "index.html").read_text() == "old" and not new.exists()


def test_a_work_folder_sealed_with_another_key_is_rebuilt_once_with_one_notice(archive, tmp_path):
    """A work folder moved to another machine (or a CI cache restored without its key): nothing
    in it verifies; one line says so (not one per cable, segment or file), the site is rebuilt
    right, and the next build there reuses what this one sealed."""
    site = archive.old_site(tmp_path)
    other = {"CABLESITE_STATE_KEY": str(tmp_path / "another-machine-key")}
    moved = build_cli(archive, archive.sources["v1"], site, env=other)
    assert moved.returncode == 0, moved.stderr
    notices = [line for line in moved.stderr.splitlines() if line.startswith("note:")]
    assert len(notices) == 1 and "sealed with another key" in notices[0], moved.stderr
    assert "integrity check" not in moved.stderr
    assert differences(site, archive.reference["v1"]) == []
    again = build_cli(archive, archive.sources["v1"], site, env=other)
    assert again.returncode == 0 and "note:" not in again.stderr, again.stderr
    report = json.loads((work_dir_for(site) / "build-report.json").read_text())
    assert report["parsed"] == 0 and report["pages_written"] == 0  # all reused: sealed by the first
    assert differences(site, archive.reference["v1"]) == []


def test_the_work_folder_names_its_key_without_giving_it_away(tmp_path, monkeypatch):
    monkeypatch.setattr(integrity, "_KEY", [b"k" * 32])
    assert not integrity.sealed_elsewhere(tmp_path)  # no mark: a new folder, or an older version's
    integrity.mark_key(tmp_path)
    mark = (tmp_path / integrity.KEY_MARK).read_text()
    assert "k" * 8 not in mark and not integrity.sealed_elsewhere(tmp_path)
    monkeypatch.setattr(integrity, "_KEY", [b"x" * 32])
    assert integrity.sealed_elsewhere(tmp_path)
