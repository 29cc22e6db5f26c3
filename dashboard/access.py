"""Who may see what: roles, page permissions and partner scope of the current user.

Pure functions of the logged-in user (flask-login's ``current_user``) and the page registry:
no database, no cached frames, so every layer (data, filters, pages, downloads) can ask.
Login, sessions, CSRF and security headers live in :mod:`dashboard.auth`.
"""

from __future__ import annotations

import json
import re

import dash
from flask import has_request_context
from flask_login import current_user

from etl.warehouse.schema import ROLES

ALL = frozenset(ROLES)  # ROLES (in order) is re-exported for the pages
ROLE_LABELS = {
    "admin": "Administration",
    "steering": "Projektsteuerung",
    "finance": "Finanzen",
    "partner": "Partner",
}
# Component-id prefixes of the frame around the pages (and Dash's own router, "_pages_…").
SHELL_PREFIXES = frozenset({"url", "nav", "filter", "drill", "pages"})

__all__ = [
    "ALL",
    "ROLE_LABELS",
    "SHELL_PREFIXES",
    "callback_allowed",
    "current_role",
    "current_user",
    "may_open",
    "partner_scope",
    "roles_for_prefix",
]


def current_role() -> str | None:
    """The logged-in user's role (None outside a request or when logged out)."""
    if not has_request_context():
        return None
    return current_user.role if current_user and current_user.is_authenticated else None


def partner_scope() -> tuple[str, ...] | None:
    """Partners whose rows the current user may see; None means all.

    Outside a web request (CLI, unit tests of pure code) there is no user to restrict.
    """
    if not has_request_context():
        return None
    return current_user.partners_scope if current_role() else ()


def may_open(page: dict) -> bool:
    """Whether the current user may open a registered page (``roles`` unset: every role)."""
    roles = page.get("roles")
    return roles is None or current_role() in roles


def roles_for_prefix(prefix: str) -> frozenset[str]:
    """Roles that may run callbacks whose output ids start with ``prefix``.

    Ids are prefixed with their page module's name (``approval-…`` lives in
    ``pages/approval.py``), so a page's ``roles`` govern its callbacks too. Unknown: nobody.
    """
    if prefix in SHELL_PREFIXES:
        return ALL
    for page in dash.page_registry.values():
        if page["module"].rsplit(".", 1)[-1] == prefix:
            return frozenset(page.get("roles") or ALL)
    return frozenset()


def id_prefix(cid: str) -> str:
    """``approval-status`` -> ``approval``; ``_pages_content`` -> ``pages``; a dict id by its
    own ``id`` (``{"type": "drill-graph", "id": "finance-plan"}`` -> ``finance``), else type."""
    if cid.startswith("{"):
        parsed = json.loads(cid)
        own = parsed.get("id")
        cid = str(own if isinstance(own, str) else parsed.get("type", ""))
    return re.split(r"[-_.]", cid.lstrip("_"), maxsplit=1)[0]


def callback_allowed(output_ids: list[str], role: str | None) -> bool:
    """Whether ``role`` may run a callback with these outputs (every output must be allowed)."""
    return bool(output_ids) and all(role in roles_for_prefix(id_prefix(c)) for c in output_ids)
