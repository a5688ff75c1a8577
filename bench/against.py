"""Benchmark the work tree against an earlier commit, build for build, on the same archive.

    python bench/against.py --commit 7d245e0 --n 10000 --repeat 3

The issues' speed lines compare the build with itself before a change ("within 5 % of before").
Two separate runs of ``bench/run.py`` (one with ``--snapshot``) see the host at different
minutes, and this host's speed drifts by a quarter over minutes (file creation above all), so
here the three builds take turns in every round: this tree, the commit's (a ``git archive``
snapshot), and the naive MkDocs baseline of ``bench/run.py``. Each round's ratio commit / tree
is reported besides the medians, with both trees' stage medians and, after the clean builds,
a one-cable rebuild of each (``repeat`` times, turn about) checked against a clean build.
With ``--dask`` each round also builds the work tree on a local Dask cluster (``--executor
dask``), the cost of the engine against the local process pool (issue 18). Nothing is deleted
while anything is timed (see ``bench/run.py``). Results are appended to
bench/RESULTS.md as a dated section.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from run import (
    BENCH,
    PROJECT,
    Runs,
    _mb,
    append_results,
    build_baseline,
    build_cablesite,
    clear_outputs,
    describe_tree,
    empty_trash,
    machine_description,
    measure_incremental,
    note_cablesite_stages,
    snapshot,
)

from generator.synth import synthesize

DASK = ", --executor dask"  # the first tree again, on a LocalCluster (issue 18: the cost of the engine)


def _folder(name: str) -> str:
    """Where a tree's builds go under the benchmark's folder (names: "work tree" or "commit X",
    that with ``DASK`` after it, and the commit measured against)."""
    if name.endswith(DASK):
        return "tree-dask"
    return "tree" if name == "work tree" or name.startswith("commit ") else f"commit-{name}"


def rounds(csv_path: Path, out: Path, repeat: int, trees: dict[str, Path]) -> tuple[dict[str, Runs], Runs]:
    """``repeat`` rounds of: each tree's clean build, then the baseline's, each into a new folder."""
    runs = {name: Runs(name) for name in trees}
    baseline, write_seconds = Runs("baseline (mkdocs build)"), []
    for attempt in range(repeat):
        for name, tree in trees.items():
            options = ("--executor", "dask") if name.endswith(DASK) else ()
            build_cablesite(csv_path, out / _folder(name), attempt, tree, runs[name], options)
            print(f"  {name} run {attempt + 1}: {runs[name].measurements[-1].wall_seconds:.1f} s", file=sys.stderr)
        build_baseline(csv_path, out, attempt, baseline, write_seconds)
        print(f"  baseline run {attempt + 1}: {baseline.measurements[-1].wall_seconds:.1f} s", file=sys.stderr)
    for name in trees:
        note_cablesite_stages(runs[name], out / _folder(name))
    return runs, baseline


def section(count: int, repeat: int, runs: dict[str, Runs], baseline: Runs, rebuilds: dict[str, tuple],
            names: dict[str, str]) -> str:
    tree, commit = list(runs)[:2]
    lines = [f"## {time.strftime('%Y-%m-%d %H:%M')}: {count:,} cables, {tree} against {names[commit]}, "
             f"{repeat} rounds taking turns (bench/against.py)", "", *machine_description(), names[tree], "",
             "| build | wall (s), median (min-max) | peak memory, summed (MB) | baseline / build | "
             "one-cable rebuild (s) | rebuild / clean build |", "| --- | --- | --- | --- | --- | --- |"]
    for name, measured in runs.items():
        wall = measured.median("wall_seconds")
        row = (f"| {name} | {wall:.1f} ({measured.spread('wall_seconds')}) | {_mb(measured.median('peak_tree_bytes'))} "
               f"| {baseline.median('wall_seconds') / wall:.2f} ")
        if name in rebuilds:
            rebuild = rebuilds[name][0]
            row += (f"| {rebuild.median('wall_seconds'):.1f} ({rebuild.spread('wall_seconds')}) "
                    f"| {rebuild.median('wall_seconds') / wall:.0%} |")
        lines.append(row + ("" if name in rebuilds else "| | |"))
    lines.append(f"| baseline (mkdocs build) | {baseline.median('wall_seconds'):.1f} "
                 f"({baseline.spread('wall_seconds')}) | {_mb(baseline.median('peak_tree_bytes'))} | | | |")
    pairs = [mine.wall_seconds / theirs.wall_seconds
             for mine, theirs in zip(runs[tree].measurements, runs[commit].measurements, strict=True)]
    lines += ["", f"- {tree} / {commit}, round by round: " + ", ".join(f"{p:.2f}" for p in pairs)
              + f"; median {statistics.median(pairs):.2f}"]
    for name, measured in runs.items():
        lines += [f"- {name}: {note}" for note in measured.notes]
        if name in rebuilds:
            lines.append(f"- {name}: one-cable rebuild byte-identical to a clean build: "
                         f"{'yes' if rebuilds[name][1] else 'NO'}")
    return "\n".join(lines) + "\n\n"


def main(args: argparse.Namespace) -> None:
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / "cables.csv"
    synthesize(args.n, csv_path, seed=args.seed)
    trash = clear_outputs(out)  # before the snapshot, which it would move aside
    mine = snapshot(args.tree, out) if args.tree else PROJECT
    label = f"commit {args.tree}" if args.tree else "work tree"
    trees = {label: mine, args.commit: snapshot(args.commit, out)} | ({label + DASK: mine} if args.dask else {})
    names = {label: describe_tree(args.tree), args.commit: f"commit {args.commit}"}
    runs, baseline = rounds(csv_path, out, args.repeat, trees)
    rebuilds = {}
    for name, tree in list(trees.items())[:2]:  # each tree's rebuilds into its own first site
        incremental = measure_incremental(csv_path, out / _folder(name), args.repeat, tree, args.n)
        rebuilds[name] = (incremental.runs, incremental.identical)
        print(f"  {name} rebuilds: {[round(m.wall_seconds, 1) for m in incremental.runs.measurements]} s",
              file=sys.stderr)
    text = section(args.n, args.repeat, runs, baseline, rebuilds, names)
    print(text)
    if not args.dry_run:
        append_results(text, args.results)
    empty_trash([trash])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commit", required=True, help="the commit to measure the work tree against")
    parser.add_argument("--n", type=int, default=10_000, help="archive size (default: 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default: 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=BENCH / "out-against", help="work folder")
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--tree", metavar="COMMIT",
                        help="measure this commit (a snapshot) in the work tree's place, e.g. to compare two commits")
    parser.add_argument("--dask", action="store_true",
                        help="also build the work tree with --executor dask (a LocalCluster) in every round")
    parser.add_argument("--dry-run", action="store_true", help="print the section, do not append it")
    return parser.parse_args(argv)


if __name__ == "__main__":
    main(parse_args())
