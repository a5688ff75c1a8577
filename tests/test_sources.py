"""Sources: every row of the CSV sample and every mirror page is read and parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.model import Problem, RawCable
from generator.parse import parse_cable
from generator.sources import read_sources


def test_every_csv_row_is_read_and_parsed(sample_csv):
    items = list(read_sources([sample_csv]))
    problems = [i for i in items if isinstance(i, Problem)]
    raws = [i for i in items if isinstance(i, RawCable)]
    assert problems == []
    assert len(raws) == 1045
    cables = [parse_cable(r) for r in raws]
    assert len({c.id for c in cables}) == 1045
    baku = next(c for c in cables if c.id == "09BAKU179")
    assert baku.date is not None and (baku.date.year, baku.date.month, baku.date.day) == (2009, 3, 6)
    assert all(c.classification for c in cables)
    assert sum(1 for c in cables if any(p.number for p in c.paragraphs)) / len(cables) > 0.95


def test_csv_row_locations_name_the_row(sample_csv):
    first = next(i for i in read_sources([sample_csv]) if isinstance(i, RawCable))
    assert first.location.row == 1
    assert "row 1" in str(first.location)


def test_every_mirror_page_is_read_without_the_mirror_anchors(mirror_dir):
    items = list(read_sources([mirror_dir]))
    assert not [i for i in items if isinstance(i, Problem)]
    assert len(items) == 40
    for raw in items:
        assert "<a id=" not in raw.text and "par1'" not in raw.text
        cable = parse_cable(raw)
        expected = Path(raw.location.path).stem
        assert cable.id == expected
        assert cable.date is not None
        assert f"/{cable.date.year:04d}/{cable.date.month:02d}/" in raw.location.path


def test_mirror_page_fields(mirror_dir):
    page = next(mirror_dir.rglob("09BAGHDAD759.html"))
    cable = parse_cable(next(iter(read_sources([page]))))
    assert cable.classification == "SECRET"
    assert cable.origin == "Embassy Baghdad"
    assert cable.tags == ["PGOV", "PREL", "PTER", "KDEM", "IZ"]
    assert cable.subject.startswith("SALAH AD DIN: YUNIS BA'ATH FACTION SEEKS RECONCILIATION")
    assert cable.reference_ids == ["09BAGHDAD598"]
    assert [p.number for p in cable.paragraphs if p.number] == list(range(1, 12))
    assert cable.signature == "BUTENIS"


def test_native_front_matter_wins_over_text(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("---\nid: 09TEST1\ndate: 2009-05-04\norigin: Embassy Test\ntags: [PREL, XX]\n---\n"
                    "SUBJECT: SOMETHING\n\n1. (S) Text here.\n", encoding="utf-8")
    cable = parse_cable(next(iter(read_sources([path]))))
    assert cable.id == "09TEST1"
    assert cable.date.year == 2009 and cable.date.month == 5
    assert cable.origin == "Embassy Test"
    assert cable.tags == ["PREL", "XX"]
    assert cable.subject == "SOMETHING"
    assert cable.classification == "SECRET"


@pytest.mark.parametrize("block_bytes", [7, 64, 1 << 22])
def test_csv_lines_are_decoded_by_blocks_exactly_as_line_by_line(tmp_path, monkeypatch, block_bytes):
    """Block decoding (fast) gives the lines and the first bad line that line-by-line decoding gives."""
    import random

    from generator.sources import csv_source

    monkeypatch.setattr(csv_source, "_BLOCK_BYTES", block_bytes)
    pieces = [b"a", b"\n", b"\r\n", b"\r", b"\xe9", "é".encode(), b"xyz,", b'"', "\u2028".encode()]
    generator = random.Random(block_bytes)
    for case in range(60):
        data = b"".join(generator.choice(pieces) for _ in range(generator.randint(0, 200)))
        path = tmp_path / f"case{case}.csv"
        path.write_bytes(data)
        expected, first_bad = [], None
        for number, raw in enumerate(data.split(b"\n"), start=1):
            line = raw + b"\n" if number <= data.count(b"\n") else raw
            if not line:
                continue
            try:
                expected.append(line.decode("utf-8"))
            except UnicodeDecodeError:
                first_bad = first_bad or number
                expected.append(line.decode("utf-8", errors="replace"))
        problems = []
        assert list(csv_source._Blocks(path, problems)) == expected
        assert [p.location.line for p in problems] == ([first_bad] if first_bad else [])


@pytest.mark.parametrize("block_bytes", [16, 1 << 22])
def test_csv_rows_are_cleaned_whenever_they_hold_what_cleaning_changes(tmp_path, monkeypatch, block_bytes):
    """Rows are cleaned (CR, control characters, byte-order mark) only once a block holding such
    a byte has been read: the result equals cleaning every row."""
    from generator.sources import csv_source

    rows = ['1,01/02/2009 10:00,09A1,Embassy A,SECRET,,"head","1. (S) Plain text."',
            '2,01/03/2009 10:00,09A2,Embassy A,SECRET,,"head\r\nline","1. (S) Text with \x07 bell\r\nand CR."',
            '3,01/04/2009 10:00,09A3,Embassy A,SECRET,,"\ufeffhead","1. (S) After a byte-order mark \x7f."']
    path = tmp_path / "c.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8", newline="")

    def read() -> list[tuple]:
        return [(c.text, c.header, sorted(c.fields.items())) for c in csv_source.read_csv(path)]

    monkeypatch.setattr(csv_source, "_BLOCK_BYTES", block_bytes)
    gated = read()
    monkeypatch.setattr(csv_source, "_SPECIAL_BYTES", bytes(range(256)))  # every row cleaned
    assert gated == read()
    assert gated[1][0] == "1. (S) Text with \u2407 bell\nand CR." and gated[1][1] == "head\nline"
    assert gated[2][1] == "head" and gated[0][0] == "1. (S) Plain text."


def _csv_reader_rows(path: Path, problems: list) -> list[tuple[list[str], int]]:
    """What read_csv did before ``_Rows``: csv.reader over the file's lines, first line numbers."""
    import csv

    from generator.sources import csv_source

    reader = csv.reader(csv_source._Blocks(path, problems))
    rows, first = [], 1
    for row in reader:
        rows.append((row, first))
        first = reader.line_num + 1
    return rows


