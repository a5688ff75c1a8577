"""The build driver: runs the stages in order and keeps the books.

sources -> parse -> enrich -> (catalog) -> indexes -> write -> render -> search. Parsed cables
are streamed to a store in the work folder and read back once the catalog (ids, dates,
references) is complete, so that cross-links can be written without holding every cable in
memory. Index pages and page frames come first (in a child process), then each cable page is
written, rendered (stamped: see render/stamp.py) and analysed for search in worker processes.
Nothing in the site folder changes until everything is rendered: the complete new site (in an
incremental build, links to the live site's unchanged files and the new ones) then takes the
old one's place in one exchange (publish.py). One build at a time (lock.py); nothing from the
work folder is used unverified (integrity.py); a build that dies leaves nothing the next trusts
(lifecycle.py).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import multiprocessing
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from mkdocs.utils.meta import get_data

from . import publish
from .duplicates import CableIds
from .enrich import enrich_cable
from .enrich.config import SiteTables, load_tables
from .enrich.links import LinkIndex
from .executors import ExecutorChoice, open_executor
from .indexes import build_index_pages
from .indexes.taxonomy import Taxonomy
from .integrity import WorkStateError, fault_point
from .lifecycle import (
    begin,
    check_interrupted,
    commit,
    discard,
    new_state_name,
    stop_on_signals,
    tidy_states,
    unfinished,
)
from .lock import BuildLock
from .model import Cable, CatalogEntry, Problem, RawCable, SourceLocation
from .parallel import (
    Done,
    executing,
    ordered_map,
    run_in_child,
    run_in_children,
    use_one_malloc_arena,
    worker_count,
)
from .parse import ParseError, TagRules, parse_cable
from .parse.posts import use_posts
from .parse.tag_phrases import country_words
from .parse.tags import PERSON_TAGS
from .progress import Progress, chatter, counted_input
from .project import prepare_project
from .render.pages import RenderResult, frame_template, prepare_frames, render_with_frames, stamping_enabled
from .render.shards import DEFAULT_SHARD_SIZE, nav_pages
from .render.stamp import Frames, PageKind, kind_of, sample_kinds, stamp_generated, stamp_pages
from .search import SearchIndexer
from .sources import read_sources, source_bytes
from .store import CableStore, Manifest, StoreDamaged, build_fingerprint, page_key, remove_db
from .write.exports import removed_json, write_cable_json, write_site_exports
from .write.files import write_new_file
from .write.markdown import cable_page, render_page
from .write.paths import UnsafeName, doc_path_for_url, relative_url, safe_join, url_of, validate_id


@dataclass
class BuildReport:
    read: int = 0
    built: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    parsed: int = 0  # cables parsed anew (the others came from the work store)
    pages_written: int = 0  # Markdown pages written anew (all of them in a clean build)
    pages_rendered: int = 0  # pages rendered (in an incremental build: only the changed ones)
    pages_stamped: int = 0  # of which filled into a page frame MkDocs rendered (see render/stamp.py)
    index_pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    site_dir: str = ""

    def problem(self, problem: Problem) -> None:
        entry = {"source": str(problem.location), "id": problem.cable_id, "message": problem.message}
        (self.rejected if problem.fatal else self.warnings).append(entry)

    @property
    def problems(self) -> int:
        return len(self.rejected) + len(self.warnings)

    def to_json(self) -> dict[str, Any]:
        return {
            "read": self.read, "built": self.built, "rejected": len(self.rejected),
            "rejections": self.rejected, "warnings": self.warnings, "notes": self.notes,
            "parsed": self.parsed, "pages_written": self.pages_written, "pages_rendered": self.pages_rendered,
            "pages_stamped": self.pages_stamped,
            "index_pages": self.index_pages,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()}, "site_dir": self.site_dir,
        }


IN_PROCESS_FIRST = 32  # items (cables to parse, pages to make) handled in the build process before workers start
LARGE_CABLE_BYTES = 1_000_000  # the largest real Cablegate cables are well under this
SITE_MARKER = ".cablesite"  # marks a folder as a site this tool built, so it may replace it


class UnsafeSiteDir(ValueError):
    """The output folder is not one cablesite may replace (it holds other data, or the sources)."""


def check_site_dir(site_dir: Path, sources: Iterable[Path]) -> None:
    """Refuse an output folder whose replacement would destroy data that is not a built site."""
    if site_dir.is_symlink():  # the swap would replace the link, or write through it: say so instead
        raise UnsafeSiteDir(f"the site folder {site_dir} is a symbolic link (to {os.readlink(site_dir)}); "
                            "give the folder itself as --site-dir")
    target = site_dir.resolve()
    if target == Path(target.anchor) or target == Path.home().resolve() or target == Path.cwd().resolve():
        raise UnsafeSiteDir(f"refusing to use {site_dir} as the site folder: it would be replaced whole")
    for source in sources:
        resolved = source.resolve()
        if resolved == target or target in resolved.parents:
            raise UnsafeSiteDir(f"the site folder {site_dir} holds the source {source}; choose another --site-dir")
    if target.is_file():
        raise UnsafeSiteDir(f"the site folder {site_dir} is a file")
    if target.is_dir() and any(target.iterdir()) and not (target / SITE_MARKER).exists():
        raise UnsafeSiteDir(f"{site_dir} exists, is not empty and was not built by cablesite; "
                            "remove it or choose another --site-dir")


def _content_hash(raw: RawCable, salt: str = "") -> str:
    digest = hashlib.sha256(salt.encode())
    digest.update(raw.text.encode("utf-8", "surrogatepass"))
    digest.update(raw.header.encode("utf-8", "surrogatepass"))
    digest.update(repr(sorted(raw.fields.items())).encode("utf-8", "surrogatepass"))  # str, list, datetime values
    return digest.hexdigest()


# Worker state for the parse stage, set once per worker process (see ``parallel.ordered_map``).
_WORKER_TABLES: list[SiteTables] = []
_WORKER_TAG_RULES: list[TagRules] = []


def _init_parse_worker(tables: SiteTables | None, tag_rules: TagRules | None = None) -> None:
    _WORKER_TABLES[:] = [tables] if tables is not None else []
    _WORKER_TAG_RULES[:] = [tag_rules] if tag_rules is not None else []
    use_posts(tables.posts if tables is not None else None)  # the parser's post spellings


def _parse_task(task: tuple[int, RawCable | Problem]) -> Problem | tuple[int, bytes | None, bytes | None, list[str]]:
    """Parse and enrich one cable (in a worker).

    Returns the pickled cable and its pickled catalog entry (a later build that finds the cable
    unchanged reads only the small entry back, never the whole cable) and the parse's warnings."""
    seq, item = task
    if isinstance(item, Problem):
        return item
    cable_id = str(item.fields.get("id") or "")
    warnings: list[str] = []
    try:
        validate_id(cable_id)
        cable = parse_cable(item, _WORKER_TAG_RULES[0] if _WORKER_TAG_RULES else None, warnings)
    except (UnsafeName, ParseError) as err:
        return Problem(item.location, str(err), cable_id=cable_id or None)
    if _WORKER_TABLES:
        enrich_cable(cable, _WORKER_TABLES[0])
    entry = CatalogEntry.of(cable, url_of(cable))
    return (seq, pickle.dumps(cable, protocol=pickle.HIGHEST_PROTOCOL),
            pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL), warnings)


