"""Money at risk per partner and year: the stacked bars of what is planned and will not be spent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import data, fmt
from dashboard.figures import build, empty, thousands
from dashboard.figures.finance import HOVER
from dashboard.figures.partners import (
    OTHERS_COLOR,
    largest,
    others_label,
    partner_rows,
    positions_in,
    sum_by,
)


def at_risk(
    fc: pd.DataFrame,
    partners: Sequence[str],
    colors: Mapping[str, str],
    plain: bool = False,
) -> go.Figure | dict:
    """Money at risk per year, stacked by partner (Tsd. €), total on top; with more than
    MAX_PARTNERS partners the ones with most money at risk and the rest as one trace."""
    if fc.empty or int(fc["at_risk"].sum()) == 0:
        return empty(
            "Nach Prognose werden alle geplanten Mittel ausgeschöpft.", height=340, plain=plain
        )
    years = sorted(fc["year"].unique())
    partners = list(dict.fromkeys(partners))
    cube = _risk_cube(fc, partners, years)
    shown, rest = largest(partners, dict(zip(partners, cube.sum(axis=1).tolist(), strict=True)))
    other = others_label(len(rest))
    rows = partner_rows(cube, partners, shown, rest)
    risk = {
        (code, y): int(v)
        for code, row in zip([*shown, other], rows, strict=False)
        for y, v in zip(years, row.tolist(), strict=True)
    }
    x = [data.year_label(y) for y in years]
    codes = [*shown, other] if rest else shown
    colored = {code: OTHERS_COLOR if rest and code == other else colors[code] for code in codes}
    risk_cents = fc["at_risk"].to_numpy(dtype=np.int64)
    totals = [int(t) for t in sum_by(positions_in(fc["year"], years), len(years), risk_cents)]
    traces = [*_risk_traces(risk, colored, years, x), _total_labels(x, totals)]
    return build(
        traces,
        340,
        narrow=("x", len(years)),
        plain=plain,
        barmode="stack",
        xaxis={"type": "category"},
        yaxis={
            "title": {"text": "Tsd. €"},
            "tickformat": ",.0f",
            "range": [0, thousands(max(totals)) * 1.2],
        },
    )


def _risk_cube(fc: pd.DataFrame, partners: list[str], years: list) -> np.ndarray:
    """Money at risk as partner x year, in cents."""
    p_at = positions_in(fc["partner_code"], partners)
    y_at = positions_in(fc["year"], years)
    risk_cents = fc["at_risk"].to_numpy(dtype=np.int64)
    return sum_by(
        np.where(p_at >= 0, p_at * len(years) + y_at, -1), len(partners) * len(years), risk_cents
    ).reshape(len(partners), len(years))


def _risk_traces(risk: dict, colored: dict[str, str], years: list, x: list[str]) -> list[dict]:
    """One bar trace per partner (or the rest) in ``colored``, stacked over the years."""
    traces = []
    for code, color in colored.items():
        cents = [risk.get((code, y), 0) for y in years]
        traces.append(
            dict(
                type="bar",
                x=x,
                y=[thousands(c) for c in cents],
                name=code,
                marker={"color": color},
                customdata=[
                    ["", code, data.year_label(y), f"gefährdet: {fmt.eur(c)}"]
                    for y, c in zip(years, cents, strict=True)
                ],
                hovertemplate=HOVER,
            )
        )
    return traces


def _total_labels(x: list[str], totals: list[int]) -> dict:
    """Each year's total written above its stack."""
    return dict(
        type="scatter",
        x=x,
        y=[thousands(t) for t in totals],
        mode="text",
        text=[fmt.eur_short(t) for t in totals],
        textposition="top center",
        showlegend=False,
        hoverinfo="skip",
        textfont={"size": 15},
    )
