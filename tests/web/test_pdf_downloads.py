"""PDF downloads over HTTP: the proof of use as PDF (a partner account only its own), and
the steering pack's answer when the server has no Chromium (503, in German, no traceback);
the filter bar's button says the same instead of offering a link that fails."""

from __future__ import annotations

import shutil
import subprocess

import pytest


def _text(data: bytes, tmp_path) -> str:
    path = tmp_path / "d.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_proof_of_use_as_pdf_only_for_the_own_partner(client_as, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    partner = client_as("partner")
    assert partner.get("/download/nachweis?partner=BO&jahr=2025&format=pdf").status_code == 404
    resp = partner.get("/download/nachweis?jahr=2025&format=pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert "Zwischennachweis_DO_2025.pdf" in resp.headers["Content-Disposition"]
    text = _text(resp.data, tmp_path)
    assert "Zwischennachweis 2025 – DO" in text and "Exportiert von" in text
    assert "partner-do" in text and "Seite 1 von" in text
    assert "BO –" not in text  # no other partner's name anywhere
    resp = client_as("finance").get("/download/nachweis?format=pdf")
    assert "Verwendungsnachweis_Projekt.pdf" in resp.headers["Content-Disposition"]


def test_steering_pack_without_chromium_says_so(client_as, monkeypatch):
    from dashboard import shell

    monkeypatch.setenv("CHROMIUM_PATH", "/nonexistent/chromium")
    resp = client_as("steering").get("/download/steuerung?jahr=2025")
    assert resp.status_code == 503
    body = resp.get_data(as_text=True)
    assert "braucht Chromium" in body and "apt-get install chromium" in body
    button = shell._pack_button()
    assert "Chromium fehlt" in str(button.children) and "disabled" in button.className
    assert shell.pack_link("?jahr=2025") is None
    monkeypatch.delenv("CHROMIUM_PATH")
    if shutil.which("chromium"):
        assert shell.pack_link("?jahr=2025&tabelle=x") == "/download/steuerung?jahr=2025"


def test_anonymous_gets_the_login_page_not_a_pack(site):
    for path in ("/download/steuerung", "/download/nachweis?format=pdf"):
        resp = site.test_client().get(path)
        assert resp.status_code == 302 and resp.headers["Location"].startswith("/login"), path
