"""The summary on real snippets: one test per way drafters open or close it (issue 20)."""

from __future__ import annotations

from generator.model import Paragraph, RawCable, SourceLocation
from generator.parse import parse_cable
from generator.parse.summary import extract_summary


def _summary(text: str) -> str | None:
    raw = RawCable(text=text, location=SourceLocation("snippet"), kind="native", fields={"id": "09TEST1"})
    return parse_cable(raw).summary


def test_summary_colon_to_end_summary():  # the seed's spelling
    assert _summary("1. (C) Summary: NATO Allies received a briefing. End Summary.\n\n2. (C) Following.") == (
        "NATO Allies received a briefing.")


def test_summary_and_action_request():  # 09BRASILIA: the opener has words after "and"
    assert _summary("1. (U) Paragraphs 2 and 8 contain Mission Brazil action request.\n\n"
                    "2. (C) Summary and Action Request. With Iranian President [...]. "
                    "End Summary and Action Request.\n") == "With Iranian President [...]."


def test_summary_slash_comment():  # "Summary/Comment: ... End Summary/Comment."
    assert _summary("Summary/Comment: bla bla\nbla bla bla.  End Summary/Comment.\n") == "bla bla bla bla bla."


def test_summary_heading_then_a_paragraph_that_says_summary_again():  # 09VATICAN: "--- SUMMARY ---"
    assert _summary("------- SUMMARY -------\n\n1. Summary: On March 21, Pope Benedict XVI [...] End Summary. ") == (
        "On March 21, Pope Benedict XVI [...]")


def test_summary_heading_with_more_words():  # 09STATE: "SUMMARY AND TABLE OF CONTENTS", two paragraphs
    text = ("Classified by: David Appleton, Director, \nINR/CCS, Reason: 1.4 (c, d). \n \n"
            "SUMMARY AND TABLE OF CONTENTS \n \n1.  (S/NF) First part.\n\n2. Second part.\n\nEND SUMMARY.\n\n"
            "3. Not the summary.")
    assert " ".join(_summary(text).split()) == "First part. Second part."


def test_summary_over_several_paragraphs_keeps_them_all():  # 09BRUSSELS: SUMMARY AND COMMENT over 3 paras
    text = ("1. (S//NF) SUMMARY AND COMMENT: During a March 2-3 visit to\n\n"
            "2. (C) EU Member States and officials uniformly praised the\n\n"
            "3. (C) The content[...]. END SUMMARY AND COMMENT. \n")
    assert " ".join(_summary(text).split()) == (
        "During a March 2-3 visit to EU Member States and officials uniformly praised the The content[...].")


def test_summary_closed_but_never_opened():  # 10BERLIN164: paragraph 1 ends "END SUMMARY."
    assert _summary("1. (C) German FM Westerwelle told [...]. END SUMMARY.\n\n2. (C) More.") == (
        "German FM Westerwelle told [...].")


def test_summary_closer_broken_over_a_line():  # 08MEXICO: "End\nSummary."
    assert " ".join(_summary("1. On 28 July 2008\n[...]. End\nSummary.\n\n2. Next.").split()) == (
        "On 28 July 2008 [...].")


def test_summary_marking_after_the_opener_is_dropped():  # 09TOKYO: "Summary: (SBU) Japanese"
    assert _summary("1.  Summary: (SBU) Japanese [...]. End Summary \n\n2. Next.") == "Japanese [...]."


def test_unclosed_summary_is_its_paragraph_up_to_an_inline_heading():  # 09MANAMA: no End Summary
    assert _summary("1.(C) Summary: The GOB [...]. -------- Training --------\n\n2.(U) Bah") == "The GOB [...]."


def test_end_summary_is_no_opener():  # the "Summary." of "End Summary." opens nothing
    paragraphs = [Paragraph(1, "par1", "Text of one. End Summary.")]
    assert extract_summary(paragraphs) == "Text of one."


def test_no_summary():
    assert _summary("1. (C) Nothing summarised here.\n\n2. (C) Nor here.") is None
