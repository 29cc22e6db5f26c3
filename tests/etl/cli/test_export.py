"""``python -m etl export KIND``: the kinds of the registry in Excel and PDF, the format
check, and the web's scope rule (a partner account exports only its own partner)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from etl.cli.export import KINDS
from tests.factories import month_report, workbook


@pytest.fixture
def etl(engine, tmp_path, ingest):
    """``python -m etl ARGS`` on a warehouse with DO and BO March 2025 and a DO account."""
    for result in (ingest(workbook()),
                   ingest(workbook("BO", "2025-03", data=month_report("BO", "2025-03")))):
        assert result.status == "accepted", result.errors
    url = engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": url}

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "etl", *args], env=env, input=stdin,
                              capture_output=True, text=True, timeout=300, cwd=tmp_path)

    made = run("user", "add", "anna", "--role", "partner", "--partner", "DO",
               "--password-stdin", stdin="anna-passwort-2026\n")
    assert made.returncode == 0, made.stderr
    return run


def test_the_registry_names_each_kind_with_its_formats():
    assert {"nachweis", "steuerung"} <= set(KINDS)
    assert KINDS["nachweis"].formats == ("xlsx", "pdf")
    assert KINDS["steuerung"].formats == ("pdf",)


def test_nachweis_in_both_formats_with_default_names(etl, tmp_path):
    res = etl("export", "nachweis", "--partner", "do", "--year", "2025")
    assert res.returncode == 0, res.stderr
    assert "Zwischennachweis 2025 – DO geschrieben" in res.stdout
    wb = load_workbook(io.BytesIO((tmp_path / "Zwischennachweis_DO_2025.xlsx").read_bytes()))
    assert wb.sheetnames[:2] == ["Deckblatt", "Finanzierung"]
    res = etl("export", "nachweis", "--format", "pdf")
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "Verwendungsnachweis_Projekt.pdf").read_bytes().startswith(b"%PDF")


def test_the_output_suffix_chooses_the_format(etl, tmp_path):
    """``-o nachweis.pdf`` without --format writes a PDF, not an xlsx under a .pdf name."""
    res = etl("export", "nachweis", "--year", "2025", "-o", str(tmp_path / "nachweis.pdf"))
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "nachweis.pdf").read_bytes().startswith(b"%PDF")
    res = etl("export", "nachweis", "--year", "2025", "-o", str(tmp_path / "nachweis.dat"))
    assert (tmp_path / "nachweis.dat").read_bytes().startswith(b"PK")  # unknown: the first


def test_a_format_the_kind_lacks_is_refused(etl, tmp_path):
    res = etl("export", "steuerung", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx"))
    assert res.returncode == 2 and "gibt es als pdf, nicht als xlsx" in res.stderr
    assert not (tmp_path / "x.xlsx").exists()
    assert etl("export", "gibtsnicht").returncode == 2  # argparse: not a kind


def test_a_partner_account_exports_only_its_own_partner(etl, tmp_path):
    res = etl("export", "nachweis", "--user", "anna", "--partner", "BO", "-o", "bo.xlsx")
    assert res.returncode == 2
    assert "darf nur Unterlagen von DO exportieren, nicht von BO" in res.stderr
    assert not (tmp_path / "bo.xlsx").exists()
    res = etl("export", "steuerung", "--user", "anna", "--partner", "BO")
    assert res.returncode == 2 and "nur Unterlagen von DO" in res.stderr  # before any browser
    res = etl("export", "nachweis", "--user", "anna", "--year", "2025")  # no partner: its own
    assert res.returncode == 0, res.stderr
    assert "Zwischennachweis 2025 – DO" in res.stdout
    wb = load_workbook(io.BytesIO((tmp_path / "Zwischennachweis_DO_2025.xlsx").read_bytes()))
    cover = {r[0]: r[1] for r in wb["Deckblatt"].iter_rows(values_only=True) if r[0]}
    assert cover["Exportiert von"] == "anna" and cover["Partner"].startswith("DO –")
    partners = [r[0] for r in wb["Finanzierung"].iter_rows(min_row=2, values_only=True)]
    assert set(partners[: partners.index("Summe")]) == {"DO"}


def test_a_locked_account_exports_nothing(etl):
    assert etl("user", "disable", "anna").returncode == 0
    res = etl("export", "nachweis", "--user", "anna")
    assert res.returncode == 2 and "gesperrt" in res.stderr


def test_the_steering_pack_needs_an_account(etl):
    res = etl("export", "steuerung", "--user", "niemand")
    assert res.returncode == 2 and "kein aktives Konto" in res.stderr


def test_a_book_kind_gets_excel_and_pdf_from_the_same_tables():
    from etl.cli.export import Request, book_kind
    from etl.documents.book import Column, Cover, Table

    table = Table("Zahlen", [Column("Text"), Column("Betrag", "money", total=True)],
                  [["a", 150], ["b", 250]])
    kind = book_kind("Test", lambda req: (Cover("Testliste", stand="heute"), [table]),
                     lambda req: f"Liste_{req.partner}")
    assert kind.formats == ("xlsx", "pdf")
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        req = Request(None, None, "DO", None, fmt, "cli", None)
        assert kind.build(req).startswith(magic) and kind.file_name(req) == f"Liste_DO.{fmt}"
