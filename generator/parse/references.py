"""REF lines: split into entries and turn each cable reference into a canonical id.

Canonical ids follow the release: two-digit year, post in capitals with no spaces, number
without leading zeros (``05PARIS5459``, ``08STATE74879``). A reference without a year takes
the citing cable's year, which is how the State Department wrote them.

Entries are found by their letters (``A.``, ``B)``, ``(C)``, ``D:``, also doubled as in
``A. A)``), accepted only in alphabetical order so that a one-letter word is not taken for a
label. Inside an entry a cable is a post name (one to four capitalised words) followed by a
number, optionally preceded by a year (``05``, ``2005``, ``(05)``) or followed by one in
brackets (``DOHA 152 (08)``). Entries that are not cables (e-mails, OSC reports, intelligence
reports, messages cited by date-time group) keep their text and get no id.
"""

from __future__ import annotations

import re

from ..model import Reference

# Post names as they are abbreviated in REF lines, mapped to the spelling used in ids.
POST_ALIASES = {
    "SECSTATE": "STATE",
    "SECSTATE WASHDC": "STATE",
    "STATE WASHDC": "STATE",
    "SECSTATE WASHINGTON": "STATE",
    "DEPT": "STATE",
    "DEPTSTATE": "STATE",
    "RIO DE JAN": "RIODEJANEIRO",
    "RIO DE JANEIRO": "RIODEJANEIRO",
    "RIO": "RIODEJANEIRO",
    "USUN NEW YORK": "USUNNEWYORK",
    "USUN NY": "USUNNEWYORK",
    "USUN": "USUNNEWYORK",
    "US NATO": "USNATO",
    "USEU BRUSSELS": "USEUBRUSSELS",
    "USEU": "USEUBRUSSELS",
    "BUENOS AIR": "BUENOSAIRES",
    "PORT AU PR": "PORTAUPRINCE",
    "TEGUCIGALP": "TEGUCIGALPA",
    "MEXICO CITY": "MEXICO",
    "GUATEMALA CITY": "GUATEMALA",
    "PANAMA CITY": "PANAMA",
    "KUWAIT CITY": "KUWAIT",
    "HO CHI MINH CITY": "HOCHIMINHCITY",
    "HO CHI MINH": "HOCHIMINHCITY",
    "HCMC": "HOCHIMINHCITY",
    "UNVIE": "UNVIEVIENNA",
    "CASA": "CASABLANCA",
}

_MULTI_WORD_ALIASES = sorted((re.escape(k).replace("\\ ", r"\s+") for k in POST_ALIASES if " " in k),
                             key=len, reverse=True)

# Words that end a post name when reading backwards from the number: they belong to the
# sentence around the reference, not to the post.
_NOT_POST = {
    "A", "AN", "AND", "OR", "AS", "AT", "BY", "FROM", "FOR", "IN", "OF", "ON", "PER", "SEE", "TO", "WITH",
    "ALSO", "PREVIOUS", "PREVIOUSLY", "PRIOR", "NOTAL", "REF", "REFS", "REFTEL", "REFTELS", "CABLE",
    "CABLES", "TELEGRAM", "MSG", "MESSAGE", "EMBASSY", "EMBTEL", "DEPTEL", "AMEMBASSY", "AMCONSUL",
    "USMISSION", "CONSULATE", "MISSION", "DATED", "NO", "NUMBER", "PARA", "PARAS", "PARAGRAPH", "PAGE",
    "EXDIS", "NODIS", "LIMDIS", "SIPDIS", "NOFORN", "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY",
    "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER", "JAN", "FEB", "MAR",
    "APR", "JUN", "JUL", "AUG", "SEP", "SEPT", "OCT", "NOV", "DEC", "DAILY", "REPORT", "POINTS",
    "THE", "THIS", "THAT", "OTHERS",
}
_NON_CABLE = re.compile(
    r"@|\bE-?MAILS?\b|\bEMAIL|\bOSC\b|\bFBIS\b|\bMEMCONS?\b|\bTELCONS?\b|\bFAX\b|\bLETTER\b|\bPHONE\b"
    r"|\bWEBSITE\b|\bHTTP|\bWWW\.|\bDTG\b|\b\d{6}Z\b|\bIIR\b|\bTD-\d|\bSVTC\b|\bDVC\b|\bNON-?PAPER\b",
    re.I,
)
_WORD = re.compile(r"[A-Z][A-Z'\-]*")
_NUMBER = re.compile(r"(?<![\d/.\-])(?P<number>\d{1,7})(?![\w/\-]|\.\d)")
_YEAR_BEFORE = re.compile(r"(?:^|[\s(;,])\(?'?(?P<year>(?:19|20)\d\d|\d\d)\)?\s*$")
_YEAR_AFTER = re.compile(r"^\s*\((?P<year>(?:19|20)\d\d|\d\d)\)")
_GLUED_ID = re.compile(r"(?<![\w/])(?P<year>\d\d)(?P<post>[A-Z]{3,})(?P<number>\d{1,7})(?![\w/])")
_LABEL_MARK = r"\(?(?P<label>[A-Z])(?:\)|[.:](?=\s|\(|\d|$))"
_LABEL = re.compile(rf"(?:^|(?<=[\s;,.)]))(?:¶\s*)?{_LABEL_MARK}(?:\s*\(?(?P=label)(?:\)|[.:](?=\s|\(|\d|$)))?",
                    re.I)


