"""Measure each hand-written equivalent of a library against the library in its place (issue 19).

    python bench/library_choices.py bench/out/n10000/cables.csv [--runs 3] [--only csv,trie,escape,yaml]
        [--baseline DIR]

One process, one input (a ``cablesite synth`` CSV; 10,000 cables is the benchmark's size): the
CSV is parsed and enriched once, then each stage runs with the code as it is and with each
alternative in its place, interleaved (A B A B ...), and the least CPU time of each is kept. Before
timing, the outputs are compared: an alternative that gives other output is reported as such.
The difference is given in CPU seconds and as a share of a whole clean build of the same size
(``--build-seconds``, default 25 s, the 10k benchmark's; the stages measured run in the build's
worker processes, or beside them, so on the benchmark's 2 cores the wall-clock difference is
about half the CPU seconds: both shares are printed). The rule: a hand-written path stays only
where it saves at least 5 % of the whole build.

- csv: ``sources.csv_source.read_csv`` (``csv.reader``) against the splitter for fully quoted
  rows it had before, loaded from ``--baseline`` (a checkout of a commit before 0399c9a).
- trie: ``enrich.trie.WordFinder`` (``ahocorasick-rs``) against ``pyahocorasick`` with the same
  whole-word rule, and against the trie-shaped regex it replaced (from ``--baseline``, before
  71a8bcb), in country and topic detection.
- escape: ``write.markdown.escaped`` (``markupsafe.escape``) against the five ``str.replace``
  calls it had before, writing every cable page and index page. The times in the table are
  those of the calls alone, on the arguments the pages gave them; the whole page writing with
  each, which also counts what the calls cost around them, is in the note.
- yaml: ``write.markdown.yaml_string`` against PyYAML's emitter (libyaml's where present) with
  double-quoted style, in the same way (the front matter must read back the same values).

Measured at the decisions (10,000 synthetic cables, CPU seconds, min of 3): csv 0.51 s with the
splitter against 0.97 s with csv.reader (the splitter saved 1.9 % of the build's CPU: csv.reader);
trie 5.94 s with the regex, 4.70 s with ahocorasick-rs, 6.74 s with pyahocorasick
(ahocorasick-rs); escape and yaml: in the docstrings of ``write.markdown.escaped`` and
``yaml_string``.
"""

from __future__ import annotations

import argparse
import copy
import gc
import pickle
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from generator.build.catalog import tag_rules_of  # noqa: E402
from generator.enrich import _matchers, enrich_cable  # noqa: E402
from generator.enrich.config import SiteTables, load_tables  # noqa: E402
from generator.enrich.countries import detect_countries  # noqa: E402
from generator.enrich.topics import _is_acronym  # noqa: E402
from generator.model import Cable, CatalogEntry, RawCable  # noqa: E402
from generator.parse import parse_cable  # noqa: E402
from generator.sources import csv_source  # noqa: E402
from generator.write.paths import url_of  # noqa: E402


