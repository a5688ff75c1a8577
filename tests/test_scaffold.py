"""``cablesite new``: the project folder it makes, what it refuses, its help and README as a new
user reads them, and ``cablesite serve`` in a project folder."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from generator.cli import main, make_parser
from generator.progress import configure
from generator.project import shipped_root


@pytest.fixture(autouse=True)
def _default_output():
    configure()
    yield
    configure()


def test_new_makes_the_project_folder(tmp_path, capsys):
    target = tmp_path / "my-archive"
    assert main(["new", str(target)]) == 0
    made = sorted(p.relative_to(target).as_posix() for p in target.rglob("*"))
    tables = sorted(p.name for p in (shipped_root() / "site_config").iterdir() if p.is_file())
    assert made == sorted([".gitignore", "README.md", "content", "content/README", "mkdocs.yml", "site_config",
                           "theme", *(f"site_config/{name}" for name in tables)])
    assert (target / "mkdocs.yml").read_bytes() == (shipped_root() / "mkdocs.yml").read_bytes()
    for name in tables:  # copies, so that they can be edited
        copy = target / "site_config" / name
        assert not copy.is_symlink() and copy.read_bytes() == (shipped_root() / "site_config" / name).read_bytes()
    assert "site/" in (target / ".gitignore").read_text(encoding="utf-8")
    said = capsys.readouterr().err
    assert f"cd {target}" in said and "cablesite serve" in said


def test_new_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    target = tmp_path / "existing"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["new", str(target)]) == 1
    assert "already exists and is not empty" in capsys.readouterr().err
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["new", str(empty)]) == 0


def test_new_help_says_what_it_makes(capsys):
    with pytest.raises(SystemExit):
        main(["new", "--help"])
    text = capsys.readouterr().out
    for item in ("mkdocs.yml", "content/", "site_config/", "theme/", ".gitignore", "README.md", "cablesite serve"):
        assert item in text


def test_the_readme_commands_exist_and_the_content_note_is_not_read_as_a_cable(tmp_path, monkeypatch, capsys,
                                                                                seed_file):
    target = tmp_path / "my-archive"
    main(["new", str(target)])
    readme = (target / "README.md").read_text(encoding="utf-8")
    commands = set(re.findall(r"^\s+cablesite (\w+)", readme, re.M))
    assert commands == {"serve", "build", "check"}
    known = set(make_parser()._subparsers._group_actions[0].choices)  # the subcommands
    assert commands <= known
    shutil.copy(seed_file, target / "content" / seed_file.name)
    monkeypatch.chdir(target)
    assert main(["build", "--workers", "1"]) == 0  # README: "cablesite build" with no arguments
    err = capsys.readouterr().err
    assert "read 1 cables: built 1, rejected 0, 0 warnings" in err, err
    assert main(["check"]) == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_in_a_folder_without_mkdocs_yml(tmp_path, seed_file):
    (tmp_path / "content").mkdir()
    shutil.copy(seed_file, tmp_path / "content" / seed_file.name)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--no-watch", "--port", str(port),
                               "--quiet"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, page = time.monotonic() + 120, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/cables.html", timeout=5) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
        assert page is not None, server.stdout.read() if server.poll() is not None else "no answer"
        assert seed_file.stem in page
    finally:
        server.terminate()
        server.wait(timeout=30)
