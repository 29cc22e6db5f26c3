"""Builders of broken and hostile files, each from the valid base report of ``tests.factories``.

Every function returns the file's bytes; nothing is written to disk. The big ones stream
their worksheet XML so that building them needs little memory.
"""

from __future__ import annotations

import base64
import random
import zipfile
import zlib
from collections.abc import Iterator

from tests.corpus.ods import empty_cell as ods_empty
from tests.corpus.ods import ods
from tests.corpus.ods import row as ods_row
from tests.corpus.ods import text_cell as ods_text
from tests.corpus.ooxml import (
    MiB,
    build_zip,
    formula_cell,
    members,
    overlapping_zip,
    patch_declared_size,
    replace_members,
    set_cell,
    sheet_part,
    stream_sheet_rows,
)
from tests.factories import workbook

LAST_ROW = 1_048_576  # the last row an .xlsx sheet can have
EXTERNAL_LINK_TYPE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink"
)
EXTERNAL_PATH_TYPE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath"
)
VBA_TYPE = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
PLAIN_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

# --- not a workbook, damaged ---------------------------------------------------------------


def truncated(keep: int | float) -> bytes:
    """The base report cut off after ``keep`` bytes, or that share of its length (0 < keep < 1);
    a negative ``keep`` drops that many bytes from the end."""
    data = workbook()
    return data[: int(len(data) * keep)] if isinstance(keep, float) else data[:keep]


def random_bytes(size: int = 8192, seed: int = 6) -> bytes:
    return random.Random(seed).randbytes(size)


CSV_TEXT = "Partner;Berichtsmonat;Größe\nDO;2025-03;Müller Straße 1\n"


def csv_file(encoding: str) -> bytes:
    return CSV_TEXT.encode(encoding)


# --- ZIP bombs -----------------------------------------------------------------------------


def ratio_bomb(megabytes: int = 50) -> bytes:
    """A real report whose Ausgaben sheet is padded with ``megabytes`` MiB of blanks."""
    pad = b" " * MiB
    return stream_sheet_rows(workbook(), "Ausgaben", (pad for _ in range(megabytes)))


def declared_size_bomb() -> bytes:
    """A report whose Ausgaben sheet claims to unpack to 3.75 GiB."""
    data = workbook()
    return patch_declared_size(data, sheet_part(data, "Ausgaben"), 0xF000_0000)


