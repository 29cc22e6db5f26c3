"""Cross-month rules of the configured activity sheets (``[[activity_sheets]]``): the
``unique`` key once per partner over all months, and ``follows`` (a row with ``column =
value`` needs a row of the same ID with ``column = after`` in this or an earlier month, not
dated after it; a replacement may not drop the row a later month's row follows).

Pure, like :func:`etl.intake.crosscheck.check_against_history`: the partner's other months
come as stored rows (``History.sheet_rows``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from etl.core.activity_sheets import ActivitySheet
from etl.core.errors import Issue
from etl.core.sheet_values import decode
from etl.intake.contract import Report
from etl.intake.contract.configured import unique_key


@dataclass(frozen=True)
class SheetRow:
    """A row of a configured sheet: its ID (folded), month, date and typed values."""

    fold: str
    month: date
    day: date
    values: dict


def stored_rows(sheet: ActivitySheet, rows: list[tuple]) -> list[SheetRow]:
    """The history's rows of ``sheet`` (stored tuples: sheet key, record id, month, date,
    values JSON)."""
    return [
        SheetRow(record.casefold(), month, day, decode(sheet, values))
        for key, record, month, day, values in rows
        if key == sheet.key
    ]


def _own_rows(sheet: ActivitySheet, report: Report) -> list[tuple[dict, SheetRow]]:
    out = []
    for row in report.rows(sheet.sheet):
        record, day = row.get(sheet.id_column), row.get(sheet.date_column)
        if record is not None and day is not None:
            out.append((row, SheetRow(record.casefold(), report.month, day, row)))
    return out


def _unique_issues(sheet: ActivitySheet, report: Report, other: list[SheetRow]) -> list[Issue]:
    months = {}
    for r in other:
        key = unique_key(sheet, r.values)
        if key is not None:
            months.setdefault(key, r.month)
    issues = []
    for row in report.rows(sheet.sheet):
        earlier = months.get(unique_key(sheet, row))
        if earlier is not None:
            issues.append(Issue(
                sheet.sheet, row["_row"], sheet.unique[0],
                f"Diese Kombination ({', '.join(sheet.unique)}) wurde schon im Bericht "
                f"{earlier:%m/%Y} gemeldet und darf nur einmal vorkommen.",
            ))
    return issues


def _has_predecessor(sheet: ActivitySheet, row: SheetRow, candidates: list[SheetRow]) -> bool:
    rule = sheet.follows
    return any(
        c.fold == row.fold and c.values.get(rule.column) == rule.after and c.day <= row.day
        for c in candidates
    )


def _follows_issues(sheet: ActivitySheet, report: Report, other: list[SheetRow]) -> list[Issue]:
    rule = sheet.follows
    own = _own_rows(sheet, report)
    candidates = [r for r in other if r.month < report.month] + [r for _row, r in own]
    issues = []
    for row, mine in own:
        if row.get(rule.column) == rule.value and not _has_predecessor(sheet, mine, candidates):
            issues.append(Issue(
                sheet.sheet, row["_row"], rule.column,
                f"Zu '{row[sheet.id_column]}' gibt es keine frühere Zeile mit {rule.column} "
                f"'{rule.after}' (in diesem oder einem früheren Bericht, nicht nach dem "
                f"{mine.day:%d.%m.%Y}). '{rule.value}' ist erst danach möglich.",
            ))
    return issues


def _dropped_issues(sheet: ActivitySheet, report: Report, other: list[SheetRow]) -> list[Issue]:
    """Rows of later months that followed a row of this month must still find one."""
    rule = sheet.follows
    later = [r for r in other if r.month > report.month and r.values.get(rule.column) == rule.value]
    if not later:
        return []
    own = [r for _row, r in _own_rows(sheet, report)]
    return [
        Issue(
            sheet.sheet, None, sheet.id_column,
            f"Zu '{r.values.get(sheet.id_column)}' steht im Bericht {r.month:%m/%Y} "
            f"'{rule.value}'; die Zeile mit '{rule.after}' fehlt aber in diesem Bericht. "
            "Bitte sie wieder aufnehmen.",
        )
        for r in later
        if not _has_predecessor(sheet, r, own + [o for o in other if o.month <= r.month])
    ]


def sheet_issues(report: Report, rows: list[tuple]) -> list[Issue]:
    """Every cross-month error of the report's configured sheets, given the partner's stored
    rows of other months (``rows``: sheet key, record id, month, date, values JSON)."""
    if report.month is None:
        return []
    issues: list[Issue] = []
    for sheet in report.configured:
        other = stored_rows(sheet, rows)
        if sheet.unique:
            issues += _unique_issues(sheet, report, other)
        if sheet.follows is not None:
            issues += _follows_issues(sheet, report, other)
            issues += _dropped_issues(sheet, report, other)
    return issues
