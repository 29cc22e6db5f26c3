"""Monthly reports for the multi-process tests: small, valid, with companies shared by all
partners (so that concurrent transactions insert the same company)."""

from __future__ import annotations

from datetime import date

from etl.documents.workbook import report_bytes


def report(partner: str, month: date, version: int = 0) -> dict[str, list[dict]]:
    """A month with shared companies (every partner reports the same firms)."""
    tag = f"{partner}-{month:%Y%m}"
    day = month.replace(day=7)
    return {
        "Veranstaltungen": [
            {
                "ID": f"{tag}-V{i}",
                "Datum": day,
                "Titel": f"Veranstaltung {i}",
                "Modul": ("Informieren", "Vernetzen", "Transfer")[i % 3],
                "Format": "Online",
                "Teilnehmende": 20 + i + month.month,
            }
            for i in range(1, 3)
        ],
        "Coachings": [
            {
                "ID": f"{tag}-C1",
                "Datum": day,
                "Unternehmen": f"Gemeinsam {month:%m} GmbH",
                "Modul": "Coachen",
                "Stunden": 4 + month.month,
            }
        ],
        "Teilnehmende": [
            {
                "Aktivität": activity,
                "Unternehmen": f"Gemeinsam {month:%m} GmbH" if i == 0 else f"Firma {tag} {i}",
                "PLZ": "44135",
                "Größenklasse": "Klein",
                "Personen": 2,
            }
            for i, activity in enumerate((f"{tag}-V1", f"{tag}-V2", f"{tag}-C1"))
        ],
        "Personal": [
            {"Kürzel": f"{partner}-01", "Leistungsgruppe": 2, "Abrechnung": "Monat", "Umfang": 1},
        ],
        "Ausgaben": [
            {
                "Belegnummer": f"{tag}-B1",
                "Datum": day,
                "Kostenart": "Sachkosten",
                "Betrag": 100 + 37 * version + month.month,
            }
        ],
    }


def report_file(partner: str, month: date, version: int = 0) -> bytes:
    return report_bytes(
        partner=partner, month=f"{month:%Y-%m}", sheets=report(partner, month, version)
    )