def _pseudo_text(size: int) -> bytes:
    """Text that compresses about 3:1 (under any ratio limit)."""
    rng = random.Random(1)
    words = [f"<row r='{i}'>{rng.randrange(10**9)}</row>".encode() for i in range(size // 20 + 1)]
    return b"".join(words)[:size]


def lying_size_zip(real: int = 3 * MiB, declared: int = 1000) -> bytes:
    """A report with an extra member of ``real`` bytes whose headers claim ``declared``."""
    data = replace_members(workbook(), {"xl/media/notes.xml": _pseudo_text(real)})
    return patch_declared_size(data, "xl/media/notes.xml", declared)


def many_entries(count: int = 10_001) -> bytes:
    extra = {f"xl/media/x{i}.bin": b"" for i in range(count)}
    return replace_members(workbook(), extra)


def overlapping_bomb(copies: int = 400) -> bytes:
    """Non-recursive ZIP bomb: ``copies`` entries share one deflated MiB of zeros."""
    return overlapping_zip(members(workbook()), copies, bytes(MiB))


# --- huge sheets ---------------------------------------------------------------------------


def cell_in_last_row() -> bytes:
    """One value in row 1,048,576 of Ausgaben, far below the table."""
    row = f'<row r="{LAST_ROW}"><c r="A{LAST_ROW}" t="n"><v>1</v></c></row>'.encode()
    return stream_sheet_rows(workbook(), "Ausgaben", [row])


def _rows(template: bytes, first: int = 4, last: int = LAST_ROW) -> Iterator[bytes]:
    step = 20_000
    for start in range(first, last + 1, step):
        stop = min(start + step, last + 1)
        yield b"".join(template.replace(b"%d", str(i).encode()) for i in range(start, stop))


def empty_rows() -> bytes:
    """About a million ``<row/>`` elements without cells below the Ausgaben table."""
    return stream_sheet_rows(workbook(), "Ausgaben", _rows(b'<row r="%d"/>'))


def formatted_empty_rows() -> bytes:
    """About a million rows that hold only a formatted empty cell (no value)."""
    return stream_sheet_rows(workbook(), "Ausgaben", _rows(b'<row r="%d"><c r="A%d" s="1"/></row>'))


# --- formulas, external links, macros ------------------------------------------------------


def formula_with_cached_value(formula: str = "1000+234.56", cached: str = "1234.56") -> bytes:
    """Ausgaben D2 (Betrag) as a formula whose last result is stored in the file."""
    return set_cell(workbook(), "Ausgaben", "D2", formula_cell("D2", formula, cached))


def _add_relationship(rels: bytes, rel_id: str, rel_type: str, target: str) -> bytes:
    rel = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"/>'
    return rels.replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def _add_override(types: bytes, part: str, content_type: str) -> bytes:
    override = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
    return types.replace(b"</Types>", override.encode() + b"</Types>")


def external_link(target: str, cached: str | None = "1234.56") -> bytes:
    """Betrag in Ausgaben D2 = ``[1]Tabelle1!A1``, a cell of another workbook at ``target``.

    The package has a real externalLink part whose relationship points at ``target``
    (TargetMode External), with Excel's cached copy of the linked value.
    """
    data = set_cell(workbook(), "Ausgaben", "D2", formula_cell("D2", "[1]Tabelle1!A1", cached))
    link = (
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<externalBook r:id="rId1"><sheetNames><sheetName val="Tabelle1"/></sheetNames>'
        b'<sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1"><v>1234.56</v></cell>'
        b"</row></sheetData></sheetDataSet></externalBook></externalLink>"
    )
    link_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{EXTERNAL_PATH_TYPE}" Target="{target}" '
        'TargetMode="External"/></Relationships>'
    ).encode()
    refs = b'<externalReferences><externalReference r:id="rIdX1"/></externalReferences>'
    return replace_members(
        data,
        {
            "xl/externalLinks/externalLink1.xml": link,
            "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels,
            "xl/workbook.xml": lambda xml: xml.replace(b"</sheets>", b"</sheets>" + refs),
            "xl/_rels/workbook.xml.rels": lambda rels: _add_relationship(
                rels, "rIdX1", EXTERNAL_LINK_TYPE, "externalLinks/externalLink1.xml"
            ),
            "[Content_Types].xml": lambda types: _add_override(
                types,
                "xl/externalLinks/externalLink1.xml",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml",
            ),
        },
    )


VBA_SOURCE = (
    b'Attribute VB_Name = "Modul1"\r\nSub Auto_Open()\r\n'
    b'    Shell "touch /tmp/foerdercockpit-macro-ran"\r\nEnd Sub\r\n'
)


def macro_workbook() -> bytes:
    """The base report saved as .xlsm: a VBA project with an Auto_Open macro."""
    ole2 = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + VBA_SOURCE
    auto_open = (
        b'<definedNames><definedName name="Auto_Open">Meta!$A$1</definedName></definedNames>'
    )
    return replace_members(
        workbook(),
        {
            "xl/vbaProject.bin": ole2,
            "[Content_Types].xml": lambda types: types.replace(
                PLAIN_MAIN.encode(), MACRO_MAIN.encode()
            ).replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                b"</Types>",
            ),
            "xl/_rels/workbook.xml.rels": lambda rels: _add_relationship(
                rels, "rIdVba", VBA_TYPE, "vbaProject.bin"
            ),
            "xl/workbook.xml": lambda xml: xml.replace(b"<definedNames />", auto_open),
        },
    )