def best_of(runs: int, variants: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """The least CPU time of each variant over ``runs`` rounds, the variants interleaved.

    CPU time of this process, not wall time: on a machine shared with other work, the time a
    process waits for a core varies far more than what it computes (every variant is
    single-threaded)."""
    best = {name: float("inf") for name in variants}
    for _ in range(runs):
        for name, run in variants.items():
            gc.collect()
            start = time.process_time()
            run()
            best[name] = min(best[name], time.process_time() - start)
    return best


# --- csv -------------------------------------------------------------------------------------

def _baseline_module(baseline: Path, relative: str, name: str) -> Any:
    """The module at ``baseline/relative`` (an older checkout), imported as ``name`` so that its
    relative imports reach the current package."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, baseline / relative)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _rows(module: Any, path: Path) -> list[tuple[Any, ...]]:
    """What ``module.read_csv`` yields, as comparable tuples."""
    return [(type(item).__name__, str(item.location), getattr(item, "text", None), getattr(item, "header", None),
             sorted(getattr(item, "fields", {}).items()), getattr(item, "message", None))
            for item in module.read_csv(path)]


def measure_csv(path: Path, runs: int, baseline: Path | None) -> tuple[dict[str, float], str]:
    variants = {"csv.reader": csv_source}
    if baseline is not None:
        variants["splitter (baseline)"] = _baseline_module(baseline, "generator/sources/csv_source.py",
                                                           "generator.sources._baseline_csv_source")
    reference = _rows(csv_source, path)
    notes = [f"{name}: {'same rows' if _rows(module, path) == reference else 'ROWS DIFFER'}"
             for name, module in variants.items() if module is not csv_source]
    times = best_of(runs, {name: (lambda m=module: _rows(m, path)) for name, module in variants.items()})
    return times, "; ".join(notes) or "no baseline given"


# --- trie ------------------------------------------------------------------------------------

def _whole_words(text: str, matches: Iterator[tuple[int, int]]) -> list[tuple[int, int]]:
    """The leftmost-longest, non-overlapping (start, end) of ``matches`` that are whole words:
    what ``WordFinder`` finds (a word is whole where no letter or digit touches either end)."""
    size = len(text)
    whole = sorted(((start, end) for start, end in matches
                    if (start == 0 or not text[start - 1].isalnum()) and (end == size or not text[end].isalnum())),
                   key=lambda m: (m[0], -m[1]))
    found, last = [], 0
    for start, end in whole:
        if start >= last:
            found.append((start, end))
            last = end
    return found


class PyAhoCorasickFinder:
    """``WordFinder``'s interface on a ``pyahocorasick`` automaton (its matches one by one, then
    the whole-word rule)."""

    def __init__(self, words: Any, _starts_are_common: bool = False) -> None:
        import ahocorasick
        self.automaton = ahocorasick.Automaton()
        for word in words:
            if word:
                self.automaton.add_word(word, len(word))
        self.automaton.make_automaton()
        self.empty = not any(words)

    def finditer(self, text: str) -> Iterator[tuple[str, int, int]]:
        if self.empty:
            return
        matches = ((last + 1 - length, last + 1) for last, length in self.automaton.iter(text))
        for start, end in _whole_words(text, matches):
            yield text[start:end], start, end

    def findall(self, text: str) -> list[str]:
        return [word for word, _s, _e in self.finditer(text)]


def _matchers_with(tables: SiteTables, finder: type | None) -> tuple[Any, Any]:
    """The country and topic matchers, their finders replaced by ``finder`` (None: as shipped)."""
    countries, topics = _matchers(tables)
    if finder is None:
        return countries, topics
    countries, topics = copy.copy(countries), copy.copy(topics)
    # The second argument: whether most characters of the texts could start a word (what the
    # baseline's regex shape depended on; the automata ignore it).
    countries.mixed, countries.upper = finder(countries.meaning, False), finder(countries.meaning_upper, True)
    plain = [k for k in topics.topics_of_keyword if not _is_acronym(k)]
    acronyms = [k for k in topics.topics_of_keyword if _is_acronym(k)]
    topics.plain, topics.acronyms = finder(plain, True), finder(acronyms, False)
    return countries, topics


def _detect(cables: list[Cable], tables: SiteTables, matchers: tuple[Any, Any]) -> list[Any]:
    country_matcher, topic_matcher = matchers
    out = []
    for cable in cables:
        detect_countries(cable, tables, country_matcher)
        cable.topics = topic_matcher.topics_of(cable)
        out.append((cable.countries, [(m.country, m.anchor, m.words) for m in cable.mentions],
                    [p.countries for p in cable.paragraphs], cable.topics))
    return out


def measure_trie(cables: list[Cable], tables: SiteTables, runs: int,
                 baseline: Path | None) -> tuple[dict[str, float], str]:
    variants: dict[str, Any] = {"WordFinder (ahocorasick-rs)": None, "pyahocorasick": PyAhoCorasickFinder}
    if baseline is not None:
        old = _baseline_module(baseline, "generator/enrich/trie.py", "generator.enrich._baseline_trie")
        variants["trie regex (baseline)"] = lambda words, common: old.WordFinder.compile(words,
                                                                                         starts_are_common=common)
    matchers = {name: _matchers_with(tables, finder) for name, finder in variants.items()}
    reference = _detect(cables, tables, matchers["WordFinder (ahocorasick-rs)"])
    notes = [f"{name}: {'same result' if _detect(cables, tables, m) == reference else 'RESULT DIFFERS'}"
             for name, m in matchers.items() if variants[name] is not None]
    times = best_of(runs, {name: (lambda m=m: _detect(cables, tables, m)) for name, m in matchers.items()})
    return times, "; ".join(notes)


# --- escape and yaml: writing the pages --------------------------------------------------------

def _pages(cables: list[Cable], tables: SiteTables) -> Callable[[], list[str]]:
    """Every cable page and index page of the archive, written as the build writes them."""
    from generator.build.contexts import ChipMemo, link_context, page_context
    from generator.enrich.links import LinkIndex
    from generator.indexes import build_index_pages
    from generator.indexes.taxonomy import Taxonomy
    from generator.write import markdown

    entries = sorted((CatalogEntry.of(c, url_of(c)) for c in cables), key=lambda e: e.sort_key)
    by_id = {c.id: c for c in cables}
    links, taxonomy = LinkIndex.build(entries), Taxonomy.build(entries, tables)
    chips = ChipMemo(taxonomy)
    contexts = {e.id: link_context(e, links, taxonomy, chips) for e in entries}

    def write() -> list[str]:
        markdown._CELLS.clear()  # the memo of escaped list cells: filled anew by each run
        texts = []
        for entry in entries:
            cable = by_id[entry.id]
            texts.append(markdown.cable_page(cable, entry.url, page_context(cable, contexts[entry.id]))[0])
        for page in build_index_pages(entries, "Cable archive", taxonomy=taxonomy):
            texts.append(markdown.render_page(page.template, page.url, page.title, **page.context))
        return texts

    return write


def _with(name: str, replacement: Callable[[Any], str], run: Callable[[], list[str]]) -> list[str]:
    from generator.write import markdown
    saved = getattr(markdown, name)
    setattr(markdown, name, replacement)
    try:
        return run()
    finally:
        setattr(markdown, name, saved)


def replace_chain_escaped(value: Any) -> str:
    """The hand-written escaping ``write.markdown.escaped`` had before: five ``str.replace``
    calls for a plain string (the library for anything else)."""
    from markupsafe import escape
    if type(value) is not str:
        return str(escape(value))
    return (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;")
            .replace('"', "&#34;"))


def pyyaml_string(value: str) -> str:
    import yaml
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(value, Dumper=dumper, default_style='"', allow_unicode=True, width=2**31 - 1).rstrip("\n")


def measure_page_writing(cables: list[Cable], tables: SiteTables, runs: int, what: str) -> tuple[dict[str, float], str]:
    from mkdocs.utils.meta import get_data
    write = _pages(cables, tables)
    name, library, label, current = (("escaped", replace_chain_escaped, "str.replace chain (removed)",
                                      "escaped (markupsafe)") if what == "escape"
                                     else ("yaml_string", pyyaml_string, "PyYAML", "yaml_string (hand-written)"))
    ours, theirs = write(), _with(name, library, write)
    if ours == theirs:
        note = "same bytes"
    elif [get_data(t) for t in ours] == [get_data(t) for t in theirs]:
        note = f"other bytes, same values read back ({sum(a != b for a, b in zip(ours, theirs, strict=True))} pages)"
    else:
        note = "PAGES DIFFER"
    # The calls themselves, on the arguments the pages gave them: the pages' own time varies more
    # from run to run than these calls cost in all.
    from generator.write import markdown
    original, calls = getattr(markdown, name), []
    _with(name, lambda value: calls.append(value) or original(value), write)
    calls_only = best_of(runs, {current: lambda: [original(v) for v in calls],
                                label: lambda: [library(v) for v in calls]})
    pages = best_of(runs, {current: write, label: lambda: _with(name, library, write)})
    note += (f"; {len(calls)} calls; whole page writing {pages[current]:.2f} s against "
             f"{pages[label]:.2f} s with {label}")
    return calls_only, note


# --- main ------------------------------------------------------------------------------------

def load_cables(path: Path, tables: SiteTables) -> list[Cable]:
    """The CSV's cables, parsed and enriched as the build does (in this process)."""
    rules, cables = tag_rules_of(tables), []
    for item in csv_source.read_csv(path):
        if isinstance(item, RawCable):
            cables.append(enrich_cable(parse_cable(item, rules, posts=tables.posts), tables))
    return cables


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="csv,trie,escape,yaml")
    parser.add_argument("--build-seconds", type=float, default=25.0, help="a whole clean build of this size")
    parser.add_argument("--workers", type=int, default=2, help="the build's worker processes (wall share)")
    parser.add_argument("--baseline", type=Path, help="a checkout from before the switches (csv, trie)")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    tables = load_tables(PROJECT / "site_config")
    cables: list[Cable] = []
    if only & {"trie", "escape", "yaml"}:
        start = time.perf_counter()
        cables = load_cables(args.csv, tables)
        print(f"parsed {len(cables)} cables in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        cables = pickle.loads(pickle.dumps(cables))  # compact: one object per value, as the workers see them
    print(f"| stage: current code | s | alternative | s | alternative's extra s (CPU) | of a {args.build_seconds:g} s "
          f"build: CPU / wall ({args.workers} workers) | output |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    stages: list[tuple[str, Callable[[], tuple[dict[str, float], str]]]] = [
        ("csv", lambda: measure_csv(args.csv, args.runs, args.baseline)),
        ("trie", lambda: measure_trie(cables, tables, args.runs, args.baseline)),
        ("escape", lambda: measure_page_writing(cables, tables, args.runs, "escape")),
        ("yaml", lambda: measure_page_writing(cables, tables, args.runs, "yaml")),
    ]
    for name, measure in stages:
        if name not in only:
            continue
        times, note = measure()
        (current, ours), *alternatives = times.items()
        for alternative, theirs in alternatives or [("-", float("nan"))]:
            extra = theirs - ours
            cpu, wall = 100 * extra / args.build_seconds, 100 * extra / args.workers / args.build_seconds
            print(f"| {name}: {current} | {ours:.2f} | {alternative} | {theirs:.2f} | {extra:+.2f} | "
                  f"{cpu:+.1f} % / {wall:+.1f} % | {note} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
