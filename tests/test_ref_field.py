"""The REF field as read from a cable's header lines (generator/parse/refblock.py), on
excerpts of real cables: the CSV sample where it has the pattern, else cables that Cablemap's
tables quote (their ids given)."""

from __future__ import annotations

import pytest

from generator.model import RawCable, SourceLocation
from generator.parse import parse_cable
from generator.parse.refblock import ref_field


def _field(text: str) -> str | None:
    return ref_field(text.split("\n"))


def test_ref_run_into_the_subject_line():  # 10BRASILIA49 (sample)
    text = ("SUBJECT: BRAZIL'S PRESIDENTIAL ELECTIONS: DILMA ROUSSEFF COMES UP FAST BEHIND JOSE SERRA "
            "REF: RIO DE JANEIRO 32 \nCLASSIFIED BY: Lisa Kubiske, Deputy Chief of Mission")
    assert _field(text) == "RIO DE JANEIRO 32"


def test_ref_glued_to_the_subject_in_capitals():  # 08LONDON1991 (sample)
    assert _field("SUBJECT: (C/NF) WHO WOULD REPLACE GORDON BROWN AS UK PRIMEREF: A. LONDON 1939  B. LONDON 1704"
                  ) == "A. LONDON 1939 B. LONDON 1704"


def test_ref_in_running_text_is_no_field():
    assert _field("SUBJECT: VISIT\n\nthe preference: none") is None


def test_labels_go_on_after_a_blank_line_until_the_next_field():  # 06BUENOSAIRES1594 (sample)
    text = ("REF: A. 05 BUENOS AIRES 02728\n\n¶B. 05 BUENOS AIRES 03056\n¶C. BUENOS AIRES 00293\n\n"
            "Classified By: Ambassador Lino Gutierrez for Reasons 1.4 (B) and (D).")
    assert _field(text) == "A. 05 BUENOS AIRES 02728 ¶B. 05 BUENOS AIRES 03056 ¶C. BUENOS AIRES 00293"


def test_an_entry_broken_by_a_blank_line_goes_on():  # 04HANOI (Cablemap): "D. 03" / blank / "HANOI 2323"
    text = "REFS:  A. STATE 7869 B. 03 HANOI 3288 D. 03 \n \nHANOI 2323 E. HCMC 196 \n \n¶1. Mission Viet"
    assert _field(text) == "A. STATE 7869 B. 03 HANOI 3288 D. 03 HANOI 2323 E. HCMC 196"


def test_a_finished_entry_and_a_blank_line_end_the_field():
    assert _field("REF: STATE 1234\n\nTHE AMBASSADOR MET THE MINISTER") == "STATE 1234"


def test_a_label_in_sequence_is_no_portion_mark():  # 06SAOPAULO (Cablemap)
    text = "REF: (A) Sao Paulo 526; \n(B) Sao Paulo 319; \n(C) Sao Paulo 42; \n(D) 05 Sao Paulo 975 \n\nSENSITIVE"
    assert _field(text) == "(A) Sao Paulo 526; (B) Sao Paulo 319; (C) Sao Paulo 42; (D) 05 Sao Paulo 975"


def test_a_marked_paragraph_ends_the_field():
    assert _field("REF: STATE 1234\n(C) THE MINISTER SAID") == "STATE 1234"


def test_one_ref_line_per_entry():  # 09ABUDHABI754 (sample)
    text = "REF A SECRETARY'S LETTER TO MBZ ON PUMA HELICOPTERS \nREF B SECSTATE 76108 \n \n \n1. (S) Summary"
    assert _field(text) == "A SECRETARY'S LETTER TO MBZ ON PUMA HELICOPTERS ; B SECSTATE 76108"


def test_page_headers_inside_are_removed():  # 09BRASILIA244 (sample), 02ROME (Cablemap)
    assert _field("REF: BRASILIA 123 BRASILIA 00000244 001.2 OF 002 (U) THIS CABLE IS SENSITIVE BUT UNCLASSIFIED"
                  ) == "BRASILIA 123"
    assert _field("REF: A. STATE 40721 CONFIDENTIAL PAGE 02 ROME 01196 01 OF 02 082030Z B. ROME 1098"
                  ) == "A. STATE 40721 B. ROME 1098"


def test_a_dash_rule_ends_the_field():  # 09ABUJA1907 (sample)
    assert _field("Ref: Abuja 1836\n------- \nSUMMARY\n------- ") == "Abuja 1836"


def test_the_field_name_written_twice():  # 02ABUJA1194 (Cablemap), 05TAIPEI4305
    assert _field("REF: REFERENCE: 01 ABUJA 997") == "01 ABUJA 997"
    assert _field("Ref:  Ref A) Taipei 3393 B) Taipei 03793") == "A) Taipei 3393 B) Taipei 03793"


@pytest.mark.parametrize(("text", "expected"), [
    ("SUBJECT: ENERGY INSTALLATIONS REF: BRASILIA 861\n\n1. (C) Summary", ["06BRASILIA861"]),
    ("REF: A. PANAMA 651\n\n     ¶B. PANAMA 1213\n\n1. (C) Summary", ["06PANAMA651", "06PANAMA1213"]),
])
def test_parse_cable_reads_the_field(text, expected):
    raw = RawCable(text=text, location=SourceLocation("t.txt", 1), kind="native",
                   fields={"id": "06TEST1", "date": "2006-06-15"})
    assert [ref.cable_id for ref in parse_cable(raw).references] == expected
