"""Figure builders: pure functions from calculated frames to ``go.Figure`` (no I/O, no Dash).

Every clickable point carries in ``customdata[0]`` the link to the rows behind it on the
Daten page (see dashboard.drill); the rest of customdata holds exact, German-formatted
text for the hover label.

Builders take ``plain=True`` to return the figure as a plain ``{"data", "layout"}`` dict for
a Dash output (see ``build``): the same figure without plotly's validation and deep copies,
which dominate a warm callback otherwise. Tests check each dict equals the validated figure.
"""

from __future__ import annotations

import functools
from decimal import Decimal

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.theme import base_layout


@functools.cache
def _template(name: str | None) -> dict:
    """The default template as a validated figure carries it (``{"template": ...}``), so that a
    plain figure dict looks the same (computed once per template name)."""
    layout = go.Figure().to_plotly_json()["layout"]
    return {"template": ordered(layout["template"])} if "template" in layout else {}


def ordered(value, lists: bool = True):
    """``value`` with the keys of every dict sorted, as ``go.Figure.to_plotly_json`` lists
    them (and dicts inside lists unless ``lists`` is False). plotly.js does not read a
    figure independently of key order: with the theme's legend keys first, a legend title
    was drawn 20 px higher than in the validated figure."""
    if isinstance(value, dict):
        return {k: ordered(value[k], lists) for k in sorted(value)}
    if lists and isinstance(value, list):
        return [ordered(v) for v in value]
    return value


def build(
    traces: list[dict],
    height: int = 420,
    narrow: tuple[str, int] | None = None,
    plain: bool = False,
    **layout,
) -> go.Figure | dict:
    """One figure from trace dicts and the shared layout (theme.base_layout, which merges dict
    values such as ``xaxis`` one level deep), validated once – no add_* / update_* calls;
    ``narrow`` = (axis, n): with fewer than 4 categories, pad the category axis so one or
    two bars do not stretch over the whole chart.

    ``plain`` returns the same figure as a plain ``{"data", "layout"}`` dict for a Dash
    output, without plotly's validation and copies (the pages' hot path; the tests check
    that the dict is a valid figure equal to the validated one)."""
    if narrow is not None:
        axis, n = narrow
        if 0 < n < 4:
            pad = (4 - n) / 2
            key = f"{axis}axis"
            layout[key] = {**layout.get(key, {}), "range": [-0.5 - pad, n - 0.5 + pad]}
    if plain:
        template = _template(pio.templates.default)
        return {
            # trace keys sorted; their data lists are left alone (long, and not dicts)
            "data": [ordered(t, lists=False) for t in traces],
            "layout": {**ordered(base_layout(height=height, **layout)), **template},
        }
    return go.Figure(data=traces, layout=base_layout(height=height, **layout))


def empty(message: str, height: int = 420, plain: bool = False) -> go.Figure | dict:
    """A figure without axes that only says what is missing."""
    return build(
        [],
        height,
        plain=plain,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[
            {
                "text": message,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 18, "color": "#6c757d"},
            }
        ],
    )


def millions(cents) -> float:
    """Cents as million euros for an axis."""
    return float(Decimal(int(cents)) / 100_000_000)


def thousands(cents) -> float:
    """Cents as thousand euros for an axis."""
    return float(Decimal(int(cents)) / 100_000)
