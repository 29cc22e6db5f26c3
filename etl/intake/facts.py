"""Turn a validated report into warehouse rows (pure: no database access).

``fact_rows`` gives the rows for the five fact tables (and ``sheet_rows`` for the configured
activity sheets); ``monthly_measures`` the pre-aggregate at grain partner x month x module x
measure (the configured sheets' measures included).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from etl.core.activity_sheets import ActivitySheet
from etl.core.config import NetworkConfig
from etl.core.money import personnel_cents
from etl.core.normalise import company_key
from etl.core.sheet_values import encode
from etl.intake.contract import Report, coachings, events, expenditure, participants, personnel
from etl.intake.crosscheck import History


def _base(row: dict, report: Report, upload_id: int) -> dict:
    return {
        "upload_id": upload_id,
        "source_row": row["_row"],
        "partner_code": report.partner,
        "month": report.month,
    }


def event_rows(report: Report, upload_id: int) -> list[dict]:
    """One row per event of the report."""
    return [
        {
            **_base(r, report, upload_id),
            "event_id": r["ID"],
            "event_date": r["Datum"],
            "title": r["Titel"],
            "module": r["Modul"],
            "format": r["Format"],
            "n_participants": r["Teilnehmende"],
            "n_women": r["davon Frauen"],
        }
        for r in report.rows(events.SHEET)
    ]


def coaching_rows(report: Report, upload_id: int) -> list[dict]:
    """One row per coaching of the report."""
    return [
        {
            **_base(r, report, upload_id),
            "coaching_id": r["ID"],
            "coaching_date": r["Datum"],
            "company_name": r["Unternehmen"],
            "module": r["Modul"],
            "hours": r["Stunden"],
            "topic": r["Thema"],
        }
        for r in report.rows(coachings.SHEET)
    ]


def participation_rows(
    report: Report, upload_id: int, company_ids: dict, history: History
) -> list[dict]:
    """One row per company per activity; ``company_ids`` maps (name key, PLZ, identifier or
    '') to company id (see :func:`companies_of`).

    The activity id is stored as the activity itself spells it, so joins are exact.
    """
    ids = {key: a.id for key, a in history.activities.items()}
    for sheet in (events.SHEET, coachings.SHEET):
        ids.update({r["ID"].casefold(): r["ID"] for r in report.rows(sheet)})
    return [
        {
            **_base(r, report, upload_id),
            "activity_id": ids[r["Aktivität"].casefold()],
            "company_id": company_ids[company_of(r)],
            "company_name": r["Unternehmen"],
            "plz": r["PLZ"],
            "size_class": r["Größenklasse"],
            "n_persons": r["Personen"],
            "company_identifier": r.get("Unternehmenskennung"),
        }
        for r in report.rows(participants.SHEET)
    ]


def personnel_rows(report: Report, upload_id: int, config: NetworkConfig) -> list[dict]:
    """One row per staff member, with the unit-cost amount in cents."""
    table, hours = config.rate_table(), config.rules.hours_per_year
    return [
        {
            **_base(r, report, upload_id),
            "staff_code": r["Kürzel"],
            "pay_group": r["Leistungsgruppe"],
            "billing": r["Abrechnung"],
            "quantity": r["Umfang"],
            "module": r["Modul"],
            "amount_cents": personnel_cents(
                r["Abrechnung"], r["Umfang"], r["Leistungsgruppe"], table, hours
            ),
        }
        for r in report.rows(personnel.SHEET)
    ]


def expenditure_rows(report: Report, upload_id: int) -> list[dict]:
    """One row per receipt, amount in cents."""
    return [
        {
            **_base(r, report, upload_id),
            "receipt_no": r["Belegnummer"],
            "booking_date": r["Datum"],
            "cost_category": r["Kostenart"],
            "amount_cents": r["Betrag"],
            "module": r["Modul"],
            "description": r["Beschreibung"],
            "payment_date": r.get("Zahlungsdatum"),
            "payee": r.get("Zahlungsempfänger"),
            "purpose": r.get("Verwendungszweck"),
        }
        for r in report.rows(expenditure.SHEET)
    ]


def _sheet_company(sheet: ActivitySheet, row: dict) -> tuple[str, str] | None:
    """(name key, PLZ) of a configured row's company, None without company or PLZ column."""
    company, plz = sheet.of_type("company"), sheet.of_type("plz")
    if company is None or plz is None or not row.get(company.name) or not row.get(plz.name):
        return None
    return company_key(row[company.name]), row[plz.name]


