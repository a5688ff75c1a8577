"""Body structure on real snippets: artifacts, paragraphs, headings, callouts, spans, summary."""

from __future__ import annotations

from generator.model import RawCable, SourceLocation, Span
from generator.parse import parse_cable
from generator.parse.artifacts import clean_telegram, strip_numbered_page_headers
from generator.parse.body import find_spans, heading_text
from generator.write.markdown import cable_spans


def _cable(text: str, cable_id: str = "09TEST1"):
    return parse_cable(RawCable(text=text, location=SourceLocation("snippet"), kind="native", fields={"id": cable_id}))


def _numbered(cable):
    return [p for p in cable.paragraphs if p.number is not None]


# --- telegram artifacts ----------------------------------------------------------------

def test_numbered_page_header_inside_a_sentence_is_cut_out():  # 08TEGUCIGALPA459
    text = "to minimize damage and to TEGUCIGALP 00000459 004 OF 004 protect our core interests."
    expected = "to minimize damage and to protect our core interests."
    assert strip_numbered_page_headers(text, "08TEGUCIGALPA459") == expected


def test_numbered_page_header_on_its_own_line_and_split():  # USNATO form; 09RIODEJANEIRO365 split form
    assert strip_numbered_page_headers("text\nUSNATO 00000464 002 OF 003\nmore", "09USNATO464") == "text\n\nmore"
    split = "CRITERIA\n\nRIO DE JAN 00000365 002.\n\n2 OF 002 5. (C) In selecting favelas"
    assert strip_numbered_page_headers(split, "09RIODEJANEIRO365") == "CRITERIA\n\n\n\n5. (C) In selecting favelas"


def test_old_page_header_keeps_the_text_after_it():  # 00HARARE6677
    lines = clean_telegram("BUT BROUGHT IN MDC MINISTERS--ESSENTIALLY, A  CONFIDENTIAL\n"
                           "PAGE 04 HARARE 06677 01 OF 03 291400Z COALITION GOVERNMENT. THE GOAL", "00HARARE6677")
    assert lines == ["BUT BROUGHT IN MDC MINISTERS--ESSENTIALLY, A", "COALITION GOVERNMENT. THE GOAL"]


def test_repeated_section_header_block_is_dropped():  # 00HARARE6677, section 2 of 3
    lines = clean_telegram(
        "WAITS THAT LONG,\n CONFIDENTIAL\n CONFIDENTIAL PTQ1865\nPAGE 01 HARARE 06677 02 OF 03 291401Z ACTION AF-00\n"
        "INFO LOG-00 NP-00 AID-00\nC O N F I D E N T I A L SECTION 02 OF 03 HARARE 006677\nSIPDIS\n"
        "E.O. 12958: DECL: 11/29/10 TAGS: PGOV PREL ECON PINR ZI SA\n"
        "PAGE 02 HARARE 06677 02 OF 03 291401Z OPPOSITION LEADER\nTHERE WILL BE NOTHING TO VOTE FOR", "00HARARE6677")
    assert lines == ["WAITS THAT LONG,", "THERE WILL BE NOTHING TO VOTE FOR"]


def test_sipdis_at_a_line_start_is_dropped():  # 00HARARE6677
    lines = clean_telegram("OFFERED FOUR\nSIPDIS SCENARIOS UNDER WHICH", None)
    assert lines == ["OFFERED FOUR", "SCENARIOS UNDER WHICH"]


def test_no_page_header_left_in_paragraphs():  # 08BRASILIA43
    cable = _cable("2. (S/NF) The agencies understand that the BRASILIA 00000043 004 OF 004 full scope of the "
                   "problem.\n\n3. (S/NF) Next.", "08BRASILIA43")
    assert _numbered(cable)[0].text == "The agencies understand that the full scope of the problem."


# --- paragraphs ------------------------------------------------------------------------

def test_marker_without_space_and_pilcrow():  # 06ANKARA4688, 02BRASILIA4227
    cable = _cable("1.(C) First.\n\n2.(C/NF) Second.\n\n¶3. (C) Third.")
    assert [(p.number, p.classification, p.text) for p in _numbered(cable)] == [
        (1, "C", "First."), (2, "C/NF", "Second."), (3, "C", "Third.")]


def test_numbering_follows_skips_and_repeats():  # 06LAPAZ3400 numbers 12 twice; some cables skip
    cable = _cable("1. (C) A.\n\n3. (C) B.\n\n8. (C) C.\n\n11. (C) D.\n\n12. (C) E.\n\n12. (C) F.")
    assert [p.number for p in _numbered(cable)] == [1, 3, 8, 11, 12, 12]
    assert [p.anchor for p in _numbered(cable)][-2:] == ["par12", "par12_2"]


def test_number_at_a_line_start_inside_a_paragraph_is_not_a_paragraph():  # 09STATE120288
    cable = _cable("11. (U) the meeting that will begin on November\n26.\n\n-- Beyond the meeting, more.\n\n"
                   "12. (U) We have also compiled answers.")
    assert [p.number for p in _numbered(cable)] == [11, 12]
    assert "November 26." in _numbered(cable)[0].text


def test_year_at_a_line_start_is_not_a_paragraph():
    cable = _cable("1. (C) Elections are due in\n2008. The opposition is split.\n\n2. (C) Second.")
    assert [p.number for p in _numbered(cable)] == [1, 2]


