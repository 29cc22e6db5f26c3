"""German labels of the codes used in the data (measures, categories, statuses, datasets)."""

from __future__ import annotations

MEASURE_LABELS = {
    "events": "Veranstaltungen",
    "participants": "Teilnehmende",
    "coachings": "Coachings",
    "coaching_hours": "Coachingstunden",
    "companies": "Unternehmen",
}
CATEGORY_LABELS = {"personnel": "Personal", "overheads": "Gemeinkosten", "material": "Sachausgaben"}
FINANCING_LABELS = {"eu": "EU (EFRE)", "state": "Land NRW", "own": "Eigenanteil"}
STATUS_LABELS = {
    "on_time": "rechtzeitig",
    "late": "verspätet",
    "missing": "fehlt",
    "open": "noch nicht fällig",
    "future": "Monat noch nicht abgeschlossen",
}
FLAG_LABELS = {"ok": "im Rahmen", "warn": "Warnung", "flag": "Zustimmung nötig"}
UPLOAD_STATUS_LABELS = {
    "accepted": "angenommen",
    "superseded": "ersetzt",
    "rejected": "abgelehnt",
    "unchanged": "unverändert",
}
KIND_LABELS = {"event": "Veranstaltung", "coaching": "Coaching"}
# The review state of a partner-month (etl.workflow.months) and its symbol on Meldestand.
MONTH_STATE_LABELS = {
    "due": "fällig",
    "submitted": "eingereicht",
    "query": "Rückfrage",
    "approved": "freigegeben",
    "proof": "im Nachweis",
}
MONTH_STATE_SYMBOLS = {"due": "–", "submitted": "◔", "query": "?", "approved": "✓", "proof": "■"}
COMMENT_KIND_LABELS = {
    "note": "Bemerkung",
    "question": "Rückfrage",
    "answer": "Antwort",
    "reply": "Antwort Prüfung",
}
