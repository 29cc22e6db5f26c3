"""Web security over HTTP: every state-changing request needs the session's CSRF token (the
header dash-renderer copies from the ``_csrf_token`` cookie), the exact Content-Security-Policy,
and Secure cookies behind HTTPS."""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask

from dashboard import auth
from etl.workflow import users
from tests.web.conftest import login, send_csrf_header

REFUSED = "Sicherheitsprüfung fehlgeschlagen"


def _create_user(client, username: str, headers: dict | None = None):
    """The admin page's "Anlegen" button, as the browser posts it."""
    state = {"admin-username": username, "admin-role": "steering", "admin-partner": None,
             "admin-password": "ein-langes-passwort"}
    body = {
        "output": "admin-message.children",
        "outputs": {"id": "admin-message", "property": "children"},
        "inputs": [{"id": "admin-create", "property": "n_clicks", "value": 1},
                   *({"id": f"admin-{b}", "property": "n_clicks", "value": None}
                     for b in ("reset", "disable", "enable"))],
        "state": [{"id": k, "property": "value", "value": v} for k, v in state.items()],
        "changedPropIds": ["admin-create.n_clicks"],
    }
    return client.post("/_dash-update-component", json=body, headers=headers or {})


def _exists(engine, username: str) -> bool:
    return any(u.username == username for u in users.list_users(engine))


def _set_cookies(resp) -> dict[str, str]:
    """Set-Cookie headers of a response by cookie name."""
    return {h.split("=", 1)[0]: h for h in resp.headers.getlist("Set-Cookie")}


def test_callbacks_need_the_csrf_token_of_their_own_session(client_as, engine):
    client = client_as("admin", csrf=False)
    other = client_as("admin")  # the same account, logged in a second time: another session
    other_token = other.environ_base["HTTP_X_CSRFTOKEN"]
    token = client.get_cookie("_csrf_token").value
    assert token != other_token

    for headers in ({}, {"X-CSRFToken": ""}, {"X-CSRFToken": "falsch"},
                    {"X-CSRFToken": other_token}, {"X-CSRF-Token": token}):
        resp = _create_user(client, "angreifer@example.org", headers)
        assert resp.status_code == 403, headers
        assert resp.mimetype == "text/plain" and REFUSED in resp.get_data(as_text=True)
    assert not _exists(engine, "angreifer@example.org")

    resp = _create_user(client, "neu@example.org", {"X-CSRFToken": token})
    assert resp.status_code == 200 and _exists(engine, "neu@example.org")


def test_csrf_cookie_is_readable_by_the_page_and_fresh_per_login(site):
    client = site.test_client()
    before = client.get("/login")
    assert "_csrf_token" in _set_cookies(before)  # the login form's token, before login
    anonymous = client.get_cookie("_csrf_token").value
    resp = login(client, "admin")
    cookie = _set_cookies(resp)["_csrf_token"]
    assert "HttpOnly" not in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain HTTP without COOKIE_SECURE
    token = client.get_cookie("_csrf_token").value
    assert token != anonymous  # a login starts a fresh session with a fresh token
    with client.session_transaction() as sess:
        assert sess["csrf"] == token  # bound to the (signed) session
    assert "_csrf_token" not in _set_cookies(client.get("/"))  # not re-sent when unchanged


def test_logout_by_post_needs_the_token(client_as):
    client = client_as("steering", csrf=False)
    assert client.post("/logout").status_code == 403
    assert client.get("/").status_code == 200  # still logged in
    token = send_csrf_header(client)
    resp = client.post("/logout")
    assert resp.status_code == 302 and resp.headers["Location"] == "/login"
    assert client.get("/").status_code == 302
    # the old token is of no use any more, not even for a new login's session
    del client.environ_base["HTTP_X_CSRFTOKEN"]
    assert login(client, "steuerung").status_code == 302
    client.environ_base["HTTP_X_CSRFTOKEN"] = token
    assert client.post("/logout").status_code == 403


def test_anonymous_posts_are_refused_before_the_token_is_checked(site):
    client = site.test_client()
    client.get("/login")
    token = client.get_cookie("_csrf_token").value
    resp = client.post("/_dash-update-component", json={}, headers={"X-CSRFToken": token})
    assert resp.status_code == 401


def _inline_script_hashes(html: str) -> list[str]:
    """CSP hashes of the executable inline scripts of a page (JSON data blocks are not run)."""
    out = []
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        if "src=" in attrs or "application/json" in attrs:
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        out.append(f"'sha256-{digest}'")
    return out


def test_content_security_policy(client_as):
    resp = client_as("steering").get("/")
    html = resp.get_data(as_text=True)
    # The IE warning is inside a conditional comment: never run, so not hashed.
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    # "var renderer = new DashRenderer();" and the clientside callback of Dash pages
    hashes = _inline_script_hashes(html)
    assert len(hashes) == 2
    assert resp.headers["Content-Security-Policy"] == (
        "default-src 'self'; "
        f"script-src 'self' {' '.join(hashes)}; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; "
        "font-src 'self'; "
        "connect-src 'self'; "
        "object-src 'none'; "
        "base-uri 'self'; "
        "frame-ancestors 'none'; "
        "form-action 'self'"
    )
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    login_page = client_as(None).get("/login")
    assert "<script" not in login_page.get_data(as_text=True)
    assert "'unsafe-eval'" not in login_page.headers["Content-Security-Policy"]


def _fresh_server(monkeypatch, **env: str) -> Flask:
    """A bare Flask server with :func:`auth.install` under ``env`` (the login page needs no
    database; the session's Dash app was installed once, without these settings)."""
    for name in ("COOKIE_SECURE", "TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    server = Flask(f"fresh_{len(env)}")
    auth.install(server)
    return server


def test_cookies_are_secure_with_cookie_secure(site, monkeypatch):
    server = _fresh_server(monkeypatch, COOKIE_SECURE="1")
    cookies = _set_cookies(server.test_client().get("/login"))  # plain http: still Secure
    assert set(cookies) == {"session", "_csrf_token"}
    assert all("; Secure" in h for h in cookies.values())
    assert "HttpOnly" in cookies["session"] and "HttpOnly" not in cookies["_csrf_token"]
    plain = _set_cookies(_fresh_server(monkeypatch).test_client().get("/login"))
    assert plain and not any("Secure" in h for h in plain.values())


def test_cookies_are_secure_on_https_requests(site):
    client = site.test_client()
    https = _set_cookies(client.get("/login", base_url="https://localhost"))
    assert set(https) == {"session", "_csrf_token"}
    assert all("; Secure" in h for h in https.values())
    # Without TRUSTED_PROXIES, a forwarded "https" is not believed (a client could send it).
    plain = _set_cookies(site.test_client().get("/login",
                                                headers={"X-Forwarded-Proto": "https"}))
    assert plain and not any("Secure" in h for h in plain.values())


def test_cookies_are_secure_behind_a_trusted_https_proxy(site, monkeypatch):
    server = _fresh_server(monkeypatch, TRUSTED_PROXIES="1")
    cookies = _set_cookies(server.test_client().get(
        "/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}))
    assert set(cookies) == {"session", "_csrf_token"}
    assert all("; Secure" in h for h in cookies.values())
