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


# --- Rules for the long tail (issue #20). Snippets from the CSV sample where it has the
# --- pattern, else from the cables Cablemap's tables quote (their ids given).

@pytest.mark.parametrize(("text", "year", "expected"), [
    # post names in the release's spelling, through the posts table (site_config/posts.csv)
    ("A. THE HAGUE 109 B. 09 THE HAGUE 759", 2010, ["10THEHAGUE109", "09THEHAGUE759"]),  # 10THEHAGUE
    ("A. 08 HAGUE 468", 2009, ["08THEHAGUE468"]),
    ("A) 05 SAO PAUO 1106; B) 05 SAO PAULO 703; C) 05 SAO PAUL 614", 2005,
     ["05SAOPAULO1106", "05SAOPAULO703", "05SAOPAULO614"]),  # misspellings seen in cables
    ("C. BISHTEK 1194", 2005, ["05BISHKEK1194"]),
    ("(A) USUNESCO PARIS FR 000087, (B) USUNESCO PARIS FR 00187", 2010,
     ["10UNESCOPARISFR87", "10UNESCOPARISFR187"]),
    ("C. USUN NE YORK 609", 2009, ["09USUNNEWYORK609"]),
    ("B) MADRID SP 0307", 2005, ["05MADRID307"]),  # 05MADRID395 (sample)
    ("E. BASRA 17", 2009, ["09BASRAH17"]),  # 09BAGHDAD1104 (sample)
    ("IRPO DUBAI 95", 2009, ["09RPODUBAI95"]),  # 09ISTANBUL83 (sample): the release's RPODUBAI
    ("A. ST. PETERSBURG 75", 2007, ["07STPETERSBURG75"]),  # 07MOSCOW1811
    # the longest run of words the table knows wins over words of the sentence or a lone letter
    ("A. REF A HAVANA 639 ¶B. B HAVANA 772", 2010, ["10HAVANA639", "10HAVANA772"]),
    ("A WELLINGTON 721 B WELLINGTON 690", 2006, ["06WELLINGTON721", "06WELLINGTON690"]),
    ("UNCLASS USDA FAS 57863", 2002, ["02USDAFAS57863"]),  # 02ROME5601
    ("A SECRETARY'S LETTER TO MBZ ON PUMA HELICOPTERS; B SECSTATE 76108", 2009,
     [None, "09STATE76108"]),  # 09ABUDHABI754 (sample)
    # a post the table lacks stays as written, never guessed
    ("A. WHITE HOUSE 853", 2009, ["09WHITEHOUSE853"]),  # 09BAGHDAD1104 (sample)
    ("(A) Colomobo 2304", 2002, ["02COLOMOBO2304"]),  # 02COLOMBO2314
])
def test_post_spellings(text, year, expected):
    assert _ids(text, year) == expected


@pytest.mark.parametrize(("text", "year", "expected"), [
    ("A. 10SHENYANG 003 B. 09SHENYANG 167", 2010, ["10SHENYANG3", "09SHENYANG167"]),  # 10SHENYANG5 (sample)
    ("D. 2005PANAMA2342", 2006, ["05PANAMA2342"]),  # 06PANAMA: four-digit year glued
    ("B)HK05511", 2007, ["07HONGKONG5511"]),  # 07HONGKONG2480: a known post glued to its number
    ("10-OTTAWA-57", 2010, ["10OTTAWA57"]),
    ("C. 05 0TTAWA 3518", 2006, ["05OTTAWA3518"]),  # zero for O in a post
    ("B. 05 SANTIAG0 465", 2006, ["05SANTIAGO465"]),
    ("(A) LAGOS O1512", 2002, ["02LAGOS1512"]),  # 02ABUJA2651: O for zero in a number
    ("(A)05 CHENNAI 0121, (B)O4 CHENNAI 0944", 2005, ["05CHENNAI121", "04CHENNAI944"]),  # ... and in a year
    ("KUWAIT (C)02293", 2003, ["03KUWAIT2293"]),  # 03KUWAIT2545: portion mark inside
    ("BAGHDAD #3565", 2007, ["07BAGHDAD3565"]),  # 07BAGHDAD3708
    ("STATE: 73097", 2002, ["02STATE73097"]),
    ("06PORT-OF-SPAIN123", 2006, ["06PORTOFSPAIN123"]),  # hyphens in a glued post
    ("05EMBASSYVIENNA1", 2005, ["05VIENNA1"]),  # the mission's kind glued to the post
])
def test_typed_forms_of_ids(text, year, expected):
    assert _ids(text, year) == expected


