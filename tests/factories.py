"""Small monthly workbooks for tests, built through etl.documents.workbook (the one writer).

``sheets()`` is a valid report for DO, March 2025, whose money is hand-computed in
``EXPECTED``; tests copy it, break one thing, and check the located error.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

from etl.documents.workbook import report_bytes

BASE_SHEETS = {
    "Veranstaltungen": [
        {
            "ID": "DO-V-01",
            "Datum": date(2025, 3, 4),
            "Titel": "Energieeffizienz im Mittelstand",
            "Modul": "Informieren",
            "Format": "Präsenz",
            "Teilnehmende": 30,
            "davon Frauen": 12,
        },
        {
            "ID": "DO-V-02",
            "Datum": "18.03.2025",
            "Titel": "Netzwerktreffen Kreislaufwirtschaft",
            "Modul": "vernetzen",
            "Format": "Praesenz",
            "Teilnehmende": "12",
            "davon Frauen": None,
        },
    ],
    "Coachings": [
        {
            "ID": "DO-C-01",
            "Datum": "2025-03-10",
            "Unternehmen": "Müller Metallbau GmbH",
            "Modul": "Coachen",
            "Stunden": "12,5",
            "Thema": "CO2-Bilanz",
        },
    ],
    "Teilnehmende": [
        {
            "Aktivität": "DO-V-01",
            "Unternehmen": "Müller Metallbau GmbH",
            "PLZ": 44135,
            "Größenklasse": "Klein",
            "Personen": 2,
        },
        {
            "Aktivität": "DO-V-01",
            "Unternehmen": "Schulte Logistik AG",
            "PLZ": "44787",
            "Größenklasse": "mittleres Unternehmen",
            "Personen": 3,
        },
        {
            "Aktivität": "DO-C-01",
            "Unternehmen": "MÜLLER METALLBAU G.m.b.H.",
            "PLZ": "44135",
            "Größenklasse": "Kleinunternehmen",
            "Personen": 1,
        },
    ],
    "Personal": [
        {
            "Kürzel": "DO-01",
            "Leistungsgruppe": 2,
            "Abrechnung": "Monat",
            "Umfang": 1,
            "Modul": None,
        },
        {
            "Kürzel": "DO-02",
            "Leistungsgruppe": 3,
            "Abrechnung": "Stunden",
            "Umfang": 40,
            "Modul": "Coachen",
        },
    ],
    "Ausgaben": [
        {
            "Belegnummer": "DO-2025-0001",
            "Datum": date(2025, 3, 12),
            "Kostenart": "Sachkosten",
            "Betrag": "1.234,56 €",
            "Modul": "Informieren",
            "Beschreibung": "Raummiete",
        },
        {
            "Belegnummer": "DO-2025-0002",
            "Datum": "31.03.2025",
            "Kostenart": "Reisekosten",
            "Betrag": 89.9,
            "Modul": None,
            "Beschreibung": "Bahnfahrt",
        },
    ],
}

# Hand-computed with the example rate table (LG2 5.530,00 €/Monat, LG3 4.390,00 €/Monat):
# DO-01: 5.530,00 x 1 = 5.530,00; DO-02: 4.390 x 12 x 40 / 1.720 = 1.225,1162... -> 1.225,12
EXPECTED = {
    "personnel": Decimal("6755.12"),
    "overheads": Decimal("1013.27"),  # 15 % of 6.755,12 = 1.013,268
    "material": Decimal("1324.46"),  # 1.234,56 + 89,90
    "eligible": Decimal("9092.85"),
    "grant": Decimal("7274.28"),  # 80 % (DO)
    "eu": Decimal("3637.14"),  # 40 % of eligible
    "state": Decimal("3637.14"),
    "own": Decimal("1818.57"),
}


def sheets() -> dict[str, list[dict]]:
    """A deep copy of the valid base report's data sheets."""
    return copy.deepcopy(BASE_SHEETS)


def workbook(
    partner: object = "DO", month: object = "2025-03", *, data: dict | None = None, **kwargs
) -> bytes:
    """xlsx bytes of a report; ``data`` defaults to the valid base report."""
    return report_bytes(
        partner=partner, month=month, sheets=sheets() if data is None else data, **kwargs
    )


def month_report(partner: str, month: str, n: int = 1) -> dict[str, list[dict]]:
    """A small valid report for any partner-month with IDs unique to that month."""
    y, m = (int(x) for x in month.split("-"))
    day = date(y, m, 5)
    tag = f"{partner}-{y}{m:02d}"
    return {
        "Veranstaltungen": [
            {
                "ID": f"{tag}-V{i}",
                "Datum": day,
                "Titel": f"Veranstaltung {i}",
                "Modul": "Informieren",
                "Format": "Online",
                "Teilnehmende": 10 + i,
                "davon Frauen": 4,
            }
            for i in range(1, n + 1)
        ],
        "Coachings": [],
        "Teilnehmende": [
            {
                "Aktivität": f"{tag}-V1",
                "Unternehmen": f"Firma {partner} {i} GmbH",
                "PLZ": "44135",
                "Größenklasse": "Kleinst",
                "Personen": 1,
            }
            for i in range(1, 3)
        ],
        "Personal": [
            {"Kürzel": f"{partner}-01", "Leistungsgruppe": 2, "Abrechnung": "Monat", "Umfang": 1},
        ],
        "Ausgaben": [
            {"Belegnummer": f"{tag}-B1", "Datum": day, "Kostenart": "Sachkosten", "Betrag": 100},
        ],
    }
