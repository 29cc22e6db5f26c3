"""Read a partner workbook (.xlsx, .xlsm, .ods, .xls) into plain Python rows.

The reader is the only place that touches the uploaded bytes. It

1. detects the format by content (magic bytes, ZIP members), not by file name;
2. guards against oversized files and ZIP bombs *before* any spreadsheet library sees
   the file: declared sizes, compression ratios, and a streaming decompression of every
   member that counts real bytes and checks each member's CRC, in 1 MiB chunks;
3. reads all sheets with python-calamine so that ``rows[i]`` is spreadsheet row ``i + 1``;
4. for OOXML files, finds formula cells that were never calculated (no cached value).

Macros in .xlsm files are never run: calamine only reads cell data.
Every rejection is a :class:`~etl.errors.WorkbookRejected` with a plain German message.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from etl.errors import WorkbookRejected

Cell = None | str | int | float | bool | dt.date | dt.datetime | dt.time

MiB = 1024 * 1024
CHUNK_SIZE = MiB
# Largest dense cell area (rows x columns, counted from A1) one sheet may span. calamine
# allocates every cell of that area (~32 bytes each), so one stray value far away from
# the table (say in column XFD) would otherwise exhaust the server's memory.
MAX_CELLS = 5_000_000
MAX_ZIP_ENTRIES = 10_000
MAX_RATIO = 200  # uncompressed : compressed, checked on members larger than 1 MiB
_SMALL_PART_LIMIT = MiB  # [Content_Types].xml, mimetype, manifest

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ACCEPTED_EXTENSIONS = (".xlsx", ".xlsm", ".ods", ".xls")

# --- user-facing messages (German) -------------------------------------------------------

ACCEPTED = (
    "Angenommen werden Excel-Arbeitsmappen (.xlsx, .xlsm), LibreOffice-Tabellen (.ods) "
    "und ältere Excel-Dateien (.xls)."
)
RESAVE = (
    "Bitte die Datei in Excel oder LibreOffice öffnen, erneut speichern und noch einmal hochladen."
)
MSG_EMPTY = f"Die Datei ist leer (0 Byte). Bitte die ausgefüllte Arbeitsmappe hochladen. {ACCEPTED}"
MSG_DAMAGED = f"Die Datei ist beschädigt oder unvollständig (z. B. abgebrochener Upload). {RESAVE}"
MSG_UNREADABLE = (
    "Die Datei konnte nicht als Arbeitsmappe gelesen werden; sie ist vermutlich beschädigt oder "
    f"in einem ungewöhnlichen Format gespeichert. Bitte in Excel oder LibreOffice öffnen, "
    f"als .xlsx speichern und erneut hochladen. {ACCEPTED}"
)
MSG_PASSWORD = (
    "Die Datei ist mit einem Passwort geschützt und kann deshalb nicht gelesen werden. "
    "Bitte den Kennwortschutz entfernen (in Excel: Datei > Informationen > Arbeitsmappe "
    "schützen > Mit Kennwort verschlüsseln, Kennwort löschen), speichern und erneut hochladen."
)
MSG_XLSB = (
    "Die Datei ist eine Excel-Binärarbeitsmappe (.xlsb). Bitte in Excel über „Speichern unter“ "
    f"als Excel-Arbeitsmappe (.xlsx) speichern und erneut hochladen. {ACCEPTED}"
)
MSG_BOMB_RATIO = (
    "Die Datei enthält ungewöhnlich stark komprimierte Inhalte und wird aus Sicherheitsgründen "
    "nicht verarbeitet. Bitte die Daten in eine neue, leere Vorlage kopieren, speichern und "
    "erneut hochladen."
)


def _msg_too_large(limit: int) -> str:
    return (
        f"Die Datei ist größer als {_format_size(limit)} und wird nicht angenommen. Bitte nur "
        "die Daten des Berichtsmonats eintragen, Bilder und nicht benötigte Blätter entfernen "
        "und die Datei erneut hochladen."
    )


def _msg_too_large_unpacked(limit: int) -> str:
    return (
        f"Die Datei ist entpackt größer als {_format_size(limit)} und wird aus "
        "Sicherheitsgründen nicht verarbeitet. Bitte Bilder und nicht benötigte Blätter "
        "entfernen, speichern und erneut hochladen."
    )


def _msg_too_many_rows(sheet: str, max_rows: int) -> str:
    return (
        f"Blatt „{sheet}“ hat mehr als {_format_int(max_rows)} Zeilen. Bitte nur die Daten des "
        "Berichtsmonats eintragen und alle Zeilen unterhalb der Tabelle löschen (auch Zeilen, "
        "die nur ein Leerzeichen oder eine Formel enthalten), dann erneut hochladen."
    )


def _msg_too_many_cells(sheet: str, rows: int, cols: int) -> str:
    return (
        f"Blatt „{sheet}“ reicht bis Zeile {_format_int(rows)} und Spalte {_column_letters(cols)}"
        " – das ist zu groß zum Verarbeiten. Vermutlich steht weit rechts oder unterhalb der "
        "Tabelle noch ein einzelner Eintrag. Bitte alle Spalten rechts und alle Zeilen unterhalb "
        "der Tabelle löschen, speichern und erneut hochladen."
    )


def _msg_not_a_workbook(kind: str | None, file_name: str) -> str:
    extension = posixpath.splitext(file_name.strip().lower())[1]
    if kind and extension in ACCEPTED_EXTENSIONS:
        what = f"Die Datei hat zwar die Endung {extension}, ist aber {kind}."
    elif kind:
        what = f"Die Datei ist {kind}, keine Arbeitsmappe."
    else:
        what = "Die Datei ist keine Arbeitsmappe, die gelesen werden kann."
    return (
        f"{what} Bitte die Vorlage in Excel oder LibreOffice ausfüllen, als .xlsx speichern "
        f"und erneut hochladen. {ACCEPTED}"
    )


def _format_int(number: int) -> str:
    """German thousands separator: 200000 -> '200.000'."""
    return f"{number:,}".replace(",", ".")


def _format_size(nbytes: int) -> str:
    """German size text: 20 MiB -> '20 MB', 1.5 MiB -> '1,5 MB', 4096 -> '4 KB'."""
    if nbytes >= MiB:
        text = f"{nbytes / MiB:.1f}".removesuffix(".0").replace(".", ",")
        return f"{text} MB"
    return f"{_format_int(max(1, round(nbytes / 1024)))} KB"


def _column_letters(number: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    """'A' -> 1, 'AA' -> 27."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - ord("A") + 1
    return number


