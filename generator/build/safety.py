"""Where a build may write: the site folder's checks and the work folder's place.

Owns the refusal of an output folder whose replacement would destroy data that is not a
built site (``check_site_dir``), the marker that says a folder is one (``SITE_MARKER``) and
where the work folder of a site lies (``work_dir_for``). Touches no file itself."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

SITE_MARKER = ".cablesite"  # marks a folder as a site this tool built, so it may replace it


class UnsafeSiteDir(ValueError):
    """The output folder is not one cablesite may replace (it holds other data, or the sources)."""


def check_site_dir(site_dir: Path, sources: Iterable[Path]) -> None:
    """Refuse an output folder whose replacement would destroy data that is not a built site."""
    if site_dir.is_symlink():  # the swap would replace the link, or write through it: say so instead
        raise UnsafeSiteDir(f"the site folder {site_dir} is a symbolic link (to {os.readlink(site_dir)}); "
                            "give the folder itself as --site-dir")
    target = site_dir.resolve()
    if target == Path(target.anchor) or target == Path.home().resolve() or target == Path.cwd().resolve():
        raise UnsafeSiteDir(f"refusing to use {site_dir} as the site folder: it would be replaced whole")
    for source in sources:
        resolved = source.resolve()
        if resolved == target or target in resolved.parents:
            raise UnsafeSiteDir(f"the site folder {site_dir} holds the source {source}; choose another --site-dir")
    if target.is_file():
        raise UnsafeSiteDir(f"the site folder {site_dir} is a file")
    if target.is_dir() and any(target.iterdir()) and not (target / SITE_MARKER).exists():
        raise UnsafeSiteDir(f"{site_dir} exists, is not empty and was not built by cablesite; "
                            "remove it or choose another --site-dir")


def work_dir_for(site_dir: Path) -> Path:
    """The work folder of ``site_dir``: beside it, so that the swap stays on one file system."""
    return site_dir.parent / f".{site_dir.name}-build"
