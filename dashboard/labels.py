"""German labels of the codes used in the data (measures, categories, statuses, datasets)."""

from __future__ import annotations

from etl.core import labels as money_labels
from etl.core.figures import name

# The measures at the targets' grain (partner x module x year): companies counted per group
# and summed are Unternehmenskontakte (names from the registry, etl.core.figures).
MEASURE_LABELS = {
    "events": name("events"),
    "participants": name("participants"),
    "coachings": name("coachings"),
    "coaching_hours": name("coaching_hours"),
    "companies": name("company_contacts"),
}
# the money labels are etl's (the report and the proof of use spell them the same)
CATEGORY_LABELS = money_labels.CATEGORY_LABELS
FINANCING_LABELS = money_labels.FINANCING_LABELS
# The measures of the attainment per partner: companies are each partner's distinct ones.
ATTAINMENT_LABELS = {**MEASURE_LABELS, "companies": "Unternehmen (eindeutig)"}
STATUS_LABELS = {
    "on_time": "rechtzeitig",
    "late": "verspätet",
    "missing": "fehlt",
    "open": "noch nicht fällig",
    "future": "Monat noch nicht abgeschlossen",
    "exempt": "kein Bericht nötig",
    "extra": "freiwillig eingegangen (keine Meldepflicht)",
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
# The review state of a partner-month (etl.workflow.months) and its symbol on Meldestand.
MONTH_STATE_LABELS = {
    "due": "fällig",
    "submitted": "eingereicht",
    "query": "Rückfrage",
    "checked": "geprüft",  # only with two review steps ([review] steps)
    "approved": "freigegeben",
    "proof": "im Nachweis",
}
MONTH_STATE_SYMBOLS = {"due": "–", "submitted": "◔", "query": "?", "checked": "◑",
                       "approved": "✓", "proof": "■"}
COMMENT_KIND_LABELS = {
    "note": "Bemerkung",
    "question": "Rückfrage",
    "answer": "Antwort",
    "reply": "Antwort Prüfung",
}
