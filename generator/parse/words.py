"""Words of officials' titles and offices, and a loose match for them.

The classifying official's block names a title, an office or both before the name; drafters
abbreviate them (``PolMinCouns``, ``A/DCM``, ``ECONOFF``) and misspell them (``Ambassaor``,
``Counseor``, ``Direcotr``). A word counts as a title when it is one of these words, is made of
the abbreviations (``POLOFF`` = POL + OFF), or is one or two letters off a long title word
(edit distance with transpositions, so ``Ambasasdor`` is one letter off).
"""

from __future__ import annotations

import functools
import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles, ranks and the words of office names, lower case, dots and apostrophes removed.
_TITLES = """
ambassador ambassadors amb ambassadorial chargé charge chargè affaires affairs affaire daffaires ai
acting deputy dep assistant asst secretary secretaries sec undersecretary chief chiefs mission dcm cda
com counselor counsellor counselour counsel councilor councillor couns coun counsl counsel minister
ministers min mc mcounselor political pol polmil military mil economic econ ecmin emin econmin polmin
polcouns econcouns mincouns polmincouns poloff econoff conoff ecoff polecon econpol ecopol
officer officers off office offices section sections head leader team director dir directorate
coordinator coord consul consular general congen cg principal dpo po attache attaché legatt legat
rso arso tdy ltc col colonel gen adm admiral lt cdr capt maj brig special envoy representative
representatives rep permanent advisor adviser senior legal member delegate delegation chairman chair
chairperson us u/s a/s das pdas dasd unit units institutional governance provincial interagency
national subnational regional public diplomacy management mgmt admin administrative labor labour
defense defence security diplomatic arms control spokesman spokesperson press information cultural
commercial agricultural agriculture science scientific environment environmental technology health
economics politics refugee refugees narcotics law enforcement affair programs program bureau
division desk staff liaison executive vice president ait useu usun usnato usoas usdel usmission prt
isn vci nea sca eur af eap wha io inr drl prm inl ct pm ops dos state department dept embassy
embassies consulate consulates post posts fo usaid ustr treasury dod nsc gsa ic the this message
classified by cable telegram ea ep pe oes eeb ecpo poloffs pmo ipo iso ims irm hr med fmo gso
asia asian africa african europe european eurasia eurasian eastern western northern southern hemisphere
pacific americas polad poladvisor
"""
TITLE_WORDS = _words(_TITLES)
# Pieces that run-together abbreviations are made of: POL+MIN+COUNS, ECON+OFF.
_PIECES = _words("pol econ eco ec min mil couns coun cons con off mc po dcm mgmt admin ops pa")
# Long title words misspelt often enough to be matched loosely.
_LOOSE = _words("""ambassador counselor counsellor councilor minister political economic affaires affairs director
officer secretary assistant deputy attache principal representative coordinator charge consul
general mission section chief advisor adviser delegate special acting envoy leader member office
military diplomatic governance permanent""")
_LOOSE_BY_INITIAL: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {
    initial: tuple((t, frozenset(t)) for t in sorted(_LOOSE) if t[0] == initial) for initial in {t[0] for t in _LOOSE}}
# Two or more pieces, longest first (the order does not change what matches in full).
_COMPOUND = re.compile("(?:{0})(?:{0})+".format("|".join(sorted(_PIECES, key=lambda p: (-len(p), p)))))
CONNECTORS = frozenset(["for", "to", "of", "and", "&", "in", "at", "on", "with"])
NAME_PARTICLES = _words("de del della der den van von da das di du la le el al bin ibn st")
SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])
# Titles a place follows, not a person: "Embassy Brasilia", "ConGen Istanbul".
PLACE_TITLES = frozenset(["embassy", "consulate", "congen", "post"])

_STRIP = re.compile(r"^[^\w]+|[^\w]+$")
_INNER_DROP = re.compile(r"[.'’`\\]")
_CHARGE_APOSTROPHE = re.compile(r"^d[e]?[',’`\\]+", re.I)  # d'Affaires, d,Affaires, de'Affairs


@functools.lru_cache(maxsize=16384)
def normalise_word(token: str) -> str:
    """``COUNSEL0R,`` -> ``counselor``; ``d'Affaires`` -> ``affaires``; ``a.i.`` -> ``ai``."""
    word = _STRIP.sub("", token.replace("\\", ""))
    word = _CHARGE_APOSTROPHE.sub("", word)
    word = _INNER_DROP.sub("", word).lower()
    if "0" in word and any(c.isalpha() for c in word):
        word = word.replace("0", "o")
    return word


@functools.lru_cache(maxsize=16384)
def is_title_word(word: str) -> bool:
    """A normalised word that names a title or an office (see the module's docstring)."""
    if not word:
        return False
    if word in TITLE_WORDS:
        return True
    if "-" in word:
        parts = [p for p in word.split("-") if p]
        return bool(parts) and all(p in TITLE_WORDS or p in CONNECTORS or p == "large" or is_title_word(p)
                                   for p in parts)
    if not word.isalpha():
        return False
    return _is_compound(word) or _is_misspelt(word)


def _is_compound(word: str) -> bool:
    """Made of two or more abbreviation pieces (``polmincouns``), none of one letter (``emil``
    is a name, ``emin`` is in the list)."""
    return len(word) >= 4 and _COMPOUND.fullmatch(word) is not None


def _is_misspelt(word: str) -> bool:
    """One letter off a long title word (two off one of nine letters or more). The first letter
    is taken as written (every misspelling seen keeps it), which leaves a few titles to try;
    a title with more of its letters missing from the word than edits allowed is passed over
    before the distance is computed (each missing letter needs an edit of its own)."""
    for title, letters in _LOOSE_BY_INITIAL.get(word[0], ()):
        allowed = 2 if len(title) >= 9 else 1
        if abs(len(title) - len(word)) > allowed:
            continue
        if sum(1 for letter in letters if letter not in word) <= allowed and _distance(word, title, allowed) <= allowed:
            return True
    return False


def _distance(a: str, b: str, bound: int) -> int:
    """Optimal string alignment distance (an edit or a swap of neighbours costs 1), cut off:
    any distance above ``bound`` comes back as ``bound + 1``. Only the cells within ``bound`` of
    the diagonal are computed (the others are over the bound anyway): this runs for every word
    of a block that is not a known title, so it is kept cheap."""
    big = bound + 1
    previous2: list[int] = []
    previous = [j if j <= bound else big for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        current = [big] * (len(b) + 1)
        if i <= bound:
            current[0] = i
        low, high = max(1, i - bound), min(len(b), i + bound)
        here, before = a[i - 1], a[i - 2] if i > 1 else ""
        for j in range(low, high + 1):
            there = b[j - 1]
            value = previous[j - 1] + (here != there)
            value = min(value, previous[j] + 1, current[j - 1] + 1)
            if j > 1 and here == b[j - 2] and before == there:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current[low - 1: high + 1]) > bound:
            return big
        previous2, previous = previous, current
    return min(previous[-1], big)


_TITLE_PREFIXES = frozenset(title[:end] for title in _LOOSE for end in range(4, len(title)))


def is_title_prefix(word: str) -> bool:
    """A title cut short at the end of a block: ``Offic`` (office, officer)."""
    return word in _TITLE_PREFIXES


__all__ = ["CONNECTORS", "NAME_PARTICLES", "PLACE_TITLES", "SUFFIXES", "TITLE_WORDS", "is_title_prefix",
           "is_title_word", "normalise_word"]
