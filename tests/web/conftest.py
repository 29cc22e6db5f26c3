"""The web app over HTTP (Flask test client) on a warehouse with a few uploads and one
account per role; password = username + "-passwort"."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from etl.core.settings import get_settings
from etl.workflow import users
from tests.factories import month_report, sheets, workbook

ACCOUNTS = {"admin": ("admin", None), "steering": ("steuerung", None),
            "finance": ("finanzen", None), "partner": ("partner-do", "DO")}


@pytest.fixture
def site(engine, settings, monkeypatch, dash_app, ingest):
    """The Flask server pointed at the test's warehouse, with DO and BO reports and accounts."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("NETWORK_CONFIG", raising=False)
    get_settings.cache_clear()
    ids = {
        "do": ingest(workbook()).upload_id,
        "bo": ingest(workbook("BO", data=month_report("BO", "2025-03"))).upload_id,
    }
    bad = sheets()
    bad["Ausgaben"][0]["Betrag"] = "viel"
    ids["do_rejected"] = ingest(workbook(month="2025-04", data=bad),
                                at=datetime(2025, 6, 21)).upload_id
    ids["bo_rejected"] = ingest(workbook("BO", month="2025-04", data=bad),
                                at=datetime(2025, 6, 21)).upload_id
    for role, (name, partner) in ACCOUNTS.items():
        users.create_user(engine, name, f"{name}-passwort", role, partner)
    dash_app.server.test_client().get("/login")  # Dash registers its callbacks on first request
    dash_app.server.upload_ids = ids
    yield dash_app.server
    get_settings.cache_clear()


def csrf(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def login(client, username: str, password: str | None = None):
    return client.post("/login", data={"username": username, "csrf": csrf(client),
                                       "password": password or f"{username}-passwort"})


def send_csrf_header(client) -> str:
    """Send the ``_csrf_token`` cookie back as the ``X-CSRFToken`` header on every request
    from now on, as dash-renderer does; returns the token."""
    cookie = client.get_cookie("_csrf_token")
    assert cookie is not None, "no _csrf_token cookie"
    client.environ_base["HTTP_X_CSRFTOKEN"] = cookie.value
    return cookie.value


@pytest.fixture
def client_as(site):
    """``client_as(role)``: a test client logged in with that role's account that sends the
    CSRF header like the browser (``client_as(role, csrf=False)``: without it)."""
    def make(role: str | None, *, csrf: bool = True):
        client = site.test_client()
        if role:
            resp = login(client, ACCOUNTS[role][0])
            assert resp.status_code == 302, resp.get_data(as_text=True)
            if csrf:
                send_csrf_header(client)
        return client
    return make
