"""Benchmark: N synthetic cables built by `cablesite build` and by the naive MkDocs baseline.

One run, for each N given: `cablesite synth N` writes the cables (seeded, so every run builds
the same archive), then each build is repeated ``--repeat`` times, each time into a new output
folder, and the medians are reported with the ratios baseline / cablesite.

No timed run follows a mass deletion: earlier outputs are moved aside before the benchmark
starts and deleted after it (it also waits ``SETTLE_SECONDS`` first), and each run's output is
kept until all are measured; do not delete large trees just before running it either. On this
machine's ext4 (no journal), creating files within a minute or so of deleting many costs several
times as much kernel time (the inode allocator skips recently deleted inodes one by one:
``recently_deleted`` was a quarter of a 2,000-cable build's CPU time right after an ``rm -rf``),
which penalised whichever build happened to run after a deletion. The baseline is the one issue 6
measured: one Markdown page per cable, default Material theme with its built-in search plugin,
``use_directory_urls: false``, plain ``mkdocs build``; its docs and mkdocs.yml are written
under bench/out/ (git-ignored). Results, with a description of the machine, are appended to
bench/RESULTS.md as a dated section.

    python bench/run.py --n 1000 10000 --repeat 3

Not part of the test suite: it takes minutes and its figures depend on the machine and on
whatever else runs on it, which is why medians are quoted and the load average is recorded.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import gzip
import hashlib
import importlib.metadata
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(PROJECT))

from measure import POLL_SECONDS, Measurement, run_measured, tree_size  # noqa: E402

from generator.search.analysis import STEM_MARK  # noqa: E402
from generator.search.tokens import stem  # noqa: E402
from generator.synth import synthesize  # noqa: E402

BASELINE_CONFIG = """\
# The naive baseline of issue 6: default Material, its built-in search, one page per cable.
site_name: Baseline archive
use_directory_urls: false
theme:
  name: material
plugins:
  - search
nav:
  - Home: index.md
