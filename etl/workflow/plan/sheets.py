"""Sheet, column and field names of the finance plan workbook (shared by writer and reader)."""

from __future__ import annotations

GUIDE = "Anleitung"
BUDGET = "Budget"
TARGETS = "Ziele"
RATES = "Förderquoten"
PARAMETERS = "Parameter"
DATA_SHEETS = (BUDGET, TARGETS, RATES, PARAMETERS)

PARTNER, YEAR, MODULE, NAME, RATE, SUM = (
    "Partner",
    "Jahr",
    "Modul",
    "Name",
    "Förderquote",
    "Summe",
)
CATEGORY_HEADERS = {
    "personnel": "Personal",
    "overheads": "Gemeinkosten",
    "material": "Sachausgaben",
}
MEASURE_HEADERS = {
    "events": "Veranstaltungen",
    "participants": "Teilnehmende",
    "coachings": "Coachings",
    "companies": "Unternehmen",
}
FIELD, VALUE, EXPLANATION = "Feld", "Wert", "Erläuterung"
BASE_FIELD = "Grundlage (Version)"
MATERIAL_FIELD = "Materialkosten"
RATE_TABLE_FIELD = "Pauschalentabelle gültig ab"
REASON_FIELD = "Begründung"
MATERIAL_LABELS = {"actual": "wie gebucht", "flat": "pauschal"}
# the rate cell of a partner without funding (partners[].funded = false); "—" or empty read too
NOT_FUNDED = "nicht gefördert"
NOT_FUNDED_MARKS = {NOT_FUNDED, "-", "—", "–"}