# --- public data types --------------------------------------------------------------------


@dataclass
class RawSheet:
    """One sheet; ``rows[i]`` is spreadsheet row ``i + 1``; empty cells are None."""

    name: str
    rows: list[list[Cell]]
    # (row number 1-based, column index 0-based) of formula cells without a cached value
    formula_without_value: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class RawWorkbook:
    file_format: str  # "xlsx" | "xlsm" | "ods" | "xls"
    sheets: list[RawSheet]

    def sheet(self, name: str) -> RawSheet | None:
        """The sheet called ``name``, ignoring case and surrounding spaces."""
        wanted = name.strip().casefold()
        return next((s for s in self.sheets if s.name.strip().casefold() == wanted), None)


# --- format detection ---------------------------------------------------------------------


def sniff_format(data: bytes, file_name: str) -> str:
    """Return "xlsx", "xlsm", "ods" or "xls" judged by content; raise WorkbookRejected."""
    if not data:
        raise WorkbookRejected(MSG_EMPTY)
    head = bytes(data[:8])
    if head.startswith(ZIP_MAGIC):
        with _open_zip(data) as zf:
            return _sniff_zip(zf, file_name)
    if head == OLE2_MAGIC:
        return _sniff_ole2(data, file_name)
    raise WorkbookRejected(_msg_not_a_workbook(_describe(head, data), file_name))


def _sniff_zip(zf: zipfile.ZipFile, file_name: str) -> str:
    names = set(zf.namelist())
    if "[Content_Types].xml" in names:
        return _sniff_ooxml(zf, names, file_name)
    if "mimetype" in names:
        mimetype = _read_small(zf, "mimetype").strip()
        if mimetype == ODS_MIMETYPE:
            _reject_encrypted_ods(zf, names)
            return "ods"
        raise WorkbookRejected(_msg_not_a_workbook(_describe_odf(mimetype), file_name))
    raise WorkbookRejected(_msg_not_a_workbook("ein ZIP-Archiv", file_name))


