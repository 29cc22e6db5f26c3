"""The German 404 and 403 pages: the right status, German text, the app's navbar; never
Flask's English "Not Found"/"Forbidden"."""

from __future__ import annotations

ENGLISH = ("Not Found", "Forbidden", "Page not found", "requested URL")


def _german(resp, status: int, title: str) -> str:
    body = resp.get_data(as_text=True)
    assert resp.status_code == status
    assert not any(e in body for e in ENGLISH), body[:300]
    assert title in body and "Fördercockpit" in body and 'class="navbar' in body
    return body


def test_template_of_another_partner_answers_the_german_403_page(client_as):
    partner = client_as("partner")
    resp = partner.get("/download/template?partner=BO&month=2025-03")
    body = _german(resp, 403, "Kein Zugriff")
    assert "nur die Daten des eigenen Partners" in body
    assert partner.get("/download/template?partner=DO&month=2025-03").status_code == 200


def test_a_missing_download_answers_the_german_404_page(client_as):
    resp = client_as("steering").get("/download/original/999999")
    _german(resp, 404, "Seite nicht gefunden")


def test_page_loads_carry_404_and_403(client_as):
    steering, partner = client_as("steering"), client_as("partner")
    assert steering.get("/finanzen").status_code == 200
    assert steering.get("/gibt-es-nicht").status_code == 404  # the shell draws the German page
    assert steering.get("/daten/").status_code == 200
    assert partner.get("/freigabe").status_code == 403
    assert partner.get("/finanzen?partner=BO").status_code == 200  # clamped to DO, see shell
