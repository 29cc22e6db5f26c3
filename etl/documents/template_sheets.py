"""The configured activity sheets (``[[activity_sheets]]``) in the blank monthly workbook:
column formats, dropdowns for choice and module columns, range checks for integer and money
columns, date checks for dates in the reporting month, and one instructions line per sheet
for the Anleitung. Part of :mod:`etl.documents.template` (which adds the built-in sheets')."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from etl.core.activity_sheets import ActivitySheet, Column
from etl.core.config import NetworkConfig
from etl.documents.workbook import sheet_formats
from etl.intake.contract.configured import shown

TYPE_TEXT = {
    "id": "ID", "text": "Text", "date": "TT.MM.JJJJ", "integer": "ganze Zahl",
    "money": "Euro", "choice": "Auswahl", "module": "Auswahl", "company": "Name",
    "plz": "5 Ziffern",
}


def _validation(col: Column, month: date, formula: Callable) -> DataValidation | None:
    """The data validation of a column (None: the column has none)."""
    if col.type in ("choice", "module"):
        dv = DataValidation(type="list", formula1=formula(col), allow_blank=True)
        dv.error = "Bitte aus der Liste wählen."
    elif col.type in ("integer", "money"):
        dv = DataValidation(
            type="whole" if col.type == "integer" else "decimal", operator="between",
            formula1=str(col.low), formula2=str(col.high), allow_blank=True,
            error=f"Bitte einen Wert von {shown(col, col.low)} bis {shown(col, col.high)} "
            "eintragen.",
        )
    elif col.type == "date" and col.in_month:
        first = month.replace(day=1)
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        dv = DataValidation(
            type="date", operator="between", formula1=str(int(to_excel(first))),
            formula2=str(int(to_excel(last))), allow_blank=True,
            error=f"Das Datum muss im Berichtsmonat liegen ({first:%d.%m.%Y} bis "
            f"{last:%d.%m.%Y}).",
        )
    else:
        return None
    dv.showErrorMessage = True
    dv.errorTitle = f"{col.name}: ungültiger Wert"
    return dv


def add_activity_sheets(
    wb: Workbook,
    config: NetworkConfig,
    month: date,
    list_formula: Callable[[str, Sequence[object]], str],
    rows: int,
) -> None:
    """Formats and checks of the configured sheets on their first ``rows`` data rows;
    ``list_formula(name, values)``: the dropdown formula of a list (the template's)."""

    def formula(col: Column) -> str:
        values = col.choices if col.type == "choice" else config.modules
        return list_formula(col.name, list(values))

    for sheet in config.activity_sheets:
        ws = wb[sheet.sheet]
        for index, (col, fmt) in enumerate(zip(sheet.columns, sheet_formats(sheet),
                                               strict=True), start=1):
            letter = get_column_letter(index)
            if fmt:
                ws.column_dimensions[letter].number_format = fmt
            dv = _validation(col, month, formula)
            if dv is not None:
                dv.add(f"{letter}2:{letter}{rows + 1}")
                ws.add_data_validation(dv)


def _column_text(col: Column) -> str:
    extra = ""
    if col.type == "choice":
        extra = ": " + " / ".join(col.choices)
    elif col.type in ("integer", "money"):
        extra = f" von {shown(col, col.low)} bis {shown(col, col.high)}"
    if col.in_month:
        extra = " im Berichtsmonat"
    optional = "" if col.required else ", freiwillig"
    return f"{col.name} ({TYPE_TEXT[col.type]}{extra}{optional})"


def sheet_line(sheet: ActivitySheet) -> str:
    """The Anleitung line of a configured sheet: its columns and its rules."""
    text = f"{sheet.sheet}: eine Zeile je Vorgang – " + "; ".join(
        _column_text(c) for c in sheet.columns
    ) + "."
    if sheet.unique:
        text += f" {' und '.join(sheet.unique)} zusammen nur einmal über alle Monate."
    if sheet.follows is not None:
        f = sheet.follows
        text += (f" {f.column} „{f.value}“ erst nach „{f.after}“ derselben "
                 f"{sheet.id_column} (in diesem oder einem früheren Monat).")
    return text


def instruction_lines(config: NetworkConfig) -> list[tuple[str, str]]:
    """The Anleitung lines of the configured sheets (none for a network without)."""
    return [("text", sheet_line(sheet)) for sheet in config.activity_sheets]
