"""The classifying official and the signer, on real snippets: one test per rule.

Snippets are short excerpts of real cables (the id in the comment): from the CSV sample, or from
the cables behind the peer parser's case tables. The case tables themselves are scored by
../shared/tools/check_parsing.py, never looked up here.
"""

from __future__ import annotations

from generator.model import RawCable, SourceLocation
from generator.parse import parse_cable
from generator.parse.officials import official_names, split_classified_by
from generator.parse.signers import signer_names, split_signature
from generator.parse.words import is_title_word, normalise_word


def _cable(text: str, cable_id: str = "09TEST1"):
    raw = RawCable(text=text, location=SourceLocation("snippet"), kind="native", fields={"id": cable_id})
    return parse_cable(raw)


def _names(block: str) -> list[str]:
    """The names of a Classified By block's value, as the header parser hands it over."""
    who, _ = split_classified_by(" ".join(block.split()))
    return official_names(who)


# --- Classified By: who and the reasons ----------------------------------------------------

def test_title_removed_name_kept_with_initial():  # 09BEIJING3313, title misspelt
    cable = _cable("Classified By: Political Minster Counselor Aubrey Carlson. Reasons 1.4  (b/d).\n\n"
                   "1. (C) Under Secretary Burns met with Director.")
    assert cable.classified_by == ["Aubrey Carlson"]
    assert cable.classified_by_text == "Political Minster Counselor Aubrey Carlson"
    assert cable.classification_reasons == "1.4 (b/d)"


def test_reasons_word_broken_by_the_wrap():  # 05PARIS1807: "REAS \nONS"
    cable = _cable("Classified By: POLITICAL MINISTER COUNSELOR JOSIAH ROSENBLATT, FOR REAS \nONS 1.4 B/D \n\n"
                   "1. (C) Summary: Interior Minister Dominique de Villepin's cabinet advisor.")
    assert cable.classified_by == ["JOSIAH ROSENBLATT"]
    assert cable.classified_by_text == "POLITICAL MINISTER COUNSELOR JOSIAH ROSENBLATT"
    assert cable.classification_reasons == "1.4 B/D"


def test_reasons_by_their_number_and_the_words_before_them():
    assert split_classified_by("DCM ROBERT E. WHITEHEAD DUE TO 1,4 (C) AND (D).") == (  # cablemap case table
        "DCM ROBERT E. WHITEHEAD", "1,4 (C) AND (D)")
    assert split_classified_by("CDA Kelly A. Keiderling under 1.4 (b) and (d)")[0] == "CDA Kelly A. Keiderling"
    assert split_classified_by("DCM ANNA BORG BASED ON E.O.12958 REASONS 1.4 (b) and (d)")[0] == "DCM ANNA BORG"


def test_for_broken_by_the_wrap_and_an_office_for_r():  # 09BERLIN1106; the second line made up from it
    block = "MINISTER COUNSELOR FOR POLITICAL AFFAIRS GEORGE GLASS FO R REASONS 1.4 (B) AND (D)"
    assert split_classified_by(block) == ("MINISTER COUNSELOR FOR POLITICAL AFFAIRS GEORGE GLASS", "1.4 (B) AND (D)")
    assert split_classified_by("Minister Counselor for Refugee Affairs George Glass for reasons 1.4 (b)")[0] == (
        "Minister Counselor for Refugee Affairs George Glass")


def test_section_named_without_an_official_gives_no_name():  # 95TELAVIV17504
    cable = _cable("1.  CONFIDENTIAL - ENTIRE TEXT.  CLASSIFIED BY SECTION 1.5 (B)\nAND (D).  NIACT PRECEDENCE "
                   "BECAUSE OF GOVERNMENT CRISIS IN\nISRAEL.\n\n2.  SUMMARY: TEXT.")
    assert cable.classified_by == []


def test_charge_d_affaires_a_i_in_capitals():  # 04RANGOON1100
    cable = _cable("Classified By: CDA, A.I. RON MCMULLEN FOR REASON 1.5 (A/C).\n"
                   "1. (S) SUMMARY: North Korean workers are reportedly assembling missiles.")
    assert cable.classified_by == ["RON MCMULLEN"]


