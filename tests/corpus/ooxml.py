"""Low-level editing of .xlsx packages: members, sheet XML, single cells, raw ZIP headers."""

from __future__ import annotations

import io
import posixpath
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape

MiB = 1024 * 1024
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

Change = bytes | Callable[[bytes], bytes] | None


def members(data: bytes) -> dict[str, bytes]:
    """Every member of a ZIP, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def build_zip(content: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, payload in content.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 8, 0, 0))
            info.compress_type = compression
            zf.writestr(info, payload)
    return buffer.getvalue()


def replace_members(data: bytes, changes: dict[str, Change]) -> bytes:
    """Copy a package; a change is new bytes, a function of the old bytes, or None (delete)."""
    content = members(data)
    for name, change in changes.items():
        if change is None:
            content.pop(name, None)
        elif callable(change):
            content[name] = change(content.get(name, b""))
        else:
            content[name] = change
    return build_zip(content)


def sheet_part(data: bytes, sheet: str) -> str:
    """The worksheet part (e.g. ``xl/worksheets/sheet6.xml``) of the sheet called ``sheet``."""
    content = members(data)
    book = ET.fromstring(content["xl/workbook.xml"])
    rels = ET.fromstring(content["xl/_rels/workbook.xml.rels"])
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    for elem in book.iter(f"{{{MAIN_NS}}}sheet"):
        if elem.get("name") == sheet:
            target = targets[elem.get(f"{{{REL_NS}}}id")]
            return target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    raise KeyError(sheet)


def patch_sheet(data: bytes, sheet: str, change: Callable[[bytes], bytes]) -> bytes:
    return replace_members(data, {sheet_part(data, sheet): change})


def excel_escape(text: str) -> str:
    """XML text as Excel writes it: control characters as ``_xHHHH_``."""
    escaped = escape(text)
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"_x{ord(m.group()):04X}_", escaped)


def text_cell(ref: str, text: str) -> bytes:
    """An inline-string cell: always text, even when it starts with ``=``."""
    body = f'<t xml:space="preserve">{excel_escape(text)}</t>'
    return f'<c r="{ref}" t="inlineStr"><is>{body}</is></c>'.encode()


def formula_cell(ref: str, formula: str, cached: str | None, kind: str = "n") -> bytes:
    """A formula cell with a cached value (``<v>``), or without one when ``cached`` is None."""
    value = "" if cached is None else f"<v>{escape(cached)}</v>"
    type_attr = ' t="str"' if kind == "str" else ""
    return f'<c r="{ref}"{type_attr}><f>{escape(formula)}</f>{value}</c>'.encode()


def set_cell(data: bytes, sheet: str, ref: str, cell_xml: bytes) -> bytes:
    """Replace the existing cell ``ref`` of ``sheet`` with ``cell_xml``."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)

    def change(xml: bytes) -> bytes:
        new, count = pattern.subn(lambda _m: cell_xml, xml, count=1)
        assert count == 1, f"cell {ref} not found in {sheet}"
        return new

    return patch_sheet(data, sheet, change)


def append_to_sheet_data(data: bytes, sheet: str, rows_xml: bytes) -> bytes:
    return patch_sheet(
        data, sheet, lambda xml: xml.replace(b"</sheetData>", rows_xml + b"</sheetData>")
    )


def stream_sheet_rows(data: bytes, sheet: str, chunks: Iterable[bytes]) -> bytes:
    """Append many rows to a sheet, writing the member in pieces (bounded memory)."""
    part = sheet_part(data, sheet)
    content = members(data)
    head, tail = content[part].split(b"</sheetData>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, payload in content.items():
            if name != part:
                zf.writestr(name, payload)
                continue
            with zf.open(name, "w", force_zip64=True) as member:
                member.write(head)
                for chunk in chunks:
                    member.write(chunk)
                member.write(b"</sheetData>" + tail)
    return buffer.getvalue()


def patch_declared_size(data: bytes, name: str, size: int) -> bytes:
    """Overwrite the uncompressed size of ``name`` in its local and central headers."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    struct.pack_into("<I", patched, info.header_offset + 22, size)
    central = patched.find(b"PK\x01\x02")
    while central >= 0:
        name_len = struct.unpack_from("<H", patched, central + 28)[0]
        if patched[central + 46 : central + 46 + name_len] == name.encode():
            struct.pack_into("<I", patched, central + 24, size)
            return bytes(patched)
        central = patched.find(b"PK\x01\x02", central + 4)
    raise AssertionError(f"central directory entry of {name} not found")


def overlapping_zip(base: dict[str, bytes], copies: int, payload: bytes) -> bytes:
    """A ZIP whose ``copies`` extra entries all point at one deflated ``payload``.

    The classic non-recursive ZIP bomb: the compressed bytes are stored once, but every
    central-directory entry claims them as its own member.
    """
    out = io.BytesIO()
    entries: list[tuple[bytes, int, int, int, int, int]] = []  # name, crc, csize, size, off, method

    def local(name: bytes, raw: bytes, crc: int, size: int, method: int) -> int:
        offset = out.tell()
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(raw), size, len(name), 0
        )
        out.write(header + name + raw)
        return offset

    for name, content in base.items():
        raw = _deflate(content)
        crc = zlib.crc32(content)
        offset = local(name.encode(), raw, crc, len(content), 8)
        entries.append((name.encode(), crc, len(raw), len(content), offset, 8))
    raw, crc = _deflate(payload), zlib.crc32(payload)
    shared = local(b"xl/media/bomb0.bin", raw, crc, len(payload), 8)
    entries += [
        (f"xl/media/bomb{i}.bin".encode(), crc, len(raw), len(payload), shared, 8)
        for i in range(copies)
    ]
    start = out.tell()
    for name, crc, csize, size, offset, method in entries:
        out.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                csize,
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    size = out.tell() - start
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), size, start, 0)
    )
    return out.getvalue()


def _deflate(content: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(content) + compressor.flush()
