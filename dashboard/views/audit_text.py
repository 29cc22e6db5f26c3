"""German texts of the audit log: action names and a readable rendering of the details."""

from __future__ import annotations

import json

from dashboard.access import ROLE_LABELS
from dashboard.labels import COMMENT_KIND_LABELS, MONTH_STATE_LABELS, UPLOAD_STATUS_LABELS

ACTIONS = {
    "upload": "Upload",
    "restore": "Fassung wiederhergestellt",
    "approve": "Freigabe",
    "check": "geprüft (1. Prüfschritt)",
    "reopen": "Wiederöffnung",
    "login": "Anmeldung",
    "login_failed": "Anmeldung fehlgeschlagen",
    "logout": "Abmeldung",
    "user_created": "Benutzer angelegt",
    "user_changed": "Benutzer geändert",
    "password_reset": "Passwort zurückgesetzt",
    "download": "Download",
    "plan_upload": "Finanzplan hochgeladen",
    "payment_requested": "Mittelabruf erfasst",
    "payment_approved": "Mittelabruf bewilligt",
    "payment_paid": "Mittelabruf ausgezahlt",
    "question": "Rückfrage",
    "comment": "Bemerkung",
    "proof_submitted": "Nachweis eingereicht",
    "mail_sent": "E-Mail versendet",
    "cut_recorded": "Kürzung erfasst",
    "cut_removed": "Kürzung aufgehoben",
    "change_requested": "Änderungsantrag gestellt",
    "change_decided": "Änderungsantrag entschieden",
    "change_linked": "Änderungsantrag mit Planfassung verknüpft",
}
DETAIL_LABELS = {
    "file": "Datei",
    "status": "Ergebnis",
    "errors": "Fehler",
    "reason": "Grund",
    "user": "Benutzer",
    "role": "Rolle",
    "active": "aktiv",
    "what": "Datei-Art",
    "upload_id": "Upload-Nr.",
    "version": "Planfassung",
    "request": "Mittelabruf-Nr.",
    "amount": "Betrag",
    "page": "Seite",
    "format": "Format",
    "query": "Filter",
    "partner": "Partner",
    "year": "Jahr",
    "restored": "wiederhergestellt aus Upload-Nr.",
    "confirmed": "bestätigt für Upload-Nr.",
    "claimed_partner": "Partner laut Datei",
    "state": "Status",
    "previous": "vorher",
    "kind": "Art",
    "text": "Text",
    "email": "E-Mail",
    "to": "an",
    "subject": "Betreff",
    "digest": "Zusammenfassung",
    "events": "Meldungen",
    "sheet": "Blatt",
    "row": "Beleg/Kürzel",
    "claimed": "beantragt",
    "accepted": "anerkannt",
    "decided_on": "Entscheidung/Prüfung vom",
    "change": "Antrag-Nr.",
    "decision": "Entscheidung",
}
VALUE_LABELS = {
    **MONTH_STATE_LABELS,
    **COMMENT_KIND_LABELS,
    "interim": "Zwischennachweis",
    "final": "Schlussnachweis",
    **UPLOAD_STATUS_LABELS,
    "replaced": "ersetzt vorige Fassung",
    "original": "Original",
    "marked": "markierte Fehler",
    "template": "Vorlage",
    "export": "Excel-Export",
    "nachweis": "Verwendungs-/Zwischennachweis",
    "belegliste": "Belegliste",
    "finanzplan": "Finanzplan",
    "steuerung": "Steuerungspaket (PDF)",
    "accepted": "angenommen",
    "unchanged": "unverändert",
    "held": "zurückgehalten (Bestätigung nötig)",
    "daily": "täglich",
    "weekly": "wöchentlich",
}


def _value(value: object, key: str = "") -> object:
    if isinstance(value, bool):  # before the dict: True == 1 would turn version 1 into "ja"
        return "ja" if value else "nein"
    if key == "role" and isinstance(value, str):  # "finance" -> "Finanzen"
        return ROLE_LABELS.get(value, value)
    return VALUE_LABELS.get(value, value) if isinstance(value, str) else value


def describe(detail: str) -> str:
    """A stored detail (JSON or text) as German text: 'Datei: x.xlsx · Ergebnis: abgelehnt'."""
    try:
        parsed = json.loads(detail) if detail else ""
    except ValueError:
        return detail
    if not isinstance(parsed, dict):
        return str(parsed)
    return " · ".join(
        f"{DETAIL_LABELS.get(k, k)}: {_value(v, k)}" for k, v in parsed.items()
    )
