"""German labels of the money figures, taken from the figure registry (etl.core.figures):
one spelling for the report text, the proof of use, the dashboard and its exports. The
funding sources (EU, state) are named by the network configuration: the constants hold the
defaults, the functions the configured names."""

from __future__ import annotations

from etl.core import figures
from etl.core.config import NetworkConfig

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


def financing_labels(config: NetworkConfig) -> dict[str, str]:
    """EU, state and own share, the funding sources named as ``config`` names them."""
    return {k: figures.configured_name(k, config) for k in FINANCING_LABELS}


def eligible_labels(config: NetworkConfig) -> dict[str, str]:
    """:data:`ELIGIBLE_LABELS` with the funding sources named as ``config`` names them."""
    return {**ELIGIBLE_LABELS, **financing_labels(config)}


def eligible_headers(config: NetworkConfig) -> tuple[str, ...]:
    """The eligible-costs table's money headers in ``config``'s network."""
    return tuple(eligible_labels(config).values())
