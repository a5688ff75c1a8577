"""REF lines -> canonical reference ids, on entries taken from the CSV sample."""

from __future__ import annotations

import pytest

from generator.parse.references import canonical_post, parse_references, split_entries


def _ids(text: str, year: int, own: str | None = None) -> list[str | None]:
    return [ref.cable_id for ref in parse_references(text, year, own)]


@pytest.mark.parametrize(("text", "year", "expected"), [
    ("A. 05 PARIS 5459 ¶B. 06 PARIS 5733", 2008, ["05PARIS5459", "06PARIS5733"]),  # 08PARIS1501
    ("A. PARIS 1501 ¶B. PARIS 1568", 2008, ["08PARIS1501", "08PARIS1568"]),  # 08PARIS1698: year of the cable
    ("A. SECSTATE 74879 ¶B. RIYADH 43", 2008, ["08STATE74879", "08RIYADH43"]),  # 08RIYADH1134
    ("STATE 74879", 2008, ["08STATE74879"]),
    ("A. BRASILIA 000440 B. BRASILIA 000579 C. SAO PAULO 000991", 2008,
     ["08BRASILIA440", "08BRASILIA579", "08SAOPAULO991"]),  # 08BRASILIA504: zeros, two-word post
    ("RIO DE JAN 138", 2009, ["09RIODEJANEIRO138"]),
    ("A. 2008 RIO DE JANEIRO 236", 2009, ["08RIODEJANEIRO236"]),  # 09BRASILIA177
    ("2007 MANAGUA 2135", 2008, ["07MANAGUA2135"]),
    ("07 MANAGUA 2135", 2008, ["07MANAGUA2135"]),
    ("A. 06 ABU DHABI 3872 ¶B. 05 ABU DHABI 4592", 2007, ["06ABUDHABI3872", "05ABUDHABI4592"]),
    ("BRASILIA 1250; RECIFE 66; (08) SAO PAULO 581", 2009,
     ["09BRASILIA1250", "09RECIFE66", "08SAOPAULO581"]),  # 09SAOPAULO660
    ("A. SECSTATE 15113 B. DOHA 152 (08) C. DOHA 75 (08)", 2009,
     ["09STATE15113", "08DOHA152", "08DOHA75"]),  # 09DOHA214: year written after
    ("a) vienna 350 b) vienna 309 c) 05 vienna 1760 d) 05 state 220738", 2006,
     ["06VIENNA350", "06VIENNA309", "05VIENNA1760", "05STATE220738"]),  # 06VIENNA515
    ("(A)STATE 071143, (B)STATE 073601, (C)STATE 72896", 2007,
     ["07STATE71143", "07STATE73601", "07STATE72896"]),  # 07STATE152317
    ("A. A: HAVANA 00118 ¶B. B: HAVANA 00697", 2006, ["06HAVANA118", "06HAVANA697"]),  # 06CARACAS219
    ("A. A. STATE 99125 B. B. SOFIA 1046", 2005, ["05STATE99125", "05SOFIA1046"]),  # 05SOFIA1207
    ("STATE 297614 AND PREVIOUS 03 RANGOON 1427", 2004, ["04STATE297614", "03RANGOON1427"]),  # 04RANGOON88
    ("LAHORE 25 07 ISLAMABAD 5138", 2008, ["08LAHORE25", "07ISLAMABAD5138"]),  # 08ISLAMABAD483
    ("(A) 05 CASA 1220 (B) 07 CASA 169", 2008, ["05CASABLANCA1220", "07CASABLANCA169"]),  # 08CASABLANCA81
])
def test_reference_ids(text, year, expected):
    assert _ids(text, year) == expected


def test_four_digit_and_two_digit_years():  # 08MANAGUA573
    assert _ids("H. MANAGUA 130 ¶I. 2007 MANAGUA 2135 ¶J. 07 MANAGUA 1730", 2008)[-2:] == [
        "07MANAGUA2135", "07MANAGUA1730"]


@pytest.mark.parametrize("text", [
    "C. SAINZ E-MAIL",  # 04MADRID3914
    "B. OSC CPP20071019968173",  # 07BEIJING7035
    "B. SECDEF MSG DTG 301601z SEP 08",  # 08BERLIN1387
    "D. TD-314/18176-06",  # 06CARACAS958
    "G. IIR 6 902 9642 06",
    "A. EMBASSY PARIS DAILY REPORT FOR FEBRUARY 17",  # 06PARIS1031
    "A. STATE-LONDON SVTC MAY 9",  # 08LONDON1350
])
def test_non_cable_references_keep_text_without_id(text):
    refs = parse_references(text, 2008, None)
    assert refs and all(ref.cable_id is None for ref in refs)
    assert text.split(". ", 1)[-1] in refs[0].text


def test_mixed_entries_keep_order_and_labels():  # 07TRIPOLI943
    refs = parse_references("A) STATE 135205; B) STATE 127608; C) JOHNSON-STEVENS/GODFREY E-MAIL 10/15/07; "
                            "D) TRIPOLI 797; E) TRIPOLI 723 AND PREVIOUS", 2007, "07TRIPOLI943")
    assert [r.label for r in refs] == ["A", "B", "C", "D", "E"]
    assert [r.cable_id for r in refs] == ["07STATE135205", "07STATE127608", None, "07TRIPOLI797", "07TRIPOLI723"]
    assert refs[2].text == "C. JOHNSON-STEVENS/GODFREY E-MAIL 10/15/07"


def test_own_id_is_never_a_reference():
    assert _ids("MADRID 2251 MADRID 2282", 2007, "07MADRID2282") == ["07MADRID2251"]


def test_none_is_no_reference():  # 06PARIS2242
    assert parse_references("NONE", 2006, None) == []


def test_canonical_ids_as_the_release_lists_them():
    assert _ids("08STATE12345", 2009) == ["08STATE12345"]


def test_labels_only_in_order():
    """A letter out of sequence is text, not a label: ``D.`` after ``B.`` stays in entry B."""
    assert [label for label, _ in split_entries("A. STATE 1 B. STATE 2 D. STATE 4")] == ["A", "B"]
    assert _ids("A. STATE 1 B. STATE 2 D. STATE 4", 2009) == ["09STATE1", "09STATE2", "09STATE4"]


def test_canonical_post_aliases():
    assert canonical_post("SECSTATE") == "STATE"
    assert canonical_post("Sao Paulo") == "SAOPAULO"
    assert canonical_post("USUN NEW YORK") == "USUNNEWYORK"
    assert canonical_post("BUENOS AIR") == "BUENOSAIRES"
