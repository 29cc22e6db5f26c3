"""German labels of the codes used in the data (measures, categories, statuses, datasets)."""

from __future__ import annotations

from etl.core import labels as money_labels

MEASURE_LABELS = {
    "events": "Veranstaltungen",
    "participants": "Teilnehmende",
    "coachings": "Coachings",
    "coaching_hours": "Coachingstunden",
    "companies": "Unternehmen",
}
# the money labels are etl's (the report and the proof of use spell them the same)
CATEGORY_LABELS = money_labels.CATEGORY_LABELS
FINANCING_LABELS = money_labels.FINANCING_LABELS
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
    "held": "zurückgehalten",
}
KIND_LABELS = {"event": "Veranstaltung", "coaching": "Coaching"}