def test_name_before_its_title():  # 10BOGOTA243, 09CARACAS1551
    assert _names("Brian A. Nichols, Deputy Chief of Mission; REASON: 1.4(B), (C), (D)") == ["Brian A. Nichols"]
    assert _names("DUDDY, AMBASSADOR, DOS, AMB; REASON: 1.4(B), (D)") == ["DUDDY"]


def test_office_and_place_after_the_name_are_no_second_official():  # 06HAMBURG85
    assert _names("Duane Butcher, Consul General, Consulate General Hamburg, State. REASON: 1.4 (b)") == [
        "Duane Butcher"]


def test_two_officials():  # 09STATE38028
    assert _names("AF KARL WYCOFF, ACTING AND S/CT DAS SHARI \nVILLAROSA ; E.O. 12958 REASON: 1.4 (B) AND (D)") == [
        "KARL WYCOFF", "SHARI VILLAROSA"]


def test_run_together_abbreviations_are_titles():  # 09LONDON1064, 02BRASILIA4227
    assert _names("PolMinCouns Gregory Berry, reasons 1.4 b, d") == ["Gregory Berry"]
    assert _names("POLOFF RICHARD REITER FOR REASONS 1.5(b) AND (d).") == ["RICHARD REITER"]
    assert is_title_word("polmincons") and is_title_word("ecpolcouns") and not is_title_word("emil")


def test_office_in_capitals_within_mixed_case():  # 09MEXICO2882, 09KABUL3364: NAS, CDDEA are in no list
    assert _names("NAS Director Keith Mines, reasons 1.5 (b) (d)") == ["Keith Mines"]
    assert _names("CDDEA Ambassador E. Anthony Wayne for reasons 1.4 (b) and (d).") == ["E. Anthony Wayne"]


def test_misspelt_titles_one_or_two_letters_off():  # cablemap case table: 97SOFIA3097 and others
    assert _names("AMBASSAD0R B0HLEN.  REAS0N: \n1.5(B,D).") == ["B0HLEN"]
    assert _names("Ambasasdor Charles Glazer, Reasons \n1.4 (b) and (d)") == ["Charles Glazer"]
    assert _names("ISN/MTR Direcotr Pam Durham. \nReason:  1.4 (B), (D).") == ["Pam Durham"]
    assert normalise_word("COUNSEL0R") == "counselor" and is_title_word("counseor")


def test_name_after_for_keeps_only_its_name_shaped_end():  # 09STATE75025, 96NAIROBI6573
    assert _names("Special Representative for Afghanistan and Pakistan \nRichard C. Holbrooke") == [
        "Richard C. Holbrooke"]
    assert _names("AMBASSADOR TO SUDAN TIMOTHY CARNEY.\nREASON 1.5(D).") == ["TIMOTHY CARNEY"]


def test_words_broken_by_the_wrap_put_together():  # 09KABUL2261, 06BEIJING22125
    assert _names("Interagency Provincial Affairs Deputy Coordinator Hoyt Y \nee for reasons 1.4 (b) and (d)") == [
        "Hoyt Yee"]
    assert _names("MINISTER COUNSELOR FOR ECONOMIC AFFAIR \nS ROBERT LUKE; REASON 1.4 (B) AND (D).") == ["ROBERT LUKE"]
    assert _names("PRT and Sub-National Governance Acting Director Patricia \n A McNerney for reasons 1.4") == [
        "Patricia A McNerney"]  # 09KABUL1233: a lone capital between names is an initial


def test_name_broken_at_the_end_of_a_line():  # 07PARIS3668, "Classified By:" repeated too
    cable = _cable("REF: PARIS 3645 (NOTAL) \n \nClassified By: Classified By: Political Minister-Counselor "
                   "Josiah Rosen \nblatt for reasons 1.4. (b) and (d). \n \n1.  (C)  Summary:  The GOF took a stand.")
    assert cable.classified_by == ["Josiah Rosenblatt"]
    assert cable.classified_by_text == "Political Minister-Counselor Josiah Rosen blatt"


def test_repeated_classified_by_and_nickname():  # 10USNATO35, cablemap case table (06USOSCE113)
    assert _names('D/Political Advisor A. "Hoot" Baez. Reasons: 1.4 (b) an\nd (d).') == ['A. "Hoot" Baez']
    assert _names("Classified by Political Counselor Bruce Connuck for Reas \n(b) and (d).") == ["Bruce Connuck"]


