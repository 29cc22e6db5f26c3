"""Staff-hours records (Stundennachweise) for one partner or the whole project, one year or all.

The workbook holds, from the monthly reports' ``Personal`` rows:

- ``Stunden``: per staff member billed by the hour and calendar year (the cap's year, also
  when the network counts project years: a project year's records show its calendar years
  apart), the hours of each month,
  their sum and how much of the annual cap (``rules.hours_per_year``, 1,720 h) they use;
- ``Monatsanteile``: the same for staff billed by the month (shares of a full-time month),
  with the hours they stand for (share x cap / 12);
- ``Nach Modul``: hours and month shares per staff member, year and module;
- one pre-filled monthly timesheet (Stundennachweis) per staff member billed by the hour and
  year, with a signature column per month and signature lines for the year;
- one declaration of exclusive project work (Erklärung zur ausschließlichen Projekttätigkeit)
  per staff member billed by the month and year, with signature lines.

Every sheet is a :class:`etl.documents.book.Table`; a :class:`Form` adds the heading lines
above and the signature lines below that a printed form needs. The hours per partner and year
equal the ``personnel`` quantities of ``python -m etl report --json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from etl.core.config import NetworkConfig
from etl.core.german import MONTHS_SHORT
from etl.core.normalise import de_number
from etl.documents.book import (
    Column,
    Cover,
    Table,
    build,
    put,
    sheet_title,
    to_bytes,
    write_table,
)
from etl.documents.proof import Scope
from etl.warehouse import queries

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet
    from sqlalchemy import Engine

HOURLY, MONTHLY = "Stunden", "Monat"
NO_MODULE = "ohne Modul"
SIGN_LINE = Border(top=Side(style="thin", color="000000"))


@dataclass(frozen=True)
class Form:
    """A table printed as a form: heading lines above it, signature lines below it."""

    table: Table
    title: str
    heading: Sequence[tuple[str, str]] = ()
    text: str = ""
    signatures: Sequence[str] = field(default_factory=tuple)


def file_name(scope: Scope) -> str:
    """``Stundennachweise_DO_2025.xlsx`` or ``Stundennachweise_Projekt.xlsx``."""
    parts = ["Stundennachweise", scope.partner or "Projekt"]
    return "_".join(parts + ([scope.label.replace("/", "-")] if scope.year else [])) + ".xlsx"


def title(scope: Scope) -> str:
    when = scope.label if scope.year else "gesamte Laufzeit"
    return f"Stundennachweise – {scope.partner or 'gesamtes Projekt'} – {when}"


def _months(config: NetworkConfig, year: int) -> list[date]:
    """The first days of the months of ``year`` inside the project period."""
    first = date(config.start.year, config.start.month, 1)
    return [d for m in range(1, 13) if first <= (d := date(year, m, 1)) <= config.end]


def _people(df: pd.DataFrame, billing: str) -> list[tuple[tuple[str, str, int], pd.DataFrame]]:
    """(partner, staff code, year) and its rows, for the staff billed by ``billing``."""
    part = df[df["billing"] == billing]
    return list(part.groupby(["partner_code", "staff_code", "year"], sort=True))


def _groups(rows: pd.DataFrame) -> str:
    return ", ".join(str(g) for g in sorted(set(rows["pay_group"])))


def _by_month(rows: pd.DataFrame) -> dict[int, Decimal]:
    return {m.month: Decimal(q) for m, q in zip(rows["month"], rows["quantity"], strict=True)}


def _month_columns(unit: str) -> list[Column]:
    return [Column(m, "decimal", total=True) for m in MONTHS_SHORT] + [
        Column(f"Summe {unit}", "decimal", total=True)
    ]


def hourly_table(df: pd.DataFrame, cap: int) -> Table:
    """Staff billed by the hour: hours per month, sum, cap, share of the cap, rest."""
    rows = []
    for (partner, staff, year), part in _people(df, HOURLY):
        months = _by_month(part)
        total = sum(months.values(), Decimal(0))
        rows.append(
            [partner, staff, year, _groups(part)]
            + [months.get(m) for m in range(1, 13)]
            + [total, Decimal(cap), float(total / cap), Decimal(cap) - total]
        )
    columns = [Column("Partner"), Column("Kürzel"), Column("Jahr", "id"), Column("LG")]
    columns += _month_columns("Stunden")
    columns += [
        Column("Obergrenze", "decimal"),
        Column("Ausschöpfung", "pct"),
        Column("Rest bis Obergrenze", "decimal"),
    ]
    note = (
        f"Abrechnung nach Stunden; Obergrenze {de_number(cap)} Stunden je Person und "
        "Kalenderjahr (Prüfung beim Hochladen). LG = Leistungsgruppe."
    )
    return Table("Stunden", columns, rows, note=note)


def monthly_table(df: pd.DataFrame, cap: int) -> Table:
    """Staff billed by the month: the share of each month, sum, hours equivalent, cap share."""
    rows = []
    for (partner, staff, year), part in _people(df, MONTHLY):
        months = _by_month(part)
        total = sum(months.values(), Decimal(0))
        hours = total * cap / 12
        rows.append(
            [partner, staff, year, _groups(part)]
            + [months.get(m) for m in range(1, 13)]
            + [total, hours.quantize(Decimal("0.01")), float(hours / cap)]
        )
    columns = [Column("Partner"), Column("Kürzel"), Column("Jahr", "id"), Column("LG")]
    columns += _month_columns("Monate")
    columns += [
        Column("entspricht Stunden", "decimal", total=True),
        Column("Anteil Obergrenze", "pct"),
    ]
    note = (
        f"Abrechnung nach Monaten: Anteil eines Vollzeitmonats; ein voller Monat entspricht "
        f"{de_number(Decimal(cap) / 12)} Stunden ({de_number(cap)} / 12)."
    )
    return Table("Monatsanteile", columns, rows, note=note)


def module_table(df: pd.DataFrame) -> Table:
    """Per partner x staff member x year x module: hours, month shares and months reported."""
    frame = df.assign(module=df["module"].fillna(NO_MODULE))
    rows = []
    keys = ["partner_code", "staff_code", "year", "module"]
    for (partner, staff, year, module), part in frame.groupby(keys, sort=True):
        hourly = part[part["billing"] == HOURLY]["quantity"]
        monthly = part[part["billing"] == MONTHLY]["quantity"]
        rows.append(
            [
                partner,
                staff,
                year,
                module,
                sum(map(Decimal, hourly), Decimal(0)) if len(hourly) else None,
                sum(map(Decimal, monthly), Decimal(0)) if len(monthly) else None,
                len(part),
            ]
        )
    columns = [
        Column("Partner"),
        Column("Kürzel"),
        Column("Jahr", "id"),
        Column("Modul"),
        Column("Stunden", "decimal", total=True),
        Column("Monatsanteile", "decimal", total=True),
        Column("Berichtsmonate", "int", total=True),
    ]
    return Table("Nach Modul", columns, rows, note="Modul wie in der Zeile Personal gemeldet.")


def _heading(config: NetworkConfig, partner: str, staff: str, year: int) -> list[tuple[str, str]]:
    return [
        ("Projekt", config.name),
        ("Partner", f"{partner} – {config.partner(partner).name}"),
        ("Kürzel", staff),
        ("Jahr", str(year)),
    ]


def timesheet(config: NetworkConfig, key: tuple[str, str, int], rows: pd.DataFrame) -> Form:
    """The pre-filled monthly timesheet of one staff member billed by the hour, for a year."""
    partner, staff, year = key
    cap = Decimal(config.rules.hours_per_year)
    by_month = {
        m.month: (Decimal(q), mod)
        for m, q, mod in zip(rows["month"], rows["quantity"], rows["module"], strict=True)
    }
    lines, running = [], Decimal(0)
    for month in _months(config, year):
        hours, module = by_month.get(month.month, (None, None))
        running += hours or 0
        lines.append([month, module, hours, running, cap - running, "", ""])
    columns = [
        Column("Monat", "month"),
        Column("Modul", width=14),
        Column("Projektstunden", "decimal", total=True),
        Column("kumuliert", "decimal"),
        Column("Rest bis Obergrenze", "decimal"),
        Column("Unterschrift Mitarbeiter/in", width=26),
        Column("Unterschrift Vorgesetzte/r", width=26),
    ]
    table = Table(
        f"Stundennachweis {staff} {year}",
        columns,
        lines,
        note=f"Obergrenze: {de_number(cap)} Stunden im Kalenderjahr.",
    )
    text = (
        "Die Projektstunden sind aus den Monatsberichten übernommen. Bitte jeden Monat "
        "prüfen, die Arbeitszeitaufzeichnungen beilegen und unterschreiben."
    )
    return Form(
        table,
        "Stundennachweis (Abrechnung nach Stunden)",
        _heading(config, partner, staff, year),
        text,
        ("Ort, Datum, Unterschrift Mitarbeiter/in", "Ort, Datum, Unterschrift Vorgesetzte/r"),
    )


def declaration(config: NetworkConfig, key: tuple[str, str, int], rows: pd.DataFrame) -> Form:
    """The declaration of exclusive project work of one staff member billed by the month."""
    partner, staff, year = key
    lines = [
        [m, mod or "", Decimal(q)]
        for m, mod, q in zip(rows["month"], rows["module"], rows["quantity"], strict=True)
    ]
    columns = [
        Column("Monat", "month"),
        Column("Modul", width=16),
        Column("Anteil eines Vollzeitmonats", "decimal", total=True),
    ]
    table = Table(f"Erklärung {staff} {year}", columns, lines, totals_label="Summe Monate")
    text = (
        f"Hiermit erkläre ich, dass ich in den unten genannten Monaten des Jahres {year} "
        f"mit dem angegebenen Anteil meiner vertraglichen Arbeitszeit ausschließlich für das "
        f"Projekt „{config.name}“ tätig war und in diesem Umfang keine anderen Aufgaben "
        "wahrgenommen habe. Die Anteile sind aus den Monatsberichten übernommen."
    )
    return Form(
        table,
        "Erklärung zur ausschließlichen Projekttätigkeit",
        _heading(config, partner, staff, year),
        text,
        ("Ort, Datum, Unterschrift Mitarbeiter/in", "Ort, Datum, Unterschrift Arbeitgeber/in"),
    )


@dataclass(frozen=True)
class StaffRecords:
    """Everything the workbook holds: the overview tables and the forms."""

    tables: list[Table]
    forms: list[Form]


def staff_records(engine: Engine, config: NetworkConfig, scope: Scope) -> StaffRecords:
    """The staff-hours tables and forms for ``scope``."""
    df = queries.staff_months(engine, partners=list(scope.partners), years=list(scope.years))
    cap = config.rules.hours_per_year
    tables = [hourly_table(df, cap), monthly_table(df, cap), module_table(df)]
    forms = [timesheet(config, k, r) for k, r in _people(df, HOURLY)]
    forms += [declaration(config, k, r) for k, r in _people(df, MONTHLY)]
    return StaffRecords(tables, forms)


def write_form(ws: Worksheet, form: Form) -> None:
    """The form's table, with its heading lines above and signature lines below, on A4."""
    write_table(ws, form.table)
    top = len(form.heading) + (4 if form.text else 3)
    ws.insert_rows(1, top)
    ws.freeze_panes, ws.auto_filter.ref = None, None
    put(ws, 1, 1, form.title).font = Font(bold=True, size=14)
    for r, (label, value) in enumerate(form.heading, start=2):
        put(ws, r, 1, label).font = Font(bold=True)
        put(ws, r, 2, value)
    if form.text:
        _paragraph(ws, len(form.heading) + 3, form.text, len(form.table.columns))
    _signatures(ws, ws.max_row + 4, form.signatures)
    _print_setup(ws, len(form.table.columns))


