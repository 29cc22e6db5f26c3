"""The generic PDF renderer (etl/documents/pdf.py), read back with poppler: pdftotext holds
the title, Stand, German amounts, the totals and "Seite x von N"; the header row repeats on
every page of a long table; pdftoppm renders the pages. The proof of use as PDF carries the
same totals as ``build_report`` (the figures of ``etl report --json``) to the cent."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from etl.core.money import format_eur
from etl.documents.book import Column, Cover, Table
from etl.documents.pdf import document_bytes, merge, number_pages, shown
from etl.documents.proof import file_name, proof_workbook, scope_of
from etl.documents.report import ELIGIBLE_KEYS, build_report
from tests.factories import month_report, workbook

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")),
    reason="poppler-utils (pdftotext, pdftoppm) not installed",
)


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def _pages(text: str) -> list[str]:
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def _cents(euros: str) -> int:
    return int(Decimal(euros) * 100)


def test_german_formats():
    assert shown(123456, "money") == "1.234,56 €" and shown(-99, "money") == "-0,99 €"
    assert shown(Decimal("38.58139"), "rate") == "38,5814 €"
    assert shown(1234567, "int") == "1.234.567" and shown(2025, "id") == "2025"
    assert shown(Decimal("1760.5"), "decimal") == "1.760,50"
    assert shown(0.8, "pct") == "80,0 %" and shown(Decimal("0.125"), "pct") == "12,5 %"
    assert shown(date(2026, 10, 31), "date") == "31.10.2026"
    assert shown(datetime(2026, 10, 1), "month") == "10/2026"
    assert shown(None, "money") == ""


@needs_poppler
def test_a_long_table_is_paginated_with_header_totals_and_page_numbers(tmp_path):
    rows = [[f"Beleg {i:03d}", i * 101, i] for i in range(1, 181)]
    table = Table("Belege", [Column("Text"), Column("Betrag", "money", total=True),
                             Column("Anzahl", "int", total=True)], rows, note="Eine Notiz.")
    cover = Cover("Testdokument", [("Partner", "DO")], stand="Monatsberichte bis 03/2025",
                  exported_by="finanzen", exported_at=datetime(2025, 6, 1, 9, 30),
                  network="Netz")
    text = _text(document_bytes(cover, [table]), tmp_path)
    pages = _pages(text)
    n = len(pages)
    assert n >= 3
    assert "Testdokument" in pages[0] and "Monatsberichte bis 03/2025" in pages[0]
    assert "Exportiert am" in pages[0] and "01.06.2025 09:30" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"Seite {number} von {n}" in page
        assert "Betrag" in page  # the header row repeats
        if number > 1:
            assert "Stand: Monatsberichte bis 03/2025" in page
    total = sum(r[1] for r in rows)
    last = next(line for line in pages[-1].splitlines() if "Summe" in line)
    assert format_eur(total) in last and "16.290" in last  # 180 * 181 / 2 = 16.290 items
    assert "Eine Notiz." in pages[-1]
    assert "Beleg 001" in text and "Beleg 180" in text


@needs_poppler
def test_merged_parts_are_numbered_across(tmp_path):
    one = document_bytes(None, [Table("A", [Column("x")], [["eins"]])], numbered=False)
    two = document_bytes(None, [Table("B", [Column("x")], [["zwei"]])], numbered=False)
    pages = _pages(_text(number_pages(merge([one, two]), "Paket"), tmp_path))
    assert len(pages) == 2
    assert "Seite 1 von 2" in pages[0] and "eins" in pages[0]
    assert "Seite 2 von 2" in pages[1] and "zwei" in pages[1] and "Paket" in pages[1]


@pytest.fixture
def reported(engine, config, ingest):
    """DO March and April 2025 and BO March 2025."""
    for result in (
        ingest(workbook()),
        ingest(workbook("DO", "2025-04", data=month_report("DO", "2025-04"))),
        ingest(workbook("BO", "2025-03", data=month_report("BO", "2025-03"))),
    ):
        assert result.status == "accepted", result.errors
    return build_report(engine, config)


@needs_poppler
def test_proof_of_use_pdf_reconciles_with_the_report(engine, config, reported, tmp_path):
    scope = scope_of(config, None, None)
    data = proof_workbook(engine, config, scope, exported_by="finanzen",
                          stand="Monatsberichte bis 04/2025", fmt="pdf")
    assert data.startswith(b"%PDF") and file_name(scope, "pdf").endswith(".pdf")
    text = _text(data, tmp_path)
    pages = _pages(text)
    assert "Verwendungsnachweis – gesamtes Projekt" in pages[0]
    assert "Monatsberichte bis 04/2025" in pages[0] and "Finanzplan" in pages[0]
    assert f"Seite 1 von {len(pages)}" in pages[0]
    assert f"Seite {len(pages)} von {len(pages)}" in pages[-1]
    # the Finanzierung totals row: every sum of the report, to the cent, in its order
    total = reported["eligible_total"]
    wanted = [format_eur(_cents(total[f"{k}_eur"])) for k in ELIGIBLE_KEYS]
    summe = next(line for line in text.splitlines()
                 if line.strip().startswith("Summe") and wanted[0] in line)
    positions = [summe.index(w) for w in wanted]
    assert positions == sorted(positions), summe
    for row in reported["eligible"]:  # each partner × year's eligible costs as well
        assert format_eur(_cents(row["eligible_eur"])) in text
    out = tmp_path / "png"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(tmp_path / "doc.pdf"), str(out)],
                   check=True)
    rendered = sorted(tmp_path.glob("png*.png"))
    assert len(rendered) == len(pages) and all(p.stat().st_size > 2000 for p in rendered)
