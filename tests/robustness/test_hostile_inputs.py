"""A corpus of broken and hostile files, each through the real upload path on each backend.

Every case states its exact outcome: refused as a whole (the reader's German message),
rejected with a located error (sheet, row, column, words of the message), or accepted
with the normalised values checked in the warehouse. For every case the file is archived
unchanged inside the archive folder, and a rejected file changes no fact row.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache

import pytest
from sqlalchemy import select

from etl.intake.ingest import IngestResult, ingest_bytes
from etl.intake.reader.messages import (
    MSG_BOMB_RATIO,
    MSG_DAMAGED,
    MSG_EMPTY,
    MSG_PASSWORD,
    MSG_UNREADABLE,
    MSG_XLSB,
    MiB,
    _msg_not_a_workbook,
    _msg_too_large,
    _msg_too_large_unpacked,
    _msg_too_many_cells,
    _msg_too_many_rows,
    _msg_too_many_spaces,
    _msg_too_much_text,
)
from etl.warehouse import schema as s
from tests.corpus import hostile
from tests.corpus.ooxml import build_zip, formula_cell, replace_members, set_cell, text_cell
from tests.etl.intake.test_contract import RULES
from tests.factories import month_report, sheets, workbook
from tests.robustness.helpers import (
    archived_files,
    assert_consistent,
    fact_snapshot,
    outcome,
    uploads,
)
from tests.robustness.tally import count

BASELINE_AT = datetime(2025, 6, 2, 9, 0)
CASE_AT = datetime(2025, 6, 20, 9, 0)
DDE = "=cmd|' /C calc'!A0"


# --- expected outcomes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    """The file is refused as a whole with exactly this message (no sheet, row, column)."""

    message: str


@dataclass(frozen=True)
class Located:
    """Rejected; one error sits at (sheet, row, column) and its message contains ``words``."""

    sheet: str
    row: int | None
    column: str | None
    words: str


Check = Callable[[object, int], None]  # (connection, upload id) -> asserts


@dataclass(frozen=True)
class Accepted:
    """Accepted without errors; ``check`` asserts the normalised values stored."""

    check: Check | None = None
    file_format: str = "xlsx"


@dataclass(frozen=True)
class Either:
    """Accepted (values checked), or rejected with a located error: both are acceptable."""

    accepted: Accepted
    located: Located


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[], bytes]
    expect: Refused | Located | Accepted | Either
    file_name: str = "bericht.xlsx"
    limits: dict = field(default_factory=dict)
    stored: bool = True  # False: refused before anything is stored (no file, no upload row)


# --- values stored -------------------------------------------------------------------------


def stored(conn, table, column: str, upload_id: int) -> list:
    query = (
        select(table.c[column]).where(table.c.upload_id == upload_id).order_by(table.c.source_row)
    )
    return list(conn.scalars(query))


def expect_values(table, column: str, values: list) -> Check:
    def check(conn, upload_id: int) -> None:
        assert stored(conn, table, column, upload_id) == values

    return check


def expect_base_amounts(conn, upload_id: int) -> None:
    """The base report's receipts: 1.234,56 € and 89,90 €."""
    assert stored(conn, s.expenditure, "amount_cents", upload_id) == [123456, 8990]


BIDI_TITLE = "Energie\u200b\u202eeffizienz\u202c"


def expect_companies(n: int) -> Check:
    """The upload's participations name ``n`` distinct companies."""

    def check(conn, upload_id: int) -> None:
        assert len(set(stored(conn, s.participations, "company_id", upload_id))) == n

    return check


# --- builders ------------------------------------------------------------------------------


def edited(sheet: str, index: int, column: str, value) -> Callable[[], bytes]:
    """The base report with one cell changed (written by etl.documents.workbook)."""

    def build() -> bytes:
        data = sheets()
        data[sheet][index][column] = value
        return workbook(data=data)

    return build


def broken_rule(mutate) -> Callable[[], bytes]:
    def build() -> bytes:
        data = sheets()
        mutate(data)
        return workbook(data=data)

    return build


def cell(sheet: str, ref: str, xml: bytes) -> Callable[[], bytes]:
    """The base report with one cell's XML replaced (text cells, formulas)."""
    return lambda: set_cell(workbook(), sheet, ref, xml)