def xml_encoding(encoding: str) -> bytes:
    """The base report; its Ausgaben sheet XML (with umlauts) re-encoded, declared in the header."""

    def change(xml: bytes) -> bytes:
        body = xml.decode("utf-8").replace("Raummiete", "Raummiete für Größe")
        text = f'<?xml version="1.0" encoding="{encoding}"?>' + body
        return text.encode(encoding, "xmlcharrefreplace")

    data = workbook()
    return replace_members(data, {sheet_part(data, "Ausgaben"): change})


def stored_without_compression() -> bytes:
    """The base report with every member stored (no deflate): unusual but valid."""
    return build_zip(members(workbook()), zipfile.ZIP_STORED)


# --- declared cells: repeats (.ods) and cells without a reference (.xlsx) ------------------


def ods_repeat_bomb() -> bytes:
    """About 800 bytes: 4,000 repeated rows of one text cell repeated 16,384 times (65 M cells)."""
    return ods({"Tabelle1": ods_row(ods_text("x", repeat=16_384), repeat=4_000)})


def ods_value_below_empty_rows() -> bytes:
    """One value below a million repeated empty rows (row 1,048,001)."""
    return ods({"Tabelle1": ods_row(ods_empty(), repeat=1_048_000) + ods_row(ods_text("x"))})


def xlsx_cells_without_reference(row: int = 150_000, cells: int = 16_000) -> bytes:
    """Row ``row`` of Ausgaben with ``cells`` cells without ``r``: calamine places them in
    columns 1..cells, so the sheet spans ``row`` x ``cells`` cells."""
    cell = b'<c t="inlineStr"><is><t>x</t></is></c>'
    return stream_sheet_rows(
        workbook(), "Ausgaben", [f'<row r="{row}">'.encode(), cell * cells, b"</row>"]
    )


def ods_space_bomb(spaces: int = 100_000_000, cells: int = 64) -> bytes:
    """``cells`` repeated cells, each with one ``text:s`` standing for ``spaces`` spaces."""
    cell = (
        f'<table:table-cell table:number-columns-repeated="{cells}" office:value-type="string">'
        f'<text:p>a<text:s text:c="{spaces}"/>b</text:p></table:table-cell>'
    )
    return ods({"Tabelle1": ods_row(cell)})


SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def shared_string_amplification(refs: int = 20_000) -> bytes:
    """One incompressible shared string of 1 MiB that ``refs`` cells of Ausgaben refer to:
    calamine copies it into every cell (20 GB from a file of under 1 MB)."""
    text = base64.b64encode(random.Random(3).randbytes(3 << 18))
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>' + text + b"</t></si></sst>"
    )
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/>'
    relation = f'<Relationship Id="rIdSst" Type="{SST_REL}" Target="sharedStrings.xml"/>'
    data = replace_members(
        workbook(),
        {
            "xl/sharedStrings.xml": sst,
            "[Content_Types].xml": lambda x: x.replace(
                b"</Types>", override.encode() + b"</Types>"
            ),
            "xl/_rels/workbook.xml.rels": lambda x: x.replace(
                b"</Relationships>", relation.encode() + b"</Relationships>"
            ),
        },
    )
    row = '<row r="{0}"><c r="K{0}" t="s"><v>0</v></c></row>'
    return stream_sheet_rows(data, "Ausgaben", [row.format(i).encode() for i in range(4, refs + 4)])


