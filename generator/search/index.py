"""The search index: written by the build as cables stream past, read by the browser in pieces.

Why purpose-built: at Cablegate's 251,287 cables Pagefind needs far more memory than a build
machine has and SQLite over HTTP reads megabytes a query (figures in issue 5). Here a query
reads the one small file (``meta.json``) that maps terms to shards, one term shard of about
16 KB per word, and one small JSON file per hit shown; nothing grows with the archive except
the number of files.

Postings are per cable, not per paragraph: (doc, slot of the first paragraph holding the term,
score). The browser downloads the hit's paragraphs anyway to show a snippet, and picks there
the paragraph holding most of the query's words; this keeps the postings a third smaller
than paragraph postings. Each term keeps its ``cap`` best-scoring cables; a common word's
list is cut, which the browser shows as "at least N" when it counts.

Memory is bounded: postings are gathered for a batch of cables, cut to the cap per term
(the global best ``cap`` of a term are among the union of each batch's best ``cap``),
sorted and spilled to a run file; the runs are merged term by term at the end.
"""

from __future__ import annotations

import heapq
import json
import os
import pickle
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from ..model import Cable, CatalogEntry
from .encode import encode_doc_set, encode_term_entry, gzipped
from .tokens import tokenize

FORMAT_VERSION = 1
DEFAULT_CAP = 2000  # cables kept per term: about 6 KB of postings at most
SHARD_BYTES = 16_000  # a term shard is cut once it holds this much
BATCH_POSTINGS = 400_000  # postings held in memory before a spill (~25 MB)
SUBJECT_WEIGHT = 3  # a word in the subject counts as three in the body
DOCS_PER_FOLDER = 1000
FACETS = ("origin", "classification", "country", "topic")

# BM25 term-frequency part with a fixed reference length: the average is not known while
# streaming, and a constant keeps scores independent of the order cables arrive in.
K1 = 1.2
B = 0.75
REFERENCE_LENGTH = 500
SCORE_BITS = 255
_TIE_DOC = (1 << 32) - 1  # doc ids are stored inverted in sort keys: low ids win ties


def _length_norm(length: int) -> float:
    return K1 * (1 - B + B * length / REFERENCE_LENGTH)


def term_score(tf: int, length: int) -> int:
    """BM25's saturating tf part tf*(k1+1)/(tf+norm), divided by its bound k1+1, scaled to 1..255."""
    return min(SCORE_BITS, int(tf * SCORE_BITS / (tf + _length_norm(length)) + 0.5)) or 1


def _pack(score: int, doc: int, slot: int) -> int:
    """One int per posting (a tuple costs three times the memory); sorts by score, then low doc."""
    return (score << 48) | ((_TIE_DOC - doc) << 16) | min(slot, 0xFFFF)


def _unpack(key: int) -> tuple[int, int, int]:
    return _TIE_DOC - ((key >> 16) & _TIE_DOC), key & 0xFFFF, key >> 48


def _stderr(message: str) -> None:
    print(f"search: {message}", file=sys.stderr, flush=True)


@dataclass
class CableAnalysis:
    """What one cable contributes to the index: (term, packed posting) pairs and facet values."""

    doc: int
    postings: list[tuple[str, int]]
    facets: dict[str, list[str]]


