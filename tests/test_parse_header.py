"""Header fields on real snippets from the CSV sample: one test per spelling or rule."""

from __future__ import annotations

from generator.model import RawCable, SourceLocation
from generator.parse import parse_cable
from generator.parse.header import normalise_declassification_date, parse_header_lines, split_tags
from generator.parse.markings import classification_from_line
from generator.parse.routing import parse_routing


def _header(text: str):
    return parse_header_lines(text.split("\n"))


def _cable(text: str, cable_id: str = "09TEST1", header: str = "", **fields) -> object:
    raw = RawCable(text=text, location=SourceLocation("snippet"), kind="native", fields={"id": cable_id, **fields},
                   header=header)
    return parse_cable(raw)


# --- TAGS in every spelling -------------------------------------------------------------

def test_tags_with_colon_and_spaces():  # 09RIODEJANEIRO365
    assert split_tags(_header("TAGS: SOCI SNAR PGOV ASEC BR").tags_text) == ["SOCI", "SNAR", "PGOV", "ASEC", "BR"]


def test_tags_without_colon_with_commas():  # 00HARARE6677
    assert split_tags(_header("TAGS PGOV, PREL, ECON, PINR, ZI, SA ").tags_text) == [
        "PGOV", "PREL", "ECON", "PINR", "ZI", "SA"]


def test_tags_lower_case_after_other_fields_on_one_line():  # 04ANKARA348
    found = _header("E.o. 12958: decl: 01/07/2014 Tags: prel, pgov, pins, tu Subject: turkish p.m. Erdogan goes")
    assert split_tags(found.tags_text) == ["PREL", "PGOV", "PINS", "TU"]
    assert found.subject == "turkish p.m. Erdogan goes"
    assert found.declassify_on == "2014-01-07"


def test_tag_singular_without_colon_after_decl():  # 09STOCKHOLM194
    found = _header("E.O. 12958:  DECL: 03/20/2019 TAG PTER, PGOV, ASEC, EFIN, ENRG, KCIP, SW \n\n"
                    "SUBJECT:  SWEDEN: CI/KR RESPONSE FOR S/CT  ")
    assert split_tags(found.tags_text) == ["PTER", "PGOV", "ASEC", "EFIN", "ENRG", "KCIP", "SW"]
    assert found.subject == "SWEDEN: CI/KR RESPONSE FOR S/CT"


def test_tags_wrapped_until_subject():  # 09STATE30049
    found = _header("TAGS OVIP (CLINTON, HILLARY), PREL, AS, PK, AF, CH, \nRS,JA, KS, ASEAN \n"
                    "SUBJECT: SECRETARY CLINTON'S MEETING")
    assert split_tags(found.tags_text) == ["OVIP (CLINTON, HILLARY)", "PREL", "AS", "PK", "AF", "CH", "RS", "JA",
                                           "KS", "ASEAN"]


def test_person_tag_in_parentheses_lower_case_wrapped():  # 09BEIJING2963
    found = _header("Tags: ovip (steinberg, james b.), prel, parm, pgov, econ,\netra, mnuc, marr, ch, jp, kn, ks, ir")
    tags = split_tags(found.tags_text)
    assert tags[0] == "OVIP (STEINBERG, JAMES B.)"
    assert tags[1:4] == ["PREL", "PARM", "PGOV"] and tags[-1] == "IR"


def test_person_tag_without_parentheses():  # 09STATE11937, 09SANTIAGO324
    assert split_tags("OVIP CLINTON HILLARY PREL KPAL FR IR RS") == [
        "OVIP CLINTON HILLARY", "PREL", "KPAL", "FR", "IR", "RS"]
    assert split_tags("OVIP BIDEN JOSEPH PREL ECON PGOV SOCI UK PK")[:2] == ["OVIP BIDEN JOSEPH", "PREL"]


def test_tags_deduplicated_and_upper_cased():
    assert split_tags("prel, PREL pgov; Pgov") == ["PREL", "PGOV"]


def test_multi_word_item_in_comma_list_is_one_tag():  # 04BRUSSELS1868
    assert split_tags("PREL, PGOV, PINR, PBTS, EUN, USEU BRUSSELS ")[-1] == "USEU BRUSSELS"


# --- SUBJECT ---------------------------------------------------------------------------

