"""Body structure on real snippets: artifacts, paragraphs, headings, callouts, spans, summary."""

from __future__ import annotations

import pytest

from generator.model import RawCable, SourceLocation, Span
from generator.parse import parse_cable
from generator.parse.artifacts import clean_telegram, strip_numbered_page_headers
from generator.parse.body import find_spans, first_paragraph_start, heading_text
from generator.parse.starts import _has_run_in_heading, split_run_on_paragraph_one
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


# --- paragraph starts on the long tail (issue 20): each spelling of a miss on real cables ---

def test_releasable_marking_opens_a_paragraph():  # 10USNATO35
    cable = _cable('Classified By: D/Political Advisor A. "Hoot" Baez. Reasons: 1.4 (b) an\nd (d).\n\n'
                   "1. (S/REL NATO) On January 22, NATO's Military Committee\nagreed to expand EAGLE GUARDIAN.\n\n"
                   "2. (S/REL NATO) The Supreme Allied Commander Europe (SACEUR),\nADM Stavridis, had proposed it.")
    assert [(p.anchor, p.classification) for p in _numbered(cable)] == [
        ("par1", "S/REL NATO"), ("par2", "S/REL NATO")]
    assert _numbered(cable)[0].text.startswith("On January 22, NATO's")
    assert cable.classification == "SECRET"


def test_releasable_to_several_readers():  # 10KABUL693, 08STATE107438
    cable = _cable("for Reasons 1.4(b) and (d)\n\n1. (S//Rel NATO, ISAF) Begin Summary. Senior Civilian\n"
                   "Representative (SCR) Frank Ruggiero met one-on-one.\n\n"
                   "2. (C/rel to UN) Begin points:\n-- Over time, the United States has become concerned.")
    assert [(p.number, p.classification) for p in _numbered(cable)] == [(1, "S/REL NATO, ISAF"), (2, "C/REL TO UN")]


def test_marking_wrapped_onto_the_next_line_under_a_dashed_heading():  # 08STATE79112
    cable = _cable("4.  (S//REL KAZAKHSTAN) Our information currently does not \nindicate a North Korean intent.\n"
                   " \n---------- \nBACKGROUND \n---------- \n \n"
                   "5.  (S//REL CHINA, AFGHANISTAN, KAZAKHSTAN, KYRGYZSTAN, \n"
                   "TAJIKISTAN, TURKMENISTAN, UZBEKISTAN)  The USG has received \n"
                   "information that a flight of proliferation concern is scheduled. \n \n"
                   "6. (S//REL AFGHANISTAN, KAZAKHSTAN, TAJIKISTAN) Our \ninformation does not indicate it.")
    numbered = _numbered(cable)
    assert [p.number for p in numbered] == [4, 5, 6]
    assert numbered[1].classification == ("S/REL CHINA, AFGHANISTAN, KAZAKHSTAN, KYRGYZSTAN, TAJIKISTAN, "
                                          "TURKMENISTAN, UZBEKISTAN")
    assert numbered[1].text.startswith("The USG has received information")
    assert [p.text for p in cable.paragraphs if p.kind == "heading"] == ["BACKGROUND"]


def test_unknown_parenthesis_after_the_number_stays_in_the_text():  # 09BERLIN1626
    cable = _cable("1.   Lead Stories Summary \n \nThe press led with a report. \n \n"
                   "2.   (U.S.)   Failed Terrorist Attack \n \nEditorials criticized the security gaps. \n \n"
                   "3.   (Iran)   New Protests \n \nAnother report. \n \n"
                   "4.   (China)   Reaction to Jailing of Liu Xiabo ")
    numbered = _numbered(cable)
    assert [p.number for p in numbered] == [1, 2, 3, 4]
    assert numbered[2].text.startswith("(Iran)   New Protests") and numbered[2].classification is None


def test_list_label_after_the_number_is_still_a_list():
    cable = _cable("2. (C) The measures are:\n3. (a) a ban on transfers;\n4. (b) an asset freeze.\n\n3. (C) Next.")
    assert [p.number for p in _numbered(cable)] == [2, 3]


def test_unmarked_paragraph_right_under_a_dashed_heading():  # 07PARIS1791 (a marked cable)
    cable = _cable("SUMMARY \n------- \n1. (SBU) Nicolas Sarkozy has won France's presidency. END SUMMARY \n\n"
                   "A CLEAR-CUT, CONVINCING VICTORY \n------------------------------- \n"
                   "2. Former Interior Minister Nicolas Sarkozy's second-round \nwin over Royal.\n\n"
                   "THAT GIVES SARKOZY A MANDATE \n---------------------------- \n"
                   "3. (U) In electing -- by a clear-cut majority -- the \nactivist Sarkozy.")
    assert [(p.number, p.classification) for p in _numbered(cable)] == [(1, "SBU"), (2, None), (3, "U")]


