"""German labels of the money figures: one spelling for the report text, the proof of use,
the dashboard and its exports."""

from __future__ import annotations

CATEGORY_LABELS = {"personnel": "Personal", "overheads": "Gemeinkosten", "material": "Sachausgaben"}
FINANCING_LABELS = {"eu": "EU (EFRE)", "state": "Land NRW", "own": "Eigenanteil"}
# the eligible-costs table's money columns, by field, in the order the tables show them
ELIGIBLE_LABELS = {
    **CATEGORY_LABELS,
    "eligible": "Förderfähig",
    "grant": "Zuwendung",
    **FINANCING_LABELS,
}
ELIGIBLE_HEADERS = tuple(ELIGIBLE_LABELS.values())
