"""Broken and hostile input: every problem is reported with its location, nothing else is lost,
nothing is written outside the output folders, and builds are atomic and deterministic."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import SITE_MARKER, UnsafeSiteDir, build, work_dir_for
from generator.write.paths import UnsafeName, validate_id

from .conftest import CONFIG, CONTENT, PROJECT

BODY = "SUBJECT: A TEST\n\n1. (C) First paragraph.\n\n2. (C) Second paragraph.\n"


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def row(seq: int, cable_id: str, created: str = "03/06/2009 10:00", body: str = BODY) -> list[str]:
    return [str(seq), created, cable_id, "Embassy Test", "CONFIDENTIAL", "", "", body]


def run_cli(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], capture_output=True, text=True, cwd=cwd)


def site_files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_broken_csv_rows_are_reported_by_row_and_the_rest_builds(tmp_path):
    good = row(1, "09TEST1")
    text = csv_text([good]) + '"2","03/06/2009 10:00","09TEST2","only four"\n' + csv_text([
        row(3, "09TEST3", created="31/31/2009 99:99"),
        row(4, "09TEST4", body="   "),
        row(5, ""),
        row(6, "09TEST6"),
    ])
    source = tmp_path / "cables.csv"
    source.write_text(text, encoding="utf-8")
    report = build([source], tmp_path / "site", CONFIG)
    messages = {item["source"]: item["message"] for item in report.rejected}
    assert any("row 2" in where and "expected 8 columns, found 4" in msg for where, msg in messages.items())
    assert any("row 4" in where and "empty body" in msg for where, msg in messages.items())
    assert any("row 5" in where and "empty reference id" in msg for where, msg in messages.items())
    warnings = [w for w in report.warnings if "row 3" in w["source"]]
    assert warnings and "unparseable date" in warnings[0]["message"]
    assert (tmp_path / "site" / "cable" / "undated" / "09TEST3.html").exists()  # kept, as undated
    assert (tmp_path / "site" / "cable" / "2009" / "03" / "09TEST1.html").exists()
    assert (tmp_path / "site" / "cable" / "2009" / "03" / "09TEST6.html").exists()
    assert report.read == 6 and report.built == 3 and len(report.rejected) == 3


def test_not_utf8_is_decoded_with_replacement_and_named(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "latin1.txt").write_bytes(b"---\nid: 09LATIN1\n---\n1. (U) Caf\xe9 au lait.\n")
    report = build([content], tmp_path / "site", CONFIG)
    assert report.built == 1
    warning = report.warnings[0]
    assert "latin1.txt:4" in warning["source"] and "UTF-8" in warning["message"]
    page = (tmp_path / "site" / "cable" / "undated" / "09LATIN1.html").read_text(encoding="utf-8")
    assert "Caf\ufffd au lait" in page


def test_not_utf8_csv_names_the_line(tmp_path):
    source = tmp_path / "cables.csv"
    source.write_bytes(csv_text([row(1, "09TEST1")]).encode() + csv_text([row(2, "09TEST2", body="1. (U) \xe9t\xe9")])
                       .encode("latin-1"))
    report = build([source], tmp_path / "site", CONFIG)
    assert report.built == 2
    bad_line = csv_text([row(1, "09TEST1")]).count("\n") + 1  # row 2 starts here; its body is latin-1
    assert any("UTF-8" in w["message"] and w["source"].endswith(f"cables.csv:{bad_line}") for w in report.warnings)


def test_empty_file_and_empty_body_are_rejected_by_name(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "empty.txt").write_text("", encoding="utf-8")
    (content / "only-meta.txt").write_text("---\nid: 09META1\n---\n\n", encoding="utf-8")
    (content / "fine.txt").write_text(BODY, encoding="utf-8")
    report = build([content], tmp_path / "site", CONFIG)
    sources = " ".join(item["source"] + " " + item["message"] for item in report.rejected)
    assert "empty.txt:1" in sources and "empty file" in sources
    assert "only-meta.txt" in sources and "no cable text" in sources
    assert report.built == 1 and report.read == 3


def test_bad_front_matter_names_the_line(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "bad.txt").write_text("---\nid: 09BAD1\nsubject: [unclosed\n---\n1. (U) Text.\n", encoding="utf-8")
    report = build([content], tmp_path / "site", CONFIG)
    assert report.rejected and "bad.txt:" in report.rejected[0]["source"]
    assert "front matter is not valid YAML" in report.rejected[0]["message"]


def test_a_five_megabyte_cable_builds_with_a_warning(tmp_path):
    paragraph = "Some words of a long cable, wrapped as telegrams are.\n" * 190
    body = "".join(f"{n}. (U) {paragraph}\n" for n in range(1, 501))
    assert len(body) > 5_000_000
    content = tmp_path / "content"
    content.mkdir()
    (content / "huge.txt").write_text("---\nid: 09HUGE1\ndate: 2009-01-01\n---\n" + body, encoding="utf-8")
    report = build([content], tmp_path / "site", CONFIG)
    assert report.built == 1
    assert any("unusually large" in w["message"] and "huge.txt" in w["source"] for w in report.warnings)
    page = (tmp_path / "site" / "cable" / "2009" / "01" / "09HUGE1.html").read_text(encoding="utf-8")
    assert 'id="par500"' in page


def test_identical_duplicates_give_one_page_and_a_note(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        folder.mkdir()
        (folder / "x.txt").write_text("---\nid: 09DUP1\n---\n" + BODY, encoding="utf-8")
    report = build([a, b], tmp_path / "site", CONFIG)
    assert report.rejected == []
    assert report.notes and "identical copy" in report.notes[0]["message"]
    assert report.read == report.built + len(report.rejected) == 2
    assert len(list((tmp_path / "site" / "cable").rglob("*.html"))) == 1


def test_conflicting_duplicates_are_an_error_naming_both_sources(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x.txt").write_text("---\nid: 09DUP1\n---\n" + BODY, encoding="utf-8")
    (b / "x.txt").write_text("---\nid: 09DUP1\n---\n" + BODY.replace("First", "Other"), encoding="utf-8")
    report = build([a, b], tmp_path / "site", CONFIG)
    assert len(report.rejected) == 1
    message = report.rejected[0]["source"] + " " + report.rejected[0]["message"]
    assert str(a / "x.txt") in message and str(b / "x.txt") in message
    assert "different content" in message


@pytest.mark.parametrize("bad_id, reason", [
    ("../evil", "path separator"),
    ("..", "'..'"),
    ("/etc/passwd", "path separator"),
    ("a\\b", "path separator"),
    ("", "empty"),
    ("   ", "empty"),
    ("a\x01b", "control characters"),
    ("CON", "reserved"),
    ("a b", "may hold only"),
    (".hidden", "may hold only"),
    ("x" * 151, "at most 150"),
])
def test_unsafe_ids_are_refused_with_a_reason(bad_id, reason):
    with pytest.raises(UnsafeName, match=None) as info:
        validate_id(bad_id)
    assert reason in str(info.value)


def test_unsafe_ids_never_write_outside_the_site(tmp_path):
    evil = ["../../escaped", "/tmp/abs", "..", "a/../../b", "ok\x07bell"]
    source = tmp_path / "in" / "cables.csv"
    source.parent.mkdir()
    source.write_text(csv_text([row(n, cable_id) for n, cable_id in enumerate(evil, 1)] + [row(9, "09SAFE1")]),
                      encoding="utf-8")
    site = tmp_path / "out" / "site"
    site.parent.mkdir()
    before = {p for p in tmp_path.rglob("*")}
    report = build([source], site, CONFIG)
    assert report.built == 1 and len(report.rejected) == len(evil)
    created = {p for p in tmp_path.rglob("*")} - before
    outside = [p for p in created if site not in p.parents and p != site
               and work_dir_for(site) not in p.parents and p != work_dir_for(site)]
    assert outside == []


def test_report_json_accounts_for_every_cable(tmp_path):
    source = tmp_path / "cables.csv"
    source.write_text(csv_text([row(1, "09A1"), row(2, "../x"), row(3, "09A3")]), encoding="utf-8")
    build([source], tmp_path / "site", CONFIG)
    data = json.loads((work_dir_for(tmp_path / "site") / "build-report.json").read_text())
    assert data["read"] == 3 and data["built"] == 2 and data["rejected"] == 1
    assert data["read"] == data["built"] + data["rejected"]
    assert "row 2" in data["rejections"][0]["source"]


def test_exit_status_follows_mkdocs(tmp_path):
    source = tmp_path / "cables.csv"
    source.write_text(csv_text([row(1, "09A1"), row(2, "../x")]), encoding="utf-8")
    plain = run_cli("build", str(source), "--site-dir", str(tmp_path / "s1"))
    assert plain.returncode == 0, plain.stderr
    assert "row 2" in plain.stderr and "path separator" in plain.stderr
    assert "read 2 cables: built 1, rejected 1" in plain.stderr
    strict = run_cli("build", str(source), "--site-dir", str(tmp_path / "s2"), "--strict")
    assert strict.returncode != 0
    usage = run_cli("build", "--no-such-option")
    assert usage.returncode == 2


def test_failed_render_leaves_the_previous_site_untouched(tmp_path):
    site = tmp_path / "site"
    build([CONTENT], site, CONFIG)
    before = site_files(site)
    broken = tmp_path / "mkdocs.yml"
    broken.write_text(CONFIG.read_text() + "\ntheme:\n  name: no-such-theme\n", encoding="utf-8")
    result = run_cli("build", str(CONTENT), "--site-dir", str(site), "--config", str(broken))
    assert result.returncode != 0
    assert "build failed" in result.stderr
    assert site_files(site) == before


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work", encoding="utf-8")
    with pytest.raises(UnsafeSiteDir):
        build([CONTENT], precious, CONFIG)
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "years of work"
    with pytest.raises(UnsafeSiteDir):
        build([CONTENT], CONTENT, CONFIG)
    site = tmp_path / "site"
    build([CONTENT], site, CONFIG)
    assert (site / SITE_MARKER).exists()
    build([CONTENT], site, CONFIG)  # its own output may be replaced


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path, sample_csv, mirror_dir):
    first, second = tmp_path / "one", tmp_path / "two"
    build([CONTENT, sample_csv, mirror_dir], first, CONFIG)
    build([CONTENT, sample_csv, mirror_dir], second, CONFIG)
    a, b = site_files(first), site_files(second)
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []


def test_unknown_tags_code_is_a_warning_naming_the_row(tmp_path):
    body = "TAGS: PREL, ZZZQ, TU\nSUBJECT: A TEST\n\n1. (C) First paragraph.\n"
    source = tmp_path / "cables.csv"
    source.write_text(csv_text([row(1, "09TAGS1", body=body), row(2, "09TAGS2")]), encoding="utf-8")
    report = build([source], tmp_path / "site", CONFIG)
    assert report.built == 2 and report.rejected == []
    unknown = [w for w in report.warnings if "unknown TAGS code" in w["message"]]
    assert len(unknown) == 1
    assert "row 1" in unknown[0]["source"] and "ZZZQ" in unknown[0]["message"]
    assert "PREL" not in unknown[0]["message"] and "TU" not in unknown[0]["message"].replace("ZZZQ", "")
    assert (tmp_path / "site" / "tag" / "ZZZQ.html").exists()  # kept as a tag all the same
