"""The blank monthly report workbook (Vorlage) a partner fills in.

Built on :mod:`etl.documents.workbook` (same sheets, headers and formats as every other report),
plus dropdowns and range checks on the first rows and a sheet "Anleitung" with short
German instructions. The importer ignores "Anleitung" (reported as a notice only).
"""

from __future__ import annotations

import calendar
import io
import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from etl.core.config import NetworkConfig
from etl.core.german import MONTHS
from etl.documents.template_sheets import add_activity_sheets, instruction_lines
from etl.documents.workbook import (
    BILLING_MODES,
    COST_TYPES,
    DATA_SHEETS,
    FORMATS,
    META_SHEET,
    SHEET_COLUMNS,
    SIZE_CLASSES,
    TEMPLATE_VERSION,
    TEXT_FORMAT,
    build_workbook,
    column_format,
    column_letter,
    save_workbook,
)

# The importer knows these sheet names as the template's own (no notice when they come
# back); the lists sheet is only used when a list is too long for an inline dropdown.
from etl.intake.contract import INSTRUCTIONS_SHEET, LISTS_SHEET

TEMPLATE_ROWS = 500  # data rows prepared with dropdowns and formats


# (header, type, operator, formula1, formula2, German error message)
NUMBER_CHECKS: tuple[tuple[str, str, str, str, str | None, str], ...] = (
    (
        "Teilnehmende",
        "whole",
        "greaterThanOrEqual",
        "0",
        None,
        "Bitte eine ganze Zahl ab 0 eintragen.",
    ),
    (
        "davon Frauen",
        "whole",
        "greaterThanOrEqual",
        "0",
        None,
        "Bitte eine ganze Zahl ab 0 eintragen (höchstens so viele wie Teilnehmende).",
    ),
    ("Personen", "whole", "greaterThanOrEqual", "1", None, "Bitte eine ganze Zahl ab 1 eintragen."),
    (
        "Stunden",
        "decimal",
        "between",
        "0.01",
        "200",
        "Coaching-Stunden müssen größer als 0 und höchstens 200 sein.",
    ),
    (
        "Umfang",
        "decimal",
        "greaterThan",
        "0",
        None,
        "Monat: Anteil einer Vollzeitstelle (z. B. 0,5); Stunden: Projektstunden im Monat.",
    ),
)


def month_bounds(month: date) -> tuple[date, date]:
    """First and last day of the month containing ``month``."""
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def due_date(month: date, due_day: int) -> date:
    """The day the report for ``month`` is due: ``due_day`` of the following month."""
    y, m = (month.year + 1, 1) if month.month == 12 else (month.year, month.month + 1)
    return date(y, m, min(due_day, calendar.monthrange(y, m)[1]))


def _cells(sheet: str, header: str) -> str:
    letter = column_letter(sheet, header)
    return f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"


def _validation(ws: Worksheet, sheet: str, header: str, dv: DataValidation) -> None:
    dv.showErrorMessage = True
    dv.errorTitle = f"{header}: ungültiger Wert"
    dv.add(_cells(sheet, header))
    ws.add_data_validation(dv)


def _list_formula(wb: Workbook, name: str, values: Sequence[object]) -> str:
    """Inline list formula, or a range on a hidden list sheet when it would not fit inline."""
    inline = ",".join(str(v) for v in values)
    if len(inline) <= 250 and not any("," in str(v) or '"' in str(v) for v in values):
        return f'"{inline}"'
    ws = wb[LISTS_SHEET] if LISTS_SHEET in wb.sheetnames else wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    col = ws.max_column + 1 if ws.max_row > 1 or ws["A1"].value is not None else 1
    for r, value in enumerate([name, *values], start=1):
        ws.cell(row=r, column=col, value=value)
    letter = ws.cell(row=1, column=col).column_letter
    return f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"


def _add_dropdowns(wb: Workbook, choices: dict[str, Sequence[object]]) -> None:
    formulas = {h: _list_formula(wb, h, v) for h, v in choices.items()}
    for sheet in DATA_SHEETS:
        for header in SHEET_COLUMNS[sheet]:
            if header in formulas:
                dv = DataValidation(type="list", formula1=formulas[header], allow_blank=True)
                allowed = ", ".join(str(v) for v in choices[header])
                dv.error = f"Bitte aus der Liste wählen: {allowed}."
                _validation(wb[sheet], sheet, header, dv)


def _add_number_checks(wb: Workbook) -> None:
    for header, kind, operator, low, high, message in NUMBER_CHECKS:
        for sheet in DATA_SHEETS:
            if header in SHEET_COLUMNS[sheet]:
                dv = DataValidation(
                    type=kind,
                    operator=operator,
                    formula1=low,
                    formula2=high,
                    allow_blank=True,
                    error=message,
                )
                _validation(wb[sheet], sheet, header, dv)


