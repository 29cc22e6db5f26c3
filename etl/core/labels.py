"""German labels of the money figures, taken from the figure registry (etl.core.figures):
one spelling for the report text, the proof of use, the dashboard and its exports."""

from __future__ import annotations

from etl.core import figures

CATEGORY_LABELS = {k: figures.label(k) for k in ("personnel", "overheads", "material")}
FINANCING_LABELS = {k: figures.label(k) for k in ("eu", "state", "own")}
# the eligible-costs table's money columns, by field, in the order the tables show them
ELIGIBLE_LABELS = {
    **CATEGORY_LABELS,
    "eligible": figures.label("eligible"),
    "grant": figures.label("grant"),
    **FINANCING_LABELS,
}
ELIGIBLE_HEADERS = tuple(ELIGIBLE_LABELS.values())
