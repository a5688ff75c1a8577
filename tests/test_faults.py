"""Faults in a build's own life, reproduced with real kills (issue 15): a build killed at a chosen
point, a worker killed, SIGINT/SIGTERM, two builds at once, a full disk, a symlinked site folder.

Each asserts that the site at --site-dir is the old site or the new one, byte for byte; that the
next plain build gives what a clean build gives; that the build ends within a bound; and that
the message names what went wrong."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time

import pytest

from generator.build import work_dir_for
from generator.lock import BuildLock, SiteInUse
from generator.parallel import WorkerDied, ordered_map

from .conftest import PROJECT
from .faultkit import BOUND, build_cli, ctrl_c_to_the_group, differences, held_build, make_archive, no_process_left

pytestmark = [pytest.mark.slow,  # a few dozen small builds: minutes on a loaded 2-core machine
              pytest.mark.skipif(sys.platform != "linux", reason="fault injection relies on Linux process control")]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return make_archive(tmp_path_factory.mktemp("faults"))


def _next_plain_build_is_clean(archive, site, name="v2"):
    done = build_cli(archive, archive.sources[name], site)
    assert done.returncode == 0, done.stderr
    assert differences(site, archive.reference[name]) == []
    return done


@pytest.mark.parametrize("point, extra, published", [
    ("after-search-state", ("--clean",), "v1"),  # D1: the state written, the old manifest names another
    ("store-write", (), "v1"),  # D3: killed while SQLite writes cables.sqlite
    ("before-swap", (), "v1"),  # D4: the new site complete, not yet in place
    ("after-swap", (), "v2"),  # D4: in place, the manifest not yet saved
    ("pass2-merge", (), "v1"),  # D11: killed while its workers run (they must not outlive it)
])
def test_a_killed_build_leaves_a_whole_site_and_the_next_build_is_clean(archive, tmp_path, point, extra, published):
    site = archive.old_site(tmp_path)
    killed = build_cli(archive, archive.sources["v2"], site, *extra, fault=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert no_process_left(killed.pid)
    assert differences(site, archive.reference[published]) == []
    done = _next_plain_build_is_clean(archive, site)
    assert "did not finish" in done.stderr  # said, and everything built anew
    assert "died holding" in done.stderr and "lock" in done.stderr  # the dead build's lock: taken over


def test_a_full_rebuild_killed_after_its_search_state_is_not_trusted_by_a_plain_build(archive, tmp_path):
    """D1 as reported: the same sources, --clean killed after the search state, then plain."""
    site = archive.old_site(tmp_path, "v2")
    killed = build_cli(archive, archive.sources["v1"], site, "--clean", fault="after-search-state")
    assert killed.returncode == -signal.SIGKILL
    assert differences(site, archive.reference["v2"]) == []
    _next_plain_build_is_clean(archive, site, "v1")
    states = [p.name for p in work_dir_for(site).iterdir() if p.name.startswith("search-state")]
    assert len(states) == 1  # the dead build's state is gone, the new one kept


def test_a_killed_worker_fails_the_build_promptly(archive, tmp_path):
    """D10: a pool worker killed (as by the OOM killer) used to hang the build for ever."""
    site = archive.old_site(tmp_path)
    failed = build_cli(archive, archive.sources["v2"], site, fault="pass2-worker")
    assert failed.returncode == 1
    assert "worker process died" in failed.stderr
    assert failed.seconds < BOUND / 2
    assert differences(site, archive.reference["v1"]) == []
    _next_plain_build_is_clean(archive, site)


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_sigint_and_sigterm_stop_the_build_within_seconds(archive, tmp_path, signum, status):
    """D11: the build stops, no worker stays behind, the old site is untouched, nothing is swallowed."""
    site = archive.old_site(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "generator.cli", "build", str(archive.sources["v2"]),
                                "--site-dir", str(site), "--quiet"], cwd=PROJECT, start_new_session=True,
                               env=archive.env(f"pass2-merge:{signal.Signals(signum).name}"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _out, err = process.communicate(timeout=BOUND)
    finally:
        process.kill()
    assert process.returncode == status, err
    assert "interrupted" in err and "unchanged" in err
    assert no_process_left(process.pid)
    assert differences(site, archive.reference["v1"]) == []
    _next_plain_build_is_clean(archive, site)


def test_ctrl_c_to_the_whole_process_group_during_pass_2(archive, tmp_path):
    """Ctrl-C in a terminal reaches the build and every worker at once."""
    site = archive.old_site(tmp_path)
    stopped = ctrl_c_to_the_group(archive, site, "pass2-merge")
    assert stopped.returncode == 130, stopped.stderr
    assert differences(site, archive.reference["v1"]) == []


def test_a_second_build_into_the_same_site_is_refused_naming_the_first(archive, tmp_path):
    """D2: the first build is held (SIGSTOP) just before its swap; the second is refused."""
    site = archive.old_site(tmp_path)
    first = held_build(archive, site, "before-swap")
    try:
        second = build_cli(archive, archive.sources["v1"], site, "--clean")
        assert second.returncode == 1
        assert f"in use by PID {first.pid}" in second.stderr
        os.kill(first.pid, signal.SIGCONT)
        _out, err = first.communicate(timeout=BOUND)
    finally:
        first.kill()
    assert first.returncode == 0, err
    assert differences(site, archive.reference["v2"]) == []


def test_the_lock_names_its_holder_is_released_and_a_dead_holder_is_stale(tmp_path):
    work, site = tmp_path / ".site-build", tmp_path / "site"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; "
                               "from generator.lock import BuildLock; "
                               f"lock = BuildLock(Path({str(work)!r}), Path('s')).acquire(); "
                               "print('held', flush=True); time.sleep(60)"],
                              cwd=PROJECT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(SiteInUse, match=f"in use by PID {holder.pid}"):
            BuildLock(work, site).acquire()
    finally:
        holder.kill()
        holder.wait()
    with BuildLock(work, site) as lock:  # the holder died: its lock went with it
        assert lock.stale == holder.pid
        with pytest.raises(SiteInUse, match=f"PID {os.getpid()}"):
            BuildLock(work, site).acquire()  # and a second build in this same process is refused too


def test_a_full_disk_fails_cleanly_and_frees_what_the_build_wrote(archive, tmp_path):
    """D12: writes fail (a file size limit stands in for the full disk, with real ENOSPC-like
    errors: EFBIG); the old site stays, the work folder holds nothing of the failed build."""
    site = archive.old_site(tmp_path)
    work = work_dir_for(site)
    before = {p.name for p in work.iterdir()}

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    failed = build_cli(archive, archive.sources["v2"], site, preexec_fn=limited)
    assert failed.returncode == 1
    assert "build failed" in failed.stderr and str(work) in failed.stderr  # names the file it could not write
    assert differences(site, archive.reference["v1"]) == []
    left = {p.name for p in work.iterdir()} - before - {"building"}
    assert left == set()
    assert not (work / "docs").exists() and not (work / "site").exists()
    _next_plain_build_is_clean(archive, site)


def test_a_symlinked_site_folder_is_refused_clearly(archive, tmp_path):
    """D13: the swap would replace the link (or write through it); refused, nothing written."""
    real = archive.old_site(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    refused = build_cli(archive, archive.sources["v2"], link, "--clean")
    assert refused.returncode == 1
    assert "symbolic link" in refused.stderr and str(link) in refused.stderr
    assert differences(real, archive.reference["v1"]) == []
    assert not work_dir_for(link).exists()


def _dies_at_fifty(item: int) -> int:
    if item == 50:
        os.kill(os.getpid(), signal.SIGKILL)  # what the OOM killer does
    return item


def test_ordered_map_raises_when_a_worker_is_killed():
    """D10 at the pool itself: multiprocessing.Pool waited for the lost batch for ever."""
    started = time.monotonic()
    with pytest.raises(WorkerDied, match="worker process died"):
        list(ordered_map(_dies_at_fifty, range(400), workers=2, chunksize=4))
    assert time.monotonic() - started < 30
