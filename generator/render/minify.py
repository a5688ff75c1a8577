"""The theme's own JavaScript, published minified (issue 17, byte budgets of search).

The scripts of the shipped theme (``theme/assets/javascripts/*.js``: the search box, its engine,
the stemmer, the reader) are written readable, with comments that explain the engine; a reader
of the site needs none of that, and the engine is fetched with the first query. Every MkDocs run
of a build (the frame site, the shards, ``cablesite serve``, a Dask worker) goes through
``render_site`` and therefore the tool's ``on_files`` hook (hooks.py), which hands MkDocs the
minified bytes of those scripts instead of the files: the site gets them, the theme folder keeps
the sources, and one input always gives the same bytes (rjsmin is deterministic), so an
incremental build stays identical to a clean one.

Only the theme's own scripts: a file is minified when it is copied from the build's theme folder
(not from the docs folder, which may shadow it) and its path is one the shipped theme has. A
project's override of one of them is minified too (it takes that script's place in every page);
Material's files (already minified) and any other file a project adds are copied as they are.

A failure to minify is not fatal: the file is published unminified, with a warning naming it.
The unminified file behaves exactly as the minified one, so the site stays correct and only
heavier; a build is not lost over bytes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from ..project import THEME, shipped_root

SCRIPTS = PurePosixPath("assets/javascripts")  # where the theme's scripts are, in the theme and the site
log = logging.getLogger("mkdocs.plugins.cablesite.minify")  # under "mkdocs": shown as MkDocs' warnings

Minifier = Callable[[bytes], bytes]


def shipped_scripts() -> frozenset[str]:
    """The site paths of the shipped theme's scripts (``assets/javascripts/search.js``, ...)."""
    folder = shipped_root() / THEME / SCRIPTS
    return frozenset(str(SCRIPTS / path.name) for path in folder.glob("*.js"))


def jsmin(source: bytes) -> bytes:
    """rjsmin's minification (comments and needless white space out; no renaming, so the names
    the scripts share through ``window`` stay as they are)."""
    import rjsmin  # imported here: a missing install becomes the warning of ``minify_file``

    return rjsmin.jsmin(source)


def is_theme_script(file: Any, theme_dir: str | None, scripts: frozenset[str]) -> bool:
    """Whether a MkDocs ``File`` is one of the theme's scripts copied from the theme folder."""
    if theme_dir is None or file.src_uri not in scripts or not file.abs_src_path:
        return False
    return Path(os.path.abspath(file.abs_src_path)).is_relative_to(os.path.abspath(theme_dir))


def minify_file(file: Any, minifier: Minifier = jsmin) -> bool:
    """Give a MkDocs ``File`` its minified content (MkDocs then writes that instead of copying the
    file). On any failure, the file is left as it is and a warning names it. True if minified."""
    origin = Path(file.abs_src_path).resolve()  # the real file, not the build's link to it
    try:
        minified = minifier(file.content_bytes)
    except Exception as err:  # any failure of the minifier (or its absence): publish the source
        log.warning("%s: not minified (%s: %s); the site gets the file as it is", origin, type(err).__name__, err)
        return False
    file.content_bytes = minified
    return True


def minify_theme_scripts(files: Iterable[Any], theme_dir: str | None, minifier: Minifier = jsmin) -> int:
    """Minify, in place, the theme's scripts among MkDocs' ``files``; the number minified."""
    scripts = shipped_scripts()
    return sum(minify_file(file, minifier) for file in files if is_theme_script(file, theme_dir, scripts))
