"""Plain data passed between the pipeline stages.

Stages talk only through these classes: sources produce ``RawCable``, parse turns it into a
``Cable``, enrich fills in countries, topics and links, and the writers read it. Keeping them
as dataclasses (no behaviour beyond conversions) is what lets a stage be replaced, cached or
run in another process without the others noticing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .title import cable_title


@dataclass(frozen=True)
class SourceLocation:
    """Where a cable came from, precise enough for a user to open the file at the right spot."""

    path: str
    line: int | None = None  # 1-based line in a text file
    row: int | None = None  # 1-based record number in a CSV file

    def __str__(self) -> str:
        if self.row is not None:
            return f"{self.path}: row {self.row}" + (f" (line {self.line})" if self.line is not None else "")
        if self.line is not None:
            return f"{self.path}:{self.line}"
        return self.path


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input; the build reports it and carries on with the rest."""

    location: SourceLocation
    message: str
    cable_id: str | None = None
    fatal: bool = True  # True: the cable is rejected; False: it is built with a warning

    def __str__(self) -> str:
        who = f" [{self.cable_id}]" if self.cable_id else ""
        return f"{self.location}{who}: {self.message}"


@dataclass
class RawCable:
    """A cable as a source found it: its text plus whatever fields the source states.

    ``fields`` holds only what the source says explicitly (front matter, CSV columns, the
    mirror's metadata table); everything else is left for the parser to find in ``text``.
    """

    text: str
    location: SourceLocation
    kind: str  # "native", "csv" or "mirror"
    fields: dict[str, Any] = field(default_factory=dict)
    header: str = ""  # telegram routing lines kept apart by the source (CSV column 7)


@dataclass
class Reference:
    """One entry of a cable's REF line."""

    text: str  # as written, e.g. "A. 05 PARIS 5459"
    cable_id: str | None = None  # canonical id such as "05PARIS5459"; None when not a cable
    label: str | None = None  # "A", "B", ... when the REF line letters its entries


@dataclass
class Mention:
    """A country named in the text, tied to the paragraph that names it."""

    country: str  # ISO 3166-1 alpha-2
    anchor: str  # paragraph anchor, e.g. "par17"
    words: list[str] = field(default_factory=list)  # the forms found, e.g. ["Turkish"]


@dataclass
class Span:
    """A stretch of a paragraph's text the page shows apart: ``text[start:end]``.

    Kinds: "redaction" (a run of X's the release put in place of a name), "comment" and
    "note" (the drafter's ``Comment: ... End Comment.`` and ``Note: ... End Note.``).
    """

    kind: str
    start: int
    end: int


@dataclass
class Paragraph:
    """A block of the cable body.

    ``number`` is the cable's own paragraph number (None for unnumbered blocks such as
    headings or text between paragraphs); ``anchor`` is unique within the cable and stable
    across builds.
    """

    number: int | None
    anchor: str
    text: str
    classification: str | None = None  # the marking as written, normalised: "C", "S/NF"
    kind: str = "paragraph"  # "paragraph", "heading", "text"
    countries: list[str] = field(default_factory=list)
    callout: str | None = None  # "comment" or "note" when the whole block is one
    spans: list[Span] = field(default_factory=list)  # redactions, inline comments and notes


