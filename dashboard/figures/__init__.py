"""Figure builders: pure functions from calculated frames to ``go.Figure`` (no I/O, no Dash).

Every clickable point carries in ``customdata[0]`` the link to the rows behind it on the
Daten page (see dashboard.drill); the rest of customdata holds exact, German-formatted
text for the hover label.
"""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go

from dashboard.theme import base_layout


def figure(height: int = 420, **layout) -> go.Figure:
    """An empty figure with the shared layout."""
    return go.Figure(layout=base_layout(height=height, **layout))


def empty(message: str, height: int = 420) -> go.Figure:
    """A figure without axes that only says what is missing."""
    fig = go.Figure(layout=base_layout(height=height))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 18, "color": "#6c757d"},
    )
    return fig


def keep_bars_narrow(fig: go.Figure, n: int, axis: str = "x", slots: int = 4) -> None:
    """With fewer than ``slots`` categories, pad the category axis so one or two bars do
    not stretch over the whole chart."""
    if 0 < n < slots:
        pad = (slots - n) / 2
        fig.update_layout({f"{axis}axis": {"range": [-0.5 - pad, n - 0.5 + pad]}})


def whole_numbers(fig: go.Figure, top: int, axis: str = "y") -> None:
    """Ticks at whole numbers for small counts (no '0,5 Veranstaltungen')."""
    if 0 < top <= 10:
        fig.update_layout({f"{axis}axis": {"dtick": 1}})


def millions(cents) -> float:
    """Cents as million euros for an axis."""
    return float(Decimal(int(cents)) / 100_000_000)


def thousands(cents) -> float:
    """Cents as thousand euros for an axis."""
    return float(Decimal(int(cents)) / 100_000)
