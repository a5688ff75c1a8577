"""Helpers of the fault-injection tests (test_faults*.py): small archives built once per module,
real ``cablesite build`` processes killed at chosen points (``CABLESITE_FAULT``, see
generator/integrity.py), and byte-for-byte comparisons of whole sites."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from generator.build import work_dir_for
from generator.synth import synthesize

from .conftest import PROJECT

CABLES = 40  # enough for the worker pool to start (the first 32 items run in the build process)
BOUND = 120  # seconds any build here may take on a loaded 2-core machine; a hang fails the test


@dataclass
class Archive:
    root: Path
    key: Path
    sources: dict[str, Path]  # "v1", "v2", "v1-less": cables.csv files
    reference: dict[str, Path]  # the same names: a clean build's site of each

    def env(self, fault: str | None = None, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {**os.environ, "CABLESITE_STATE_KEY": str(self.key), "CABLESITE_WORKERS": "2"}
        env.pop("CABLESITE_FAULT", None)
        if fault:
            env["CABLESITE_FAULT"] = fault
        return {**env, **(extra or {})}

    def old_site(self, tmp: Path, name: str = "v1") -> Path:
        """A copy of the clean build of ``name`` with its work folder (mtimes kept): "the old site"."""
        reference = self.reference[name]
        target = tmp / "out" / "site"
        target.parent.mkdir(parents=True)
        shutil.copytree(reference, target, symlinks=True)
        shutil.copytree(work_dir_for(reference), work_dir_for(target), symlinks=True)
        return target


def make_archive(root: Path) -> Archive:
    key = root / "state-key"
    v1, v2, less = root / "v1.csv", root / "v2.csv", root / "v1-less.csv"
    synthesize(CABLES, v1, seed=1)
    synthesize(CABLES + 6, v2, seed=2)
    with v1.open(encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))
    with less.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows[::3])  # two in three gone
    archive = Archive(root, key, {"v1": v1, "v2": v2, "v1-less": less}, {})
    for name, source in archive.sources.items():
        site = root / f"ref-{name}" / "site"
        site.parent.mkdir()
        done = build_cli(archive, source, site, "--clean")
        assert done.returncode == 0, done.stderr
        archive.reference[name] = site
    return archive


def build_cli(archive: Archive, source: Path, site: Path, *extra: str, fault: str | None = None,
              timeout: float = BOUND, env: dict[str, str] | None = None,
              **popen: object) -> subprocess.CompletedProcess:
    """``cablesite build`` in a process (and session) of its own; fails the test if it hangs.
    ``env``: settings added to the builds' environment. The result also has ``pid`` (the
    session's id) and ``seconds``."""
    args = [sys.executable, "-m", "generator.cli", "build", str(source), "--site-dir", str(site), "--quiet", *extra]
    return run_in_session(args, archive.env(fault, env), timeout, **popen)


def run_in_session(args: list[str], env: dict[str, str], timeout: float = BOUND,
                   **popen: object) -> subprocess.CompletedProcess:
    """``args`` in a process (and session) of its own, from the project; fails the test if it
    hangs. The result also has ``pid`` (the session's id) and ``seconds``."""
    started = time.monotonic()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT,
                               env=env, start_new_session=True, **popen)
    done = finish(process, timeout)
    done.seconds = time.monotonic() - started  # type: ignore[attr-defined]
    return done


def finish(process: subprocess.Popen, timeout: float = BOUND) -> subprocess.CompletedProcess:
    """The process's outcome; fails the test if it hangs. ``pid`` is set on the result."""
    try:
        out, err = process.communicate(timeout=timeout)
    finally:
        process.kill()
    done = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    done.pid = process.pid  # type: ignore[attr-defined]
    return done


def ctrl_c_to_the_group(archive: Archive, site: Path, point: str,
                        env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """A build held at fault ``point``, then Ctrl-C as a terminal sends it: SIGINT to the build's
    whole process group (the build and every worker at once). The result has ``pid``."""
    process = held_build(archive, site, point, env=env)
    try:
        os.killpg(process.pid, signal.SIGINT)
        os.killpg(process.pid, signal.SIGCONT)
    except BaseException:
        process.kill()
        raise
    return finish(process)


def held_build(archive: Archive, site: Path, point: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """A build of v2 into ``site``, in a session of its own, that stops itself (SIGSTOP) at ``point``;
    killed if it never gets there."""
    process = subprocess.Popen([sys.executable, "-m", "generator.cli", "build", str(archive.sources["v2"]),
                                "--site-dir", str(site), "--quiet"], cwd=PROJECT, start_new_session=True,
                               env=archive.env(f"{point}:SIGSTOP", env), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        wait_stopped(process.pid)
    except BaseException:
        process.kill()  # never leave a stopped build behind
        raise
    return process


def wait_stopped(pid: int) -> None:
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if state == "T":
            return
        time.sleep(0.1)
    raise AssertionError("the build never reached its stop point")


def no_process_left(session: int, wait: float = 10) -> bool:
    """Whether every process of the build's session has ended (within ``wait`` seconds)."""
    deadline = time.monotonic() + wait
    while session_processes(session) and time.monotonic() < deadline:
        time.sleep(0.2)
    return not session_processes(session)


def snapshot(site: Path) -> dict[str, str]:
    """Every file's SHA-256 and every folder (as ``name/``): what "byte for byte" compares."""
    found: dict[str, str] = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_symlink():
            found[rel] = "symlink"
        elif path.is_dir():
            found[rel + "/"] = "dir"
        else:
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def differences(site: Path, reference: Path) -> list[str]:
    a, b = snapshot(site), snapshot(reference)
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def session_processes(session: int) -> list[int]:
    """Processes still alive in a session (a build started with ``start_new_session``)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive
