"""Fixed pools for the demo data: companies of the region, titles, topics, expenditure texts.

The company pool is the same for every seed (it is the "region"); the seed only decides
who takes part when. Names and postal codes are invented but look like Westphalian
firms (Dortmund/Bochum 44xxx, Hagen 58xxx, Hamm/Unna 59xxx).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

POOL_SIZE = 400
POOL_SEED = 20240101  # fixed: the pool does not depend on the demo seed

# city -> (adjective used in company names, real postal codes of the city)
CITIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Dortmund": (
        "Dortmunder",
        (
            "44135",
            "44137",
            "44139",
            "44141",
            "44143",
            "44145",
            "44147",
            "44149",
            "44225",
            "44227",
            "44229",
            "44263",
            "44265",
            "44267",
            "44269",
            "44287",
            "44289",
            "44309",
            "44319",
            "44328",
            "44339",
            "44357",
            "44359",
            "44369",
            "44379",
            "44388",
        ),
    ),
    "Lünen": ("Lüner", ("44532", "44534", "44536")),
    "Bochum": (
        "Bochumer",
        (
            "44787",
            "44789",
            "44791",
            "44793",
            "44795",
            "44797",
            "44799",
            "44801",
            "44803",
            "44805",
            "44807",
            "44809",
            "44866",
            "44867",
            "44869",
            "44879",
            "44892",
            "44894",
        ),
    ),
    "Witten": ("Wittener", ("58452", "58453", "58454", "58455", "58456")),
    "Hagen": ("Hagener", ("58089", "58091", "58093", "58095", "58097", "58099", "58119", "58135")),
    "Herdecke": ("Herdecker", ("58313",)),
    "Wetter": ("Wetteraner", ("58300",)),
    "Hamm": ("Hammer", ("59063", "59065", "59067", "59069", "59071", "59073", "59075", "59077")),
    "Werne": ("Werner", ("59368",)),
    "Bönen": ("Bönener", ("59199",)),
    "Unna": ("Unnaer", ("59423", "59425", "59427")),
    "Kamen": ("Kamener", ("59174",)),
    "Bergkamen": ("Bergkamener", ("59192",)),
    "Schwerte": ("Schwerter", ("58239",)),
    "Holzwickede": ("Holzwickeder", ("59439",)),
    "Fröndenberg": ("Fröndenberger", ("58730",)),
    "Selm": ("Selmer", ("59379",)),
}

# Relative number of firms per city in the pool (bigger cities, more firms).
CITY_WEIGHTS: dict[str, float] = {
    "Dortmund": 6,
    "Bochum": 4,
    "Hagen": 3,
    "Hamm": 3,
    "Unna": 1.5,
    "Lünen": 1.5,
    "Witten": 1.5,
}

# Where a partner's companies mostly come from (other partners: the whole region).
PARTNER_REGIONS: dict[str, tuple[str, ...]] = {
    "DO": ("Dortmund", "Dortmund", "Dortmund", "Lünen"),
    "BO": ("Bochum", "Bochum", "Bochum", "Witten"),
    "HA": ("Hagen", "Hagen", "Hagen", "Herdecke", "Wetter"),
    "HAM": ("Hamm", "Hamm", "Hamm", "Werne", "Bönen"),
    "UN": ("Unna", "Kamen", "Bergkamen", "Schwerte", "Holzwickede", "Fröndenberg", "Selm"),
}

# Who uploads the monthly report of a partner: (login, Ansprechperson in the Meta sheet).
USERS: dict[str, tuple[str, str]] = {
    "DO": ("mueller@wifo-dortmund.de", "Anna Müller"),
    "BO": ("schneider@wifoe-bochum.de", "Jan Schneider"),
    "HA": ("becker@hagen-wirtschaft.de", "Petra Becker"),
    "HAM": ("kowalski@impuls-hamm.de", "Marek Kowalski"),
    "UN": ("yilmaz@wfg-kreis-unna.de", "Aylin Yılmaz"),
}

# Partners that write their full name instead of the code into the Meta sheet (allowed).
WRITES_FULL_NAME = frozenset({"UN"})

SURNAMES = (
    "Müller",
    "Schulte",
    "Schmitz",
    "Hoffmann",
    "Brinkmann",
    "Westermann",
    "Droste",
    "Hülsmann",
    "Böckelmann",
    "Kemper",
    "Overbeck",
    "Hagedorn",
    "Schürmann",
    "Wiesmann",
    "Tenhagen",
    "Kortmann",
    "Vosskamp",
    "Lohmann",
    "Holtkamp",
    "Sander",
    "Rüther",
    "Budde",
    "Kleine",
    "Niehaus",
    "Wessel",
    "Hegemann",
    "Sommer",
    "Ahlers",
    "Beckmann",
    "Rademacher",
    "Stratmann",
    "Kuhlmann",
    "Nölle",
    "Pieper",
    "Tigges",
    "Vogt",
    "Winkelmann",
    "Zurhorst",
    "Everding",
    "Feldhaus",
    "Heitkamp",
    "Imhoff",
    "Jostes",
    "Lütkemeier",
    "Osthoff",
    "Potthoff",
    "Quante",
    "Schwermann",
    "Timmermann",
    "Uhlenbrock",
    "Wortmann",
    "Yilmaz",
    "Kowalski",
    "Nowak",
    "Demir",
    "Grothues",
    "Hengstenberg",
    "Bracht",
    "Ostermann",
    "Spiekermann",
)

TRADES = (
    "Metallbau",
    "Maschinenbau",
    "Elektrotechnik",
    "Kunststofftechnik",
    "Oberflächentechnik",
    "Stahlbau",
    "Präzisionsteile",
    "Drahtwerk",
    "Logistik",
    "Holzbau",
    "Anlagenbau",
    "Automatisierung",
    "Umwelttechnik",
    "Recycling",
    "Solartechnik",
    "Haustechnik",
    "Lackiertechnik",
    "Gießerei",
    "Verpackungen",
    "Fördertechnik",
    "Werkzeugbau",
    "Feinmechanik",
    "Kältetechnik",
    "Energietechnik",
    "Baustoffe",
    "Dämmtechnik",
    "Industrieservice",
    "Sensorik",
    "Antriebstechnik",
    "Schweißtechnik",
    "Galvanik",
    "Federnfabrik",
    "Schraubenwerk",
    "Kunststoffverarbeitung",
    "Wasserstofftechnik",
)

SHOP_TRADES = (
    "Elektro",
    "Tischlerei",
    "Schlosserei",
    "Malerbetrieb",
    "Dachdeckerei",
    "Sanitär",
    "Bäckerei",
    "Druckerei",
    "Ingenieurbüro",
    "Kfz-Technik",
)

PREFIXES = (
    "Westfalia",
    "Ruhrtal",
    "Hellweg",
    "Lenne",
    "Volme",
    "Emscher",
    "Lippe",
    "Ardey",
    "Haarstrang",
    "Syburg",
    "Kaiserberg",
    "Phönix",
    "Seseke",
    "Ennepe",
    "Märkische",
)

# legal form -> (weight, size-class weights Kleinst/Klein/Mittel/Groß)
LEGAL_FORMS: dict[str, tuple[int, tuple[int, int, int, int]]] = {
    "GmbH": (50, (25, 42, 27, 6)),
    "GmbH & Co. KG": (20, (8, 40, 42, 10)),
    "KG": (8, (20, 45, 33, 2)),
    "e.K.": (12, (75, 25, 0, 0)),
    "AG": (10, (0, 10, 50, 40)),
}

SIZE_CLASSES = ("Kleinst", "Klein", "Mittel", "Groß")
SIZE_ALIASES = {
    "Kleinst": "Kleinstunternehmen",
    "Klein": "kleines Unternehmen",
    "Mittel": "mittleres Unternehmen",
    "Groß": "Gross",
}


@dataclass(frozen=True)
class Company:
    name: str
    plz: str
    city: str
    size: str


def _name(rng: random.Random, form: str, city: str) -> str:
    surname, trade = rng.choice(SURNAMES), rng.choice(TRADES)
    if form == "e.K.":
        return f"{rng.choice(SHOP_TRADES)} {surname} e.K."
    pattern = rng.randrange(5)
    if pattern == 0:
        return f"{surname} & {rng.choice(SURNAMES)} {form}"
    if pattern == 1:
        return f"{CITIES[city][0]} {trade} {form}"
    if pattern == 2:
        return f"{rng.choice(PREFIXES)} {trade} {form}"
    if pattern == 3 and form == "GmbH":
        return f"{surname} GmbH"
    return f"{surname} {trade} {form}"


def _company(rng: random.Random) -> Company:
    cities = list(CITIES)
    city = rng.choices(cities, weights=[CITY_WEIGHTS.get(c, 1) for c in cities])[0]
    forms = list(LEGAL_FORMS)
    form = rng.choices(forms, weights=[LEGAL_FORMS[f][0] for f in forms])[0]
    size = rng.choices(SIZE_CLASSES, weights=LEGAL_FORMS[form][1])[0]
    return Company(_name(rng, form, city), rng.choice(CITIES[city][1]), city, size)


@lru_cache(maxsize=1)
def company_pool() -> tuple[Company, ...]:
    """The ~400 companies of the demo region (fixed, independent of the demo seed)."""
    rng = random.Random(POOL_SEED)
    pool: dict[str, Company] = {}
    while len(pool) < POOL_SIZE:
        company = _company(rng)
        pool.setdefault(company.name.casefold(), company)
    return tuple(pool.values())


def spelling_variant(name: str, rng: random.Random) -> str:
    """The same company written differently: case, spacing, legal-form spelling."""
    variants = [
        name.upper().replace("GMBH", "G.M.B.H."),
        name.replace("GmbH", "G.m.b.H."),
        name.replace(" ", "  ", 1),
        f" {name} ",
        name.replace("GmbH", "Gmbh"),
        name.replace("& Co. KG", "& Co KG").replace("e.K.", "e. K."),
        name.replace(" & ", " und "),
        name.lower(),
    ]
    different = [v for v in variants if v != name]
    return rng.choice(different) if different else name


