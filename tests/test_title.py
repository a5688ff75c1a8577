"""A cable's title (generator/title.py): the subject, else the first sentence of the summary or of
the first paragraph, cut at a word boundary near 100 characters."""

from __future__ import annotations

from generator.model import CatalogEntry, Paragraph, RawCable, SourceLocation
from generator.parse import parse_cable
from generator.sources import read_sources
from generator.title import ELLIPSIS, TITLE_LENGTH, cable_title, first_sentence, shorten

from .conftest import CONTENT

SEED_PAGE = CONTENT / "cables" / "nato-allies-on-the-missile-defense-review.txt"


def test_the_subject_is_the_title():
    assert cable_title("TURKEY: PM VISIT", "09ANKARA1", "Summary text.") == "TURKEY: PM VISIT"


def test_without_subject_the_first_sentence_of_the_summary():
    assert cable_title(None, "09X1", "Allies agreed. Turkey said more.") == "Allies agreed."


def test_without_summary_the_first_sentence_of_the_first_paragraph():
    paragraphs = [Paragraph(None, "h1", "BACKGROUND", kind="heading"), Paragraph(1, "par1", "Rain fell. Then more.")]
    assert cable_title(None, "09X1", None, paragraphs) == "Rain fell."


def test_without_any_text_the_id():
    assert cable_title(None, "09X1", None, []) == "09X1"
    assert cable_title("  ", "09X1", " ") == "09X1"


def test_abbreviations_and_initials_do_not_end_the_sentence():
    assert first_sentence("The U.S. Ambassador met Mr. Smith and George W. Bush on Jan. 5. Then left.") == (
        "The U.S. Ambassador met Mr. Smith and George W. Bush on Jan. 5.")


def test_long_sentence_cut_at_a_word_with_an_ellipsis():
    text = "word " * 40
    short = shorten(text.strip())
    assert short.endswith(ELLIPSIS) and len(short) <= TITLE_LENGTH + 1
    assert not short[:-1].endswith(" ") and text.startswith(short[:-1])
    assert shorten("Short enough.") == "Short enough."


def test_the_seed_is_titled_by_its_summary():  # it has no SUBJECT line; its page was titled by its id
    cable = parse_cable(next(iter(read_sources([SEED_PAGE]))))
    assert cable.subject is None  # parse --json keeps subject null
    assert cable.title == ("NATO Allies received a September 17 briefing on the President's decision on the "
                           "U.S. Ballistic" + ELLIPSIS)
    entry = CatalogEntry.of(cable, "cable/undated/x.html")
    assert entry.title == cable.title and entry.subject is None


def test_catalog_entry_made_without_a_title_falls_back_like_the_cable():
    raw = RawCable(text="SUBJECT: A SUBJECT\n\n1. (U) Text.", location=SourceLocation("s"), kind="native",
                   fields={"id": "09X1"})
    cable = parse_cable(raw)
    entry = CatalogEntry(id=cable.id, url="u", date=None, subject=cable.subject, origin=None, classification=None)
    assert entry.title == cable.title == "A SUBJECT"


def test_one_first_sentence_rule_for_titles_and_descriptions():
    """The title (without a subject) and the page's meta description take the same first sentence."""
    from generator.write import reader
    assert reader.first_sentence is first_sentence
    # 07BAGHDAD3504's paragraph 2 (no subject): a lone number is not the sentence ("2." was its title)
    text = ("2. On October 11 the Ministry of Defense (MOD) gave the Embassy a copy of the final report of its "
            "investigation. The report found")
    assert first_sentence(text) == text[: text.index(" The report")]
    assert first_sentence("Rain fell. Then more.") == "Rain fell."  # short, but two words: a sentence
    assert first_sentence('SUMMARY: Officials said "never." Then left.') == 'Officials said "never."'  # label out
