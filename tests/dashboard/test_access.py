"""Who may see what: each role against every registered page, callback prefixes, and the
partner scope, asked inside a request of the real app as the logged-in user."""

from __future__ import annotations

import json

import dash
import pytest
from flask_login import login_user, logout_user

from dashboard import access
from dashboard.auth import SessionUser

ROLES = ("admin", "steering", "finance", "partner")
# Page path -> roles that may open it (None: every role), as the pages register themselves.
EXPECTED = {
    "/": None,
    "/aktivitaeten": None,
    "/finanzen": None,
    "/meldestand": None,
    "/daten": None,
    "/hochladen": None,
    "/freigabe": {"finance", "steering"},
    "/mittelabrufe": {"finance"},
    "/protokoll": {"admin", "steering", "finance"},
    "/benutzer": {"admin"},
    "/finanzplan": {"finance", "steering"},
    "/kennzahlen": None,
    "/einstellungen": None,  # Benachrichtigungen: every user's own choices
    "/indikatoren": None,
    "/kuerzungen": None,  # everyone reads (a partner its own); only finance records
    "/404": None,  # the German "Seite nicht gefunden" inside the shell
}


@pytest.fixture
def as_user(dash_app):
    """``as_user(role, partner)``: a request context of the app with that user logged in
    (``as_user(None)``: a request with nobody logged in)."""
    contexts = []

    def enter(role: str | None, partner: str | None = None):
        ctx = dash_app.server.test_request_context()
        ctx.push()
        contexts.append(ctx)
        if role:
            login_user(SessionUser(7, f"konto-{role}", role, partner, True))
        else:
            logout_user()

    yield enter
    for ctx in reversed(contexts):
        ctx.pop()


def _page(path: str) -> dict:
    return next(p for p in dash.page_registry.values() if p["path"] == path)


def test_every_page_is_in_the_table(dash_app):
    assert {p["path"] for p in dash.page_registry.values()} == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_roles_x_pages(as_user, role, path):
    as_user(role, "DO" if role == "partner" else None)
    allowed = EXPECTED[path]
    assert access.current_role() == role
    assert access.may_open(_page(path)) is (allowed is None or role in allowed)


def test_nobody_logged_in_opens_only_pages_without_roles(as_user):
    as_user(None)
    assert access.current_role() is None
    opened = {path for path in EXPECTED if access.may_open(_page(path))}
    assert opened == {path for path, roles in EXPECTED.items() if roles is None}


def test_outside_a_request_there_is_no_role_and_no_restriction():
    assert access.current_role() is None
    assert access.partner_scope() is None


@pytest.mark.parametrize(
    ("role", "partner", "scope"),
    [("admin", None, None), ("steering", None, None), ("finance", None, None),
     ("partner", "DO", ("DO",)), ("partner", "BO", ("BO",))],
)
def test_partner_scope_by_role(as_user, role, partner, scope):
    as_user(role, partner)
    assert access.partner_scope() == scope


def test_partner_scope_of_a_request_without_login_is_empty(as_user):
    as_user(None)
    assert access.partner_scope() == ()


def test_callback_prefixes_follow_the_page_roles(dash_app):
    assert access.roles_for_prefix("filter") == access.ALL  # the frame around every page
    assert access.roles_for_prefix("pages") == access.ALL
    assert access.roles_for_prefix("payments") == {"finance"}
    assert access.roles_for_prefix("admin") == {"admin"}
    assert access.roles_for_prefix("overview") == access.ALL  # a page without roles
    assert access.roles_for_prefix("unbekannt") == frozenset()


def test_id_prefix_of_plain_and_dict_ids():
    assert access.id_prefix("approval-status") == "approval"
    assert access.id_prefix("_pages_content") == "pages"
    drill = json.dumps({"type": "drill-graph", "id": "finance-plan"}, sort_keys=True)
    assert access.id_prefix(drill) == "finance"
    nav = json.dumps({"type": "nav-link", "path": "/"}, sort_keys=True)
    assert access.id_prefix(nav) == "nav"


def test_a_callback_needs_every_output_allowed(dash_app):
    assert access.callback_allowed(["payments-table"], "finance")
    assert not access.callback_allowed(["payments-table"], "steering")
    assert not access.callback_allowed(["payments-table", "admin-users"], "finance")
    assert access.callback_allowed(["filter-partner", "overview-cards"], "partner")
    assert not access.callback_allowed([], "admin")  # no outputs: nothing to allow
    assert not access.callback_allowed(["overview-cards"], None)
