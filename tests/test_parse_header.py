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
    assert split_tags(found.tags_text) == ["OVIP", "CLINTON, HILLARY", "PREL", "AS", "PK", "AF", "CH", "RS", "JA",
                                           "KS", "ASEAN"]


def test_person_tag_in_parentheses_lower_case_wrapped():  # 09BEIJING2963: OVIP and the person, two entries
    found = _header("Tags: ovip (steinberg, james b.), prel, parm, pgov, econ,\netra, mnuc, marr, ch, jp, kn, ks, ir")
    tags = split_tags(found.tags_text)
    assert tags[:2] == ["OVIP", "STEINBERG, JAMES B."]
    assert tags[2:5] == ["PREL", "PARM", "PGOV"] and tags[-1] == "IR"


def test_person_tag_without_parentheses():  # 09STATE11937, 09SANTIAGO324: the name as "SURNAME, GIVEN"
    assert split_tags("OVIP CLINTON HILLARY PREL KPAL FR IR RS") == [
        "OVIP", "CLINTON, HILLARY", "PREL", "KPAL", "FR", "IR", "RS"]
    assert split_tags("OVIP BIDEN JOSEPH PREL ECON PGOV SOCI UK PK")[:3] == ["OVIP", "BIDEN, JOSEPH", "PREL"]


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


# --- TAGS: the long tail (issue 20) ------------------------------------------------------
# Known codes for the rules that need them: a few rows of site_config/ (the build passes all of them).
from generator.parse.tags import MAX_TAGS, TagRules, read_tags  # noqa: E402

_KNOWN = TagRules(known=frozenset({"PHUM", "BA", "KCRM", "KWMN", "ASEC", "ETRD", "EINV", "PGOV", "CS", "IT", "PREL",
                                   "VT", "VE", "EC", "IN", "CV", "IS", "CVIS", "UN", "ECON", "KFRD", "KIRF", "CMGT",
                                   "SMIG", "EG", "AS", "CM", "GT"}),
                  corrections={"MOPPS": "MOPS", "COUNTER TERRORISM": "COUNTERTERRORISM"})


def test_tags_cut_at_the_next_pages_header():  # 05ROME1059: the page header and what repeats after it
    text = _header("TAGS: ECON, EFIN, EFIN, EFIN, EFIN, IT                       UNCLASSIFIED    PAGE 02        "
                   "ROME  01059  01 OF 04  281501Z ECON, IT").tags_text
    assert split_tags(text) == ["ECON", "EFIN", "IT"]


def test_tags_drop_handling_words():  # 07MEXICO3394: SIPDIS typed into the TAGS line
    assert split_tags("ECON ETRD PGOV CA MX SIPDIS") == ["ECON", "ETRD", "PGOV", "CA", "MX"]


def test_tags_wrap_onto_a_line_of_codes():  # 09STATE11937: no comma at the break, codes go on
    found = _header("TAGS: OVIP CLINTON HILLARY PREL KPAL FR IR RS\nNATO, UK, CN\nSUBJECT: (U) Secretary")
    assert split_tags(found.tags_text) == ["OVIP", "CLINTON, HILLARY", "PREL", "KPAL", "FR", "IR", "RS", "NATO",
                                           "UK", "CN"]


def test_tags_do_not_run_into_a_line_of_text():  # a lower-case line after TAGS is not a code
    assert split_tags(_header("tAgs: something\nhere").tags_text) == ["SOMETHING"]
    assert split_tags(_header("tAgs: something,\nhere").tags_text) == ["SOMETHING", "HERE"]


def test_tags_free_text_wrapped_is_one_entry():  # 06KUWAIT1697: "COUNTRY\nCLEARANCE"
    found = _header("TAGS: OREP AMGT ASEC AFIN GM IZ IC KU COUNTRY\nCLEARANCE \nSUBJECT: KUWAIT GRANTS COUNTRY")
    assert split_tags(found.tags_text)[-2:] == ["KU", "COUNTRY CLEARANCE"]


def test_tags_free_text_keeps_a_short_word_inside():  # 06ANKARA: "TIP IN TURKEY", IN is not India here
    assert split_tags("TU BO MD PHUM KCRM PGOV KJUS TIP IN TURKEY") == [
        "TU", "BO", "MD", "PHUM", "KCRM", "PGOV", "KJUS", "TIP IN TURKEY"]
    assert split_tags("ECON ETRD PREL PGOV PTER KWBG JO IS ECONOMY AND FINANCE")[-1] == "ECONOMY AND FINANCE"


def test_tags_short_unknown_codes_stay_apart():  # 09OSLO: CIA INRA INRO are codes, not a phrase
    assert split_tags("CIA INRA INRO PGOV PINR PREL NO") == ["CIA", "INRA", "INRO", "PGOV", "PINR", "PREL", "NO"]


