"""REF lines: split into entries and turn each cable reference into a canonical id.

Canonical ids follow the release: two-digit year, post in capitals with no spaces, number
without leading zeros (``05PARIS5459``, ``08STATE74879``). A reference without a year takes
the citing cable's year, which is how the State Department wrote them.
"""

from __future__ import annotations

import re

from ..model import Reference

# Post names as they are abbreviated in REF lines, mapped to the spelling used in ids.
POST_ALIASES = {
    "SECSTATE": "STATE",
    "SECSTATE WASHDC": "STATE",
    "STATE DEPT": "STATE",
    "RIO DE JAN": "RIODEJANEIRO",
    "RIO DE JANEIRO": "RIODEJANEIRO",
    "RIO": "RIODEJANEIRO",
    "USUN NEW YORK": "USUNNEWYORK",
    "USUN": "USUNNEWYORK",
    "US NATO": "USNATO",
    "USEU BRUSSELS": "USEUBRUSSELS",
    "USEU": "USEUBRUSSELS",
    "BUENOS AIRES": "BUENOSAIRES",
    "SAO PAULO": "SAOPAULO",
    "NEW DELHI": "NEWDELHI",
    "TEL AVIV": "TELAVIV",
    "ABU DHABI": "ABUDHABI",
    "KUALA LUMPUR": "KUALALUMPUR",
    "MEXICO CITY": "MEXICO",
    "HONG KONG": "HONGKONG",
    "PORT AU PRINCE": "PORTAUPRINCE",
    "ADDIS ABABA": "ADDISABABA",
    "DAR ES SALAAM": "DARESSALAAM",
    "SAN JOSE": "SANJOSE",
    "SAN SALVADOR": "SANSALVADOR",
    "SANTO DOMINGO": "SANTODOMINGO",
    "GUATEMALA CITY": "GUATEMALA",
    "PANAMA CITY": "PANAMA",
    "KUWAIT CITY": "KUWAIT",
    "HO CHI MINH CITY": "HOCHIMINHCITY",
    "HCMC": "HOCHIMINHCITY",
    "THE HAGUE": "THEHAGUE",
    "UNVIE VIENNA": "UNVIEVIENNA",
    "UNVIE": "UNVIEVIENNA",
    "USOSCE": "USOSCE",
}

_NON_CABLE = re.compile(
    r"@|\bE-?MAIL\b|\bOSC\b|\bFBIS\b|\bMEMCON\b|\bTELCON\b|\bFAX\b|\bLETTER\b|\bPHONE\b|\bWEBSITE\b"
    r"|\bHTTP|\bDTG\b|\b\d{6}Z\b|\bIIR\b|\bSTATE\s*CABLE\s*OF\b",
    re.I,
)
# An entry: optional year (2 or 4 digits), post (words), number.
_ENTRY = re.compile(
    r"(?<![A-Z0-9])(?:(?P<year>(?:19|20)\d\d|\d\d)\s+)?(?P<post>[A-Z][A-Z .'-]*?[A-Z])\s*(?:NO\.?\s*)?"
    r"(?P<number>\d{1,7})(?![\d/])"
)
_LABEL = re.compile(r"(?:^|\s|;|,)\(?(?P<label>[A-Z])[.)]\s+")


def canonical_post(post: str) -> str:
    post = re.sub(r"\s+", " ", post.strip().upper().replace(".", ""))
    return POST_ALIASES.get(post, post.replace(" ", "").replace("'", "").replace("-", ""))


def canonical_id(year: str | None, post: str, number: str, default_year: int | None) -> str | None:
    """``('05', 'PARIS', '05459', None)`` -> ``'05PARIS5459'``; None without any year."""
    if year:
        yy = year[-2:]
    elif default_year is not None:
        yy = f"{default_year % 100:02d}"
    else:
        return None
    return f"{yy}{canonical_post(post)}{int(number)}"


def split_entries(ref_text: str) -> list[tuple[str | None, str]]:
    """Split ``A. 05 PARIS 5459 B. PARIS 1568`` into labelled entries."""
    text = re.sub(r"\s+", " ", ref_text).strip()
    matches = list(_LABEL.finditer(text))
    if len(matches) < 1:
        parts = [p.strip() for p in re.split(r";|\bAND\b|,(?=\s*(?:\d\d\s+)?[A-Z]{3,}\s+\d)", text) if p.strip()]
        return [(None, part) for part in parts]
    entries: list[tuple[str | None, str]] = []
    lead = text[: matches[0].start()].strip(" ;,")
    if lead:
        entries.append((None, lead))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        entries.append((match.group("label"), text[match.end():end].strip(" ;,")))
    return entries


def parse_references(ref_text: str, cable_year: int | None, own_id: str | None) -> list[Reference]:
    """References from the text after ``REF:``; non-cable entries keep their text, no id."""
    refs: list[Reference] = []
    for label, entry in split_entries(ref_text):
        if not entry:
            continue
        cable_id = None
        if not _NON_CABLE.search(entry):
            match = _ENTRY.search(entry.upper())
            if match and not re.fullmatch(r"[A-Z]", match.group("post")):
                cable_id = canonical_id(match.group("year"), match.group("post"), match.group("number"), cable_year)
        if cable_id and own_id and cable_id == own_id:
            cable_id = None
        refs.append(Reference(text=(f"{label}. " if label else "") + entry, cable_id=cable_id, label=label))
    return refs
