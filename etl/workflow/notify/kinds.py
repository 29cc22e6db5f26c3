"""The kinds of notification: who gets each, its German name, its default delivery, and
each user's choice (at once, daily digest, weekly digest, off)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from etl.warehouse import db, queries
from etl.warehouse.schema_mail import DELIVERY_MODES
from etl.warehouse.store import notify as store

if TYPE_CHECKING:
    from sqlalchemy import Engine

PARTNER, REVIEWERS, FINANCE = ("partner",), ("steering", "finance"), ("finance",)
MODE_LABELS = {
    "now": "sofort",
    "daily": "tägliche Zusammenfassung",
    "weekly": "wöchentliche Zusammenfassung",
    "off": "aus",
}


@dataclass(frozen=True)
class Kind:
    """One kind of notification: key, German label and description, roles, default mode."""

    key: str
    label: str
    help: str
    roles: tuple[str, ...]
    default: str


KINDS = {
    k.key: k
    for k in (
        Kind(
            "due", "Bericht fällig", "am Abgabetag, solange der Monatsbericht fehlt", PARTNER, "now"
        ),
        Kind("overdue", "Bericht überfällig", "Erinnerungen nach dem Abgabetag", PARTNER, "now"),
        Kind(
            "query",
            "Rückfrage",
            "eine Rückfrage zu Ihrem Monatsbericht wartet auf Antwort",
            PARTNER,
            "now",
        ),
        Kind(
            "approved", "Monat freigegeben", "Ihr Monatsbericht wurde freigegeben", PARTNER, "daily"
        ),
        Kind(
            "review", "Zur Freigabe", "eingereichte Monate warten auf Prüfung", REVIEWERS, "daily"
        ),
        Kind(
            "proof",
            "Nachweisfristen",
            "Zwischen- und Verwendungsnachweis 60, 30 und 7 Tage vor der Frist",
            FINANCE,
            "now",
        ),
        Kind(
            "budget",
            "Budgetabweichung",
            "eine Budgetzeile überschreitet die Warn- oder "
            "Zustimmungsschwelle (oder ist wieder im Rahmen)",
            FINANCE,
            "daily",
        ),
        Kind("payment", "Mittelabrufe", "Mittelabrufe warten auf Freigabe", FINANCE, "daily"),
    )
}


def kinds_for(role: str) -> list[Kind]:
    """The kinds a user of ``role`` can receive, in their fixed order."""
    return [k for k in KINDS.values() if role in k.roles]


def modes_of(engine: Engine, user_id: int, role: str) -> dict[str, str]:
    """{kind: mode} for one user: the user's choice, else the kind's default."""
    chosen = queries.notification_prefs(engine, user_id=user_id)
    return {k.key: chosen.get((user_id, k.key), k.default) for k in kinds_for(role)}


def set_modes(engine: Engine, user_id: int, role: str, modes: dict[str, str]) -> None:
    """Store a user's choices; kinds the role cannot receive and unknown modes are refused."""
    allowed = {k.key for k in kinds_for(role)}
    for kind, mode in modes.items():
        if kind not in allowed or mode not in DELIVERY_MODES:
            raise ValueError(f"unknown notification kind or mode {kind!r}={mode!r}")
    with db.writing(engine) as conn:
        for kind, mode in modes.items():
            store.set_pref(conn, user_id=user_id, kind=kind, mode=mode)