def renamed_sheet(old: str, new: str) -> bytes:
    return replace_members(
        workbook(),
        {
            "xl/workbook.xml": lambda xml: xml.replace(
                f'name="{old}"'.encode(), f'name="{new}"'.encode()
            )
        },
    )


def with_extra_sheet(name: str) -> bytes:
    return workbook(data={**sheets(), name: [["Notiz"], ["nur für uns"]]})


def without_version_row() -> bytes:
    return workbook(data={**sheets(), "Meta": [["Partner", "DO"], ["Berichtsmonat", "2025-03"]]})


def shouting_headers() -> bytes:
    headers = {
        "Ausgaben": [
            "BELEGNUMMER",
            " datum ",
            "KostenArt",
            "Betrag (EUR)",
            "modul",
            "Beschreibung",
        ],
        "Coachings": ["ID", "DATUM", "Unternehmen", "Modul", "Stunden [h]", "Thema"],
    }
    return workbook(headers=headers)


def ooxml_parts(types: bytes) -> bytes:
    return build_zip({"[Content_Types].xml": types, "word/document.xml": b"<w:document/>"})


DOCX_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
XLSB_TYPES = DOCX_TYPES.replace(
    b"openxmlformats-officedocument.wordprocessingml.document.main+xml",
    b"ms-excel.sheet.binary.macroEnabled.main",
)
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
NAME = "bericht.xlsx"


def not_workbook(kind: str | None, name: str = NAME) -> Refused:
    return Refused(_msg_not_a_workbook(kind, name))


# --- the corpus ----------------------------------------------------------------------------