class Parsed(NamedTuple):
    item: Cable | CatalogEntry
    digest: str  # hash of the cable's input (and of the build fingerprint): its key in the store
    location: SourceLocation
    entry_signature: str  # hash of its catalog entry: what index lists show of it ("" if unknown)


def parse_items(items: Iterable[RawCable | Problem], report: BuildReport, *, tables: SiteTables | None = None,
                store: CableStore | None = None, salt: str = "", workers: int = 1,
                entries_only: bool = False, tag_rules: TagRules | None = None) -> Iterator[Parsed]:
    """Parsed (and, given tables, enriched) cables with their input hashes and sources, in input
    order; with ``entries_only``, their catalog entries instead (cheaper: an unchanged cable's
    entry is read from the store without unpickling the cable).

    Problems are recorded in ``report``; a duplicate id is one page when the content is the
    same and an error naming both sources when it is not. Cables already in ``store`` (same
    input, same code and configuration) are not parsed again."""
    ids = CableIds()
    pending: dict[int, tuple[RawCable, str]] = {}  # filled by the pool's feeder thread, emptied here

    def tasks() -> Iterator[tuple[int, RawCable | Problem] | Done]:
        for seq, item in enumerate(items):
            if isinstance(item, Problem):
                yield seq, item
                continue
            digest = _content_hash(item, salt)
            pending[seq] = (item, digest)
            if store and store.has(digest):
                yield Done((seq, None, None, []))  # a cached cable is not sent to a worker
            else:
                yield seq, item

    if tag_rules is None and tables is not None:
        tag_rules = tag_rules_of(tables)
    for result in ordered_map(_parse_task, tasks(), workers, initializer=_init_parse_worker,
                              initargs=(tables, tag_rules), in_process_first=IN_PROCESS_FIRST):
        if isinstance(result, Problem):
            if result.fatal:
                report.read += 1
            report.problem(result)
            continue
        seq, data, entry_data, warnings = result
        raw, digest = pending.pop(seq)
        for warning in warnings:
            report.problem(Problem(raw.location, warning, cable_id=str(raw.fields.get("id")), fatal=False))
        report.read += 1
        report.parsed += data is not None
        if len(raw.text) > LARGE_CABLE_BYTES:
            report.problem(Problem(raw.location, f"unusually large cable ({len(raw.text) / 1e6:.1f} MB of text); "
                                   "built, check that it is one cable", cable_id=str(raw.fields.get("id")),
                                   fatal=False))
        if data is None and store is not None:  # cached: read back only what is asked for
            try:
                if entries_only:
                    entry_data = store.get_entry(digest)
                else:
                    data = store.get(digest)
            except StoreDamaged:  # the file, not a row: the build starts anew without it (see ``build``)
                raise
            except WorkStateError as err:  # damaged or foreign: this cable is parsed anew and stored again
                report.notes.append({"source": str(raw.location), "id": None, "message": f"{err}; parsed anew"})
                store.known.discard(digest)
        if (entry_data if entries_only else data) is None:
            _init_parse_worker(tables, tag_rules)  # in this process: its tables may never have been set here
            _, data, entry_data, _ = _parse_task((seq, raw))  # type: ignore[misc]
            report.parsed += 1
        parsed: Cable | CatalogEntry = pickle.loads(entry_data if entries_only else data)  # type: ignore[arg-type]
        if isinstance(parsed, Cable):
            parsed.location = raw.location  # a cached parse may come from another row or file
        if not ids.admit(parsed.id, digest, raw.location, report):  # a copy, or an id taken (in any case)
            continue
        if store is not None:
            if not store.has(digest):
                store.put(digest, data, entry_data)  # type: ignore[arg-type]
            store.used.add(digest)
        yield Parsed(parsed, digest, raw.location, hashlib.sha256(entry_data).hexdigest() if entry_data else "")


