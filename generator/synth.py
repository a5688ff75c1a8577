"""Synthetic cables in the ``cables.csv`` layout, shaped like real ones, for benchmarks and tests.

Why: the build has to be measured at Cablegate's size (251,287 cables) without shipping real
cables, so this module writes as many cables as asked, deterministically (same N and seed, same
Python version -> byte-identical file), streaming row by row: only the sorted list of N
timestamps (8 bytes a cable) and a bounded window of recent ids (for REF lines) are held.

The text is made from a small hand-written vocabulary (no real cable text is used); what is
copied from reality is the *shape*. Each ``FIT_*`` constant below was measured on the shared
1,045-cable sample (``../shared/corpus/cablegate-sample.csv``) by ``bench/fit_sample.py``,
which parses every row with the project's own parser (``read_sources`` -> ``parse_cable``) and
prints the figures:

- body length emerges from paragraphs: numbered paragraphs per cable and characters per
  paragraph are log-normal fits (mean and standard deviation of the logs); with these the
  synthetic median body is close to the sample's 8.5 KB;
- the classification mix and, per classification, the mix of portion markings;
- the number of subject-code and country-code TAGS per cable, and REF entries per cable
  (empirical frequencies, tails above the listed counts folded into the last one);
- the share of cables with a summary, a comment block, headings, a Classified By line, SIPDIS;
- years: the sample's histogram for 2004-2010 and a thin uniform tail over 1966-2003;
- posts: a Zipf-Mandelbrot law p(rank) ~ (rank + q)^-s fitted by maximum likelihood to the
  sample's per-post counts, spread over the 241 posts listed here (the sample has 112).

The sample is the first weeks of the 2010 release, which over-represents classified cables
(the whole release is about half UNCLASSIFIED); the fit follows the sample, as asked.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import itertools
import random
import re
from array import array
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

# --- fitted on the shared sample by bench/fit_sample.py (see the module docstring) -----------------
FIT_PARAGRAPHS_LOGNORMAL = (2.176, 0.640)  # numbered paragraphs per cable: median 9, deciles 4..18
FIT_PARAGRAPH_CHARS_LOGNORMAL = (6.542, 0.687)  # characters per paragraph: median 763
FIT_UNNUMBERED_SHARE = 0.015  # cables without numbered paragraphs
FIT_UNMARKED_SHARE = 0.015  # cables with numbered paragraphs but no portion marks
FIT_CLASSIFICATIONS = {
    "CONFIDENTIAL": 0.466, "SECRET": 0.222, "SECRET//NOFORN": 0.163, "CONFIDENTIAL//NOFORN": 0.066,
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY": 0.056, "UNCLASSIFIED": 0.027,
}
# Portion marks of the paragraphs of a cable of each classification ("" = no mark).
FIT_MARKINGS = {
    "CONFIDENTIAL": {"C": 0.824, "SBU": 0.089, "U": 0.068, "": 0.012, "C/NF": 0.004},
    "CONFIDENTIAL//NOFORN": {"C/NF": 0.543, "C": 0.280, "SBU": 0.090, "U": 0.065, "SBU/NF": 0.019},
    "SECRET": {"S": 0.477, "C": 0.327, "S/NF": 0.078, "U": 0.060, "SBU": 0.043, "": 0.006, "C/NF": 0.006},
    "SECRET//NOFORN": {"S/NF": 0.490, "C": 0.221, "S": 0.096, "U": 0.073, "SBU": 0.056, "C/NF": 0.054},
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY": {"SBU": 0.678, "U": 0.264, "": 0.058},
    "UNCLASSIFIED": {"": 0.395, "SBU": 0.374, "U": 0.231},
}
FIT_SUBJECT_TAGS = {0: 0.002, 1: 0.047, 2: 0.167, 3: 0.238, 4: 0.233, 5: 0.148, 6: 0.082, 7: 0.036, 8: 0.020,
                    9: 0.014, 10: 0.013}
FIT_COUNTRY_TAGS = {0: 0.025, 1: 0.563, 2: 0.224, 3: 0.084, 4: 0.036, 5: 0.026, 6: 0.013, 7: 0.011, 8: 0.018}
FIT_REFERENCES = {0: 0.438, 1: 0.403, 2: 0.089, 3: 0.031, 4: 0.016, 5: 0.009, 6: 0.014}
FIT_SUBJECT_WORDS_LOGNORMAL = (2.141, 0.392)  # words in the subject: median 9, deciles 5..14
FIT_SHARES = {"summary": 0.709, "comment": 0.256, "headings": 0.653, "classified_by": 0.896, "sipdis": 0.936,
              "eo": 0.988}
FIT_YEARS = {2004: 20, 2005: 46, 2006: 67, 2007: 108, 2008: 184, 2009: 443, 2010: 166}
FIT_EARLY_YEARS_SHARE = 12 / 1045  # 1966-2003, spread evenly
FIT_POSTS_ZIPF = (3.35, 30.0)  # Zipf-Mandelbrot exponent s and offset q over the posts below
FIT_WRAPPED_SHARE = 0.59  # bodies hard-wrapped at telegram width; the rest have one line a paragraph

# The sample's Classified By lines are all in classified cables: the share among those.
CLASSIFIED_BY_SHARE_OF_CLASSIFIED = min(1.0, FIT_SHARES["classified_by"] / sum(
    share for name, share in FIT_CLASSIFICATIONS.items() if not name.startswith("UNCLASSIFIED")))
FIRST_YEAR = 1966
WRAP_WIDTH = 68
REFERENCE_WINDOW = 4096  # recent cables a REF line may cite (bounds memory)
POST_WINDOW = 32  # recent cables per post, for citing the same post's earlier cables
SENTENCE_POOL = 6000

# --- posts: country TAGS code (FIPS, as the cables write them), country name, cities ---------------
# The first city is the embassy, the others consulates. Listed roughly by volume: list order is
# the Zipf rank.
_COUNTRY_TABLE = """
SP:Spain:Madrid,Barcelona|FR:France:Paris,Marseille,Strasbourg|BR:Brazil:Brasilia,Sao Paulo,Rio De Janeiro,Recife
PK:Pakistan:Islamabad,Karachi,Lahore,Peshawar|UK:United Kingdom:London,Belfast,Edinburgh
RS:Russia:Moscow,St Petersburg,Vladivostok,Yekaterinburg|AF:Afghanistan:Kabul
CH:China:Beijing,Shanghai,Guangzhou,Chengdu,Shenyang|GM:Germany:Berlin,Munich,Hamburg,Frankfurt,Leipzig,Dusseldorf
SA:Saudi Arabia:Riyadh,Jeddah,Dhahran|TU:Turkey:Ankara,Istanbul,Adana|YM:Yemen:Sanaa
AE:United Arab Emirates:Abu Dhabi,Dubai|VE:Venezuela:Caracas|IZ:Iraq:Baghdad,Basrah,Kirkuk|BL:Bolivia:La Paz
IS:Israel:Tel Aviv|AR:Argentina:Buenos Aires|CO:Colombia:Bogota|MO:Morocco:Rabat,Casablanca|LY:Libya:Tripoli
AG:Algeria:Algiers|EG:Egypt:Cairo,Alexandria|KS:South Korea:Seoul,Busan
MX:Mexico:Mexico,Monterrey,Tijuana,Guadalajara,Ciudad Juarez|SF:South Africa:Pretoria,Cape Town,Johannesburg,Durban
BM:Burma:Rangoon|SW:Sweden:Stockholm|IT:Italy:Rome,Milan,Naples,Florence|PL:Poland:Warsaw,Krakow|QA:Qatar:Doha
ZI:Zimbabwe:Harare|AJ:Azerbaijan:Baku|SR:Serbia:Belgrade|UP:Ukraine:Kyiv|KE:Kenya:Nairobi|KU:Kuwait:Kuwait
SY:Syria:Damascus|TX:Turkmenistan:Ashgabat|ES:El Salvador:San Salvador|GG:Georgia:Tbilisi|KZ:Kazakhstan:Astana,Almaty
TS:Tunisia:Tunis|KV:Kosovo:Pristina|BE:Belgium:Brussels|NO:Norway:Oslo|HR:Croatia:Zagreb|IR:Iran:Tehran
EN:Estonia:Tallinn|AU:Austria:Vienna|NU:Nicaragua:Managua|CI:Chile:Santiago|LE:Lebanon:Beirut
CA:Canada:Ottawa,Toronto,Montreal,Vancouver|NI:Nigeria:Abuja,Lagos|SG:Senegal:Dakar|MZ:Mozambique:Maputo
JO:Jordan:Amman|BU:Bulgaria:Sofia|MK:Macedonia:Skopje|HA:Haiti:Port Au Prince|IV:Cote d'Ivoire:Abidjan
DJ:Djibouti:Djibouti|MY:Malaysia:Kuala Lumpur|MU:Oman:Muscat|IN:India:New Delhi,Mumbai,Chennai,Kolkata,Hyderabad
HO:Honduras:Tegucigalpa|ER:Eritrea:Asmara|ML:Mali:Bamako|UG:Uganda:Kampala|SU:Sudan:Khartoum|AO:Angola:Luanda
BK:Bosnia and Herzegovina:Sarajevo|BB:Barbados:Bridgetown|RO:Romania:Bucharest|PO:Portugal:Lisbon,Ponta Delgada
KG:Kyrgyzstan:Bishkek|RW:Rwanda:Kigali|LG:Latvia:Riga|TH:Thailand:Bangkok,Chiang Mai|ET:Ethiopia:Addis Ababa
MD:Moldova:Chisinau|TI:Tajikistan:Dushanbe|PE:Peru:Lima|BA:Bahrain:Manama|EZ:Czech Republic:Prague
SN:Singapore:Singapore|MG:Mongolia:Ulaanbaatar|CE:Sri Lanka:Colombo|CU:Cuba:Havana|LU:Luxembourg:Luxembourg
NL:Netherlands:The Hague,Amsterdam|VT:Holy See:Vatican|JA:Japan:Tokyo,Osaka Kobe,Naha,Sapporo
ID:Indonesia:Jakarta,Surabaya|RP:Philippines:Manila|VM:Vietnam:Hanoi,Ho Chi Minh City
AS:Australia:Canberra,Sydney,Melbourne,Perth|NZ:New Zealand:Wellington,Auckland|LH:Lithuania:Vilnius
FI:Finland:Helsinki|DA:Denmark:Copenhagen|IC:Iceland:Reykjavik|EI:Ireland:Dublin|SZ:Switzerland:Bern
GR:Greece:Athens,Thessaloniki|CY:Cyprus:Nicosia|HU:Hungary:Budapest|LO:Slovakia:Bratislava|SI:Slovenia:Ljubljana
AL:Albania:Tirana|MJ:Montenegro:Podgorica|BO:Belarus:Minsk|AM:Armenia:Yerevan|UZ:Uzbekistan:Tashkent
NP:Nepal:Kathmandu|BG:Bangladesh:Dhaka|CB:Cambodia:Phnom Penh|LA:Laos:Vientiane|TW:Taiwan:Taipei
EC:Ecuador:Quito,Guayaquil|PA:Paraguay:Asuncion|UY:Uruguay:Montevideo|GT:Guatemala:Guatemala|PM:Panama:Panama
CS:Costa Rica:San Jose|DR:Dominican Republic:Santo Domingo|JM:Jamaica:Kingston|TD:Trinidad and Tobago:Port Of Spain
GY:Guyana:Georgetown|NS:Suriname:Paramaribo|BH:Belize:Belmopan|BF:Bahamas:Nassau|GH:Ghana:Accra|CM:Cameroon:Yaounde
GB:Gabon:Libreville|CG:Democratic Republic of the Congo:Kinshasa|CF:Republic of the Congo:Brazzaville
TZ:Tanzania:Dar Es Salaam|ZA:Zambia:Lusaka|MI:Malawi:Lilongwe|BC:Botswana:Gaborone|WA:Namibia:Windhoek
LT:Lesotho:Maseru|WZ:Swaziland:Mbabane|MA:Madagascar:Antananarivo|MP:Mauritius:Port Louis|UV:Burkina Faso:Ouagadougou
NG:Niger:Niamey|CD:Chad:Ndjamena|MR:Mauritania:Nouakchott|GA:Gambia:Banjul|GV:Guinea:Conakry|SL:Sierra Leone:Freetown
LI:Liberia:Monrovia|TO:Togo:Lome|BN:Benin:Cotonou|EK:Equatorial Guinea:Malabo|CT:Central African Republic:Bangui
BY:Burundi:Bujumbura|SO:Somalia:Mogadishu|CV:Cape Verde:Praia|FJ:Fiji:Suva|PP:Papua New Guinea:Port Moresby
TT:Timor-Leste:Dili|BX:Brunei:Bandar Seri Begawan|MT:Malta:Valletta
"""

_MULTILATERAL_POSTS = (  # (origin, id code, FM line): missions whose cables name many countries
    ("Secretary of State", "STATE", "SECSTATE WASHDC"),
    ("Mission USUN New York", "USUNNEWYORK", "USMISSION USUN NEW YORK"),
    ("Mission USNATO", "USNATO", "USMISSION USNATO"),
    ("Mission Geneva", "GENEVA", "USMISSION GENEVA"),
    ("UNVIE", "UNVIEVIENNA", "USMISSION UNVIE VIENNA"),
    ("Mission USOSCE", "USOSCE", "USMISSION USOSCE"),
    ("USEU Brussels", "USEUBRUSSELS", "USMISSION USEU BRUSSELS"),
)

SUBJECT_CODES = (  # TAGS subject codes, most used first
    "PREL", "PGOV", "ECON", "PINR", "MARR", "PTER", "KDEM", "PHUM", "ETRD", "EFIN", "ENRG", "KNNP", "MOPS",
    "SNAR", "EPET", "ASEC", "KCRM", "OVIP", "EAID", "SOCI", "KJUS", "PARM", "EINV", "ELAB", "KPAO", "CVIS",
    "SENV", "PINS", "KCOR", "PREF", "KTFN", "EAGR", "ECIN", "KIPR", "KWMN", "TBIO", "KISL", "ELTN", "KPKO",
    "MASS", "AMGT", "APER", "CASC", "KFRD", "KTIP", "KHIV", "SMIG", "EAIR", "EWWT", "TSPA", "KSCA", "KMDR",
)

# --- vocabulary for the text (written for this generator; no real cable text) ------------------------
_ACTORS = (
    "the Minister", "the Deputy Minister", "the Prime Minister", "the President", "the opposition leader",
    "the Ambassador", "the Charge", "the DCM", "Poloff", "Econoff", "the delegation", "the governor",
    "the party chairman", "the central bank governor", "the ministry spokesman", "the senior advisor",
    "our contact", "the director general", "the parliamentary committee", "the coalition partners",
    "the national security advisor", "the trade union leader", "the chief prosecutor", "the army chief",
)
_VERBS = (
    "said", "noted", "stressed", "argued", "confirmed", "complained", "predicted", "acknowledged",
    "explained", "warned", "suggested", "insisted", "reported", "agreed", "emphasized", "doubted",
)
_TOPICS = (
    "the reform package", "the energy agreement", "the border dispute", "the upcoming elections",
    "the budget shortfall", "the counterterrorism program", "the visa backlog", "the trade negotiations",
    "the draft law", "the security situation", "the refugee flows", "the investment climate",
    "the human rights report", "the customs regime", "the pipeline project", "the peacekeeping mission",
    "the anti-corruption campaign", "the coalition talks", "the fuel subsidies", "the water allocation",
    "the port concession", "the military exercise", "the debt restructuring", "the media law",
    "the nonproliferation commitments", "the narcotics interdiction effort", "the health program",
)
_CLAUSES = (
    "would be decided before the end of the year", "remained a source of friction", "had stalled again",
    "enjoyed broad support in the cabinet", "could not move forward without donor funding",
    "was unlikely to pass in its current form", "had improved markedly since the spring",
    "depended on the outcome of the talks", "raised questions about the government's intentions",
    "was the top priority for the coming months", "would require careful coordination with Washington",
    "had been delayed by procedural disputes", "showed the limits of the ruling party's influence",
    "was being watched closely by the neighbors", "had drawn sharp criticism from the press",
)
_COMMENTS = (
    "We will continue to press this point at every level.", "Post will report further developments.",
    "This matches what we have heard from other contacts.", "The timing is not accidental.",
    "We see little sign of movement in the near term.", "Embassy recommends a high-level visit.",
    "The figures could not be independently confirmed.", "Further details are expected next week.",
)
_SUBJECT_WORDS = (
    "MINISTER", "DISCUSSES", "ENERGY", "SECURITY", "ELECTIONS", "REFORM", "TIES", "VISIT", "TRADE",
    "OUTLOOK", "CONCERNS", "PRESSES", "FOR", "ON", "AND", "THE", "NEW", "BUDGET", "TALKS", "AGREEMENT",
    "OPPOSITION", "PARLIAMENT", "GOVERNMENT", "COOPERATION", "MILITARY", "ECONOMY", "CRISIS", "DEBATE",
    "COALITION", "PRESIDENT", "BORDER", "AID", "LAW", "STRATEGY", "REGIONAL", "DIALOGUE", "PROGRESS",
)
_HEADINGS = ("Background", "Political Outlook", "Economic Concerns", "Security Cooperation", "Next Steps",
             "Regional Dynamics", "The View from the Ministry", "Elections", "Energy", "Bilateral Relations")
_FIRST_NAMES = ("Alan", "Beth", "Carl", "Dana", "Eric", "Fay", "Glen", "Hope", "Ivan", "Joan", "Kurt", "Lena",
                "Mark", "Nora", "Owen", "Pam", "Ross", "Sara", "Todd", "Vera")
_SURNAMES = ("Adler", "Brandt", "Carver", "Dorsey", "Ellison", "Fenwick", "Garner", "Holloway", "Ingram",
             "Jarvis", "Keller", "Lomax", "Mercer", "Norwood", "Oakes", "Pruitt", "Quade", "Ridley", "Sutter",
             "Thorne", "Upton", "Vance", "Whitlock", "Yardley")
_TITLES = ("Ambassador", "Charge d'Affaires", "DCM", "Political Counselor", "Economic Counselor",
           "Acting Political Counselor", "Consul General", "Principal Officer")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_SPACED = {"CONFIDENTIAL": "C O N F I D E N T I A L", "SECRET": "S E C R E T"}
_WRAP = re.compile(rf"(.{{1,{WRAP_WIDTH}}})(?:\s+|$)")


@dataclass(frozen=True)
class Post:
    origin: str  # the CSV origin column: "Embassy Paris"
    code: str  # as in ids: "PARIS"
    sender: str  # as on the FM line: "AMEMBASSY PARIS"
    country: str | None  # TAGS code of the host country; None for multilateral posts
    country_name: str | None


@dataclass(frozen=True)
class CitedCable:
    """What a REF line needs of an earlier cable (kept in bounded windows)."""

    code: str
    year: int
    number: int


def _load_posts() -> tuple[list[Post], dict[str, str]]:
    posts: list[Post] = []
    names: dict[str, str] = {}
    for chunk in re.split(r"[|\n]", _COUNTRY_TABLE.strip()):
        code, name, cities = chunk.split(":")
        names[code] = name
        for index, city in enumerate(cities.split(",")):
            kind, sender = ("Embassy", "AMEMBASSY") if index == 0 else ("Consulate", "AMCONSUL")
            posts.append(Post(f"{kind} {city}", city.upper().replace(" ", "").replace("'", ""),
                              f"{sender} {city.upper()}", code, name))
    for rank, (origin, code, sender) in enumerate(_MULTILATERAL_POSTS):
        posts.insert(2 + rank * 7, Post(origin, code, sender, None, None))
    codes = [p.code for p in posts]
    if len(set(codes)) != len(codes):
        raise ValueError("two synthetic posts share an id code")
    return posts, names


POSTS, COUNTRY_NAMES = _load_posts()
# A post as a REF line names it: the city with its spaces ("BUENOS AIRES 1234"), which the
# parser folds into the id's spelling; multilateral posts by their id code ("STATE 12345").
REF_NAMES = {p.code: p.origin.split(" ", 1)[1].upper() if p.country else p.code for p in POSTS}


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _zipf_weights(count: int, exponent: float, offset: float) -> list[float]:
    return [(rank + offset) ** -exponent for rank in range(1, count + 1)]


class _Choice:
    """A weighted choice with precomputed cumulative weights (random.choices recomputes them)."""

    def __init__(self, table: dict | Sequence, weights: Sequence[float] | None = None) -> None:
        if isinstance(table, dict):
            self.values, weights = list(table), list(table.values())
        else:
            self.values = list(table)
        self.cum = _cumulative(weights)
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total, hi=len(self.cum) - 1)]


def _year_weights() -> dict[int, float]:
    late = sum(FIT_YEARS.values())
    early_years = range(FIRST_YEAR, min(FIT_YEARS))
    per_early = FIT_EARLY_YEARS_SHARE / (1 - FIT_EARLY_YEARS_SHARE) * late / len(early_years)
    return {**dict.fromkeys(early_years, per_early), **FIT_YEARS}


def sorted_timestamps(count: int, rng: random.Random) -> array:
    """``count`` minutes since 1966-01-01 in increasing order, years weighted as fitted.

    Kept as an int array (8 bytes a cable): sorting needs them all, and chronological order is
    what lets every REF line cite a cable written earlier in the file.
    """
    years = _Choice(_year_weights())
    epoch = dt.datetime(FIRST_YEAR, 1, 1)
    stamps = array("q")
    for _ in range(count):
        year = years.pick(rng)
        start = int((dt.datetime(year, 1, 1) - epoch).total_seconds() // 60)
        end = int((dt.datetime(year + 1, 1, 1) - epoch).total_seconds() // 60)
        stamps.append(rng.randrange(start, end))
    return array("q", sorted(stamps))


class CableWriter:
    """Generates one synthetic cable after another; holds only bounded state between them."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.posts = _Choice(POSTS, _zipf_weights(len(POSTS), *FIT_POSTS_ZIPF))
        self.subject_codes = _Choice(SUBJECT_CODES, _zipf_weights(len(SUBJECT_CODES), 1.0, 1.0))
        self.country_codes = _Choice(list(COUNTRY_NAMES), _zipf_weights(len(COUNTRY_NAMES), 1.2, 5.0))
        self.classifications = _Choice(FIT_CLASSIFICATIONS)
        self.markings = {cls: _Choice(table) for cls, table in FIT_MARKINGS.items()}
        self.subject_tag_counts = _Choice(FIT_SUBJECT_TAGS)
        self.country_tag_counts = _Choice(FIT_COUNTRY_TAGS)
        self.reference_counts = _Choice(FIT_REFERENCES)
        self.sentences = [self._sentence() for _ in range(SENTENCE_POOL)]
        self.mean_sentence = sum(len(s) + 1 for s in self.sentences) / len(self.sentences)
        self.numbers: dict[tuple[str, int], int] = {}
        self.recent: deque[CitedCable] = deque(maxlen=REFERENCE_WINDOW)
        self.recent_by_post: dict[str, deque[CitedCable]] = {}

    # --- text -----------------------------------------------------------------------------------
    def _sentence(self) -> str:
        rng = self.rng
        actor = rng.choice(_ACTORS)
        text = f"{actor} {rng.choice(_VERBS)} that {rng.choice(_TOPICS)} {rng.choice(_CLAUSES)}"
        if rng.random() < 0.3:
            text += f", adding that {rng.choice(_TOPICS)} {rng.choice(_CLAUSES)}"
        if rng.random() < 0.25:
            text += " in @C"  # replaced by the cable's host country
        return text[0].upper() + text[1:] + "."

    def _prose(self, chars: int, country: str) -> str:
        count = max(1, round(chars / self.mean_sentence))
        return " ".join(self.rng.choices(self.sentences, k=count)).replace("@C", country)

    def _paragraph_text(self, country: str) -> str:
        mu, sigma = FIT_PARAGRAPH_CHARS_LOGNORMAL
        text = self._prose(min(12_000, self.rng.lognormvariate(mu, sigma)), country)
        if self.rng.random() < 0.12:  # a list of sub-items, as the telegrams write them
            items = [f"-- {self._prose(120, country)}" for _ in range(self.rng.randint(2, 5))]
            text += "\n" + "\n".join(items)
        return text

    def _subject(self) -> str:
        mu, sigma = FIT_SUBJECT_WORDS_LOGNORMAL
        words = max(2, min(30, round(self.rng.lognormvariate(mu, sigma))))
        return " ".join(self.rng.choices(_SUBJECT_WORDS, k=words))

    def _person(self) -> str:
        return f"{self.rng.choice(_FIRST_NAMES)} {self.rng.choice(_SURNAMES)}"

    # --- fields ----------------------------------------------------------------------------------
    def _tags(self, post: Post) -> list[str]:
        subjects = list(dict.fromkeys(self.subject_codes.pick(self.rng)
                                      for _ in range(self.subject_tag_counts.pick(self.rng))))
        countries = [post.country] if post.country else []
        wanted = self.country_tag_counts.pick(self.rng)
        for _ in range(wanted * 2):
            if len(countries) >= wanted:
                break
            code = self.country_codes.pick(self.rng)
            if code not in countries:
                countries.append(code)
        tags = subjects + countries
        self.rng.shuffle(tags)
        return tags

    def _cable_number(self, post: Post, year: int) -> int:
        key = (post.code, year)
        start = self.rng.randint(10, 300) if post.code != "STATE" else self.rng.randint(1000, 5000)
        step = 1 if post.code != "STATE" else self.rng.randint(1, 40)
        number = self.numbers.get(key, start) + step
        self.numbers[key] = number
        return number

    def _references(self, post: Post, year: int) -> list[str]:
        """REF entries citing earlier cables of this file, as telegrams wrote them."""
        wanted = self.reference_counts.pick(self.rng)
        own = self.recent_by_post.get(post.code, ())
        chosen: list[CitedCable] = []
        for _ in range(wanted * 3):
            if len(chosen) >= wanted:
                break
            pool = own if own and self.rng.random() < 0.6 else self.recent
            if not pool:
                break
            cited = pool[self.rng.randrange(len(pool))]
            if cited not in chosen:
                chosen.append(cited)
        entries = []
        for cited in chosen:
            yy = "" if cited.year == year and self.rng.random() < 0.5 else f"{cited.year % 100:02d} "
            entries.append(f"{yy}{REF_NAMES[cited.code]} {cited.number}")
        if len(entries) == 1:
            return entries
        return [f"{chr(ord('A') + i)}. {entry}" for i, entry in enumerate(entries)]

    def _remember(self, post: Post, year: int, number: int) -> None:
        cited = CitedCable(post.code, year, number)
        self.recent.append(cited)
        self.recent_by_post.setdefault(post.code, deque(maxlen=POST_WINDOW)).append(cited)

    # --- one cable ---------------------------------------------------------------------------------
    def cable_row(self, sequence: int, when: dt.datetime) -> list[str]:
        """The eight CSV columns of one cable."""
        rng = self.rng
        post = self.posts.pick(rng)
        year = when.year
        number = self._cable_number(post, year)
        cable_id = f"{year % 100:02d}{post.code}{number}"
        classification = self.classifications.pick(rng)
        country = post.country_name or COUNTRY_NAMES[self.country_codes.pick(rng)]
        paragraphs = self._body_paragraphs(classification, country)
        body_chars = sum(len(p) for p in paragraphs)
        head = self._body_head(post, classification, when, number, body_chars)
        body = "\n\n".join(head + paragraphs)
        if rng.random() < FIT_WRAPPED_SHARE:
            body = "\n".join(_WRAP.sub(r"\1\n", line).rstrip("\n") if len(line) > WRAP_WIDTH else line
                             for line in body.split("\n"))
        row = [str(sequence), when.strftime("%m/%d/%Y %H:%M"), cable_id, post.origin, classification, "",
               self._routing(post, classification, when, number), body]
        self._remember(post, year, number)
        return row

    def _body_head(self, post: Post, classification: str, when: dt.datetime, number: int,
                   body_chars: int) -> list[str]:
        rng = self.rng
        level = classification.split("//")[0]
        sections = 1 + body_chars // 6000
        section = f"SECTION 01 OF {sections:02d} " if sections > 1 else ""
        opener = f"{_SPACED.get(level, 'UNCLAS')} {section}{post.code} {number:06d}"
        blocks = [opener]
        handling = []
        if "NOFORN" in classification:
            handling.append("NOFORN")
        if when.year >= 2002 and rng.random() < FIT_SHARES["sipdis"]:
            handling.append("SIPDIS")
        if classification.endswith("OFFICIAL USE ONLY"):
            handling.append("SENSITIVE")
        if handling:
            blocks.append("\n".join(handling))
        fields = []
        if rng.random() < FIT_SHARES["eo"]:
            fields.append(self._eo_line(classification, when))
        fields.append("TAGS: " + ", ".join(self._tags(post)))
        top = self.markings[classification].values[0]
        marking = f"({top}) " if top and rng.random() < 0.3 else ""
        fields.append(f"SUBJECT: {marking}{self._subject()}")
        blocks.append("\n".join(fields))
        references = self._references(post, when.year)
        if references:
            blocks.append("REF: " + " ".join(references))
        if level != "UNCLASSIFIED" and rng.random() < CLASSIFIED_BY_SHARE_OF_CLASSIFIED:
            blocks.append(f"Classified By: {rng.choice(_TITLES)} {self._person()} for reasons 1.4 (b) and (d).")
        return blocks

    def _eo_line(self, classification: str, when: dt.datetime) -> str:
        order = "12958" if when.year >= 1995 else "12356" if when.year >= 1982 else "12065"
        if classification.startswith("UNCLASSIFIED"):
            return f"E.O. {order}: N/A"
        return f"E.O. {order}: DECL: {when.month:02d}/{when.day:02d}/{when.year + 10}"

    def _routing(self, post: Post, classification: str, when: dt.datetime, number: int) -> str:
        rng = self.rng
        precedence = rng.choice("PRRRO")
        dtg = f"{when.day:02d}{when.hour:02d}{when.minute:02d}Z {_MONTHS[when.month - 1]} {when.year % 100:02d}"
        station = "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ", k=2))
        lines = [f"VZCZCXRO{rng.randint(1000, 9999)}",
                 f"{precedence}{precedence} " + " ".join(f"RUEH{''.join(rng.choices('ABCDFGHKLMNPRSTW', k=2))}"
                                                        for _ in range(rng.randint(1, 8))),
                 f"DE RUEH{station} #{number % 10000:04d}/01 {when.timetuple().tm_yday:03d}{when.hour:02d}"
                 f"{when.minute:02d}",
                 "ZNR UUUUU ZZH" if classification.startswith("UNCLASSIFIED") else "ZNY CCCCC ZZH",
                 f"{precedence} {dtg}",
                 f"FM {post.sender}",
                 f"TO RUEHC/SECSTATE WASHDC {rng.randint(1, 9999):04d}"]
        for _ in range(rng.randint(0, 4)):
            other = self.posts.pick(rng)
            lines.append(f"INFO RUEH{station}/{other.sender}" if len(lines) == 7 else f"RUEH{station}/{other.sender}")
        return "\n".join(lines)

    def _body_paragraphs(self, classification: str, country: str) -> list[str]:
        """Numbered, marked paragraphs with headings, a summary, a comment and a signature."""
        rng = self.rng
        if rng.random() < FIT_UNNUMBERED_SHARE:
            return [self._paragraph_text(country) for _ in range(rng.randint(1, 4))]
        mu, sigma = FIT_PARAGRAPHS_LOGNORMAL
        count = max(1, min(80, round(rng.lognormvariate(mu, sigma))))
        marked = rng.random() >= FIT_UNMARKED_SHARE
        markings = self.markings[classification]
        top = markings.values[0]
        with_summary = rng.random() < FIT_SHARES["summary"]
        comment_at = rng.randint(2, count) if count >= 3 and rng.random() < FIT_SHARES["comment"] else 0
        headings = set(rng.sample(range(2, count + 1), k=min(count - 1, rng.randint(1, 4)))) \
            if count >= 3 and rng.random() < FIT_SHARES["headings"] else set()
        out: list[str] = []
        for number in range(1, count + 1):
            if number in headings:
                title = rng.choice(_HEADINGS)
                out.append(f"{title}\n{'-' * len(title)}")
            mark = (top if number == 1 else markings.pick(rng)) if marked else ""
            lead = f"{number}. ({mark}) " if mark else f"{number}. "
            text = self._paragraph_text(country)
            if number == 1 and with_summary:
                text = f"Summary: {text} End Summary."
            elif number == comment_at:
                text = f"Comment: {text} {rng.choice(_COMMENTS)} End Comment."
            out.append(lead + text)
        if rng.random() < 0.8:
            out.append(rng.choice(_SURNAMES).upper())
        return out




def iter_rows(count: int, seed: int = 0) -> Iterator[list[str]]:
    """The rows of ``count`` synthetic cables, oldest first; deterministic in (count, seed)."""
    writer = CableWriter(seed)
    epoch = dt.datetime(FIRST_YEAR, 1, 1)
    for sequence, minutes in enumerate(sorted_timestamps(count, writer.rng), start=1):
        yield writer.cable_row(sequence, epoch + dt.timedelta(minutes=minutes))


def write_csv(count: int, out: IO[str], seed: int = 0) -> int:
    """Write ``count`` cables to an open text file (newline=""); returns the characters written."""
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    written = 0
    for row in iter_rows(count, seed):
        writer.writerow(row)
        written += sum(len(cell) for cell in row)
    return written


def synthesize(count: int, path: Path, seed: int = 0) -> int:
    """Write ``count`` synthetic cables to ``path`` as a cables.csv; returns characters of data."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        return write_csv(count, out, seed)

