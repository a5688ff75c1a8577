"""The page pass's first half: the index pages (home, browse lists, taxonomy pages) and the
page frames MkDocs renders for stamping.

Owns the writing of index pages whose text changed (through ``rebuild.ListMemo``, lists whose
cables' entries are unchanged are not even made) and the choice of page kinds to frame. Runs in
the build process (``IndexStage`` is what comes back); writes only Markdown under ``docs`` and
the frames' output under the work folder, never the site folder or the manifest it is handed
(its entries go back in the ``IndexStage``)."""

from __future__ import annotations

import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.utils.meta import get_data

from ..enrich.links import Links
from ..indexes import build_index_pages
from ..indexes.taxonomy import Taxonomy
from ..model import Cable
from ..render.pages import RenderResult, prepare_frames, stamping_enabled
from ..render.shards import nav_pages
from ..render.stamp import Frames, PageKind, kind_of, sample_kinds
from ..store import CableStore, Manifest, page_key
from ..write.markdown import cable_page, render_page
from ..write.paths import doc_path_for_url
from .cable_pages import write_file
from .catalog import Catalog
from .contexts import link_context, page_context
from .rebuild import ListMemo


@dataclass
class IndexStage:
    """What the index stage hands back to the page pass."""

    written: list[str] = field(default_factory=list)  # index pages written anew
    count: int = 0  # index pages in all
    pages: dict[str, str] = field(default_factory=dict)  # manifest entries of the index pages
    lists: dict[str, str] = field(default_factory=dict)  # manifest entries of the index lists
    frames: Frames = field(default_factory=Frames)
    rendered: RenderResult = field(default_factory=RenderResult)
    seconds: dict[str, float] = field(default_factory=dict)

    @classmethod
    def combined(cls, shares: list[IndexStage]) -> IndexStage:
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


class IndexPages:
    """The index pages of one build and its page frames."""

    def __init__(self, catalog: Catalog, store_path: Path, docs: Path, site_name: str, previous: Manifest,
                 fingerprint: str, work: Path, staging: Path) -> None:
        self.catalog, self.store_path, self.docs, self.site_name = catalog, store_path, docs, site_name
        self.previous, self.fingerprint, self.work, self.staging = previous, fingerprint, work, staging

    def share(self, taxonomy: Taxonomy, part: tuple[int, int]) -> IndexStage:
        """Write the index pages of share ``part`` (see ``build_index_pages``) whose text changed."""
        mark = time.perf_counter()
        stage = IndexStage()
        manifest = Manifest(self.fingerprint)  # this stage's entries, handed back to the parent
        stage.written, stage.count = self._write(taxonomy, manifest, part)
        stage.pages, stage.lists = manifest.pages, manifest.lists
        stage.seconds["write_indexes"] = time.perf_counter() - mark
        return stage

    def frames(self, stage: IndexStage, links: Links, taxonomy: Taxonomy, config_file: Path, fingerprint: str,
               reuse: bool) -> IndexStage:
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

    def _cable_kinds(self, links: Links, taxonomy: Taxonomy) -> list[PageKind]:
        """The kinds of cable pages (see render/stamp.py), from the first and last cable and the
        first undated one (whose page sits a folder higher): all cable pages are one of these."""
        catalog = self.catalog.entries
        samples = {id(e): e for e in (catalog[:1] + catalog[-1:] + [e for e in catalog if e.date is None][:1])}
        reader = CableStore(self.store_path, load_digests=False)  # a connection of this process's own
        kinds = []
        try:
            for entry in samples.values():
                data = reader.get(self.catalog.digests[entry.id])
                if data is None:  # pragma: no cover - the store was flushed before the page pass
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

    def _write(self, taxonomy: Taxonomy, manifest: Manifest, part: tuple[int, int] = (0, 1)) -> tuple[list[str], int]:
        """Write the index pages whose text changed; returns them, and how many index pages there are."""
        written: list[str] = []
        count = 0
        memo = ListMemo(self.catalog.signatures, self.previous, manifest, self.docs)
        for page in build_index_pages(self.catalog.entries, self.site_name, taxonomy=taxonomy, is_unchanged=memo,
                                      part=part):
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
