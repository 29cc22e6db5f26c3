"""The page Indikatoren's fragments: one card per EU output indicator with its total against
the target and a table of target vs actual per year (by size class where split)."""

from __future__ import annotations

from fractions import Fraction

import dash_bootstrap_components as dbc
from dash import html

from dashboard import fmt
from dashboard.views import components as ui
from etl.core.indicators import SIZE_CLASSES, Indicator, YearCount, total_target

HEADERS = ("Jahr", "Ziel", "Ist (neu)", "Ziel kum.", "Ist kum.", "Erreichung")


def _num(value: int | None) -> str:
    return "–" if value is None else fmt.de_int(value)


def _share(actual: int, target: int | None) -> Fraction | None:
    return Fraction(actual, target) if target else None


def _row(y: YearCount, split: bool) -> html.Tr:
    cells = [
        ui.year_text(y.year),
        _num(y.target),
        _num(y.actual),
        _num(y.target_cumulative),
        _num(y.actual_cumulative),
        fmt.de_pct(_share(y.actual_cumulative, y.target_cumulative))
        if y.target_cumulative
        else "–",
    ]
    cells += [_num(y.by_size.get(c)) for c in SIZE_CLASSES] if split else []
    heads = [*HEADERS, *(SIZE_CLASSES if split else ())]
    return html.Tr([html.Td(c, **{"data-label": h}) for h, c in zip(heads, cells, strict=True)])


def year_table(ind: Indicator, counts: list[YearCount], years) -> dbc.Table:
    """Target vs actual per year (only ``years`` when given)."""
    heads = [*HEADERS, *(SIZE_CLASSES if ind.split_by_size else ())]
    rows = [_row(y, ind.split_by_size) for y in counts if not years or y.year in years]
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(rows)],
        size="sm",
        className="indicator-table mb-0 table-responsive-cards",
        id=f"indicators-table-{ind.code}",
    )


def summary(ind: Indicator, counts: list[YearCount], years_all) -> html.Div:
    """The whole period: actual against target, with a progress bar."""
    actual = counts[-1].actual_cumulative if counts else 0
    target = total_target(ind, years_all)
    share = _share(actual, target)
    text = (
        f"{fmt.de_int(actual)} von {fmt.de_int(target)} ({fmt.de_pct(share)})"
        if target
        else f"{fmt.de_int(actual)} (ohne Ziel)"
    )
    parts = [
        html.Div("Laufzeit gesamt", className="kpi-label"),
        html.Div(text, className="kpi-value", id=f"indicators-total-{ind.code}"),
    ]
    if target:
        parts.append(ui.progress(share))
    if ind.split_by_size and counts:
        sizes = {c: sum(y.by_size[c] for y in counts) for c in SIZE_CLASSES}
        parts.append(
            html.Div(
                " · ".join(f"{c}: {fmt.de_int(n)}" for c, n in sizes.items()), className="kpi-line"
            )
        )
    return html.Div(parts, className="mb-3 indicator-summary")


def indicator_card(ind: Indicator, counts: list[YearCount], years_all, years) -> dbc.Card:
    """One indicator: definition, counting rule, total and the table per year."""
    return ui.section(
        f"{ind.code} – {ind.name}",
        html.P(ind.definition, className="mb-1"),
        html.P(["Zählweise: ", ind.counting_text(), "."], className="text-muted small"),
        summary(ind, counts, years_all),
        html.Div(year_table(ind, counts, years), className="table-scroll"),
        id=f"indicators-card-{ind.code}",
    )
