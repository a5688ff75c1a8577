"""A build's life in its work folder: begun, committed or discarded; and stopped by signals.

Why: the work folder is the memory between builds, so a build that dies half-way must not
leave anything the next one would trust. A build writes ``building`` when it starts and
removes it only once the new site and the manifest naming its state are in place: a next
build that finds the mark knows the last one did not finish and builds everything anew
(keeping only what verifies on its own: the sealed cable store). Each build's search state
goes into a folder of its own name, so a dead build never wrote into the folder the manifest
names. A failed build removes what it wrote that the old site does not need (after a full
disk, the next build finds the space again).

SIGTERM and SIGINT are turned into ``BuildInterrupted`` (a ``KeyboardInterrupt``) in the build
process, so that it unwinds, stops its workers and leaves the old site as it was; the command
then exits 143 (130).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from .integrity import mark_key, sealed_elsewhere
from .store import STATE_FOLDER, remove_db

BUILDING = "building"


class BuildInterrupted(KeyboardInterrupt):
    """The build was asked to stop by a signal; ``code`` is the exit status it calls for."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.code = 128 + signum


def new_state_name() -> str:
    """A search state folder name no earlier build used."""
    return f"search-state-{secrets.token_hex(8)}"


def unfinished(work: Path) -> str | None:
    """Why the work folder's state must not be reused: it was sealed with another key, or the
    last build did not finish."""
    if sealed_elsewhere(work):
        return f"{work} sealed with another key (moved from another machine?)"
    mark = work / BUILDING
    if not mark.exists():
        return None
    pid = mark.read_text(encoding="utf-8", errors="replace").strip()
    return f"the last build (PID {pid or '?'}) did not finish"  # the caller adds: everything is built anew


def begin(work: Path) -> None:
    """A build starts in ``work``: marked unfinished, and sealing with this process's key. What
    another key sealed there cannot verify: it is removed now (``unfinished`` said so once),
    not found failing row by row."""
    (work / BUILDING).write_text(f"{os.getpid()}\n", encoding="utf-8")
    if sealed_elsewhere(work):
        remove_db(work / "cables.sqlite")
        (work / "frames.pickle").unlink(missing_ok=True)
    mark_key(work)


def commit(work: Path, keep_state: str) -> None:
    """The new site and manifest are in place: drop the mark and every other search state."""
    (work / BUILDING).unlink(missing_ok=True)
    tidy_states(work, keep_state)


def tidy_states(work: Path, keep: str) -> None:
    """Remove the search state folders other than ``keep`` (and the a/b ones of older versions)."""
    if not work.is_dir():
        return
    for folder in work.iterdir():
        name = folder.name
        if name != keep and (STATE_FOLDER.fullmatch(name) or name in ("search-state-a", "search-state-b")):
            shutil.rmtree(folder, ignore_errors=True)


def discard(paths: list[Path]) -> None:
    """Remove what a failed build wrote (never raising: the build's own error is what counts)."""
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()


_RECEIVED: list[int] = []  # signals that asked this build to stop, whatever became of their exception


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM raises ``BuildInterrupted`` and SIGINT ``KeyboardInterrupt`` in the build process
    while the block runs (forked workers reset this, see parallel.py). Each is also recorded:
    ``check_interrupted`` before the site is swapped in stops a build whose interrupt some
    library swallowed."""
    def handler(signum: int, _frame: FrameType | None) -> None:
        _RECEIVED.append(signum)
        raise BuildInterrupted(signum)

    _RECEIVED.clear()
    try:
        previous = {signum: signal.signal(signum, handler) for signum in (signal.SIGTERM, signal.SIGINT)}
    except ValueError:  # not the main thread: leave signals to whoever owns it
        yield
        return
    try:
        yield
    finally:
        for signum, action in previous.items():
            signal.signal(signum, action)


def check_interrupted() -> None:
    """Raise ``BuildInterrupted`` if a signal asked this build to stop (see ``stop_on_signals``)."""
    if _RECEIVED:
        raise BuildInterrupted(_RECEIVED[0])
