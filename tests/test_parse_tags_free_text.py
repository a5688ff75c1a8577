"""Free text typed into TAGS without commas: where one entry ends and the next begins (issue 20).

Each rule is tested on the real cable line that showed it (quoted from the Cablemap regression
cases, the cable named where known), on a line of the CSV sample where one has the shape, and on a
line made in the same shape; lines that must stay whole are tested beside them."""

from __future__ import annotations

import time

import pytest

from generator.build import tag_rules_of
from generator.enrich.config import load_tables
from generator.parse.tag_phrases import country_words, given_names, is_initialism, split_phrases
from generator.parse.tags import MAX_TAGS, TagRules, read_tags, split_tags

from .conftest import PROJECT


@pytest.fixture(scope="module")
def rules() -> TagRules:
    """The shipped site_config/: its codes, corrections and countries' names."""
    return tag_rules_of(load_tables(PROJECT / "site_config"))


# --- a country's name, adjective or government after other words opens an entry --------------

def test_country_adjective_after_other_words_opens_an_entry(rules):  # Cablemap case: three topics in a row
    assert split_tags("PREL PGOV CVIS IT ITALY NATIONAL ELECTIONS ITALIAN POLITICS IRAQI FREEDOM", rules) == [
        "PREL", "PGOV", "CVIS", "IT", "ITALY NATIONAL ELECTIONS", "ITALIAN POLITICS", "IRAQI FREEDOM"]
    assert split_tags("IS GAZA DISENGAGEMENT ISRAELI PALESTINIAN AFFAIRS", rules) == [
        "IS", "GAZA DISENGAGEMENT", "ISRAELI PALESTINIAN AFFAIRS"]  # a country word after one continues
    assert split_tags("PREL ETRD CHINESE TEXTILE EXPORTS MEXICAN MARKET", rules)[2:] == [  # made in the shape
        "CHINESE TEXTILE EXPORTS", "MEXICAN MARKET"]


def test_country_bound_by_a_preposition_or_prefix_stays_in_its_entry(rules):  # 06ANKARA (Cablemap case)
    assert split_tags("TU BO MD PHUM KCRM PGOV KJUS TIP IN TURKEY", rules)[-1] == "TIP IN TURKEY"
    assert split_tags("PREL KPAO RISING ANTI AMERICAN SENTIMENT", rules)[-1] == "RISING ANTI AMERICAN SENTIMENT"
    assert split_tags("ECON RELATIONS WITH EUROPEAN UNION", rules)[-1] == "RELATIONS WITH EUROPEAN UNION"
    assert split_tags("CU ANTI-CASTRO CUBAN EXILES", rules)[-1] == "ANTI-CASTRO CUBAN EXILES"


def test_phrase_that_only_holds_a_country_name_is_not_the_country(rules):  # countries.csv "not" column
    assert split_tags("ECON SCUL LATIN AMERICAN STUDIES", rules)[-1] == "LATIN AMERICAN STUDIES"
    assert split_tags("PREL KPAL PEACE PROCESS ARAB ISRAELI CONFLICT", rules)[-2:] == [
        "PEACE PROCESS", "ARAB ISRAELI CONFLICT"]  # ARAB is a people, no country: read like one


def test_country_name_of_two_words_and_a_person_after_it(rules):  # Cablemap case: one line, ten entries
    line = ("DOMESTIC POLITICS MASSMNUC KNNPMNUC MEETINGS WITH AMBASSADOR NEW ZEALAND ROOD JOHN CROS GERARD "
            "ZANU-PF COUNTRY CLEARANCE")
    assert split_tags(line, rules) == ["DOMESTIC POLITICS", "MASS", "MNUC", "KNNP", "MEETINGS WITH AMBASSADOR",
                                       "NEW ZEALAND", "ROOD, JOHN", "CROS, GERARD", "ZANU-PF", "COUNTRY CLEARANCE"]


def test_government_acronym_opens_an_entry(rules):  # Cablemap case: GOI EXTERNAL after a topic
    assert split_tags("IS ISRAELI PALESTINIAN AFFAIRS GOI EXTERNAL", rules) == [
        "IS", "ISRAELI PALESTINIAN AFFAIRS", "GOI EXTERNAL"]
    assert split_tags("PARM PREL MNUC KNNP EU IR IS GOI EXTERNAL", rules)[-1] == "GOI EXTERNAL"  # 05TELAVIV1593
    assert split_tags("PREL KPAL JORDANIAN ECONOMY GOJ REFORM", rules)[-2:] == ["JORDANIAN ECONOMY", "GOJ REFORM"]


def test_free_text_of_the_sample_stays_whole(rules):  # 05ANKARA7215, 04BRUSSELS1868, 05SOFIA1207
    assert split_tags("ECON PGOV PINR TU POLITICAL PARTIES", rules)[-1] == "POLITICAL PARTIES"
    assert split_tags("PREL, PGOV, PINR, PBTS, EUN, USEU BRUSSELS ", rules)[-1] == "USEU BRUSSELS"
    assert split_tags("PINR, KCRM, PGOV, EINV, ECON, KCOR, BU, Organized Crime ", rules)[-1] == "ORGANIZED CRIME"
    assert split_tags("ECON ETRD PREL PGOV PTER KWBG JO IS ECONOMY AND FINANCE", rules)[-1] == "ECONOMY AND FINANCE"


