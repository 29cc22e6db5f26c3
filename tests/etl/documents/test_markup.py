"""Tests for etl.documents.markup: the partner's workbook with its errors marked, plus a
"Fehler" sheet."""

from __future__ import annotations

import io
import re
import zipfile
from copy import copy
from datetime import date, datetime

import openpyxl
import pytest

from etl.core.errors import Issue
from etl.documents.markup import AUTHOR, CELL_FILL, ERROR_SHEET, ROW_FILL, marked_workbook
from etl.documents.workbook import SHEET_COLUMNS
from etl.intake.contract import validate_workbook
from etl.intake.reader import read_workbook
from tests.factories import sheets, workbook

TODAY = date(2025, 6, 20)
RED = CELL_FILL.fgColor.rgb
LIGHT = ROW_FILL.fgColor.rgb
MACRO_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLSX_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def _broken() -> bytes:
    """Wrong Betrag (Ausgaben D2), unknown module (Veranstaltungen D3), no Stunden header."""
    data = sheets()
    data["Ausgaben"][0]["Betrag"] = "zwölf"
    data["Veranstaltungen"][1]["Modul"] = "Tanzen"
    coaching_headers = [h for h in SHEET_COLUMNS["Coachings"] if h != "Stunden"]
    return workbook(data=data, headers={"Coachings": coaching_headers})


def _errors(data: bytes, config, name: str = "x.xlsx") -> list[Issue]:
    return validate_workbook(read_workbook(data, name), config, today=TODAY).errors


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _listed(wb: openpyxl.Workbook) -> list[tuple]:
    rows = wb[ERROR_SHEET].iter_rows(min_row=2, values_only=True)
    return [tuple(row) for row in rows]


def _is_red(cell) -> bool:
    return cell.fill.fgColor.rgb == RED and cell.font.color.rgb.endswith("9C0006")


def _with_text_cell(data: bytes, sheet: str, coordinate: str, text: str) -> bytes:
    """The workbook with ``text`` stored as a plain string (not a formula) in one cell."""
    wb = _open(data)
    cell = wb[sheet][coordinate]
    cell.value = text
    cell.data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- the partner's own workbook -----------------------------------------------------------


@pytest.fixture(scope="module")
def marked(config):
    data = _broken()
    errors = _errors(data, config)
    out = marked_workbook(data, "x.xlsx", errors)
    return data, errors, _open(out), out


def test_error_sheet_comes_first_is_active_and_lists_every_error(marked):
    data, errors, wb, _out = marked
    assert len(errors) == 3
    assert wb.sheetnames == [ERROR_SHEET, *_open(data).sheetnames]
    assert wb.active.title == ERROR_SHEET
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == [ERROR_SHEET]
    ws = wb[ERROR_SHEET]
    assert [c.value for c in ws[1]] == ["Blatt", "Zeile", "Spalte", "Fehlermeldung"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D4"
    assert ws["D2"].alignment.wrap_text and ws.column_dimensions["D"].width >= 60
    assert _listed(wb) == [(e.sheet, e.row, e.column, e.message) for e in errors]


def test_bad_cells_are_red_with_the_message_as_comment(marked):
    _data, errors, wb, out = marked
    by_cell = {("Ausgaben", "D2"): "keine Zahl", ("Veranstaltungen", "D3"): "Tanzen"}
    for (sheet, coordinate), words in by_cell.items():
        cell = wb[sheet][coordinate]
        (error,) = [e for e in errors if words in e.message]
        assert _is_red(cell), (sheet, coordinate)
        assert cell.comment.text == error.message and cell.comment.author == AUTHOR
    assert wb["Ausgaben"]["D2"].value == "zwölf"  # the value itself is left alone
    # openpyxl does not read comment sizes back: check the drawing it wrote
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        vml = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".vml")).decode()
    sizes = re.findall(r"width:(\d+)px;height:(\d+)px", vml)
    assert len(sizes) == 3 and all(int(w) >= 300 and int(h) >= 120 for w, h in sizes)


