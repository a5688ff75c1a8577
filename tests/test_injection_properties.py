"""Property tests: arbitrary text through parse -> write -> render stays literal and inert.

Most examples render the page content with Python-Markdown configured as MkDocs configures it
(fast, so hypothesis can try many inputs); a few go through a whole MkDocs build with the
theme, which is where metadata (title, header, front matter) could escape.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import frontmatter
import markdown
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.build import build
from generator.model import Paragraph, RawCable, SourceLocation, Span
from generator.parse import parse_cable
from generator.sources.text import clean_text
from generator.write.markdown import page_with_front_matter, plain_front_matter, render_cable

from .conftest import CONFIG, markdown_kept
from .test_stamp import built_pages_equal_mkdocs

# Everything but lone surrogates (not encodable) and line breaks (tested apart: they make
# paragraphs); weighted towards the characters that have meaning in HTML, Markdown and Jinja.
SPECIAL = "<>&\"'`*_[](){}#!|\\:=/-~^%$@;\t "
line_text = st.text(
    alphabet=st.one_of(st.sampled_from(SPECIAL), st.characters(blacklist_categories=("Cs",),
                                                                blacklist_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")),
    min_size=1, max_size=200,
).filter(lambda s: s.strip())
SNIPPETS = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "{: onclick=alert(1) }", "{{ config }}", "{% raw %}", "<!-- c -->", "---", "key: value",
    "](http://evil/)", "<a href='http://evil'>x</a>", "&lt;b&gt;", "\x02wzxhzdk:0\x03", "<style>*{}</style>",
])
hostile_text = st.lists(st.one_of(line_text, SNIPPETS), min_size=1, max_size=4).map(" ".join)


class PageShape(HTMLParser):
    """Tags, attributes and text of a page, for comparing a hostile page with a benign one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.links: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            self.attrs.add(name)
            if name in ("href", "src"):
                self.links.add(value or "")

    def handle_data(self, data):
        self.text.append(data)

    @classmethod
    def of(cls, html: str) -> PageShape:
        shape = cls()
        shape.feed(html)
        return shape

    @property
    def flat_text(self) -> str:
        return " ".join("".join(self.text).split())


def render_content(text: str, subject: str = "SUBJECT") -> str:
    """The HTML MkDocs would make of the page content (MkDocs' own Markdown extensions)."""
    # Cleaned as every source cleans what it reads (control characters made visible).
    raw = RawCable(text=clean_text("1. (U) " + text + "\n\n2. (U) End.\n"), location=SourceLocation("t.txt", 1),
                   kind="native", fields={"id": "10TEST1", "subject": subject})
    cable = parse_cable(raw)
    page = render_cable(cable, "cable/undated/10TEST1.html", {
        "references": [], "cited_by": [], "previous": None, "next": None, "countries": [], "topics": [],
        "classification_url": None, "origin_url": None, "tag_urls": {}})
    body, _ = get_data(page)
    return markdown.Markdown(extensions=["toc", "tables", "fenced_code"]).convert(body)


BENIGN = PageShape.of(render_content("plain words"))


def normalised(text: str) -> str:
    return " ".join(clean_text(text).split())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text)
def test_paragraph_text_renders_literally_and_adds_nothing(text):
    shape = PageShape.of(render_content(text))
    assert normalised(text) in shape.flat_text
    assert shape.attrs <= BENIGN.attrs
    extra_tags = shape.tags - BENIGN.tags
    assert extra_tags <= {"section", "h2", "p"}, extra_tags  # a "Summary:" in the text adds the summary box
    assert {link for link in shape.links if not link.startswith("#")} <= BENIGN.links


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_front_matter_cannot_be_broken_by_metadata(value):
    page = page_with_front_matter("<p>body</p>", {"subject": " ".join(value.split()) or None, "title": "t"})
    body, meta = get_data(page)
    assert body.strip() == "<p>body</p>"
    assert meta.get("subject") == (" ".join(value.split()) or None)


meta_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["title", "subject", "origin", "tags", "topics", "date", "id"]),
                       st.one_of(st.none(), meta_text, st.lists(meta_text, max_size=4)), min_size=1))
def test_front_matter_reads_back_as_written_whatever_it_holds(meta):
    body = "<article>x</article>"
    page = page_with_front_matter(body, meta, keep_empty=True)
    assert get_data(page) == (body + "\n", meta)
    assert plain_front_matter(meta) is not None  # written without PyYAML, which loses a lone no-break space


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), whitelist_categories=("Zs", "Zl", "Zp", "Cc",
                                                                                          "Cf", "Co", "Cn")),
               min_size=1, max_size=6))
