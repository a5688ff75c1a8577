"""One writer at a time per site: an ``fcntl`` lock on a file in the site's work folder.

Why a lock: two builds into one ``--site-dir`` share the work folder (store, search state,
staging) and corrupt each other's files. A POSIX record lock (``lockf``) is released by the
kernel when the holder dies, however it dies, and is not inherited by forked workers (a
``flock`` would be, and a worker outliving its killed build would hold it): a lock file left by
a killed build is never mistaken for a live one, it is simply locked again (and said so). The
holder's PID is written into the file for the message the second build gives.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

LOCK_NAME = "lock"
_HELD: set[str] = set()  # lock files this process holds (a POSIX lock does not exclude its own process)


class SiteInUse(RuntimeError):
    """Another build holds the site's work folder."""


class BuildLock:
    """An exclusive, non-blocking lock on ``work/lock``; a context manager (one per process:
    POSIX locks are the process's, so a second ``BuildLock`` here would not exclude the first).

    ``stale`` tells, once acquired, the PID a previous holder left in the file when that
    process no longer runs (a build killed before it could tidy up)."""

    def __init__(self, work: Path, site_dir: Path) -> None:
        self.path = work / LOCK_NAME
        self.site_dir = site_dir
        self.fd: int | None = None
        self.stale: int | None = None

    def acquire(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if str(self.path.resolve()) in _HELD:
            raise SiteInUse(f"{self.site_dir} is in use by PID {os.getpid()} (this process builds it already)")
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f"PID {holder}" if holder else "another process"
            raise SiteInUse(f"{self.site_dir} is in use by {who} (another cablesite build holds {self.path}); "
                            "wait for it to finish") from None
        previous = _read_pid(fd)
        if previous and previous != os.getpid() and not _alive(previous):
            self.stale = previous
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd
        _HELD.add(str(self.path.resolve()))
        return self

    def release(self) -> None:
        if self.fd is not None:
            _HELD.discard(str(self.path.resolve()))
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            os.close(self.fd)  # closing drops the lock
            self.fd = None

    def __enter__(self) -> BuildLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