def test_missing_header_marks_the_header_row_lightly(marked):
    _data, errors, wb, _out = marked
    ws = wb["Coachings"]
    (error,) = [e for e in errors if "Stunden" in e.message]
    assert [c.value for c in ws[1]] == ["ID", "Datum", "Unternehmen", "Modul", "Thema"]
    assert all(c.fill.fgColor.rgb == LIGHT for c in ws[1])
    assert ws["A1"].comment.text == error.message
    assert ws["B1"].comment is None and not _is_red(ws["A1"])


def test_hyperlinks_point_to_the_marked_cells(marked):
    _data, errors, wb, _out = marked
    ws = wb[ERROR_SHEET]
    links = {ws.cell(r, 1).hyperlink.location for r in range(2, len(errors) + 2)}
    assert links == {"'Ausgaben'!D2", "'Veranstaltungen'!D3", "'Coachings'!A1"}
    assert all(ws.cell(r, 1).hyperlink.target is None for r in range(2, len(errors) + 2))


def test_untouched_cells_keep_their_values_and_formats(marked):
    data, _errors, wb, _out = marked
    original = _open(data)
    for name in original.sheetnames:
        for before, after in zip(original[name].iter_rows(), wb[name].iter_rows(), strict=True):
            for old, new in zip(before, after, strict=True):
                assert (new.value, new.number_format) == (old.value, old.number_format)
                if new.comment is None and new.fill.fgColor.rgb != LIGHT:
                    assert copy(new.fill) == copy(old.fill) and copy(new.font) == copy(old.font)
    assert wb["Ausgaben"]["B2"].number_format == "DD.MM.YYYY"


def test_several_messages_on_one_cell_are_joined(config):
    data = workbook()
    errors = [
        Issue("ausgaben ", 2, "betrag (EUR)", "Erstens."),
        Issue("Ausgaben", 2, "Betrag", "Zweitens."),
        Issue("Meta", None, "Feld", "Das Feld fehlt."),
        Issue("Ausgaben", 3, None, "Die ganze Zeile."),
        Issue("Ausgaben", None, None, "Das ganze Blatt."),
        Issue(None, None, None, "Die ganze Datei."),
        Issue("Coachings", None, None, "Das Blatt 'Coachings' fehlt."),
    ]
    wb = _open(marked_workbook(data, "x.xlsx", errors))
    assert wb["Ausgaben"]["D2"].comment.text == "Erstens.\nZweitens."
    assert _is_red(wb["Meta"]["A1"]) and wb["Meta"]["A1"].comment.text == "Das Feld fehlt."
    row3 = [c for c in wb["Ausgaben"][3] if c.value is not None]
    assert row3 and all(c.fill.fgColor.rgb == LIGHT for c in row3)
    assert wb["Ausgaben"]["A3"].comment.text == "Die ganze Zeile."
    assert len(_listed(wb)) == len(errors)
    links = [row[0].hyperlink for row in wb[ERROR_SHEET].iter_rows(min_row=2)]
    assert [link.location if link else None for link in links] == [
        "'Ausgaben'!D2",
        "'Ausgaben'!D2",
        "'Meta'!A1",
        "'Ausgaben'!A3",
        "'Ausgaben'!A1",
        None,
        "'Coachings'!A1",
    ]


def test_header_aliases_are_matched_like_the_importer(config):
    data = sheets()
    for row in data["Personal"]:
        row["Kuerzel"] = row.pop("Kürzel")
    data["Personal"][0]["Kuerzel"] = None
    headers = {"Personal": ["Kuerzel", "Leistungsgruppe", "Abrechnung", "Umfang", "Modul"]}
    raw = workbook(data=data, headers=headers)
    errors = _errors(raw, config)
    assert [(e.sheet, e.row, e.column) for e in errors] == [("Personal", 2, "Kürzel")]
    wb = _open(marked_workbook(raw, "x.xlsx", errors))
    assert _is_red(wb["Personal"]["A2"]) and wb["Personal"]["A2"].comment is not None


# --- formula injection --------------------------------------------------------------------


