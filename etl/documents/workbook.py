"""Writing monthly report workbooks (Monatsberichte) with openpyxl.

The one place that knows the contract's sheet names, column headers and cell formats on
the writing side. The template (:mod:`etl.documents.template`), the demo data
(:mod:`etl.ops.demo`) and
the tests build their workbooks here. Values are written exactly as given (also wrong
ones, so tests can build faulty files); only ``date``/``datetime`` values become real
spreadsheet dates.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from etl.core.activity_sheets import ActivitySheet

META_SHEET = "Meta"
DATA_SHEETS = ("Veranstaltungen", "Coachings", "Teilnehmende", "Personal", "Ausgaben")

# The columns of the current template version (2); version 1 lacks those of NEW_COLUMNS.
SHEET_COLUMNS: dict[str, list[str]] = {
    "Meta": ["Feld", "Wert"],
    "Veranstaltungen": ["ID", "Datum", "Titel", "Modul", "Format", "Teilnehmende", "davon Frauen"],
    "Coachings": ["ID", "Datum", "Unternehmen", "Modul", "Stunden", "Thema"],
    "Teilnehmende": [
        "Aktivität", "Unternehmen", "PLZ", "Größenklasse", "Personen", "Unternehmenskennung",
    ],
    "Personal": ["Kürzel", "Leistungsgruppe", "Abrechnung", "Umfang", "Modul"],
    "Ausgaben": [
        "Belegnummer", "Datum", "Kostenart", "Betrag", "Modul", "Beschreibung",
        "Zahlungsdatum", "Zahlungsempfänger", "Verwendungszweck",
    ],
}
TEMPLATE_VERSION = 2
NEW_COLUMNS = {
    2: {
        "Teilnehmende": ("Unternehmenskennung",),
        "Ausgaben": ("Zahlungsdatum", "Zahlungsempfänger", "Verwendungszweck"),
    }
}


def sheet_columns(version: object = TEMPLATE_VERSION) -> dict[str, list[str]]:
    """The header rows of a template version (any version but 1: the current one)."""
    if version != 1:
        return SHEET_COLUMNS
    new = {(sheet, h) for cols in NEW_COLUMNS.values() for sheet, hs in cols.items() for h in hs}
    return {
        sheet: [h for h in headers if (sheet, h) not in new]
        for sheet, headers in SHEET_COLUMNS.items()
    }

META_FIELDS = ("Partner", "Berichtsmonat", "Ansprechperson", "Vorlagenversion")

# Fixed choices of the contract (modules come from the configuration).
FORMATS = ("Präsenz", "Online", "Hybrid")
COST_TYPES = ("Sachkosten", "Fremdleistungen", "Reisekosten")
SIZE_CLASSES = ("Kleinst", "Klein", "Mittel", "Groß")
BILLING_MODES = ("Monat", "Stunden")

DATE_FORMAT = "DD.MM.YYYY"
MONEY_FORMAT = '#,##0.00 "€"'
DECIMAL_FORMAT = "0.00"
INTEGER_FORMAT = "0"
TEXT_FORMAT = "@"

# Number format per column header (matched without a bracketed unit, case-insensitively).
COLUMN_FORMATS: dict[str, str] = {
    "datum": DATE_FORMAT,
    "zahlungsdatum": DATE_FORMAT,
    "betrag": MONEY_FORMAT,
    "stunden": DECIMAL_FORMAT,
    "umfang": DECIMAL_FORMAT,
    "teilnehmende": INTEGER_FORMAT,
    "davon frauen": INTEGER_FORMAT,
    "personen": INTEGER_FORMAT,
    "leistungsgruppe": INTEGER_FORMAT,
    "plz": TEXT_FORMAT,
}

# Preferred column widths (characters); other columns are sized from their content.
COLUMN_WIDTHS: dict[str, float] = {
    "id": 18,
    "aktivität": 18,
    "belegnummer": 16,
    "datum": 12,
    "titel": 48,
    "unternehmen": 40,
    "thema": 36,
    "beschreibung": 40,
    "zahlungsdatum": 14,
    "zahlungsempfänger": 30,
    "verwendungszweck": 40,
    "unternehmenskennung": 32,
    "modul": 14,
    "format": 11,
    "kostenart": 16,
    "betrag": 14,
    "größenklasse": 14,
    "plz": 8,
    "feld": 18,
    "wert": 40,
}

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")

Row = Sequence[object] | Mapping[str, object]


@lru_cache(maxsize=1024)
def _key(text: str) -> str:
    text = re.sub(r"[\(\[][^\)\]]*[\)\]]", " ", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def column_key(header: object) -> str:
    """Lookup key of a header: casefolded, a unit or note in brackets removed."""
    return _key(str(header))


def column_format(header: object) -> str | None:
    """The number format for a column header, or None for plain text/general cells."""
    return COLUMN_FORMATS.get(column_key(header))


def column_letter(sheet: str, header: str) -> str:
    """Spreadsheet column letter of a canonical header, e.g. ``("Ausgaben", "Betrag") -> "D"``."""
    return get_column_letter(SHEET_COLUMNS[sheet].index(header) + 1)


def report_file_name(partner: str, month: str | date, suffix: str = "") -> str:
    """Conventional file name of a monthly report, e.g. ``Monatsbericht_DO_2024-03.xlsx``."""
    label = month.strftime("%Y-%m") if isinstance(month, date) else str(month)
    return f"Monatsbericht_{partner}_{label}{suffix}.xlsx"


def meta_rows(partner: object, month: object, contact: object, version: object) -> list[list]:
    """The Feld/Wert rows of the Meta sheet."""
    return [
        ["Partner", partner],
        ["Berichtsmonat", month],
        ["Ansprechperson", contact],
        ["Vorlagenversion", version],
    ]


def _row_values(row: Row, headers: Sequence[str]) -> list[object]:
    """A row in column order; dict rows are matched to headers like the importer does
    (case, spaces and a bracketed unit ignored), keys without a column are left out."""
    if not isinstance(row, Mapping):
        return list(row)
    by_key = {column_key(k): v for k, v in row.items()}
    return [by_key.get(column_key(h)) for h in headers]


def _cell_value(value: object) -> object:
    # openpyxl stores dates as datetimes; a plain date keeps midnight, which is what Excel does.
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


# Number format of a configured sheet's column by its type (etl.core.activity_sheets).
TYPE_FORMATS = {"date": DATE_FORMAT, "money": MONEY_FORMAT, "integer": INTEGER_FORMAT,
                "plz": TEXT_FORMAT, "id": TEXT_FORMAT}


def sheet_formats(sheet: ActivitySheet) -> list[str | None]:
    """The number format of each column of a configured sheet (None: general)."""
    return [TYPE_FORMATS.get(c.type) for c in sheet.columns]


def write_rows(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Row],
    formats: Sequence[str | None] | None = None,
) -> list[int]:
    """Write ``rows`` below the header row; returns the longest text per column.
    ``formats``: the number format per column (default: by header, :func:`column_format`)."""
    formats = list(formats) if formats is not None else [column_format(h) for h in headers]
    longest = [0] * len(headers)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(_row_values(row, headers), start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=_cell_value(value))
            fmt = formats[c - 1] if c <= len(formats) else None
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif fmt and fmt != DATE_FORMAT:  # a number in a date column stays a number
                cell.number_format = fmt
            if c <= len(longest):
                longest[c - 1] = max(longest[c - 1], len(str(value)))
    return longest


def style_header(ws: Worksheet, headers: Sequence[str]) -> None:
    """Write the bold header row and freeze it."""
    for c, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=c, value=header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"


def set_widths(ws: Worksheet, headers: Sequence[str], longest: Sequence[int]) -> None:
    """Preferred widths for known columns, content-based (capped) widths for the rest."""
    for c, header in enumerate(headers, start=1):
        width = COLUMN_WIDTHS.get(column_key(header))
        if width is None:
            width = min(max(longest[c - 1] + 2, 10), 50)
        ws.column_dimensions[get_column_letter(c)].width = max(width, len(str(header)) + 3)


def add_sheet(
    wb: Workbook,
    name: str,
    rows: Iterable[Row],
    headers: Sequence[str],
    formats: Sequence[str | None] | None = None,
) -> Worksheet:
    """Append a formatted sheet with a header row and ``rows``."""
    ws = wb.create_sheet(title=name)
    style_header(ws, headers)
    set_widths(ws, headers, write_rows(ws, headers, rows, formats))
    return ws


def build_workbook(
    *,
    partner: object,
    month: object,
    contact: object = None,
    template_version: object = TEMPLATE_VERSION,
    sheets: Mapping[str, Iterable[Row]] | None = None,
    omit_sheets: Iterable[str] = frozenset(),
    headers: Mapping[str, Sequence[str]] | None = None,
    activity_sheets: Sequence[ActivitySheet] = (),
) -> Workbook:
    """An in-memory report workbook: Meta, the five data sheets, the configured
    ``activity_sheets`` (their rows from ``sheets`` by sheet name, like a data sheet's),
    then any extra sheets.

    ``sheets`` maps a sheet name to its data rows (lists in column order, or dicts keyed by
    header). ``sheets["Meta"]`` replaces the generated Meta rows. ``headers`` overrides
    the header row of a sheet (e.g. ``Betrag (EUR)``, a missing or an extra column; by default
    the columns of ``template_version``, see :func:`sheet_columns`); dict
    keys are matched to it ignoring case, spaces and brackets, keys without a column are
    dropped (that is how a test leaves a column out).
    Sheets not named in :data:`SHEET_COLUMNS` are written as given (the first row as header).
    """
    sheets = dict(sheets or {})
    headers = dict(headers or {})
    omit = set(omit_sheets)
    sheets.setdefault(META_SHEET, meta_rows(partner, month, contact, template_version))
    columns = sheet_columns(template_version)
    wb = Workbook()
    wb.remove(wb.active)
    for name in (META_SHEET, *DATA_SHEETS):
        if name not in omit:
            add_sheet(wb, name, sheets.get(name, ()), headers.get(name, columns[name]))
    for sheet in activity_sheets:
        if sheet.sheet not in omit:
            names = [c.name for c in sheet.columns]
            add_sheet(wb, sheet.sheet, sheets.get(sheet.sheet, ()),
                      headers.get(sheet.sheet, names), sheet_formats(sheet))
    configured = {sheet.sheet for sheet in activity_sheets}
    for name, rows in sheets.items():
        if name not in SHEET_COLUMNS and name not in omit and name not in configured:
            rows = [list(r) for r in rows]
            add_sheet(wb, name, rows[1:], headers.get(name, rows[0] if rows else []))
    return wb


# Workbooks are saved with fixed timestamps, so the same content gives the same bytes
# (and the same SHA-256) every time.
DEFAULT_TIMESTAMP = datetime(2024, 1, 1, 8, 0, 0)
_CORE_TIMES = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _stable_zip(data: bytes, timestamp: datetime) -> bytes:
    """Rewrite an xlsx package with fixed entry times and document dates."""
    stamp = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _CORE_TIMES.sub(rf"\g<1>{stamp}\g<2>", payload.decode()).encode()
            entry = zipfile.ZipInfo(info.filename, date_time=timestamp.timetuple()[:6])
            entry.external_attr = info.external_attr
            dst.writestr(entry, payload, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def save_workbook(
    wb: Workbook, target: str | Path | IO[bytes], timestamp: datetime | None = None
) -> None:
    """Save ``wb`` to a path or binary stream, byte-for-byte reproducibly."""
    buffer = io.BytesIO()
    wb.save(buffer)
    data = _stable_zip(buffer.getvalue(), timestamp or DEFAULT_TIMESTAMP)
    if isinstance(target, (str, Path)):
        Path(target).write_bytes(data)
    else:
        target.write(data)


def write_report(
    path_or_stream: str | Path | IO[bytes],
    *,
    partner: object,
    month: object,
    contact: object = None,
    template_version: object = TEMPLATE_VERSION,
    sheets: Mapping[str, Iterable[Row]] | None = None,
    omit_sheets: Iterable[str] = frozenset(),
    headers: Mapping[str, Sequence[str]] | None = None,
    timestamp: datetime | None = None,
    activity_sheets: Sequence[ActivitySheet] = (),
) -> None:
    """Write a monthly report workbook to a path or binary stream (see :func:`build_workbook`).

    ``timestamp`` is the creation time stored in the file (default: a fixed date), so the
    same arguments always give the same bytes.
    """
    wb = build_workbook(
        partner=partner,
        month=month,
        contact=contact,
        template_version=template_version,
        sheets=sheets,
        omit_sheets=omit_sheets,
        headers=headers,
        activity_sheets=activity_sheets,
    )
    save_workbook(wb, path_or_stream, timestamp)


def report_bytes(**kwargs: Any) -> bytes:
    """The ``.xlsx`` file content of :func:`write_report` with the same keyword arguments."""
    buffer = io.BytesIO()
    write_report(buffer, **kwargs)
    return buffer.getvalue()
