"""site_config/tag_corrections.csv: the shipped table, its loader's checks, and the parse using it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import parse_stream, tag_rules_of
from generator.enrich.config import ConfigError, load_tables
from generator.enrich.corrections import CorrectionsError, read_tag_corrections
from generator.model import RawCable, SourceLocation

from .conftest import PROJECT

SHIPPED = PROJECT / "site_config" / "tag_corrections.csv"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "tag_corrections.csv"
    path.write_text("written,entry,source\n" + body, encoding="utf-8")
    return path


def test_shipped_table_loads_and_corrects_no_real_code():
    tables = load_tables(PROJECT / "site_config")
    assert tables.tag_corrections["MOPPS"] == "MOPS"
    known = tables.country_by_tag.keys() | tables.tag_codes.keys()
    assert not known & tables.tag_corrections.keys()


def test_blank_rows_and_spaces_are_tolerated(tmp_path):
    assert read_tag_corrections(_write(tmp_path, " MOPPS , MOPS ,cables\n,,\nCOUNTER  TERRORISM,X,\n")) == {
        "MOPPS": "MOPS", "COUNTER TERRORISM": "X"}


@pytest.mark.parametrize("rows, message", [
    ("MOPPS,MOPS,\nMOPPS,MOPR,\n", ":3: MOPPS is listed twice (first on line 2)"),
    ("mopps,MOPS,\n", ":2: 'mopps' is not a TAGS entry in capitals"),
    ("MOPPS,,\n", ":2: '' is not a TAGS entry"),
    ("MOPS,MOPS,\n", ":2: MOPS is corrected to itself"),
    ("PREL,PGOV,\n", ":2: PREL is a real TAGS code"),
    ("MOPPS,MOPZ,\nMOPZ,MOPS,\n", ":2: MOPPS is corrected to MOPZ, which is itself corrected on line 3"),
])
def test_bad_rows_name_the_file_and_line(tmp_path, rows, message):
    path = _write(tmp_path, rows)
    with pytest.raises(CorrectionsError) as err:
        read_tag_corrections(path, frozenset({"PREL", "PGOV"}))
    assert str(err.value).startswith(f"{path}{message.split(' ', 1)[0]}")
    assert message.split(" ", 1)[1] in str(err.value)


def test_missing_column_is_an_error(tmp_path):
    path = tmp_path / "tag_corrections.csv"
    path.write_text("typo,code\nMOPPS,MOPS\n", encoding="utf-8")
    with pytest.raises(CorrectionsError, match=r":1: missing column\(s\) entry, written"):
        read_tag_corrections(path)


def test_bad_table_stops_loading_the_configuration(tmp_path):
    config = tmp_path / "site_config"
    shutil.copytree(PROJECT / "site_config", config)
    (config / "tag_corrections.csv").write_text("written,entry\nPREL,PGOV\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tag_corrections\.csv:2: PREL is a real TAGS code"):
        load_tables(config)


def test_a_project_without_the_table_uses_the_shipped_one_and_an_empty_one_corrects_nothing(tmp_path):
    # Tables are resolved file by file (issue #14): a missing project table falls back to the shipped default.
    config = tmp_path / "site_config"
    shutil.copytree(PROJECT / "site_config", config)
    (config / "tag_corrections.csv").unlink()
    assert load_tables(config).tag_corrections == load_tables(PROJECT / "site_config").tag_corrections != {}
    (config / "tag_corrections.csv").write_text("written,entry,source\n", encoding="utf-8")
    assert load_tables(config).tag_corrections == {}


def test_parse_stream_applies_the_corrections():  # what `cablesite parse` and the build do
    from generator.build import BuildReport
    raw = RawCable(text="TAGS: PTER MARR, MOPPS, PHUMBA\nSUBJECT: X\n\n1. (U) Text.", location=SourceLocation("s"),
                   kind="native", fields={"id": "09TEST1"})
    cable = next(parse_stream([raw], BuildReport(), tag_rules_of(load_tables(PROJECT / "site_config"))))
    assert cable.tags == ["PTER", "MARR", "MOPS", "PHUM", "BA"]
