"""What a build says on stderr: one line per stage, the problems, the summary.

On a terminal each long stage shows a progress bar (tqdm: counts, rate, time left) that stays as
the stage's line when it ends. When stderr is not a terminal (CI logs, a pipe) a stage prints
plain lines instead: one every ``PLAIN_EVERY`` seconds while it runs, one when it ends. ``--quiet``
turns the stage lines off, ``--verbose`` adds the internal chatter of the stages (search index
merges, shard counts) and lists every problem instead of the first ``PROBLEMS_SHOWN``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

PLAIN_EVERY = 30.0  # seconds between plain progress lines of a long stage
PROBLEMS_SHOWN = 10  # problems listed in the default output; the rest are in build-report.json


@dataclass
class Output:
    """How much to say: set once by the command line (``configure``)."""

    quiet: bool = False
    verbose: bool = False


OUTPUT = Output()


def configure(quiet: bool = False, verbose: bool = False) -> None:
    OUTPUT.quiet, OUTPUT.verbose = quiet, verbose and not quiet


def chatter(prefix: str, stream: IO[str] | None = None) -> Callable[[str], None]:
    """A message sink for a stage's internal notes: printed with ``--verbose`` only."""

    def say(message: str) -> None:
        if OUTPUT.verbose:
            print(f"{prefix}: {message}", file=stream or sys.stderr, flush=True)

    return say


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Progress of one stage (``step`` per item, ``close`` at the end). Silent when disabled."""

    def __init__(self, stage: str, total: int | None = None, enabled: bool = True, unit: str = "cables",
                 stream: IO[str] | None = None, size_total: int | None = None) -> None:
        """``total`` items when known up front; else ``size_total`` bytes of input, which ``advance``
        counts off, give the time left of a stage whose item count is known only at its end (the
        parse stage streams its sources)."""
        self.stage, self.total, self.unit, self.count = stage, total, unit, 0
        self.size_total = size_total if total is None and size_total else None
        self.size = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and not OUTPUT.quiet
        self.started = self.last_line = time.perf_counter()
        self.bar: Any = None
        if self.enabled and _is_terminal(self.stream):
            from tqdm import tqdm

            if self.size_total:
                self.bar = tqdm(total=self.size_total, desc=stage, unit="B", unit_scale=True, file=self.stream,
                                leave=True, dynamic_ncols=True, mininterval=0.25)
            else:
                self.bar = tqdm(total=total, desc=stage, unit=f" {unit}", file=self.stream, leave=True,
                                dynamic_ncols=True, mininterval=0.25)

    def advance(self, size: int) -> None:
        """``size`` more bytes of the input read (with ``size_total``; otherwise ignored)."""
        if not self.size_total:
            return
        size = min(size, self.size_total - self.size)
        self.size += size
        if self.bar is not None and size:
            self.bar.update(size)

    def step(self, count: int = 1) -> None:
        self.count += count
        if self.bar is not None:
            if self.size_total:
                self.bar.set_postfix_str(f"{self.count:,} {self.unit}", refresh=False)
            else:
                self.bar.update(count)
        elif self.enabled:
            now = time.perf_counter()
            if now - self.last_line >= PLAIN_EVERY:
                self.last_line = now
                self._line(now, done=False)

    def close(self) -> None:
        """End the stage: the bar stays as its line, or the plain closing line is printed."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        elif self.enabled and (self.count or self.total is None):
            self._line(time.perf_counter(), done=True)
        self.enabled = False

    def _line(self, now: float, done: bool) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.count / elapsed
        if done:
            text = f"{self.stage}: {self.count:,} {self.unit} in {elapsed:.1f} s ({rate:,.0f}/s)"
        else:
            total = f"/{self.total:,}" if self.total else ""
            left = (f", {_duration((self.total - self.count) / rate)} left"
                    if self.total and rate > 0 and self.count < self.total else "")
            if self.size_total and 0 < self.size < self.size_total:
                share = self.size / self.size_total
                total = f" ({share:.0%} of the input)"
                left = f", {_duration(elapsed * (1 - share) / share)} left"
            text = f"{self.stage}: {self.count:,}{total} {self.unit} ({rate:,.0f}/s){left}"
        print(text, file=self.stream, flush=True)


def counted_input(items: Iterable[Any], ticker: Progress) -> Iterator[Any]:
    """``items`` (source records) passed through, their input bytes counted off on ``ticker``:
    a record's text as it comes, and the rest of a file's size when the next file begins, so the
    count ends at the sum of the files' sizes (``sources.source_bytes``)."""
    path, credited, size = None, 0, 0
    for item in items:
        location = getattr(item, "location", None)
        here = getattr(location, "path", None)
        if here != path:
            ticker.advance(size - credited)
            path, credited, size = here, 0, _file_size(here)
        text = getattr(item, "text", None)
        if text and credited < size:
            step = min(len(text) + len(getattr(item, "header", "") or ""), size - credited)
            credited += step
            ticker.advance(step)
        yield item
    ticker.advance(size - credited)


def _file_size(path: str | None) -> int:
    try:
        return os.stat(path).st_size if path else 0
    except OSError:
        return 0


def print_problems(report: Any, stream: IO[str] | None = None) -> None:
    """Each problem once, with its file and row; past ``PROBLEMS_SHOWN`` (without --verbose) a
    count of the rest, which build-report.json lists."""
    stream = stream or sys.stderr
    items = ([("error", item) for item in report.rejected] + [("warning", item) for item in report.warnings]
             + [("note", item) for item in report.notes])
    shown = items if OUTPUT.verbose else items[:PROBLEMS_SHOWN]
    for level, item in shown:
        print(f"{level}: {item['source']}: {item['message']}", file=stream)
    hidden = items[len(shown):]
    if hidden:
        counts: dict[str, int] = {}
        for level, _item in hidden:
            counts[level] = counts.get(level, 0) + 1
        said = ", ".join(f"{n} more {level}{'s' if n > 1 else ''}" for level, n in counts.items())
        print(f"... and {said} (--verbose lists them; all are in the build report)", file=stream)


def print_report(report: Any, stream: IO[str] | None = None) -> None:
    """The problems, then the one-line summary of a build."""
    stream = stream or sys.stderr
    print_problems(report, stream)
    secs = report.seconds
    print(
        f"read {report.read} cables: built {report.built}, rejected {len(report.rejected)}, "
        f"{len(report.warnings)} warnings; wrote {report.pages_written} cable pages and "
        f"{report.index_pages} index pages to {report.site_dir}; rendered {report.pages_rendered} pages "
        f"in {secs.get('total', 0):.1f} s (parse {secs.get('read_parse', 0):.1f} s, "
        f"write {secs.get('write', 0):.1f} s, render {secs.get('render', 0):.1f} s, "
        f"search {secs.get('search', 0):.1f} s)",
        file=stream,
    )
