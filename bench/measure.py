"""Run a command and measure it: wall time, summed peak memory of its process tree, and the
largest single process.

Why two memory figures: the issue's target is the *summed* peak of all processes (MkDocs
builds may run in worker processes), which only polling /proc can see. Polling every
``POLL_SECONDS`` can miss a spike shorter than that, so the kernel's exact high-water mark
of the largest single process (``getrusage(RUSAGE_CHILDREN).ru_maxrss``, read by a small
wrapper process around the command) is reported beside it as a floor the sum cannot be below.
Linux only (reads /proc).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.05
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")

# The wrapper: runs the command, then writes its exit code and the children's max RSS (KiB).
_WRAPPER = (
    "import json, resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(json.dumps({'code': code, 'maxrss_kib': peak}))\n"
    "sys.exit(code)\n"
)


@dataclass
class Measurement:
    wall_seconds: float
    peak_tree_bytes: int  # highest sum of RSS over the command's processes, polled
    largest_process_bytes: int  # exact high-water mark of the largest single process
    returncode: int
    stderr: str


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue  # the process ended while we looked
        # the command name (field 2) may hold spaces and parentheses: split after its last ')'
        fields = stat[stat.rfind(b")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int, include_root: bool) -> int:
    """Summed resident memory of ``root``'s descendants (and of root itself if asked)."""
    children = _children_map()
    total = _rss_bytes(root) if include_root else 0
    stack = list(children.get(root, []))
    while stack:
        pid = stack.pop()
        total += _rss_bytes(pid)
        stack.extend(children.get(pid, []))
    return total


def run_measured(command: list[str], cwd: Path | None = None) -> Measurement:
    """Run ``command`` to completion; its stdout is discarded, stderr kept for the caller."""
    with tempfile.TemporaryDirectory() as tmp:
        result_file = Path(tmp) / "result.json"
        stderr_file = Path(tmp) / "stderr.txt"
        with stderr_file.open("wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-c", _WRAPPER, str(result_file), *command],
                                    cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
            peak = 0
            while proc.poll() is None:
                peak = max(peak, tree_rss(proc.pid, include_root=False))  # the wrapper itself is not counted
                time.sleep(POLL_SECONDS)
            wall = time.perf_counter() - start
        result = json.loads(result_file.read_text()) if result_file.exists() else {"code": proc.returncode,
                                                                                     "maxrss_kib": 0}
        largest = int(result["maxrss_kib"]) * 1024
        return Measurement(wall_seconds=wall, peak_tree_bytes=max(peak, largest), largest_process_bytes=largest,
                           returncode=int(result["code"]), stderr=stderr_file.read_text(errors="replace"))


def tree_size(path: Path) -> tuple[int, int]:
    """Bytes (apparent sizes) and number of files below ``path``."""
    total = files = 0
    for root, _dirs, names in os.walk(path):
        for name in names:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
                files += 1
            except OSError:
                continue
    return total, files
