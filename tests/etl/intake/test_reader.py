"""Tests for etl.intake.reader: format detection, guards, reading, formulas without value."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from etl.core.errors import WorkbookRejected
from etl.intake.reader import (
    MSG_DAMAGED,
    MSG_PASSWORD,
    MSG_UNREADABLE,
    OLE2_MAGIC,
    RawSheet,
    RawWorkbook,
    _anchor_at_a1,
    _clean,
    read_workbook,
    sniff_format,
)
from etl.intake.reader.messages import _format_size

MiB = 1024 * 1024
ACCEPTED_FORMATS = (".xlsx", ".xlsm", ".ods", ".xls")


# --- helpers ------------------------------------------------------------------------------


def _sample_workbook() -> openpyxl.Workbook:
    """Sheet 'Daten' with a small table starting at C4 (rows 1-3 and columns A-B empty)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Daten"
    ws["C4"], ws["D4"], ws["E4"] = "ID", "Datum", "Teilnehmende"
    ws["C5"], ws["D5"], ws["E5"] = "V-1", dt.date(2025, 3, 14), 12
    ws["C6"], ws["D6"], ws["E6"] = "V-2", dt.datetime(2025, 3, 15, 10, 30), 7.5
    meta = wb.create_sheet(" Meta ")
    meta.append(["Feld", "Wert"])
    meta.append(["Partner", "DO"])
    return wb


def _save(wb: openpyxl.Workbook, path: Path) -> bytes:
    wb.save(path)
    return path.read_bytes()


def _zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buffer.getvalue()