def _paragraph(ws: Worksheet, row: int, text: str, n_columns: int) -> None:
    """``text`` wrapped across the table's width, the row as high as its lines need."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n_columns)
    put(ws, row, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
    width = sum(
        ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, n_columns + 1)
    )
    ws.row_dimensions[row].height = 15 * (len(text) // max(int(width * 0.9), 20) + 2)


def _signatures(ws: Worksheet, row: int, labels: Sequence[str]) -> None:
    """A line to sign on per label, side by side (two columns each)."""
    for i, label in enumerate(labels):
        col = 1 + 3 * i
        for c in (col, col + 1):
            ws.cell(row, c).border = SIGN_LINE
        put(ws, row, col, label).font = Font(size=9)


def _print_setup(ws: Worksheet, n_columns: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if n_columns > 5 else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _cover(config: NetworkConfig, scope: Scope, **who) -> Cover:
    first, last = config.years_period(scope.years)
    names = ", ".join(f"{p} – {config.partner(p).name}" for p in scope.partners)
    fields = [
        ("Partner", names),
        ("Zeitraum", f"{first:%d.%m.%Y} bis {last:%d.%m.%Y}"),
        (
            "Obergrenze",
            f"{de_number(config.rules.hours_per_year)} Stunden je Person und Kalenderjahr",
        ),
        ("Inhalt", "Stunden und Monatsanteile je Kürzel; Stundennachweise und Erklärungen"),
    ]
    return Cover(title(scope), fields, network=config.name, **who)


def hours_workbook(
    engine: Engine,
    config: NetworkConfig,
    scope: Scope,
    *,
    exported_by: str,
    stand: str,
    exported_at: datetime | None = None,
) -> bytes:
    """The staff-hours workbook (.xlsx bytes) for ``scope``."""
    records = staff_records(engine, config, scope)
    who = {"exported_by": exported_by, "stand": stand, "exported_at": exported_at or datetime.now()}
    wb = build(_cover(config, scope, **who), records.tables)
    _print_setup(wb.worksheets[0], 2)
    for ws, table in zip(wb.worksheets[1:], records.tables, strict=True):
        _print_setup(ws, len(table.columns))
    taken = {ws.title.casefold() for ws in wb.worksheets}
    for form in records.forms:
        write_form(wb.create_sheet(sheet_title(form.table.sheet, taken)), form)
    return to_bytes(wb)