def test_skipped_number_under_a_heading_in_a_marked_cable():
    """07PARIS1791's layout with its paragraph 2 numbered 3, as cables skip numbers (09STATE82013
    goes 1, 4, 5): under a ruled heading the skip is believed; after a mere break it is not, since
    there an unmarked number is more often one wrapped onto a line start."""
    cable = _cable("1. (SBU) Nicolas Sarkozy has won France's presidency. END SUMMARY \n\n"
                   "A CLEAR-CUT, CONVINCING VICTORY \n------------------------------- \n\n"
                   "3. Former Interior Minister Nicolas Sarkozy's second-round \nwin over Royal.\n\n"
                   "4. (U) In electing -- by a clear-cut majority -- the \nactivist Sarkozy.")
    assert [p.number for p in _numbered(cable)] == [1, 3, 4]
    no_heading = _cable("1. (SBU) Nicolas Sarkozy has won France's presidency. END SUMMARY \n\n"
                        "3. Former Interior Minister Nicolas Sarkozy's second-round \nwin over Royal.\n\n"
                        "4. (U) In electing -- by a clear-cut majority -- the \nactivist Sarkozy.")
    assert [p.number for p in _numbered(no_heading)] == [1, 4]


def test_paragraph_under_a_heading_between_dashes():  # 06LAPAZ3400's heading on one line
    cable = _cable("1. (C) Text.\n\n2. (C) More text\n----- SUMMARY -----\n3. Unmarked under the heading.\n\n"
                   "4. (C) Last.")
    assert [p.number for p in _numbered(cable)] == [1, 2, 3, 4]


def test_run_in_heading_opens_a_paragraph_without_a_blank_line():
    """A number and a title-case run-in heading start a paragraph even when the line above does
    not end a sentence (a list item, a redaction). The lines are real: 09STATE122950's paragraph 3
    after 08STATE79112's last talking point; a wrapped date followed by prose is not one."""
    cable = _cable("1. Posts should deliver the points below.\n\n2. Begin points:\n"
                   "-- We would like to raise with you a North Korean flight\n"
                   "3.  Action Request: Request Embassy Berlin approach \nappropriate host government officials.")
    assert [p.number for p in _numbered(cable)] == [1, 2, 3]
    assert _numbered(cable)[2].text.startswith("Action Request: Request Embassy Berlin")


@pytest.mark.parametrize(("rest", "following", "expected"), [
    ("Action Request: Request Embassy Berlin approach ", "appropriate host", True),  # 09STATE122950
    ("Defense Spending. Macedonia continues to ", "devote", True),  # 06SKOPJE105
    ("Summary and Comment: Sweden", "", True),  # parser case (subject)
    ("WMD Proliferation Financing Issues", "----------------------------------", True),  # 06VIENNA515
    ("Privately, Rep. Engel described the CODEL's 90-minute", "meeting", False),  # 08BUENOSAIRES235
    ("President Aznar offered his opinions on the domestic", "political", False),  # 06MADRID2632
    ("Meeting with the Ambassador on January 21 (ref A),", "Tihipko", False),  # 10KYIV168
    ("In September the Salafist Group for Preaching and Combat ", "(GSPC) announced", False),  # 06PARIS7884
    ("SUMMARY: THE MINISTER SAID", "", False),  # capitals say nothing
])
def test_what_is_a_run_in_heading(rest, following, expected):
    assert _has_run_in_heading(rest, following) is expected


@pytest.mark.parametrize("text", [
    "SUBJECT: AARGH! SWEDISH PIRATES SET SAIL FOR BRUSSELS\n1. Summary and Comment: Sweden has a new party.\n\n"
    "2. The second paragraph.",  # parser case (subject)
    "SUBJECT: EU JHA INFORMAL MINISTERIAL\n1. Summary. EU Justice and Home Affairs ministers met.\n\n"
    "2. The second paragraph.",  # parser case (subject)
    "TAGS OVIP (CLINTON, HILLARY), PGOV, PREL, KDEV, ECON,\nNL, IS, SR\n"
    "SUBJECT: (U) Secretary Clinton's July 14 conversation\nwith Dutch Foreign Minister Verhagen\n"
    "1. Classified by Bureau Assistant Secretary Philip H. Gordon. Reason: 1.4 (d)\n"
    "2. (U) July 14; 2:45 p.m.; Washington, DC.\n3. (SBU) Participants:",  # parser case: wrapped subject
])
def test_first_paragraph_directly_under_the_subject_line(text):
    cable = _cable(text)
    assert [p.number for p in _numbered(cable)][:2] == [1, 2]
    assert "1." not in (cable.subject or "")


