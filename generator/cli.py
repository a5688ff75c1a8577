"""The ``cablesite`` command (contract in DESIGN.md): build, parse, serve, check."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

import yaml

from .build import BuildReport, build, parse_stream, work_dir_for
from .check import check_site
from .sources import read_sources

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT = Path("content")


def find_config(explicit: str | None) -> Path:
    """mkdocs.yml: the one named, else the current folder's, else the project's own."""
    if explicit:
        return Path(explicit)
    local = Path("mkdocs.yml")
    return local if local.exists() else PROJECT_ROOT / "mkdocs.yml"


def site_name_of(config: Path) -> str:
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        return str(data.get("site_name") or "Cable archive")
    except (OSError, yaml.YAMLError):
        return "Cable archive"


def default_sources() -> list[Path]:
    local = DEFAULT_CONTENT
    return [local if local.exists() else PROJECT_ROOT / "content"]


def print_report(report: BuildReport, stream=sys.stderr) -> None:
    for item in report.rejected:
        print(f"error: {item['source']}: {item['message']}", file=stream)
    for item in report.warnings:
        print(f"warning: {item['source']}: {item['message']}", file=stream)
    for item in report.notes:
        print(f"note: {item['source']}: {item['message']}", file=stream)
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


def cmd_build(args: argparse.Namespace) -> int:
    sources = [Path(s) for s in args.sources] or default_sources()
    config = find_config(args.config)
    site_dir = Path(args.site_dir)
    try:
        report = build(sources, site_dir, config, site_name_of(config), progress=not args.quiet,
                       workers=args.workers, incremental=not args.clean)
    except KeyboardInterrupt as err:  # Ctrl-C, or SIGTERM (BuildInterrupted): the old site is untouched
        print(f"error: build interrupted ({err or 'SIGINT'}); the site at {site_dir} is unchanged", file=sys.stderr)
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(int(getattr(err, "code", 130)))  # now: the build has tidied up; no exit hook may keep it waiting
    except Exception as err:  # a failed render or an I/O error: the old site is untouched
        print(f"error: build failed: {err or type(err).__name__}", file=sys.stderr)
        return 1
    print_report(report)
    print(f"report: {work_dir_for(site_dir) / 'build-report.json'}", file=sys.stderr)
    if args.strict and report.problems:
        print(f"error: --strict: {report.problems} problems", file=sys.stderr)
        return 1
    return 0


def _parsed(files: Iterable[Path], report: BuildReport):
    from .enrich import enrich_cable
    for cable in parse_stream(read_sources(files), report):
        yield enrich_cable(cable)


def cmd_parse(args: argparse.Namespace) -> int:
    report = BuildReport()
    files = [Path(f) for f in args.files]
    if args.json:
        out = sys.stdout
        out.write("[")
        first = True
        for cable in _parsed(files, report):
            out.write(("\n" if first else ",\n") + json.dumps(cable.to_json(), ensure_ascii=False))
            first = False
        out.write("\n]\n")
    else:
        from .parse.stats import FieldStats
        stats = FieldStats()
        for cable in _parsed(files, report):
            stats.add(cable)
            if not args.stats:
                numbered = sum(1 for p in cable.paragraphs if p.number is not None)
                print(f"{cable.id}\t{cable.date.date() if cable.date else 'undated'}\t"
                      f"{cable.classification or '-'}\t{numbered} paragraphs\t{cable.subject or ''}")
        print(stats.render())
    for item in report.rejected:
        print(f"error: {item['source']}: {item['message']}", file=sys.stderr)
    for item in report.warnings:
        print(f"warning: {item['source']}: {item['message']}", file=sys.stderr)
    return 1 if args.strict and report.problems else 0


def cmd_check(args: argparse.Namespace) -> int:
    result = check_site(Path(args.site_dir))
    for line in result.broken + result.external_loads:
        print(line)
    print(f"checked {result.pages} pages, {result.links} internal links: "
          f"{len(result.broken)} broken, {len(result.external_loads)} third-party loads")
    return 0 if result.ok else 1


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve
    sources = [Path(s) for s in args.sources] or default_sources()
    config = find_config(args.config)
    return serve(sources, Path(args.site_dir), config, site_name_of(config), args.host, args.port,
                 watch=not args.no_watch)


def cmd_synth(args: argparse.Namespace) -> int:
    from .synth import synthesize
    if args.count < 0:
        print("error: N must be 0 or more", file=sys.stderr)
        return 2
    chars = synthesize(args.count, Path(args.out), seed=args.seed)
    print(f"wrote {args.count} synthetic cables ({chars / 1e6:.1f} M characters) to {args.out}", file=sys.stderr)
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cablesite", description="Publish diplomatic cables as a static site.")
    sub = parser.add_subparsers(dest="command", required=True)

    p_build = sub.add_parser("build", help="build the site from cable sources")
    p_build.add_argument("sources", nargs="*", help="folders of text files, cables.csv files or mirror folders "
                         "(default: content/)")
    p_build.add_argument("--site-dir", default="site", help="output folder (default: site)")
    p_build.add_argument("--config", help="mkdocs.yml to use (default: ./mkdocs.yml)")
    p_build.add_argument("--strict", action="store_true", help="exit non-zero on any problem with any cable")
    p_build.add_argument("--workers", type=int, help="worker processes (default: CABLESITE_WORKERS or the CPU count)")
    p_build.add_argument("--clean", action="store_true", help="ignore what earlier builds left in the work folder")
    p_build.add_argument("--quiet", action="store_true", help="no progress lines for long stages")
    p_build.set_defaults(func=cmd_build)

    p_parse = sub.add_parser("parse", help="parse cables and print what was found")
    p_parse.add_argument("files", nargs="+")
    p_parse.add_argument("--json", action="store_true", help="print a JSON array, one object per cable")
    p_parse.add_argument("--stats", action="store_true", help="print only the per-field statistics")
    p_parse.add_argument("--strict", action="store_true")
    p_parse.set_defaults(func=cmd_parse)

    p_serve = sub.add_parser("serve", help="build, then serve the site with live rebuilds")
    p_serve.add_argument("sources", nargs="*")
    p_serve.add_argument("--site-dir", default="site")
    p_serve.add_argument("--config")
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--no-watch", action="store_true", help="do not rebuild when sources change")
    p_serve.set_defaults(func=cmd_serve)

    p_check = sub.add_parser("check", help="check a built site for broken links and third-party loads")
    p_check.add_argument("--site-dir", default="site")
    p_check.set_defaults(func=cmd_check)

    p_synth = sub.add_parser("synth", help="write N synthetic cables shaped like real ones, as a cables.csv")
    p_synth.add_argument("count", type=int, metavar="N", help="number of cables")
    p_synth.add_argument("--out", required=True, help="the cables.csv file to write")
    p_synth.add_argument("--seed", type=int, default=0, help="random seed (default: 0); same N and seed, same file")
    p_synth.set_defaults(func=cmd_synth)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
