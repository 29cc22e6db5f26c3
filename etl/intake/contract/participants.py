"""Sheet ``Teilnehmende``: one row per participating company per activity.

Version 2 adds the optional ``Unternehmenskennung`` (register number with court, or
USt-IdNr.): when given, it decides which company a row is (see :func:`company_identity`)."""

from __future__ import annotations

from etl.core.errors import Issue
from etl.core.identifiers import parse_company_id
from etl.core.normalise import company_key, de_number, parse_int, parse_plz, parse_size_class
from etl.intake.contract.context import Context, bound
from etl.intake.contract.engine import Col, ParsedSheet, SheetSpec
from etl.intake.contract.limits import (
    MAX_COMPANY_PERSONS,
    MAX_REPORT_PERSONS,
    running_total,
    within,
)
from etl.warehouse import schema as s

SHEET = "Teilnehmende"
NAME_KEY_LENGTH = s.companies.c.name_key.type.length  # the matching key of a company name


# Columns by the template version that introduced them.
SINCE = {
    2: (
        Col("Unternehmenskennung", parse_company_id, required=False, header_required=False,
            aliases=("Kennung", "Registernummer", "Handelsregisternummer", "HR-Nummer",
                     "USt-IdNr.", "USt-IdNr", "Umsatzsteuer-ID")),
    )
}


def company_identity(row: dict) -> tuple:
    """What makes a row's company one company: its identifier when given, else name x PLZ."""
    ident = row.get("Unternehmenskennung")
    return ("id", ident) if ident else ("name", company_key(row["Unternehmen"]), row["PLZ"])


def spec(ctx: Context) -> SheetSpec:
    newer = tuple(c for v, cols in SINCE.items() if v <= ctx.version for c in cols)
    return SheetSpec(
        SHEET,
        (
            Col(
                "Aktivität",
                aliases=("Aktivitaet", "Aktivitäts-ID", "Aktivität ID"),
                stored_as=s.participations.c.activity_id,
            ),
            Col("Unternehmen", stored_as=s.participations.c.company_name),
            Col("PLZ", parse_plz),
            Col("Größenklasse", parse_size_class, aliases=("Groessenklasse", "Grössenklasse")),
            Col("Personen", parse_int),
            *newer,
        ),
    )


def _key_too_long(row: dict) -> list[Issue]:
    """The company's matching key spells umlauts and ß with two letters, so it may be longer
    than the name itself; it must still fit the warehouse."""
    name = row["Unternehmen"]
    length = len(company_key(name)) if name is not None else 0
    if length <= NAME_KEY_LENGTH:
        return []
    message = (
        f"Der Unternehmensname ist zu lang für den Abgleich: höchstens {NAME_KEY_LENGTH} "
        f"Zeichen, wobei ä, ö, ü und ß doppelt zählen (hier {length}). Bitte kürzen."
    )
    return [Issue(SHEET, row["_row"], "Unternehmen", message)]


def check(sheet: ParsedSheet, _ctx: Context) -> list[Issue]:
    """Row rules: at least one person; one row per company and activity; key length."""
    issues: list[Issue] = []
    seen: dict[tuple, int] = {}
    for row in sheet.rows:
        n = row["Personen"]
        if not within(n, 1, MAX_COMPANY_PERSONS):
            issues += bound(
                SHEET,
                row,
                "Personen",
                False,
                "Je Unternehmen muss mindestens 1 Person und darf höchstens "
                f"{de_number(MAX_COMPANY_PERSONS)} Personen je Aktivität melden "
                f"(eingetragen: {de_number(n)}).",
            )
        issues += _key_too_long(row)
        if None in (row["Aktivität"], row["Unternehmen"], row["PLZ"]):
            continue
        key = (row["Aktivität"].casefold(), company_identity(row))
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
    return issues + _report_total(sheet)


def _report_total(sheet: ParsedSheet) -> list[Issue]:
    """The persons of one report add up to at most MAX_REPORT_PERSONS (so yearly sums per
    company fit the warehouse's counts)."""
    return running_total(
        SHEET,
        sheet.rows,
        "Personen",
        lambda r: r["Personen"] if within(r["Personen"], 1, MAX_COMPANY_PERSONS) else None,
        MAX_REPORT_PERSONS,
        f"Die Personen dieses Berichts ergeben bis zu dieser Zeile mehr als "
        f"{de_number(MAX_REPORT_PERSONS)} (Höchstwert je Bericht). Bitte die Zahlen prüfen.",
    )
