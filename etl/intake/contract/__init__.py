"""The data contract of the monthly report: every rule that one workbook can be checked against.

Cross-month rules (IDs across months, references to earlier activities, the yearly hours
cap) need the warehouse and live in :mod:`etl.intake.crosscheck`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from etl.core.activity_sheets import ActivitySheet
from etl.core.config import NetworkConfig
from etl.core.errors import Issue
from etl.core.normalise import header_key
from etl.intake.contract import (
    coachings,
    configured,
    events,
    expenditure,
    meta,
    participants,
    personnel,
)
from etl.intake.contract.context import Context
from etl.intake.contract.engine import ParsedSheet, parse_sheet
from etl.intake.reader import RawSheet, RawWorkbook

DATA_SHEETS = (events, coachings, participants, personnel, expenditure)
SHEET_ORDER = [meta.SHEET] + [m.SHEET for m in DATA_SHEETS]
# Sheets of the product's own template (etl/documents/template.py) that carry no data: the
# instructions and the hidden dropdown lists. Expected, so no notice on every upload.
INSTRUCTIONS_SHEET, LISTS_SHEET = "Anleitung", "Auswahllisten"
TEMPLATE_SHEETS = frozenset(header_key(n) for n in (INSTRUCTIONS_SHEET, LISTS_SHEET))
# (sheet, header key) -> the template version that introduced the column
VERSION_COLUMNS = {
    (m.SHEET, key): version
    for m in (participants, expenditure)
    for version, cols in m.SINCE.items()
    for col in cols
    for key in col.header_keys()
}


@dataclass
class Report:
    """A monthly report as parsed from one workbook: rows per sheet plus every issue found."""

    partner: str | None = None
    month: date | None = None
    contact: str | None = None
    version: int | None = None
    sheets: dict[str, ParsedSheet] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    notices: list[Issue] = field(default_factory=list)
    # the network's configured activity sheets (their rows are in ``sheets`` by sheet name)
    configured: tuple[ActivitySheet, ...] = ()

    def rows(self, sheet: str) -> list[dict]:
        parsed = self.sheets.get(sheet)
        return parsed.rows if parsed else []

    def sort_issues(self) -> None:
        order_of = SHEET_ORDER + [c.sheet for c in self.configured]

        def key(issue: Issue):
            order = order_of.index(issue.sheet) if issue.sheet in order_of else -1
            return (order, issue.row or 0, issue.column or "", issue.message)

        self.errors.sort(key=key)
        self.notices.sort(key=key)


def _sheets_present(raw: RawWorkbook, report: Report) -> dict[str, RawSheet]:
    """The contract's sheets found in the workbook (the configured ones too); errors for
    missing, notices for extra ones."""
    names = SHEET_ORDER + [c.sheet for c in report.configured]
    wanted = {header_key(name): name for name in names}
    found: dict[str, RawSheet] = {}
    for sheet in raw.sheets:
        name = wanted.get(header_key(sheet.name))
        if name is None and header_key(sheet.name) in TEMPLATE_SHEETS:
            continue
        if name is None:
            report.notices.append(
                Issue(sheet.name, None, None, "Zusätzliches Blatt wird ignoriert.")
            )
        elif name not in found:
            found[name] = sheet
    for name in names:
        if name not in found:
            report.errors.append(
                Issue(
                    name,
                    None,
                    None,
                    f"Das Blatt '{name}' fehlt. Bitte die Vorlage verwenden; ist in diesem Monat "
                    "nichts zu melden, das Blatt mit seinen Überschriften leer lassen.",
                )
            )
    return found


def _newer_column(issue: Issue, ctx: Context) -> Issue:
    """The notice for an extra column, saying so when the column belongs to a newer version."""
    since = VERSION_COLUMNS.get((issue.sheet, header_key(issue.column or "")))
    if since is None or since <= ctx.version:
        return issue
    message = (
        f"Die Spalte gehört zur Vorlagenversion {since} und wird bei Vorlagenversion "
        f"{ctx.version} ignoriert. Bitte die aktuelle Vorlage verwenden (oder im Blatt Meta "
        f"die Vorlagenversion {since} eintragen)."
    )
    return Issue(issue.sheet, issue.row, issue.column, message)


def _data_sheet(module, sheet: RawSheet, ctx: Context, report: Report) -> ParsedSheet:
    parsed = parse_sheet(module.spec(ctx), sheet)
    report.errors += parsed.errors
    report.notices += [_newer_column(n, ctx) for n in parsed.notices]
    report.sheets[module.SHEET] = parsed
    return parsed


def _configured_sheet(sheet: ActivitySheet, raw: RawSheet, ctx: Context, report: Report) -> None:
    parsed = parse_sheet(configured.spec(sheet, ctx), raw)
    report.errors += parsed.errors + configured.check(sheet, parsed, ctx)
    report.notices += parsed.notices
    report.sheets[sheet.sheet] = parsed


def validate_workbook(raw: RawWorkbook, config: NetworkConfig, *, today: date) -> Report:
    """Parse and check one workbook against the contract (no warehouse needed)."""
    report = Report(configured=config.activity_sheets)
    found = _sheets_present(raw, report)
    if meta.SHEET in found:
        head = meta.read_meta(found[meta.SHEET], config, today)
        report.partner, report.month, report.contact = head.partner, head.month, head.contact
        report.version = head.version
        report.errors += head.errors
        report.notices += head.notices
    ctx = Context(config, report.month, report.version or meta.CURRENT_VERSION)
    for module in DATA_SHEETS:
        if module.SHEET in found:
            _data_sheet(module, found[module.SHEET], ctx, report)
    for sheet in report.configured:
        if sheet.sheet in found:
            _configured_sheet(sheet, found[sheet.sheet], ctx, report)
    _check_rows(report, ctx)
    report.sort_issues()
    return report


def _check_rows(report: Report, ctx: Context) -> None:
    sheets = report.sheets
    if events.SHEET in sheets:
        report.errors += events.check(sheets[events.SHEET], ctx)
    if coachings.SHEET in sheets:
        event_ids = {r["ID"].casefold() for r in report.rows(events.SHEET) if r["ID"]}
        report.errors += coachings.check(sheets[coachings.SHEET], ctx, event_ids)
    if participants.SHEET in sheets:
        report.errors += participants.check(sheets[participants.SHEET], ctx)
    if personnel.SHEET in sheets:
        report.errors += personnel.check(sheets[personnel.SHEET], ctx)
        report.notices += personnel.privacy_notices(sheets[personnel.SHEET])
    if expenditure.SHEET in sheets:
        report.errors += expenditure.check(sheets[expenditure.SHEET], ctx)
        report.notices += expenditure.credit_notices(sheets[expenditure.SHEET])
