"""File names and URLs derived from data we did not write.

A cable id or post name ends up in a file name, so it is validated here before any use: a
hostile or broken value is refused with a clear reason instead of becoming a path outside the
output folder or a name the file system rejects.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from pathlib import Path

from ..model import Cable

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,149}$")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


class UnsafeName(ValueError):
    """A value that cannot safely become part of a file name."""


def validate_id(cable_id: str) -> str:
    """Return the id if it is safe as a file name; raise UnsafeName saying why otherwise."""
    if not cable_id or not cable_id.strip():
        raise UnsafeName("empty cable id")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in cable_id):
        raise UnsafeName(f"cable id {cable_id!r} contains control characters")
    if "/" in cable_id or "\\" in cable_id:
        raise UnsafeName(f"cable id {cable_id!r} contains a path separator")
    if ".." in cable_id:
        raise UnsafeName(f"cable id {cable_id!r} contains '..'")
    if not _SAFE_ID.match(cable_id):
        raise UnsafeName(
            f"cable id {cable_id!r} may hold only letters, digits, '.', '_' and '-', start with a letter "
            "or digit, and be at most 150 characters")
    if cable_id.split(".")[0].upper() in _WINDOWS_RESERVED:
        raise UnsafeName(f"cable id {cable_id!r} is a reserved file name")
    return cable_id


def slugify(value: str, fallback: str = "x") -> str:
    """A lower-case ASCII slug: ``Embassy Ankara`` -> ``embassy-ankara``."""
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:80].strip("-") or fallback


def cable_url(cable_id: str, year: int | None, month: int | None) -> str:
    """Site URL of a cable page, the 2010 mirror's scheme: ``cable/YYYY/MM/<ID>.html``."""
    validate_id(cable_id)
    if year is None or month is None:
        return f"cable/undated/{cable_id}.html"
    return f"cable/{year:04d}/{month:02d}/{cable_id}.html"


def url_of(cable: Cable) -> str:
    return cable_url(cable.id, cable.date.year if cable.date else None, cable.date.month if cable.date else None)


def doc_path_for_url(url: str) -> str:
    """The Markdown source path MkDocs turns into ``url`` (``use_directory_urls: false``)."""
    return url[: -len(".html")] + ".md" if url.endswith(".html") else url


def relative_url(from_url: str, to_url: str) -> str:
    """Link from one page to another that works under any sub-path of the host.

    Both URLs are site-relative paths without ``..``. Called for every link of every page, so
    it works on strings: up to the site root, then down to the target (a target in the same
    folder is just its file name)."""
    to_path, _, fragment = to_url.partition("#")
    base, _, name = from_url.rpartition("/")
    if not to_path:
        rel = name
    elif base and to_path.startswith(base + "/") and "/" not in to_path[len(base) + 1:]:
        rel = to_path[len(base) + 1:]
    elif not base and "/" not in to_path:
        rel = to_path
    else:
        rel = "../" * from_url.count("/") + to_path
    return rel + (f"#{fragment}" if fragment else "")


def safe_join(root: Path, relative: str) -> Path:
    """``root / relative``, refusing anything that would land outside ``root``.

    Checked on the path's text (absolute, ``..``, empty parts, NUL), not by resolving it on
    disk: the build writes hundreds of thousands of files and none of its folders are links."""
    parts = relative.replace("\\", "/").split("/")
    if (not relative or relative.startswith("/") or posixpath.isabs(relative) or "\0" in relative
            or any(part in ("", ".", "..") for part in parts)):
        raise UnsafeName(f"path {relative!r} would be written outside {root}")
    return root.joinpath(*parts)
