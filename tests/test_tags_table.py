"""site_config/tags.csv: the TAGS subject, program, organisation and regional codes a publisher edits.

The official names are checked against the source the table follows (see site_config/README.md):
the State Department's TAGS handbook, 5 FAH-3 H-011.1 "TAGS and Subject" (CT:TAGS-91, 02-17-2022),
and, for codes the consulted copy of it does not reach, WikiLeaks PlusD's TAGS glossary, the sample
cables themselves (organisations spelled out before their code) and one 2010 listing of Cablegate tags.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict

import pytest

from generator.enrich.config import read_countries, read_tag_codes
from generator.model import Problem
from generator.parse import parse_cable
from generator.sources import read_sources

from .conftest import PROJECT

TAGS_CSV = PROJECT / "site_config" / "tags.csv"
COUNTRIES_CSV = PROJECT / "site_config" / "countries.csv"

KINDS = {"administration", "business", "consular", "economic", "military", "operations", "organization",
         "political", "program", "region", "social", "technology"}
SOURCES = {"fah", "plusd", "cables", "pdnetworks", ""}  # "": carried over from the first table, not yet checked
MIN_CODES = 165  # shipped: 167

# 5 FAH-3 H-011.1 (CT:TAGS-91, 02-17-2022), every code of the consulted copy (it breaks off at ENRG),
# and the Political Affairs example of 5 FAH-3 H-111 a. (PGOV, PHUM, PINR).
FAH = {
    "AADP": "Automated Data Processing", "ABLD": "Building and Grounds",
    "ABUD": "Budget Services and Financial Systems", "ACOA": "Communication Operations and Administration",
    "ACKM": "COMSEC Key Management", "ADCO": "Diplomatic Courier Operations", "ADPM": "Diplomatic Pouch and Mail",
    "AEMR": "Emergency Planning and Evacuation", "AFIN": "Financial Management", "AFSI": "Foreign Service Institute",
    "AFSN": "Foreign Service National Personnel", "AGAO": "General Accounting Office",
    "AINF": "Information Management Services", "AINR": "INR Program Administration",
    "AINT": "Internet Administration", "ALEO": "Low Earth Orbit Satellite Coordination", "ALOW": "Allowances",
    "AMED": "Medical Services", "AMGT": "Management Operations", "AMTC": "Telecommunications Equipment Maintenance",
    "ANET": "Communications, Circuits, and Networks", "AODE": "Employees Abroad",
    "AOMS": "Office Management Specialist Issues", "AORC": "International Organizations and Conferences",
    "APCS": "Personal Computers", "APER": "Personnel", "ASCH": "U.S. Sponsored Schools", "ASEC": "Security",
    "ASIG": "Inspector General Activities", "ASUP": "Supplies and Equipment", "ATRN": "Transportation Service",
    "BBSR": "Business Services Reporting", "BEXP": "Trade Expansion and Promotion",
    "BMGT": "FCS Management Operations", "BTIO": "Trade and Investment Opportunities",
    "CASC": "Assistance to Citizens", "CFED": "Federal Agency Services",
    "CJAN": "Judicial Assistance and Notarial Services", "CLOK": "Visa Lookout",
    "CMGT": "Consular Administration and Management", "CPAS": "Passports and Citizenship", "CVIS": "Visas",
    "EAGR": "Agriculture and Forestry", "EAID": "Foreign Economic Assistance", "EAIR": "Civil Aviation",
    "ECIN": "Economic Integration and Cooperation", "ECON": "Economic Conditions",
    "ECPS": "Communications and Postal Systems", "EFIN": "Financial and Monetary Affairs",
    "EFIS": "Commercial Fishing and Fish Processing", "EIND": "Industry and Manufacturing",
    "EINT": "Economic and Commercial Internet", "EINV": "Foreign Investments", "ELAB": "Labor Sector Affairs",
    "ELTN": "Land Transportation", "EMIN": "Minerals and Metals",
    "PGOV": "Internal Governmental Affairs", "PHUM": "Human Rights", "PINR": "Intelligence",
}
# WikiLeaks PlusD, "CODE - Category--Name": the name without its category prefix.
PLUSD = {"PREL": "External Political Relations", "MARR": "Military and Defense Arrangements",
         "KMDR": "Media Reaction Reporting", "KPAO": "Public Affairs Office"}
# Organisations spelled out in the sample cables, "Name (CODE)" (the test below finds each in the text).
CABLES = {"EU": "European Union", "FARC": "Revolutionary Armed Forces of Colombia",
          "FMLN": "Farabundo Marti National Liberation Front", "IAEA": "International Atomic Energy Agency",
          "ICAO": "International Civil Aviation Organization",
          "ICTY": "International Criminal Tribunal for the former Yugoslavia", "IMF": "International Monetary Fund",
          "IMO": "International Maritime Organization", "MCC": "Millennium Challenge Corporation",
          "OAS": "Organization of American States", "PSOE": "Spanish Socialist Workers Party", "UN": "United Nations",
          "UNEP": "United Nations Environment Program", "UNSC": "United Nations Security Council",
          "WHO": "World Health Organization", "WTO": "World Trade Organization"}
# pdnetworks.wordpress.com/2010/12/16/cablegate-tags/ ("OIIP - International Information Programs").
PDNETWORKS = {"OIIP": "International Information Programs"}
ALIASES = [{"EU", "EUN"}, {"UN", "UNO"}]  # codes cables use for the same body: one topic, on purpose

# Four-letter codes in the sample's TAGS that are neither in the table nor country codes, because no
# source consulted names them. Add a code to tags.csv (and drop it here) once a source gives its name.
UNNAMED_SAMPLE_CODES = {
    # listed as TAGS by the cablemap project (subject: ODIP, OSCI; organisations: the rest), but unnamed
    "ODIP", "OSCI", "CACM", "INRA", "INRO", "WTRO",
    # program (K) and other codes no consulted source defines
    "KACT", "KAWK", "KBIO", "KCOM", "KFIN", "KGCC", "KGIC", "KLIG", "KNUC", "KPIN", "KPRP", "KPWR", "KRAD",
    "KSEC", "KSPR", "KTIA", "KWAC", "INRB", "PBIO", "DEAX", "HURI", "IRAJ",
    "GTMO", "MEPP",  # Guantanamo, Middle East Peace Process: spelled out in cables, but no TAGS source lists them
    "PINT", "PEPR",  # 1975 and 1979 cables: older codes the current handbook no longer has
    "OPDC",  # its earlier name here was ADCO's official one; its own meaning is unsourced
    "USEU",  # "USEU BRUSSELS": a post (the US Mission to the EU) written into the TAGS line
    # not codes of any source; read like typing variants (of KIRF, KNNP, PGOV, MOPS, ETRD, PINR, PHUM, ...)
    "KIFR", "KNPP", "PGOF", "MPOS", "ETRA", "FINR", "SHUM", "ECUN", "ENVR", "EREL", "TFIN", "MASC", "MAPP",
}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with TAGS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def table() -> dict[str, dict[str, str]]:
    with TAGS_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def country_codes() -> set[str]:
    return set(read_countries(COUNTRIES_CSV)[1])


def test_table_is_well_formed(rows):
    assert list(rows[0]) == ["code", "name", "kind", "source"]
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes)), [c for c in codes if codes.count(c) > 1]
    for row in rows:
        assert row["code"] and row["code"] == row["code"].strip().upper(), row
        assert re.fullmatch(r"[A-Z][A-Z0-9-]*", row["code"]), row
        assert row["name"] and row["name"] == row["name"].strip(), row
        assert row["kind"] in KINDS, row
        assert row["source"] in SOURCES, row
    assert len(read_tag_codes(TAGS_CSV)) == len(rows)  # nothing lost on reading


def test_table_holds_the_codes_shipped(rows):
    assert len(rows) >= MIN_CODES


def test_no_code_is_both_a_country_and_a_tags_table_code(table, country_codes):
    assert set(table) & country_codes == set()


def test_regions_are_two_letter_x_or_z_codes(table):
    for code, row in table.items():
        if row["kind"] == "region":
            assert re.fullmatch(r"[XZ][A-Z]", code), code


def test_names_are_shared_only_by_declared_aliases(table):
    by_name = defaultdict(set)
    for code, row in table.items():
        by_name[row["name"]].add(code)
    shared = [codes for codes in by_name.values() if len(codes) > 1]
    assert sorted(map(sorted, shared)) == sorted(map(sorted, ALIASES))


def test_official_names_follow_the_handbook(table):
    wrong = {code: (table.get(code, {}).get("name"), name) for code, name in FAH.items()
             if table.get(code, {}).get("name") != name}
    assert not wrong
    fah_rows = {code for code, row in table.items() if row["source"] == "fah"}
    assert fah_rows == set(FAH), "a row marked fah needs its handbook name in FAH above, and the other way round"


def test_well_known_names(table):
    expected = {"PREL": "External Political Relations", "PGOV": "Internal Governmental Affairs",
                "PHUM": "Human Rights", "PINR": "Intelligence", "MARR": "Military and Defense Arrangements",
                "ECON": "Economic Conditions", "EFIN": "Financial and Monetary Affairs",
                "EAID": "Foreign Economic Assistance",
                "EAGR": "Agriculture and Forestry", "EINV": "Foreign Investments", "ELAB": "Labor Sector Affairs",
                "CASC": "Assistance to Citizens", "CVIS": "Visas", "ASEC": "Security", "AMGT": "Management Operations",
                "AORC": "International Organizations and Conferences", "APER": "Personnel",
                "AEMR": "Emergency Planning and Evacuation", "ECPS": "Communications and Postal Systems",
                "EAIR": "Civil Aviation", "KMDR": "Media Reaction Reporting", "KPAO": "Public Affairs Office"}
    assert {code: table[code]["name"] for code in expected} == expected
    assert {code: table[code]["name"] for code in PLUSD} == PLUSD
    assert {code for code, row in table.items() if row["source"] == "plusd"} == set(PLUSD)
    for source, names in (("cables", CABLES), ("pdnetworks", PDNETWORKS)):
        assert {code: table[code]["name"] for code in names} == names
        assert {code for code, row in table.items() if row["source"] == source} == set(names), source
    assert {code: table[code]["kind"] for code in ("PREL", "ECON", "CASC", "ASEC", "BEXP", "MARR")} == {
        "PREL": "political", "ECON": "economic", "CASC": "consular", "ASEC": "administration",
        "BEXP": "business", "MARR": "military"}


@pytest.fixture(scope="module")
def sample_cables(sample_csv):
    return [parse_cable(item) for item in read_sources([sample_csv]) if not isinstance(item, Problem)]


def test_organisation_names_taken_from_cables_are_in_them(table, sample_cables):
    text = " ".join(" ".join(p.text for p in cable.paragraphs) for cable in sample_cables)
    text = re.sub(r"\s+", " ", text)
    from_cables = {code: row["name"] for code, row in table.items() if row["source"] == "cables"}
    assert from_cables
    for code, name in from_cables.items():
        assert table[code]["kind"] == "organization", code
        assert f"{name} ({code})".lower() in text.lower(), code


def test_every_four_letter_code_of_the_sample_is_known_or_listed(table, country_codes, sample_cables):
    codes = {tag.split(" ")[0] for cable in sample_cables for tag in cable.tags}
    four = {code for code in codes if re.fullmatch(r"[A-Z]{4}", code)}
    unknown = four - set(table) - country_codes
    assert unknown - UNNAMED_SAMPLE_CODES == set(), "name these in tags.csv (from a source) or list them"
    assert UNNAMED_SAMPLE_CODES - unknown == set(), "in the table now, or no longer in the sample: drop from the list"
    assert len(four & set(table)) >= 100


@pytest.mark.parametrize("extra_row, message", [
    ("PREL,Something Else,political,", "PREL is listed twice"),
    ("ZZZZ,,political,", "ZZZZ has no name"),
    ("ZZZZ,A Name,politics,", "has kind 'politics'"),
])
def test_a_broken_tags_table_is_an_error_naming_the_line(tmp_path, extra_row, message):
    from generator.enrich.config import ConfigError

    table = tmp_path / "tags.csv"
    text = TAGS_CSV.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra_row + "\n"
    table.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_tag_codes(table)
    line = text.count("\n")
    assert f"{table}:{line}:" in str(caught.value) and message in str(caught.value)


def test_a_tags_code_that_is_a_country_code_is_an_error(tmp_path):
    import shutil

    from generator.enrich.config import ConfigError, load_tables

    config = tmp_path / "site_config"
    shutil.copytree(TAGS_CSV.parent, config)
    with (config / "tags.csv").open("a", encoding="utf-8") as handle:
        handle.write("TU,Turkish Affairs,political,\n")
    with pytest.raises(ConfigError, match="TU is also the TAGS code of TR"):
        load_tables(config)
