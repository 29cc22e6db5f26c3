"""Charts of the Finanzen page: burn curve, plan vs actual per partner x year, eligible costs
split by category and by financing, money at risk per year."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import data, fmt
from dashboard.calc.periods import month_end
from dashboard.figures import build, empty, millions, thousands
from dashboard.figures.notes import note_trace
from dashboard.figures.partners import (
    average_label,
    largest,
    partner_rows,
    positions_in,
    sum_by,
    with_average,
)
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


def burn(
    curve: pd.DataFrame, as_of: date, notes: pd.DataFrame | None = None, plain: bool = False
) -> go.Figure | dict:
    """Cumulative eligible costs against plan, linear time line and forecast (Mio. €), with a
    marker on the actual line at each month with comments (``notes``)."""
    if curve.empty or curve["actual"].dropna().empty:
        return empty(NO_MONEY, plain=plain)
    # Million euros for the grant, thousand euros for a small selection (no repeated ticks).
    big = int(curve["plan"].max()) >= 100_000_000
    scale, unit = (millions, "Mio. €") if big else (thousands, "Tsd. €")
    stand = month_end(as_of)
    traces = _burn_traces(curve, scale)
    if notes is not None:
        actual = zip(curve["month"], curve["actual"], strict=True)
        spent = {m.date(): scale(v) for m, v in actual if not pd.isna(v)}
        notes = notes[notes["month"].isin(list(spent))]  # none on months without an actual
        traces += note_trace(notes, spent, lambda _p, _m: "", x_of=month_end)
    return build(
        traces,
        440,
        plain=plain,
        hovermode="x unified",
        yaxis={
            "title": {"text": f"{unit} (kumuliert)"},
            "tickformat": ",.1f" if big else ",.0f",
            "rangemode": "tozero",
        },
        xaxis={"tickformat": "%b<br>%Y", "dtick": "M3", "hoverformat": "%d.%m.%Y"},
        shapes=[_stand_line(stand)],
        annotations=[_stand_label(stand), _gap_box(curve)],
    )


def _burn_traces(curve: pd.DataFrame, scale: Callable) -> list[dict]:
    """One line per curve (CURVES) over the months' last days, hovering the exact euros."""
    ends = [month_end(m.date()) for m in curve["month"]]
    traces = []
    for key, name, line in CURVES:
        values = [None if pd.isna(v) else v for v in curve[key]]
        traces.append(
            {
                "type": "scatter",
                "x": ends,
                "y": [None if v is None else scale(v) for v in values],
                "name": name,
                "mode": "lines",
                "line": line,
                "connectgaps": False,
                "customdata": ["" if v is None else fmt.eur(v) for v in values],
                "hovertemplate": "%{customdata}",
            }
        )
    return traces


def _stand_line(stand: date) -> dict:
    """A dotted vertical line at the day the figures stand at."""
    return {
        "type": "line",
        "x0": stand,
        "x1": stand,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "y domain",
        "line": {"color": "#6c757d", "width": 1, "dash": "dot"},
    }


def _stand_label(stand: date) -> dict:
    return {
        "x": stand,
        "y": 1,
        "yref": "paper",
        "text": f"Stand {fmt.de_date(stand)}",
        "showarrow": False,
        "xanchor": "right",
        "yanchor": "top",
        "font": {"size": 13},
    }


def _gap_box(curve: pd.DataFrame) -> dict:
    """The box in the upper left corner with actual against plan (:func:`_gap_text`)."""
    return {
        "text": _gap_text(curve),
        "x": 0.01,
        "y": 0.98,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "left",
        "yanchor": "top",
        "showarrow": False,
        "align": "left",
        "bgcolor": "rgba(255,255,255,0.9)",
        "bordercolor": "#ced4da",
        "borderpad": 6,
        "font": {"size": 15},
    }


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
    lines: pd.DataFrame,
    partners: Sequence[str],
    link: Callable[[str, int, str], str],
    plain: bool = False,
    plan_name: str = "Plan",
) -> go.Figure | dict:
    """Actual per partner x year stacked by cost category, the plan as a tick (Tsd. €) named
    ``plan_name``. With more than MAX_PARTNERS partners: the largest ones (actual) and the
    rest's average."""
    if lines.empty or int(lines["actual"].sum()) == 0:
        return empty(NO_MONEY, plain=plain)
    years = sorted(lines["year"].unique())
    partners = list(dict.fromkeys(partners))
    act_cube, plan_cube, size_of = _plan_actual_cubes(lines, partners, years)
    shown, rest = largest(partners, dict(zip(partners, size_of.tolist(), strict=True)))
    other = average_label(len(rest))
    groups = [*shown, other] if rest else shown
    keys = [(p, y) for p in groups for y in years]
    x = [[p for p, _ in keys], [data.year_label(y) for _, y in keys]]
    act_rows = with_average(partner_rows(act_cube, partners, shown, rest), len(rest))
    plan_rows = with_average(partner_rows(plan_cube, partners, shown, rest), len(rest))
    # the rest's bar opens no rows (it averages several partners)
    links = ["" if p == other and rest else p for p, _y in keys]
    traces = [
        *_category_traces(act_rows, keys, x, links, link),
        _plan_trace([int(v) for row in plan_rows for v in row], x, plan_name),
    ]
    return build(
        traces,
        440,
        narrow=("x", len(keys)),
        plain=plain,
        barmode="stack",
        yaxis={"title": {"text": "Tsd. €"}, "tickformat": ",.0f"},
    )