def test_tags_run_together_split_by_known_codes():  # 06MANAMA1231 PHUMBA, 06SANJOSE ETRDEINVECINPGOVCS
    assert split_tags("KCRM KWMN ASEC PHUMBA", _KNOWN) == ["KCRM", "KWMN", "ASEC", "PHUM", "BA"]
    assert split_tags("ETRDEINVECINPGOVCS", _KNOWN) == ["ETRD", "EINV", "ECIN", "PGOV", "CS"]  # not EC + IN
    assert split_tags("PHUM, IT, ITPHUM, ITPHUM", _KNOWN) == ["PHUM", "IT"]  # repeats glued on: dropped
    assert split_tags("KFRDKIRFCVISCMGTKOCIASECPHUMSMIGEG", _KNOWN) == [
        "KFRD", "KIRF", "CVIS", "CMGT", "KOCI", "ASEC", "PHUM", "SMIG", "EG"]  # CVIS, not CV + IS


def test_tags_words_are_not_split_into_codes():  # neither without the tables nor with them
    assert split_tags("PHUMBA") == ["PHUMBA"]  # no tables: nothing known, nothing guessed
    assert split_tags("PREL SCUL CS UNESCO", _KNOWN) == ["PREL", "SCUL", "CS", "UNESCO"]
    assert split_tags("SNAR PM ECONOMIC AFFAIRS", _KNOWN) == ["SNAR", "PM", "ECONOMIC AFFAIRS"]


def test_tags_corrections_from_the_table():  # 03SANAA: MOPPS; 04SANAA2346: COUNTER TERRORISM
    assert split_tags("PTER MARR, MOPPS", _KNOWN) == ["PTER", "MARR", "MOPS"]
    assert split_tags("PREL PTER YM COUNTER TERRORISM", _KNOWN)[-1] == "COUNTERTERRORISM"
    assert split_tags("PTER MARR, MOPPS") == ["PTER", "MARR", "MOPPS"]  # without the table: as written


def test_person_after_ovip_ends_at_a_known_code():  # 07SAOPAULO: BUSH is code-shaped but no code
    assert split_tags("OVIP BUSH GEORGE PREL PGOV BR", _KNOWN)[:3] == ["OVIP", "BUSH, GEORGE", "PREL"]


def test_misspelt_tags_label():  # 06AMMAN: TAS:, 05ATHENS: TGS:, 06CARACAS: TABS:, TAGES:, AGS: after DECL
    assert split_tags(_header("E.O. 12958: N/A \nTAS: ECON, ETRD, IS, JO \nSUBJECT: X").tags_text) == [
        "ECON", "ETRD", "IS", "JO"]
    assert split_tags(_header("E.O.1295: NA \nTGS: GOV, PREL, GR \nSUBJECT: X").tags_text) == ["GOV", "PREL", "GR"]
    assert split_tags(_header("TABS: EFIS, ECON, VE, NS").tags_text) == ["EFIS", "ECON", "VE", "NS"]
    assert split_tags(_header("TAGES:  OIIP, KPAO, PREL, JO").tags_text) == ["OIIP", "KPAO", "PREL", "JO"]
    assert split_tags(_header("DECL: 08/22/2017 AGS: PGOV, PREL, AR").tags_text) == ["PGOV", "PREL", "AR"]


def test_a_word_like_a_label_in_text_is_not_one():
    assert _header("TASK: none").tags_text is None  # two letters off TAGS
    assert _header("We agreed on TAGS later: no").tags_text is None


def test_tags_line_of_a_megabyte_is_read_in_linear_time_and_cut():
    import time
    codes = [f"K{chr(65 + i // 676 % 26)}{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}" for i in range(17576)]
    text = ", ".join(codes * 12)[:1_000_000]
    start = time.process_time()
    found = read_tags(text, _KNOWN)
    assert time.process_time() - start < 5  # quadratic took minutes
    assert len(found.tags) == MAX_TAGS and found.cut_from == 17576


def test_cut_tags_line_is_reported_as_a_warning():
    warnings: list[str] = []
    raw = RawCable(text="TAGS: " + " ".join(f"K{a}{b}A" for a in "ABCDEFGHIJKLMNOPQRS" for b in "ABCDEFGHIJKLMNOPQRS")
                   + "\nSUBJECT: X\n\n1. (U) Text.", location=SourceLocation("snippet"), kind="native",
                   fields={"id": "09TEST1"})
    cable = parse_cable(raw, None, warnings)
    assert len(cable.tags) == MAX_TAGS
    assert warnings == [f"TAGS line of 361 entries; only the first {MAX_TAGS} are kept"]


# --- SUBJECT: where it ends (issue 20) ---------------------------------------------------

def test_subject_ends_at_ref_run_on_the_line():  # 08BRASILIA861, 07BRASILIA: "REFS: (A)", "Ref(s): A)"
    found = _header("SUBJECT: ENERGY INSTALLATIONS REF: BRASILIA 861")
    assert (found.subject, found.ref_text) == ("ENERGY INSTALLATIONS", "BRASILIA 861")
    assert _header("SUBJECT: BRAZIL - NEXT STEPS FOR VARIG UNCLEAR REFS: (A) BRASILIA 1608").subject == (
        "BRAZIL - NEXT STEPS FOR VARIG UNCLEAR")
    assert _header("SUBJECT: KEY ENERGY ENTITIES IN RIO Ref(s): A) 08 RIO DE JAN 138").subject == (
        "KEY ENERGY ENTITIES IN RIO")


