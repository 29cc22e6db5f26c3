"""Sheet ``Teilnehmende``: one row per participating company per activity."""

from __future__ import annotations

from etl.contract.context import Context, bound
from etl.contract.engine import Col, ParsedSheet, SheetSpec
from etl.errors import Issue
from etl.normalise import company_key, parse_int, parse_plz, parse_size_class

SHEET = "Teilnehmende"


def spec(_ctx: Context) -> SheetSpec:
    return SheetSpec(
        SHEET,
        (
            Col("Aktivität", aliases=("Aktivitaet", "Aktivitäts-ID", "Aktivität ID")),
            Col("Unternehmen"),
            Col("PLZ", parse_plz),
            Col("Größenklasse", parse_size_class, aliases=("Groessenklasse", "Grössenklasse")),
            Col("Personen", parse_int),
        ),
    )


def check(sheet: ParsedSheet, _ctx: Context) -> list[Issue]:
    """Row rules: at least one person; one row per company and activity."""
    issues: list[Issue] = []
    seen: dict[tuple, int] = {}
    for row in sheet.rows:
        n = row["Personen"]
        issues += bound(
            SHEET,
            row,
            "Personen",
            n is None or n >= 1,
            "Je Unternehmen muss mindestens 1 Person teilgenommen haben.",
        )
        if None in (row["Aktivität"], row["Unternehmen"], row["PLZ"]):
            continue
        key = (row["Aktivität"].casefold(), company_key(row["Unternehmen"]), row["PLZ"])
        if key in seen:
            issues.append(
                Issue(
                    SHEET,
                    row["_row"],
                    "Unternehmen",
                    f"Das Unternehmen steht für diese Aktivität schon in Zeile {seen[key]}. "
                    "Bitte je Unternehmen und Aktivität nur eine Zeile (Personen zusammenzählen).",
                )
            )
        else:
            seen[key] = row["_row"]
    return issues
