"""Hostile input (issue #15, D14-D18): bad files are refused or cut with a problem naming the
file; they never take the build down, never take time beyond linear in their size and never
bring in data from outside the source folders."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from generator.model import Problem, RawCable
from generator.sources import read_sources
from generator.sources.mirror import read_mirror_page

# A mirror page cut down to what the reader looks at (the layout of the 2010 mirror's pages).
MIRROR_PAGE = """<html><body>
<table class='cable'>
<tr><th>Reference ID</th><th>Created</th><th>Released</th><th>Classification</th><th>Origin</th></tr>
<tr>
<td><a href='/cable/2009/03/09BAKU179.html'>09BAKU179</a></td>
<td><a href='/date/2009-03_0.html'>2009-03-05 12:07</a></td>
<td><a href='/reldate/2010-12-04_0.html'>2010-12-04 17:05</a></td>
<td><a href='/classification/1_0.html'>CONFIDENTIAL</a></td>
<td><a href='/origin/89_0.html'>Embassy Baku</a></td>
</tr>
</table>
<code><pre>VZCZCXRO1474&#x000A;FM AMEMBASSY BAKU</pre></code>
<code><pre>C O N F I D E N T I A L BAKU 000179&#x000A;&#x000A;SUBJECT: TEST&#x000A;&#x000A;\
<a id='par1' href='#par1'>¶</a>1. (C) First.&#x000A;{inside}&#x000A;\
<a id='par2' href='#par2'>¶</a>2. (C) Second.</pre></code>
{after}</body></html>
"""
# Every shape a pattern of the old reader rescanned to the end of the page from: unclosed <pre>,
# <td> and <table>, tags without '>', mirror anchors followed by whitespace and no </a>.
HOSTILE_UNIT = "<pre>x <pre <td>y <table class='cable'> <a id='par1'>" + " " * 40 + "<a href "


def _hostile_page(tmp_path: Path, size: int) -> Path:
    filler = HOSTILE_UNIT * (size // (2 * len(HOSTILE_UNIT)))
    page = tmp_path / f"09BAKU179-{size}.html"
    page.write_text(MIRROR_PAGE.format(inside=filler, after=filler), encoding="utf-8")
    return page


def _seconds(action: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def test_mirror_page_fields_and_text_from_the_cut_down_page(tmp_path):
    page = tmp_path / "09BAKU179.html"
    page.write_text(MIRROR_PAGE.format(inside="", after=""), encoding="utf-8")
    (raw,) = read_mirror_page(page)
    assert isinstance(raw, RawCable)
    assert raw.fields["id"] == "09BAKU179" and raw.fields["origin"] == "Embassy Baku"
    assert raw.header == "VZCZCXRO1474\nFM AMEMBASSY BAKU"
    assert "1. (C) First." in raw.text and "par1" not in raw.text and "¶" not in raw.text
    assert raw.location.line == MIRROR_PAGE.count("\n", 0, MIRROR_PAGE.index("C O N F")) + 1


def test_mirror_page_of_unclosed_tags_is_read_in_linear_time(tmp_path):
    """D15: 200 KB of repeated ``<pre>`` took 57 s (quadratic). Four times the size must take
    about four times as long (quadratic: sixteen), and a 4 MB page well under the time the old
    reader needed for 100 KB."""
    small, large = _hostile_page(tmp_path, 1_000_000), _hostile_page(tmp_path, 4_000_000)
    for page in (small, large):
        items = list(read_mirror_page(page))
        assert [type(item) for item in items] == [RawCable]
        assert items[0].fields["id"] == "09BAKU179"
    small_s = _seconds(lambda: list(read_mirror_page(small)))
    large_s = _seconds(lambda: list(read_mirror_page(large)))
    assert large_s < 10.0, f"a 4 MB hostile mirror page took {large_s:.1f} s"
    assert large_s < 10 * max(small_s, 0.01), f"1 MB: {small_s:.3f} s, 4 MB: {large_s:.3f} s: not linear"


def test_mirror_page_without_a_closed_pre_is_named(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(MIRROR_PAGE.split("<code><pre>")[0] + "<pre>" + HOSTILE_UNIT * 1000, encoding="utf-8")
    (problem,) = read_sources([page])
    assert isinstance(problem, Problem) and problem.location.path == str(page)
    assert "not a cablegate mirror cable page" in problem.message