def sheet_companies(report: Report) -> list[tuple[str, str]]:
    """(name key, PLZ) of every company the report's configured sheets name."""
    keys = {_sheet_company(sh, r) for sh in report.configured for r in report.rows(sh.sheet)}
    return sorted(k for k in keys if k is not None)


def _module(sheet: ActivitySheet, row: dict) -> str | None:
    column = sheet.of_type("module")
    return None if column is None else row.get(column.name)


def sheet_rows(report: Report, upload_id: int, company_ids: dict) -> list[dict]:
    """One row per row of the configured sheets; ``company_ids``: (name key, PLZ) -> id of a
    known company (a company not known stays unmatched: None)."""
    return [
        {
            **_base(r, report, upload_id),
            "sheet_key": sheet.key,
            "record_id": r[sheet.id_column],
            "activity_date": r[sheet.date_column],
            "module": _module(sheet, r),
            "company_id": company_ids.get(_sheet_company(sheet, r)),
            "values_json": encode(sheet, r),
        }
        for sheet in report.configured
        for r in report.rows(sheet.sheet)
    ]


def sheet_measures(report: Report) -> dict[tuple[str, str], Decimal]:
    """(module or '', measure) -> value of the configured sheets' measures (money in cents)."""
    out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for sheet in report.configured:
        for r in report.rows(sheet.sheet):
            for m in sheet.measures:
                if m.matches(r):
                    out[(_module(sheet, r) or "", m.key)] += m.fact_value(r)
    return out


def company_of(row: dict) -> tuple[str, str, str]:
    """(name key, PLZ, identifier or '') of a Teilnehmende row."""
    return company_key(row["Unternehmen"]), row["PLZ"], row.get("Unternehmenskennung") or ""


def companies_of(report: Report) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(name key, PLZ, identifier or '') -> (display name, size class) of every company row
    of the report (last wins)."""
    return {
        company_of(r): (r["Unternehmen"], r["Größenklasse"])
        for r in report.rows(participants.SHEET)
    }


def _activity_modules(report: Report, history: History) -> dict[str, str]:
    modules = {key: a.module for key, a in history.activities.items()}
    for sheet in (events.SHEET, coachings.SHEET):
        modules.update({r["ID"].casefold(): r["Modul"] for r in report.rows(sheet)})
    return modules


def monthly_measures(report: Report, history: History, rows: dict[str, list[dict]]) -> dict:
    """(module, measure) -> value for the report's partner-month; module '' when none given."""
    out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in rows["events"]:
        out[(r["module"], "events")] += 1
        out[(r["module"], "participants")] += r["n_participants"]
        out[(r["module"], "women")] += r["n_women"] or 0
    for r in rows["coachings"]:
        out[(r["module"], "coachings")] += 1
        out[(r["module"], "coaching_hours")] += r["hours"]
    modules = _activity_modules(report, history)
    for r in rows["participations"]:
        module = modules.get(r["activity_id"].casefold(), "")
        out[(module, "participations")] += 1
        out[(module, "persons")] += r["n_persons"]
    for r in rows["personnel"]:
        module = r["module"] or ""
        out[(module, "personnel_cents")] += r["amount_cents"]
        unit = "personnel_months" if r["billing"] == "Monat" else "personnel_hours"
        out[(module, unit)] += r["quantity"]
    for r in rows["expenditure"]:
        module = r["module"] or ""
        out[(module, "expenditure_cents")] += r["amount_cents"]
        out[(module, f"{r['cost_category'].lower()}_cents")] += r["amount_cents"]
    for key, value in sheet_measures(report).items():
        out[key] += value
    return dict(out)
