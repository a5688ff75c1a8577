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


@pytest.mark.parametrize("block_bytes", [7, 1 << 22])
def test_csv_rows_name_their_first_line(tmp_path, monkeypatch, block_bytes):
    """Each row's location is its CSV row and the line it starts on, past quoted fields that hold
    line breaks (CRLF ones too), and a last field left open, which runs to the end of the file."""
    from generator.sources import csv_source

    monkeypatch.setattr(csv_source, "_BLOCK_BYTES", block_bytes)
    row = '"{n}","01/02/2009 10:00","09A{n}","Embassy A","SECRET","","head","{body}"'
    rows = [row.format(n=1, body="1. (S) One line."),
            row.format(n=2, body="1. (S) Two\nlines."),
            row.format(n=3, body="1. (S) Three\r\nlines\nhere."),
            row.format(n=4, body="1. (S) After.")]
    path = tmp_path / "c.csv"
    path.write_bytes(("\n".join(rows) + '\n"5","01/02/2009 10:00","09A5","x","y","","h","open\n').encode("utf-8"))
    items = list(csv_source.read_csv(path))
    assert [(item.location.row, item.location.line) for item in items[:4]] == [(1, 1), (2, 2), (3, 4), (4, 7)]
    assert [item.fields["id"] for item in items[:4]] == ["09A1", "09A2", "09A3", "09A4"]
    assert items[2].text == "1. (S) Three\nlines\nhere."  # the CR cleaned away
    assert (items[4].location.row, items[4].location.line, items[4].text) == (5, 8, "open\n")  # unclosed: to the end
