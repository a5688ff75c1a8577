"""Cable text is data: whatever characters it holds render literally and inertly."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from generator.build import build

from .conftest import CONFIG

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "*not emphasis* and **not bold**",
    "[x](javascript:alert(3))",
    "{{ x }} and {% if y %}",
    "{: onclick=alert(4) }",
    "<!-- comment -->",
    "&amp; stays &amp;",
]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_hostile_text_shows_literally_and_adds_no_element(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    body = "\n\n".join(f"{n}. (U) {text}" for n, text in enumerate(HOSTILE, start=1))
    (content / "hostile.txt").write_text(
        "---\nid: 10HOSTILE1\ndate: 2010-01-02\nsubject: '<b>bold</b> {{ s }}'\n---\n" + body + "\n",
        encoding="utf-8")
    site = tmp_path / "site"
    report = build([content], site, CONFIG, "Test")
    assert report.built == 1
    page = (site / "cable" / "2010" / "01" / "10HOSTILE1.html").read_text(encoding="utf-8")
    parser = _Collect()
    parser.feed(page)
    text = "".join(parser.text)
    for item in HOSTILE:
        assert item in text, item
    assert "<b>bold</b> {{ s }}" in text
    assert not any(tag == "img" and attrs.get("src") == "x" for tag, attrs in parser.tags)
    assert not any("onerror" in attrs or "onclick" in attrs for _, attrs in parser.tags)
    assert not any((attrs.get("href") or "").startswith("javascript:") for _, attrs in parser.tags)
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", page, re.S)
    assert not any("alert(" in s for s in scripts)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert html.unescape(title).startswith("<b>bold</b> {{ s }}")
