"""Faults during the render stage (issue 15), with real kills: its own worker pools (MkDocs
shards, stamping) stop within seconds on SIGINT/SIGTERM, die with a build killed with SIGKILL,
and fail the build promptly when one of them is killed (the OOM killer); the old site is left
as it was, and the next plain build gives what a clean build gives.

The build's render stage starts a pool only for pages that pass 2 did not stamp: here every page
(``CABLESITE_STAMP=0``), in shards small enough for many MkDocs runs to be queued when the
signal comes (``CABLESITE_SHARD_SIZE``). The stamping pool is driven directly, as a build's
render stage would, with its thresholds lowered so that a small archive starts it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build import work_dir_for

from .conftest import CONFIG
from .faultkit import (
    BOUND,
    build_cli,
    ctrl_c_to_the_group,
    differences,
    held_build,
    make_archive,
    no_process_left,
    run_in_session,
    session_processes,
)

pytestmark = [pytest.mark.slow,  # a dozen small builds: a few minutes on a loaded 2-core machine
              pytest.mark.skipif(sys.platform != "linux", reason="fault injection relies on Linux process control")]

SHARDS = {"CABLESITE_STAMP": "0", "CABLESITE_SHARD_SIZE": "2"}  # ~140 MkDocs runs: ~10 s of queued work
WORKERS_STOPPED_WITHIN = 5  # seconds from the signal until no render worker is left
BUILD_STOPPED_WITHIN = 10  # seconds from the signal until the build has exited


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return make_archive(tmp_path_factory.mktemp("faults-render"))


def _render_workers(session: int) -> list[int]:
    """The spawned worker processes left in a build's session (not the build, not its resource tracker)."""
    found = []
    for pid in session_processes(session):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            found.append(pid)
    return found


def _seconds_until_no_render_worker(session: int) -> float:
    started = time.monotonic()
    while _render_workers(session) and time.monotonic() - started < BOUND:
        time.sleep(0.05)
    return time.monotonic() - started


def _next_plain_build_is_clean(archive, site):
    done = build_cli(archive, archive.sources["v2"], site)
    assert done.returncode == 0, done.stderr
    assert differences(site, archive.reference["v2"]) == []


def test_a_render_worker_killed_fails_the_build_promptly(archive, tmp_path):
    """D10 in the render stage: a MkDocs shard worker killed (as by the OOM killer)."""
    site = archive.old_site(tmp_path)
    failed = build_cli(archive, archive.sources["v2"], site, fault="render-worker", env=SHARDS)
    assert failed.returncode == 1, failed.stderr
    assert "worker process died while rendering pages" in failed.stderr and "unchanged" in failed.stderr
    assert failed.seconds < BOUND / 2
    assert no_process_left(failed.pid)
    assert differences(site, archive.reference["v1"]) == []
    assert not (work_dir_for(site) / "render").exists()  # the shards' folders: removed
    _next_plain_build_is_clean(archive, site)


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGKILL, None)])
def test_a_signal_while_the_render_workers_run_stops_them_at_once(archive, tmp_path, signum, status):
    """D11 in the render stage: the build is held once its first shard is done (the others queued
    or running), then signalled. Its workers are stopped, not waited for (the queued MkDocs runs
    would take ~10 s); SIGKILL takes them with it (no orphan runs on)."""
    site = archive.old_site(tmp_path)
    process = held_build(archive, site, "render-running", env=SHARDS)
    try:
        assert _render_workers(process.pid)
        os.kill(process.pid, signum)
        signalled = time.monotonic()
        os.kill(process.pid, signal.SIGCONT)
        seconds = _seconds_until_no_render_worker(process.pid)
        _out, err = process.communicate(timeout=BOUND)
        ended = time.monotonic() - signalled
    finally:
        process.kill()
    assert seconds < WORKERS_STOPPED_WITHIN, f"{seconds:.1f} s"
    # the build itself ends within seconds too: what it wrote is renamed away and unlinked by a
    # process of its own, not waited for
    assert ended < BUILD_STOPPED_WITHIN, f"{ended:.1f} s"
    assert process.returncode == (status or -signum), err
    if status:
        assert "interrupted" in err and "unchanged" in err
    assert no_process_left(process.pid)
    assert differences(site, archive.reference["v1"]) == []
    _next_plain_build_is_clean(archive, site)


def test_ctrl_c_to_the_whole_process_group_while_the_render_workers_run(archive, tmp_path):
    """Ctrl-C in a terminal reaches the build and every MkDocs worker at once: one clean stop."""
    site = archive.old_site(tmp_path)
    stopped = ctrl_c_to_the_group(archive, site, "render-running", env=SHARDS)
    assert stopped.returncode == 130, stopped.stderr
    assert "Traceback" not in stopped.stderr  # the workers leave Ctrl-C to the build
    assert no_process_left(stopped.pid)
    assert differences(site, archive.reference["v1"]) == []


# The stamping pool as the render stage runs it, thresholds lowered (a few pages per chunk, a pool
# for any number of pages), under the build's signal handling; prints how it ended.
_STAMP_SCRIPT = """
import sys
from pathlib import Path
from generator.lifecycle import stop_on_signals
from generator.render import pages
pages.IN_PROCESS_BELOW, pages.STAMP_CHUNK = 0, 4
docs, out = Path(sys.argv[1]), Path(sys.argv[2])
rels = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
try:
    with stop_on_signals():
        result = pages.render_pages(Path(sys.argv[3]), docs, rels, out / "site", out / "work", workers=2)
except BaseException as err:
    print(f"{type(err).__name__}: {err}", flush=True)
    sys.exit(3)
print(f"stamped {result.stamped}", flush=True)
"""


def _stamp(archive, tmp_path, fault: str) -> tuple[subprocess.CompletedProcess, float]:
    """Run the stamping script in a session of its own; the result also has ``pid`` (the session)."""
    docs = work_dir_for(archive.reference["v1"]) / "docs"
    args = [sys.executable, "-c", _STAMP_SCRIPT, str(docs), str(tmp_path), str(CONFIG)]
    done = run_in_session(args, archive.env(fault))
    return done, done.seconds  # type: ignore[attr-defined]


def test_the_stamping_pool_stamps_and_a_stamping_worker_killed_fails_it_promptly(archive, tmp_path):
    done, _seconds = _stamp(archive, tmp_path / "whole", "")
    assert done.returncode == 0 and done.stdout.startswith("stamped "), done.stdout + done.stderr
    assert int(done.stdout.split()[1]) > 100  # the pool ran and stamped (not MkDocs for everything)
    failed, seconds = _stamp(archive, tmp_path / "killed", "render-worker")
    assert failed.returncode == 3, failed.stderr
    assert failed.stdout.startswith("WorkerDied: a worker process died while stamping pages")
    assert seconds < BOUND / 2


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_a_signal_while_the_stamping_workers_run_stops_them(archive, tmp_path, signal_name):
    done, seconds = _stamp(archive, tmp_path, f"render-running:{signal_name}")
    assert done.returncode == 3, done.stderr
    assert done.stdout.startswith(f"BuildInterrupted: stopped by {signal_name}"), done.stdout
    assert seconds < BOUND / 2
    assert no_process_left(done.pid)  # type: ignore[attr-defined]
