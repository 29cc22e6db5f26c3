"""Charts of the Aktivitäten page: stacked bars against targets, monthly trend, SME classes,
event formats. Each builder returns a ``go.Figure``, or with ``plain=True`` the same figure as
a plain dict (see dashboard.figures.build)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from fractions import Fraction

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt
from dashboard.figures import build, empty
from dashboard.figures.notes import note_trace
from dashboard.labels import MEASURE_LABELS
from dashboard.theme import FORMAT_COLORS, LINE_COLORS, SIZE_COLORS

HOVER = "<b>%{customdata[1]}</b> · %{customdata[2]}<br>%{customdata[3]}<extra></extra>"
NO_DATA = "Keine {} in dieser Auswahl – Filter oben erweitern."
MONTH_AXIS = {"tickformat": "%b<br>%Y", "dtick": "M3"}


def _none(measure: str, height: int = 420, plain: bool = False) -> go.Figure | dict:
    return empty(NO_DATA.format(MEASURE_LABELS[measure]), height=height, plain=plain)


def _whole(top: int) -> dict:
    """Ticks at whole numbers for small counts (no '0,5 Veranstaltungen')."""
    return {"dtick": 1} if 0 < top <= 10 else {}


def stacked_bars(
    table: pd.DataFrame,
    *,
    measure: str,
    x: str,
    color: str,
    x_order: Sequence,
    color_order: Sequence,
    colors: Mapping[str, str],
    links: Mapping[tuple, str],
    targets: Mapping | None = None,
    plain: bool = False,
    x_labels: Mapping | None = None,
) -> go.Figure | dict:
    """Bars of ``measure`` per ``x``, stacked by ``color``; totals on top, targets as ticks;
    ``x_labels``: how an x value is shown (default: as text; a project year "2025/26")."""
    if table.empty or int(table[measure].sum()) == 0:
        return _none(measure, plain=plain)
    values = table.groupby([x, color], observed=True)[measure].sum().to_dict()
    label = MEASURE_LABELS[measure]
    xs = [(x_labels or {}).get(v, str(v)) for v in x_order]
    traces = [_stack_trace(values, c, x_order, colors[c], links, label) for c in color_order]
    for trace in traces:
        trace["x"] = xs
    per_x = table.groupby(x, observed=True)[measure].sum().to_dict()
    totals = [int(per_x.get(v, 0)) for v in x_order]
    goals = [int((targets or {}).get(v, 0)) for v in x_order]
    if targets:
        traces.append(_targets(xs, goals))
    top = max(max(totals), max(goals))
    return build(
        traces,
        narrow=("x", len(x_order)),
        plain=plain,
        barmode="stack",
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": xs},
        yaxis={
            "title": {"text": label},
            "range": [0, top * 1.18 if top else 1],
            **_whole(top),
        },
        annotations=_bar_labels(xs, totals, goals),
    )


def _stack_trace(
    values: dict, c, x_order: Sequence, color: str, links: Mapping[tuple, str], label: str
) -> dict:
    """The bar trace of one stack part ``c`` over ``x_order``."""
    ys = [int(values.get((v, c), 0)) for v in x_order]
    return {
        "type": "bar",
        "x": [str(v) for v in x_order],
        "y": ys,
        "name": str(c),
        "marker": {"color": color},
        "customdata": [
            [links.get((v, c), ""), v, c, f"{label}: {fmt.de_int(y)}"]
            for v, y in zip(x_order, ys, strict=True)
        ],
        "hovertemplate": HOVER,
    }


def _bar_labels(x_order: Sequence, totals: list[int], goals: list[int]) -> list[dict]:
    """One label per bar, above both the bar and the target tick, so they never overlap; from
    five bars on two short lines (a phone gives each bar about 40 px)."""
    many = len(x_order) > 4
    return [
        {
            "x": str(v),
            "y": max(t, g),
            "text": _total_label(t, g, many),
            "showarrow": False,
            "yanchor": "bottom",
            "yshift": 8,
            "font": {"size": 12 if many else 15},
        }
        for v, t, g in zip(x_order, totals, goals, strict=True)
    ]


def _total_label(total: int, goal: int, narrow: bool = False) -> str:
    if not goal:
        return f"<b>{fmt.de_int(total)}</b>"
    sep = "<br>" if narrow else " / "  # many bars: two short lines instead of one long
    return f"<b>{fmt.de_int(total)}</b>{sep}Ziel {fmt.de_int(goal)}"


def _targets(xs: list[str], goals: list[int]) -> dict:
    return {
        "type": "scatter",
        "x": xs,
        "y": goals,
        "mode": "markers",
        "name": "Ziel",
        "marker": {
            "symbol": "line-ew-open",
            "size": 44,
            "color": LINE_COLORS["target"],
            "line": {"width": 3, "color": LINE_COLORS["target"]},
        },
        "customdata": [fmt.de_int(g) for g in goals],
        "hovertemplate": "Ziel: %{customdata}<extra></extra>",
    }


def monthly_bars(
    frame: pd.DataFrame,
    *,
    measure: str,
    partners: Sequence[str],
    colors: Mapping[str, str],
    links: Mapping[tuple, str],
    legend_title: str | None = None,
    notes: pd.DataFrame | None = None,
    note_link: Callable[[str, date], str] | None = None,
    plain: bool = False,
) -> go.Figure | dict:
    """Monthly values per partner (frame: month, partner_code, value), stacked; an optional
    title above the legend; a marker above each month with comments (``notes``, see
    :func:`dashboard.figures.notes.note_trace`)."""
    if frame.empty or int(frame["value"].sum()) == 0:
        return _none(measure, height=380, plain=plain)
    label = MEASURE_LABELS[measure]
    rows: dict = {}
    for code, month, value in zip(
        frame["partner_code"], frame["month"], frame["value"], strict=True
    ):
        rows.setdefault(code, ([], []))
        rows[code][0].append(month)
        rows[code][1].append(int(value))
    traces = []
    for code in partners:
        if code not in rows:
            continue
        months, values = rows[code]
        traces.append(
            {
                "type": "bar",
                "x": months,
                "y": values,
                "name": code,
                "marker": {"color": colors[code]},
                "customdata": [
                    [links.get((code, m), ""), code, fmt.month_long(m), f"{label}: {fmt.de_int(v)}"]
                    for m, v in zip(months, values, strict=True)
                ],
                "hovertemplate": HOVER,
            }
        )
    per_month = frame.groupby("month")["value"].sum()
    top = int(per_month.max())
    if notes is not None and note_link is not None:
        above = {m: int(v) + top * 0.06 for m, v in per_month.items()}
        traces += note_trace(notes, above, note_link)
    legend = {"title": {"text": legend_title, "side": "top"}} if legend_title else {}
    return build(
        traces,
        380,
        plain=plain,
        barmode="stack",
        xaxis={**MONTH_AXIS, "ticklabelmode": "period"},
        yaxis={"title": {"text": f"{label} je Monat"}, **_whole(top)},
        **({"legend": legend} if legend else {}),
    )


def cumulative(
    actual: pd.Series,
    target: pd.Series,
    *,
    measure: str,
    notes: pd.DataFrame | None = None,
    note_link: Callable[[str, date], str] | None = None,
    plain: bool = False,
) -> go.Figure | dict:
    """Cumulative actual against the cumulative target line (both indexed by month), with a
    marker on the actual line at each month with comments (``notes``)."""
    if actual.empty or int(actual.sum()) == 0:
        return _none(measure, height=380, plain=plain)
    goal = target.cumsum()
    cum = actual.cumsum()
    traces = [
        {
            "type": "scatter",
            "x": list(goal.index),
            "y": [float(v) for v in goal],
            "name": "Ziel (zeitanteilig)",
            "mode": "lines",
            "line": {"color": LINE_COLORS["target"], "dash": "dash", "width": 2},
            "customdata": [fmt.de_int(v) for v in goal],
            "hovertemplate": "%{customdata}",
        },
        {
            "type": "scatter",
            "x": list(cum.index),
            "y": [int(v) for v in cum],
            "name": "Ist",
            "mode": "lines+markers",
            "line": {"color": LINE_COLORS["actual"], "width": 3},
            "marker": {"size": 6},
            "customdata": [fmt.de_int(v) for v in cum],
            "hovertemplate": "%{customdata}",
        },
    ]
    if notes is not None and note_link is not None:
        traces += note_trace(notes, cum.to_dict(), note_link)
    return build(
        traces,
        380,
        plain=plain,
        xaxis={**MONTH_AXIS, "hoverformat": "%B %Y"},
        yaxis={"title": {"text": f"{MEASURE_LABELS[measure]} kumuliert"}},
        hovermode="x unified",
    )


def _category_bars(
    counts: Mapping[str, int],
    links: Mapping[str, str],
    colors: Mapping[str, str],
    label: str,
    empty_text: str,
    plain: bool = False,
) -> go.Figure | dict:
    """One bar per category with count and share on top; a message when all are zero."""
    total = sum(counts.values())
    if total == 0:
        return empty(empty_text, height=360, plain=plain)
    names = list(counts)
    bar = {
        "type": "bar",
        "x": names,
        "y": [counts[n] for n in names],
        "marker": {"color": [colors.get(n, "#888") for n in names]},
        "text": [
            f"{fmt.de_int(counts[n])} ({fmt.de_pct(Fraction(counts[n], total))})" for n in names
        ],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": [
            [links.get(n, ""), n, label, f"{label}: {fmt.de_int(counts[n])}"] for n in names
        ],
        "hovertemplate": HOVER,
    }
    return build(
        [bar],
        360,
        plain=plain,
        showlegend=False,
        yaxis={"title": {"text": label}, "range": [0, max(counts.values()) * 1.18]},
    )


def size_classes(
    counts: Mapping[str, int], links: Mapping[str, str], plain: bool = False
) -> go.Figure | dict:
    """Distinct companies per SME class, with count and share on each bar."""
    return _category_bars(
        counts,
        links,
        SIZE_COLORS,
        "Unternehmen",
        "Keine teilnehmenden Unternehmen in dieser Auswahl.",
        plain,
    )


def formats(
    counts: Mapping[str, int], links: Mapping[str, str], plain: bool = False
) -> go.Figure | dict:
    """Events per format, with count and share on each bar."""
    return _category_bars(
        counts,
        links,
        FORMAT_COLORS,
        "Veranstaltungen",
        "Keine Veranstaltungen in dieser Auswahl.",
        plain,
    )