def test_suffix_stays_with_the_name():  # cablemap case table (95 cables)
    assert _names("THOMAS W. SIMONS, JR., AMBASSADOR.\nREASON:  1.5 (B), (C) AND (D).") == ["THOMAS W. SIMONS, JR"]


def test_redacted_official_gives_no_name():  # 09TRIPOLI771
    cable = _cable("CLASSIFIED BY: XXXXXXXXXXXX, Ambassador, U.S. Embassy Tripoli, Department of State. \n"
                   "REASON: 1.4 (b), (d)\n\n1. (S/NF) Summary: Recent first-hand experiences.")
    assert cable.classified_by == []
    assert cable.classified_by_text.startswith("XXXXXXXXXXXX, Ambassador")


def test_classified_by_in_paragraph_one_of_older_cables():  # 03ABUDHABI2641, 95ZAGREB4339
    cable = _cable("1. (U) Classified by Ambassador Marcelle M. Wahba for reasons 1.5 (B) and (D).\n\n"
                   "2. (C) MFA Minstate Hamdan bin Zayid contacted the Ambassador on June 2.")
    assert cable.classified_by == ["Marcelle M. Wahba"]
    assert cable.classification_reasons == "1.5 (B) and (D)"
    older = _cable("1.  (U)  CLASSIFIED BY ROBERT P. FINN, DEPUTY CHIEF OF\nMISSION.  REASON: 1.5 (D)\n\n"
                   "2.  (C) TEXT.")
    assert older.classified_by == ["ROBERT P. FINN"]


# --- the signer ---------------------------------------------------------------------------

def test_signer_above_the_telegram_furniture():  # 04CARACAS2200
    cable = _cable("1. (C) CHAVEZ'S UNWILLINGNESS TO TRUST OTHERS, HOWEVER,\nLIKELY CONTRIBUTES TO HIS "
                   "GOVERNMENT'S FAILURE IN EXECUTING\nMANY OF HIS INITIATIVES.\nMCFARLAND\n\nNNNN\n"
                   "2004CARACA02200 - CONFIDENTIAL")
    assert (cable.signature, cable.signed_by) == ("MCFARLAND", ["MCFARLAND"])
    assert "MCFARLAND" not in cable.paragraphs[-1].text


def test_signer_before_lone_punctuation_and_classification():  # 00HARARE6677, 09BRUSSELS1032
    lines = ["12. (U) A/S RICE HAS CLEARED THIS MESSAGE.", "MCDONALD", " CONFIDENTIAL", ">"]
    assert split_signature(lines) == (["12. (U) A/S RICE HAS CLEARED THIS MESSAGE.", "", " CONFIDENTIAL", ""],
                                      "MCDONALD")
    assert split_signature(["internationally. End comment.", "", "CHASE", "."])[1] == "CHASE"


def test_signer_after_the_classified_website_line():  # 09LONDON2005: mixed-case text, name in capitals
    lines = ["how individuals can do their part to help.",
             "Visit London’s Classified Website: http://www.intelink.sgov.gov/wiki/Portal:Unit ed_Kingdom",
             "SUSMAN"]
    assert split_signature(lines)[1] == "SUSMAN"


def test_signer_on_a_closing_formula_line():  # 10BRASILIA43, 10USNATO52
    lines, signature = split_signature(["between the United States and Brazil. ", "", "MINIMIZE CONSIDERED SHANNON"])
    assert (signature, lines[-1]) == ("SHANNON", "MINIMIZE CONSIDERED")
    assert split_signature(["contributions to the ANA TF.", "END TEXT HEFFERN"])[1] == "HEFFERN"


def test_signer_after_a_declassification_marker():  # 66BUENOSAIRES2481
    assert split_signature(["WHICH WOULD APPEAR MOST LIKELY TO SUCCEED. ", " ", "GP-3 ", "SACCIO"])[1] == "SACCIO"


def test_mixed_case_signer_after_a_sentence():  # 08MOSCOW2319, 08BEIJING4687 (subject excerpt after it)
    assert split_signature(["headed by a deputy chief military", "prosecutor.", "Rubin"])[1] == "Rubin"
    assert split_signature(["does not accept outside interference in China's internal ", "affairs. ",
                            "Randt ", "", "HTS ACTIVIST LIU XIAOBO..."])[1] == "Randt"


