"""Declared cell areas (.ods repeats, .xlsx cells without ``r``) are bounded before calamine
reads the file, and the reading child process cannot take the caller down."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from etl.core.errors import WorkbookRejected
from etl.core.settings import REPO_ROOT
from etl.intake.reader import read_workbook, read_workbook_here
from etl.intake.reader.messages import (
    MSG_TOO_MUCH_MEMORY,
    _msg_timeout,
    _msg_too_many_cells,
    _msg_too_much_text,
)
from tests.corpus import hostile
from tests.corpus.ods import empty_cell, number_cell, ods, row, text_cell
from tests.corpus.ooxml import members, replace_members, stream_sheet_rows
from tests.factories import workbook


def test_ods_repeat_bomb_is_refused_with_the_sheet_named():
    data = hostile.ods_repeat_bomb()
    assert len(data) < 1000
    with pytest.raises(WorkbookRejected) as caught:
        read_workbook(data, "bericht.ods")
    assert caught.value.message == _msg_too_many_cells("Tabelle1", 4_000, 16_384)


def test_ods_repeats_are_read_as_written_and_empty_repeats_cost_nothing():
    # LibreOffice ends every table with a million repeated empty rows of 1,024 empty cells.
    rows = (
        row(text_cell("a", repeat=2) + number_cell(7) + empty_cell(1021), repeat=3)
        + row(empty_cell(5, style="ce1") + text_cell("z"))
        + row(empty_cell(1024), repeat=1_048_572)
    )
    raw = read_workbook(ods({"Daten": rows}), "tabelle.ods")
    assert raw.file_format == "ods"
    assert raw.sheet("Daten").rows == [
        ["a", "a", 7.0, None, None, None],
        ["a", "a", 7.0, None, None, None],
        ["a", "a", 7.0, None, None, None],
        [None, None, None, None, None, "z"],
    ]


def test_ods_with_a_dtd_is_refused():
    data = ods({"T": row(text_cell("x"))})
    doctype = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    content = members(data)["content.xml"].replace(
        b"?><office:document-content", b"?>" + doctype + b"<office:document-content"
    )
    with pytest.raises(WorkbookRejected):
        read_workbook_here(replace_members(data, {"content.xml": content}), "t.ods")


def test_xlsx_cells_without_reference_are_placed_in_order():
    refused = hostile.xlsx_cells_without_reference()
    with pytest.raises(WorkbookRejected) as caught:
        read_workbook_here(refused, "bericht.xlsx")
    assert caught.value.message == _msg_too_many_cells("Ausgaben", 150_000, 16_000)
    small = hostile.xlsx_cells_without_reference(row=40, cells=3)  # well within the limits
    sheet = read_workbook_here(small, "bericht.xlsx").sheet("Ausgaben")
    assert len(sheet.rows) == 40 and sheet.rows[39][:3] == ["x", "x", "x"]


def _big_workbook(n: int = 150_000) -> bytes:
    def chunks():
        for start in range(4, n + 4, 10_000):
            yield b"".join(
                f'<row r="{i}"><c r="A{i}" t="n"><v>{i}</v></c><c r="B{i}" t="inlineStr">'
                f"<is><t>Zeile {i}</t></is></c></row>".encode()
                for i in range(start, min(start + 10_000, n + 4))
            )

    return stream_sheet_rows(workbook(), "Ausgaben", chunks())


BUDGET_SCRIPT = """
import os, sys
from pathlib import Path
from etl.core.errors import WorkbookRejected
from etl.intake.reader import read_workbook
data = Path(sys.argv[1]).read_bytes()
os.environ["READER_MEMORY_MB"] = "30"
try:
    read_workbook(data, "gross.xlsx")
    print("read")
except WorkbookRejected as exc:
    print(exc.message)
del os.environ["READER_MEMORY_MB"]
print(len(read_workbook(data, "gross.xlsx").sheet("Ausgaben").rows))
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="memory budget: Linux only")
def test_a_child_over_its_memory_budget_is_a_rejection(tmp_path):
    """In a fresh process: a long-running one may have freed heap that a child could reuse."""
    path = tmp_path / "gross.xlsx"
    path.write_bytes(_big_workbook())
    run = subprocess.run(
        [sys.executable, "-c", BUDGET_SCRIPT, str(path)],
        capture_output=True, text=True, timeout=120, cwd=REPO_ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.splitlines() == [MSG_TOO_MUCH_MEMORY, "150003"]


def test_a_child_over_its_time_is_a_rejection(monkeypatch):
    monkeypatch.setenv("READER_TIMEOUT_S", "0.001")
    with pytest.raises(WorkbookRejected) as caught:
        read_workbook(_big_workbook(20_000), "gross.xlsx")
    assert caught.value.message == _msg_timeout(0.001)


def test_shared_strings_are_counted_per_reference():
    with pytest.raises(WorkbookRejected) as caught:
        read_workbook_here(hostile.shared_string_amplification(), "bericht.xlsx")
    assert caught.value.message == _msg_too_much_text("Ausgaben", 256 * 1024 * 1024)
    few = read_workbook_here(hostile.shared_string_amplification(50), "bericht.xlsx")
    rows = few.sheet("Ausgaben").rows
    assert len(rows) == 53 and len(rows[52][10]) == 1 << 20  # column K, 1 MiB of text