class SearchIndexer:
    """Feed it every cable once (``add``), then ``write`` the index into a site folder."""

    def __init__(self, work: Path, catalog: list[CatalogEntry], cap: int = DEFAULT_CAP,
                 batch_postings: int = BATCH_POSTINGS, progress: Callable[[str], None] | None = _stderr,
                 progress_every: int = 25_000) -> None:
        """``catalog`` sorted as the site lists cables (date, id): its order gives doc ids."""
        if work.exists():
            shutil.rmtree(work)
        self.work = work
        self.docs_dir = work / "out" / "d"
        self.docs_dir.mkdir(parents=True)
        self.catalog = catalog
        self.doc_of = {entry.id: number for number, entry in enumerate(catalog)}
        self.cap = cap
        self.batch_postings = batch_postings
        self.progress = progress or (lambda message: None)
        self.progress_every = progress_every
        self.batch: dict[str, list[int]] = {}
        self.batch_size = 0
        self.runs: list[Path] = []
        self.facets: dict[str, dict[str, list[int]]] = {name: {} for name in FACETS}
        self.added = 0

    def add(self, cable: Cable, url: str) -> None:
        """Index one cable and write its hit file (metadata and paragraphs, for snippets)."""
        self.merge(self.analyze(cable, url))

    def analyze(self, cable: Cable, url: str) -> CableAnalysis:
        """The per-cable part of ``add``: postings, facet values and the hit file.

        It changes nothing in the indexer, so the build runs it in worker processes (on a
        forked copy) and only ``merge`` runs in the main process."""
        doc = self.doc_of[cable.id]
        self._write_doc(doc, cable, url)
        facets = {"origin": [cable.origin], "classification": [cable.classification],
                  "country": cable.countries, "topic": cable.topics}
        return CableAnalysis(doc, self._postings(doc, cable),
                             {facet: list(dict.fromkeys(v for v in found if v)) for facet, found in facets.items()})

    def merge(self, analysis: CableAnalysis) -> None:
        """Add one analysed cable to the in-memory batch; spill the batch to disk when full."""
        batch = self.batch
        for term, posting in analysis.postings:
            postings = batch.get(term)
            if postings is None:
                batch[term] = postings = []
            postings.append(posting)
        self.batch_size += len(analysis.postings)  # a cable names a term once: a term's df is its postings count
        for facet, values in analysis.facets.items():
            for value in values:
                self.facets[facet].setdefault(value, []).append(analysis.doc)
        self.added += 1
        if self.added % self.progress_every == 0:
            self.progress(f"indexed {self.added:,} of {len(self.catalog):,} cables")
        if self.batch_size >= self.batch_postings:
            self._spill()

    def _postings(self, doc: int, cable: Cable) -> list[tuple[str, int]]:
        slots = [tokenize(" ".join(filter(None, (cable.subject, cable.id, " ".join(cable.tags)))))]
        slots += [tokenize(p.text) for p in cable.paragraphs]
        counts: Counter[str] = Counter()
        for number, tokens in enumerate(slots):
            counts.update(tokens * SUBJECT_WEIGHT if number == 0 else tokens)
        first_slot: dict[str, int] = {}
        for number in range(len(slots) - 1, -1, -1):  # backwards: the first slot holding a term wins
            first_slot.update(dict.fromkeys(slots[number], number))
        norm = _length_norm(sum(len(tokens) for tokens in slots))
        doc_bits = (_TIE_DOC - doc) << 16
        if len(slots) > 0xFFFF:  # slots are stored in 16 bits (see _pack); never so in real cables
            first_slot = {term: min(slot, 0xFFFF) for term, slot in first_slot.items()}
        postings = []
        for term, tf in counts.items():  # the hot loop of the build: term_score and _pack inlined
            score = int(tf * SCORE_BITS / (tf + norm) + 0.5)
            postings.append((term, ((score if score <= SCORE_BITS else SCORE_BITS) or 1) << 48
                             | doc_bits | first_slot[term]))
        return postings

    def doc_file(self, doc: int) -> str:
        """Path of a cable's hit file inside the ``search`` folder."""
        return f"d/{doc // DOCS_PER_FOLDER}/{doc}.json.gz"

    def reuse(self, doc: int, previous_search: Path) -> bool:
        """Take an unchanged cable's hit file (``doc``) from the previous site (a hard link)
        instead of analysing it again; False when that file is not there."""
        old = previous_search / self.doc_file(doc)
        new = self.docs_dir.parent / self.doc_file(doc)
        new.parent.mkdir(exist_ok=True)
        try:
            os.link(old, new)
        except FileExistsError:
            return True
        except OSError:
            return False
        return True

    def _write_doc(self, doc: int, cable: Cable, url: str) -> None:
        record = {"i": cable.id, "s": cable.subject or "", "d": cable.date.date().isoformat() if cable.date else "",
                  "o": cable.origin or "", "c": cable.classification or "", "u": url,
                  "p": [[p.anchor, p.text] for p in cable.paragraphs]}
        path = self.docs_dir.parent / self.doc_file(doc)
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(gzipped(_json_bytes(record)))

    def _spill(self) -> None:
        """Cut each term to its best ``cap`` postings and write the batch, sorted by term, to a run."""
        if not self.batch:
            return
        path = self.work / f"run{len(self.runs):04d}.pickle"
        with path.open("wb") as run:
            chunk: list[tuple[str, int, list[int]]] = []
            for term in sorted(self.batch):
                postings = self.batch[term]
                df = len(postings)
                if df > self.cap:
                    postings = heapq.nlargest(self.cap, postings)
                chunk.append((term, df, postings))
                if len(chunk) >= 20_000:
                    pickle.dump(chunk, run, protocol=pickle.HIGHEST_PROTOCOL)
                    chunk = []
            if chunk:
                pickle.dump(chunk, run, protocol=pickle.HIGHEST_PROTOCOL)
        self.runs.append(path)
        self.batch = {}
        self.batch_size = 0

    def _merged_terms(self) -> Iterator[tuple[str, int, list[tuple[int, int, int]]]]:
        """(term, df, postings sorted by doc) in term order, merged over all runs."""
        merged = heapq.merge(*(_read_run(path) for path in self.runs), key=lambda item: item[0])
        for term, group in groupby(merged, key=lambda item: item[0]):
            df = 0
            postings: list[int] = []
            for _, run_df, run_postings in group:
                df += run_df
                postings += run_postings
            if len(postings) > self.cap:
                postings = heapq.nlargest(self.cap, postings)
            doc_mask = _TIE_DOC
            yield term, df, sorted([(_TIE_DOC - ((key >> 16) & doc_mask), key & 0xFFFF, key >> 48) for key in postings])

    def write(self, site_dir: Path) -> dict[str, int]:
        """Write ``search/`` into ``site_dir``: term shards, doc sets, hit files and meta.json."""
        if self.added != len(self.catalog):
            raise ValueError(f"search index saw {self.added} cables, the catalog holds {len(self.catalog)}")
        self._spill()
        out = self.work / "out"
        self.progress(f"merging {len(self.runs)} run(s) into term shards")
        boundaries, terms, shard_bytes = self._write_shards(out / "t")
        facets = self._write_facets(out / "f")
        meta = {"version": FORMAT_VERSION, "docs": len(self.catalog), "cap": self.cap, "shards": boundaries,
                "folder": DOCS_PER_FOLDER, "years": self._years(), "facets": facets}
        (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        target = site_dir / "search"
        if target.exists():
            shutil.rmtree(target)
        out.rename(target)
        for run in self.runs:
            run.unlink()
        self.progress(f"{terms:,} terms in {len(boundaries):,} shards ({shard_bytes / 1e6:.1f} MB)")
        return {"terms": terms, "shards": len(boundaries), "shard_bytes": shard_bytes}

    def _write_shards(self, folder: Path) -> tuple[list[str], int, int]:
        folder.mkdir(parents=True)
        boundaries: list[str] = []
        parts: list[bytes] = []
        size = total = terms = 0
        previous = b""

        def flush() -> None:
            nonlocal parts, size, total, previous
            (folder / f"{len(boundaries) - 1}.bin.gz").write_bytes(gzipped(b"".join(parts)))
            total += size
            parts, size, previous = [], 0, b""

        for term, df, postings in self._merged_terms():
            if not parts:
                boundaries.append(term)
            encoded = term.encode("utf-8")
            entry = encode_term_entry(previous, encoded, df, postings)
            parts.append(entry)
            size += len(entry)
            previous = encoded
            terms += 1
            if size >= SHARD_BYTES:
                flush()
        if parts:
            flush()
        return boundaries, terms, total

    def _write_facets(self, folder: Path) -> dict[str, list[list[str | int]]]:
        """One doc-set file per facet value; meta lists [label, count] in label order."""
        listing: dict[str, list[list[str | int]]] = {}
        for facet, values in self.facets.items():
            listing[facet] = []
            (folder / facet).mkdir(parents=True)
            for number, (label, docs) in enumerate(sorted(values.items())):
                docs.sort()
                (folder / facet / f"{number}.bin").write_bytes(encode_doc_set(docs, len(self.catalog)))
                listing[facet].append([label, len(docs)])
        return listing

    def _years(self) -> list[list[int]]:
        """[year, first doc, end doc): the docs are sorted by date, so a year is a range of ids."""
        years: list[list[int]] = []
        for number, entry in enumerate(self.catalog):
            if entry.date is None:
                continue
            if years and years[-1][0] == entry.date.year:
                years[-1][2] = number + 1
            else:
                years.append([entry.date.year, number, number + 1])
        return years


def _json_bytes(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _read_run(path: Path) -> Iterator[tuple[str, int, list[int]]]:
    with path.open("rb") as run:
        while True:
            try:
                yield from pickle.load(run)
            except EOFError:
                return
