"""The Steuerungspaket (PDF) as users get it: the filter bar's button in Chromium and
``python -m etl export steuerung``; read back with pdftotext/pdfinfo, rendered with pdftoppm.
It holds the cover (filters, Stand, contents), Übersicht, Finanzen, Meldestand and every
attention item, numbered "Seite x von N" throughout; a partner account gets its own."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from etl.core.settings import REPO_ROOT
from tests.browser.conftest import _env

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SECTIONS = ("Übersicht", "Finanzen", "Meldestand", "Aufmerksamkeit")
NOT_PRINTED = ("Filter zurücksetzen", "Excel-Export", "Steuerungspaket (PDF)")


@pytest.fixture(autouse=True)
def _poppler():
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        pytest.skip("poppler-utils not installed")


def _read(path) -> tuple[list[str], int]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f"), int(info.split("Pages:")[1].split()[0])


def _contents(cover: str) -> dict[str, int]:
    """Section -> first page, from the cover's "Inhalt" line."""
    line = " ".join(cover.split())
    return {name: int(re.search(rf"{name} \(Seiten? (\d+)", line).group(1)) for name in SECTIONS}


def _check_pack(path, tmp_path, filters: str) -> list[str]:
    pages, n = _read(path)
    cover = pages[0]
    assert "Steuerungspaket" in cover and f"Filter {filters}" in " ".join(cover.split())
    assert "Stand der Daten" in cover and "Monatsberichte bis" in cover
    first = _contents(cover)
    order = [first[s] for s in SECTIONS]
    assert order[0] == 2 and order == sorted(set(order))
    assert "Zielerreichung je Partner" in pages[first["Übersicht"] - 1]
    assert "Förderfähige Ausgaben" in pages[first["Finanzen"] - 1]
    assert "Meldestand" in pages[first["Meldestand"] - 1]
    assert "Was Aufmerksamkeit braucht – alle Hinweise" in pages[first["Aufmerksamkeit"] - 1]
    for number in range(1, n + 1):
        assert f"Seite {number} von {n}" in pages[number - 1], number
    assert not [t for t in NOT_PRINTED if t in "".join(pages)], "buttons printed"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "2", "-l", "2", str(path),
                    str(tmp_path / "page")], check=True)
    [png] = tmp_path.glob("page*.png")
    assert png.stat().st_size > 10_000  # a drawn page, not a blank sheet
    return pages


def test_steering_pack_from_the_filter_bar(app, tmp_path):
    app.open("/?jahr=2025", "#overview-kpi-events-value")
    lead = app.text("#overview-lead")
    with app.page.expect_download(timeout=300_000) as download:
        app.page.click("#filter-pack")
        assert app.text("#filter-pack").startswith("Wird erstellt")  # says it is working
    assert download.value.suggested_filename.startswith("Steuerungspaket_Projekt_")
    path = tmp_path / "pack.pdf"
    download.value.save_as(path)
    pages = _check_pack(path, tmp_path, "alle Partner · alle Module · Jahre: 2025")
    as_of = re.search(r"Monatsberichte bis (\w+ \d{4})", lead).group(1)
    assert f"Monatsberichte bis {as_of}" in pages[0]  # the Stand the pages show
    # every attention item of the Übersicht (its Excel export) is in the pack
    export = app.page.request.get(app.base + "/download/export?seite=/&jahr=2025")
    sheet = load_workbook(io.BytesIO(export.body()))["Aufmerksamkeit"]
    hints = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True) if r[1]]
    assert hints
    flat = " ".join(" ".join(pages[_contents(pages[0])["Aufmerksamkeit"] - 1:]).split())
    for hint in hints:
        assert hint[:40] in flat, hint


def test_partner_pack_is_its_own(app_as, tmp_path):
    partner = app_as("partner")
    partner.open("/?partner=BO", "#overview-kpi-events-value")
    with partner.page.expect_download(timeout=300_000) as download:
        partner.page.click("#filter-pack")
    assert download.value.suggested_filename.startswith("Steuerungspaket_DO_")
    path = tmp_path / "pack.pdf"
    download.value.save_as(path)
    _check_pack(path, tmp_path, "Partner: DO · alle Module · alle Jahre")


def test_steering_pack_from_the_command_line(demo_dir, accounts, tmp_path):
    def etl(*args):
        return subprocess.run([sys.executable, "-m", "etl", "export", "steuerung", *args],
                              cwd=REPO_ROOT, env=_env(demo_dir), capture_output=True,
                              text=True, timeout=600)

    refused = etl("--user", accounts["partner"], "--partner", "BO")
    assert refused.returncode == 2 and "nur Unterlagen von DO" in refused.stderr
    path = tmp_path / "cli.pdf"
    done = etl("--user", accounts["steering"], "--year", "2025", "-o", str(path))
    assert done.returncode == 0, done.stderr
    pages = _check_pack(path, tmp_path, "alle Partner · alle Module · Jahre: 2025")
    assert accounts["steering"] in pages[0]  # exported by