def test_numbered_reference_under_the_subject_is_not_a_paragraph():
    lines = ["SUBJECT: HAITI EARTHQUAKE:  UNESCO MEETING ON SAVING HAITI'S ", "1. UNESCO PARIS FR 000087 "]
    assert first_paragraph_start(lines) is None
    ref_between = ["SUBJECT: HAITI EARTHQUAKE:  UNESCO MEETING ", "REF: UNESCO PARIS FR 000087 ", "1. Summary. UNESCO,"]
    assert first_paragraph_start(ref_between) is None  # the REF line may go on: no evidence


def test_paragraph_one_right_under_a_ref_line_is_confirmed_by_paragraph_two():
    """A parser case's lines (SUBJECT: HAITI EARTHQUAKE ... REF: UNESCO PARIS FR 000087) with the
    blank line before paragraph 1 left out, as 08CASABLANCA81 does before its marked one. Nothing
    above shows where the unmarked paragraph 1 starts; paragraph 2 after a blank line does. Without
    it the REF field ran on over paragraph 1 and the cable lost every paragraph."""
    cable = _cable("SUBJECT: HAITI EARTHQUAKE:  UNESCO MEETING ON SAVING HAITI'S \nHERITAGE \n"
                   "REF: UNESCO PARIS FR 000087 \n1. Summary. UNESCO convened a meeting.\n\n"
                   "2. The second paragraph.")
    assert [p.number for p in _numbered(cable)] == [1, 2]
    assert [r.text for r in cable.references] == ["UNESCO PARIS FR 000087"]  # paragraph 1 not in the REF


def test_numbered_ref_lines_do_not_confirm_each_other():
    """The REF entries of that parser case numbered one per line: the second shows no paragraph
    start (the line above ends in a number), so neither is a paragraph; paragraph 1 after the
    blank line is."""
    lines = ["REF: ", "1. USUNESCO PARIS FR 000087, ", "2. USUNESCO PARIS FR 00187 ", "",
             "1. Ambassador met the Director-General."]
    assert first_paragraph_start(lines).line == 4


def test_paragraph_one_run_on_at_the_end_of_the_classified_by_line():  # 09TRIPOLI65
    cable = _cable("SUBJECT: PAN AM BOMBER AL-MEGRAHI: THE VIEW FROM TRIPOLI\n\n"
                   "CLASSIFIED BY: Gene A. Cretz, Ambassador, U.S. Embassy - Tripoli, U.S. Dept of State. "
                   "REASON: 1.4 (b), (d) 1. (C/NF) Summary: While Libya has a number of other pressing "
                   "foreign policy issues on its plate, none is as sensitive. End summary.\n\n"
                   "2. (C/NF) The second paragraph.")
    numbered = _numbered(cable)
    assert [(p.anchor, p.classification) for p in numbered] == [("par1", "C/NF"), ("par2", "C/NF")]
    assert numbered[0].text.startswith("Summary: While Libya")
    assert cable.classification_reasons == "1.4 (b), (d)"


def test_bare_run_on_number_before_the_real_paragraph_one_is_left():  # 10BRASILIA51
    lines = ["SUBJECT: Ambassador Shannon's Meeting with MOD Jobim ", "",
             "CLASSIFIED BY: Thomas Shannon, Ambassador; REASON: 1.4(D) 1. (C) ", "",
             "1. (C) During Ambassador Shannon's introductory call February 5"]
    assert split_run_on_paragraph_one(lines) is lines


def test_run_on_paragraph_one_only_in_a_header_field():  # 08ROME1406 repeats its own opening
    lines = ["1. (C) Summary. 1. (C) Summary. The political conditions in Italy are dramatically different"]
    assert split_run_on_paragraph_one(lines) is lines
    prose = ["The embassy wrote on page 1. (C) marks were missing."]  # made up: the corpus has no such line
    assert split_run_on_paragraph_one(prose) is prose


def test_sentence_closed_by_a_curly_quote_ends_the_text_before():  # 04RANGOON88's line
    cable = _cable("1. An expatriate businessman said\nyou could land the space shuttle on it.\u201d\n"
                   "2. Comment: Rumors of construction abound.")
    assert [p.number for p in _numbered(cable)] == [1, 2]


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


def test_a_short_closing_line_after_the_last_paragraph_heads_nothing():
    # 10PRISTINA84's end once the signer is taken off: "END COMMENT" is no heading of a paragraph to come.
    from generator.parse.body import parse_body
    lines = ["1. (C) The talks went on.", "", "2. (C) Comment: they will go on. End Comment.", "",
             "END COMMENT", "", "DELL"]
    paragraphs, _ = parse_body(lines, 0)
    assert [p.anchor for p in paragraphs] == ["par1", "par2"]
    assert [p.kind for p in paragraphs] == ["paragraph", "paragraph"]
