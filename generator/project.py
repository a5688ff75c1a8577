"""Where a project's files come from: the project folder first, else the defaults the package ships.

A project is a folder that may hold ``mkdocs.yml``, ``theme/`` and ``site_config/``; any of them,
file by file, overrides the default the package ships (a project's ``theme/main.html`` replaces
the shipped ``theme/main.html`` and leaves the other theme files alone; its
``site_config/countries.csv`` replaces the shipped table). A folder with none of them builds
with the defaults alone. ``resolve`` is the one rule for that, used for the configuration, the
theme and the tables alike.

The shipped defaults are this repository's top-level ``mkdocs.yml``, ``theme/`` and
``site_config/``: in a wheel ``setup.py`` copies them into the package (``generator/_defaults``);
in a checkout (an editable install) they are read where they are. MkDocs wants one
configuration file and one theme folder, so each build gets an *effective project* in its work
folder: a ``mkdocs.yml`` that inherits the project's (MkDocs' ``INHERIT``) with the paths MkDocs
would resolve against that file made to work from anywhere, and a ``theme/`` of links to the
resolved theme files.
"""

from __future__ import annotations

import functools
import importlib.resources
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CONFIG_NAME = "mkdocs.yml"
THEME = "theme"
TABLES = "site_config"
SHIPPED_IN_PACKAGE = "_defaults"  # where setup.py puts the defaults inside a built package
CONFIG_ENV = "CABLESITE_CONFIG_DIR"  # a site_config/ folder to use instead of the project's


class ProjectError(ValueError):
    """A project file that cannot be used as it stands; the message names the file (and line)."""


@functools.cache
def shipped_root() -> Path:
    """The folder holding the shipped ``mkdocs.yml``, ``theme/`` and ``site_config/``."""
    package = Path(str(importlib.resources.files("generator")))
    for root in (package / SHIPPED_IN_PACKAGE, package.parent):
        if (root / CONFIG_NAME).is_file() and (root / THEME).is_dir() and (root / TABLES).is_dir():
            return root
    raise ProjectError(f"the defaults shipped with cablesite are missing from {package}; reinstall cablesite")


def resolve(folder: str, name: str, overlay: Path | None) -> Path:
    """The one rule for every project file: ``overlay/name`` (the project's own folder of that
    kind) when it exists, else the default the package ships in ``folder`` ("" for the top)."""
    if overlay is not None:
        own = overlay / name
        if own.exists():
            return own
    return shipped_root() / folder / name


def _files_below(folder: Path) -> Iterator[str]:
    """Relative POSIX paths of the files below ``folder``, hidden ones and caches left out."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            yield rel.as_posix()


def layered_files(folder: str, overlay: Path | None) -> dict[str, Path]:
    """Every file of the shipped ``folder`` and of ``overlay``, by relative path, each resolved."""
    names = set(_files_below(shipped_root() / folder))
    if overlay is not None:
        names.update(_files_below(overlay))
    return {name: resolve(folder, name, overlay) for name in sorted(names)}


def tables_overlay(project_root: Path) -> Path:
    """The folder whose tables override the shipped ones: ``CABLESITE_CONFIG_DIR`` when set, else
    the project's ``site_config/``."""
    return Path(os.environ.get(CONFIG_ENV) or project_root / TABLES)


# -- reading mkdocs.yml -------------------------------------------------------------------------

class PermissiveLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even when it uses MkDocs' ``!ENV``, ``!relative`` or ``!!python/name`` tags
    (their values read as None: only plain keys such as ``nav``, ``theme`` and ``hooks`` are used)."""


PermissiveLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config_data(path: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data, ``INHERIT`` followed as MkDocs does (the child's keys win, maps
    merged). A YAML error is a ``ProjectError`` naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProjectError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ProjectError(f"{path}: cannot be read: {err}") from None
    try:
        data = yaml.load(text, Loader=PermissiveLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ProjectError(f"{where}: not valid YAML: {err.problem or err.context}") from None
    except yaml.YAMLError as err:
        raise ProjectError(f"{path}: not valid YAML: {err}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ProjectError(f"{path}:1: a MkDocs configuration is a mapping of settings (site_name: ..., theme: ...)")
    parent = data.pop("INHERIT", None)
    if isinstance(parent, str):
        return _merged(read_config_data((path.parent / parent).resolve()), data)
    return data


def _merged(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged = dict(parent)
    for key, value in child.items():
        old = merged.get(key)
        merged[key] = _merged(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return merged


def line_of_key(path: Path, key: str) -> int | None:
    """The line of a top-level key in a YAML file (for messages), or None."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=PermissiveLoader)
    except (OSError, yaml.YAMLError):
        return None
    if isinstance(node, yaml.MappingNode):
        for name, _value in node.value:
            if getattr(name, "value", None) == key:
                return name.start_mark.line + 1
    return None