def parse_stream(items: Iterable[RawCable | Problem], report: BuildReport,
                 tag_rules: TagRules | None = None) -> Iterator[Cable]:
    """Parsed cables, serially and without a store: what ``cablesite parse`` prints."""
    for parsed in parse_items(items, report, tag_rules=tag_rules):
        yield parsed.item  # type: ignore[misc]


def unknown_tags(cable: Cable | CatalogEntry, tables: SiteTables) -> list[str]:
    """TAGS values that are neither a country code nor a subject code of site_config/ (nor the person
    named after OVIP and the like)."""
    known = _known_tags(tables)
    people = {tag for before, tag in zip(cable.tags, cable.tags[1:], strict=False) if before in PERSON_TAGS}
    return [tag for tag in cable.tags if tag.split(" ")[0] not in known and tag not in people]


@functools.lru_cache(maxsize=4)
def _known_tags(tables: SiteTables) -> frozenset[str]:
    return frozenset(tables.country_by_tag.keys() | tables.tag_codes.keys())


@functools.lru_cache(maxsize=4)
def tag_rules_of(tables: SiteTables) -> TagRules:
    """What the parser needs of site_config/ to read TAGS: the known codes, the corrections and the
    countries' names (where free text typed without commas changes entry)."""
    countries = tables.countries.values()
    return TagRules(known=_known_tags(tables), corrections=dict(tables.tag_corrections),
                    countries=country_words((f for c in countries for f in c.forms),
                                            (p for c in countries for p in c.not_phrases)))


def write_file(root: Path, relative: str, text: str) -> None:
    write_new_file(safe_join(root, relative), text.encode("utf-8"))