def _plan_actual_cubes(
    lines: pd.DataFrame, partners: list[str], years: list
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Actual as partner x year x category, plan as partner x year (all categories) and the
    actual per partner, in cents."""
    p_at = positions_in(lines["partner_code"], partners)
    y_at = positions_in(lines["year"], years)
    c_at = positions_in(lines["category"], list(CATEGORY_LABELS))
    actual = lines["actual"].to_numpy(dtype=np.int64)
    plan = lines["plan"].to_numpy(dtype=np.int64)
    size_of = sum_by(p_at, len(partners), actual)
    ok = (y_at >= 0) & (p_at >= 0)
    cell = np.where(ok, p_at * len(years) + y_at, -1)
    n_cells = len(partners) * len(years)
    cat_ok = ok & (c_at >= 0)
    flat = np.where(cat_ok, cell * len(CATEGORY_LABELS) + c_at, -1)
    act_cube = sum_by(flat, n_cells * len(CATEGORY_LABELS), actual).reshape(
        len(partners), len(years), len(CATEGORY_LABELS)
    )
    plan_cube = sum_by(cell, n_cells, plan).reshape(len(partners), len(years))
    return act_cube, plan_cube, size_of


def _category_traces(
    act_rows: list, keys: list, x: list, links: list[str], link: Callable[[str, int, str], str]
) -> list[dict]:
    """One stacked bar trace per cost category; ``links``: the partner whose rows a bar
    opens ('' for none)."""
    traces = []
    for ci, (cat, label) in enumerate(CATEGORY_LABELS.items()):
        cents = [int(v) for row in act_rows for v in row[:, ci]]
        traces.append(
            dict(
                type="bar",
                x=x,
                y=[thousands(c) for c in cents],
                name=label,
                marker={"color": CATEGORY_COLORS[cat]},
                customdata=[
                    [
                        link(target, y, cat) if target else "",
                        f"{p} {y}",
                        label,
                        f"Ist: {fmt.eur(c)}",
                    ]
                    for (p, y), target, c in zip(keys, links, cents, strict=True)
                ],
                hovertemplate=HOVER,
            )
        )
    return traces


def _plan_trace(planned: list[int], x: list, name: str = "Plan") -> dict:
    """The plan of each bar as a horizontal tick."""
    return dict(
        type="scatter",
        x=x,
        y=[thousands(c) for c in planned],
        mode="markers",
        name=name,
        marker={
            "symbol": "line-ew-open",
            "size": 30,
            "color": LINE_COLORS["plan"],
            "line": {"width": 3, "color": LINE_COLORS["plan"]},
        },
        customdata=[fmt.eur(c) for c in planned],
        hovertemplate=name + ": %{customdata}<extra></extra>",
    )


def split(
    eligible: pd.DataFrame,
    partners: Sequence[str],
    fields: Mapping[str, str],
    colors: Mapping[str, str],
    link: Callable[[str], str],
    plain: bool = False,
) -> go.Figure | dict:
    """Horizontal bars per partner stacked by ``fields`` (cents columns of ``eligible``); with
    more than MAX_PARTNERS partners the largest ones (sum of ``fields``) and the rest's average."""
    partners = list(dict.fromkeys(partners))
    at = positions_in(eligible["partner_code"], partners)
    sums = sum_by(at, len(partners), eligible[list(fields)].to_numpy(dtype=np.int64))
    there = np.zeros(len(partners), dtype=bool)
    there[at[at >= 0]] = True
    if not there.any() or int(sums.sum()) == 0:
        return empty(NO_MONEY, height=340, plain=plain)
    present = [p for p, t in zip(partners, there.tolist(), strict=True) if t]
    size = dict(zip(partners, sums.sum(axis=1).tolist(), strict=True))
    shown, rest = largest(present, size)
    rows = with_average(partner_rows(sums, partners, shown, rest), len(rest))
    other = average_label(len(rest))
    cents_of = {p: [int(v) for v in row] for p, row in zip([*shown, other], rows, strict=False)}
    order = [other, *shown[::-1]] if rest else shown[::-1]  # largest on top, the rest below
    traces = []
    for i, (key, label) in enumerate(fields.items()):
        cents = [cents_of[p][i] for p in order]
        traces.append(
            dict(
                type="bar",
                y=order,
                x=[thousands(c) for c in cents],
                name=label,
                orientation="h",
                marker={"color": colors[key]},
                customdata=[
                    ["" if rest and p == other else link(p), p, label, fmt.eur(c)]
                    for p, c in zip(order, cents, strict=True)
                ],
                hovertemplate=HOVER,
            )
        )
    return build(
        traces,
        340,
        narrow=("y", len(order)),
        plain=plain,
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


def by_category(
    eligible: pd.DataFrame,
    partners: Sequence[str],
    link: Callable[[str], str],
    plain: bool = False,
) -> go.Figure | dict:
    """Eligible costs per partner: personnel, overheads, material."""
    return split(eligible, partners, CATEGORY_LABELS, CATEGORY_COLORS, link, plain)


def by_financing(
    eligible: pd.DataFrame,
    partners: Sequence[str],
    link: Callable[[str], str],
    plain: bool = False,
    labels: Mapping[str, str] = FINANCING_LABELS,
) -> go.Figure | dict:
    """Eligible costs per partner: EU, state and own share (``labels``: their names, the
    funding sources as the network names them)."""
    return split(eligible, partners, labels, FINANCING_COLORS, link, plain)
