"""The build driver: runs the stages in order and keeps the books.

sources -> parse -> enrich -> (catalog) -> indexes -> write -> render. Parsed cables are
streamed to a spool file in the work folder and read back once the catalog (ids, dates,
references) is complete, so that cross-links can be written without holding every cable in
memory. The site folder is replaced only when MkDocs has succeeded.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .enrich import enrich_cable
from .enrich.config import load_tables
from .enrich.links import LinkIndex
from .indexes import build_index_pages
from .indexes.taxonomy import Taxonomy
from .model import Cable, CatalogEntry, Problem, RawCable, SourceLocation
from .parse import ParseError, parse_cable
from .render import render_site
from .search import SearchIndexer
from .sources import read_sources
from .write.markdown import render_cable, render_page
from .write.paths import UnsafeName, doc_path_for_url, relative_url, safe_join, url_of, validate_id


@dataclass
class BuildReport:
    read: int = 0
    built: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    pages_written: int = 0
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
            "pages_written": self.pages_written, "index_pages": self.index_pages,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()}, "site_dir": self.site_dir,
        }


LARGE_CABLE_BYTES = 1_000_000  # the largest real Cablegate cables are well under this
SITE_MARKER = ".cablesite"  # marks a folder as a site this tool built, so it may replace it


class UnsafeSiteDir(ValueError):
    """The output folder is not one cablesite may replace (it holds other data, or the sources)."""


def check_site_dir(site_dir: Path, sources: Iterable[Path]) -> None:
    """Refuse an output folder whose replacement would destroy data that is not a built site."""
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


def _content_hash(raw: RawCable) -> str:
    digest = hashlib.sha256()
    digest.update(raw.text.encode("utf-8", "surrogatepass"))
    digest.update(json.dumps(raw.fields, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def parse_stream(items: Iterable[RawCable | Problem], report: BuildReport) -> Iterator[Cable]:
    """Parsed cables with their problems recorded; duplicates resolved by content."""
    seen: dict[str, tuple[str, SourceLocation]] = {}
    for item in items:
        if isinstance(item, Problem):
            if item.fatal:
                report.read += 1
            report.problem(item)
            continue
        report.read += 1
        cable_id = str(item.fields.get("id") or "")
        if len(item.text) > LARGE_CABLE_BYTES:
            report.problem(Problem(item.location, f"unusually large cable ({len(item.text) / 1e6:.1f} MB of text); "
                                   "built, check that it is one cable", cable_id=cable_id or None, fatal=False))
        try:
            validate_id(cable_id)
            cable = parse_cable(item)
        except (UnsafeName, ParseError) as err:
            report.problem(Problem(item.location, str(err), cable_id=cable_id or None))
            continue
        digest = _content_hash(item)
        if cable.id in seen:
            first_digest, first_location = seen[cable.id]
            if first_digest == digest:
                report.notes.append({"source": str(item.location), "id": cable.id,
                                     "message": f"identical copy of {first_location}; one page built"})
                report.built += 1  # read = built + rejected: the copy is accounted for by its twin page
                continue
            report.problem(Problem(item.location, f"same id as {first_location} but different content; "
                                   "this copy is not built", cable_id=cable.id))
            continue
        seen[cable.id] = (digest, item.location)
        yield cable


def write_file(root: Path, relative: str, text: str) -> None:
    target = safe_join(root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def cable_context(cable: Cable, url: str, links: LinkIndex, taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """What a cable page shows of the rest of the archive: references and neighbours as links
    relative to the page; chips (countries, topics, tags, origin, classification) as site URLs,
    which the template's ``chip`` makes relative."""
    def entry_link(cable_id: str) -> dict[str, Any] | None:
        entry = links.resolve(cable_id)
        if entry is None:
            return None
        return {"id": entry.id, "subject": entry.subject, "url": relative_url(url, entry.url)}

    references = []
    for ref in cable.references:
        target = links.resolve(ref.cable_id) if ref.cable_id and ref.cable_id != cable.id else None
        references.append({"text": ref.text, "cable_id": ref.cable_id,
                           "url": relative_url(url, target.url) if target else None})
    return {
        "references": references,
        "cited_by": [e for e in (entry_link(i) for i in links.cited_by.get(cable.id, [])) if e],
        "previous": entry_link(links.previous_by_origin.get(cable.id, "")),
        "next": entry_link(links.next_by_origin.get(cable.id, "")),
        **taxonomy_links(cable, taxonomy),
    }


def taxonomy_links(cable: Cable, taxonomy: Taxonomy | None) -> dict[str, Any]:
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


def work_dir_for(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}-build"


def build(sources: list[Path], site_dir: Path, config_file: Path, site_name: str = "Cable archive",
          progress: Any = None) -> BuildReport:
    """Build the site for ``sources`` into ``site_dir``; returns what was read, built, rejected."""
    report = BuildReport(site_dir=str(site_dir))
    check_site_dir(site_dir, sources)
    work = work_dir_for(site_dir)
    docs = work / "docs"
    spool_path = work / "cables.pickle"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    started = time.perf_counter()
    catalog: list[CatalogEntry] = []
    with spool_path.open("wb") as spool:
        for cable in parse_stream(read_sources(sources), report):
            enrich_cable(cable)
            url = url_of(cable)
            catalog.append(CatalogEntry.of(cable, url))
            pickle.dump(cable, spool, protocol=pickle.HIGHEST_PROTOCOL)
    report.seconds["read_parse"] = time.perf_counter() - started

    mark = time.perf_counter()
    catalog.sort(key=lambda e: e.sort_key)
    links = LinkIndex.build(catalog)
    taxonomy = Taxonomy.build(catalog, load_tables())
    report.notes.extend({"source": "indexes", "id": None, "message": m} for m in taxonomy.renamed)
    search_index = SearchIndexer(work / "search", catalog)
    with spool_path.open("rb") as spool:
        while True:
            try:
                cable = pickle.load(spool)
            except EOFError:
                break
            url = url_of(cable)
            context = cable_context(cable, url, links, taxonomy)
            write_file(docs, doc_path_for_url(url), render_cable(cable, url, context))
            search_index.add(cable, url)
            report.built += 1
            report.pages_written += 1
    spool_path.unlink()
    report.seconds["write_cables"] = time.perf_counter() - mark
    mark_indexes = time.perf_counter()
    for page in build_index_pages(catalog, site_name, taxonomy=taxonomy):
        write_file(docs, doc_path_for_url(page.url), render_page(page.template, page.url, page.title, **page.context))
        report.index_pages += 1
    report.seconds["write_indexes"] = time.perf_counter() - mark_indexes
    report.seconds["write"] = time.perf_counter() - mark

    mark = time.perf_counter()
    staging = work / "site"
    if staging.exists():
        shutil.rmtree(staging)
    render_site(config_file, docs, staging)
    search_index.write(staging)
    (staging / SITE_MARKER).write_text("built by cablesite; this folder is replaced on every build\n")
    report.seconds["render"] = time.perf_counter() - mark
    swap_into_place(staging, site_dir, work)
    report.seconds["total"] = time.perf_counter() - started
    (work / "build-report.json").write_text(json.dumps(report.to_json(), indent=2, sort_keys=True) + "\n")
    return report


def swap_into_place(staging: Path, site_dir: Path, work: Path) -> None:
    """Replace ``site_dir`` with the freshly built ``staging`` folder in two renames."""
    old = work / "site-old"
    if old.exists():
        shutil.rmtree(old)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    if old.exists():
        shutil.rmtree(old)