def _rewrite_zip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """Copy a ZIP, replacing or adding members."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    members.update(replace)
    return _zip_bytes(members)


def _reject(data: bytes, file_name: str = "bericht.xlsx", **limits: int) -> str:
    with pytest.raises(WorkbookRejected) as info:
        read_workbook(data, file_name, **limits)
    return info.value.message


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="'
    b'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


# --- reading ------------------------------------------------------------------------------


def test_xlsx_values_types_and_row_numbers(tmp_path):
    book = read_workbook(_save(_sample_workbook(), tmp_path / "a.xlsx"), "a.xlsx")
    assert book.file_format == "xlsx"
    assert [s.name for s in book.sheets] == ["Daten", " Meta "]
    rows = book.sheet("daten").rows
    # rows[i] is spreadsheet row i + 1 although rows 1-3 and columns A-B are empty
    assert rows[0] == [None] * 5 and rows[2] == [None] * 5
    assert rows[3] == [None, None, "ID", "Datum", "Teilnehmende"]
    assert rows[4][2:] == ["V-1", dt.date(2025, 3, 14), 12]
    assert rows[5][3] == dt.datetime(2025, 3, 15, 10, 30) and rows[5][4] == 7.5
    assert len(rows) == 6
    assert book.sheet("META").rows == [["Feld", "Wert"], ["Partner", "DO"]]
    assert book.sheet("Fehlt") is None
    assert book.sheet("Daten").formula_without_value == set()


def test_format_is_detected_by_content_not_name(tmp_path):
    data = _save(_sample_workbook(), tmp_path / "a.xlsx")
    assert sniff_format(data, "export.csv") == "xlsx"
    assert read_workbook(data, "bericht.ods").file_format == "xlsx"


def test_xlsm_is_read_as_data(tmp_path):
    data = _save(_sample_workbook(), tmp_path / "a.xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        types = zf.read("[Content_Types].xml")
    macro_types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert macro_types != types
    xlsm = _rewrite_zip(
        data, {"[Content_Types].xml": macro_types, "xl/vbaProject.bin": b"\x00dummy VBA project"}
    )
    book = read_workbook(xlsm, "bericht.xlsm")
    assert book.file_format == "xlsm"
    assert book.sheet("Daten").rows[4][2] == "V-1"


def test_empty_strings_become_none_and_trailing_empty_rows_are_dropped():
    rows = [["a", "", 1.0], ["", None, ""], [None, ""]]
    assert _clean(rows) == [["a", None, 1.0]]
    assert _clean([]) == []


def test_rows_are_padded_if_calamine_returns_only_the_used_area():
    # Data in C4:D5 given as the used area only: row/column numbers must still match.
    padded = _anchor_at_a1([["ID", "Datum"], ["V-1", 5.0]], start=(3, 2), end=(4, 3))
    assert len(padded) == 5
    assert padded[3] == [None, None, "ID", "Datum"]
    assert padded[0] == [None] * 4
    # Already anchored at A1 (what calamine does with skip_empty_area=False): unchanged.
    anchored = [[None] * 4] * 3 + [[None, None, "ID", "Datum"], [None, None, "V-1", 5.0]]
    assert _anchor_at_a1(anchored, start=(3, 2), end=(4, 3)) == anchored


def test_sheet_without_cells_has_no_rows(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Leer"
    book = read_workbook(_save(wb, tmp_path / "leer.xlsx"), "leer.xlsx")
    assert book.sheets == [RawSheet("Leer", [], set())]


@pytest.mark.libreoffice
@pytest.mark.parametrize("target_format", ["ods", "xls"])
def test_libreoffice_formats(tmp_path, soffice, target_format):
    source = tmp_path / "bericht.xlsx"
    _save(_sample_workbook(), source)
    converted = soffice(source, target_format, tmp_path / "out")
    book = read_workbook(converted.read_bytes(), converted.name)
    assert book.file_format == target_format
    assert isinstance(book, RawWorkbook)
    rows = book.sheet("Daten").rows
    assert rows[3] == [None, None, "ID", "Datum", "Teilnehmende"]
    assert rows[4][2:] == ["V-1", dt.date(2025, 3, 14), 12]
    assert rows[5][3] == dt.datetime(2025, 3, 15, 10, 30)
    assert book.sheet("meta").rows[1] == ["Partner", "DO"]
    # the row limit is also enforced after reading (xls/ods have no pre-scan)
    message = _reject(converted.read_bytes(), converted.name, max_rows=5)
    assert "Blatt „Daten“ hat mehr als 5 Zeilen" in message


# --- formulas -----------------------------------------------------------------------------


def _formula_workbook() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ausgaben"
    ws.append(["Betrag", "Doppelt"])
    ws.append([10, "=A2*2"])
    ws.append([None, None, None, "=1+1"])  # D3
    ws["A5"] = '=""'  # formula with an empty-string result, in the last row
    return wb


def test_formula_without_cached_value_is_flagged(tmp_path):
    book = read_workbook(_save(_formula_workbook(), tmp_path / "f.xlsx"), "f.xlsx")
    sheet = book.sheet("Ausgaben")
    assert sheet.formula_without_value == {(2, 1), (3, 3), (5, 0)}
    # flagged cells lie inside `rows` (as None) even where calamine saw no value at all
    assert sheet.rows == [
        ["Betrag", "Doppelt", None, None],
        [10, None, None, None],
        [None] * 4,
        [None] * 4,
        [None] * 4,
    ]


@pytest.mark.libreoffice
def test_recalculated_formula_is_not_flagged(tmp_path, soffice):
    source = tmp_path / "f.xlsx"
    _save(_formula_workbook(), source)
    recalculated = soffice(source, "xlsx", tmp_path / "out")
    book = read_workbook(recalculated.read_bytes(), recalculated.name)
    sheet = book.sheet("Ausgaben")
    assert sheet.formula_without_value == set()
    assert sheet.rows[1][:2] == [10, 20]
    assert sheet.rows[2][3] == 2
    assert len(sheet.rows) == 3  # row 5 holds only "" (-> None) and is dropped


# --- not a workbook -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"ID;Datum\nV-1;14.03.2025\n", "Text- oder CSV-Datei"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF-Dokument"),
        (
            _zip_bytes(
                {
                    "[Content_Types].xml": CONTENT_TYPES.replace(
                        b"spreadsheetml.sheet.main", b"wordprocessingml.document.main"
                    ),
                    "word/document.xml": b"<w:document/>",
                }
            ),
            "Word-Dokument",
        ),
        (_zip_bytes({"notes.txt": b"hello"}), "ZIP-Archiv"),
        (bytes(range(256)) * 4, "keine Arbeitsmappe"),
        (OLE2_MAGIC + "WordDocument".encode("utf-16-le") + b"\0" * 512, "Word-Dokument"),
    ],
    ids=["csv", "pdf", "docx", "zip", "random", "doc"],
)
def test_not_a_workbook_is_rejected(data, expected):
    message = _reject(data, "upload.bin")
    assert expected in message
    assert all(ext in message for ext in ACCEPTED_FORMATS)


def test_renamed_csv_names_the_misleading_extension():
    message = _reject(b"a,b\n1,2\n", "bericht.xlsx")
    assert message.startswith("Die Datei hat zwar die Endung .xlsx, ist aber eine Text-")


def test_empty_file_is_rejected():
    message = _reject(b"", "bericht.xlsx")
    assert "Die Datei ist leer" in message and ".xlsx" in message
    with pytest.raises(WorkbookRejected, match="leer"):
        sniff_format(b"", "bericht.xlsx")


def test_xlsb_asks_to_save_as_xlsx():
    types = CONTENT_TYPES.replace(
        b"openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"ms-excel.sheet.binary.macroEnabled.main",
    )
    data = _zip_bytes({"[Content_Types].xml": types, "xl/workbook.bin": b"\0"})
    assert "(.xlsb)" in _reject(data, "bericht.xlsb")


# --- damaged, encrypted -------------------------------------------------------------------


def test_truncated_xlsx_is_reported_as_damaged(tmp_path):
    data = _save(_sample_workbook(), tmp_path / "a.xlsx")
    assert _reject(data[: len(data) // 2]) == MSG_DAMAGED
    assert "beschädigt oder unvollständig" in MSG_DAMAGED


def test_corrupted_member_is_reported_as_damaged(tmp_path):
    data = bytearray(_save(_sample_workbook(), tmp_path / "a.xlsx"))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    name_len, extra_len = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    middle = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
    data[middle] ^= 0xFF  # flip one compressed byte: deflate error or CRC mismatch
    assert _reject(bytes(data)) == MSG_DAMAGED


def test_encrypted_ooxml_asks_to_remove_the_password():
    fake = OLE2_MAGIC + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 512
    message = _reject(fake, "bericht.xlsx")
    assert message == MSG_PASSWORD
    assert message.startswith("Die Datei ist mit einem Passwort geschützt")


def test_calamine_failure_becomes_a_german_message():
    # Looks like an Excel 97 file (OLE2 with a "Workbook" stream name) but is garbage.
    fake = OLE2_MAGIC + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\x17" * 2000
    assert _reject(fake, "alt.xls") == MSG_UNREADABLE


# --- size limits and zip bombs ------------------------------------------------------------


def test_oversized_file_is_rejected_with_limit_in_german_units(tmp_path):
    data = _save(_sample_workbook(), tmp_path / "a.xlsx")
    message = _reject(data, max_bytes=1024)
    assert message.startswith("Die Datei ist größer als 1 KB")
    message = _reject(data + b"\0" * (2 * MiB), max_bytes=int(1.5 * MiB))
    assert message.startswith("Die Datei ist größer als 1,5 MB")
    assert _format_size(20 * MiB) == "20 MB"


def _bomb(size: int) -> bytes:
    """A ZIP with [Content_Types].xml and `size` zeros, written in 1 MiB pieces."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        with zf.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(size // MiB):
                member.write(bytes(MiB))
    return buffer.getvalue()


