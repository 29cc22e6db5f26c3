"""Text as the warehouse stores it: control and invisible characters, length limits.

- the reader removes C0 control characters (NUL included) but tab, line feed, carriage
  return; rows without any keep their identity (no copy);
- ``clean_text`` removes invisible format characters and normalises to NFC, so a repeated
  ID or receipt number with one of them is still the same;
- every free-text column of the contract has the length of the warehouse column it is
  stored in (the schema is the one source of the limit).
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from sqlalchemy import String

from etl.core.config import NetworkConfig
from etl.core.normalise import _INVISIBLE, clean_text, company_key
from etl.intake import reader
from etl.intake.contract import DATA_SHEETS
from etl.intake.contract.context import Context
from etl.intake.contract.engine import text
from etl.warehouse import schema as s


def test_reader_removes_control_characters_but_tab_and_line_breaks():
    rows = [["DO-1", 1.5, date(2025, 3, 1)], ["a\x00b", None, "\x00"], ["x\x07\ty\x1b[0m\r\n"]]
    assert reader._clean(rows) == [
        ["DO-1", 1.5, date(2025, 3, 1)],
        ["ab", None, None],  # only control characters: empty
        ["x\ty[0m\r\n"],
    ]


def test_reader_copies_only_rows_that_need_it(monkeypatch):
    monkeypatch.setattr(reader, "_BLOCK", 3)  # blocks: rows 0-2 clean, 3-5 one dirty, 6
    rows = [[f"r{i}", i, None] for i in range(7)]
    rows[4][0] = "r\x1f4"
    cleaned = reader._clean(rows)
    assert [r[0] for r in cleaned] == [f"r{i}" for i in range(7)]
    assert all(cleaned[i] is rows[i] for i in (0, 1, 2, 3, 5, 6))
    assert rows[4][0] == "r\x1f4", "the reader's input is not changed"


def test_reader_keeps_every_other_character():
    text_ = "".join(chr(c) for c in range(32, 0x3000) if not 0xD800 <= c < 0xE000) + "\t\n\r"
    assert reader._clean([[text_]]) == [[text_]]


@pytest.mark.parametrize("char", sorted(map(chr, _INVISIBLE)), ids=lambda c: f"U+{ord(c):04X}")
def test_clean_text_removes_invisible_characters(char):
    assert unicodedata.category(char) == "Cf"
    assert clean_text(f"{char}DO-2025-{char}0001{char}") == "DO-2025-0001"
    assert company_key(f"Mu{char}\u0308ller GmbH") == company_key("Müller GmbH")


def test_clean_text_keeps_visible_text_and_folds_spaces():
    assert clean_text("Mu\u0308ller\u00a0 Metallbau\u202f GmbH ") == "Müller Metallbau GmbH"
    assert clean_text("ورشة عمل – סדנה") == "ورشة عمل – סדנה"
    assert clean_text("Café ☕ 🚀") == "Café ☕ 🚀"


def _text_columns(config: NetworkConfig):
    ctx = Context(config, date(2025, 3, 1))
    for module in DATA_SHEETS:
        for col in module.spec(ctx).columns:
            yield module.SHEET, col


def test_every_free_text_column_has_the_length_of_its_warehouse_column(config):
    free_text = [(sheet, col) for sheet, col in _text_columns(config) if col.parse is text]
    assert len(free_text) == 12  # contract version 2 adds Zahlungsempfänger, Verwendungszweck
    for sheet, col in free_text:
        assert isinstance(col.stored_as.type, String), (sheet, col.name)
        assert col.max_length == col.stored_as.type.length > 0, (sheet, col.name)


def test_blank_invisible_and_too_long_cells_are_located():
    from etl.intake.contract.engine import Col, SheetSpec, parse_sheet
    from etl.intake.reader import RawSheet

    spec = SheetSpec(
        "Ausgaben",
        (
            Col("Belegnummer", stored_as=s.expenditure.c.receipt_no),
            Col("Beschreibung", required=False, stored_as=s.expenditure.c.description),
        ),
    )
    rows = [
        ["Belegnummer", "Beschreibung"],
        ["  ", "\u200b"],  # blank; only invisible: empty (optional)
        ["\u200b\u00ad", "x" * 501],  # only invisible: empty (required); too long
        ["B" * 100, "ok"],  # exactly the limit
    ]
    out = parse_sheet(spec, RawSheet("Ausgaben", rows))
    assert [(e.row, e.column, e.message) for e in out.errors] == [
        (2, "Belegnummer", "'Belegnummer' ist leer. Bitte ausfüllen."),
        (3, "Belegnummer", "'Belegnummer' ist leer. Bitte ausfüllen."),
        (3, "Beschreibung", "Text zu lang: höchstens 500 Zeichen erlaubt, hier 501. Bitte kürzen."),
    ]
    assert [(r["Belegnummer"], r["Beschreibung"]) for r in out.rows] == [
        (None, None),
        (None, None),
        ("B" * 100, "ok"),
    ]
