"""Each role reaches exactly what it may, through HTTP: pages, every callback, downloads."""

from __future__ import annotations

import json

import pytest

from dashboard import auth
from tests.web.conftest import ACCOUNTS, login

ROLES = list(ACCOUNTS)
EVERYONE = set(ROLES)
# Which roles may run the callbacks of each page (written out by hand, not derived).
PAGE_ROLES = {
    "shell": EVERYONE, "overview": EVERYONE, "activities": EVERYONE, "finance": EVERYONE,
    "reporting": EVERYONE, "records": EVERYONE, "upload": EVERYONE, "definitions": EVERYONE,
    "approval": {"finance", "steering"}, "audit": {"admin", "steering", "finance"},
    "admin": {"admin"},
    "plan": {"finance", "steering"}, "payments": {"finance"}, "settings": EVERYONE,
    "indicators": EVERYONE, "cuts": EVERYONE,  # cuts: recording is refused but to finance
}
SHELL = ("url", "nav", "filter", "drill", "pages")


def _outputs(key: str) -> list[str]:
    """``'..a.children...b.data..'`` or ``'a.children'`` -> ``['a.children', 'b.data']``."""
    return key.strip(".").split("...") if key.startswith("..") else [key]


def _page_of(key: str) -> str:
    ids = []
    for out in _outputs(key):
        cid = out.rsplit(".", 1)[0].split("@")[0]
        if cid.startswith("{"):
            parsed = json.loads(cid)
            cid = parsed["id"] if isinstance(parsed.get("id"), str) else parsed["type"]
        ids.append(cid.lstrip("_").replace("_", "-").split("-")[0])
    pages = {i for i in ids if i not in SHELL}
    assert len(pages) <= 1, ids
    return pages.pop() if pages else "shell"


def _body(key: str, callback: dict) -> dict:
    """A request like the browser's, with every input and state empty."""
    outputs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
               for o in _outputs(key)]
    def items(key):
        return [{**i, "value": None} for i in callback.get(key, [])
                if isinstance(i["id"], str)]
    return {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": items("inputs"), "state": items("state"), "changedPropIds": []}


def _callbacks(app) -> list[tuple[str, dict]]:
    return [(k, v) for k, v in app.callback_map.items()
            if all(isinstance(i["id"], str) for i in v["inputs"])]


def test_every_callback_is_reachable_by_exactly_its_roles(site, client_as, dash_app):
    callbacks = _callbacks(dash_app)
    assert len(callbacks) >= 15
    wrong = []
    for role in [None, *ROLES]:
        client = client_as(role)
        for key, cb in callbacks:
            status = client.post("/_dash-update-component", json=_body(key, cb)).status_code
            allowed = role in PAGE_ROLES[_page_of(key)]
            blocked = status in (401, 403)
            if role is None and status != 401 or role and allowed == blocked:
                wrong.append((role, key[:60], status))
    assert wrong == []


@pytest.mark.parametrize("path", ["/", "/finanzen", "/hochladen", "/benutzer", "/protokoll",
                                  "/download/template?partner=DO&month=2025-03"])
def test_anonymous_gets_the_login_page(site, path):
    resp = site.test_client().get(path)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", ["/_dash-layout", "/_dash-dependencies"])
def test_anonymous_gets_no_app_internals(site, path):
    assert site.test_client().get(path).status_code == 401


def test_restricted_page_layouts_say_no_access(client_as):
    body = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/benutzer"},
                       {"id": "_pages_location", "property": "search", "value": ""}],
            "changedPropIds": ["_pages_location.pathname"]}
    for role, visible in (("partner", False), ("finance", False), ("admin", True)):
        text = client_as(role).post("/_dash-update-component", json=body).get_data(as_text=True)
        assert ("Kein Zugriff" in text) != visible, role
        assert ("admin-users" in text) == visible, role


def _overview(client, search: str) -> str:
    body = {"output": "..overview-lead.children...overview-cards.children...overview-budget"
                      ".children...overview-attention.children...overview-partners.children..",
            "outputs": [
        {"id": "overview-lead", "property": "children"},
        {"id": "overview-cards", "property": "children"},
        {"id": "overview-budget", "property": "children"},
        {"id": "overview-attention", "property": "children"},
        {"id": "overview-partners", "property": "children"}],
        "inputs": [{"id": "url", "property": "search", "value": search}],
        "changedPropIds": ["url.search"]}
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def _kpi(response: str, kpi: str) -> str:
    """The text of ``overview-kpi-<kpi>-value`` in a callback response."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == f"overview-kpi-{kpi}-value":
                found.append(props.get("children"))
            for value in (*node.values(), *props.values()):
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(response)["response"])
    return found[0]


def test_partner_sees_only_its_own_figures(client_as):
    # DO reported 2 events, BO 1. The partner account (DO) asks for BO and gets DO.
    assert _kpi(_overview(client_as("partner"), "?partner=BO"), "events") == "2"
    assert _kpi(_overview(client_as("partner"), ""), "events") == "2"
    assert _kpi(_overview(client_as("steering"), "?partner=BO"), "events") == "1"
    assert _kpi(_overview(client_as("steering"), ""), "events") == "3"


def test_downloads_respect_the_partner_scope(site, client_as):
    ids = site.upload_ids
    partner, finance = client_as("partner"), client_as("finance")
    assert partner.get(f"/download/original/{ids['do']}").status_code == 200
    assert partner.get(f"/download/original/{ids['bo']}").status_code == 404
    assert finance.get(f"/download/original/{ids['bo']}").status_code == 200
    assert partner.get(f"/download/marked/{ids['do_rejected']}").status_code == 200
    assert partner.get(f"/download/marked/{ids['bo_rejected']}").status_code == 404
    assert partner.get(f"/download/marked/{ids['do']}").status_code == 404  # not rejected
    assert partner.get("/download/template?partner=DO&month=2025-03").status_code == 200
    assert partner.get("/download/template?partner=BO&month=2025-03").status_code == 403


def test_login_throttling_and_csrf(site):
    client = site.test_client()
    assert client.post("/login", data={"username": "admin", "password": "x"}).status_code == 400
    for _ in range(auth.FREE_FAILURES):
        assert login(client, "admin", "falsch-falsch").status_code == 401
    resp = login(client, "admin")  # right password, but too soon after the 3rd failure
    assert resp.status_code == 429 and "Zu viele Fehlversuche" in resp.get_data(as_text=True)


def test_session_cookie_and_security_headers(site):
    client = site.test_client()
    resp = login(client, "steuerung")
    cookie = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/")
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_logout_and_idle_expiry(site, client_as):
    client = client_as("steering")
    assert client.get("/").status_code == 200
    with client.session_transaction() as sess:
        sess["seen"] = 0  # last request in 1970
    assert client.get("/").status_code == 302
    client = client_as("steering")
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_disabled_account_loses_its_session(site, client_as, engine):
    from etl.workflow import users

    client = client_as("finance")
    assert client.get("/").status_code == 200
    users.set_active(engine, "finanzen", False)
    assert client.get("/").status_code == 302


def test_upload_size_limit_before_reading_the_body(site, client_as):
    client = client_as("partner")
    limit = site.config["MAX_CONTENT_LENGTH"]
    resp = client.post("/_dash-update-component", data=b"x" * (limit + 1),
                       content_type="application/json")
    assert resp.status_code == 413
