"""Aktivitäten: a partner's SME figure keeps its own classes when another partner reports a
company differently, and steering sees the conflicting classes listed (issue 13, finding 3)."""

from __future__ import annotations

from flask_login import login_user

from dashboard.auth import SessionUser
from tests.dashboard.test_pages import warehouse  # noqa: F401 (the fixture)
from tests.etl.warehouse.test_size_class import _report, _upload


def _text(tree) -> str:
    """All text of a component tree, cells separated by ' | '."""
    if isinstance(tree, str):
        return tree
    if isinstance(tree, list | tuple):
        return " | ".join(_text(c) for c in tree)
    return _text(getattr(tree, "children", None) or "")


def test_sme_line_for_bo_stays_and_the_conflict_is_listed(warehouse, ingest, dash_app):  # noqa: F811
    from dashboard.pages import activities

    _upload(ingest, "BO", "2025-03", _report("BO", "2025-03", 12, "Mittel"))
    before = activities.update_mix("?partner=BO")[2]
    assert before == "2 eindeutige Unternehmen, davon 2 KMU (100 %)"
    assert activities.update_conflicts("") is None  # nothing to resolve yet
    _upload(ingest, "DO", "2025-04", _report("DO", "2025-04", 2, "Groß"))

    assert activities.update_mix("?partner=BO")[2] == before
    assert activities.update_mix("")[2] == "3 eindeutige Unternehmen, davon 2 KMU (67 %)"
    shown = _text(activities.update_conflicts(""))
    assert shown.startswith("Größenklasse widersprüchlich")
    assert ("Bochumer Logistik GmbH (44807) | BO Mittel (12.03.2025), DO Groß (02.04.2025)"
            " | Groß") in shown

    # a partner sees its own reports only: no other partner's class, nothing to resolve
    with dash_app.server.test_request_context():
        login_user(SessionUser(7, "partner-do", "partner", "DO", True))
        assert activities.update_conflicts("") is None
        assert activities.update_mix("")[2] == "2 eindeutige Unternehmen, davon 1 KMU (50 %)"
