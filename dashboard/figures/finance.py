"""Charts of the Finanzen page: burn curve, plan vs actual per partner x year, eligible costs
split by category and by financing, money at risk per year."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt
from dashboard.calc.periods import month_end
from dashboard.figures import empty, figure, keep_bars_narrow, millions, thousands
from dashboard.labels import CATEGORY_LABELS, FINANCING_LABELS
from dashboard.theme import CATEGORY_COLORS, FINANCING_COLORS, LINE_COLORS

NO_MONEY = "Noch keine Ausgaben in dieser Auswahl gemeldet."
HOVER = "<b>%{customdata[1]}</b> · %{customdata[2]}<br>%{customdata[3]}<extra></extra>"
CURVES = (
    ("plan", "Plan (Finanzplan)", {"color": LINE_COLORS["plan"], "width": 2, "shape": "linear"}),
    ("linear", "Zeitlinie (linear)", {"color": LINE_COLORS["linear"], "width": 2, "dash": "dot"}),
    ("forecast", "Prognose", {"color": LINE_COLORS["forecast"], "width": 3, "dash": "dash"}),
    ("actual", "Ist (förderfähig)", {"color": LINE_COLORS["actual"], "width": 4}),
)


def burn(curve: pd.DataFrame, as_of: date) -> go.Figure:
    """Cumulative eligible costs against plan, linear time line and forecast (Mio. €)."""
    if curve.empty or curve["actual"].dropna().empty:
        return empty(NO_MONEY)
    ends = [month_end(m.date()) for m in curve["month"]]
    # Million euros for the grant, thousand euros for a small selection (no repeated ticks).
    big = int(curve["plan"].max()) >= 100_000_000
    scale, unit = (millions, "Mio. €") if big else (thousands, "Tsd. €")
    fig = figure(
        height=440,
        hovermode="x unified",
        yaxis={
            "title": {"text": f"{unit} (kumuliert)"},
            "tickformat": ",.1f" if big else ",.0f",
            "rangemode": "tozero",
        },
        xaxis={"tickformat": "%b<br>%Y", "dtick": "M3", "hoverformat": "%d.%m.%Y"},
    )
    for key, name, line in CURVES:
        values = [None if pd.isna(v) else v for v in curve[key]]
        fig.add_scatter(
            x=ends,
            y=[None if v is None else scale(v) for v in values],
            name=name,
            mode="lines",
            line=line,
            connectgaps=False,
            customdata=["" if v is None else fmt.eur(v) for v in values],
            hovertemplate="%{customdata}",
        )
    stand = month_end(as_of)
    fig.add_vline(x=stand, line={"color": "#6c757d", "width": 1, "dash": "dot"})
    fig.add_annotation(
        x=stand,
        y=1,
        yref="paper",
        text=f"Stand {fmt.de_date(stand)}",
        showarrow=False,
        xanchor="right",
        yanchor="top",
        font={"size": 13},
    )
    fig.add_annotation(
        text=_gap_text(curve),
        x=0.01,
        y=0.98,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        bgcolor="rgba(255,255,255,0.9)",
        bordercolor="#ced4da",
        borderpad=6,
        font={"size": 15},
    )
    return fig


def _gap_text(curve: pd.DataFrame) -> str:
    """Actual against plan at the latest month with data, in words."""
    last = curve.dropna(subset=["actual"]).iloc[-1]
    gap = int(last["actual"]) - int(last["plan"])
    sign = "+" if gap > 0 else ""
    return (
        f"Ende {fmt.month_long(last['month'].date())}: Ist {fmt.eur_short(last['actual'])}"
        f" · Plan {fmt.eur_short(last['plan'])}<br>Abstand zum Plan: "
        f"<b>{sign}{fmt.eur_short(gap)}</b>"
    )


def plan_actual(
    lines: pd.DataFrame, partners: Sequence[str], link: Callable[[str, int, str], str]
) -> go.Figure:
    """Actual per partner x year stacked by cost category, the plan as a tick (Tsd. €)."""
    if lines.empty or int(lines["actual"].sum()) == 0:
        return empty(NO_MONEY)
    keys = [(p, y) for p in partners for y in sorted(lines["year"].unique())]
    x = [[p for p, _ in keys], [str(y) for _, y in keys]]
    fig = figure(
        height=440, barmode="stack", yaxis={"title": {"text": "Tsd. €"}, "tickformat": ",.0f"}
    )
    by = lines.set_index(["partner_code", "year", "category"])
    for cat, label in CATEGORY_LABELS.items():
        cents = [int(by.loc[(p, y, cat), "actual"]) for p, y in keys]
        fig.add_bar(
            x=x,
            y=[thousands(c) for c in cents],
            name=label,
            marker_color=CATEGORY_COLORS[cat],
            customdata=[
                [link(p, y, cat), f"{p} {y}", label, f"Ist: {fmt.eur(c)}"]
                for (p, y), c in zip(keys, cents, strict=True)
            ],
            hovertemplate=HOVER,
        )
    plan = lines.groupby(["partner_code", "year"])["plan"].sum()
    fig.add_scatter(
        x=x,
        y=[thousands(plan[k]) for k in keys],
        mode="markers",
        name="Plan",
        marker={
            "symbol": "line-ew-open",
            "size": 30,
            "color": LINE_COLORS["plan"],
            "line": {"width": 3, "color": LINE_COLORS["plan"]},
        },
        customdata=[fmt.eur(plan[k]) for k in keys],
        hovertemplate="Plan: %{customdata}<extra></extra>",
    )
    keep_bars_narrow(fig, len(keys))
    return fig


def split(
    eligible: pd.DataFrame,
    partners: Sequence[str],
    fields: Mapping[str, str],
    colors: Mapping[str, str],
    link: Callable[[str], str],
) -> go.Figure:
    """Horizontal bars per partner stacked by ``fields`` (cents columns of ``eligible``)."""
    sums = eligible.groupby("partner_code")[list(fields)].sum()
    if sums.empty or int(sums.to_numpy().sum()) == 0:
        return empty(NO_MONEY, height=340)
    order = [p for p in partners if p in sums.index][::-1]
    fig = figure(
        height=340,
        barmode="stack",
        margin={"l": 70, "r": 20, "t": 30, "b": 50},
        xaxis={
            "title": {"text": "Tsd. €"},
            "tickformat": ",.0f",
            "showgrid": True,
            "gridcolor": "#e9ecef",
        },
        yaxis={"type": "category"},
    )
    for key, label in fields.items():
        cents = [int(sums.loc[p, key]) for p in order]
        fig.add_bar(
            y=order,
            x=[thousands(c) for c in cents],
            name=label,
            orientation="h",
            marker_color=colors[key],
            customdata=[[link(p), p, label, fmt.eur(c)] for p, c in zip(order, cents, strict=True)],
            hovertemplate=HOVER,
        )
    keep_bars_narrow(fig, len(order), axis="y")
    return fig


def by_category(
    eligible: pd.DataFrame, partners: Sequence[str], link: Callable[[str], str]
) -> go.Figure:
    """Eligible costs per partner: personnel, overheads, material."""
    return split(eligible, partners, CATEGORY_LABELS, CATEGORY_COLORS, link)


def by_financing(
    eligible: pd.DataFrame, partners: Sequence[str], link: Callable[[str], str]
) -> go.Figure:
    """Eligible costs per partner: EU, state and own share."""
    return split(eligible, partners, FINANCING_LABELS, FINANCING_COLORS, link)


def at_risk(fc: pd.DataFrame, partners: Sequence[str], colors: Mapping[str, str]) -> go.Figure:
    """Money at risk per year, stacked by partner (Tsd. €), total on top."""
    if fc.empty or int(fc["at_risk"].sum()) == 0:
        return empty("Nach Prognose werden alle geplanten Mittel ausgeschöpft.", height=340)
    years = sorted(fc["year"].unique())
    fig = figure(
        height=340,
        barmode="stack",
        xaxis={"type": "category"},
        yaxis={"title": {"text": "Tsd. €"}, "tickformat": ",.0f"},
    )
    risk = fc.set_index(["partner_code", "year"])["at_risk"]
    for code in partners:
        cents = [int(risk.get((code, y), 0)) for y in years]
        fig.add_bar(
            x=[str(y) for y in years],
            y=[thousands(c) for c in cents],
            name=code,
            marker_color=colors[code],
            customdata=[
                ["", code, str(y), f"gefährdet: {fmt.eur(c)}"]
                for y, c in zip(years, cents, strict=True)
            ],
            hovertemplate=HOVER,
        )
    totals = [int(fc.loc[fc["year"] == y, "at_risk"].sum()) for y in years]
    fig.add_scatter(
        x=[str(y) for y in years],
        y=[thousands(t) for t in totals],
        mode="text",
        text=[fmt.eur_short(t) for t in totals],
        textposition="top center",
        showlegend=False,
        hoverinfo="skip",
        textfont={"size": 15},
    )
    fig.update_yaxes(range=[0, thousands(max(totals)) * 1.2])
    keep_bars_narrow(fig, len(years))
    return fig
