"""Rebuild bookkeeping: what the last build left that this one may reuse, and the new site's
taking the old one's place.

Owns the reuse decision (same fingerprint, a finished build, a site there), the index-list memo
(``ListMemo``: which index lists are as the last build made them), and the assembly and swap of
the site (a clean build's staging folder, or the live site's unchanged files linked beside the
new ones). The manifest itself is ``store.Manifest``; the file operations are ``publish.py``'s.
Makes no page and parses no cable."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from .. import publish
from ..integrity import fault_point
from ..lifecycle import check_interrupted, unfinished
from ..model import CatalogEntry
from ..store import Manifest, remove_db
from ..write.exports import removed_json
from ..write.paths import doc_path_for_url
from .safety import SITE_MARKER


def previous_build(work: Path, site_dir: Path, fingerprint: str, incremental: bool, keep_store: bool,
                   notes: list[str]) -> tuple[Manifest, bool]:
    """The last build's manifest and whether its work may be reused; when it may not, its pages
    are removed from the work folder (and its parsed cables too, unless they may still serve:
    their rows verify on their own, so they stay unless ``--clean`` or another fingerprint)."""
    manifest_path = work / "manifest.json"
    previous = Manifest.load(manifest_path) if incremental else Manifest()
    reuse = incremental and _reusable(work, site_dir, previous, fingerprint, notes)
    if not reuse:
        previous = Manifest()
        shutil.rmtree(work / "docs", ignore_errors=True)
        if (not incremental and not keep_store) or Manifest.load(manifest_path).fingerprint != fingerprint:
            remove_db(work / "cables.sqlite")  # its rows verify on their own: kept unless --clean or stale
    return previous, reuse


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


class ListMemo:
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


def assemble_site(site_dir: Path, staging: Path, assembled: Path, search_out: Path, previous: Manifest,
                  removed: list[str], stale_exports: list[str], install_search: Callable[[Path, Path], None],
                  reuse: bool) -> Path:
    """The complete new site, ready to swap in; returns its folder. In a rebuild: the live
    site's unchanged files (links) with the new ones moved over them, less the pages of removed
    cables; in a clean build: the staging folder, marked as a site cablesite built."""
    if reuse:
        gone = ({rel[: -len(".md")] + ".html" for rel in removed} | set(removed_json(removed))
                | set(stale_exports))
        publish.clone(site_dir, assembled, previous.site_files, gone)
        publish.move_into(staging, assembled)
        install_search(search_out / "search", assembled / "search")
        return assembled
    (search_out / "search").rename(staging / "search")
    (staging / SITE_MARKER).write_text("built by cablesite; this folder is replaced on every build\n")
    return staging


def swap_in(assembled: Path, site_dir: Path, work: Path, manifest: Manifest, previous: Manifest) -> None:
    """Record the new site's files in ``manifest`` and put the site in the old one's place, in
    one exchange (an interrupt up to here leaves the old site as it was)."""
    manifest.site_files = publish.record(assembled, previous.site_files)
    fault_point("before-swap")
    check_interrupted()  # an interrupt some library swallowed still stops the build here
    publish.swap_into_place(assembled, site_dir, work)
    fault_point("after-swap")
