"""Web security over HTTP: every state-changing request needs the session's CSRF token (the
header dash-renderer copies from the ``_csrf_token`` cookie), the exact Content-Security-Policy,
and Secure cookies behind HTTPS."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime, timedelta

import pytest
from flask import Flask

from dashboard import auth
from etl.warehouse import audit, db
from etl.workflow import users
from tests.web.conftest import login, send_csrf_header

REFUSED = "Sicherheitsprüfung fehlgeschlagen"


def _create_user(client, username: str, headers: dict | None = None):
    """The admin page's "Anlegen" button, as the browser posts it."""
    state = {"admin-username": username, "admin-role": "steering", "admin-partner": None,
             "admin-password": "ein-langes-passwort", "admin-email": None}
    body = {
        "output": "admin-message.children",
        "outputs": {"id": "admin-message", "property": "children"},
        "inputs": [{"id": "admin-create", "property": "n_clicks", "value": 1},
                   *({"id": f"admin-{b}", "property": "n_clicks", "value": None}
                     for b in ("reset", "disable", "enable", "email-set"))],
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


# --- sessions (issue 13, finding 8) ------------------------------------------------------


def _copy(client, site):
    """A second browser holding a copy of ``client``'s session cookie (a stolen cookie)."""
    thief = site.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _logged_in(client) -> bool:
    return client.get("/").status_code == 200


def test_a_copied_session_cookie_dies_with_the_logout(client_as, site):
    client = client_as("steering")
    thief = _copy(client, site)
    assert _logged_in(thief)
    assert client.post("/logout").status_code == 302
    assert not _logged_in(thief)  # the copy is refused by the server, not just the browser
    assert not _logged_in(client)


@pytest.mark.parametrize("change", ["password", "disable_enable", "role"])
def test_a_copied_session_cookie_dies_with_changes_to_the_account(client_as, site, engine,
                                                                  change):
    client = client_as("finance")
    thief = _copy(client, site)
    assert _logged_in(thief)
    if change == "password":
        users.set_password(engine, "finanzen", "ein-neues-passwort", by="admin")
    elif change == "disable_enable":
        users.set_active(engine, "finanzen", False, by="admin")
        users.set_active(engine, "finanzen", True, by="admin")
    else:
        users.set_role(engine, "finanzen", "steering", by="admin")
    assert not _logged_in(thief) and not _logged_in(client)
    assert client_as("steering") and _logged_in(client_as("steering"))  # others keep theirs


def _components(tree, kind: str) -> list[dict]:
    """Every component of type ``kind`` in a Dash layout (JSON)."""
    if isinstance(tree, list):
        return [c for item in tree for c in _components(item, kind)]
    if not isinstance(tree, dict) or "props" not in tree:
        return []
    own = [tree] if tree.get("type") == kind else []
    return own + _components(tree["props"].get("children"), kind)


def test_logout_is_a_post_with_the_token_only(client_as):
    client = client_as("steering")
    page = client.get("/logout")  # a link or <img> cannot log anyone out: GET only asks
    assert page.status_code == 200 and _logged_in(client)
    html = page.get_data(as_text=True)
    with client.session_transaction() as sess:
        assert f'name="csrf" value="{sess["csrf"]}"' in html
    assert '<form method="post" action="/logout">' in html and "Abmelden</button>" in html
    # the menu's logout is a form posting the session's token
    forms = _components(client.get("/_dash-layout").get_json(), "Form")
    form = next(f for f in forms if f["props"].get("action") == "/logout")
    fields = {c["props"].get("name") or c["props"]["type"]: c["props"]
              for c in form["props"]["children"]}
    with client.session_transaction() as sess:
        assert form["props"]["method"] == "post" and fields["csrf"]["value"] == sess["csrf"]
    assert fields["csrf"]["type"] == "hidden" and fields["submit"]["children"] == "Abmelden"
    token = fields["csrf"]["value"]
    client.environ_base.pop("HTTP_X_CSRFTOKEN")
    assert client.post("/logout", data={"csrf": "falsch"}).status_code == 403
    assert client.post("/logout", data={"csrf": token}).status_code == 302
    assert not _logged_in(client)


def _from(client, ip: str):
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def test_wrong_passwords_from_elsewhere_do_not_lock_the_admin_out(site):
    attacker = _from(site.test_client(), "203.0.113.9")
    for _ in range(8):
        assert login(attacker, "admin", "falsch-falsch").status_code in (401, 429)
    admin = _from(site.test_client(), "10.0.0.1")
    assert login(admin, "admin").status_code == 302
    assert _logged_in(admin)


def _failures(engine, name: str, ip: str, ages: list[float]) -> None:
    now = datetime.now()
    with db.writing(engine) as conn:
        for age in ages:
            audit.record(conn, "login_failed", username=name, ip=ip,
                         at=now - timedelta(seconds=age))


def test_failed_logins_of_a_name_from_an_address_wait_longer_and_longer(site, engine):
    assert [auth.login_delay(n).total_seconds() for n in range(1, 13)] == [
        0, 0, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]
    client = _from(site.test_client(), "198.51.100.4")
    for _ in range(3):
        assert login(client, "steuerung", "falsch-falsch").status_code == 401
    resp = login(client, "steuerung")  # the right password, but within 8 s of the 3rd failure
    assert resp.status_code == 429 and 0 < int(resp.headers["Retry-After"]) <= 8
    assert "Zu viele Fehlversuche. Bitte in " in resp.get_data(as_text=True)
    assert login(_from(site.test_client(), "10.0.0.2"), "steuerung").status_code == 302

    _failures(engine, "finanzen", "198.51.100.5", [70, 60, 50, 40])  # 4 failures: 16 s
    late = _from(site.test_client(), "198.51.100.5")
    assert login(late, "finanzen").status_code == 302  # waited 40 s > 16 s
    _failures(engine, "finanzen", "198.51.100.6", [100 + i for i in range(9)])  # 9: 512 s
    resp = login(_from(site.test_client(), "198.51.100.6"), "finanzen")
    assert resp.status_code == 429 and 400 < int(resp.headers["Retry-After"]) <= 412
    assert "Bitte in 7 Minuten erneut versuchen" in resp.get_data(as_text=True)


def test_one_address_gets_a_limited_number_of_failures_over_all_names(site, engine):
    for i in range(auth.ADDRESS_FAILURES):  # one failure per name: no name waits
        _failures(engine, f"versuch-{i}@example.org", "192.0.2.7", [600 - i])
    resp = login(_from(site.test_client(), "192.0.2.7"), "admin")
    assert resp.status_code == 429
    assert login(_from(site.test_client(), "192.0.2.8"), "admin").status_code == 302


@pytest.mark.parametrize("target", [
    "/%09/127.0.0.1:9/x", "//127.0.0.1:9/x", "/%5C127.0.0.1:9/x", "/%0D%0A/127.0.0.1/x",
    "%2F%2Fevil.example", "https://evil.example/", "http:/evil.example", "/%E2%80%AE/evil",
    "javascript:alert(1)", "/ /evil.example",
])
def test_login_redirects_only_to_paths_of_this_site(site, target):
    client = site.test_client()
    token = re.search(r'name="csrf" value="([^"]+)"',
                      client.get("/login").get_data(as_text=True)).group(1)
    resp = client.post(f"/login?next={target}", data={
        "username": "admin", "password": "admin-passwort", "csrf": token})
    assert resp.status_code == 302 and resp.headers["Location"] == "/"


def test_login_returns_to_the_page_and_filters_asked_for(site):
    client = site.test_client()
    first = client.get("/finanzen?partner=DO&jahr=2025")
    assert first.status_code == 302
    back = first.headers["Location"]
    assert back.startswith("/login?next=")
    token = re.search(r'name="csrf" value="([^"]+)"',
                      client.get(back).get_data(as_text=True)).group(1)
    resp = client.post(back, data={"username": "admin", "password": "admin-passwort",
                                   "csrf": token})
    assert resp.headers["Location"] == "/finanzen?partner=DO&jahr=2025"


@pytest.mark.parametrize("name,shown", [
    ("bericht\r\nSet-Cookie: x=1.xlsx", 'filename="bericht Set-Cookie: x=1.xlsx"'),
    ("Bericht\u202exslx.exe.xlsx", 'filename="Bericht xslx.exe.xlsx"'),
    ("Förder\"bericht\".xlsx", "filename*=UTF-8''F%C3%B6rder_bericht_.xlsx"),
    ("..\\..\\etc/passwd.xlsx", "filename=_.._etc_passwd.xlsx"),
])
def test_downloads_of_uploads_with_odd_names(site, client_as, ingest, name, shown):
    from tests.factories import workbook

    upload = ingest(workbook(month="2025-05"), name).upload_id
    resp = client_as("admin").get(f"/download/original/{upload}")
    assert resp.status_code == 200 and resp.data == workbook(month="2025-05")
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ") and shown in disposition
    assert "\r" not in disposition and "\n" not in disposition and "\u202e" not in disposition
    assert not any("x=1" in v for v in resp.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("path", ["/loginx", "/login/x", "/login/", "/healthzx", "/healthz/",
                                  "/_favicon.icox", "/assetsx/login.css"])
def test_public_paths_are_matched_exactly(site, path):
    resp = site.test_client().get(path)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login?next=")


def test_public_paths_stay_public(site):
    client = site.test_client()
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").get_data(as_text=True) == "ok"
    assert client.get("/assets/login.css").status_code == 200


def test_attachment_names_keep_their_extension_and_never_end_empty():
    from dashboard.downloads import MAX_NAME, attachment_name

    long = attachment_name("x" * 300 + ".xlsx")
    assert len(long) == MAX_NAME and long.endswith("x.xlsx")
    assert attachment_name("\r\n\u200b.. ") == "download"
    assert attachment_name("Bericht\u00a0März\u2028.xlsx") == "Bericht März .xlsx"
    assert attachment_name("Be\u0301richt.xlsx") == "Béricht.xlsx"  # NFC