def test_sub_paragraphs_stay_inside_with_their_lines():  # 09STATE120288 style
    cable = _cable("3. (C) Posts should:\n\n-- urge the host government to act;\n\n-- report by November 25.\n\n"
                   "A. first lettered point\nB. second lettered point\n\n4. (C) Next.")
    third = _numbered(cable)[0]
    assert third.text.split("\n\n") == [
        "Posts should:", "-- urge the host government to act;", "-- report by November 25.",
        "A. first lettered point\nB. second lettered point"]
    assert [p.number for p in _numbered(cable)] == [3, 4]


def test_pilcrow_before_a_lettered_sub_paragraph():  # 06VIENNA515
    cable = _cable("2. (S/NF) Concerns:\n\n¶A. (S/NF) USG Concern: Novin Energy Company\n\n3. (C) Next.")
    assert _numbered(cable)[0].text.endswith("\n\nA. (S/NF) USG Concern: Novin Energy Company")


# --- headings --------------------------------------------------------------------------

def test_heading_forms():
    assert heading_text(["SUMMARY", "-------"]) == "SUMMARY"  # 06BEIJING23571
    assert heading_text(["-------", "SUMMARY", "-------"]) == "SUMMARY"  # 06LAPAZ3400
    assert heading_text(["----- SUMMARY -----"]) == "SUMMARY"
    assert heading_text(["(S//NF) Summary"]) == "Summary"  # 10ABUDHABI9
    assert heading_text(["This is a sentence, not a heading."]) is None


def test_underlined_heading_between_paragraphs():  # 06LAPAZ3400
    cable = _cable("6. (C) RUBEN COSTAS: text.\n\n------------- \nTHE DINOSAURS \n------------- \n\n"
                   "7. (C) JOSE LUIS PAREDES MUNOZ: text.")
    kinds = [(p.kind, p.text) for p in cable.paragraphs]
    assert kinds == [("paragraph", "RUBEN COSTAS: text."), ("heading", "THE DINOSAURS"),
                     ("paragraph", "JOSE LUIS PAREDES MUNOZ: text.")]


# --- summary, comments, notes, redactions --------------------------------------------

def test_summary_in_paragraph_one():  # 04ANKARA348
    cable = _cable("1. (C) Summary: P.M. Erdogan expects Washington to focus on Cyprus. End summary.\n\n2. (C) More.")
    assert cable.summary == "P.M. Erdogan expects Washington to focus on Cyprus."


def test_summary_under_a_heading_across_paragraphs():  # 06BEIJING23571 layout
    cable = _cable("SUMMARY\n-------\n\n1. (C) China wants action.\n\n2. (C) It says more. End Summary.\n\n"
                   "3. (C) Rest.")
    assert cable.summary == "China wants action.\n\nIt says more."


def test_summary_paragraph_led_without_end():  # 10RIYADH61
    cable = _cable("1. (S/NF) SUMMARY. On December 13, 2009, officials met.\n\n2. (S/NF) Next.")
    assert cable.summary == "On December 13, 2009, officials met."


def test_comment_paragraph_is_a_callout():  # 09BRASILIA791
    cable = _cable("11. (C) Text.\n\n12. (C) Comment. When Rousseff's illness was made public. End Comment.")
    assert [p.callout for p in _numbered(cable)] == [None, "comment"]


def test_paragraphs_under_a_comment_heading_are_callouts():  # 06LAPAZ3400
    cable = _cable("11. (C) Text.\n\n------- \nCOMMENT \n------- \n\n12. (C) The elections exposed a void.\n\n"
                   "13. (C) More comment.")
    assert [p.callout for p in _numbered(cable)] == [None, "comment", "comment"]


def test_inline_comment_and_note_are_spans():  # 06LAPAZ908, 10DUBAI1
    text = ("Advisers work quietly. (Comment: They are not seeking recognition. End Comment.) "
            "RAK Airways flies. (Note: It still operates a Boeing 757. End Note.) Declined to comment.")
    spans = find_spans(text)
    assert [(s.kind, text[s.start:s.end]) for s in spans] == [
        ("comment", "(Comment: They are not seeking recognition. End Comment.)"),
        ("note", "(Note: It still operates a Boeing 757. End Note.)")]


def test_redaction_runs_are_spans():  # 09PESHAWAR2
    text = "XXXXXXXXXXXX believes the GOP has given up on Swat."
    assert [(s.kind, s.start, s.end) for s in find_spans(text)] == [("redaction", 0, 12)]


def test_spans_render_escaped():
    text = "<b>XXXXXXXXXXXX</b> said (Note: a & b. End Note.)"
    html = str(cable_spans(text, find_spans(text)))
    assert html.startswith('&lt;b&gt;<span class="cable-redaction">XXXXXXXXXXXX</span>&lt;/b&gt;')
    assert '<span class="cable-inline-note">(Note: a &amp; b. End Note.)</span>' in html
    assert "<b>" not in html


def test_crossing_span_is_left_out():
    html = str(cable_spans("abcdef", [Span("comment", 0, 4), Span("note", 2, 6)]))
    assert html == '<span class="cable-inline-comment">abcd</span>ef'


def test_signature_last_line():  # 09BAGHDAD759 style
    cable = _cable("1. (C) Text.\n\n2. (C) Last point.\n\nBUTENIS")
    assert cable.signature == "BUTENIS"
    assert _numbered(cable)[-1].text == "Last point."
