"""Format detection by content (magic bytes, ZIP members), never by file name.

Returns "xlsx", "xlsm", "ods" or "xls", or rejects the file with a message that says what it
probably is instead (PDF, image, CSV, Word document, .xlsb, password-protected, ...).
"""

from __future__ import annotations

import zipfile

from etl.core.errors import WorkbookRejected
from etl.intake.reader.messages import MSG_EMPTY, MSG_PASSWORD, MSG_XLSB, _msg_not_a_workbook
from etl.intake.reader.zipguard import ZIP_MAGIC, _open_zip, _read_small

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


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