_SPACES = re.compile(r"\s+")
_POST_JOINERS = re.compile(r"[\s'\-]")
_ENTRY_SEPARATOR = re.compile(r";|,(?=\s*\D)")
_LAST_WORD = re.compile(r"([A-Z][A-Z'\-]*)\s*$")
_NO_REFERENCE = re.compile(r"(?i)none|n/a|refs?|reftels?|\W+")
# The multi-word aliases, each as written at the end of the text before a number.
_ALIAS_AT_END = [re.compile(rf"(?:^|(?<=[\s(;,:]))({alias})\s*$") for alias in _MULTI_WORD_ALIASES]


def canonical_post(post: str) -> str:
    """``Sao Paulo`` -> ``SAOPAULO``, ``SECSTATE`` -> ``STATE``, ``RIO DE JAN`` -> ``RIODEJANEIRO``."""
    post = _SPACES.sub(" ", post.strip().upper().replace(".", ""))
    return POST_ALIASES.get(post, _POST_JOINERS.sub("", post))


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
    """Split ``A. 05 PARIS 5459 B. PARIS 1568`` into ``[('A', '05 PARIS 5459'), ('B', 'PARIS 1568')]``.

    Letters count as labels only in order (A, B, C ...), which keeps ``B`` in ``B.C.`` or the
    ``A`` of a sentence from splitting an entry.
    """
    text = _SPACES.sub(" ", ref_text.replace("¶", " ")).strip()
    labels: list[re.Match[str]] = []
    expected = None
    for match in _LABEL.finditer(text):
        letter = match.group("label").upper()
        if expected is None and letter == "A":
            expected = letter
        if letter == expected and (not labels or match.start() >= labels[-1].end()):
            labels.append(match)
            expected = chr(ord(letter) + 1)
    if not labels:
        return [(None, part) for part in _split_unlabelled(text)]
    entries: list[tuple[str | None, str]] = []
    lead = text[: labels[0].start()].strip(" ;,")
    if lead:
        entries.extend((None, part) for part in _split_unlabelled(lead))
    for index, match in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        entries.append((match.group("label").upper(), text[match.end():end].strip(" ;,")))
    return entries


def _split_unlabelled(text: str) -> list[str]:
    return [part.strip(" ;,") for part in _ENTRY_SEPARATOR.split(text) if part.strip(" ;,")]


def cable_ids_in(entry: str, default_year: int | None) -> list[tuple[str, int, int]]:
    """Canonical ids named in one entry, with the span of text each was read from."""
    upper = entry.upper()
    found: list[tuple[str, int, int]] = []
    for match in _GLUED_ID.finditer(upper):
        found.append((canonical_id(match.group("year"), match.group("post"), match.group("number"), None) or "",
                      match.start(), match.end()))
    if found:
        return found
    for match in _NUMBER.finditer(upper):
        post, post_start = _post_before(upper, match.start())
        if not post:
            continue
        year_match = _YEAR_BEFORE.search(upper[:post_start])
        start, year = post_start, None
        if year_match:
            year, start = year_match.group("year"), year_match.start("year")
        end = match.end()
        after = _YEAR_AFTER.match(upper[end:])
        if after and not year:
            year, end = after.group("year"), end + after.end()
        cable_id = canonical_id(year, post, match.group("number"), default_year)
        if cable_id:
            found.append((cable_id, start, end))
    return found


def _post_before(text: str, position: int) -> tuple[str | None, int]:
    """The post name written just before ``position``: up to four capitalised words."""
    head = text[:position]
    for alias_at_end in _ALIAS_AT_END:
        known = alias_at_end.search(head)
        if known:
            return known.group(1), known.start(1)
    words: list[str] = []
    start = position
    while len(words) < 4:
        match = _LAST_WORD.search(head)
        if not match or match.group(1) in _NOT_POST or (len(match.group(1)) < 2 and not words):
            break
        before = head[: match.start()]
        if before and not before[-1].isspace() and before[-1] not in "(;,:":
            break
        words.insert(0, match.group(1))
        start = match.start()
        head = before.rstrip()
        if head and head[-1] in ";,:()":
            break
    if not words:
        return None, position
    return " ".join(words), start


def parse_references(ref_text: str, cable_year: int | None, own_id: str | None) -> list[Reference]:
    """References from the text after ``REF:``; non-cable entries keep their text, no id.

    An entry naming several cables (``A. BRASILIA 1250 AND RECIFE 66``) gives one Reference per
    cable; the cable's own id is never kept as an id (it appears in page headers).
    """
    refs: list[Reference] = []
    for label, entry in split_entries(ref_text):
        if not entry or _NO_REFERENCE.fullmatch(entry):
            continue
        prefix = f"{label}. " if label else ""
        ids = [] if _NON_CABLE.search(entry) else cable_ids_in(entry, cable_year)
        seen: set[str] = set()
        ids = [(cid, s, e) for cid, s, e in ids if cid and cid != own_id and not (cid in seen or seen.add(cid))]
        if len(ids) <= 1:
            refs.append(Reference(text=prefix + entry, cable_id=ids[0][0] if ids else None, label=label))
            continue
        for cable_id, start, end in ids:
            refs.append(Reference(text=prefix + entry[start:end].strip(), cable_id=cable_id, label=label))
    return refs
