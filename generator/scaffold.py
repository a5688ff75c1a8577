"""``cablesite new DIR``: a new archive project, as ``mkdocs new`` or ``hugo new site`` make one.

The project gets copies of what a publisher edits (mkdocs.yml and the site_config/ tables, from
the shipped defaults), an empty theme/ for overrides of single theme files, a content/ folder
with a note on the formats it accepts, a .gitignore and a README with the next commands.
Everything else (the theme's other files, the page templates) stays in the package, so that an
upgrade of cablesite reaches the project.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .project import CONFIG_NAME, TABLES, THEME, layered_files, shipped_root


class ScaffoldError(ValueError):
    """The folder cannot be made into a new project (it exists and is not empty)."""


CONTENT_NOTE = """\
Put the cables to publish in this folder (sub-folders are fine); `cablesite build` reads
everything below it. Files whose names start with a dot, and files of other kinds (this note,
images), are skipped.

Accepted formats:

- Text files (.txt, .md, .cable, .text): one cable each. Optional YAML front matter (id, date,
  classification, origin, subject, tags, references, summary) between --- lines, then the raw
  cable text. Whatever the front matter does not state is parsed from the text (TAGS:, SUBJECT:,
  REF: lines; numbered paragraphs such as "1. (C) ..."). A bare body works too: the id comes from
  the file name.
- cables.csv files (.csv): the layout of the 2010 release, 8 columns and no header row:
  sequence, created (MM/DD/YYYY HH:MM), reference id, origin, classification, references,
  header, body.
- Pages of the 2010 cablegate mirror (.html, .htm; cable/YYYY/MM/<ID>.html).

A file or row that cannot be read is reported with its file and line, and the rest is built.
"""

GITIGNORE = """\
# what cablesite build writes
site/
.*-build/
"""

README = """\
# {name}

An archive of diplomatic cables, published with cablesite (MkDocs + Material for MkDocs).

## Next steps

1. Put cables in `content/` (see `content/README` for the formats: text files, `cables.csv`,
   pages of the 2010 mirror).
2. Build and preview the site at http://127.0.0.1:8000/ (it rebuilds when a cable changes):

       cablesite serve

3. Build it for publishing into `site/`, a plain static site for any web server, and check its
   links:

       cablesite build
       cablesite check

`cablesite build FILES...` builds from other files or folders than `content/`;
`cablesite --help` lists the commands.

## What is here

| path | what |
| --- | --- |
| `content/` | the cables |
| `mkdocs.yml` | the site's name, navigation, colours: MkDocs' configuration |
| `site_config/` | tables you may edit: countries, TAGS codes, topics, settings (see its README) |
| `theme/` | your overrides of cablesite's theme, file by file (below) |

A file in `theme/` replaces the theme file of the same path that cablesite ships, e.g.
`theme/assets/stylesheets/cables.css` or `theme/main.html` (Material for MkDocs' `custom_dir`
overrides); the others stay cablesite's. The shipped theme's files are in the installed package,
below `generator/_defaults/theme/` (`pip show -f cablesite` lists them): copy one here to change it.

A file you delete from `site_config/` falls back to the table cablesite ships. Generated
files (`site/`, `.site-build/`) are not to be committed.
"""


def new_project(target: Path) -> list[Path]:
    """Make the project folder ``target``; returns the files written. Refuses a non-empty folder."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} already exists and is not empty; choose a new folder name")
    shipped = shipped_root()
    written: list[Path] = []

    def write(rel: str, text: str) -> None:
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    target.mkdir(parents=True, exist_ok=True)
    write(CONFIG_NAME, (shipped / CONFIG_NAME).read_text(encoding="utf-8"))
    for rel, origin in layered_files(TABLES, None).items():
        path = target / TABLES / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(origin, path)
        written.append(path)
    (target / THEME).mkdir()
    write("content/README", CONTENT_NOTE)
    write(".gitignore", GITIGNORE)
    write("README.md", README.format(name=target.resolve().name))
    return written
