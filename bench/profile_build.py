"""Profile one `cablesite build` with cProfile and say which stage the time goes to.

    python bench/profile_build.py bench/out/n10000/cables.csv [--snapshot-dir bench/out/snapshot-<commit>]

The build runs in a child process under ``python -m cProfile`` (MkDocs renders in-process, so
one profile covers every stage); the summary prints the cumulative time of the pipeline's
stages and of MkDocs' own steps per page (Markdown conversion, Jinja templates, plugins,
writing files), then the functions with the most time of their own. cProfile's overhead
inflates pure-Python call-heavy code more than C code: read the shares, not the seconds.
"""

from __future__ import annotations

import argparse
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

# (label, file name ending, function name): the steps whose cumulative time is reported.
STEPS = (
    ("whole build (generator.build.build)", "generator/build/driver.py", "build"),
    ("read + parse (parse_items)", "generator/build/catalog.py", "parse_items"),
    ("parse_cable", "generator/parse/__init__.py", "parse_cable"),
    ("write Markdown (render_cable)", "generator/write/markdown.py", "render_cable"),
    ("render: MkDocs build", "mkdocs/commands/build.py", "build"),
    ("MkDocs: read + convert pages (_populate_page)", "mkdocs/commands/build.py", "_populate_page"),
    ("MkDocs: Markdown to HTML (Page.render)", "mkdocs/structure/pages.py", "render"),
    ("MkDocs: templates per page (_build_page)", "mkdocs/commands/build.py", "_build_page"),
    ("Jinja2: Template.render", "jinja2/environment.py", "render"),
    ("MkDocs: plugin events", "mkdocs/plugins.py", "run_event"),
    ("MkDocs: write files (write_file)", "mkdocs/utils/__init__.py", "write_file"),
)


def profile(csv_path: Path, tree: Path, output: Path) -> None:
    """Profile one build in one process: cProfile sees only its own process, so the build runs
    with one worker and renders in a single MkDocs shard (its stage shares, not its wall time)."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "cProfile", "-o", str(output), "-m", "generator.cli", "build",
                        str(csv_path.resolve()), "--site-dir", str(site), "--config", str(tree / "mkdocs.yml"),
                        "--workers", "1", "--quiet"],
                       cwd=tree, check=True, env={**os.environ, "CABLESITE_SHARD_SIZE": str(10**9)})
        shutil.rmtree(site, ignore_errors=True)


def summarise(output: Path, top: int) -> str:
    stats = pstats.Stats(str(output))
    table = stats.stats  # type: ignore[attr-defined]  # {(file, line, name): (cc, nc, tt, ct, callers)}
    total = max(ct for (_f, _l, _n), (_cc, _nc, _tt, ct, _c) in table.items())
    lines = [f"total {total:.1f} s under cProfile", "", "| step | cumulative s | share |", "| --- | --- | --- |"]
    for label, file_end, name in STEPS:
        cumulative = sum(ct for (f, _l, n), (_cc, _nc, _tt, ct, _c) in table.items()
                         if n == name and f.replace("\\", "/").endswith(file_end))
        lines.append(f"| {label} | {cumulative:.1f} | {cumulative / total:.0%} |")
    lines += ["", f"top {top} functions by own time:", "", "| function | own s | calls |", "| --- | --- | --- |"]
    ranked = sorted(table.items(), key=lambda item: item[1][2], reverse=True)[:top]
    for (file, line, name), (_cc, calls, own, _ct, _c) in ranked:
        short = "/".join(Path(file).parts[-2:]) if file != "~" else "builtin"
        lines.append(f"| {short}:{line} {name} | {own:.1f} | {calls:,} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--snapshot-dir", type=Path, default=PROJECT,
                        help="cablesite tree to profile (default: this work tree)")
    parser.add_argument("--output", type=Path, default=PROJECT / "bench" / "out" / "build.prof")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    profile(args.csv, args.snapshot_dir.resolve(), args.output)
    print(summarise(args.output, args.top))


if __name__ == "__main__":
    main()
