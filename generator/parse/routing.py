"""The telegram routing header: sender (FM), addressees (TO, INFO), date-time group, precedence.

Sources that keep the routing lines apart from the text (the CSV's header column, the
mirror's first ``<pre>``) hand them over as ``RawCable.header``; a native file may start with
them. Addressee lines carry the network's routing indicator (``RUEHC/SECSTATE WASHDC``) and
the precedence and serial number (``PRIORITY 2240``), which are dropped from the names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PRECEDENCE_LETTERS = {"Z": "FLASH", "O": "IMMEDIATE", "P": "PRIORITY", "R": "ROUTINE"}
_PRECEDENCE_WORDS = r"(?:FLASH|IMMEDIATE|PRIORITY|ROUTINE|NIACT\s+IMMEDIATE)"
# "P 030836Z SEP 06", "O 291359Z NOV 00": precedence letter and date-time group.
_DTG_LINE = re.compile(r"^\s*(?P<prec>[ZOPR])\s+(?P<dtg>\d{6}Z\s+[A-Z]{3}\s+\d{2,4})\b")
_DTG_ANYWHERE = re.compile(r"\b\d{6}Z\s+[A-Z]{3}\s+\d{2,4}\b", re.I)
_SECTION = re.compile(r"^\s*(?P<name>FM|FROM|TO|INFO)\b\s*:?\s*(?P<rest>.*)$")
_INDICATOR = re.compile(r"^[A-Z0-9]{5,8}/")
_PRECEDENCE_TAIL = re.compile(rf"\s+{_PRECEDENCE_WORDS}\b.*$")
_SERIAL = re.compile(r"\s+\d{1,6}\s*$")
_SPACES = re.compile(r"\s+")
_END = re.compile(r"^\s*(?:BT|NNNN|E\.?\s?O\.?\s*\d{5}|TAGS?\b|SUBJ|[A-Z] [A-Z] [A-Z]|"
                  r"(?:UNCLAS|CONFIDENTIAL|SECRET)\b)")


@dataclass
class Routing:
    sender: str | None = None
    recipients: list[str] = field(default_factory=list)
    info: list[str] = field(default_factory=list)
    dtg: str | None = None
    precedence: str | None = None


def addressee(line: str) -> str:
    """``RUEHC/SECSTATE WASHDC PRIORITY 2240`` -> ``SECSTATE WASHDC``."""
    text = line.strip()
    text = _INDICATOR.sub("", text)  # routing indicator
    text = _PRECEDENCE_TAIL.sub("", text)
    text = _SERIAL.sub("", text)  # serial number
    return _SPACES.sub(" ", text).strip()


def parse_routing(header: str) -> Routing:
    """Sender, addressees, DTG and precedence from the routing lines."""
    routing = Routing()
    current: list[str] | None = None
    for line in header.split("\n"):
        if not line.strip():
            current = None
            continue
        dtg = _DTG_LINE.match(line)
        if dtg and routing.dtg is None:
            routing.dtg = _SPACES.sub(" ", dtg.group("dtg"))
            routing.precedence = _PRECEDENCE_LETTERS[dtg.group("prec")]
            continue
        section = _SECTION.match(line)
        if section:
            name, rest = section.group("name"), section.group("rest")
            if name in ("FM", "FROM"):
                routing.sender = routing.sender or addressee(rest) or None
                current = None
                continue
            if name == "INFO" and not routing.recipients:
                current = None  # the distribution list of old telegrams ("INFO LOG-00 NP-00")
                continue
            current = routing.recipients if name == "TO" else routing.info
            line = rest
        elif _END.match(line):
            current = None
            continue
        if current is not None and line.strip():
            name = addressee(line)
            if name and name not in current:
                current.append(name)
    if routing.dtg is None:
        anywhere = _DTG_ANYWHERE.search(header)
        if anywhere:
            routing.dtg = _SPACES.sub(" ", anywhere.group()).upper()
    return routing


__all__ = ["Routing", "addressee", "parse_routing"]