"""
# ext4 treats an inode deleted less than 60 s ago (written back) as recent; BENCH_SETTLE_SECONDS for smoke runs
SETTLE_SECONDS = int(os.environ.get("BENCH_SETTLE_SECONDS", "70"))

_STAGES = re.compile(r"\(parse (?P<parse>[\d.]+) s, write (?P<write>[\d.]+) s, render (?P<render>[\d.]+) s, "
                     r"search (?P<search>[\d.]+) s\)")


@dataclass
class Runs:
    """The repeated measurements of one build of one archive."""

    name: str
    measurements: list[Measurement] = field(default_factory=list)
    output: tuple[int, int] = (0, 0)  # bytes, files of the last run's site
    notes: list[str] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(m, attribute) for m in self.measurements)

    def spread(self, attribute: str) -> str:
        values = [getattr(m, attribute) for m in self.measurements]
        return f"{min(values):.1f}-{max(values):.1f}"


# --- the two builds -----------------------------------------------------------------------------------
def build_cablesite(csv_path: Path, out: Path, attempt: int, tree: Path, runs: Runs,
                    options: tuple[str, ...] = ()) -> None:
    """One timed ``cablesite build`` into a new folder; ``tree``: the cablesite source tree to
    measure (run as ``python -m generator.cli`` from it); ``options``: more build options."""
    site = cablesite_site(out, attempt)  # a new folder each time (see the module docstring)
    command = [sys.executable, "-m", "generator.cli", "build", str(csv_path), "--site-dir", str(site),
               "--config", str(tree / "mkdocs.yml"), *options]
    measurement = run_measured(command, cwd=tree)
    _require_success(runs.name, measurement)
    runs.measurements.append(measurement)


def note_cablesite_stages(runs: Runs, out: Path) -> None:
    runs.output = tree_size(cablesite_site(out, 0))
    stages = [{k: float(v) for k, v in match.groupdict().items()}
              for m in runs.measurements if (match := _STAGES.search(m.stderr))]
    if stages:
        runs.notes.append("stage medians (s): " + ", ".join(
            f"{name} {statistics.median(s[name] for s in stages):.1f}"
            for name in ("parse", "write", "render", "search")))


def cablesite_site(out: Path, attempt: int) -> Path:
    return out / f"cablesite-{attempt}" / "site"


def write_baseline_docs(csv_path: Path, docs: Path) -> int:
    """One page per cable, as someone would write it without this tool: title, fields, text."""
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Baseline archive\n\nOne page per cable.\n", encoding="utf-8")
    count = 0
    csv.field_size_limit(sys.maxsize)
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for _seq, created, cable_id, origin, classification, _refs, header, body in csv.reader(handle):
            when = dt.datetime.strptime(created, "%m/%d/%Y %H:%M")
            page = docs / "cable" / f"{when.year:04d}" / f"{when.month:02d}" / f"{cable_id}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            text = (f"# {cable_id}\n\n- Date: {created}\n- Origin: {origin}\n- Classification: {classification}\n\n"
                    f"```\n{header}\n```\n\n{body}\n")
            page.write_text(text, encoding="utf-8")
            count += 1
    return count


def build_baseline(csv_path: Path, out: Path, attempt: int, runs: Runs, write_seconds: list[float]) -> None:
    """One timed baseline build (its Markdown written first, untimed) into a new folder."""
    root = out / f"baseline-{attempt}"  # a new folder each time (see the module docstring)
    root.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(BASELINE_CONFIG, encoding="utf-8")
    start = time.perf_counter()
    write_baseline_docs(csv_path, root / "docs")
    write_seconds.append(time.perf_counter() - start)
    measurement = run_measured([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=root)
    _require_success(runs.name, measurement)
    runs.measurements.append(measurement)


def note_baseline(runs: Runs, out: Path, write_seconds: list[float]) -> None:
    runs.output = tree_size(out / "baseline-0" / "site")
    runs.notes.append(f"writing its Markdown pages took a further {statistics.median(write_seconds):.1f} s "
                      "(median, not included in its wall time)")


def build_both(csv_path: Path, out: Path, repeat: int, tree: Path) -> tuple[Runs, Runs]:
    """The two builds taking turns (cablesite, baseline, cablesite ...): the host's speed drifts
    over minutes, and turns expose both builds to the same drift. The ratio of each pair is
    noted besides the ratio of the medians."""
    ours, baseline = Runs("cablesite build"), Runs("baseline (mkdocs build)")
    write_seconds: list[float] = []
    for attempt in range(repeat):
        build_cablesite(csv_path, out, attempt, tree, ours)
        print(f"  cablesite run {attempt + 1}: {ours.measurements[-1].wall_seconds:.1f} s", file=sys.stderr)
        build_baseline(csv_path, out, attempt, baseline, write_seconds)
        print(f"  baseline run {attempt + 1}: {baseline.measurements[-1].wall_seconds:.1f} s", file=sys.stderr)
    note_cablesite_stages(ours, out)
    note_baseline(baseline, out, write_seconds)
    pairs = [b.wall_seconds / o.wall_seconds for o, b in zip(ours.measurements, baseline.measurements, strict=True)]
    ours.notes.append("baseline / cablesite wall time, run by run (each pair back to back): "
                      + ", ".join(f"{ratio:.2f}" for ratio in pairs) + f"; median {statistics.median(pairs):.2f}")
    return ours, baseline


def _require_success(name: str, measurement: Measurement) -> None:
    if measurement.returncode != 0:
        sys.exit(f"{name} failed with exit code {measurement.returncode}:\n{measurement.stderr[-3000:]}")


# --- report -------------------------------------------------------------------------------------------
def _mb(value: float) -> str:
    return f"{value / 1e6:,.0f}"


def _package(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def snapshot(commit: str, out: Path) -> Path:
    """The project's files at ``commit`` (``git archive``, which changes nothing in the repository).

    Lets a run measure a committed state while the work tree is being edited.
    """
    target = out / f"snapshot-{commit}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=PROJECT, capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def describe_tree(commit: str | None) -> str:
    if commit:
        return f"- cablesite measured at commit {commit} (a `git archive` snapshot)"
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True,
                          text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT,
                           capture_output=True, text=True).stdout.strip()
    return f"- cablesite measured in the work tree at commit {head}" + (" with uncommitted changes" if dirty else "")


# --- incremental rebuild and search bytes ------------------------------------------------------------
@dataclass
class Incremental:
    """One-cable changes rebuilt into the existing site, and the check against a clean build."""

    runs: Runs
    pages_rendered: list[int] = field(default_factory=list)
    identical: bool = False


_RENDERED = re.compile(r"rendered (?P<pages>\d+) pages")


def change_one_cable(csv_path: Path, target: Path, row_index: int, stamp: str) -> None:
    """Copy the archive with one cable's body changed (a sentence added to its last paragraph)."""
    with csv_path.open(newline="", encoding="utf-8") as source, target.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
        for number, row in enumerate(csv.reader(source)):
            if number == row_index:
                row[7] = row[7].rstrip() + f" Edited for the benchmark ({stamp}).\n"
            writer.writerow(row)