# -- the effective project of a build -------------------------------------------------------------

@dataclass(frozen=True)
class PreparedProject:
    root: Path  # the project folder
    source_config: Path  # the project's mkdocs.yml, or the shipped one
    config: Path  # the effective mkdocs.yml in the work folder: what MkDocs is run with
    tables: Path  # the folder whose tables override the shipped ones (see ``tables_overlay``)


def project_config(project_root: Path) -> Path:
    """The project's mkdocs.yml, or the shipped one when the project has none."""
    return resolve("", CONFIG_NAME, project_root)


def prepare_project(config_file: Path, target: Path) -> PreparedProject:
    """Write the effective project for a build into ``target`` (replaced whole).

    ``config_file`` is where the project's mkdocs.yml is or would be: its folder is the project;
    when the file is absent the shipped one is used. Raises ``ProjectError`` for a configuration
    that MkDocs would refuse, naming the file and line."""
    root = config_file.parent.resolve()
    source = config_file.resolve() if config_file.exists() else project_config(root)
    data = read_config_data(source)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    _link_tree(layered_files(THEME, root / THEME), target / THEME)
    overlay = tables_overlay(root)
    _link_tree(layered_files(TABLES, overlay), target / TABLES)
    effective = target / CONFIG_NAME
    effective.write_text(_effective_config(source, data, target), encoding="utf-8")
    validate_config(effective, source, target)
    return PreparedProject(root, source, effective, overlay)


def _link_tree(files: dict[str, Path], target: Path) -> None:
    """``target/rel`` for each file: a symbolic link to it (so that MkDocs' and Jinja's messages
    lead back to the real file), else a copy."""
    for rel, origin in files.items():
        link = target / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        try:
            link.symlink_to(origin.resolve())
        except OSError:
            shutil.copy2(origin, link)


def _effective_config(source: Path, data: dict[str, Any], target: Path) -> str:
    """The effective mkdocs.yml: the project's, inherited, with its theme folder and hooks made to
    work from the work folder (MkDocs resolves both against the file it loads)."""
    theme = data.get("theme")
    theme_override: dict[str, Any] = {"custom_dir": THEME}
    if isinstance(theme, str):
        theme_override["name"] = theme
    elif theme is None:
        theme_override["name"] = "mkdocs"  # MkDocs' own default
    hooks = [str((source.parent / hook).resolve()) for hook in data.get("hooks") or [] if isinstance(hook, str)]
    body = {"INHERIT": os.path.relpath(source, target), "theme": theme_override, "hooks": hooks}
    header = ("# Written by cablesite for one build: the project's configuration (INHERIT) with its theme\n"
              "# folder and hooks made to work from here. Edit the project's mkdocs.yml, not this file.\n")
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)


def validate_config(effective: Path, source: Path, work: Path) -> None:
    """Load the effective configuration as MkDocs will, and turn its complaints into one
    ``ProjectError`` naming the project's mkdocs.yml and the line of the setting."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import ConfigurationError

    config = MkDocsConfig(config_file_path=str(effective))
    try:
        with effective.open("rb") as handle:
            config.load_file(handle)
    except ConfigurationError as err:
        raise ProjectError(f"{source}: {err}") from None
    work = work.resolve()  # MkDocs takes relative paths as relative to the configuration file
    config.load_dict({"docs_dir": str(work / THEME), "site_dir": str(work / "site-check")})
    errors, _warnings = config.validate()
    if errors:
        name, error = errors[0]
        line = line_of_key(source, name)
        where = f"{source}:{line}" if line else str(source)
        raise ProjectError(f"{where}: setting {name!r}: {error}")


def origin_of(path: Path) -> Path:
    """The real file behind a file of the effective project (a link's target), for messages."""
    return path.resolve() if path.is_symlink() else path