def test_text_starting_with_equals_stays_text(config):
    data = _with_text_cell(workbook(), "Ausgaben", "F2", "=1+2")
    message = '=HYPERLINK("http://example.org")'
    errors = [Issue("Ausgaben", 2, "Beschreibung", message), Issue(None, None, "-x", "+y")]
    wb = _open(marked_workbook(data, "x.xlsx", errors))
    cell = wb["Ausgaben"]["F2"]
    assert (cell.value, cell.data_type) == ("=1+2", "s")
    listed = wb[ERROR_SHEET]["D2"]
    assert (listed.value, listed.data_type) == (message, "s")
    assert listed.quotePrefix and wb[ERROR_SHEET]["C3"].quotePrefix
    assert wb[ERROR_SHEET]["D3"].value == "+y"


# --- other inputs -------------------------------------------------------------------------


def test_not_a_workbook_gives_the_error_sheet_only():
    errors = [Issue(None, None, None, "Die Datei ist keine Arbeitsmappe.")]
    wb = _open(marked_workbook(b"hello", "bericht.xlsx", errors))
    assert wb.sheetnames == [ERROR_SHEET]
    assert _listed(wb) == [(None, None, None, "Die Datei ist keine Arbeitsmappe.")]
    assert wb[ERROR_SHEET]["A2"].hyperlink is None


def test_unexpected_failure_falls_back_to_the_error_sheet(monkeypatch, config):
    data = _broken()
    errors = _errors(data, config)

    def boom(*_args, **_kwargs):
        raise RuntimeError("openpyxl bug")

    monkeypatch.setattr("etl.documents.markup._locate", boom)
    wb = _open(marked_workbook(data, "x.xlsx", errors))
    assert wb.sheetnames == [ERROR_SHEET] and len(_listed(wb)) == len(errors)


def test_xlsm_becomes_a_plain_xlsx(config):
    data = _broken()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(XLSX_TYPE, MACRO_TYPE)
    members["xl/vbaProject.bin"] = b"\x00dummy VBA project"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    xlsm = buffer.getvalue()
    assert read_workbook(xlsm, "x.xlsm").file_format == "xlsm"
    errors = _errors(xlsm, config, "x.xlsm")
    out = marked_workbook(xlsm, "x.xlsm", errors)
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        types = zf.read("[Content_Types].xml").lower()
        names = zf.namelist()
    assert b"macroenabled" not in types and b"vbaproject" not in types
    assert XLSX_TYPE.lower() in types and not any("vba" in n.lower() for n in names)
    assert read_workbook(out, "x.xlsx").file_format == "xlsx"
    wb = _open(out)
    assert wb.sheetnames[0] == ERROR_SHEET and _is_red(wb["Ausgaben"]["D2"])


def test_marked_file_reads_back_with_the_same_errors(marked, config):
    _data, errors, _wb, out = marked
    report = validate_workbook(read_workbook(out, "korrigiert.xlsx"), config, today=TODAY)
    assert report.errors == errors
    assert [(n.sheet, n.message) for n in report.notices if n.sheet == ERROR_SHEET] == [
        (ERROR_SHEET, "Zusätzliches Blatt wird ignoriert.")
    ]


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_libreoffice_files_are_rebuilt_as_xlsx_and_marked(config, soffice, tmp_path, fmt):
    source = tmp_path / "bericht.xlsx"
    source.write_bytes(_with_text_cell(_broken(), "Ausgaben", "F3", "=1+2"))
    converted = soffice(source, fmt, tmp_path / fmt).read_bytes()
    name = f"bericht.{fmt}"
    assert read_workbook(converted, name).file_format == fmt
    errors = _errors(converted, config, name)
    assert len(errors) == 3
    wb = _open(marked_workbook(converted, name, errors))
    assert wb.sheetnames == [ERROR_SHEET, *[s.name for s in read_workbook(converted, name).sheets]]
    assert _listed(wb) == [(e.sheet, e.row, e.column, e.message) for e in errors]
    ausgaben = wb["Ausgaben"]
    assert _is_red(ausgaben["D2"]) and "keine Zahl" in ausgaben["D2"].comment.text
    assert ausgaben["A2"].value == "DO-2025-0001" and ausgaben["D3"].value == 89.9
    assert ausgaben["B2"].value == datetime(2025, 3, 12) and ausgaben["B2"].is_date
    assert (ausgaben["F3"].value, ausgaben["F3"].data_type) == ("=1+2", "s")
    assert _is_red(wb["Veranstaltungen"]["D3"])