@pytest.mark.parametrize(("text", "year", "expected"), [
    ("A. QUITO 4525-91 B. QUITO 1735 C. QUITO 1905-03", 2006,
     ["91QUITO4525", "06QUITO1735", "03QUITO1905"]),  # 06QUITO1920: year after a hyphen
    ("A. A: PANAMA 00930/08", 2009, ["08PANAMA930"]),  # 09PANAMA176: ... after a slash
    ("AMMAN 07718 99, AMMAN 05986 00", 2002, ["99AMMAN7718", "00AMMAN5986"]),  # 02AMMAN5966: ... after a space
    ("A) STATE (01) 201265, B) STATE (01) 213042", 2002, ["01STATE201265", "01STATE213042"]),  # 02HARARE81
    ("QUITO 5; 094 QUITO 841", 2010, ["10QUITO5", "94QUITO841"]),  # zero-padded year before
    ("L. 2006 MANAGUA 2611", 2008, ["06MANAGUA2611"]),  # 08MANAGUA573 (sample)
])
def test_years_written_around_the_number(text, year, expected):
    assert _ids(text, year) == expected


@pytest.mark.parametrize(("text", "year", "own", "expected"), [
    ("A) Kabul 936/935; B) 06 Kabul 5353/5194", 2007, None,
     ["07KABUL936", "07KABUL935", "06KABUL5353", "06KABUL5194"]),  # 07KABUL1033
    ("A. BRASILIA 2799 AND 2764", 2004, None, ["04BRASILIA2799", "04BRASILIA2764"]),
    ("COLOMBO CABLES 0266 AND 02259 (2002)", 2003, None, ["03COLOMBO266", "02COLOMBO2259"]),  # 03COLOMBO1516
    ("B. 05 ROME 2543, 03 VAT 4859", 2005, None, ["05ROME2543", "03VATICAN4859"]),  # 03 is the next one's year
    ("A) 6307 B) STATE 285773", 2003, "03ANKARA6322", ["03ANKARA6307", "03STATE285773"]),  # own post
    ("PRAGUE 849, PRAGUE, 1228, STATE 1484761", 2008, "08STATE1988",
     ["08PRAGUE849", "08PRAGUE1228", "08STATE1484761"]),
    ("870 Ulaanbaatar", 2006, "06ULAANBAATAR881", ["06ULAANBAATAR870"]),  # number written first
])
def test_numbers_without_their_own_post(text, year, own, expected):
    assert _ids(text, year, own) == expected


@pytest.mark.parametrize(("text", "year"), [
    ("B. 7 FAM 180", 2009),  # 09STATE119085 (sample): the Foreign Affairs Manual
    ("O) UNSCR 1737 SANCTIONS COMMITTEE IMPLEMENTATION ASSISTANCE NOTICE- 24 JULY 2009", 2010),  # 10STATE16220
    ("¶B. 2006", 2006),  # 06PARIS1031 (sample): a year wrapped under its own label is no cable
    ("C. INCSR BRAZIL 2008", 2009),  # a report
    ("H. USDEL SECRETARY TELEGRAMS 000005/000007/00004", 2005),  # 05BRASILIA1466
    ("Ref: 9 FAM Appendix K, 406 (6)", 2009),  # 09SAOPAULO332
    ("STATE CA-3400 NOV 2, 1966", 1966),  # 66BUENOSAIRES2481 (sample): a date, not a number
    ("A. EMBASSY LONDON DAILY REPORT 9/16/2009 (NOTAL)", 2009),  # 09LONDON2222 (sample)
    ("FOREST, RANGE AND WATERSHED MANAGEMENT, 1992", 2008),  # 08STATE93970 (sample): a year after a comma
])
def test_citations_that_are_not_cables_get_no_id(text, year):
    assert all(ref.cable_id is None for ref in parse_references(text, year, None))


def test_a_label_typed_twice_opens_an_entry():  # 07TALLINN375 (sample)
    refs = parse_references("A) TALLINN 366 B) LEE-GOLDSTEIN EMAIL 05/11/07 B) TALLINN 347", 2007, None)
    assert [r.cable_id for r in refs] == ["07TALLINN366", None, "07TALLINN347"]


def test_an_entry_of_several_cables_shows_each_one():  # 07KABUL1033
    refs = parse_references("A) Kabul 936/935", 2007, None)
    assert [(r.label, r.text, r.cable_id) for r in refs] == [
        ("A", "A. KABUL 936", "07KABUL936"), ("A", "A. 935", "07KABUL935")]
