"""Charts of the Aktivitäten page: stacked bars against targets, monthly trend, SME classes,
event formats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt
from dashboard.figures import empty, figure, keep_bars_narrow, whole_numbers
from dashboard.labels import MEASURE_LABELS
from dashboard.theme import FORMAT_COLORS, LINE_COLORS, SIZE_COLORS

HOVER = "<b>%{customdata[1]}</b> · %{customdata[2]}<br>%{customdata[3]}<extra></extra>"
NO_DATA = "Keine {} in dieser Auswahl – Filter oben erweitern."


def _none(measure: str, height: int = 420) -> go.Figure:
    return empty(NO_DATA.format(MEASURE_LABELS[measure]), height=height)


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
) -> go.Figure:
    """Bars of ``measure`` per ``x``, stacked by ``color``; totals on top, targets as ticks."""
    if table.empty or int(table[measure].sum()) == 0:
        return _none(measure)
    fig = figure(
        barmode="stack",
        xaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [str(v) for v in x_order],
        },
        yaxis={"title": {"text": MEASURE_LABELS[measure]}},
    )
    values = table.groupby([x, color])[measure].sum()
    label = MEASURE_LABELS[measure]
    for c in color_order:
        ys = [int(values.get((v, c), 0)) for v in x_order]
        fig.add_bar(
            x=[str(v) for v in x_order],
            y=ys,
            name=str(c),
            marker_color=colors[c],
            customdata=[
                [links.get((v, c), ""), v, c, f"{label}: {fmt.de_int(y)}"]
                for v, y in zip(x_order, ys, strict=True)
            ],
            hovertemplate=HOVER,
        )
    totals = [
        int(values.xs(v, level=0).sum()) if v in values.index.get_level_values(0) else 0
        for v in x_order
    ]
    goals = [int((targets or {}).get(v, 0)) for v in x_order]
    if targets:
        _add_targets(fig, [str(v) for v in x_order], goals)
    # One label per bar, above both the bar and the target tick, so they never overlap.
    for x, t, g in zip(x_order, totals, goals, strict=True):
        fig.add_annotation(
            x=str(x),
            y=max(t, g),
            text=_total_label(t, g),
            showarrow=False,
            yanchor="bottom",
            yshift=8,
            font={"size": 15},
        )
    top = max(max(totals), max(goals))
    fig.update_yaxes(range=[0, top * 1.18 if top else 1])
    keep_bars_narrow(fig, len(x_order))
    whole_numbers(fig, top)
    return fig


def _total_label(total: int, goal: int) -> str:
    if not goal:
        return f"<b>{fmt.de_int(total)}</b>"
    return f"<b>{fmt.de_int(total)}</b> / Ziel {fmt.de_int(goal)}"


def _add_targets(fig: go.Figure, xs: list[str], goals: list) -> None:
    fig.add_scatter(
        x=xs,
        y=[int(g) for g in goals],
        mode="markers",
        name="Ziel",
        marker={
            "symbol": "line-ew-open",
            "size": 44,
            "color": LINE_COLORS["target"],
            "line": {"width": 3, "color": LINE_COLORS["target"]},
        },
        customdata=[fmt.de_int(g) for g in goals],
        hovertemplate="Ziel: %{customdata}<extra></extra>",
    )


def monthly_bars(
    frame: pd.DataFrame,
    *,
    measure: str,
    partners: Sequence[str],
    colors: Mapping[str, str],
    links: Mapping[tuple, str],
) -> go.Figure:
    """Monthly values per partner (frame: month, partner_code, value), stacked."""
    if frame.empty or int(frame["value"].sum()) == 0:
        return _none(measure, height=380)
    fig = figure(
        height=380,
        barmode="stack",
        xaxis={"tickformat": "%b<br>%Y", "dtick": "M3", "ticklabelmode": "period"},
        yaxis={"title": {"text": f"{MEASURE_LABELS[measure]} je Monat"}},
    )
    for code in partners:
        part = frame[frame["partner_code"] == code]
        if part.empty:
            continue
        fig.add_bar(
            x=list(part["month"]),
            y=[int(v) for v in part["value"]],
            name=code,
            marker_color=colors[code],
            customdata=[
                [
                    links.get((code, m), ""),
                    code,
                    fmt.month_long(m),
                    f"{MEASURE_LABELS[measure]}: {fmt.de_int(v)}",
                ]
                for m, v in zip(part["month"], part["value"], strict=True)
            ],
            hovertemplate=HOVER,
        )
    whole_numbers(fig, int(frame.groupby("month")["value"].sum().max()))
    return fig


def cumulative(actual: pd.Series, target: pd.Series, *, measure: str) -> go.Figure:
    """Cumulative actual against the cumulative target line (both indexed by month)."""
    if actual.empty or int(actual.sum()) == 0:
        return _none(measure, height=380)
    fig = figure(
        height=380,
        xaxis={"tickformat": "%b<br>%Y", "dtick": "M3", "hoverformat": "%B %Y"},
        yaxis={"title": {"text": f"{MEASURE_LABELS[measure]} kumuliert"}},
        hovermode="x unified",
    )
    goal = target.cumsum()
    fig.add_scatter(
        x=list(goal.index),
        y=[float(v) for v in goal],
        name="Ziel (zeitanteilig)",
        mode="lines",
        line={"color": LINE_COLORS["target"], "dash": "dash", "width": 2},
        customdata=[fmt.de_int(v) for v in goal],
        hovertemplate="%{customdata}",
    )
    cum = actual.cumsum()
    fig.add_scatter(
        x=list(cum.index),
        y=[int(v) for v in cum],
        name="Ist",
        mode="lines+markers",
        line={"color": LINE_COLORS["actual"], "width": 3},
        marker={"size": 6},
        customdata=[fmt.de_int(v) for v in cum],
        hovertemplate="%{customdata}",
    )
    return fig


def _category_bars(
    counts: Mapping[str, int],
    links: Mapping[str, str],
    colors: Mapping[str, str],
    label: str,
    empty_text: str,
) -> go.Figure:
    """One bar per category with count and share on top; a message when all are zero."""
    total = sum(counts.values())
    if total == 0:
        return empty(empty_text, height=360)
    names = list(counts)
    fig = figure(height=360, showlegend=False, yaxis={"title": {"text": label}})
    fig.add_bar(
        x=names,
        y=[counts[n] for n in names],
        marker_color=[colors.get(n, "#888") for n in names],
        text=[f"{fmt.de_int(counts[n])} ({fmt.de_pct(Fraction(counts[n], total))})" for n in names],
        textposition="outside",
        cliponaxis=False,
        customdata=[
            [links.get(n, ""), n, label, f"{label}: {fmt.de_int(counts[n])}"] for n in names
        ],
        hovertemplate=HOVER,
    )
    fig.update_yaxes(range=[0, max(counts.values()) * 1.18])
    return fig


def size_classes(counts: Mapping[str, int], links: Mapping[str, str]) -> go.Figure:
    """Distinct companies per SME class, with count and share on each bar."""
    return _category_bars(
        counts,
        links,
        SIZE_COLORS,
        "Unternehmen",
        "Keine teilnehmenden Unternehmen in dieser Auswahl.",
    )


def formats(counts: Mapping[str, int], links: Mapping[str, str]) -> go.Figure:
    """Events per format, with count and share on each bar."""
    return _category_bars(
        counts, links, FORMAT_COLORS, "Veranstaltungen", "Keine Veranstaltungen in dieser Auswahl."
    )
