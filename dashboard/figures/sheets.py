"""Charts of the configured activity sheets (``[[activity_sheets]]``) on the Aktivitäten page:
one monthly trend per sheet, its count measures as bars and its euro measures as a line on
an axis of their own. Generic over whatever measures a network configures."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt
from dashboard.figures import build, empty
from dashboard.figures.activities import MONTH_AXIS, _whole
from dashboard.theme import MODULE_PALETTE, palette_for

NO_DATA = "Keine Meldungen im Blatt {} in dieser Auswahl – Filter oben erweitern."


def shown(value: int, unit: str) -> str:
    """A measure's value as German text: cents as ``1.234,56 €``, counts as integers."""
    return fmt.eur(value) if unit == "eur" else fmt.de_int(value)


def _trace(key: str, label: str, unit: str, rows: pd.DataFrame, color: str) -> dict:
    values = [int(v) for v in rows["value"]]
    money = unit == "eur"
    return {
        "type": "scatter" if money else "bar",
        "x": list(rows["month"]),
        # euros for the axis (the hover shows the exact amount from the cents)
        "y": [v / 100 for v in values] if money else values,
        "name": f"{label} (rechte Achse)" if money else label,
        "marker": {"color": color},
        **({"mode": "lines+markers", "yaxis": "y2", "line": {"width": 3}} if money else {}),
        "customdata": [f"{label}: {shown(v, unit)}" for v in values],
        "hovertemplate": "%{customdata}<extra></extra>",
    }


def trend(
    frame: pd.DataFrame,
    measures: Sequence[tuple[str, str, str]],
    *,
    sheet_label: str,
    plain: bool = False,
) -> go.Figure | dict:
    """Monthly values of a sheet's ``measures`` (key, label, unit) from ``frame`` (month,
    measure, value: counts and cents): counts as grouped bars, euros as lines on the
    right axis."""
    if frame.empty or not any(int(v) for v in frame["value"]):
        return empty(NO_DATA.format(sheet_label), height=380, plain=plain)
    colors = palette_for([k for k, _l, _u in measures], MODULE_PALETTE)
    traces = [
        _trace(key, label, unit, frame[frame["measure"] == key], colors[key])
        for key, label, unit in measures
        if (frame["measure"] == key).any()
    ]
    counts = frame[frame["measure"].isin([k for k, _l, u in measures if u != "eur"])]
    top = int(counts.groupby("measure")["value"].max().max()) if not counts.empty else 0
    layout = {
        "barmode": "group",
        "xaxis": {**MONTH_AXIS, "ticklabelmode": "period", "hoverformat": "%B %Y"},
        "yaxis": {"title": {"text": "Anzahl je Monat"}, "rangemode": "tozero", **_whole(top)},
    }
    if any(t.get("yaxis") == "y2" for t in traces):
        layout["yaxis2"] = {  # no title: the legend names it (room for the months on a phone)
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
            "tickmode": "auto",  # round amounts, not the left axis' grid
            "nticks": 6,
            "tickformat": ",.0f",
            "ticksuffix": " €",
            "automargin": True,
        }
    return build(traces, 380, plain=plain, hovermode="x unified", **layout)
