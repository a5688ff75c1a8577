"""Parse: ``RawCable`` -> ``Cable``. Header fields from the lines above paragraph 1, the body
from the rest; fields a source states explicitly win over what the text says."""

from __future__ import annotations

import datetime as dt
import re

from ..model import Cable, RawCable
from .artifacts import clean_telegram
from .body import first_paragraph_start, is_artifact, parse_body
from .header import parse_header_lines
from .markings import overall_from_markings
from .officials import classified_by_in_text, names_of_classifier
from .posts import PostTable, active_posts
from .refblock import ref_field
from .references import parse_references
from .routing import parse_routing
from .signers import signer_names
from .starts import split_run_on_paragraph_one
from .summary import extract_summary
from .tags import MAX_TAGS, TagRules, read_tags

_MONTHS = {m: i for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1)}
_DTG = re.compile(r"\b(?P<day>\d{2})(?P<hh>\d{2})(?P<mm>\d{2})Z\s+(?P<mon>[A-Z]{3})\s+(?P<year>\d{2}|\d{4})\b", re.I)
_MIRROR_DATE = re.compile(r"^\s*[A-Z][a-z]+day, (\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2})\s*$", re.M)
_FM_LINE = re.compile(r"^\s*FM\s+(?P<who>.+?)\s*$", re.M)
_PRECEDENCE_TAIL = re.compile(r"\s+(?:IMMEDIATE|PRIORITY|ROUTINE|FLASH)\b.*$")
_REFERENCE_SEPARATORS = re.compile(r"[|;,\s]+")
_ID_YEAR = re.compile(r"^(\d{2})[A-Z]")
_ORIGIN_PREFIXES = (
    ("AMEMBASSY", "Embassy"), ("AMCONSUL", "Consulate"), ("USMISSION", "Mission"),
    ("USDEL", "Delegation"), ("AMEMB", "Embassy"),
)


class ParseError(ValueError):
    """The text cannot be read as a cable at all (reported, the cable is rejected)."""


def date_from_text(header: str, text: str) -> dt.datetime | None:
    """The date-time group of the routing header (``131134Z NOV 08``) or the mirror's date line."""
    for source in (header, text[:2000]):
        match = _DTG.search(source)
        if match and match.group("mon").upper() in _MONTHS:
            year = int(match.group("year"))
            year = year + (1900 if year >= 60 else 2000) if year < 100 else year
            try:
                return dt.datetime(year, _MONTHS[match.group("mon").upper()], int(match.group("day")),
                                   int(match.group("hh")), int(match.group("mm")))
            except ValueError:
                continue
    match = _MIRROR_DATE.search(text[:500])
    if match:
        try:
            return dt.datetime.strptime(match.group(1), "%d %B %Y, %H:%M")
        except ValueError:
            return None
    return None


def origin_from_header(header: str, posts: PostTable | None = None) -> str | None:
    """``FM AMEMBASSY ISLAMABAD`` -> ``Embassy Islamabad`` (post names from ``posts``, by default
    the shipped site_config's)."""
    match = _FM_LINE.search(header)
    if not match:
        return None
    who = _PRECEDENCE_TAIL.sub("", match.group("who").strip())
    if "/" in who:
        who = who.split("/", 1)[1]
    if who.upper().startswith("SECSTATE"):
        return "Secretary of State"
    for prefix, name in _ORIGIN_PREFIXES:
        if who.upper().startswith(prefix + " "):
            place = who[len(prefix):].strip()
            known = (posts or active_posts()).display_name(place)  # "BUENOSAIRES" -> "Embassy Buenos Aires"
            return known or f"{name} {place if place.startswith('US') else place.title()}"
    return who.title() or None


def parse_cable(raw: RawCable, tag_rules: TagRules | None = None, warnings: list[str] | None = None,
                posts: PostTable | None = None) -> Cable:
    """Build a Cable from a RawCable; explicit source fields take precedence over the text.

    What the parser takes from site_config/ is passed in, never set as a global: ``tag_rules``
    (the TAGS codes and corrections) lets TAGS run together be split and misspellings corrected
    (without it TAGS are read from their shape alone); ``posts`` (the posts table: how ids and
    origins spell a post) defaults to the shipped site_config's. What the parse
    had to repair (a TAGS line cut) is appended to ``warnings`` when the caller passes a list."""
    fields = raw.fields
    cable_id = str(fields.get("id") or "").strip()
    if not cable_id:
        raise ParseError("no cable id")
    lines = split_run_on_paragraph_one(clean_telegram(raw.text, cable_id))
    first = first_paragraph_start(lines)
    head_end = first.line if first else min(len(lines), 60)
    header = parse_header_lines(lines[:head_end])
    body_start = header.last_field_line + 1 if header.last_field_line >= 0 else 0
    if not first and header.last_field_line < 0:
        body_start = 0
    paragraphs, signature = parse_body(lines, body_start)
    date = fields.get("date")
    if isinstance(date, str):
        date = _parse_date_string(date)
    if date is None:
        date = date_from_text(raw.header, raw.text)
    markings = [p.classification for p in paragraphs if p.classification]
    classification = (fields.get("classification") or header.classification
                      or overall_from_markings(markings))
    stated = fields.get("tags")
    tag_list = read_tags(header.tags_text or "" if stated is None else ", ".join(stated), tag_rules)
    if tag_list.cut_from and warnings is not None:
        warnings.append(f"TAGS line of {tag_list.cut_from} entries; only the first {MAX_TAGS} are kept")
    year = date.year if date else _year_from_id(cable_id)
    if fields.get("references"):
        listed = _REFERENCE_SEPARATORS.split(" ".join(str(r) for r in fields["references"]))
        references = parse_references("; ".join(r for r in listed if r), year, cable_id, posts)
    else:
        ref_text = ref_field(lines[:head_end]) or header.ref_text
        references = parse_references(ref_text, year, cable_id, posts) if ref_text else []
    header_lines = [line for line in lines[:body_start] if line.strip() and not is_artifact(line)]
    routing = parse_routing(raw.header or "\n".join(lines[:body_start]))
    classified_by, reasons = header.classified_by, header.classification_reasons
    if classified_by is None and reasons is None and paragraphs:
        classified_by, reasons = classified_by_in_text(paragraphs[0].text)
    return Cable(
        id=cable_id,
        location=raw.location,
        date=date,
        classification=classification,
        origin=fields.get("origin") or origin_from_header(raw.header, posts),
        subject=fields.get("subject") or header.subject,
        subject_marking=header.subject_marking,
        tags=tag_list.tags,
        references=references,
        summary=fields.get("summary") or extract_summary(paragraphs),
        paragraphs=paragraphs,
        header="\n".join(part for part in (raw.header.strip(), "\n".join(header_lines)) if part),
        handling=header.handling,
        declassify_on=header.declassify_on,
        classified_by=list(names_of_classifier(classified_by)),
        classified_by_text=classified_by,
        classification_reasons=reasons,
        eo=header.eo,
        signature=signature,
        signed_by=signer_names(signature),
        source_kind=raw.kind,
        sender=routing.sender,
        recipients=routing.recipients,
        info=routing.info,
        dtg=routing.dtg,
        precedence=routing.precedence,
    )


def _parse_date_string(value: str) -> dt.datetime | None:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d",
                "%m/%d/%Y %H:%M", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
    raise ParseError(f"unparseable date {value!r}")


def _year_from_id(cable_id: str) -> int | None:
    match = _ID_YEAR.match(cable_id)
    if not match:
        return None
    year = int(match.group(1))
    return year + (1900 if year >= 60 else 2000)


__all__ = ["ParseError", "TagRules", "parse_cable"]
