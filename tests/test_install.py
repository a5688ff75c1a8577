"""The tool as a user gets it: the wheel built from this tree, installed (not editable) into a
fresh virtual environment, run in folders that have nothing of this checkout.

One wheel and one environment serve the module (pip installs the dependencies from the index
configured on the machine). The checks look at what only a working install can produce: the
seed cable's 20 paragraph anchors, the shipped theme's files in the site, a clean link check."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import PROJECT

pytestmark = pytest.mark.slow

SEED_ID = "000_ba35c497a3e78353"
# Top-level entries of the checkout that are not part of a build of the package.
NOT_BUILT = {".git", ".venv", "site", "build", "dist", "tests", "bench", "content", ".pytest_cache",
             ".ruff_cache", ".hypothesis"}


def _source_copy(target: Path) -> Path:
    """The checkout without what a build does not read (and without build leftovers), so that
    building the wheel writes nothing into the checkout."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == PROJECT
        return {n for n in names if n == "__pycache__" or n.endswith(".egg-info")
                or (top and (n in NOT_BUILT or re.fullmatch(r"\..*-build", n)))}

    shutil.copytree(PROJECT, target, ignore=ignore, symlinks=True)
    return target


def _run(args: list[str | Path], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{args}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """(the environment's bin folder, an environment for subprocesses without this checkout)."""
    root = tmp_path_factory.mktemp("install")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    source = _source_copy(root / "source")
    wheels = root / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", wheels, source], root, env)
    (wheel,) = wheels.glob("cablesite-*.whl")
    venv.create(root / "venv", with_pip=True)
    bin_dir = root / "venv" / "bin"
    _run([bin_dir / "python", "-m", "pip", "install", "--quiet", wheel], root, env)
    return bin_dir, env


def _anchors(page: Path) -> list[str]:
    return re.findall(r'id="par(\d+)"', page.read_text(encoding="utf-8"))


def test_the_installed_package_is_the_wheel_not_this_checkout(installed, tmp_path):
    bin_dir, env = installed
    where = _run([bin_dir / "python", "-c", "import generator; print(generator.__file__)"], tmp_path, env)
    assert str(bin_dir.parent) in where.stdout and str(PROJECT) not in where.stdout
    version = _run([bin_dir / "cablesite", "--version"], tmp_path, env).stdout
    assert re.fullmatch(r"cablesite \d+\.\d+\.\d+\S*\n", version)


def test_new_project_with_the_seed_and_sample_rows_builds_and_checks(installed, tmp_path, seed_file, sample_csv):
    bin_dir, env = installed
    _run([bin_dir / "cablesite", "new", "my-archive"], tmp_path, env)
    project = tmp_path / "my-archive"
    shutil.copy(seed_file, project / "content" / seed_file.name)
    with sample_csv.open(encoding="utf-8", newline="") as handle:
        rows = [row for _, row in zip(range(5), csv.reader(handle), strict=False)]
    with (project / "content" / "cables.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)

    built = _run([bin_dir / "cablesite", "build"], project, env)
    assert "read 6 cables: built 6, rejected 0" in built.stderr, built.stderr
    site = project / "site"
    assert _anchors(site / "cable" / "undated" / f"{SEED_ID}.html") == [str(n) for n in range(1, 21)]
    for row in rows:  # each sample row has its page at the mirror's address
        assert list(site.glob(f"cable/*/*/{row[2]}.html")), row[2]
    assert (site / "assets" / "stylesheets" / "cables.css").stat().st_size > 0  # the shipped theme
    checked = _run([bin_dir / "cablesite", "check"], project, env)
    assert re.search(r"checked (\d+) pages, (\d+) internal links: 0 broken, 0 third-party loads", checked.stdout)
    assert int(re.search(r"checked (\d+) pages", checked.stdout).group(1)) > 20


def test_build_in_a_folder_without_mkdocs_yml(installed, tmp_path, seed_file):
    bin_dir, env = installed
    shutil.copy(seed_file, tmp_path / seed_file.name)
    _run([bin_dir / "cablesite", "build", seed_file.name, "--site-dir", "out"], tmp_path, env)
    assert _anchors(tmp_path / "out" / "cable" / "undated" / f"{SEED_ID}.html") == [str(n) for n in range(1, 21)]
    assert not (tmp_path / "mkdocs.yml").exists()
    _run([bin_dir / "cablesite", "check", "--site-dir", "out"], tmp_path, env)