def test_zip_bomb_by_declared_size():
    message = _reject(_bomb(5 * MiB), max_unpacked_bytes=MiB)
    assert message.startswith("Die Datei ist entpackt größer als 1 MB")


def test_zip_bomb_by_compression_ratio():
    data = _bomb(5 * MiB)
    assert len(data) < 50_000  # 5 MiB of zeros compress far beyond 200:1
    assert "ungewöhnlich stark komprimierte Inhalte" in _reject(data)


def _patch_declared_size(data: bytes, name: str, fake_size: int) -> bytes:
    """Overwrite the uncompressed size of `name` in its local and central headers."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    struct.pack_into("<I", patched, info.header_offset + 22, fake_size)
    central = patched.find(b"PK\x01\x02")
    while central >= 0:
        name_len = struct.unpack_from("<H", patched, central + 28)[0]
        if patched[central + 46 : central + 46 + name_len] == name.encode():
            struct.pack_into("<I", patched, central + 24, fake_size)
            return bytes(patched)
        central = patched.find(b"PK\x01\x02", central + 4)
    raise AssertionError("central directory entry not found")


def test_lying_zip_is_caught_by_counting_real_bytes():
    # 3 MiB of text (ratio below 200:1), declared as 1,000 bytes
    text = b"".join(f"<row r='{i}'>{i * 7919}</row>".encode() for i in range(150_000))[: 3 * MiB]
    data = _zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "xl/big.xml": text})
    lying = _patch_declared_size(data, "xl/big.xml", 1000)
    with zipfile.ZipFile(io.BytesIO(lying)) as zf:
        assert sum(i.file_size for i in zf.infolist()) < 2000
    message = _reject(lying, max_unpacked_bytes=MiB)
    assert message.startswith("Die Datei ist entpackt größer als 1 MB")
    # below the limit, the mismatch between declared and real size still rejects the file
    assert _reject(lying, max_unpacked_bytes=10 * MiB) == MSG_DAMAGED


# --- row and cell limits ------------------------------------------------------------------


def test_max_rows(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Daten"
    for i in range(1001):
        ws.append([i, f"Zeile {i}"])
    data = _save(wb, tmp_path / "rows.xlsx")
    message = _reject(data, max_rows=1000)
    assert message.startswith("Blatt „Daten“ hat mehr als 1.000 Zeilen.")
    assert len(read_workbook(data, "rows.xlsx", max_rows=1001).sheet("Daten").rows) == 1001


def test_value_in_last_row_is_rejected_before_reading(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Daten"
    wb.active["A1"] = "ID"
    wb.active["B1048576"] = "x"
    message = _reject(_save(wb, tmp_path / "far.xlsx"))
    assert message.startswith("Blatt „Daten“ hat mehr als 200.000 Zeilen.")


def test_stray_value_far_right_is_rejected_before_reading(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Daten"
    wb.active["A1"] = "ID"
    wb.active["XFD400"] = "x"  # 400 rows x 16,384 columns would be 6.5 million cells
    message = _reject(_save(wb, tmp_path / "wide.xlsx"))
    assert message.startswith("Blatt „Daten“ reicht bis Zeile 400 und Spalte XFD")


# --- unusual but valid OOXML spellings ----------------------------------------------------


def _rewrite_sheet_xml(data: bytes, rewrite: Callable[[bytes], bytes]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    return _rewrite_zip(data, {"xl/worksheets/sheet1.xml": rewrite(sheet)})


def _prefix_elements(xml: bytes) -> bytes:
    """<worksheet xmlns="main"><c> -> <x:worksheet xmlns:x="main"><x:c> (same meaning)."""
    xml = re.sub(rb"<(/?)([A-Za-z]\w*)", rb"<\1x:\2", xml)
    return xml.replace(b'xmlns="', b'xmlns:x="', 1)


def test_prefixed_sheet_xml_is_scanned_like_the_default_namespace(tmp_path):
    data = _rewrite_sheet_xml(_save(_formula_workbook(), tmp_path / "f.xlsx"), _prefix_elements)
    sheet = read_workbook(data, "f.xlsx").sheet("Ausgaben")
    assert sheet.formula_without_value == {(2, 1), (3, 3), (5, 0)}
    assert sheet.rows[1][0] == 10
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["XFD400"] = "ID", "x"
    wide = _rewrite_sheet_xml(_save(wb, tmp_path / "wide.xlsx"), _prefix_elements)
    assert "Spalte XFD" in _reject(wide)


def test_formula_cells_without_cell_reference_are_located_by_position(tmp_path):
    def drop_cell_refs(xml: bytes) -> bytes:
        return re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", xml)

    wb = openpyxl.Workbook()
    wb.active.title = "Daten"
    wb.active.append(["a", "=1+1", "c"])
    wb.active.append(["=2+2"])
    data = _rewrite_sheet_xml(_save(wb, tmp_path / "norefs.xlsx"), drop_cell_refs)
    assert b'<c r="' not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    sheet = read_workbook(data, "norefs.xlsx").sheet("Daten")
    assert sheet.formula_without_value == {(1, 1), (2, 0)}
    assert sheet.rows[0] == ["a", None, "c"]
