"""What a cable gives the search index (generator/search/analysis.py): word forms under their
stem's entry, and the names it is filed under in slot 0."""

from __future__ import annotations

import datetime as dt

from generator.model import Cable, Paragraph, SourceLocation
from generator.search.analysis import NAME_WEIGHT, STEM_MARK, SUBJECT_WEIGHT, cable_terms, filed_under
from generator.search.tokens import stem, stems


def cable(paragraphs: list[str], subject: str = "", topics: tuple[str, ...] = (), countries: tuple[str, ...] = (),
          origin: str = "Embassy Baku") -> Cable:
    return Cable(id="10BAKU134", location=SourceLocation("test"), subject=subject, date=dt.datetime(2010, 2, 25),
                 origin=origin, classification="CONFIDENTIAL", countries=list(countries), topics=list(topics),
                 paragraphs=[Paragraph(number=n, anchor=f"par{n}", classification=None, text=text)
                             for n, text in enumerate(paragraphs, start=1)])


def test_english_words_are_stemmed_and_names_ids_and_numbers_are_not():
    assert [stem(w) for w in ("negotiations", "negotiate", "sanctions", "pipelines", "dying")] == [
        "negoti", "negoti", "sanction", "pipelin", "die"]
    assert [stem(w) for w in ("10baku134", "agcabədi", "2009", "news")] == ["10baku134", "agcabədi", "2009", "news"]
    assert stems["sanction"] is None  # the cache marks a term that is its own stem


def test_a_stem_entry_counts_every_form_of_the_stem_at_its_first_slot():
    """From 10PARIS71-like text: "sanctions" and "sanctioned", and the stem's own form."""
    counts, first_slot, _ = cable_terms(cable([
        "1. (S) The French favour new sanctions.",
        "2. (S) Sanctions were sanctioned; one sanction stands."]))
    assert counts["sanctions"] == 2 and counts["sanctioned"] == 1 and counts["sanction"] == 1
    assert counts["sanction" + STEM_MARK] == 4
    assert first_slot["sanction" + STEM_MARK] == 1 and first_slot["sanctioned"] == 2


def test_a_cable_whose_only_form_is_the_stem_has_no_stem_entry():
    """Its one form is the term equal to the stem, which the browser takes with the stem's entry."""
    counts, _, _ = cable_terms(cable(["1. (C) One sanction stands."]))
    assert "sanction" in counts and "sanction" + STEM_MARK not in counts


def test_subject_and_names_filed_under_count_in_slot_0_with_their_weights():
    """10BAKU134: filed under Azerbaijan and a topic its text never names."""
    item = cable(["1. (C) The president spoke of the elections."], subject="AZERBAIJANI PRESIDENT",
                 topics=("Human rights",), countries=("AZ",))
    assert filed_under(item) == ["Human rights", "Azerbaijan", "Embassy Baku"]
    counts, first_slot, length = cable_terms(item)
    assert counts["human"] == counts["azerbaijan"] == counts["baku"] == NAME_WEIGHT
    assert counts["azerbaijani"] == SUBJECT_WEIGHT
    assert counts["president"] == SUBJECT_WEIGHT + 1
    assert first_slot["azerbaijani"] == 0 and first_slot["elections"] == 1
    assert first_slot["human"] == 1  # a name's word only: not slot 0, which means "in the subject""
    assert length == 3 + 5 + 6  # subject and id, names (human rights azerbaijan embassy baku), paragraph
