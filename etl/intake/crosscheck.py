"""Cross-month rules: a report checked against what the partner's other months already hold.

:func:`load_history` reads the snapshot inside the load transaction (after the partner
lock), :func:`check_against_history` is pure and testable without a database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from etl.core.errors import Issue
from etl.core.normalise import de_number
from etl.intake.contract import Report, coachings, events, expenditure, participants, personnel
from etl.intake.crosscheck_sheets import sheet_issues
from etl.warehouse.store import facts as stored

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class Activity:
    id: str  # as first reported
    month: date
    kind: str  # "event" | "coaching"
    module: str
    n_participants: int | None  # events only


@dataclass
class History:
    """The partner's current figures from every month except the one being loaded."""

    activities: dict[str, Activity] = field(default_factory=dict)  # casefolded id -> activity
    receipts: dict[str, date] = field(default_factory=dict)  # casefolded receipt -> month
    persons: dict[str, int] = field(default_factory=dict)  # activity id -> sum Personen
    # activity id -> (id as cited, a month whose participants cite it)
    referenced: dict[str, tuple[str, date]] = field(default_factory=dict)
    hours: dict[tuple[str, int], Decimal] = field(default_factory=dict)  # (staff, year) -> hours
    # rows of configured sheets: (sheet key, record id, month, date, values JSON)
    sheet_rows: list[tuple] = field(default_factory=list)


def load_history(
    conn: Connection, partner: str, month: date, with_sheets: bool = True
) -> History:
    """Snapshot of the partner's current rows of all other months."""
    h = History()
    for event_id, month_, module, n in stored.other_events(conn, partner=partner, month=month):
        h.activities[event_id.casefold()] = Activity(event_id, month_, "event", module, n)
    for coaching_id, month_, module in stored.other_coachings(conn, partner=partner, month=month):
        h.activities[coaching_id.casefold()] = Activity(
            coaching_id, month_, "coaching", module, None
        )
    for receipt_no, month_ in stored.other_receipts(conn, partner=partner, month=month):
        h.receipts[receipt_no.casefold()] = month_
    for act, shown, persons, cited in stored.other_citations(conn, partner=partner, month=month):
        h.persons[act] = int(persons)
        h.referenced[act] = (shown, cited)
    for row in stored.other_hours(conn, partner=partner, month=month):
        # calendar year, also with project years: the cap is an employment-year figure
        key = (row.staff_code.casefold(), row.month.year)
        h.hours[key] = h.hours.get(key, Decimal(0)) + Decimal(row.quantity)
    if with_sheets:  # a network without configured sheets skips the query
        rows = stored.other_sheet_rows(conn, partner=partner, month=month)
        h.sheet_rows = [tuple(r) for r in rows]
    return h


def _ids_issues(report: Report, h: History) -> list[Issue]:
    issues = []
    for module in (events, coachings):
        for row in report.rows(module.SHEET):
            earlier = h.activities.get((row["ID"] or "").casefold())
            if earlier:
                issues.append(
                    Issue(
                        module.SHEET,
                        row["_row"],
                        "ID",
                        f"Die ID '{row['ID']}' wurde schon im Bericht {earlier.month:%m/%Y} "
                        "gemeldet (Doppelzählung). Bitte eine neue ID vergeben.",
                    )
                )
    for row in report.rows(expenditure.SHEET):
        earlier = h.receipts.get((row["Belegnummer"] or "").casefold())
        if earlier:
            issues.append(
                Issue(
                    expenditure.SHEET,
                    row["_row"],
                    "Belegnummer",
                    f"Die Belegnummer '{row['Belegnummer']}' wurde schon im Bericht "
                    f"{earlier:%m/%Y} abgerechnet. Jeder Beleg darf nur einmal gemeldet werden.",
                )
            )
    return issues


def _own_activities(report: Report) -> dict[str, tuple[str, int | None, dict]]:
    """Activity ids of this workbook -> (kind, Teilnehmende for events, source row)."""
    own: dict[str, tuple[str, int | None, dict]] = {}
    for row in report.rows(events.SHEET):
        if row["ID"]:
            own[row["ID"].casefold()] = ("event", row["Teilnehmende"], row)
    for row in report.rows(coachings.SHEET):
        if row["ID"]:
            own.setdefault(row["ID"].casefold(), ("coaching", None, row))
    return own