def _add_date_checks(wb: Workbook, month: date) -> None:
    first, last = month_bounds(month)
    text = f"Das Datum muss im Berichtsmonat liegen ({first:%d.%m.%Y} bis {last:%d.%m.%Y})."
    for sheet in DATA_SHEETS:
        if "Datum" in SHEET_COLUMNS[sheet]:
            dv = DataValidation(
                type="date",
                operator="between",
                formula1=str(int(to_excel(first))),
                formula2=str(int(to_excel(last))),
                allow_blank=True,
                error=text,
            )
            dv.prompt, dv.promptTitle, dv.showInputMessage = text, "Datum (TT.MM.JJJJ)", True
            _validation(wb[sheet], sheet, "Datum", dv)
    paid = f"Bezahlt bis spätestens {last:%d.%m.%Y}, nicht vor dem Belegdatum; leer, wenn offen."
    dv = DataValidation(type="date", operator="lessThanOrEqual",
                        formula1=str(int(to_excel(last))), allow_blank=True, error=paid)
    dv.prompt, dv.promptTitle, dv.showInputMessage = paid, "Zahlungsdatum (TT.MM.JJJJ)", True
    _validation(wb["Ausgaben"], "Ausgaben", "Zahlungsdatum", dv)


def _preformat(wb: Workbook) -> None:
    """Column number formats (a column style: typed values show as intended, no cells made)."""
    for sheet in DATA_SHEETS:
        ws = wb[sheet]
        for header in SHEET_COLUMNS[sheet]:
            fmt = column_format(header)
            if fmt:
                ws.column_dimensions[column_letter(sheet, header)].number_format = fmt


# Lines of the Anleitung sheet as (style, text); style is title, head or text. The
# placeholders are filled by :func:`instructions`.
INSTRUCTIONS: tuple[tuple[str, str], ...] = (
    ("title", "Monatsbericht {network} – {label}"),
    ("text", "Partner: {code} – {name}"),
    ("text", "Abgabe: bis zum {due} (der {due_day}. des Folgemonats)."),
    ("head", "Was gehört in welches Blatt?"),
    (
        "text",
        "Meta: Partner und Berichtsmonat sind vorausgefüllt. Bei „Ansprechperson“ eintragen, "
        "wer Rückfragen beantwortet. Vorlagenversion nicht ändern.",
    ),
    (
        "text",
        "Veranstaltungen: jede Veranstaltung, die im Monat stattgefunden hat – eine Zeile je "
        "Veranstaltung, mit Anzahl der anwesenden Personen („davon Frauen“ optional).",
    ),
    (
        "text",
        "Coachings: jedes Coaching, das im Monat begonnen hat, mit Unternehmen und Stunden "
        "(mehr als 0 und höchstens 200).",
    ),
    (
        "text",
        "Teilnehmende: je Veranstaltung oder Coaching (Spalte „Aktivität“ = deren ID) eine "
        "Zeile je teilnehmendem Unternehmen, mit PLZ (5 Ziffern), Größenklasse und "
        "Personen. Unternehmenskennung (freiwillig): Handelsregisternummer mit "
        "Registergericht (z. B. „HRB 12345, Amtsgericht Dortmund“) oder USt-IdNr. (DE und 9 "
        "Ziffern); ist sie angegeben, zählt das Unternehmen auch bei anderer Schreibweise oder "
        "neuer Anschrift als dasselbe.",
    ),
    (
        "text",
        "Personal: jede Person, die im Monat im Projekt gearbeitet hat – nur das Kürzel, "
        "keine Namen. Abrechnung „Monat“ (nur im Projekt tätig; Umfang = Anteil einer "
        "Vollzeitstelle, z. B. 0,5) oder „Stunden“ (Umfang = Projektstunden im Monat).",
    ),
    (
        "text",
        "Ausgaben: sonstige Ausgaben mit Belegnummer, Datum, Kostenart und Betrag in Euro; "
        "Gutschriften und Korrekturen mit Minus. Für die Belegliste außerdem "
        "Zahlungsdatum (nicht vor dem Belegdatum, nicht nach dem Monatsende; leer, solange "
        "nicht bezahlt), Zahlungsempfänger und Verwendungszweck.",
    ),
    ("head", "Regeln"),
    (
        "text",
        "IDs und Belegnummern sind eindeutig – auch über alle Monate. Eine ID aus einem "
        "früheren Monat nicht wiederverwenden (Doppelzählung). Vorschlag: {code}-V-{ym}-01 "
        "für Veranstaltungen, {code}-C-{ym}-01 für Coachings.",
    ),
    ("text", "Alle Datumsangaben liegen im Berichtsmonat ({first} bis {last})."),
    (
        "text",
        "Je Veranstaltung ist die Summe der Personen im Blatt „Teilnehmende“ höchstens so "
        "groß wie die Zahl der Teilnehmenden der Veranstaltung.",
    ),
    (
        "text",
        "Nach Stunden abgerechnetes Personal: höchstens {cap} Stunden je Person und "
        "Kalenderjahr. Jede Person erscheint höchstens einmal im Monat.",
    ),
    (
        "text",
        "Leeres Blatt = nichts zu melden. Blätter nicht löschen oder umbenennen, "
        "Spaltenüberschriften nicht ändern.",
    ),
    (
        "text",
        "Modul, Format, Kostenart, Größenklasse, Abrechnung und Leistungsgruppe bitte aus der "
        "Auswahlliste wählen.",
    ),
    ("head", "Abgabe und Korrekturen"),
    ("text", "Die Datei bis zum {due_day}. des Folgemonats im Dashboard hochladen."),
    (
        "text",
        "Eine Datei mit Fehlern wird als Ganzes abgewiesen; die Meldung nennt Blatt, Zeile "
        "und Spalte. Bitte korrigieren und erneut hochladen.",
    ),
    (
        "text",
        "Korrektur nach der Abgabe: die berichtigte Datei für denselben Monat erneut "
        "hochladen – sie ersetzt die frühere Fassung vollständig.",
    ),
)


