"""Charts with many partners: the largest ones one by one, the others as one bar or trace,
and the exact integer sums (numpy, cents) behind them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

MAX_PARTNERS = 12  # more partners in view: the largest ones and one bar for the rest
OTHERS_COLOR = "#adb5bd"


def others_label(n: int) -> str:
    """The trace of the partners not shown one by one (their sum)."""
    return f"Weitere ({n} Partner)"


def average_label(n: int) -> str:
    """The bar of the partners not shown one by one: their average, so it stays on the scale
    of the partners shown (their sum would dwarf them; as on Aktivitäten)."""
    return f"Ø weitere {n} Partner"


def with_average(rows: list, n_rest: int) -> list:
    """``rows`` (from :func:`partner_rows`) with the last one, the rest's sum, as the average per
    partner, rounded half up to the cent (amounts are not negative)."""
    if not n_rest:
        return rows
    return [*rows[:-1], (2 * rows[-1] + n_rest) // (2 * n_rest)]


def largest(partners: Sequence[str], size: Mapping[str, int], limit: int = MAX_PARTNERS):
    """The partners to show one by one and the rest to sum up: all of them (in their order)
    up to ``limit``, else the ``limit - 1`` largest by ``size`` (largest first; ties in the
    given order) and the others."""
    partners = list(partners)
    if len(partners) <= limit:
        return partners, []
    shown = sorted(partners, key=lambda p: -int(size.get(p, 0)))[: limit - 1]
    chosen = set(shown)
    return shown, [p for p in partners if p not in chosen]


def positions_in(values: pd.Series, labels: Sequence) -> np.ndarray:
    """Each value's position in ``labels`` (-1 when not there)."""
    return pd.Index(list(labels)).get_indexer(values)


def sum_by(rows: np.ndarray, n: int, values: np.ndarray) -> np.ndarray:
    """Exact integer sums of ``values`` (rows x columns, int64) by row position ``rows``
    (0..n-1; -1 is left out)."""
    out = np.zeros((n, *values.shape[1:]), dtype=np.int64)
    inside = rows >= 0
    np.add.at(out, rows[inside], values[inside])
    return out


def partner_rows(cube: np.ndarray, partners: Sequence[str], shown: Sequence[str], rest) -> list:
    """Rows of ``cube`` (one per partner) for the shown partners, then the rest summed."""
    at = {p: i for i, p in enumerate(partners)}
    rows = [cube[at[p]] for p in shown]
    if rest:
        rows.append(cube[[at[p] for p in rest]].sum(axis=0))
    return rows