def cable_context(cable: Cable, url: str, links: LinkIndex, taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """What a cable page shows of the rest of the archive, from the cable alone: references and
    neighbours as links relative to the page; chips (countries, topics, tags, origin,
    classification) as site URLs, which the template's ``chip`` makes relative. The build makes
    it as ``page_context`` of the page's ``link_context`` (tested equal), from what the key hashes."""
    references = []
    for ref in cable.references:
        target = links.resolve(ref.cable_id) if ref.cable_id and ref.cable_id != cable.id else None
        references.append({"text": ref.text, "cable_id": ref.cable_id,
                           "url": relative_url(url, target.url) if target else None})
    return {"references": references, **neighbour_links(cable.id, url, links), **taxonomy_links(cable, taxonomy)}


def link_context(entry: CatalogEntry, links: LinkIndex, taxonomy: Taxonomy | None = None,
                 chips: Callable[[CatalogEntry], dict[str, Any]] | None = None) -> dict[str, Any]:
    """What of the rest of the archive a cable page depends on, from its catalog entry alone.

    With the cable's own content hash it determines the page (``cable_context`` adds only the
    reference texts, which are part of the cable): its page key, computed without loading the
    cable, so that an unchanged page costs next to nothing in a rebuild."""
    resolved = {}
    for cable_id in entry.reference_ids:
        target = links.resolve(cable_id)
        resolved[cable_id] = relative_url(entry.url, target.url) if target else None
    return {"references": resolved, **neighbour_links(entry.id, entry.url, links),
            **(chips(entry) if chips else taxonomy_links(entry, taxonomy))}


def neighbour_links(cable_id: str, url: str, links: LinkIndex) -> dict[str, Any]:
    """The cables citing this one, and the previous and next cable from the same post."""
    def entry_link(other_id: str) -> dict[str, Any] | None:
        entry = links.resolve(other_id)
        if entry is None:
            return None
        title = entry.title if entry.title != entry.id else None  # the id is shown anyway
        return {"id": entry.id, "subject": title, "url": relative_url(url, entry.url)}

    return {
        "cited_by": [e for e in (entry_link(i) for i in links.cited_by.get(cable_id, [])) if e],
        "previous": entry_link(links.previous_by_origin.get(cable_id, "")),
        "next": entry_link(links.next_by_origin.get(cable_id, "")),
    }


def taxonomy_links(cable: Cable | CatalogEntry, taxonomy: Taxonomy | None) -> dict[str, Any]:
    """The index pages a cable's chips point at; without a taxonomy the chips are plain text."""
    if taxonomy is None:
        return {"countries": [], "topics": [], "classification_url": None, "origin_url": None, "tag_urls": {}}
    countries = []
    for iso2 in cable.countries:
        country = taxonomy.tables.countries.get(iso2)
        countries.append({"name": country.name if country else iso2, "url": taxonomy.url("country", iso2)})
    return {
        "countries": countries,
        "topics": [{"name": name, "url": taxonomy.url("topic", name)} for name in cable.topics],
        "classification_url": taxonomy.url("classification", cable.classification),
        "origin_url": taxonomy.url("origin", cable.origin),
        "tag_urls": {tag: taxonomy.url("tag", tag) for tag in cable.tags},
    }


class _ChipMemo:
    """``taxonomy_links`` with each chip's link worked out once per build, not once per cable
    that shows it: a rebuild asks for every cable's chips."""

    def __init__(self, taxonomy: Taxonomy | None) -> None:
        self.taxonomy = taxonomy
        self.urls: dict[tuple[str, str | None], str | None] = {}
        self.countries: dict[str, dict[str, Any]] = {}

    def url(self, kind: str, key: str | None) -> str | None:
        found = self.urls.get((kind, key), self)
        if found is self:
            assert self.taxonomy is not None
            self.urls[(kind, key)] = found = self.taxonomy.url(kind, key)
        return found  # type: ignore[return-value]

    def country(self, iso2: str) -> dict[str, Any]:
        found = self.countries.get(iso2)
        if found is None:
            assert self.taxonomy is not None
            country = self.taxonomy.tables.countries.get(iso2)
            self.countries[iso2] = found = {"name": country.name if country else iso2,
                                            "url": self.taxonomy.url("country", iso2)}
        return found

    def __call__(self, entry: CatalogEntry) -> dict[str, Any]:
        """What ``taxonomy_links`` gives (tested to be equal)."""
        if self.taxonomy is None:
            return taxonomy_links(entry, None)
        url = self.url
        return {
            "countries": [self.country(iso2) for iso2 in entry.countries],
            "topics": [{"name": name, "url": url("topic", name)} for name in entry.topics],
            "classification_url": url("classification", entry.classification),
            "origin_url": url("origin", entry.origin),
            "tag_urls": {tag: url("tag", tag) for tag in entry.tags},
        }


def work_dir_for(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}-build"


def build(sources: list[Path], site_dir: Path, config_file: Path, site_name: str = "Cable archive",
          progress: bool = False, workers: int | None = None, incremental: bool = True,
          shard_size: int = DEFAULT_SHARD_SIZE, executor: ExecutorChoice | None = None) -> BuildReport:
    """Build the site for ``sources`` into ``site_dir``; returns what was read, built, rejected.

    With ``incremental`` (the default) the work folder beside the site keeps the parsed cables
    and a manifest of the generated pages: a rebuild parses only changed cables, re-renders only
    the pages whose inputs changed, and gives the same bytes as a clean build. One build at a
    time per site (``lock.py``); whatever it reuses is verified first, and what does not verify
    is built anew with a note (``integrity.py``, ``lifecycle.py``, ``publish.py``).
    ``executor`` says where the parallel stages run (``executors.py``; default: local processes)."""
    if executor is not None and executor.remote:  # tasks carry paths that workers elsewhere must find
        sources, site_dir, config_file = [s.absolute() for s in sources], site_dir.absolute(), config_file.absolute()
    check_site_dir(site_dir, sources)
    work = work_dir_for(site_dir)
    with (BuildLock(work, site_dir) as lock, stop_on_signals(),
          open_executor(executor, worker_count(workers)) as pool_executor, executing(pool_executor)):
        notes: list[str] = []
        if lock.stale:
            notes.append(f"a build (PID {lock.stale}) died holding {lock.path}; its lock is taken over")
        publish.tidy_trash(work)
        if publish.recover(site_dir, work):
            notes.append(f"the previous site was put back at {site_dir} (a build died while swapping it in)")
        try:
            return _build(sources, site_dir, config_file, site_name, progress, workers, incremental, shard_size,
                          notes)
        except WorkStateError as err:
            if not incremental:
                raise
            notes.append(f"{err}; everything is built anew")
            return _build(sources, site_dir, config_file, site_name, progress, workers, False, shard_size, notes,
                          keep_store=isinstance(err, publish.SiteChanged))


def _reusable(work: Path, site_dir: Path, previous: Manifest, fingerprint: str, notes: list[str]) -> bool:
    """Whether the last build's work may be reused: same fingerprint, finished, and a site
    there (else a note says why everything is built anew)."""
    if not previous.fingerprint:
        if previous.problem:
            notes.append(previous.problem)
        return False
    if previous.fingerprint != fingerprint or not (work / "docs").is_dir():
        return False
    problem = unfinished(work) or (None if (site_dir / SITE_MARKER).exists() else f"{site_dir} holds no site")
    if problem:  # (each live file is verified as the new site is assembled: publish.clone)
        notes.append(f"{problem}; everything is built anew")
    return problem is None


def _build(sources: list[Path], site_dir: Path, config_file: Path, site_name: str, progress: bool,
           workers: int | None, incremental: bool, shard_size: int, notes: list[str],
           keep_store: bool = False) -> BuildReport:
    report = BuildReport(site_dir=str(site_dir))
    use_one_malloc_arena()
    workers = worker_count(workers)
    started = time.perf_counter()
    work = work_dir_for(site_dir)
    docs = work / "docs"
    # The project's mkdocs.yml, theme/ and site_config/ over the shipped defaults (see project.py).
    project = prepare_project(config_file, work / "project")
    config_file = project.config
    tables = load_tables(project.tables)
    fingerprint = build_fingerprint(config_file, [project.source_config])
    manifest_path = work / "manifest.json"
    previous = Manifest.load(manifest_path) if incremental else Manifest()
    reuse = incremental and _reusable(work, site_dir, previous, fingerprint, notes)
    report.notes.extend({"source": "work folder", "id": None, "message": note} for note in notes)
    if not reuse:
        previous = Manifest()
        shutil.rmtree(docs, ignore_errors=True)
        if (not incremental and not keep_store) or Manifest.load(manifest_path).fingerprint != fingerprint:
            remove_db(work / "cables.sqlite")  # its rows verify on their own: kept unless --clean or stale
    tidy_states(work, previous.search_state)
    begin(work)
    docs.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(fingerprint, search_state=new_state_name())
    # Everything rendered anew goes to ``staging``: the whole site in a clean build, only the
    # changed files in an incremental one (completed with links to the live site's others).
    staging, assembled, search_out = work / "site", work / "site-next", work / "search-site"
    leftovers = [staging, assembled, search_out, work / "search", work / manifest.search_state, work / "render", docs]
    try:
        for folder in (staging, assembled, search_out):
            shutil.rmtree(folder, ignore_errors=True)
        staging.mkdir(parents=True)
        store = CableStore(work / "cables.sqlite")
        try:
            catalog, digests, signatures = _read_and_parse(sources, report, tables, store, fingerprint, workers,
                                                           progress)
            report.seconds["read_parse"] = time.perf_counter() - started
            mark = time.perf_counter()
            pass2 = _Pass2(catalog, digests, signatures, store, tables, docs, site_name, previous, manifest, report,
                           work, progress, workers, staging, site_dir / "search" if reuse else None)
            rendered = pass2.run(config_file, fingerprint, reuse, shard_size)
            store.prune()
        finally:
            store.close()
        removed = sorted(set(previous.pages) - set(manifest.pages))
        for rel in removed:
            (docs / rel).unlink(missing_ok=True)
        report.seconds["write"] = time.perf_counter() - mark

        # The search index is written before the rest is rendered, so that its postings and facets are freed first.
        mark = time.perf_counter()
        search_out.mkdir(parents=True)
        pass2.search_index.write(search_out)
        fault_point("after-search-state")
        report.seconds["search"] = time.perf_counter() - mark

        mark = time.perf_counter()
        ticker = Progress("render", total=len(pass2.unrendered), unit="pages", enabled=progress)
        if pass2.unrendered:
            rendered = render_with_frames(pass2.frames, config_file, docs, pass2.unrendered, staging,
                                          work / "render", workers, shard_size, progress=ticker.step, result=rendered)
        ticker.close()
        report.pages_stamped = rendered.stamped
        report.notes.extend({"source": str(frame_template(config_file, kind)), "id": None,
                             "message": f"pages of kind {kind} rendered by MkDocs: {reason}"}
                            for kind, reason in rendered.refused.items())
        exports_started = time.perf_counter()
        exports = write_site_exports(pass2.catalog, manifest.pages, staging, site_dir if reuse else None,
                                     config_file, site_name, work / "cables.sqlite", pass2.digests)
        report.notes.extend({"source": "exports", "id": None, "message": m} for m in exports.notes)
        for message in exports.info:
            chatter("exports")(message)
        report.seconds["exports"] = time.perf_counter() - exports_started  # the archive-wide files (not the JSON)
        if reuse:  # the live site's unchanged files (links), the new ones moved over them
            gone = ({rel[: -len(".md")] + ".html" for rel in removed} | set(removed_json(removed))
                    | set(exports.stale))
            publish.clone(site_dir, assembled, previous.site_files, gone)
            publish.move_into(staging, assembled)
            pass2.search_index.install(search_out / "search", assembled / "search")
        else:
            (search_out / "search").rename(staging / "search")
            (staging / SITE_MARKER).write_text("built by cablesite; this folder is replaced on every build\n")
            assembled = staging
        pass2.search_index = None  # type: ignore[assignment]
        manifest.site_files = publish.record(assembled, previous.site_files)
        fault_point("before-swap")
        check_interrupted()  # an interrupt some library swallowed still stops the build here
        publish.swap_into_place(assembled, site_dir, work)
        fault_point("after-swap")
        report.seconds["render"] = time.perf_counter() - mark
        manifest.save(manifest_path)
    except BaseException:
        discard(leftovers)  # the next build starts anew (``building`` stays): free what it cannot use
        raise
    commit(work, manifest.search_state)
    discard([staging, search_out, work / "analyses.sqlite"])  # the last: what older versions kept
    report.pages_rendered = len(pass2.changed)
    report.seconds["total"] = time.perf_counter() - started
    (work / "build-report.json").write_text(json.dumps(report.to_json(), indent=2, sort_keys=True) + "\n")
    return report


def _read_and_parse(sources: list[Path], report: BuildReport, tables: SiteTables, store: CableStore,
                    fingerprint: str, workers: int,
                    progress: bool) -> tuple[list[CatalogEntry], dict[str, str], dict[str, str]]:
    """Pass 1: every cable parsed (or taken from the store), checked, and entered in the catalog.

    Returns the catalog, and per cable id its content hash and its catalog entry's hash."""
    catalog: list[CatalogEntry] = []
    digests: dict[str, str] = {}
    signatures: dict[str, str] = {}
    # The cables are known only once read: the time left is reckoned from the sources' bytes.
    ticker = Progress("parse", enabled=progress, size_total=source_bytes(sources) if progress else None)
    for entry, digest, location, signature in parse_items(counted_input(read_sources(sources), ticker), report,
                                                          tables=tables, store=store, salt=fingerprint,
                                                          workers=workers, entries_only=True):
        assert isinstance(entry, CatalogEntry)
        unknown = unknown_tags(entry, tables)
        if unknown:
            report.problem(Problem(location, "unknown TAGS code(s) " + ", ".join(unknown)
                                   + " (not in site_config/); kept as tags", cable_id=entry.id, fatal=False))
        catalog.append(entry)
        digests[entry.id] = digest
        signatures[entry.id] = signature
        ticker.step()
    ticker.close()
    catalog.sort(key=lambda e: e.sort_key)
    return catalog, digests, signatures


# State of pass 2, prepared by the main process before the worker pool forks (read-only there).
_PASS2: dict[str, Any] = {}
_STORE_READERS: dict[int, CableStore] = {}


def _store_reader() -> CableStore:
    """The read connection of this process: SQLite connections must not cross a fork."""
    pid = os.getpid()
    if pid not in _STORE_READERS:
        _STORE_READERS.clear()
        _STORE_READERS[pid] = CableStore(_PASS2["store_path"], load_digests=False)
    return _STORE_READERS[pid]


def _init_pass2_worker(state: dict[str, Any]) -> None:
    """A pass-2 worker's state: a forked one has it already, a Dask worker receives it."""
    _PASS2.update(state)
    _STORE_READERS.clear()


class CablePageResult(NamedTuple):
    rel: str  # the page's Markdown path
    key: str  # hash of its inputs (manifest)
    written: bool  # written anew by this build
    stamped: bool  # its HTML is in the staging site already (see render/stamp.py)
    analysis: bytes | None  # pickled search analysis; None when the search index has it from the last build


class CablePageJob(NamedTuple):
    """A cable page to make anew (its Markdown and HTML), or to analyse for search, or both."""

    doc: int  # position in the catalog (the search index's doc id)
    key: str | None  # the page key (``cable_page_key``), or None for the worker to work out
    write: bool  # the page's inputs changed (or it is new): write and stamp it


def _cable_page_task(job: CablePageJob) -> CablePageResult:
    """Pass 2 for one cable (in a worker): its Markdown page and its HTML if its inputs changed,
    and its search analysis (postings and hit file) unless the search index has it from the last
    build. The cable itself is loaded only when one of them must be made anew."""
    state = _PASS2
    entry: CatalogEntry = state["catalog"][job.doc]
    digest = state["digests"][entry.id]
    cable: Cable | None = None

    def load() -> Cable:
        data = _store_reader().get(digest)
        if data is None:  # pragma: no cover - the store is written and flushed before pass 2
            raise RuntimeError(f"cable {entry.id} missing from the work store")
        return pickle.loads(data)

    rel = doc_path_for_url(entry.url)
    if "chips" not in state:
        state["chips"] = _ChipMemo(state["taxonomy"])
    key, context = job.key, None
    if key is None or job.write:  # the page's context gives its key too: worked out once
        context = link_context(entry, state["links"], state["taxonomy"], state["chips"])
        key = key or page_key(digest, repr(context))
    stamped = False
    if job.write:
        cable = load()
        text, meta = cable_page(cable, entry.url, page_context(cable, context))
        write_file(state["docs"], rel, text)
        write_cable_json(state["staging"], entry.url, cable)  # data for reuse, beside the page
        frames: Frames = state["frames"]
        stamped = bool(frames.by_kind) and stamp_generated(frames, state["docs"], rel, text, meta, state["staging"])
    search: SearchIndexer = state["search"]
    analysis = None
    if search.needs_analysis(job.doc):  # the catalog's order is the search index's doc order
        analysis = pickle.dumps(search.analyze(cable or load(), entry.url), protocol=pickle.HIGHEST_PROTOCOL)
    return CablePageResult(rel, key, job.write, stamped, analysis)


class StampJob(NamedTuple):
    """Index pages written by this build, to stamp with their frames (see render/stamp.py)."""

    pages: tuple[str, ...]


class StampResult(NamedTuple):
    stamped: int  # pages stamped
    left: list[str]  # pages no frame fits: MkDocs renders them


STAMP_JOB_PAGES = 16  # index pages per stamping job (a cable page job is one page)


def _pass2_task(job: CablePageJob | StampJob) -> CablePageResult | StampResult:
    """A pass-2 job in a worker: a cable page, or the stamping of a few index pages."""
    if multiprocessing.parent_process() is not None:
        fault_point("pass2-worker")
    if isinstance(job, CablePageJob):
        return _cable_page_task(job)
    left = stamp_pages(_PASS2["frames"], _PASS2["docs"], _PASS2["staging"], job.pages)
    return StampResult(len(job.pages) - len(left), left)


def page_context(cable: Cable, context: dict[str, Any] | None) -> dict[str, Any]:
    """``cable_context`` from the page's ``link_context`` (tested equal): the reference texts
    are the cable's, with the links the link context resolved."""
    assert context is not None
    resolved = context["references"]
    references = [{"text": ref.text, "cable_id": ref.cable_id,
                   "url": resolved.get(ref.cable_id) if ref.cable_id and ref.cable_id != cable.id else None}
                  for ref in cable.references]
    return {**context, "references": references}


def cable_page_key(entry: CatalogEntry, digest: str, links: LinkIndex, chips: _ChipMemo) -> str:
    """A cable page's key: the hash of its cable's input and of what the page shows of the rest
    of the archive (``link_context``). Worked out without loading the cable, so that a rebuild
    can tell in the build process which pages to hand to the workers."""
    return page_key(digest, repr(link_context(entry, links, chips.taxonomy, chips)))


@dataclass
class _IndexStage:
    """What the index stage (run in a child process) hands back to the build."""

    written: list[str] = field(default_factory=list)  # index pages written anew
    count: int = 0  # index pages in all
    pages: dict[str, str] = field(default_factory=dict)  # manifest entries of the index pages
    lists: dict[str, str] = field(default_factory=dict)  # manifest entries of the index lists
    frames: Frames = field(default_factory=Frames)
    rendered: RenderResult = field(default_factory=RenderResult)
    seconds: dict[str, float] = field(default_factory=dict)

    @classmethod
    def combined(cls, shares: list[_IndexStage]) -> _IndexStage:
        """The index pages of all shares (before the frames are made)."""
        stage = cls()
        for share in shares:
            stage.written += share.written
            stage.count += share.count
            stage.pages.update(share.pages)
            stage.lists.update(share.lists)
            stage.seconds["write_indexes"] = max(stage.seconds.get("write_indexes", 0.0),
                                                 share.seconds.get("write_indexes", 0.0))
        return stage


class _Pass2:
    """Pass 2: a Markdown page per index page and per cable, written only when its inputs changed,
    and the search index fed.

    The index pages come first, so that the navigation pages exist when MkDocs makes the page
    frames; the cable pages are then made, stamped and analysed for search in worker processes
    while the main process keeps the books and merges the search postings in catalog order
    (deterministic). What is left to render afterwards (index pages, and pages no frame fits)
    is in ``unrendered``."""

    def __init__(self, catalog: list[CatalogEntry], digests: dict[str, str], signatures: dict[str, str],
                 store: CableStore, tables: SiteTables, docs: Path, site_name: str, previous: Manifest,
                 manifest: Manifest, report: BuildReport, work: Path, progress: bool, workers: int,
                 staging: Path, live_search: Path | None) -> None:
        self.catalog, self.digests, self.signatures = catalog, digests, signatures
        self.store, self.tables, self.docs, self.site_name = store, tables, docs, site_name
        self.previous, self.manifest, self.report = previous, manifest, report
        self.work, self.progress, self.workers = work, progress, workers
        self.staging, self.live_search = staging, live_search
        self.changed: list[str] = []  # Markdown pages written anew by this build
        self.unrendered: list[str] = []  # of which those still to be rendered after pass 2
        self.stamped = 0  # pages the workers stamped (cable pages as they were written, and index pages)
        self.frames = Frames()
        self.search_index: SearchIndexer | None = None

    def run(self, config_file: Path, fingerprint: str, reuse: bool, shard_size: int) -> RenderResult:
        """Write every page; returns what rendering the cable pages did so far."""
        self.store.flush()
        links = LinkIndex.build(self.catalog)
        taxonomy = Taxonomy.build(self.catalog, self.tables)
        self.report.notes.extend({"source": "indexes", "id": None, "message": m} for m in taxonomy.renamed)
        # In a child process: index pages and MkDocs leave a fragmented heap behind, which the
        # cable workers forked next would each count again (~20 MB each at 10,000 cables). Not
        # for a rebuild where so few cables changed that no workers will start: there the fork
        # would cost more than the stage.
        if reuse and self.report.parsed <= IN_PROCESS_FIRST:
            index = self._frames(self._index_share(taxonomy, (0, 1)), links, taxonomy, config_file, fingerprint,
                                 reuse)
        else:  # the index pages in shares, one per worker, then the frames
            parts = max(1, self.workers)
            shares = run_in_children([(self._index_share, (taxonomy, (number, parts))) for number in range(parts)])
            index = _IndexStage.combined(shares)
            index = run_in_child(self._frames, index, links, taxonomy, config_file, fingerprint, reuse)
        self.manifest.pages.update(index.pages)
        self.manifest.lists.update(index.lists)
        self.report.index_pages += index.count
        self.report.seconds.update(index.seconds)
        self.changed += index.written
        self.frames = index.frames
        mark = time.perf_counter()
        # The index pages a frame may fit are stamped by the cable workers after the cables, so
        # that no process waits for them at the end; the navigation pages the frames' MkDocs
        # run rendered stay in ``unrendered`` (``render_with_frames`` leaves them as they are).
        stampable = bool(self.frames.by_kind)
        navigation = set(nav_pages(config_file)) if stampable else set()
        to_stamp = [rel for rel in index.written if stampable and rel not in navigation]
        self.unrendered += [rel for rel in index.written if not stampable or rel in navigation]
        self._write_cable_pages(links, taxonomy, to_stamp)
        self.report.seconds["write_cables"] = time.perf_counter() - mark
        rendered = index.rendered
        rendered.pages += self.stamped
        rendered.stamped += self.stamped
        return rendered

    def _index_share(self, taxonomy: Taxonomy, part: tuple[int, int]) -> _IndexStage:
        """Write the index pages of share ``part`` (see ``build_index_pages``) whose text changed."""
        mark = time.perf_counter()
        stage = _IndexStage()
        manifest = Manifest(self.manifest.fingerprint)  # this stage's entries, handed back to the parent
        stage.written, stage.count = self._write_index_pages(taxonomy, manifest, part)
        stage.pages, stage.lists = manifest.pages, manifest.lists
        stage.seconds["write_indexes"] = time.perf_counter() - mark
        return stage

    def _frames(self, stage: _IndexStage, links: LinkIndex, taxonomy: Taxonomy, config_file: Path, fingerprint: str,
                reuse: bool) -> _IndexStage:
        """The page frames (see render/stamp.py), once the index pages are written."""
        mark = time.perf_counter()
        kinds: list[PageKind] = []
        if stamping_enabled():
            navigation = set(nav_pages(config_file))
            kinds = sorted(set(sample_kinds(self.docs, [rel for rel in stage.written if rel not in navigation]))
                           | set(self._cable_kinds(links, taxonomy)))
        stage.frames, stage.rendered = prepare_frames(config_file, self.docs, stage.written, kinds, self.staging,
                                                      self.work / "render", fingerprint, reuse)
        stage.seconds["frames"] = time.perf_counter() - mark
        return stage

    def _cable_kinds(self, links: LinkIndex, taxonomy: Taxonomy) -> list[PageKind]:
        """The kinds of cable pages (see render/stamp.py), from the first and last cable and the
        first undated one (whose page sits a folder higher): all cable pages are one of these."""
        samples = {id(e): e for e in (self.catalog[:1] + self.catalog[-1:]
                                       + [e for e in self.catalog if e.date is None][:1])}
        reader = CableStore(self.store.path, load_digests=False)  # a connection of this process's own
        kinds = []
        try:
            for entry in samples.values():
                data = reader.get(self.digests[entry.id])
                if data is None:  # pragma: no cover - the store was flushed above
                    continue
                cable: Cable = pickle.loads(data)
                text, _meta = cable_page(cable, entry.url, page_context(cable, link_context(entry, links, taxonomy)))
                body, meta = get_data(text)
                kind = kind_of(doc_path_for_url(entry.url), meta, body)
                if kind is not None:
                    kinds.append(kind)
        finally:
            reader.close()
        return kinds

    def _write_index_pages(self, taxonomy: Taxonomy, manifest: Manifest,
                           part: tuple[int, int] = (0, 1)) -> tuple[list[str], int]:
        """Write the index pages whose text changed; returns them, and how many index pages there are."""
        written: list[str] = []
        count = 0
        memo = _ListMemo(self.signatures, self.previous, manifest, self.docs)
        for page in build_index_pages(self.catalog, self.site_name, taxonomy=taxonomy, is_unchanged=memo, part=part):
            rel = doc_path_for_url(page.url)
            count += 1
            if page.unchanged:
                manifest.pages[rel] = self.previous.pages[rel]
                continue
            text = render_page(page.template, page.url, page.title, **page.context)
            key = page_key(text)  # an index page is cheap to make: its key is what it says
            manifest.pages[rel] = key
            if self.previous.pages.get(rel) != key or not (self.docs / rel).exists():
                write_file(self.docs, rel, text)
                written.append(rel)
        return written, count

    def _write_cable_pages(self, links: LinkIndex, taxonomy: Taxonomy, index_pages: list[str]) -> None:
        """The cable pages, and then the stamping of ``index_pages``, in the workers."""
        report, manifest = self.report, self.manifest
        # A search document's key: its cable, its position and its URL (what its postings and hit file hold).
        keys = [page_key(self.digests[entry.id], str(doc), entry.url) for doc, entry in enumerate(self.catalog)]
        reusable = self.previous.search_state and self.live_search is not None and self.live_search.is_dir()
        self.search_index = search_index = SearchIndexer(
            self.work / "search", self.catalog, keys=keys, state=self.work / self.manifest.search_state,
            previous_state=self.work / self.previous.search_state if reusable else None,
            previous_search=self.live_search if reusable else None, progress=chatter("search"),
            notice=lambda message: self.report.notes.append({"source": "search state", "id": None,
                                                              "message": message}))
        _PASS2.update(catalog=self.catalog, digests=self.digests, links=links, taxonomy=taxonomy, docs=self.docs,
                      previous=self.previous.pages, search=search_index, store_path=self.store.path,
                      frames=self.frames, staging=self.staging)
        ticker = Progress("write", total=len(self.catalog), enabled=self.progress)
        jobs = itertools.chain(self._cable_page_jobs(links, taxonomy),
                               (StampJob(tuple(index_pages[start:start + STAMP_JOB_PAGES]))
                                for start in range(0, len(index_pages), STAMP_JOB_PAGES)))
        doc = -1
        try:
            for result in ordered_map(_pass2_task, jobs, self.workers, chunksize=16,
                                      in_process_first=IN_PROCESS_FIRST, initializer=_init_pass2_worker,
                                      initargs=(dict(_PASS2),)):
                if isinstance(result, StampResult):
                    self.stamped += result.stamped
                    self.unrendered += result.left
                    continue
                doc += 1
                if doc == IN_PROCESS_FIRST + 8:
                    fault_point("pass2-merge")  # test hook: the workers are running
                manifest.pages[result.rel] = result.key
                if result.written:
                    self.changed.append(result.rel)
                    report.pages_written += 1
                    if result.stamped:
                        self.stamped += 1
                    else:
                        self.unrendered.append(result.rel)
                if result.analysis is None:
                    search_index.skip(doc)
                else:
                    search_index.merge(pickle.loads(result.analysis))
                report.built += 1
                ticker.step()
            ticker.close()
        finally:
            _PASS2.clear()
            _STORE_READERS.clear()

    def _cable_page_jobs(self, links: LinkIndex, taxonomy: Taxonomy) -> Iterator[CablePageJob | Done]:
        """Per cable, in catalog order: a job for the workers, or (a page whose key is as the last
        build left it, and whose search analysis the index has) its result, with no work."""
        previous, docs = self.previous.pages, self.docs
        search_index = self.search_index
        assert search_index is not None
        chips = _ChipMemo(taxonomy)
        for doc, entry in enumerate(self.catalog):
            rel = doc_path_for_url(entry.url)
            if rel not in previous:  # a page the last build did not make (all, in a clean build): the
                yield CablePageJob(doc, None, True)  # worker works its key out, in parallel
                continue
            key = cable_page_key(entry, self.digests[entry.id], links, chips)
            write = previous[rel] != key or not (docs / rel).exists()
            if write or search_index.needs_analysis(doc):
                yield CablePageJob(doc, key, write)
            else:
                yield Done(CablePageResult(rel, key, False, False, None))


class _ListMemo:
    """Which index lists are as the last build made them (``indexes.UnchangedCheck``).

    A list's pages are made of its cables' catalog entries (so a change to a cable's text alone
    leaves them be) and of the text standing for the rest of its pages: the hash of both is
    remembered per list in the manifest (which holds only for one build fingerprint). A list
    whose hash is unchanged and whose pages are all still there need not be made again."""

    def __init__(self, signatures: dict[str, str], previous: Manifest, manifest: Manifest, docs: Path) -> None:
        self.signatures, self.previous, self.manifest, self.docs = signatures, previous, manifest, docs

    def __call__(self, name: str, signature: str, entries: Sequence[CatalogEntry], urls: list[str]) -> bool:
        digest = hashlib.sha256(signature.encode("utf-8", "surrogatepass"))
        digest.update("".join(self.signatures[e.id] for e in entries).encode())
        self.manifest.lists[name] = value = digest.hexdigest()
        if self.previous.lists.get(name) != value:
            return False
        rels = [doc_path_for_url(url) for url in urls]
        return all(rel in self.previous.pages and (self.docs / rel).exists() for rel in rels)
