"""Build hook: the wheel ships this repository's top-level mkdocs.yml, theme/ and site_config/ as
the package's defaults (``generator/_defaults``), so that an installed cablesite builds from any
folder. They are not copied in the source tree (one committed copy of each); an editable install
reads them where they are (see generator/project.py). Everything else is in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
DEFAULTS = ("mkdocs.yml", "theme", "site_config")
TARGET = Path("generator") / "_defaults"


class build_py_with_defaults(build_py):
    """build_py, then the shipped defaults copied into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the top-level folders themselves
        target = Path(self.build_lib) / TARGET
        if target.exists():
            shutil.rmtree(target)
        for name in DEFAULTS:
            source = HERE / name
            if not source.exists():
                raise FileNotFoundError(f"{source}: a shipped default is missing from the source tree")
            if source.is_dir():
                shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", ".*"))
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": build_py_with_defaults})