DAMAGED = [
    Case("truncated-half", lambda: hostile.truncated(0.5), Refused(MSG_DAMAGED)),
    Case("truncated-central-directory", lambda: hostile.truncated(-22), Refused(MSG_DAMAGED)),
    Case("truncated-first-30-bytes", lambda: hostile.truncated(30), Refused(MSG_DAMAGED)),
    Case("empty-file", lambda: b"", Refused(MSG_EMPTY)),
    Case("random-bytes", hostile.random_bytes, not_workbook(None)),
    Case("csv-utf8", lambda: hostile.csv_file("utf-8"), not_workbook("eine Text- oder CSV-Datei")),
    Case(
        "csv-utf8-bom",
        lambda: hostile.csv_file("utf-8-sig"),
        not_workbook("eine Text- oder CSV-Datei"),
    ),
    Case(
        "csv-latin1", lambda: hostile.csv_file("latin-1"), not_workbook("eine Text- oder CSV-Datei")
    ),
    Case("csv-utf16", lambda: hostile.csv_file("utf-16"), not_workbook(None)),
    Case("pdf", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", not_workbook("ein PDF-Dokument")),
    Case(
        "html-export-as-xls",
        lambda: b"<html><body><table><tr><td>DO</td></tr></table></body></html>",
        not_workbook(
            "eine Web- oder XML-Datei (z. B. ein Export aus einem Online-System)", "export.xls"
        ),
        file_name="export.xls",
    ),
    Case("plain-zip", lambda: build_zip({"notes.txt": b"hallo"}), not_workbook("ein ZIP-Archiv")),
    Case("docx-renamed", lambda: ooxml_parts(DOCX_TYPES), not_workbook("ein Word-Dokument")),
    Case("xlsb", lambda: ooxml_parts(XLSB_TYPES), Refused(MSG_XLSB), file_name="bericht.xlsb"),
    Case(
        "encrypted-ooxml",
        lambda: OLE2 + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(512),
        Refused(MSG_PASSWORD),
    ),
    Case(
        "garbage-xls",
        lambda: OLE2 + bytes(504) + "Workbook".encode("utf-16-le") + b"\x17" * 2000,
        Refused(MSG_UNREADABLE),
        file_name="alt.xls",
    ),
    Case("sheet-xml-utf16", lambda: hostile.xml_encoding("UTF-16"), Refused(MSG_UNREADABLE)),
    Case("sheet-xml-latin1", lambda: hostile.xml_encoding("ISO-8859-1"), Refused(MSG_UNREADABLE)),
    Case("stored-not-deflated", hostile.stored_without_compression, Accepted(expect_base_amounts)),
]

BOMBS = [
    Case("zip-bomb-ratio-50MiB", cache(hostile.ratio_bomb), Refused(MSG_BOMB_RATIO)),
    Case(
        "zip-bomb-declared-3.75GiB",
        hostile.declared_size_bomb,
        Refused(_msg_too_large_unpacked(200 * MiB)),
    ),
    Case("zip-lying-size-under-limit", cache(hostile.lying_size_zip), Refused(MSG_DAMAGED)),
    Case(
        "zip-lying-size-over-limit",
        cache(hostile.lying_size_zip),
        Refused(_msg_too_large_unpacked(MiB)),
        limits={"max_unpacked_bytes": MiB},
    ),
    Case("zip-10001-entries", cache(hostile.many_entries), Refused(MSG_BOMB_RATIO)),
    Case(
        "zip-overlapping-400MiB",
        hostile.overlapping_bomb,
        Refused(_msg_too_large_unpacked(200 * MiB)),
    ),
    # within MAX_UNPACKED_MB the shared entries cost bounded work and are ignored
    Case(
        "zip-overlapping-150MiB",
        lambda: hostile.overlapping_bomb(150),
        Accepted(expect_base_amounts),
    ),
    Case(
        "upload-too-large",
        workbook,
        Refused(_msg_too_large(4096)),
        limits={"max_upload_bytes": 4096},
        stored=False,
    ),
]

# More cells declared than the file holds: calamine would allocate every one of them.
DECLARED_CELLS = [
    Case(
        "ods-4000-rows-x-16384-repeated-cells",
        hostile.ods_repeat_bomb,
        Refused(_msg_too_many_cells("Tabelle1", 4_000, 16_384)),
        file_name="bericht.ods",
    ),
    Case(
        "ods-value-below-1M-repeated-empty-rows",
        hostile.ods_value_below_empty_rows,
        Refused(_msg_too_many_rows("Tabelle1", 200_000)),
        file_name="bericht.ods",
    ),
    Case(
        "ods-64-cells-of-100M-spaces",
        hostile.ods_space_bomb,
        Refused(_msg_too_many_spaces("Tabelle1", 10_000_000)),
        file_name="bericht.ods",
    ),
    Case(
        "xlsx-1MiB-shared-string-in-20000-cells",
        hostile.shared_string_amplification,
        Refused(_msg_too_much_text("Ausgaben", 256 * MiB)),
    ),
    # Bounded by the format (65,536 x 256 cells), but ~1 GB in calamine before the extent
    # check can run: contained by the reader child's memory budget.
    Case(
        "xls-value-in-IV65536",
        hostile.xls_far_cell,
        Refused(_msg_too_many_cells("Sheet", 65_536, 256)),
        file_name="alt.xls",
    ),
    Case(
        "xlsx-16000-cells-without-reference",
        hostile.xlsx_cells_without_reference,
        Refused(_msg_too_many_cells("Ausgaben", 150_000, 16_000)),
    ),
]

FORMULAS_LINKS_MACROS = [
    Case(
        "formula-without-cached-value",
        edited("Ausgaben", 0, "Betrag", "=1000+234.56"),
        Located("Ausgaben", 2, "Betrag", "Formel ohne berechneten Wert"),
    ),
    Case(
        "formula-with-cached-value",
        hostile.formula_with_cached_value,
        Accepted(expect_base_amounts),
    ),
    Case(
        "external-link-unc-cached",
        lambda: hostile.external_link(r"\\fileserver.example\share\Kosten.xlsx"),
        Accepted(expect_base_amounts),
    ),
    Case(
        "external-link-file-uncached",
        lambda: hostile.external_link("file:///etc/passwd", cached=None),
        Located("Ausgaben", 2, "Betrag", "Formel ohne berechneten Wert"),
    ),
    Case(
        "dde-formula-cached-text",
        cell("Teilnehmende", "B2", formula_cell("B2", DDE[1:], "Müller Metallbau GmbH", "str")),
        Accepted(
            expect_values(
                s.participations,
                "company_name",
                ["Müller Metallbau GmbH", "Schulte Logistik AG", "MÜLLER METALLBAU G.m.b.H."],
            )
        ),
    ),
    Case(
        "dde-formula-uncached",
        edited("Teilnehmende", 0, "Unternehmen", DDE),
        Located("Teilnehmende", 2, "Unternehmen", "Formel ohne berechneten Wert"),
    ),
    Case(
        "xlsm-with-auto-open-macro",
        hostile.macro_workbook,
        Accepted(expect_base_amounts, file_format="xlsm"),
        file_name="bericht.xlsm",
    ),
    Case(
        "xlsm-named-xlsx",
        hostile.macro_workbook,
        Accepted(expect_base_amounts, file_format="xlsm"),
    ),
]

TEMPLATE_VERSION = [
    Case(
        "template-version-3",
        lambda: workbook(template_version=3),
        Located("Meta", 5, "Wert", "Vorlagenversion 3 wird nicht unterstützt"),
    ),
    Case(
        "template-version-text",
        lambda: workbook(template_version="Version eins"),
        Located("Meta", 5, "Wert", "ist keine Zahl"),
    ),
    Case(
        "template-version-missing",
        without_version_row,
        Located("Meta", None, "Feld", "Das Feld 'Vorlagenversion' fehlt"),
    ),
    Case("template-version-1.0", lambda: workbook(template_version="1,0"), Accepted()),
]

CONTRACT_RULES = [
    Case(f"rule-{sheet}-{column}-{i}", broken_rule(mutate), Located(sheet, row, column, words))
    for i, (mutate, sheet, row, column, words) in enumerate(RULES)
]

LONG = "Energieeffizienz " * 600  # 10,200 characters (10,199 without the trailing space)
UMLAUTS = "Äöü" * 100  # 300 characters, its matching key "aeoeue" * 100 has 600

UNICODE = [
    Case(
        "rtl-arabic-hebrew",
        edited("Veranstaltungen", 0, "Titel", "ورشة عمل: الطاقة المتجددة – סדנה"),
        Accepted(
            expect_values(
                s.events,
                "title",
                ["ورشة عمل: الطاقة المتجددة – סדנה", "Netzwerktreffen Kreislaufwirtschaft"],
            )
        ),
    ),
    Case(
        "emoji",
        edited("Teilnehmende", 1, "Unternehmen", "Café ☕ Rösterei 🚀 GmbH"),
        Accepted(
            expect_values(
                s.participations,
                "company_name",
                ["Müller Metallbau GmbH", "Café ☕ Rösterei 🚀 GmbH", "MÜLLER METALLBAU G.m.b.H."],
            )
        ),
    ),
    Case(
        "combining-characters-nfc",
        edited("Teilnehmende", 0, "Unternehmen", "Mu\u0308ller Metallbau GmbH"),
        Accepted(expect_companies(2)),  # NFC: the same company as row 4
    ),
    Case(
        "partner-name-decomposed",
        lambda: workbook(partner="Wirtschaftsfo\u0308rderung Dortmund"),
        Accepted(),
    ),
    Case(
        "bidi-override-and-zero-width",
        edited("Veranstaltungen", 0, "Titel", BIDI_TITLE),  # stored without the invisible ones
        Accepted(
            expect_values(
                s.events, "title", ["Energieeffizienz", "Netzwerktreffen Kreislaufwirtschaft"]
            )
        ),
    ),
    Case(
        "no-break-spaces-around-id",
        edited("Veranstaltungen", 0, "ID", "\u00a0DO-V-01\u202f"),
        Accepted(expect_values(s.events, "event_id", ["DO-V-01", "DO-V-02"])),
    ),
    Case(
        "tab-newline-folded",
        edited("Veranstaltungen", 0, "Titel", "Energie-\n\teffizienz  im\r\nMittelstand"),
        Accepted(
            expect_values(
                s.events,
                "title",
                ["Energie- effizienz im Mittelstand", "Netzwerktreffen Kreislaufwirtschaft"],
            )
        ),
    ),
    # C0 control characters (but tab, line feed, carriage return) are removed by the reader:
    # invisible in the sheet, terminal escapes in CLI output, NUL unstorable in PostgreSQL
    Case(
        "control-characters-removed",
        cell("Ausgaben", "F2", text_cell("F2", "Raum\x07miete \x1b[31mrot\x1b[0m")),
        Accepted(
            expect_values(s.expenditure, "description", ["Raummiete [31mrot[0m", "Bahnfahrt"])
        ),
    ),
    Case(
        "nul-character-in-text",
        cell("Ausgaben", "F2", text_cell("F2", "Raum\x00miete")),
        Accepted(expect_values(s.expenditure, "description", ["Raummiete", "Bahnfahrt"])),
    ),
    Case(
        "nul-character-in-receipt-number",
        cell("Ausgaben", "A2", text_cell("A2", "\x00DO-2025-\x000001\x00")),
        Accepted(expect_values(s.expenditure, "receipt_no", ["DO-2025-0001", "DO-2025-0002"])),
    ),
    Case(
        "only-nul-characters-is-empty",
        cell("Ausgaben", "A2", text_cell("A2", "\x00\x00")),
        Located("Ausgaben", 2, "Belegnummer", "ist leer"),
    ),
    Case(
        "only-zero-width-characters-is-empty",
        edited("Veranstaltungen", 0, "ID", "\u200b\u2060\ufeff"),
        Located("Veranstaltungen", 2, "ID", "ist leer"),
    ),
    Case(
        "title-10k-characters",
        edited("Veranstaltungen", 0, "Titel", LONG),
        Located("Veranstaltungen", 2, "Titel", "höchstens 500 Zeichen erlaubt, hier 10.199"),
    ),
    Case(
        "company-10k-characters",
        edited("Teilnehmende", 1, "Unternehmen", LONG),
        Located("Teilnehmende", 3, "Unternehmen", "höchstens 300 Zeichen erlaubt, hier 10.199"),
    ),
    Case(
        "description-501-characters",
        edited("Ausgaben", 0, "Beschreibung", "x" * 501),
        Located("Ausgaben", 2, "Beschreibung", "Text zu lang: höchstens 500 Zeichen"),
    ),
    Case(
        "receipt-number-101-characters",
        edited("Ausgaben", 0, "Belegnummer", "B" * 101),
        Located("Ausgaben", 2, "Belegnummer", "höchstens 100 Zeichen erlaubt, hier 101"),
    ),
    Case(
        "title-exactly-500-characters",
        edited("Veranstaltungen", 0, "Titel", "🚀" * 500),  # characters, not bytes
        Accepted(
            expect_values(s.events, "title", ["🚀" * 500, "Netzwerktreffen Kreislaufwirtschaft"])
        ),
    ),
    Case(
        "title-too-long-only-before-folding",
        edited("Veranstaltungen", 0, "Titel", " " + "a\u200b  " * 166 + "ab "),
        Accepted(
            expect_values(
                s.events, "title", ["a " * 166 + "ab", "Netzwerktreffen Kreislaufwirtschaft"]
            )
        ),
    ),
    Case(
        "company-umlauts-key-too-long",
        edited("Teilnehmende", 1, "Unternehmen", UMLAUTS),
        Located("Teilnehmende", 3, "Unternehmen", "ä, ö, ü und ß doppelt zählen (hier 600)"),
    ),
    Case(
        "formula-injection-as-text",
        cell("Teilnehmende", "B3", text_cell("B3", DDE)),
        Accepted(
            expect_values(
                s.participations,
                "company_name",
                ["Müller Metallbau GmbH", DDE, "MÜLLER METALLBAU G.m.b.H."],
            )
        ),
    ),
    Case(
        "formula-prefixes-as-text",
        lambda: set_cell(
            set_cell(workbook(), "Ausgaben", "F2", text_cell("F2", '@SUM(1+1)*cmd|"/C calc"!A0')),
            "Ausgaben",
            "F3",
            text_cell("F3", '+HYPERLINK("http://evil.example/x","klick")'),
        ),
        Accepted(
            expect_values(
                s.expenditure,
                "description",
                ['@SUM(1+1)*cmd|"/C calc"!A0', '+HYPERLINK("http://evil.example/x","klick")'],
            )
        ),
    ),
    Case(
        "sheet-names-odd-case-and-spaces",
        lambda: renamed_sheet("Veranstaltungen", " VERANSTALTUNGEN "),
        Accepted(expect_values(s.events, "event_id", ["DO-V-01", "DO-V-02"])),
    ),
    Case("extra-sheet-rtl-emoji-name", lambda: with_extra_sheet("📊 ملاحظات"), Accepted()),
    Case("headers-odd-case-and-units", shouting_headers, Accepted(expect_base_amounts)),
]

FILE_NAMES = [
    Case("file-name-path-traversal", workbook, Accepted(), file_name="../../../etc/passwd.xlsx"),
    Case(
        "file-name-windows-path", workbook, Accepted(), file_name="C:\\Users\\x\\..\\Bericht.xlsx"
    ),
    Case("file-name-rtl-override", workbook, Accepted(), file_name="Bericht\u202exslx.exe"),
    Case("file-name-emoji", workbook, Accepted(), file_name="Bericht 🚀 März.xlsx"),
    Case("file-name-nul", workbook, Accepted(), file_name="Bericht\x00.exe.xlsx"),
    Case("file-name-300-chars", workbook, Accepted(), file_name="B" * 295 + ".xlsx"),
    Case("file-name-formula", workbook, Accepted(), file_name="=cmd|' calc'!A0.xlsx"),
]

CASES = (
    DAMAGED
    + BOMBS
    + DECLARED_CELLS
    + FORMULAS_LINKS_MACROS
    + TEMPLATE_VERSION
    + CONTRACT_RULES
    + UNICODE
    + FILE_NAMES
)


# --- the test ------------------------------------------------------------------------------


def _assert_archived(settings, result: IngestResult, data: bytes) -> None:
    archive = settings.archive_dir.resolve()
    path = (archive / result.archive_path).resolve()
    assert archive in path.parents, f"archived outside the archive: {path}"
    assert path.read_bytes() == data
    recorded = outcome(settings.archive_dir, result.archive_path)
    assert recorded["status"] == result.status and recorded["upload_id"] == result.upload_id


def _assert_errors_located(result: IngestResult) -> None:
    for error in result.errors:
        assert error.message.strip(), error
        if error.row is not None:
            assert error.sheet and error.column, f"a cell error needs sheet and column: {error}"


def _assert_outcome(expect, result: IngestResult, engine) -> None:
    if isinstance(expect, Either):
        expect = expect.accepted if result.status == "accepted" else expect.located
    if isinstance(expect, Refused):
        assert result.status == "rejected" and result.partner is None
        assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
            (None, None, None, expect.message)
        ]
    elif isinstance(expect, Located):
        assert result.status == "rejected", result
        where = (expect.sheet, expect.row, expect.column)
        at = [e.message for e in result.errors if (e.sheet, e.row, e.column) == where]
        assert at, f"no error at {where}: {result.errors}"
        assert any(expect.words in m for m in at), at
        assert all(e.sheet for e in result.errors), result.errors
    else:
        assert (result.status, result.errors) == ("accepted", []), result.errors
        row = next(u for u in uploads(engine) if u.id == result.upload_id)
        assert row.file_format == expect.file_format
        if expect.check:
            with engine.connect() as conn:
                expect.check(conn, result.upload_id)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_file(case: Case, engine, config, settings):
    feb = workbook(month="2025-02", data=month_report("DO", "2025-02", n=2))
    common = {"engine": engine, "config": config, "user": "test"}
    baseline = ingest_bytes(feb, "feb.xlsx", received_at=BASELINE_AT, settings=settings, **common)
    assert baseline.status == "accepted"
    before, n_uploads = fact_snapshot(engine), len(uploads(engine))
    data = case.build()
    count("hostile")
    settings = replace(settings, **case.limits)
    files_before = archived_files(settings.archive_dir)
    result = ingest_bytes(data, case.file_name, received_at=CASE_AT, settings=settings, **common)
    _assert_errors_located(result)
    _assert_outcome(case.expect, result, engine)
    if not case.stored:
        assert archived_files(settings.archive_dir) == files_before
        assert (len(uploads(engine)), result.upload_id) == (n_uploads, None)
        assert result.archive_path == ""
        assert fact_snapshot(engine) == before
        return
    _assert_archived(settings, result, data)
    assert len(uploads(engine)) == n_uploads + 1
    if result.status == "rejected":
        assert fact_snapshot(engine) == before
    else:
        row = next(u for u in uploads(engine) if u.id == result.upload_id)
        assert row.file_name == case.file_name.replace("\x00", "")[:255]
    assert_consistent(engine)


