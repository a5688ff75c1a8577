"""The ``cablesite`` command (contract in DESIGN.md): build, parse, serve, check."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from .build import BuildReport, build, parse_stream, work_dir_for
from .check import check_site
from .enrich.config import ConfigError
from .executors import KINDS, ExecutorChoice, ExecutorError
from .progress import configure, print_report
from .project import CONFIG_NAME, ProjectError, project_config, read_config_data
from .render import RenderError
from .sources import read_sources

PROJECT_ERRORS = (ProjectError, ConfigError, RenderError)

DEFAULT_CONTENT = Path("content")


class UsageError(ValueError):
    """A command line that names something missing; printed as one line, exit code 2."""


def find_config(explicit: str | None) -> Path:
    """Where the project's mkdocs.yml is: the one named (which must exist), else ./mkdocs.yml,
    which may be absent (the project folder is then the current one, with the shipped defaults)."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise UsageError(f"{path}: no such file (named by --config)")
        return path
    return Path(CONFIG_NAME)


def site_name_of(config: Path) -> str:
    """The site_name of the project's mkdocs.yml (or of the shipped one)."""
    source = config if config.exists() else project_config(config.parent.resolve())
    return str(read_config_data(source).get("site_name") or "Cable archive")


def default_sources() -> list[Path]:
    if DEFAULT_CONTENT.exists():
        return [DEFAULT_CONTENT]
    raise UsageError("no sources named and no content/ folder here: name cable files or folders "
                     "(cablesite build cables.csv), or make a project with cablesite new")


def _sources(args: argparse.Namespace) -> list[Path]:
    return [Path(s) for s in args.sources] or default_sources()


def cmd_build(args: argparse.Namespace) -> int:
    sources = _sources(args)
    config = find_config(args.config)
    site_dir = Path(args.site_dir)
    if args.scheduler and args.executor != "dask":
        raise UsageError("--scheduler needs --executor dask")
    try:
        report = build(sources, site_dir, config, site_name_of(config), progress=not args.quiet,
                       workers=args.workers, incremental=not args.clean,
                       executor=ExecutorChoice(args.executor, args.scheduler))
    except KeyboardInterrupt as err:  # Ctrl-C, or SIGTERM (BuildInterrupted): the old site is untouched
        print(f"error: build interrupted ({err or 'SIGINT'}); the site at {site_dir} is unchanged", file=sys.stderr)
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(int(getattr(err, "code", 130)))  # now: the build has tidied up; no exit hook may keep it waiting
    except ExecutorError as err:  # --executor dask without its extra, a scheduler out of reach
        print(f"error: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # a project file to fix (the message names it), a failed render, an I/O error
        print(f"error: build failed: {err or type(err).__name__}", file=sys.stderr)
        if args.verbose and not isinstance(err, PROJECT_ERRORS):
            traceback.print_exc()
        return 1
    print_report(report)
    print(f"report: {work_dir_for(site_dir) / 'build-report.json'}", file=sys.stderr)
    if args.strict and report.problems:
        print(f"error: --strict: {report.problems} problems", file=sys.stderr)
        return 1
    return 0


def _parsed(files: Iterable[Path], report: BuildReport):
    from .build import tag_rules_of
    from .enrich import enrich_cable
    from .enrich.config import load_tables
    for cable in parse_stream(read_sources(files), report, tag_rules_of(load_tables())):
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
    if not Path(args.site_dir).is_dir():
        raise UsageError(f"{args.site_dir}: no such folder; build the site first (cablesite build), "
                         "or name it with --site-dir")
    result = check_site(Path(args.site_dir))
    for line in result.broken + result.external_loads:
        print(line)
    print(f"checked {result.pages} pages, {result.links} internal links: "
          f"{len(result.broken)} broken, {len(result.external_loads)} third-party loads")
    return 0 if result.ok else 1


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve
    sources = _sources(args)
    config = find_config(args.config)
    try:
        return serve(sources, Path(args.site_dir), config, site_name_of(config), args.host, args.port,
                     watch=not args.no_watch, progress=not args.quiet)
    except PROJECT_ERRORS as err:
        print(f"error: build failed: {err}", file=sys.stderr)
        return 1


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import new_project
    target = Path(args.folder)
    try:
        new_project(target)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"made the archive project {target}/ (mkdocs.yml, content/, site_config/, theme/, README.md)\n"
          f"next: put cables in {target}/content/, then\n  cd {target}\n  cablesite serve    "
          "# build and preview at http://127.0.0.1:8000/\n  cablesite build    # the site for publishing, in site/",
          file=sys.stderr)
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from .synth import synthesize
    if args.count < 0:
        print("error: N must be 0 or more", file=sys.stderr)
        return 2
    chars = synthesize(args.count, Path(args.out), seed=args.seed)
    print(f"wrote {args.count} synthetic cables ({chars / 1e6:.1f} M characters) to {args.out}", file=sys.stderr)
    return 0


