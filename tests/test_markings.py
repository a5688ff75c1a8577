"""Portion markings as real cables write them (each case names the cable it comes from)."""

from __future__ import annotations

import pytest

from generator.parse.markings import PAREN_MARKING, normalise_marking, overall_from_markings


@pytest.mark.parametrize(("written", "normalised"), [
    ("S/REL NATO", "S/REL NATO"),  # 08USNATO453, 10USNATO35
    ("SBU/REL NATO", "SBU/REL NATO"),  # 06SKOPJE105
    ("C//REL ISAF", "C/REL ISAF"),  # 10KABUL571
    ("S//Rel NATO, ISAF", "S/REL NATO, ISAF"),  # 10KABUL693
    ("C/Rel Aus", "C/REL AUS"),
    ("S/Rel Pakistan", "S/REL PAKISTAN"),  # 08STATE37957
    ("C/REL Germany", "C/REL GERMANY"),  # 10USNATO52
    ("S/Rel to Ukraine", "S/REL TO UKRAINE"),  # issue 20's list of misses
    ("C/rel to UN", "C/REL TO UN"),  # 08STATE107438
    ("S//REL TO USA, FVEY", "S/REL TO USA, FVEY"),  # 08STATE116943
    ("S//REL to USA, ACGU", "S/REL TO USA, ACGU"),  # 08RANGOON749
    ("S/REL USA,PAK", "S/REL USA, PAK"),
    ("S//REL AFGHANISTAN, KAZAKHSTAN, TAJIKISTAN", "S/REL AFGHANISTAN, KAZAKHSTAN, TAJIKISTAN"),  # 08STATE79112
    ("S/REL FRANCE, BRITAIN, TURKEY, SAUDI ARABIA, JORDAN, AND QATAR",  # 10STATE17894
     "S/REL FRANCE, BRITAIN, TURKEY, SAUDI ARABIA, JORDAN, AND QATAR"),
])
def test_releasability_markings(written, normalised):
    assert normalise_marking(written) == normalised


@pytest.mark.parametrize(("written", "normalised"), [
    ("C NF", "C/NF"),  # 09KABUL376: "1. (C NF) President Karzai on February 15 told ..."
    ("SNF", "S/NF"),  # 09TRIPOLI1025: "4.  (SNF)  The Ambassador would like to thank the DOE team"
    ("C - ENTIRE TEXT", "C"),  # 79TEHRAN8980: "1. (C - ENTIRE TEXT)."
    ("S-NF", "S/NF"),
    ("S//FGI//NF", "S/FGI/NF"),
    ("c//nf", "C/NF"),
])
def test_other_spellings_of_level_and_caveat(written, normalised):
    assert normalise_marking(written) == normalised


@pytest.mark.parametrize("text", [
    "a", "iv",  # list labels: "3. (a) ..."
    "Iran", "China",  # 09BERLIN1626's section labels: "3.   (Iran)   New Protests"
    "U.S.", "N/SF", "U S", "C TO", "Comment", "REL NATO",
])
def test_what_is_not_a_marking(text):
    assert normalise_marking(text) is None


def test_a_releasable_paragraph_counts_at_its_level():
    assert overall_from_markings(["C", "S/REL NATO"]) == "SECRET"
    assert overall_from_markings([normalise_marking("C NF")]) == "CONFIDENTIAL//NOFORN"


def test_paren_marking_finds_releasable_marks_in_a_line():  # 10KABUL693
    match = PAREN_MARKING.search("1. (S//Rel NATO, ISAF) Begin Summary. Senior Civilian")
    assert match and normalise_marking(match.group(1)) == "S/REL NATO, ISAF"
