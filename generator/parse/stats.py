"""Per-field coverage of a parse run: how many cables have each field. Used by
``cablesite parse`` and by the test that keeps the parser from regressing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Cable

# A telegram page header anywhere in a paragraph, also after lines were joined.
PAGE_HEADER_ANYWHERE = re.compile(
    r"\bPAGE\s+\d{2,3}\s+[A-Z][A-Z ]*?\s+\d+\s+\d{2,3}\s+OF\s+\d{2,3}\s+\d{6}Z"
    r"|\b[A-Z]{3,}\s+0{2,}\d+\s+\d{3}\s+OF\s+\d{3}\b"
)

FIELDS = ("subject", "tags", "date", "classification", "origin", "references", "summary", "paragraphs")


@dataclass
class FieldStats:
    cables: int = 0
    present: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    page_header_paragraphs: int = 0

    def add(self, cable: Cable) -> None:
        self.cables += 1
        values = {
            "subject": cable.subject, "tags": cable.tags, "date": cable.date,
            "classification": cable.classification, "origin": cable.origin,
            "references": cable.reference_ids, "summary": cable.summary,
            "paragraphs": [p for p in cable.paragraphs if p.number is not None],
        }
        for name, value in values.items():
            if value:
                self.present[name] += 1
        for para in cable.paragraphs:
            if PAGE_HEADER_ANYWHERE.search(para.text):
                self.page_header_paragraphs += 1

    def share(self, name: str) -> float:
        return self.present[name] / self.cables if self.cables else 0.0

    def render(self) -> str:
        lines = [f"{self.cables} cables"]
        lines += [f"  {name:<15} {self.share(name):7.1%}  ({self.present[name]})" for name in FIELDS]
        lines.append(f"  paragraphs holding a telegram page header: {self.page_header_paragraphs}")
        return "\n".join(lines)
