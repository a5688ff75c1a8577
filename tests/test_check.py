"""The link checker finds what it is for: a checker that always passes would hide breakage."""

from __future__ import annotations

import subprocess
import sys

from generator.check import check_site


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_finds_missing_pages_anchors_absolute_and_third_party(tmp_path):
    write(tmp_path / "index.html", '<a href="cable/a.html#par2">ok</a> <a href="cable/a.html#par9">bad anchor</a>'
          ' <a href="missing.html">missing</a> <a href="/abs.html">absolute</a>'
          ' <script src="https://cdn.example/x.js"></script> <a href="https://example.org/">fine</a>'
          ' <a href="#top">self</a><div id="top"></div>')
    write(tmp_path / "cable" / "a.html", '<div id="par1"></div><div id="par2"></div><a href="../index.html">up</a>'
          '<a href="../../outside.html">out</a>')
    report = check_site(tmp_path)
    assert report.pages == 2
    broken = "\n".join(report.broken)
    assert "missing anchor cable/a.html#par9" in broken
    assert "missing missing.html" in broken
    assert "absolute link /abs.html" in broken
    assert "leaves the site" in broken
    assert "cable/a.html#par2" not in broken and "#top" not in broken
    assert report.external_loads == ["index.html: loads https://cdn.example/x.js"]
    assert not report.ok


def test_check_command_exit_status(tmp_path):
    write(tmp_path / "good" / "index.html", '<a href="index.html">self</a>')
    write(tmp_path / "bad" / "index.html", '<a href="nope.html">x</a>')
    run = [sys.executable, "-m", "generator.cli", "check", "--site-dir"]
    assert subprocess.run([*run, str(tmp_path / "good")], capture_output=True).returncode == 0
    bad = subprocess.run([*run, str(tmp_path / "bad")], capture_output=True, text=True)
    assert bad.returncode == 1 and "nope.html" in bad.stdout