@pytest.mark.parametrize("block_bytes", [7, 64, 1 << 22])
def test_csv_rows_cut_by_quotes_are_those_csv_reader_gives(tmp_path, monkeypatch, block_bytes):
    """``_Rows`` cuts fully quoted rows itself and hands anything else to csv.reader: rows,
    first line numbers and the first undecodable line are those of csv.reader over every line."""
    import random

    from generator.sources import csv_source

    monkeypatch.setattr(csv_source, "_BLOCK_BYTES", block_bytes)
    monkeypatch.setattr(csv_source, "_LONG_ROW_CHARS", 40)  # long rows handed over to csv.reader too
    quoted_pieces = ["a", "é", "\n", "\r\n", "\r", '""', ",", " ", "\u2028", "\x00"]
    generator = random.Random(block_bytes)

    def quoted_row() -> str:
        fields = ["".join(generator.choice(quoted_pieces) for _ in range(generator.randint(0, 6)))
                  for _ in range(generator.randint(1, 4))]
        return ",".join(f'"{f}"' for f in fields) + generator.choice(["\n", "\n", "\r\n", "\n\n"])

    odd_pieces = ['"a"x,', "plain,", '"open', "\r", "\n", ",", '"', "\r\n", '"a"\r', '"b"\rc\n']
    checked_slow = checked_fast = 0
    for case in range(240):
        parts = [quoted_row() for _ in range(generator.randint(0, 8))]
        if case % 2 == 0 and parts:  # something only csv.reader handles, somewhere
            parts.insert(generator.randrange(len(parts)), "".join(generator.choice(odd_pieces) for _ in range(3)))
        if case % 5 == 0 and parts:
            parts[-1] = parts[-1].rstrip("\r\n")  # no line break at the end of the file
        data = "".join(parts).encode("utf-8")
        if case % 7 == 0 and data:
            cut = generator.randrange(len(data))
            data = data[:cut] + b"\xff" + data[cut:]  # not UTF-8
        path = tmp_path / f"case{case}.csv"
        path.write_bytes(data)
        expected_problems: list = []
        try:
            expected = _csv_reader_rows(path, expected_problems)
        except Exception as err:  # csv.Error: _Rows must raise it too
            with pytest.raises(type(err)):
                list(csv_source._Rows(path, []))
            continue
        problems: list = []
        rows = csv_source._Rows(path, problems)
        assert list(rows) == expected, data
        assert [p.location.line for p in problems] == [p.location.line for p in expected_problems]
        if rows._slow is None:
            checked_fast += 1
        else:
            checked_slow += 1
    assert checked_fast > 30 and checked_slow > 30


def test_csv_rows_of_the_sample_are_cut_without_csv_reader(sample_csv):
    from generator.sources import csv_source

    rows = csv_source._Rows(sample_csv, [])
    assert list(rows) == _csv_reader_rows(sample_csv, [])
    assert rows._slow is None  # every field of the release is quoted


def test_an_unclosed_quote_hands_the_rest_of_the_file_to_csv_reader_once(tmp_path, monkeypatch):
    """A quote left open makes the rest of the file one field: cutting rows would rescan it with
    every block, so past ``_LONG_ROW_CHARS`` csv.reader reads it (once), with the same result."""
    from generator.sources import csv_source

    monkeypatch.setattr(csv_source, "_BLOCK_BYTES", 256)
    monkeypatch.setattr(csv_source, "_LONG_ROW_CHARS", 1000)
    row = '"1","01/02/2009 10:00","09A1","Embassy A","SECRET","","head","1. (S) Text."\n'
    path = tmp_path / "open.csv"
    path.write_text(row * 3 + '"4","01/02/2009 10:00","09A4","Embassy A","SECRET","","head","1. (S) Open\n'
                    + "more of the body, no quote in it\n" * 500, encoding="utf-8")
    calls = []
    quoted_row = csv_source._quoted_row
    monkeypatch.setattr(csv_source, "_quoted_row", lambda *args, **kw: calls.append(1) or quoted_row(*args, **kw))
    rows = csv_source._Rows(path, [])
    assert list(rows) == _csv_reader_rows(path, [])
    assert rows._slow is not None
    assert len(calls) < 12  # not once a block for the ~60 blocks the open field spans