def test_subject_ends_at_a_field_glued_to_its_last_word():  # 08LONDON1991, 09CAIRO: no space before the name
    found = _header("SUBJECT: (C/NF) WHO WOULD REPLACE GORDON BROWN AS UK PRIMEREF: A. LONDON 1939  B. LONDON 1704")
    assert found.subject == "WHO WOULD REPLACE GORDON BROWN AS UK PRIME"
    assert found.ref_text == "A. LONDON 1939 B. LONDON 1704"
    found = _header("SUBJECT: SCENESETTER FOR AMBASSADOR CROCKER’S VISIT TO CAIROClassified By: DEPUTY CHIEF OF "
                    "MISSION STUART JONES. REASONS: 1.4 (B) and (D)")
    assert found.subject == "SCENESETTER FOR AMBASSADOR CROCKER’S VISIT TO CAIRO"
    assert found.classified_by == "DEPUTY CHIEF OF MISSION STUART JONES"


def test_subject_ends_at_a_handling_notice():  # 08CAIRO: "Sensitive but" run on
    assert _header("SUBJECT:EGYPT'S 55th BIRD FLU VICTIM, ANOTHER CHILD Sensitive but \n").subject == (
        "EGYPT'S 55th BIRD FLU VICTIM, ANOTHER CHILD")


def test_subject_does_not_run_into_paragraph_one():  # 09BRUSSELS: unmarked "1." on the next line
    assert _header("SUBJECT: EU JHA INFORMAL MINISTERIAL\n1. Summary. EU Justice and Home...").subject == (
        "EU JHA INFORMAL MINISTERIAL")


def test_capital_subject_does_not_run_into_a_sentence():  # 09STOCKHOLM: the action request line
    found = _header("SUBJECT: SWEDISH DEPUTY PM URGES SENIOR USG VISITS TO SWEDEN DURING\nEU PRESIDENCY\n"
                    "This is an Action request. Please see para 2.")
    assert found.subject == "SWEDISH DEPUTY PM URGES SENIOR USG VISITS TO SWEDEN DURING EU PRESIDENCY"


def test_subject_line_continuations_of_the_mirror():  # 06GENEVA2654: "\" at every line's end
    found = _header("SUBJECT: HRC: SPECIAL SESSION ON PALESTINE \\\n \\\nREF: A. A) BERN 1253")
    assert found.subject == "HRC: SPECIAL SESSION ON PALESTINE"


def test_subject_alone_then_its_value_after_a_blank_line():  # 08CAIRO: "SUBJECT:" then the words
    assert _header("SUBJECT:\n\nCooperation and Coordination Busts Fraud Ring\n").subject == (
        "Cooperation and Coordination Busts Fraud Ring")


def test_subject_wrapped_at_a_hyphen_joins_without_space():  # 06SANTIAGO: "US- \nLATIN"
    assert _header("SUBJECT: RELATIONSHIP THE US- \nLATIN AMERICAN TIES").subject == (
        "RELATIONSHIP THE US-LATIN AMERICAN TIES")


def test_misspelt_subject_label():  # 08MANAMA: "UBJECT:"
    assert _header("TAGS: PGOV PTER KISL ASEC BA\nUBJECT: BAHRAIN WILL FORMALLY REQUEST QATAR").subject == (
        "BAHRAIN WILL FORMALLY REQUEST QATAR")


def test_build_reports_the_cut_tags_line_as_a_warning_naming_the_cable():
    from generator.build import BuildReport, parse_items
    raw = RawCable(text="TAGS: " + " ".join(f"K{a}{b}A" for a in "ABCDEFGHIJKLMNOPQRS" for b in "ABCDEFGHIJKLMNOPQRS")
                   + "\nSUBJECT: X\n\n1. (U) Text.", location=SourceLocation("cables.csv", line=7), kind="csv",
                   fields={"id": "09TEST1"})
    report = BuildReport()
    assert [p.item.id for p in parse_items([raw], report)] == ["09TEST1"]
    assert report.rejected == []
    assert report.warnings == [{"source": "cables.csv:7", "id": "09TEST1",
                                "message": f"TAGS line of 361 entries; only the first {MAX_TAGS} are kept"}]


def test_person_after_ovip_is_not_reported_as_an_unknown_code():  # 09STATE30049
    from generator.build import unknown_tags
    from generator.enrich.config import load_tables
    cable = _cable("TAGS OVIP (CLINTON, HILLARY), PREL, ZZZQ\nSUBJECT: X\n\n1. (U) Text.")
    assert cable.tags == ["OVIP", "CLINTON, HILLARY", "PREL", "ZZZQ"]
    assert unknown_tags(cable, load_tables()) == ["ZZZQ"]


def test_free_text_ends_before_two_codes_in_a_row():  # with or without the tables
    assert split_tags("COUNTRY CLEARANCE PREL PGOV MEETINGS WITH AMBASSADOR") == [
        "COUNTRY CLEARANCE", "PREL", "PGOV", "MEETINGS WITH AMBASSADOR"]