def test_front_matter_keeps_values_made_of_spaces_and_controls_only(value):
    """The values the text strategy above rarely makes: nothing but separators and controls."""
    meta = {"title": value, "tags": [value, "x"]}
    assert get_data(page_with_front_matter("<p>b</p>", meta, keep_empty=True))[1] == meta


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(subject=hostile_text, origin=hostile_text, text=hostile_text)
@example(subject="0", origin="0\x1f", text="0")  # an information separator, which str.split splits at
def test_whole_build_keeps_metadata_and_text_inert(tmp_path_factory, subject, origin, text):
    folder = tmp_path_factory.mktemp("hostile")
    content = folder / "content"
    content.mkdir()
    # as a publisher's tool would write them: on one line (str.split also splits at \x1c-\x1f)
    subject, origin = " ".join(subject.split()), " ".join(origin.split())
    meta = frontmatter.dumps(frontmatter.Post("", id="10HOSTILE1", date="2010-01-02", subject=subject, origin=origin))
    (content / "c.txt").write_text(meta + "\n1. (C) " + text + "\n", encoding="utf-8")
    site = folder / "site"
    with markdown_kept():  # for the comparison with MkDocs below
        report = build([content], site, CONFIG, "Test")
    assert report.built == 1, report.rejected
    html = (site / "cable" / "2010" / "01" / "10HOSTILE1.html").read_text(encoding="utf-8")
    shape = PageShape.of(html)
    for value in (subject, origin, text):
        assert normalised(value) in shape.flat_text
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title  # the title element holds escaped text only
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert all("src=" in attrs or "application/json" in attrs or attrs.strip() == "" for attrs in scripts)
    assert not any(link.startswith(("javascript:", "http://evil")) for link in shape.links)
    assert "onerror" not in shape.attrs and "onclick" not in shape.attrs
    assert built_pages_equal_mkdocs(site, folder)  # stamped as MkDocs would render it, whatever the subject


def test_benign_page_shape_is_not_empty():
    """Guards the properties above: a broken renderer producing nothing would pass them."""
    assert {"div", "span", "a", "h1"} <= BENIGN.tags
    assert "plain words" in BENIGN.flat_text
    assert Path(CONFIG).exists()


# The cable body as a Jinja loop, as the template had it before ``cable_paragraphs`` took its place.
_BODY_LOOP = (
    '{% for p in paragraphs %}{% if p.kind == "heading" %}<div class="cable-heading-row">'
    '<h2 class="cable-heading" id="{{ p.anchor }}">{{ p.text | cable_text }}</h2><a class="cable-pilcrow"'
    ' href="#{{ p.anchor }}" aria-label="Link to this heading">¶</a></div>\n{% else %}'
    '<div class="cable-par{% if p.number is none %} cable-par--unnumbered{% endif %}'
    '{% if p.callout %} cable-callout cable-callout--{{ p.callout }}{% endif %}" id="{{ p.anchor }}"'
    '{% if p.callout %} data-callout="{{ p.callout }}"{% endif %}><a class="cable-pilcrow" href="#{{ p.anchor }}"'
    ' aria-label="Link to {% if p.number is not none %}paragraph {{ p.number }}{% else %}this passage{% endif %}">¶</a>'
    '{% if p.number is not none %}<span class="cable-num">{{ p.number }}.</span> {% endif %}'
    '{% if p.classification %}<span class="cable-mark cable-mark--{{ p.classification | mark_level }}"'
    ' title="Classification of this paragraph">{{ p.classification }}</span> {% endif %}'
    '<span class="cable-text">{{ p.text | cable_spans(p.spans) }}</span></div>\n{% endif %}{% endfor %}')


def _body_by_loop(paragraphs) -> str:
    from generator.write.markdown import _ENV

    return _ENV.from_string(_BODY_LOOP).render(paragraphs=paragraphs)


paragraph_values = st.builds(
    lambda number, anchor, text, classification, kind, callout, spans: Paragraph(
        number, anchor, text, classification, kind, callout=callout,
        spans=[Span(kind_, start, start + length) for kind_, start, length in spans]),
    st.one_of(st.none(), st.integers(0, 10**6)), meta_text, hostile_text,
    st.one_of(st.none(), st.just(""), st.sampled_from(["C", "S/NF", "TS//SI", "SBU"]), meta_text),
    st.sampled_from(["paragraph", "heading", "text"]),
    st.one_of(st.none(), st.just(""), st.sampled_from(["comment", "note"]), meta_text),
    st.lists(st.tuples(st.sampled_from(["redaction", "comment", "note", "x"]), st.integers(0, 40),
                       st.integers(0, 40)), max_size=3))


@settings(max_examples=150, deadline=None)
@given(st.lists(paragraph_values, max_size=6))
def test_the_body_filter_writes_what_the_template_loop_wrote(paragraphs):
    from generator.write.markdown import cable_paragraphs

    assert str(cable_paragraphs(paragraphs)) == _body_by_loop(paragraphs)


def test_the_body_filter_writes_what_the_template_loop_wrote_for_every_sample_cable(sample_csv, mirror_dir,
                                                                                   seed_file):
    from generator.sources import read_sources
    from generator.write.markdown import cable_paragraphs

    count = 0
    for raw in read_sources([sample_csv, mirror_dir, seed_file]):
        cable = parse_cable(raw)
        assert str(cable_paragraphs(cable.paragraphs)) == _body_by_loop(cable.paragraphs), cable.id
        count += 1
    assert count > 1000