def test_last_line_of_text_is_no_signer():  # 08BEIJING4687's excerpt line; a cable cut mid-sentence
    assert split_signature(["Randt ", "", "HTS ACTIVIST LIU XIAOBO..."])[1] is None
    assert split_signature(["¶57. (U) The monthly inflation rate for March was 5.6 percent. The"])[1] is None
    # 06MANAGUA1002's lines with a made-up last line: words in capitals under mixed case, no sentence end
    assert split_signature(["citizenship (including at least one prominent ", "member of the Italian Red "
                            "Brigades), Ortega publicly", "ASSOCIATED WITH THEM"])[1] is None
    assert split_signature(["The Pablo Escobar footage was filmed ", "June 24, 1984. ", "TRIVELLI", "",
                            "DANIEL ORTEGA AN..."])[1] == "TRIVELLI"


def test_signer_names():  # 05SOFIA1207, 04MADRID4687; several signers are written with a slash
    assert signer_names("PARDEW PARDEW") == ["PARDEW"]
    assert signer_names("XXXXXXXXXXXX") == []
    assert signer_names("RICE/GATES") == ["RICE", "GATES"]
    assert signer_names("DE PREE") == ["DE PREE"]


def test_redacted_signer_line_stays_the_signature():  # 04MADRID4687
    cable = _cable("1. (C) The King said Spain would be invited to future \nsuch meetings. \n\nXXXXXXXXXXXX")
    assert (cable.signature, cable.signed_by) == ("XXXXXXXXXXXX", [])


# --- the parse --json contract --------------------------------------------------------------

def test_json_lists_names_and_signature_is_signed_by():  # 09BAGHDAD759 style
    cable = _cable("Classified By: Ambassador Christopher R. Hill for reasons 1.4 (b) and (d).\n\n"
                   "1. (C) Text.\n\n2. (C) Last point.\n\nHILL/BUTENIS")
    data = cable.to_json()
    assert data["classified_by"] == ["Christopher R. Hill"]
    assert data["classified_by_text"] == "Ambassador Christopher R. Hill"
    assert data["signed_by"] == data["signature"] == ["HILL", "BUTENIS"]


def test_cable_page_shows_the_block_as_written_and_the_signer():  # the card as before: title and reasons kept
    from generator.write.markdown import render_cable

    cable = _cable("Classified By: Ambassador Christopher R. Hill for reasons 1.4 (b) and (d).\n\n"
                   "1. (C) Text.\n\n2. (C) Last point.\n\nHILL/BUTENIS")
    page = render_cable(cable, "cable/undated/09TEST1.html", {
        "references": [], "cited_by": [], "previous": None, "next": None, "countries": [], "topics": [],
        "classification_url": None, "origin_url": None, "tag_urls": {}})
    assert "<dt>Classified by</dt><dd>Ambassador Christopher R. Hill</dd>" in page
    assert "<dt>Signed</dt><dd>HILL/BUTENIS</dd>" in page


def _plain_distance(a: str, b: str) -> int:
    """Optimal string alignment distance over the whole table: what the banded, cut-off one must give."""
    table = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[-1][-1]


def _mutated(word: str, rng) -> str:
    """The word with up to three edits: a letter put in, taken out, or swapped with the next."""
    letters = list(word)
    for _ in range(rng.randint(0, 3)):
        spot = rng.randrange(len(letters) + 1)
        edit = rng.choice(("insert", "delete", "swap"))
        if edit == "insert":
            letters.insert(spot, rng.choice("aoxs"))
        elif edit == "delete" and spot < len(letters):
            letters.pop(spot)
        elif edit == "swap" and spot + 1 < len(letters):
            letters[spot], letters[spot + 1] = letters[spot + 1], letters[spot]
    return "".join(letters)


def test_banded_distance_agrees_with_the_plain_table():
    import random

    from generator.parse.words import _distance

    rng = random.Random(20)
    words = ["ambassador", "counselor", "minister", "chief", "deputy", "abassador", "ambasasdor", "cief"]
    for _ in range(3000):
        a = rng.choice(words) if rng.random() < 0.3 else "".join(rng.choice("abcdmo") for _ in range(rng.randint(0, 9)))
        b = rng.choice(words)
        for other in (b, _mutated(b, rng), _mutated(a, rng)):
            for bound in (1, 2):
                assert _distance(a, other, bound) == min(_plain_distance(a, other), bound + 1), (a, other, bound)
