"""Writing the build's files: hundreds of thousands of them, nearly all into folders that exist."""

from __future__ import annotations

from pathlib import Path


def write_new_file(target: Path, data: bytes) -> None:
    """Write ``data`` as a new file at ``target``, making its folder when it is missing.

    A file already there is replaced by a new one, never written through: it may be a hard link
    shared with the live site. Opening first, and making the folder or removing the old file
    only when the open says so, spares the ``mkdir`` and ``unlink`` calls (a system call and an
    exception each) that nearly every file of a build would otherwise pay.
    """
    try:
        handle = open(target, "xb")  # noqa: SIM115 - closed below, whichever way it was opened
    except FileExistsError:
        target.unlink()
        handle = open(target, "xb")  # noqa: SIM115
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = open(target, "xb")  # noqa: SIM115
    with handle:
        handle.write(data)