@dataclass
class Cable:
    """A parsed cable: header fields, body paragraphs and what enrichment adds."""

    id: str
    location: SourceLocation
    date: dt.datetime | None = None
    classification: str | None = None
    origin: str | None = None
    subject: str | None = None
    subject_marking: str | None = None
    tags: list[str] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    summary: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    header: str = ""  # telegram routing and header lines, shown apart from the body
    handling: list[str] = field(default_factory=list)  # SIPDIS, NOFORN, ...
    declassify_on: str | None = None
    classified_by: list[str] = field(default_factory=list)  # names only: ["Clifford Sobel"]
    signature: str | None = None  # the signer's line as written: "JONES/SMITH"
    countries: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    source_kind: str = "native"
    classification_reasons: str | None = None  # "1.4 (b) and (d)", from the Classified By line
    classified_by_text: str | None = None  # the official as written, title too: "Ambassador Clifford Sobel"
    signed_by: list[str] = field(default_factory=list)  # the signers' names: ["JONES", "SMITH"]
    eo: str | None = None  # executive order of the E.O. line, e.g. "12958"
    sender: str | None = None  # routing header FM line, e.g. "AMEMBASSY ISLAMABAD"
    recipients: list[str] = field(default_factory=list)  # routing header TO addressees
    info: list[str] = field(default_factory=list)  # routing header INFO addressees
    dtg: str | None = None  # date-time group as written, e.g. "131134Z NOV 08"
    precedence: str | None = None  # IMMEDIATE, PRIORITY, ROUTINE, FLASH

    @property
    def title(self) -> str:
        """What the cable is called on its page, in lists and in search (generator/title.py)."""
        return cable_title(self.subject, self.id, self.summary, self.paragraphs)

    @property
    def reference_ids(self) -> list[str]:
        """Canonical ids of the references that name cables, in order, without repeats."""
        seen: dict[str, None] = {}
        for ref in self.references:
            if ref.cable_id and ref.cable_id != self.id:
                seen.setdefault(ref.cable_id, None)
        return list(seen)

    def to_json(self) -> dict[str, Any]:
        """The `cablesite parse --json` object (contract in DESIGN.md)."""
        return {
            "id": self.id,
            "date": self.date.date().isoformat() if self.date else None,
            "datetime": self.date.isoformat(timespec="minutes") if self.date else None,
            "classification": self.classification,
            "origin": self.origin,
            "subject": self.subject,
            "tags": list(self.tags),
            "references": self.reference_ids,
            "reference_texts": [{"text": r.text, "cable_id": r.cable_id, "label": r.label} for r in self.references],
            "summary": self.summary,
            "countries": list(self.countries),
            "topics": list(self.topics),
            "handling": list(self.handling),
            "declassify_on": self.declassify_on,
            "classified_by": list(self.classified_by),
            "classified_by_text": self.classified_by_text,
            "signed_by": list(self.signed_by),
            "signature": list(self.signed_by),  # the same list as signed_by, under its older key
            "classification_reasons": self.classification_reasons,
            "eo": self.eo,
            "routing": {"from": self.sender, "to": list(self.recipients), "info": list(self.info),
                        "dtg": self.dtg, "precedence": self.precedence},
            "source": str(self.location),
            "paragraphs": [
                {
                    "number": p.number,
                    "anchor": p.anchor,
                    "classification": p.classification,
                    "kind": p.kind,
                    "text": p.text,
                    "countries": list(p.countries),
                    "callout": p.callout,
                    "spans": [{"kind": s.kind, "start": s.start, "end": s.end} for s in p.spans],
                }
                for p in self.paragraphs
            ],
        }


@dataclass(slots=True)
class CatalogEntry:
    """What index pages and cross-links need to know of a cable: small, kept for all cables.

    The whole archive's catalog stays in the build process's memory; full cables are streamed
    and never held all at once. Slots, not an instance dict: 120 of the 2,790 bytes an entry
    took (2,000 synthetic cables, tracemalloc); ``build.catalog.SharedStrings`` saves more.
    """

    id: str
    url: str
    date: dt.datetime | None
    subject: str | None
    origin: str | None
    classification: str | None
    tags: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    reference_ids: list[str] = field(default_factory=list)
    # ISO code -> anchors of the paragraphs naming that country: what country pages link to
    country_paragraphs: dict[str, list[str]] = field(default_factory=dict)
    title: str = ""  # Cable.title, kept: lists and "cited by" show it without the cable's text

    def __post_init__(self) -> None:
        if not self.title:
            self.title = cable_title(self.subject, self.id)

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.date.isoformat() if self.date else "9999", self.id)

    @classmethod
    def of(cls, cable: Cable, url: str) -> CatalogEntry:
        return cls(id=cable.id, url=url, date=cable.date, subject=cable.subject, origin=cable.origin,
                   classification=cable.classification, tags=list(cable.tags),
                   countries=list(cable.countries), topics=list(cable.topics),
                   reference_ids=cable.reference_ids, country_paragraphs=paragraphs_by_country(cable),
                   title=cable.title)


def paragraphs_by_country(cable: Cable) -> dict[str, list[str]]:
    """Anchors of the paragraphs that mention each country, in text order."""
    anchors: dict[str, list[str]] = {}
    for mention in cable.mentions:
        anchors.setdefault(mention.country, []).append(mention.anchor)
    return anchors
