"""Duplicate cable ids, found while the parse pass streams the cables in input order.

Two copies of one cable (same id, same input) make one page. Two different cables with one id,
or two ids that differ only in case (``09BAKU179``, ``09baku179``), would make pages that
overwrite each other, on a case-insensitive file system or host (macOS, Windows, S3 tools that
fold case) if not here: the later copy is rejected with an error naming both ids and both
places.
"""

from __future__ import annotations

from typing import Any, Protocol

from .model import Problem, SourceLocation


class _Report(Protocol):
    """What of the build report this needs (``build.BuildReport``, without importing it)."""

    built: int
    notes: list[dict[str, Any]]

    def problem(self, problem: Problem) -> None: ...


class CableIds:
    """The ids admitted so far in a build, by their case-folded form (ids are ASCII: see
    ``write.paths.validate_id``), with the input hash and place of the copy admitted."""

    def __init__(self) -> None:
        self._admitted: dict[str, tuple[str, str, SourceLocation]] = {}

    def admit(self, cable_id: str, digest: str, location: SourceLocation, report: _Report) -> bool:
        """Whether this copy is to be built; the report learns why not. An identical copy
        counts as built: read = built + rejected, the copy is accounted for by its twin."""
        folded = cable_id.lower()
        first = self._admitted.get(folded)
        if first is None:
            self._admitted[folded] = (cable_id, digest, location)
            return True
        first_id, first_digest, first_location = first
        if first_id != cable_id:
            report.problem(Problem(location, f"id {cable_id} differs only in case from {first_id} at {first_location}: "
                                   "their pages would collide on case-insensitive hosts; this copy is not built",
                                   cable_id=cable_id))
        elif first_digest == digest:
            report.notes.append({"source": str(location), "id": cable_id,
                                 "message": f"identical copy of {first_location}; one page built"})
            report.built += 1
        else:
            report.problem(Problem(location, f"id {cable_id} also at {first_location}, with different content; "
                                   "this copy is not built", cable_id=cable_id))
        return False
