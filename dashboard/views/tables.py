"""Tables (HTML and AG Grid definitions) built from calculated frames; pure functions."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import data, fmt
from dashboard.calc.periods import Deadline
from dashboard.labels import MONTH_STATE_LABELS, STATUS_LABELS
from dashboard.views import components as ui


def forecast_table(fc: pd.DataFrame) -> dbc.Table:
    """Per year: plan, actual so far, forecast for the year's end, money at risk."""
    head = html.Thead(
        html.Tr(
            [
                html.Th("Jahr"),
                *[
                    html.Th(ui.with_info(label, key), className="num")
                    for label, key in (
                        ("Plan", "plan"),
                        ("Ist bisher", "actual_to_date"),
                        ("Prognose Jahresende", "forecast"),
                        ("gefährdet", "at_risk"),
                    )
                ],
            ]
        )
    )
    rows = []
    sums = fc.groupby("year")[["plan", "actual", "forecast", "at_risk"]].sum()
    for year, r in sums.iterrows():
        rows.append(
            html.Tr(
                [
                    html.Td(data.year_label(year)),
                    *[
                        html.Td(fmt.eur(int(r[c])), className="num")
                        for c in ("plan", "actual", "forecast")
                    ],
                    html.Td(
                        fmt.eur(int(r["at_risk"])),
                        className="num fw-bold" + (" text-danger" if r["at_risk"] else ""),
                    ),
                ]
            )
        )
    return dbc.Table(
        [head, html.Tbody(rows)],
        className="money-table mb-0",
        hover=True,
        responsive=True,  # scrolls inside itself on a phone
        id="finance-forecast-table",
    )


def at_risk_note(fc: pd.DataFrame) -> html.P:
    """How 'gefährdet' is computed, with the figures of ``fc`` (partner x year), and why it
    is not plan minus forecast overall: partners cannot offset each other's spending."""
    plan, forecast = int(fc["plan"].sum()), int(fc["forecast"].sum())
    risk = int(fc["at_risk"].sum())
    return html.P(
        [
            html.Strong("Wie „gefährdet“ gerechnet wird: "),
            f"je Partner und Jahr max(0, Plan − Prognose), summiert = {fmt.eur(risk)}. "
            f"Plan − Prognose insgesamt wären {fmt.eur(plan - forecast)}: dort würden die "
            "Mehrausgaben eines Partners die nicht ausgegebenen Mittel eines anderen "
            "ausgleichen. Das können sie nicht – jeder Partner rechnet seine eigene Zuwendung "
            "ab, nicht verbrauchte Mittel eines Partners verfallen oder müssen umgeschichtet "
            "werden.",
        ],
        className="text-muted small mt-2 mb-0",
        id="finance-at-risk-note",
    )


def deadlines_list(deadlines: list[Deadline], today: date) -> html.Ul:
    """Every proof-of-use deadline; the next ones highlighted, past ones muted."""
    upcoming = sorted((d for d in deadlines if d.due >= today), key=lambda d: d.due)
    nxt = upcoming[0] if upcoming else None
    items = []
    for d in deadlines:
        days = (d.due - today).days
        when = (
            f"in {fmt.de_int(days)} Tagen"
            if days > 0
            else "heute"
            if days == 0
            else "Frist abgelaufen"
        )
        cls = "deadline-next" if d == nxt else "deadline-past" if days < 0 else "deadline"
        items.append(
            html.Li(
                [
                    html.Div(d.label, className="fw-semibold"),
                    html.Div(f"{fmt.de_date(d.due)} · {when}"),
                ],
                className=cls,
            )
        )
    return html.Ul(items, className="deadlines list-unstyled mb-0", id="finance-deadlines")


def _arrived(r) -> bool:
    return r.first_at is not None and not pd.isna(r.first_at)


def _cell_title(r) -> str:
    month = fmt.month_long(r.month)
    if r.due is None or pd.isna(r.due):  # the partner need not report the month
        text = f"{month}: {STATUS_LABELS['exempt']}"
        if _arrived(r):
            text += f", eingegangen am {fmt.de_date(r.first_at)}"
    elif not _arrived(r):
        text = f"{month}: kein angenommener Bericht (fällig {fmt.de_date(r.due)})"
    else:
        text = (
            f"{month}: eingegangen am {fmt.de_date(r.first_at)}, fällig "
            f"{fmt.de_date(r.due)} – {STATUS_LABELS[r.status]}"
        )
    if r.corrected:
        text += "; später korrigiert (neue Fassung hochgeladen)"
    if r.n_rejected:
        text += f"; {r.n_rejected} abgelehnte Datei(en)"
    return text


def node(tag: str, children=None, namespace: str = "dash_html_components", **props) -> dict:
    """A component as Dash sends it to the browser (what ``Component.to_plotly_json`` gives),
    built as a plain dict: no per-prop validation of the component classes, for tables with
    hundreds of cells per callback. ``tag`` is the class name ("Td", "Link" with
    ``namespace="dash_core_components"``)."""
    if children is not None:
        props["children"] = children
    return {"type": tag, "namespace": namespace, "props": props}