# An .xls (BIFF8) saved by LibreOffice 7 from a sheet with values in A1 and IV65536 only, the
# last cell of the format; zlib-compressed and base64-coded (5,632 bytes as a file).
_FAR_XLS = (
    "eNrtV01sVFUUPvfNdPpmKO1roYotlIFEKe1AICRao9iB8ptIarD+xDSRYXylI0NnMowJLNTBysZAomGhCxJD0gWJ"
    "iUJIdKGJ7Y4FRjcsNJoUVhpcPI2EsKDP75x3X3kdOsnMgBp1zuTc8+bcn3Pv+bvnfvdt++y5i13XqAyeohDNuVGK"
    "BHgKaPp/LCJD8+Zc1/XZbgP+VXBHU7ZhGPZrArLNm7Vdo5o24L8J+ymHX5HitJMmQAt0nGqBh+AxwfWqmTNX5bhq"
    "oSG/fvmcvzmPh4Dl8c+5nuM/BlwCbAEuBbYC27wrgNqBHcBlwOXATvEJooeBK7SsLk0ZV+G7B7ha89aArm3kmH8M"
    "oiasGGmiL5deYZOL7a/BIy6EZ8QvrgNHKc++MZTKpuN/F2yXPaQU72EaTroVX4rOgttKnwn3K2m3ivcBkhQf0B79"
    "spGUvZ+Wdq20rcTzv5A5PwhnM/zwR/Hy9yUIFDWrIUpRljJ0EHkwgxFddJnj620ZwdGhtkkPj7qf3p5wC01xjO22"
    "J+xCKjsrsTNFN914IE6n48zn6cL/ozq+USOf/nf8KehuMT33e+Odcv76CvxEBX5fBX70Hv4ZA3FVIpepVQoJbS9F"
    "hHaUwkKXlZqFLi81uQfEf08iC4+Exafo+XHbLp5CeCr8ZpQJJBo5regGvcJJ2tkvoiIOJ2OOYr9oD+IWWuJwGH2N"
    "YDDphELSN6dVEm2Sen6zvLRvIv2bSOvmLWT+tNlJafOuCjs1Nfiu8HKKtSCntEDwa9gQR2G7bMKCqA1DK29cf7xr"
    "8FXhl+6+LuhR1gwl1An0zIT7ZEa/tO/IWP+umRTeu9I+Nj//58F1ge/e+W9ncH3g+xxyQxS7IlGeAWkJtaIlMjlz"
    "YHbQp4peQI9Jb8rtR+o9s02ftDVwg3JjGpb+n/AiXrXRW6IPvi1ZBzxCrl61cATzvBG/0nOsI2ePpx/H9NcP8xoh"
    "Z5OsFXZ6hR91rEVud4NiMo/n8G3+jNFBn0e8FEn0tJyXaBWvFzgA4BCse8gMLqT8iiJWsZZQuLlDMa8GsUzD82uv"
    "a1c3mn2ZdCF3NDdWjO88lraz8Sef2DCSOmhns7YceHtmbGzgfmof5Xl03TDH5lhkCVbK7MmPf789PG598oFJ/esu"
    "fc/a/0jXRkrrk710j66TRrWmxnW9VNQ1U0nXTad0rfXLHa8G4jm5vD2RP34sS7ou4v5Nem0f7vl2z19xJn9Swe8H"
    "fX7mGFe/uXp2Y7d15kOcP3H70x2cccp4o7rO81OJFTjjs7quZIjr/gHdnwzUnqyrbfn8i3bhaCY3sVBHrN8tGzdT"
    "A/4aeJDvP7F/WQ5YbA77xLRONC9BeoEOo+LifRyuef8d8BZD+4lbw7uqL+LH+RDkHkGFO4w9vF6X/FDgDVbNnEeA"
    "e+fzzDDqQbtu+8Ugv9b3X7d+q+kKgt7A+Y+gLmXb74UXjIlNmFNEvZoDpzL0avlNNeh/JfDyvPwdkJCWPdjigbXt"
    "Z6CO83MuOt94/wv8Cb8HFg0="
)


def xls_far_cell() -> bytes:
    """5.6 KB .xls: calamine builds its dense 65,536 x 256 range (~1 GB) before any check."""
    return zlib.decompress(base64.b64decode("".join(_FAR_XLS)))