def test_subject_wrapped_and_stopped_before_classified_by():  # 08BRASILIA351, page header removed
    cable = _cable("C O N F I D E N T I A L SECTION 01 OF 03 BRASILIA 000351 \n\nE.O. 12958: DECL: 03/12/2018 \n"
                   "TAGS: PREL MASC OVIP BR\nSUBJECT: SCENESETTER FOR THE VISIT OF MINISTER OF DEFENSE \n"
                   "NELSON JOBIM TO WASHINGTON BRASILIA 00000351 001.2 OF 003 \n"
                   "Classified By: Ambassador Clifford Sobel \n\n1. (C) Minister of Defense Nelson Jobim will travel.",
                   cable_id="08BRASILIA351")
    assert cable.subject == "SCENESETTER FOR THE VISIT OF MINISTER OF DEFENSE NELSON JOBIM TO WASHINGTON"
    assert cable.classified_by_text == "Ambassador Clifford Sobel"
    assert cable.classified_by == ["Clifford Sobel"]


def test_subj_abbreviated():
    assert _header("SUBJ: UNGA VOTES ON IRAN\n\n1. (U) Text.").subject == "UNGA VOTES ON IRAN"


def test_subject_without_colon():
    assert _header("SUBJECT TURKEY: PM ERDOGAN VISIT\nREF: ANKARA 12").subject == "TURKEY: PM ERDOGAN VISIT"


def test_subject_stops_before_ref():
    found = _header("SUBJECT: RIO WEIGHS OPTIONS FOR NEXT FAVELA PACIFICATION \n"
                    "REF: RIO DE JANEIRO 329; RIO DE JANEIRO 346;")
    assert found.subject == "RIO WEIGHS OPTIONS FOR NEXT FAVELA PACIFICATION"
    assert found.ref_text == "RIO DE JANEIRO 329; RIO DE JANEIRO 346;"


def test_subject_marking_kept_apart():
    found = _header("SUBJECT: (C) IRAN: NEXT STEPS ON SANCTIONS")
    assert (found.subject, found.subject_marking) == ("IRAN: NEXT STEPS ON SANCTIONS", "C")
    assert _header("SUBJECT: (U) ELECTIONS").subject_marking == "U"


def test_subject_continued_after_old_page_header():  # 00HARARE6677: trailing text is the subject's end
    cable = _cable("SUBJECT: ASSISTANT SECRETARY MEETS WITH ZIMBABWE \n CONFIDENTIAL\n"
                   "PAGE 02 HARARE 06677 01 OF 03 291400Z OPPOSITION LEADER\nREFTEL: HARARE 6584\n"
                   "1. (C) SUMMARY: TEXT. END SUMMARY.", cable_id="00HARARE6677")
    assert cable.subject == "ASSISTANT SECRETARY MEETS WITH ZIMBABWE OPPOSITION LEADER"
    assert cable.reference_ids == ["00HARARE6584"]


def test_ref_continues_across_blank_line_after_semicolon():  # 09RIODEJANEIRO365
    cable = _cable("SUBJECT: RIO WEIGHS OPTIONS \n\nREF: RIO DE JANEIRO 329; RIO DE JANEIRO 346; \n\n"
                   "RIO DE JANEIRO 353 RIO DE JAN 00000365 001.2 OF 002 CLASSIFIED BY: Dennis W. Hearne, Principal "
                   "Officer; REASON: 1.4(B), (D) \n\n1. (C) On October 29, text.", cable_id="09RIODEJANEIRO365")
    assert cable.reference_ids == ["09RIODEJANEIRO329", "09RIODEJANEIRO346", "09RIODEJANEIRO353"]
    assert cable.classified_by_text == "Dennis W. Hearne, Principal Officer"
    assert cable.classified_by == ["Dennis W. Hearne"]
    assert cable.classification_reasons == "1.4(B), (D)"


def test_ref_stops_at_unnumbered_marked_paragraph():  # 08KUALALUMPUR317
    found = _header("REF: STATE 40380 \n(SBU) Poloff delivered reftel demarche and nonpaper.")
    assert found.ref_text == "STATE 40380"


# --- classification, handling, E.O., Classified By -------------------------------------