# --- external links are never followed -----------------------------------------------------


@pytest.fixture
def listener():
    """A TCP server on localhost that records every connection made to it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    seen: list[tuple] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, peer = server.accept()
            except TimeoutError:
                continue
            seen.append(peer)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/Kosten.xlsx", seen
    stop.set()
    thread.join()
    server.close()


@pytest.mark.parametrize("cached", ["1234.56", None], ids=["cached", "uncached"])
def test_external_link_is_not_followed(cached, listener, ingest, engine):
    url, connections = listener
    count("hostile")
    result = ingest(hostile.external_link(url, cached))
    if cached:
        assert (result.status, result.errors) == ("accepted", [])
        with engine.connect() as conn:
            expect_base_amounts(conn, result.upload_id)
    else:
        assert [(e.sheet, e.row, e.column) for e in result.errors] == [("Ausgaben", 2, "Betrag")]
    assert connections == [], "the importer contacted the linked workbook's server"


# --- huge sheets: bounded time and memory, measured in a fresh process ---------------------

MEASURE = textwrap.dedent(
    """
    import json, resource, sys, time
    from datetime import datetime
    from pathlib import Path
    from etl.core.config import load_config
    from etl.intake.ingest import ingest_bytes
    from etl.warehouse.db import make_engine
    from etl.core.settings import settings_from_env
    path, url, data_dir, config_path = sys.argv[1:5]
    data = Path(path).read_bytes()
    kwargs = dict(engine=make_engine(url), config=load_config(Path(config_path)),
                  settings=settings_from_env({"DATA_DIR": data_dir}),
                  received_at=datetime(2025, 6, 20, 9, 0))
    def hwm_kb():  # this process's peak RSS since exec (ru_maxrss survives exec: the
        # pytest parent's size at the fork would count)
        with open("/proc/self/status") as fh:
            return next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:"))
    before = hwm_kb()
    start = time.perf_counter()
    result = ingest_bytes(data, "gross.xlsx", **kwargs)
    seconds = time.perf_counter() - start
    # the workbook is read in a child process (etl.intake.reader.worker): count both
    peak = max(hwm_kb(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"status": result.status, "errors": [e.message for e in result.errors],
                      "seconds": seconds, "peak_mb": peak / 1024, "before_mb": before / 1024}))
    """
)
PEAK_RSS_LIMIT_MB = 300
TIME_LIMIT_S = 30  # a sanity guard only; measured times are printed


# Huge sheets run once, through the whole upload path on SQLite, in a fresh process whose
# peak memory is measured (the database plays no part in how they are read).
HUGE = [
    ("value-in-row-1048576", hostile.cell_in_last_row, [_msg_too_many_rows("Ausgaben", 200_000)]),
    ("1M-empty-rows", hostile.empty_rows, []),  # fully empty rows are skipped (contract)
    ("1M-formatted-empty-cells", hostile.formatted_empty_rows, []),  # no value: empty
]


@pytest.mark.parametrize("build,errors", [h[1:] for h in HUGE], ids=[h[0] for h in HUGE])
def test_huge_sheet_bounded_time_and_memory(build, errors, tmp_path, sqlite_template):
    import shutil

    from etl.core.settings import REPO_ROOT

    path = tmp_path / "gross.xlsx"
    path.write_bytes(build())
    db_file = tmp_path / "w.db"
    shutil.copy(sqlite_template, db_file)
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURE,
            str(path),
            f"sqlite:///{db_file}",
            str(tmp_path / "data"),
            str(REPO_ROOT / "data" / "config.toml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
    )
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    count("hostile")
    print(f"{path.stat().st_size / MiB:.1f} MB file: {got}")
    assert got["status"] == ("rejected" if errors else "accepted"), got
    assert got["errors"] == errors
    assert got["peak_mb"] < PEAK_RSS_LIMIT_MB, got
    assert got["seconds"] < TIME_LIMIT_S, got


def test_corpus_size():
    """The number of cases, for the README (each runs on SQLite and on PostgreSQL)."""
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) >= 90 and len(CONTRACT_RULES) == len(RULES)
    print(f"{len(CASES)} + {len(HUGE)} + 2 hostile cases, {len(CONTRACT_RULES)} contract rules")


# --- invisible characters must not make a repeated ID or receipt new ----------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e"]


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_invisible_characters_do_not_make_ids_new(char, ingest):
    """'DO-202503-B1' and 'DO-202503-B1<U+200B>' look the same: counted twice, they would
    double the money; so the repeat is found as the same receipt (and the same event)."""
    march, april = month_report("DO", "2025-03"), month_report("DO", "2025-04")
    april["Veranstaltungen"][0]["ID"] = march["Veranstaltungen"][0]["ID"] + char
    april["Ausgaben"][0]["Belegnummer"] = char + march["Ausgaben"][0]["Belegnummer"]
    april["Teilnehmende"] = []
    assert ingest(workbook(month="2025-03", data=march)).status == "accepted"
    count("hostile")
    result = ingest(workbook(month="2025-04", data=april))
    assert result.status == "rejected"
    assert {(e.sheet, e.row, e.column) for e in result.errors} >= {
        ("Veranstaltungen", 2, "ID"),
        ("Ausgaben", 2, "Belegnummer"),
    }