def version() -> str:
    try:
        return metadata.version("cablesite")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="no progress lines, only problems and the summary")
    parser.add_argument("--verbose", action="store_true",
                        help="every problem (not only the first ten) and what the stages do inside")


NEW_HELP = """\
Make a new archive project in FOLDER (which must not exist, or be empty):
  mkdocs.yml     the site's configuration (name, navigation, colours)
  content/       where the cables go (content/README lists the formats)
  site_config/   copies of the editable tables: countries, TAGS codes, topics, settings
  theme/         empty: a file put here replaces the shipped theme file of the same path
  .gitignore, README.md (the next commands)
Then: cd FOLDER, put cables in content/, and run `cablesite serve` (preview) or `cablesite build`.
A folder without these files builds too, with the defaults cablesite ships."""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cablesite", description="Publish diplomatic cables as a static site (MkDocs + Material).",
        epilog="Start a project with `cablesite new FOLDER`; `cablesite COMMAND --help` tells more.")
    parser.add_argument("--version", action="version", version=f"cablesite {version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_new = sub.add_parser("new", help="make a new archive project folder", description=NEW_HELP,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    p_new.add_argument("folder", metavar="FOLDER", help="the project folder to make, e.g. my-archive")
    p_new.set_defaults(func=cmd_new)

    p_build = sub.add_parser("build", help="build the site from cable sources")
    p_build.add_argument("sources", nargs="*", help="folders of text files, cables.csv files or mirror folders "
                         "(default: content/)")
    p_build.add_argument("--site-dir", default="site", help="output folder (default: site)")
    p_build.add_argument("--config", help="mkdocs.yml to use (default: ./mkdocs.yml, else the shipped one); "
                         "its folder's theme/ and site_config/ override the shipped ones")
    p_build.add_argument("--strict", action="store_true", help="exit non-zero on any problem with any cable")
    p_build.add_argument("--workers", type=int, help="worker processes (default: CABLESITE_WORKERS or the CPU count)")
    p_build.add_argument("--clean", action="store_true", help="ignore what earlier builds left in the work folder")
    p_build.add_argument("--executor", choices=KINDS, default="local",
                         help="where the parallel stages run: local worker processes (default), or Dask "
                         "(needs cablesite[dask]; a LocalCluster here unless --scheduler is given)")
    p_build.add_argument("--scheduler", metavar="ADDRESS",
                         help="with --executor dask: the Dask scheduler to use, e.g. tcp://HOST:8786 "
                         "(the work folder must be on a file system every worker sees)")
    _add_output_options(p_build)
    p_build.set_defaults(func=cmd_build)

    p_parse = sub.add_parser("parse", help="parse cables and print what was found")
    p_parse.add_argument("files", nargs="+")
    p_parse.add_argument("--json", action="store_true", help="print a JSON array, one object per cable")
    p_parse.add_argument("--stats", action="store_true", help="print only the per-field statistics")
    p_parse.add_argument("--strict", action="store_true")
    p_parse.set_defaults(func=cmd_parse)

    p_serve = sub.add_parser("serve", help="build, then serve the site with live rebuilds")
    p_serve.add_argument("sources", nargs="*", help="as for build (default: content/)")
    p_serve.add_argument("--site-dir", default="site")
    p_serve.add_argument("--config", help="as for build")
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--no-watch", action="store_true", help="do not rebuild when sources change")
    _add_output_options(p_serve)
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
    configure(quiet=getattr(args, "quiet", False), verbose=getattr(args, "verbose", False))
    try:
        return int(args.func(args))
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