def test_spaced_and_garbled_classification_lines():
    assert classification_from_line("C O N F I D E N T I A L SECTION 01 OF 04 ANKARA 000348") == "CONFIDENTIAL"
    assert classification_from_line("SS E C R E T SECTION 01 OF 02 PARIS 000381") == "SECRET"  # 09PARIS381
    assert classification_from_line("CO N F I D E N T I A L SECTION 01 OF 06 PARIS 001501") == "CONFIDENTIAL"
    assert classification_from_line("SECRET//NOFORN") == "SECRET//NOFORN"
    assert classification_from_line("UNCLAS SECTION 01 OF 05 KABUL 003934") == "UNCLASSIFIED"


def test_handling_noforn_and_sipdis():  # 09BRASILIA953
    cable = _cable("S E C R E T SECTION 01 OF 02 BRASILIA 000953 \n\nNOFORN \n\nSIPDIS \n\n"
                   "E.O. 12958: DECL: 07/31/2019 \nTAGS: PREL MASS BR US\n"
                   "Classified By: Ambassador Clifford Sobel. Reasons: 1.4 (B and D). \n\n1. (S/NF) In a July 27 call.")
    assert cable.classification == "SECRET"
    assert cable.handling == ["NOFORN", "SIPDIS"]
    assert (cable.eo, cable.declassify_on) == ("12958", "2019-07-31")
    assert cable.classified_by_text == "Ambassador Clifford Sobel"
    assert cable.classified_by == ["Clifford Sobel"]
    assert cable.classification_reasons == "1.4 (B and D)"


def test_classified_by_after_a_marking_with_for_reasons():  # 04ANKARA348
    found = _header("(U) Classified by Ambassador Eric Edelman; reasons: 1.5 (b,d).")
    assert (found.classified_by, found.classification_reasons) == ("Ambassador Eric Edelman", "1.5 (b,d)")


def test_declassification_dates():
    assert normalise_declassification_date("11/29/10") == "2010-11-29"  # 00HARARE6677
    assert normalise_declassification_date("2035/01/07") == "2035-01-07"  # 10ABUDHABI9
    assert normalise_declassification_date("1/3/2019") == "2019-01-03"  # 09PESHAWAR2
    assert normalise_declassification_date("N/A") is None
    assert _header("E.O. 12958: N/A TAGS: PGOV PINR").declassify_on is None  # 09SAOPAULO660
    assert _header("EO 12958 DECL: 11/29/10 ").eo == "12958"


# --- routing header --------------------------------------------------------------------

def test_routing_header_from_csv_column():  # 06KABUL3934
    routing = parse_routing("VZCZCXRO3979\nPP RUEHDBU RUEHIK RUEHYG\nDE RUEHBUL #3934/01 2460836\nZNR UUUUU ZZH\n"
                            "P 030836Z SEP 06\nFM AMEMBASSY KABUL\nTO RUEHC/SECSTATE WASHDC PRIORITY 2240\n"
                            "INFO RUCNAFG/AFGHANISTAN COLLECTIVE\nRHEHAAA/NATIONAL SECURITY COUNCIL WASHINGTON DC\n"
                            "RUEHNO/USMISSION USNATO 2936")
    assert routing.sender == "AMEMBASSY KABUL"
    assert routing.recipients == ["SECSTATE WASHDC"]
    assert routing.info == ["AFGHANISTAN COLLECTIVE", "NATIONAL SECURITY COUNCIL WASHINGTON DC", "USMISSION USNATO"]
    assert (routing.dtg, routing.precedence) == ("030836Z SEP 06", "PRIORITY")


def test_old_telegram_distribution_list_is_not_info():  # 00HARARE6677
    routing = parse_routing("PAGE 01        HARARE  06677  01 OF 03  291400Z \nACTION AF-00    \n\n"
                            "INFO  LOG-00   NP-00    AID-00\n      CTME-00  DINT-00\n"
                            "FM AMEMBASSY HARARE\nTO SECSTATE WASHDC IMMEDIATE 7738\nINFO NSC WASHDC IMMEDIATE\n"
                            "AMEMBASSY NAIROBI")
    assert routing.sender == "AMEMBASSY HARARE"
    assert routing.recipients == ["SECSTATE WASHDC"]
    assert routing.info == ["NSC WASHDC", "AMEMBASSY NAIROBI"]