def _cited_persons(report: Report, h: History, own: dict) -> tuple[list[Issue], dict, dict]:
    """Participant rows must cite an activity of this or an earlier month.

    Returns the errors, persons per cited activity, and the last row citing each.
    """
    issues, persons, last_row = [], defaultdict(int), {}
    for row in report.rows(participants.SHEET):
        act = row["Aktivität"]
        if act is None:
            continue
        key = act.casefold()
        earlier = h.activities.get(key)
        if key not in own and (earlier is None or earlier.month > (report.month or earlier.month)):
            issues.append(
                Issue(
                    participants.SHEET,
                    row["_row"],
                    "Aktivität",
                    f"Die Aktivität '{act}' steht weder in diesem Bericht noch in einem "
                    "früheren Monat. Bitte die ID der Veranstaltung oder des Coachings "
                    "prüfen.",
                )
            )
            continue
        persons[key] += row["Personen"] or 0
        last_row[key] = row
    return issues, persons, last_row


def _reference_issues(report: Report, h: History) -> list[Issue]:
    """Cited activities exist; an event's persons over all months stay within its attendance."""
    own = _own_activities(report)
    issues, persons, last_row = _cited_persons(report, h, own)
    touched = {k for k, v in own.items() if v[0] == "event"} | set(persons)
    for key in sorted(touched):
        kind, capacity, event_row = own.get(key) or (
            h.activities[key].kind,
            h.activities[key].n_participants,
            None,
        )
        total = persons.get(key, 0) + h.persons.get(key, 0)
        if kind != "event" or capacity is None or total <= capacity:
            continue
        name = (event_row or last_row[key])["ID" if event_row else "Aktivität"]
        message = (
            f"Zur Veranstaltung '{name}' sind über alle Monate {total} Personen gemeldet, "
            f"sie hatte aber nur {capacity} Teilnehmende."
        )
        if key in last_row:
            issues.append(Issue(participants.SHEET, last_row[key]["_row"], "Personen", message))
        else:
            issues.append(Issue(events.SHEET, event_row["_row"], "Teilnehmende", message))
    return issues


def _dropped_issues(report: Report, h: History) -> list[Issue]:
    """A replacement may not drop an activity that other months' participants still cite."""
    own = _own_activities(report)
    issues = []
    for key, (shown, cited) in sorted(h.referenced.items()):
        if key not in own and key not in h.activities:
            issues.append(
                Issue(
                    participants.SHEET,
                    None,
                    "Aktivität",
                    f"Die Aktivität '{shown}' wird im Bericht {cited:%m/%Y} bei den "
                    "Teilnehmenden genannt, fehlt aber in diesem Bericht. Bitte die "
                    "Veranstaltung bzw. das Coaching wieder aufnehmen.",
                )
            )
    return issues


def _hours_issues(report: Report, h: History, cap: int) -> list[Issue]:
    issues = []
    year = report.month.year if report.month else None
    for row in report.rows(personnel.SHEET):
        if (
            row["Abrechnung"] != "Stunden"
            or row["Umfang"] is None
            or not row["Kürzel"]
            or year is None
        ):
            continue
        before = h.hours.get((row["Kürzel"].casefold(), year), Decimal(0))
        if before + row["Umfang"] > cap:
            issues.append(
                Issue(
                    personnel.SHEET,
                    row["_row"],
                    "Umfang",
                    f"Mit diesen {de_number(row['Umfang'])} Stunden kommt '{row['Kürzel']}' "
                    f"im Jahr "
                    f"{year} auf {de_number(before + row['Umfang'])} Stunden; höchstens "
                    f"{de_number(cap)} sind "
                    "zulässig.",
                )
            )
    return issues


def check_against_history(report: Report, h: History, *, hours_cap: int) -> list[Issue]:
    """Every cross-month error of ``report`` given the partner's other months."""
    return (
        _ids_issues(report, h)
        + _reference_issues(report, h)
        + _dropped_issues(report, h)
        + _hours_issues(report, h, hours_cap)
        + sheet_issues(report, h.sheet_rows)
    )
