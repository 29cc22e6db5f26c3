"""Chart of the Meldestand page: on-time rate per partner."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt
from dashboard.figures import build, empty

EMPTY_HEIGHT = 300


def height(n_bars: int) -> int:
    """Chart height in px for ``n_bars`` horizontal bars (the page sizes the graph with it)."""
    return 60 + 48 * n_bars if n_bars else EMPTY_HEIGHT


def on_time(
    rates: pd.DataFrame, colors: Mapping[str, str], plain: bool = False
) -> go.Figure | dict:
    """Horizontal bars: share of due reports that arrived on time, per partner."""
    due = rates[rates["due"] > 0]
    if due.empty:
        return empty("Noch kein Monatsbericht fällig.", height=EMPTY_HEIGHT, plain=plain)
    order = list(due["partner_code"])[::-1]
    rows = due.set_index("partner_code").loc[order]
    shares = [float(r) * 100 for r in rows["rate"]]  # bar lengths only; labels are exact
    bar = {
        "type": "bar",
        "y": order,
        "x": shares,
        "orientation": "h",
        "marker": {"color": [colors[p] for p in order]},
        "text": [
            f"{fmt.de_pct(r)} ({r_on} von {r_due})"
            for r, r_on, r_due in zip(rows["rate"], rows["on_time"], rows["due"], strict=True)
        ],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "<b>%{y}</b><br>%{text}<extra></extra>",
    }
    return build(
        [bar],
        height(len(order)),
        plain=plain,
        showlegend=False,
        margin={"l": 70, "r": 30, "t": 10, "b": 50},
        xaxis={
            "range": [0, 138],
            "title": {"text": "rechtzeitig eingegangen"},
            "showgrid": True,
            "gridcolor": "#e9ecef",
            "tickvals": [0, 20, 40, 60, 80, 100],
            "ticktext": [f"{v} %" for v in (0, 20, 40, 60, 80, 100)],
        },
        yaxis={"type": "category"},
    )
