"""The build report: counts, problems and timings one build gathers (``build-report.json``).

Owns ``BuildReport`` and nothing else. Every stage writes into it; it depends on no stage, so
any module of the build may import it (and it may import nothing of the build)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Problem


@dataclass
class BuildReport:
    read: int = 0
    built: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    parsed: int = 0  # cables parsed anew (the others came from the work store)
    pages_written: int = 0  # Markdown pages written anew (all of them in a clean build)
    pages_rendered: int = 0  # pages rendered (in an incremental build: only the changed ones)
    pages_stamped: int = 0  # of which filled into a page frame MkDocs rendered (see render/stamp.py)
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
            "parsed": self.parsed, "pages_written": self.pages_written, "pages_rendered": self.pages_rendered,
            "pages_stamped": self.pages_stamped,
            "index_pages": self.index_pages,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()}, "site_dir": self.site_dir,
        }