def _sniff_ooxml(zf: zipfile.ZipFile, names: set[str], file_name: str) -> str:
    types = _read_small(zf, "[Content_Types].xml").lower()
    if b"sheet.binary" in types or "xl/workbook.bin" in names:
        raise WorkbookRejected(MSG_XLSB)
    macro_types = (b"ms-excel.sheet.macroenabled.main+xml", b"ms-excel.template.macroenabled")
    plain_types = (b"spreadsheetml.sheet.main+xml", b"spreadsheetml.template.main+xml")
    is_macro = any(t in types for t in macro_types)
    if not (is_macro or any(t in types for t in plain_types) or "xl/workbook.xml" in names):
        raise WorkbookRejected(_msg_not_a_workbook(_describe_ooxml(types), file_name))
    has_vba = b"vbaproject" in types or any(n.lower().endswith("vbaproject.bin") for n in names)
    return "xlsm" if is_macro or has_vba else "xlsx"


def _reject_encrypted_ods(zf: zipfile.ZipFile, names: set[str]) -> None:
    manifest = "META-INF/manifest.xml"
    if manifest in names and b"encryption-data" in _read_small(zf, manifest):
        raise WorkbookRejected(MSG_PASSWORD)


def _sniff_ole2(data: bytes, file_name: str) -> str:
    def has_stream(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has_stream("EncryptionInfo") or has_stream("EncryptedPackage"):
        raise WorkbookRejected(MSG_PASSWORD)
    if has_stream("Workbook") or has_stream("Book"):
        return "xls"
    kind = None
    if has_stream("WordDocument"):
        kind = "ein Word-Dokument"
    elif has_stream("PowerPoint Document"):
        kind = "eine PowerPoint-Präsentation"
    raise WorkbookRejected(_msg_not_a_workbook(kind, file_name))


def _describe(head: bytes, data: bytes) -> str | None:
    """A short German noun phrase for what a non-workbook file probably is."""
    if head.startswith(b"%PDF"):
        return "ein PDF-Dokument"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "ein Bild"
    if head.startswith(b"{\\rtf"):
        return "ein RTF-Textdokument"
    sample = bytes(data[:4096]).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith((b"<?xml", b"<html", b"<!doctype", b"<table")):
        return "eine Web- oder XML-Datei (z. B. ein Export aus einem Online-System)"
    if _looks_like_text(sample):
        return "eine Text- oder CSV-Datei"
    return None


def _looks_like_text(sample: bytes) -> bool:
    if not sample or b"\x00" in sample:
        return False
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    return controls == 0


def _describe_ooxml(content_types: bytes) -> str | None:
    if b"wordprocessingml" in content_types or b"ms-word" in content_types:
        return "ein Word-Dokument"
    if b"presentationml" in content_types or b"ms-powerpoint" in content_types:
        return "eine PowerPoint-Präsentation"
    return None


def _describe_odf(mimetype: bytes) -> str | None:
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "ein Textdokument (LibreOffice Writer)"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.presentation"):
        return "eine Präsentation (LibreOffice Impress)"
    if mimetype.startswith(ODS_MIMETYPE):
        return "eine LibreOffice-Vorlage (.ots)"
    return None


# --- ZIP helpers and guards ---------------------------------------------------------------


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise WorkbookRejected(MSG_DAMAGED) from exc


def _read_small(zf: zipfile.ZipFile, name: str) -> bytes:
    """Read a small member (at most 1 MiB are decompressed); damaged file on error."""
    try:
        with zf.open(name) as member:
            content = member.read(_SMALL_PART_LIMIT + 1)
    except RuntimeError as exc:  # member encrypted with a ZIP password
        raise WorkbookRejected(MSG_PASSWORD) from exc
    except (
        zipfile.BadZipFile,
        ValueError,
        EOFError,
        OSError,
        zlib.error,
        NotImplementedError,
    ) as exc:
        raise WorkbookRejected(MSG_DAMAGED) from exc
    if len(content) > _SMALL_PART_LIMIT:
        raise WorkbookRejected(MSG_DAMAGED)
    return content


def _check_declared_sizes(infos: list[zipfile.ZipInfo], max_unpacked: int) -> None:
    """Cheap checks on the central directory, before anything is decompressed."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise WorkbookRejected(MSG_BOMB_RATIO)
    if sum(info.file_size for info in infos) > max_unpacked:
        raise WorkbookRejected(_msg_too_large_unpacked(max_unpacked))
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookRejected(MSG_PASSWORD)
        if info.file_size > MiB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise WorkbookRejected(MSG_BOMB_RATIO)


def _member_chunks(data: memoryview, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Decompress one member from its raw bytes, ignoring its declared uncompressed size."""
    offset = info.header_offset
    header = bytes(data[offset : offset + 30])
    if len(header) < 30 or not header.startswith(ZIP_MAGIC):
        raise WorkbookRejected(MSG_DAMAGED)
    start = offset + 30 + int.from_bytes(header[26:28], "little")
    start += int.from_bytes(header[28:30], "little")
    raw = data[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        raise WorkbookRejected(MSG_DAMAGED)
    if info.compress_type == zipfile.ZIP_STORED:
        for pos in range(0, len(raw), CHUNK_SIZE):
            yield bytes(raw[pos : pos + CHUNK_SIZE])
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        yield from _inflate(raw)
    else:  # Excel and LibreOffice only write stored or deflated members
        raise WorkbookRejected(MSG_UNREADABLE)


def _inflate(raw: memoryview) -> Iterator[bytes]:
    """Raw-deflate ``raw``, yielding at most CHUNK_SIZE bytes at a time."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for pos in range(0, len(raw), 64 * 1024):
            pending = bytes(raw[pos : pos + 64 * 1024])
            while pending and not inflater.eof:
                yield inflater.decompress(pending, CHUNK_SIZE)
                pending = inflater.unconsumed_tail
        rest = inflater.flush()
    except zlib.error as exc:
        raise WorkbookRejected(MSG_DAMAGED) from exc
    if rest:
        yield rest
    if not inflater.eof:
        raise WorkbookRejected(MSG_DAMAGED)


def _stream_members(
    data: bytes, infos: list[zipfile.ZipInfo], max_unpacked: int, scans: dict[str, _TagScan]
) -> None:
    """Decompress every member in chunks, counting real bytes and checking CRC and size."""
    view = memoryview(data)
    total = 0
    for info in infos:
        produced, crc, scan = 0, 0, scans.get(info.filename)
        for chunk in _member_chunks(view, info):
            produced += len(chunk)
            total += len(chunk)
            if total > max_unpacked:
                raise WorkbookRejected(_msg_too_large_unpacked(max_unpacked))
            crc = zlib.crc32(chunk, crc)
            if scan is not None:
                scan.feed(chunk)
        if produced != info.file_size or crc != info.CRC:
            raise WorkbookRejected(MSG_DAMAGED)
        if scan is not None:
            scan.finish()


# --- OOXML structure ----------------------------------------------------------------------


def _local(tag: str) -> str:
    """Element name without namespace (works for transitional and strict OOXML)."""
    return tag.rsplit("}", 1)[-1]


def _resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def _relationships(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) for ``part``."""
    rels_part = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    result = {}
    with zf.open(rels_part) as stream:
        for elem in ET.parse(stream).getroot():
            if _local(elem.tag) == "Relationship" and elem.get("TargetMode") != "External":
                target = _resolve(part, elem.get("Target", ""))
                result[elem.get("Id", "")] = (elem.get("Type", ""), target)
    return result


def _worksheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name -> sheet name, from the workbook part and its relationships."""
    try:
        package = _relationships(zf, "")
        workbook = next(
            (t for kind, t in package.values() if kind.endswith("/officeDocument")),
            "xl/workbook.xml",
        )
        rels = _relationships(zf, workbook)
        with zf.open(workbook) as stream:
            sheets = [e for e in ET.parse(stream).iter() if _local(e.tag) == "sheet"]
    except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError, OSError, zlib.error):
        return {}  # leave the verdict to calamine
    parts = {}
    for sheet in sheets:
        rel_id = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        if rel_id in rels:
            parts[rels[rel_id][1]] = sheet.get("name", "")
    return parts


class _TagScan:
    """Feeds decompressed XML chunk by chunk; ``_scan`` only ever sees whole start tags."""

    _MAX_TAIL = 64 * 1024

    def __init__(self) -> None:
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        buffer = self._tail + chunk
        cut = buffer.rfind(b"<")
        if cut < 0 or buffer.find(b">", cut) >= 0:
            cut = len(buffer)  # the last tag is complete
        self._scan(buffer[:cut])
        self._tail = buffer[cut:]
        if len(self._tail) > self._MAX_TAIL:  # no legitimate tag is this long
            self._scan(self._tail)
            self._tail = b""

    def finish(self) -> None:
        self._scan(self._tail)
        self._tail = b""

    def _scan(self, text: bytes) -> None:
        raise NotImplementedError


_ROOT_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>/]")


@lru_cache(maxsize=8)
def _sheet_patterns(prefix: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """Regexes for cells with content (start tag not self-closing) and formula tags.

    ``prefix`` is the namespace prefix of the worksheet's root element ("" or e.g. "x:");
    matching it literally is much faster than allowing any prefix.
    """
    tag = re.escape(prefix)
    cell = re.compile(
        rb"<" + tag + rb"c\s[^>]*?\br\s*=\s*[\"']([A-Za-z]{1,3})([0-9]{1,9})[\"'][^>]*(?<!/)>"
    )
    return cell, re.compile(rb"<" + tag + rb"f[\s>/]")


class _SheetScan(_TagScan):
    """Extent of the cells that hold something, and whether any formula occurs."""

    def __init__(self) -> None:
        super().__init__()
        self.max_row = 0
        self.max_col = 0
        self.has_formula = False
        self._patterns: tuple[re.Pattern[bytes], re.Pattern[bytes]] | None = None

    def _scan(self, text: bytes) -> None:
        if self._patterns is None:  # look for the root element until it is found
            root = _ROOT_PREFIX.search(text)
            if root is not None:
                self._patterns = _sheet_patterns(root.group(1) or b"")
        cell_pattern, formula_pattern = self._patterns or _sheet_patterns(b"")
        if not self.has_formula and formula_pattern.search(text):
            self.has_formula = True
        refs = cell_pattern.findall(text)
        if refs:
            rows = set(map(itemgetter(1), refs))
            columns = set(map(itemgetter(0), refs))
            self.max_row = max(self.max_row, max(map(int, rows)))
            self.max_col = max(self.max_col, max(_column_number(c.decode()) for c in columns))


def _check_extent(sheet: str, rows: int, cols: int, max_rows: int) -> None:
    if rows > max_rows:
        raise WorkbookRejected(_msg_too_many_rows(sheet, max_rows))
    if rows * cols > MAX_CELLS:
        raise WorkbookRejected(_msg_too_many_cells(sheet, rows, cols))


def _guard_zip(data: bytes, file_format: str, max_unpacked: int, max_rows: int) -> dict[str, str]:
    """Run all ZIP guards; for OOXML return worksheet part -> sheet name of parts with formulas."""
    with _open_zip(data) as zf:
        infos = zf.infolist()
        _check_declared_sizes(infos, max_unpacked)
        parts = _worksheet_parts(zf) if file_format in ("xlsx", "xlsm") else {}
    scans = {part: _SheetScan() for part in parts}
    _stream_members(data, infos, max_unpacked, scans)
    for part, scan in scans.items():
        _check_extent(parts[part], scan.max_row, scan.max_col, max_rows)
    return {part: parts[part] for part, scan in scans.items() if scan.has_formula}


# --- formulas without cached value (OOXML) -----------------------------------------------


_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,9})$")


def _cell_position(ref: str | None, row: int, index: int) -> tuple[int, int]:
    """(row 1-based, column 0-based) of a cell; without ``r`` its place in the row counts."""
    match = _REF.match(ref or "")
    if match is None:
        return row, index
    return int(match.group(2)), _column_number(match.group(1)) - 1


def _is(elem: ET.Element, name: str) -> bool:
    tag = elem.tag
    return tag == name or tag.endswith("}" + name)


def _lacks_cached_value(cell: ET.Element) -> bool:
    children = {_local(child.tag): child for child in cell}
    if "f" not in children or "is" in children:
        return False
    value = children.get("v")
    if value is None:
        return True
    # An empty <v/> is a valid cached empty string only for string results.
    return not value.text and cell.get("t") not in ("str", "inlineStr")


def _formula_cells(stream: io.BufferedIOBase) -> set[tuple[int, int]]:
    """Positions of formula cells without cached value, parsed incrementally row by row."""
    found: set[tuple[int, int]] = set()
    row = 0
    for _, elem in ET.iterparse(stream, events=("end",)):
        if not _is(elem, "row"):
            continue
        row = int(elem.get("r") or row + 1)
        for index, cell in enumerate(elem):
            # <f> is the first child of a formula cell (CT_Cell: f, v, is, extLst)
            if len(cell) and _is(cell[0], "f") and _lacks_cached_value(cell):
                found.add(_cell_position(cell.get("r"), row, index))
        elem.clear()  # keep memory flat
    return found


def _attach_formula_cells(data: bytes, parts: dict[str, str], sheets: list[RawSheet]) -> None:
    by_name = {sheet.name: sheet for sheet in sheets}
    with _open_zip(data) as zf:
        for part, name in parts.items():
            if name not in by_name:
                continue
            try:
                with zf.open(part) as stream:
                    cells = _formula_cells(stream)
            except (ET.ParseError, ValueError, zipfile.BadZipFile, OSError) as exc:
                raise WorkbookRejected(MSG_DAMAGED) from exc
            by_name[name].formula_without_value = cells
            _cover(by_name[name].rows, cells)


def _cover(rows: list[list[Cell]], cells: set[tuple[int, int]]) -> None:
    """Extend ``rows`` with None so that every flagged cell exists in it.

    calamine leaves formula cells without value out of the used area, so such a cell may
    lie right of or below the rows read.
    """
    if not cells:
        return
    height = max(row for row, _ in cells)
    width = max(col for _, col in cells) + 1
    rows.extend([] for _ in range(height - len(rows)))
    for row in rows:
        if len(row) < width:
            row.extend([None] * (width - len(row)))


# --- reading with calamine ----------------------------------------------------------------


@contextmanager
def _calamine_errors() -> Iterator[None]:
    """Turn anything calamine raises (including Rust panics) into a German rejection."""
    try:
        yield
    except PasswordError as exc:
        raise WorkbookRejected(MSG_PASSWORD) from exc
    except WorkbookRejected:
        raise
    except Exception as exc:
        raise WorkbookRejected(MSG_UNREADABLE) from exc
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        if type(exc).__name__ == "PanicException":
            raise WorkbookRejected(MSG_UNREADABLE) from exc
        raise


def _read_sheets(data: bytes, max_rows: int) -> list[RawSheet]:
    with _calamine_errors():
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = book.sheets_metadata
    try:
        return [_read_sheet(book, meta.name, meta.typ, max_rows) for meta in metadata]
    finally:
        book.close()


def _read_sheet(book: CalamineWorkbook, name: str, typ: object, max_rows: int) -> RawSheet:
    if typ != SheetTypeEnum.WorkSheet:  # chart and dialog sheets hold no cell data
        return RawSheet(name, [])
    with _calamine_errors():
        sheet = book.get_sheet_by_name(name)
        start, end = sheet.start, sheet.end
    if start is None or end is None:
        return RawSheet(name, [])
    _check_extent(name, end[0] + 1, end[1] + 1, max_rows)
    with _calamine_errors():
        rows = sheet.to_python(skip_empty_area=False)
    return RawSheet(name, _clean(_anchor_at_a1(rows, start, end)))


def _anchor_at_a1(rows: list[list], start: tuple[int, int], end: tuple[int, int]) -> list[list]:
    """Pad rows/columns in front if calamine returned only the used area (not from A1)."""
    top, left = start
    width = end[1] + 1
    if left and rows and len(rows[-1]) == width - left:
        rows = [[None] * left + row for row in rows]
    if top and len(rows) == end[0] + 1 - top:
        rows = [[None] * width for _ in range(top)] + rows
    return rows


def _clean(rows: list[list]) -> list[list[Cell]]:
    """Empty strings become None; trailing rows that are entirely empty are dropped."""
    cleaned = [[None if value == "" else value for value in row] for row in rows]
    while cleaned and all(value is None for value in cleaned[-1]):
        cleaned.pop()
    return cleaned


# --- entry point --------------------------------------------------------------------------


def read_workbook(
    data: bytes,
    file_name: str,
    *,
    max_bytes: int = 20 * MiB,
    max_unpacked_bytes: int = 200 * MiB,
    max_rows: int = 200_000,
) -> RawWorkbook:
    """Check and read an uploaded workbook; raise WorkbookRejected with a German message."""
    if len(data) > max_bytes:
        raise WorkbookRejected(_msg_too_large(max_bytes))
    file_format = sniff_format(data, file_name)
    formula_parts: dict[str, str] = {}
    if file_format != "xls":
        formula_parts = _guard_zip(data, file_format, max_unpacked_bytes, max_rows)
    sheets = _read_sheets(data, max_rows)
    if formula_parts:
        _attach_formula_cells(data, formula_parts, sheets)
    return RawWorkbook(file_format, sheets)