# --- SURNAME GIVENNAME in free text is a person -----------------------------------------------

def test_surname_and_given_name_pairs_are_people(rules):  # Cablemap case: three people, then a topic
    line = "CASC CJAN SNAR PHUM CU PM NOVO GUILLERMO REMON PEDRO JIMENEZ GASPAR CONSULAR AFFAIRS"
    assert split_tags(line, rules)[6:] == ["NOVO, GUILLERMO", "REMON, PEDRO", "JIMENEZ, GASPAR", "CONSULAR AFFAIRS"]
    assert split_tags("PHUM PGOV HUMAN RIGHTS DEFENDERS ESTEMIROVA NATALYA", rules)[2:] == [
        "HUMAN RIGHTS DEFENDERS", "ESTEMIROVA, NATALYA"]  # made in the shape


def test_words_that_are_rare_names_titles_or_countries_make_no_person(rules):
    assert split_tags("KJUS SNAR CRIMINAL JUSTICE REFORM", rules)[-1] == "CRIMINAL JUSTICE REFORM"  # JUSTICE: rare
    assert split_tags("PREL CODEL SENATOR JOHN MCCAIN VISIT", rules)[-1] == "CODEL SENATOR JOHN MCCAIN VISIT"
    assert split_tags("IS GAZA DISENGAGEMENT ISRAEL", rules)[1:] == ["GAZA DISENGAGEMENT", "ISRAEL"]  # a country
    assert split_tags("PREL PGOV NATIONAL UNITY GOVERNMENT", rules)[-1] == "NATIONAL UNITY GOVERNMENT"


def test_no_person_is_read_without_the_countries_table():  # DISENGAGEMENT ISRAEL would be one
    assert split_tags("GAZA DISENGAGEMENT ISRAEL") == ["GAZA DISENGAGEMENT ISRAEL"]


def test_given_names_are_common_ones_of_four_letters_or_more():
    names = given_names()
    assert {"JOHN", "GERARD", "PEDRO", "GUILLERMO", "GASPAR", "NATALYA"} <= names
    assert not {"JUSTICE", "GENERAL", "UNITY", "VISA", "POL", "KIM"} & names  # rare as names, or short
    assert given_names() is names  # read once per process


# --- a section symbol and its sub-topic -------------------------------------------------------

def test_symbol_repeated_as_the_last_word_of_the_next_phrase_stands_alone(rules):  # Cablemap cases
    assert split_tags("PGOV PREL PM POL FOREIGN POL", rules) == ["PGOV", "PREL", "PM", "POL", "FOREIGN POL"]
    assert split_tags("PGOV PREL PM POLITICS FOREIGN POLICY POL FOREIGN POL", rules) == [
        "PGOV", "PREL", "PM", "POLITICS FOREIGN POLICY", "POL", "FOREIGN POL"]
    assert split_tags("PREL MARR MIL BILATERAL MIL COOPERATION AGREEMENT", rules)[2:] == [
        "MIL", "BILATERAL MIL", "COOPERATION AGREEMENT"]  # made in the shape: the sub-topic ends at MIL


def test_repeated_function_word_is_no_symbol(rules):
    assert split_tags("ECON ECONOMY AND TRADE AND FINANCE", rules)[-1] == "ECONOMY AND TRADE AND FINANCE"


# --- a hyphenated initialism is an organisation ------------------------------------------------

def test_hyphenated_initialism_is_an_entry_of_its_own(rules):  # ZANU-PF: the Cablemap case above
    assert split_tags("PGOV ZI MDC-T PARLIAMENTARY CAUCUS", rules)[2:] == ["MDC-T", "PARLIAMENTARY CAUCUS"]
    assert split_tags("MARR MIL-TO-MIL COOPERATION", rules)[-1] == "MIL-TO-MIL COOPERATION"
    assert split_tags("CU ANTI-CASTRO CUBAN EXILES", rules)[-1] == "ANTI-CASTRO CUBAN EXILES"


def test_initialism_shape():
    assert is_initialism("ZANU-PF") and is_initialism("MDC-T") and is_initialism("SPLM-N")
    assert not any(is_initialism(w) for w in ("MIL-TO-MIL", "US-EU", "ANTI-CASTRO", "HIGH-VALUE", "UNGA/C-6"))


# --- cost --------------------------------------------------------------------------------------

def test_megabyte_of_free_text_is_read_in_linear_time(rules):
    line = "MEETINGS WITH AMBASSADOR NEW ZEALAND ROOD JOHN POL FOREIGN POL ZANU-PF ITALIAN POLITICS{n}"
    text = " ".join(line.format(n=n) for n in range(15_000))[:1_000_000]
    start = time.process_time()
    found = read_tags(text, rules)
    assert time.process_time() - start < 5  # a rescan per word would take minutes
    assert len(found.tags) == MAX_TAGS


def test_split_phrases_takes_the_country_index_it_is_given():  # the parse module needs no site_config/
    countries = country_words(["Narnia", "Narnian"], ["Narnian Wardrobe"])
    assert list(split_phrases(["TALKING", "BEASTS", "NARNIAN", "POLITICS"], countries)) == [
        "TALKING BEASTS", "NARNIAN POLITICS"]
    assert list(split_phrases(["TALKING", "BEASTS", "NARNIAN", "WARDROBE"], countries)) == [
        "TALKING BEASTS NARNIAN WARDROBE"]