def _cell(r, link) -> dict:
    """One matrix cell: arrival date (or 'fehlt'/'offen') linking to the month's files.

    The cell itself is the link (``data-href``, role "link", focusable): a dcc.Link inside
    every cell would double the matrix's components, and dash-renderer mounts a callback's
    components in time growing faster than their number. ``assets/matrix-links.js`` navigates
    on click and Enter/Space the way dcc.Link does (history.pushState, no page reload)."""
    label = (
        f"{r.first_at:%d.%m.}"
        if _arrived(r)
        else {"missing": "fehlt", "open": "offen", "exempt": "–"}.get(r.status, "")
    )
    content = [label, node("Span", "korr.", className="cell-mark")] if r.corrected else label
    # The review state and comments are data attributes (symbols drawn by assets/review.css),
    # so a cell stays one component however much it says.
    marks, title = {}, _cell_title(r)
    state = getattr(r, "state", None)
    if isinstance(state, str):
        marks["data-state"] = state
        title += f" · Status: {MONTH_STATE_LABELS[state]}"
    if getattr(r, "n_comments", 0):
        marks["data-comments"] = str(r.n_comments)
        title += f" · {r.n_comments} Bemerkung(en)"
    provisional = " report-provisional" if getattr(r, "provisional", False) else ""
    if provisional:
        title += " · vorläufig: nach dem Berichtsstand, in keiner Kennzahl gezählt"
    props = {"className": f"rs rs-{r.status}{provisional}", "title": title, **marks}
    if r.status != "future":
        props.update({"data-href": link(r.partner_code, r.month), "role": "link", "tabIndex": 0})
    return node("Td", content, **props)


def report_matrix(matrix: pd.DataFrame, year: int, link) -> html.Table:
    """Partner x month table of one year: arrival date of the report, coloured by status."""
    of = data.config().year_of
    part = matrix[[of(m) == year for m in matrix["month"]]]
    months = sorted(set(part["month"]))
    cells: dict = {}
    for r in part.itertuples(index=False):
        cells.setdefault(r.partner_code, []).append(_cell(r, link))
    # the table's layout is fixed: the code column as wide as the longest code (upper case
    # letters are about 1.2 "0"-widths), at least the 70 px of short codes
    longest = max((len(str(code)) for code in cells), default=0)
    width = {"width": f"max(70px, calc({longest * 1.2:.1f}ch + .75rem))"}
    head = html.Thead(
        html.Tr(
            [
                html.Th(data.year_label(year), style=width),
                *[html.Th(fmt.MONTHS_SHORT[m.month - 1]) for m in months],
            ]
        )
    )
    rows = [node("Tr", [node("Th", code, scope="row"), *row]) for code, row in cells.items()]
    return html.Table(
        [head, html.Tbody(rows)], className="report-matrix", id=f"reporting-matrix-{year}"
    )


def rates_table(rates: pd.DataFrame) -> dbc.Table:
    """Per partner: reports due, on time, late, missing, corrected, on-time rate."""
    head = html.Thead(
        html.Tr(
            [
                html.Th("Partner"),
                html.Th(ui.with_info("fällig", "reports_due"), className="num"),
                html.Th(ui.with_info("rechtzeitig", "on_time"), className="num"),
                html.Th("verspätet", className="num"),
                html.Th("fehlt", className="num"),
                html.Th("korrigiert", className="num"),
                html.Th(ui.with_info("Quote", "on_time_rate"), className="num"),
            ]
        )
    )
    rows = [
        html.Tr(
            [
                html.Td(r.partner_code, className="text-nowrap"),
                *[
                    html.Td(fmt.de_int(getattr(r, c)), className="num")
                    for c in ("due", "on_time", "late", "missing", "corrected")
                ],
                html.Td(fmt.de_pct(r.rate), className="num fw-bold"),
            ],
            id=f"reporting-rate-{r.partner_code}",
        )
        for r in rates.itertuples(index=False)
    ]
    return dbc.Table(
        [head, html.Tbody(rows)], className="money-table mb-0", hover=True, responsive=True
    )


def cap_notes(caps) -> list[str]:
    """One line per partner whose grant is capped: no funding, or the grant notice's ceiling
    (and whether the funding rate would give more)."""
    lines = []
    for code, cap, by_rate in caps:
        if cap == 0:
            lines.append(f"{code}: ohne Förderung (Zuwendung 0 €)")
        elif by_rate > cap:
            lines.append(
                f"{code}: gedeckelt auf den Höchstbetrag {fmt.eur(cap)} (nach Förderquote "
                f"{fmt.eur(by_rate)})"
            )
        else:
            lines.append(f"{code}: Höchstbetrag {fmt.eur(cap)}, noch nicht erreicht")
    return lines
