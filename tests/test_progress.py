"""What a build prints: a bar per stage on a terminal, plain lines elsewhere, nothing with --quiet,
the stages' internal notes only with --verbose, and problems listed once each, capped."""

from __future__ import annotations

import io
import shutil

import pytest

from generator import progress
from generator.build import BuildReport
from generator.cli import main
from generator.progress import Progress, chatter, configure, print_problems


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _default_output():
    configure()
    yield
    configure()


def test_off_a_terminal_a_stage_prints_one_plain_line_when_it_ends():
    out = io.StringIO()
    ticker = Progress("parse", stream=out)
    for _ in range(3):
        ticker.step()
    assert out.getvalue() == ""
    ticker.close()
    ticker.close()  # once only
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("parse: 3 cables in ") and "/s)" in lines[0]


def test_a_long_stage_off_a_terminal_prints_counts_rate_and_time_left(monkeypatch):
    monkeypatch.setattr(progress, "PLAIN_EVERY", 0.0)
    out = io.StringIO()
    ticker = Progress("write", total=4, stream=out)
    ticker.step()
    assert out.getvalue().startswith("write: 1/4 cables (") and " left" in out.getvalue()


def test_on_a_terminal_a_stage_is_a_bar_with_counts_and_rate():
    out = Terminal()
    ticker = Progress("write", total=3, stream=out)
    for _ in range(3):
        ticker.step()
    ticker.close()
    text = out.getvalue()
    assert "write: 100%" in text and "3/3" in text and "cables/s" in text


def test_quiet_and_disabled_stages_print_nothing():
    out = io.StringIO()
    Progress("parse", stream=out, enabled=False).close()
    configure(quiet=True)
    ticker = Progress("parse", stream=out)
    ticker.step()
    ticker.close()
    assert out.getvalue() == ""


def test_internal_notes_need_verbose():
    out = io.StringIO()
    chatter("search", out)("merging 1 run(s) into term shards")
    assert out.getvalue() == ""
    configure(verbose=True)
    chatter("search", out)("merging 1 run(s) into term shards")
    assert out.getvalue() == "search: merging 1 run(s) into term shards\n"


def _report(warnings: int) -> BuildReport:
    report = BuildReport()
    report.warnings = [{"source": f"cables.csv: row {n}", "id": None, "message": f"problem {n}"}
                       for n in range(1, warnings + 1)]
    return report


def test_problems_are_listed_once_each_and_capped_unless_verbose():
    out = io.StringIO()
    print_problems(_report(25), out)
    lines = out.getvalue().splitlines()
    assert lines[:2] == ["warning: cables.csv: row 1: problem 1", "warning: cables.csv: row 2: problem 2"]
    assert len(lines) == progress.PROBLEMS_SHOWN + 1 and "15 more warnings" in lines[-1]
    configure(verbose=True)
    out = io.StringIO()
    print_problems(_report(25), out)
    assert len(out.getvalue().splitlines()) == 25


@pytest.fixture
def seed_here(tmp_path, monkeypatch, seed_file):
    shutil.copy(seed_file, tmp_path / seed_file.name)
    monkeypatch.chdir(tmp_path)
    return seed_file.name


def _build(capsys, seed: str, *options: str) -> list[str]:
    assert main(["build", seed, "--site-dir", "out", "--workers", "1", "--clean", *options]) == 0
    return capsys.readouterr().err.splitlines()


def test_the_default_build_output_is_a_line_per_stage_and_the_summary(seed_here, capsys):
    lines = _build(capsys, seed_here)
    assert [line.split(":")[0] for line in lines] == ["parse", "write", "render", "read 1 cables", "report"], lines
    assert lines[0].startswith("parse: 1 cables in ") and lines[1].startswith("write: 1 cables in ")
    rendered = int(lines[2].split()[1])  # every page the render stage was given, however it was rendered
    assert rendered > 0 and lines[2].startswith(f"render: {rendered} pages in ")
    assert not any(line.startswith("search:") for line in lines)


def test_verbose_adds_the_stages_notes_and_quiet_drops_the_stage_lines(seed_here, capsys):
    verbose = _build(capsys, seed_here, "--verbose")
    assert any(line.startswith("search: ") for line in verbose)
    quiet = _build(capsys, seed_here, "--quiet")
    assert [line.split(":")[0] for line in quiet] == ["read 1 cables", "report"], quiet


def test_on_a_terminal_every_stage_bar_reaches_its_total(seed_here, capsys, monkeypatch):
    monkeypatch.setattr(progress, "_is_terminal", lambda stream: True)
    text = "\n".join(_build(capsys, seed_here))
    assert "write: 100%" in text and "render: 100%" in text, text
    # the cables are known only at the end: the bar counts the sources' bytes, with the cables beside
    assert "parse: 100%" in text and "1 cables]" in text, text


def test_a_streamed_stage_reckons_its_time_left_from_the_input_read(monkeypatch):
    # The parse stage knows its cables only at its end: the bytes of its sources give the time left.
    monkeypatch.setattr(progress, "PLAIN_EVERY", 0.0)
    out = io.StringIO()
    ticker = Progress("parse", stream=out, size_total=1000)
    ticker.advance(250)
    ticker.step()
    assert out.getvalue().startswith("parse: 1 (25% of the input) cables (") and " left" in out.getvalue()
    ticker.advance(5000)  # never past the total
    assert ticker.size == 1000


def test_a_streamed_stage_on_a_terminal_is_a_bar_of_bytes_with_the_cable_count():
    out = Terminal()
    ticker = Progress("parse", stream=out, size_total=2_000_000)
    ticker.advance(1_000_000)
    ticker.step(7)
    ticker.close()
    assert "50%" in out.getvalue() or "1.00M/2.00M" in out.getvalue()
    assert "7 cables" in out.getvalue()


def test_counted_input_credits_each_file_whole_by_the_time_the_next_begins(tmp_path):
    from generator.model import RawCable, SourceLocation
    from generator.progress import counted_input
    from generator.sources import source_bytes

    first, second = tmp_path / "a.txt", tmp_path / "b.csv"
    first.write_text("x" * 100)
    second.write_text("y" * 300)
    records = [RawCable(text="x" * 40, location=SourceLocation(str(first)), kind="native"),
               RawCable(text="y" * 90, location=SourceLocation(str(second), row=1), kind="csv"),
               RawCable(text="y" * 90, location=SourceLocation(str(second), row=2), kind="csv")]
    ticker = Progress("parse", stream=io.StringIO(), size_total=source_bytes([tmp_path]))
    seen = []
    for _record in counted_input(records, ticker):
        seen.append(ticker.size)
    assert seen == [40, 100 + 90, 100 + 180]
    assert ticker.size == ticker.size_total == 400