def measure_incremental(csv_path: Path, out: Path, repeat: int, tree: Path, count: int) -> Incremental:
    """After a full build: change one cable, rebuild into the same site (``repeat`` times, a
    different cable each time), then compare the site with a clean build of the final input."""
    site = cablesite_site(out, 0)
    result = Incremental(Runs("incremental rebuild, one cable changed"))
    changed = out / "changed.csv"
    for attempt in range(repeat):
        change_one_cable(csv_path, changed, (count // 3 + attempt * 7919) % count, f"edit {attempt}")
        command = [sys.executable, "-m", "generator.cli", "build", str(changed), "--site-dir", str(site),
                   "--config", str(tree / "mkdocs.yml")]
        measurement = run_measured(command, cwd=tree)
        _require_success(result.runs.name, measurement)
        result.runs.measurements.append(measurement)
        match = _RENDERED.search(measurement.stderr)
        result.pages_rendered.append(int(match.group("pages")) if match else -1)
    clean = out / "clean" / "site"
    command = [sys.executable, "-m", "generator.cli", "build", str(changed), "--site-dir", str(clean), "--clean",
               "--config", str(tree / "mkdocs.yml")]
    _require_success("clean build for comparison", run_measured(command, cwd=tree))
    result.identical = tree_digest(site) == tree_digest(clean)
    result.runs.output = tree_size(site)
    return result


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


SEARCH_QUERIES = (("embassy",), ("minister", "security"), ("nuclear",), ("election", "government"))
SEARCH_PAGE = 10  # hits shown per query (search.js PAGE): each costs its hit file


def search_bytes(site: Path) -> tuple[int, int] | None:
    """Bytes a browser downloads for the first query (engine, meta.json, term shards, hit files)
    and the median over later queries (shards and hit files only), from the files the queries
    fetch; the browser tests measure the same through Chromium on the sample."""
    # meta.json.gz since issue 17's byte budget; plain meta.json in the builds of before
    meta_path = next((p for p in (site / "search" / "meta.json.gz", site / "search" / "meta.json") if p.exists()),
                     site / "search" / "meta.json.gz")
    if not meta_path.exists():
        return None
    meta = json.loads(gzip.decompress(meta_path.read_bytes()) if meta_path.suffix == ".gz" else meta_path.read_bytes())
    boundaries = meta["shards"]
    engine_files = ("assets/javascripts/search.js", "assets/javascripts/search-engine.js",
                    "assets/javascripts/stemmer.js", "assets/stylesheets/search.css")
    engine = sum((site / p).stat().st_size for p in engine_files if (site / p).exists())
    doc_sizes = sorted(p.stat().st_size for p in (site / "search" / "d").rglob("*.json.gz")
                       if "-" not in p.name)  # a hit file's part 0; its later parts are read only when needed
    hits = SEARCH_PAGE * doc_sizes[len(doc_sizes) // 2] if doc_sizes else 0
    per_query = []
    for words in SEARCH_QUERIES:
        terms = {term for word in words for term in (word, stem(word), stem(word) + STEM_MARK)}  # a word's forms
        shards = {max(0, bisect.bisect_right(boundaries, term) - 1) for term in terms}
        per_query.append(sum((site / "search" / "t" / f"{n}.bin.gz").stat().st_size for n in shards) + hits)
    return engine + meta_path.stat().st_size + per_query[0], int(statistics.median(per_query[1:]))


def machine_description() -> list[str]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as handle:
        mem_kib = int(next(line for line in handle if line.startswith("MemTotal")).split()[1])
    return [
        f"- CPU: {cpu}; nproc {os.cpu_count()}; memory {mem_kib / 2**20:.1f} GiB; "
        f"load average at start {os.getloadavg()[0]:.2f}",
        f"- {platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"mkdocs {_package('mkdocs')}, mkdocs-material {_package('mkdocs-material')}, "
        f"Jinja2 {_package('Jinja2')}, Markdown {_package('Markdown')}",
    ]


def _search_cell(query_bytes: tuple[int, int] | None) -> str:
    if query_bytes is None:
        return "no search index"
    return f"first {query_bytes[0] / 1000:.0f} KB, later {query_bytes[1] / 1000:.0f} KB"


def section(results: list[tuple], repeat: int, seed: int, tree: str) -> str:
    lines = [f"## {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}: {', '.join(f'{r[0]:,}' for r in results)} "
             f"cables, median of {repeat} runs", "", *machine_description(), tree, "",
             "Wall: seconds from start to exit (median, min-max in brackets). Peak memory: highest sum of RSS over "
             f"the build's process tree, polled every {POLL_SECONDS * 1000:.0f} ms from /proc (never below the largest "
             "process's exact ru_maxrss, shown beside it). Output: apparent bytes and files of the site folder. "
             "The machine is shared: timings are noisy, hence medians.", ""]
    for count, synth_seconds, csv_bytes, ours, baseline, incremental, query_bytes in results:
        lines += [f"### {count:,} cables (synth seed {seed}: {csv_bytes / 1e6:,.0f} MB of CSV in "
                  f"{synth_seconds:.1f} s)", "",
                  "| build | wall (s) | peak memory, summed (MB) | largest process (MB) | output (MB / files) "
                  "| search bytes per query |",
                  "| --- | --- | --- | --- | --- | --- |"]
        searches = {ours.name: _search_cell(query_bytes), baseline.name: "one index of the whole corpus",
                    incremental.runs.name: _search_cell(query_bytes)}
        for runs in (ours, baseline, incremental.runs):
            lines.append(f"| {runs.name} | {runs.median('wall_seconds'):.1f} ({runs.spread('wall_seconds')}) "
                         f"| {_mb(runs.median('peak_tree_bytes'))} | {_mb(runs.median('largest_process_bytes'))} "
                         f"| {_mb(runs.output[0])} / {runs.output[1]:,} | {searches[runs.name]} |")
        ratio = [baseline.median(a) / ours.median(a) for a in ("wall_seconds", "peak_tree_bytes")]
        lines.append(f"| ratio baseline / cablesite | {ratio[0]:.2f} | {ratio[1]:.2f} | "
                     f"{baseline.median('largest_process_bytes') / ours.median('largest_process_bytes'):.2f} "
                     f"| {baseline.output[0] / ours.output[0]:.2f} | |")
        lines.append("")
        for runs in (ours, baseline):
            lines += [f"- {runs.name}: {note}" for note in runs.notes]
        share = incremental.runs.median("wall_seconds") / ours.median("wall_seconds")
        lines.append(f"- incremental rebuild: {share:.0%} of the full build's median wall time; pages rendered "
                     f"{incremental.pages_rendered}; site byte-identical to a clean build of the same input: "
                     f"{'yes' if incremental.identical else 'NO'}")
        lines.append("- search bytes per query: computed from the files a query fetches (engine, meta.json, the "
                     "term shards of its words, 10 hit files of median size); the browser tests measure the sample "
                     "through Chromium")
        lines.append("")
    return "\n".join(lines) + "\n"


def clear_outputs(out: Path) -> Path | None:
    """Move what earlier benchmarks left in ``out`` (all but the CSV) into a trash folder, to be
    deleted once everything is measured (``empty_trash``): a rename frees no inode, so nothing
    timed runs just after a mass deletion. Then let the file system settle, in case another
    deletion (an earlier benchmark's trash) was recent."""
    leftovers = [p for p in out.iterdir() if p.name not in ("cables.csv", "changed.csv")]
    if not leftovers:
        return None
    trash = out.parent / f".trash-{out.name}-{time.strftime('%Y%m%d-%H%M%S')}"
    trash.mkdir(parents=True)
    for path in leftovers:
        path.rename(trash / path.name)
    subprocess.run(["sync"], check=False)
    print(f"moved earlier outputs aside; waiting {SETTLE_SECONDS} s before timing anything", file=sys.stderr)
    time.sleep(SETTLE_SECONDS)
    return trash


def empty_trash(trashes: list[Path | None]) -> None:
    """Delete the earlier outputs ``clear_outputs`` moved aside, now that nothing is timed."""
    for trash in trashes:
        if trash is not None:
            shutil.rmtree(trash, ignore_errors=True)


def append_results(text: str, path: Path) -> None:
    if not path.exists():
        path.write_text("# Benchmark results\n\nAppended by `python bench/run.py`, one dated section per run "
                        "(see bench/run.py for what is measured and how).\n\n", encoding="utf-8")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def main(args: argparse.Namespace) -> None:
    tree = snapshot(args.snapshot, args.out) if args.snapshot else PROJECT
    results = []
    trashes = []
    for count in args.n:
        out = args.out / f"n{count}"
        out.mkdir(parents=True, exist_ok=True)
        csv_path = out / "cables.csv"
        start = time.perf_counter()
        synthesize(count, csv_path, seed=args.seed)
        synth_seconds = time.perf_counter() - start
        print(f"[{count}] synthesized in {synth_seconds:.1f} s", file=sys.stderr)
        trashes.append(clear_outputs(out))
        ours, baseline = build_both(csv_path, out, args.repeat, tree)
        print(f"[{count}] cablesite: {[round(m.wall_seconds, 1) for m in ours.measurements]} s, "
              f"baseline: {[round(m.wall_seconds, 1) for m in baseline.measurements]} s", file=sys.stderr)
        query_bytes = search_bytes(cablesite_site(out, 0))
        incremental = measure_incremental(csv_path, out, args.repeat, tree, count)
        print(f"[{count}] incremental: {[round(m.wall_seconds, 1) for m in incremental.runs.measurements]} s, "
              f"identical to a clean build: {incremental.identical}", file=sys.stderr)
        results.append((count, synth_seconds, csv_path.stat().st_size, ours, baseline, incremental, query_bytes))
    text = section(results, args.repeat, args.seed, describe_tree(args.snapshot))
    print(text)
    if not args.dry_run:
        append_results(text, args.results)
    empty_trash(trashes)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000], help="archive sizes to build (default: 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build; medians are quoted (default: 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="work folder (default: bench/out)")
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--snapshot", metavar="COMMIT",
                        help="measure the project as committed at COMMIT instead of the work tree")
    parser.add_argument("--dry-run", action="store_true", help="print the section, do not append it to RESULTS.md")
    return parser.parse_args(argv)


if __name__ == "__main__":
    main(parse_args())
