"""The columns of contract version 2 in the demo: payment date, payee and purpose of most
receipts, and the register number or USt-IdNr. of some companies.

Drawn from random generators of their own (seeded by partner and month), never from the
demo's main one, so the rest of the demo (and every figure of the first network) is the same
with and without these columns. A company's identifier belongs to exactly one pool company
(one name and postal code), so it names the same company that name + PLZ names: the unique
companies reached stay as they are.
"""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta
from functools import lru_cache

from etl.core.identifiers import parse_company_id, vat_check_digit
from etl.core.normalise import company_key
from etl.ops.demo_data import Company, company_pool

IDENTIFIED_SHARE = 0.35  # companies of the pool with a known identifier
WRITTEN_SHARE = 0.75  # rows of such a company that carry it
PAID_SHARE = 0.9  # receipts paid within the reporting month (the rest: still open)
V1_PARTNER, V1_UNTIL = "HAM", date(2024, 12, 1)  # kept the version 1 template for 2024

# The register court of each demo city (Amtsgericht).
COURTS = {
    "Dortmund": "Dortmund",
    "Lünen": "Dortmund",
    "Selm": "Dortmund",
    "Bochum": "Bochum",
    "Witten": "Bochum",
    "Hagen": "Hagen",
    "Herdecke": "Hagen",
    "Wetter": "Hagen",
    "Schwerte": "Hagen",
}
DEFAULT_COURT = "Hamm"

# Who is paid for what (by the start of the receipt's description).
PAYEES: dict[str, tuple[str, ...]] = {
    "Raummiete": (
        "Westfalenhallen Dortmund GmbH",
        "Kulturzentrum Lindenbrauerei",
        "RuhrCongress Bochum",
    ),
    "Catering": ("Catering Brinkhoff & Söhne", "Partyservice Kortmann", "Café Volmeblick"),
    "Druck": ("Druckerei Lensing", "Flyerwerk Hagen", "Onlineprinters GmbH"),
    "Software": ("Zoom Video Communications", "Webex Cisco Systems GmbH"),
    "Büromaterial": ("Büro Schröder GmbH", "Papier Fuchs"),
    "Technikmiete": ("Veranstaltungstechnik Ruhr", "Licht & Ton Hellweg"),
    "Anzeige": ("Ruhr Nachrichten", "Westfälischer Anzeiger", "WAZ Mediengruppe"),
    "Honorar": ("Dr. Sabine Overbeck", "Michael Tenhagen", "Dr. Aylin Demir"),
    "Moderation": ("Moderation Wessel", "Kommunikationsbüro Imhoff"),
    "Externe": ("Energieberatung Lippe GmbH", "Effizienzagentur Ruhr"),
    "Grafikdesign": ("Studio Feldhaus", "Agentur Ardey Design"),
    "Übersetzung": ("Übersetzungsbüro Nowak",),
    "Evaluation": ("Institut für Regionalforschung e.V.",),
    "Bahnfahrt": ("DB Fernverkehr AG",),
    "Fahrtkosten": ("Reisekostenabrechnung Mitarbeitende",),
    "Hotel": ("Hotel Mercure Dortmund", "Novum Hotel Bochum"),
    "Dienstreise": ("Reisekostenabrechnung Mitarbeitende",),
}


def template_version(code: str, month: date) -> int:
    """The template version the partner's file of ``month`` uses."""
    return 1 if code == V1_PARTNER and month <= V1_UNTIL else 2


def _identifier(rng: random.Random, company: Company) -> str:
    """A register number with court (most firms) or a valid USt-IdNr., as a partner types it."""
    if company.name.endswith("e.K.") or rng.random() < 0.25:
        digits = f"{rng.randrange(10**7, 10**8)}"
        digits += str(vat_check_digit(digits))
        return (
            f"DE {digits[:3]} {digits[3:6]} {digits[6:]}" if rng.random() < 0.3 else f"DE{digits}"
        )
    kind = "HRA" if " KG" in company.name or company.name.endswith("KG") else "HRB"
    number, court = rng.randrange(1000, 40000), COURTS.get(company.city, DEFAULT_COURT)
    return rng.choice(
        (
            f"{kind} {number}, Amtsgericht {court}",
            f"Amtsgericht {court} {kind} {number}",
            f"{kind} {number} AG {court}",
        )
    )


@lru_cache(maxsize=1)
def identifiers() -> dict[tuple[str, str], str]:
    """(name key, PLZ) -> identifier of the pool companies that have one (fixed)."""
    rng = random.Random("demo-identifiers")
    out, taken = {}, set()
    for company in company_pool():
        if rng.random() < IDENTIFIED_SHARE:
            ident = _identifier(rng, company)
            while parse_company_id(ident) in taken:  # one identifier, one company
                ident = _identifier(rng, company)
            taken.add(parse_company_id(ident))
            out[(company_key(company.name), company.plz)] = ident
    return out


def _payee(description: str, code: str) -> str | None:
    """The payee of a receipt: fixed per partner and item (each partner has its caterer)."""
    text = description.removeprefix("Gutschrift ")
    for start, payees in PAYEES.items():
        if text.startswith(start):
            return payees[sum(map(ord, text + code)) % len(payees)]
    return None


def _paid(rng: random.Random, booked: date) -> date | None:
    last = booked.replace(day=calendar.monthrange(booked.year, booked.month)[1])
    if rng.random() >= PAID_SHARE:
        return None
    paid = booked + timedelta(days=rng.choice((0, 1, 2, 3, 5, 7, 10, 14)))
    return paid if paid <= last else (last if rng.random() < 0.5 else None)


def fill(code: str, month: date, sheets: dict[str, list[dict]]) -> None:
    """Add the version 2 columns to a demo report's rows (in place)."""
    rng = random.Random(f"demo-v2-{code}-{month:%Y-%m}")
    for row in sheets["Ausgaben"]:
        row["Zahlungsdatum"] = _paid(rng, row["Datum"])
        row["Zahlungsempfänger"] = _payee(row["Beschreibung"] or "", code)
        invoice = f"RE-{month:%Y}-{rng.randrange(100, 9999):04d}"
        what = (row["Beschreibung"] or "").removeprefix("Gutschrift ")
        kind = "Gutschrift zu Rechnung" if row["Betrag"] < 0 else "Rechnung"
        row["Verwendungszweck"] = f"{what}, {kind} {invoice}"
    known = identifiers()
    for row in sheets["Teilnehmende"]:
        plz = str(row["PLZ"]).zfill(5)
        ident = known.get((company_key(row["Unternehmen"]), plz))
        if ident and rng.random() < WRITTEN_SHARE:
            row["Unternehmenskennung"] = ident