def instructions(config: NetworkConfig, partner_code: str, month: date) -> list[tuple[str, str]]:
    """The lines of the Anleitung sheet for one partner and month, as (style, text)."""
    partner = config.partner(partner_code)
    first, last = month_bounds(month)
    values = {
        "network": config.short_name or config.name,
        "label": f"{MONTHS[month.month - 1]} {month.year}",
        "code": partner.code,
        "name": partner.name,
        "due": f"{due_date(month, config.report_due_day):%d.%m.%Y}",
        "due_day": config.report_due_day,
        "ym": f"{month:%Y-%m}",
        "first": f"{first:%d.%m.%Y}",
        "last": f"{last:%d.%m.%Y}",
        "cap": f"{config.rules.hours_per_year:,}".replace(",", "."),
    }
    lines = [(style, text.format(**values)) for style, text in INSTRUCTIONS]
    after = next(i for i, (_s, text) in enumerate(lines) if text.startswith("Ausgaben:"))
    return lines[: after + 1] + instruction_lines(config) + lines[after + 1 :]


def _add_instructions(wb: Workbook, lines: list[tuple[str, str]]) -> None:
    ws = wb.create_sheet(INSTRUCTIONS_SHEET, 0)
    ws.column_dimensions["A"].width = 110
    fonts = {"title": Font(bold=True, size=14), "head": Font(bold=True, size=12), "text": Font()}
    row = 1
    for style, text in lines:
        row += 1 if style == "head" else 0  # blank line before a section
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = fonts[style]
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if style == "text":  # a height for the wrapped lines (LibreOffice does not fit it)
            ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(text) / 105))
        row += 1
    wb.active = 0


def pay_groups(config: NetworkConfig) -> list[int]:
    """The pay groups of the unit-cost table in force, in order (the template's choices)."""
    return sorted(config.rate_table().monthly)


def build_template(config: NetworkConfig, partner_code: str, month: date) -> Workbook:
    """The blank monthly workbook for one partner and month."""
    config.partner(partner_code)  # KeyError for an unknown partner
    wb = build_workbook(
        partner=partner_code,
        month=f"{month:%Y-%m}",
        contact=None,
        template_version=TEMPLATE_VERSION,
        sheets={},
        activity_sheets=config.activity_sheets,
    )
    wb[META_SHEET]["B3"].number_format = TEXT_FORMAT  # Berichtsmonat stays text
    _preformat(wb)
    _add_dropdowns(
        wb,
        {
            "Modul": list(config.modules),
            "Format": FORMATS,
            "Kostenart": COST_TYPES,
            "Größenklasse": SIZE_CLASSES,
            "Abrechnung": BILLING_MODES,
            # the pay groups the importer accepts: those of the rate table in force
            "Leistungsgruppe": pay_groups(config),
        },
    )
    _add_number_checks(wb)
    _add_date_checks(wb, month)
    add_activity_sheets(wb, config, month, lambda name, values: _list_formula(wb, name, values),
                        TEMPLATE_ROWS)
    _add_instructions(wb, instructions(config, partner_code, month))
    return wb


def write_template(
    path: str | Path | IO[bytes], config: NetworkConfig, partner_code: str, month: date
) -> None:
    """Write the blank monthly workbook for ``partner_code`` and ``month`` to ``path``."""
    save_workbook(build_template(config, partner_code, month), path)


def template_bytes(config: NetworkConfig, partner_code: str, month: date) -> bytes:
    """The ``.xlsx`` content of :func:`write_template`."""
    buffer = io.BytesIO()
    write_template(buffer, config, partner_code, month)
    return buffer.getvalue()
