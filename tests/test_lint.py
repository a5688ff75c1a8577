"""ruff keeps the code clean; a finding fails the suite."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import PROJECT


def test_ruff_check_is_clean():
    ruff = shutil.which("ruff") or (sys.executable.rsplit("/", 1)[0] + "/ruff")
    if not shutil.which(ruff):
        pytest.skip("ruff is not installed (./run test installs it)")
    result = subprocess.run([ruff, "check", "generator", "tests", "bench"], cwd=PROJECT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
