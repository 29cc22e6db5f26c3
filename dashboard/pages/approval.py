"""Freigabe: the review queue of partner-months. Steering and finance see the months awaiting
action, compare a month with the partner's average and plan, read and answer its comments,
ask a question (Rückfrage), approve several months at once, reopen one; finance marks a
partner's proof of use for a year as submitted (im Nachweis)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html
from flask import request

from dashboard import access, data, fmt, planning
from dashboard import filters as flt
from dashboard.calc import activity, finance, review
from dashboard.views import components as ui
from dashboard.views import review as view
from etl.workflow import months

dash.register_page(
    __name__,
    path="/freigabe",
    name="Freigabe",
    title="Freigabe – Fördercockpit",
    order=6,
    roles=("finance", "steering"),
)

VERSION = ("file_name", "uploaded_at", "uploaded_by")
STATE_FILTER = [
    {"label": "wartet (eingereicht + Rückfrage)", "value": "open"},
    {"label": "eingereicht", "value": "submitted"},
    {"label": "Rückfrage", "value": "query"},
    {"label": "geprüft (1. Prüfschritt)", "value": "checked"},
    {"label": "freigegeben", "value": "approved"},
    {"label": "im Nachweis", "value": "proof"},
    {"label": "alle", "value": "all"},
]


def _select(cid: str, label: str, options: list, value, md: int = 3) -> dbc.Col:
    return dbc.Col(
        [dbc.Label(label, html_for=cid), dbc.Select(id=cid, options=options, value=value)], md=md
    )


def _filters() -> dbc.Row:
    """The state filter; partner and year come from the filter bar above (URL)."""
    return dbc.Row(
        [_select("approval-state", "Status", STATE_FILTER, "open", md=4)],
        className="g-3 mb-3",
    )


def _proof_section(config) -> dbc.Card:
    """Finance only (hidden for steering; the rule refuses them too)."""
    hidden = {} if access.current_role() == "finance" else {"style": {"display": "none"}}
    kinds = [{"label": "Zwischennachweis", "value": "interim"},
             {"label": "Schlussnachweis", "value": "final"}]  # fmt: skip
    return ui.section(
        "Verwendungsnachweis eingereicht",
        dbc.Row(
            [
                _select(
                    "approval-proof-partner",
                    "Partner",
                    [{"label": p.code, "value": p.code} for p in config.partners],
                    config.partner_codes[0],
                    md=3,
                ),
                _select(
                    "approval-proof-year",
                    "Jahr",
                    [{"label": config.year_label(y), "value": str(y)} for y in config.years],
                    str(config.years[0]),
                    md=2,
                ),
                _select("approval-proof-kind", "Art", kinds, "interim", md=3),
                dbc.Col(
                    dbc.Button(
                        "Nachweis eingereicht", id="approval-proof", color="dark", className="mt-4"
                    ),
                    md=4,
                ),
            ],
            className="g-3",
        ),  # fmt: skip
        hint="Sperrt alle Monate des Jahres für diesen Partner (Status „im Nachweis“). "
        "Nur die Finanzabteilung kann einen solchen Monat wieder öffnen.",
        id="approval-proof-section",
        **hidden,
    )


def _detail_section() -> dbc.Card:
    buttons = html.Div(
        [
            dbc.Button("Rückfrage stellen", id="approval-ask", color="warning", className="me-2"),
            dbc.Button("Antworten", id="approval-reply", color="secondary", className="me-2"),
            dbc.Button("Wieder öffnen", id="approval-reopen", color="danger", outline=True),
        ],
        className="mt-2 d-flex flex-wrap gap-2",
    )
    return ui.section(
        "Ausgewählter Monat",
        html.Div(id="approval-detail", children=html.Div(
            "Zeile in der Liste anklicken, um den Monat zu sehen.", className="text-muted")),
        view.note_field("approval-text", "Rückfrage, Antwort oder Grund für die Wiederöffnung"),
        buttons,
    )  # fmt: skip


def layout(**_query) -> html.Div:
    config = data.config()
    return html.Div(
        [
            ui.page_header("Freigabe", "approval-lead"),
            _filters(),
            dbc.Row(
                [
                    dbc.Col(
                        ui.section(
                            "Monate zur Prüfung",
                            view.queue_grid(config),
                            html.Div(
                                dbc.Button("Freigeben", id="approval-approve", color="success"),
                                className="mt-2",
                            ),
                            hint="Mehrere Monate anhaken und gemeinsam freigeben. Ein "
                            "freigegebener Monat ist gesperrt.",
                        ),
                        xl=6,
                    ),
                    dbc.Col(_detail_section(), xl=6),
                ]
            ),
            html.Div(id="approval-message"),
            _proof_section(config),
            dcc.Store(id="approval-selected"),
            dcc.Store(id="approval-version", data=0),
        ]
    )


@callback(
    Output("approval-queue", "rowData"),
    Output("approval-lead", "children"),
    Input("url", "search"),
    Input("approval-state", "value"),
    Input("approval-version", "data"),
)
def rows(search, state, _version):
    f = flt.from_search(search, data.config())
    states = data.month_states()
    wanted = {"open": review.AWAITING, "all": review.STATES}.get(state, (state,))
    q = review.queue(
        states, data.month_comments(), partners=f.partners, years=f.years, wanted=wanted,
        start=data.config().year_start_month,
    )
    waiting = int(states["state"].isin(review.AWAITING).sum())
    lead = f"{fmt.de_int(waiting)} Monate warten auf Prüfung oder Antwort · {len(q)} in der Liste"
    return view.queue_rows(q), lead


@callback(
    Output("approval-selected", "data"),
    Input("approval-queue", "cellClicked"),
    prevent_initial_call=True,
)
def select(cell):
    return (cell or {}).get("rowId") or dash.no_update


@callback(
    Output("approval-detail", "children"),
    Input("approval-selected", "data"),
    Input("approval-version", "data"),
    prevent_initial_call=True,
)
def detail(key, _version):
    if not key:
        return dash.no_update
    partner, month = review.parse_key(key)
    states = data.month_states()
    row = states[(states["partner_code"] == partner) & (states["month"] == month)]
    st = row.iloc[0] if len(row) else None
    config = planning.config()
    cmp = review.comparison(
        data.frame("activity_months"),
        finance.eligible_months(data.frame("money_months"), config),
        activity.targets_frame(config),
        config,
        partner,
        month,
    )
    return [
        view.month_title(partner, month, st["state"] if st is not None else "due"),
        view.version_line(*(st[c] if st is not None else None for c in VERSION)),
        view.comparison_table(cmp),
        html.H4("Änderungen gegenüber der vorigen Fassung", className="h6 mt-3"),
        view.diff_list(
            st["previous_id"] if st is not None else None,
            st["upload_id"] if st is not None else None,
            data.engine(),
        ),
        html.H4("Bemerkungen", className="h6 mt-3"),
        view.thread(data.month_comments(partner, month)),
    ]


def _actor() -> months.Actor:
    user = access.current_user
    return months.Actor(user.username, access.current_role(), ip=request.remote_addr)


def _approve(selected: list | None) -> dbc.Alert:
    keys = [r["key"] for r in selected or []]
    if not keys:
        return dbc.Alert("Bitte mindestens einen Monat in der Liste anhaken.", color="danger")
    steps = data.config().review_steps
    done, refused = months.approve_many(
        data.engine(), [review.parse_key(k) for k in keys], _actor(), steps
    )
    text = [html.Div(_approved_text(done, steps))]
    text += [html.Div(msg) for msg in refused]
    return dbc.Alert(text, color="success" if not refused else "warning")


def _approved_text(done: list, steps: tuple[str, ...]) -> str:
    """What an approval did: months approved (locked) and, with two review steps, checked."""
    if not steps:
        return f"{len(done)} Monat(e) freigegeben und gesperrt."
    states = data.month_states()
    keys = zip(states["partner_code"], states["month"], strict=True)
    now = dict(zip(keys, states["state"], strict=True))
    checked = sum(1 for k in done if now.get(k) == months.CHECKED)
    return (
        f"{len(done) - checked} Monat(e) freigegeben und gesperrt, {checked} Monat(e) geprüft "
        f"(Freigabe durch die {months.ROLE_NAMES[steps[1]]})."
    )


def _on_month(action: str, key: str | None, text: str | None) -> dbc.Alert:
    if not key:
        return dbc.Alert("Bitte zuerst einen Monat in der Liste anklicken.", color="danger")
    partner, month = review.parse_key(key)
    actor, label = _actor(), f"{partner} {fmt.month_long(month)}"
    if action == "approval-ask":
        months.ask(data.engine(), partner, month, text, actor)
        return dbc.Alert(f"Rückfrage zu {label} gestellt.", color="success")
    if action == "approval-reply":
        months.comment(data.engine(), partner, month, text, actor)
        return dbc.Alert(f"Antwort zu {label} gespeichert.", color="success")
    months.reopen(
        data.engine(), partner, month, by=actor.by, reason=text or "", ip=actor.ip,
        role=actor.role,
    )  # fmt: skip
    return dbc.Alert(f"{label} ist wieder geöffnet.", color="warning")


def _proof(partner, year, kind) -> dbc.Alert:
    n = months.submit_proof(
        data.engine(), partner, int(year), data.config().months(), _actor(), kind=kind
    )
    what = "Zwischennachweis" if kind == "interim" else "Schlussnachweis"
    return dbc.Alert(
        f"{what} {year} für {partner} eingereicht: {n} Monat(e) gesperrt (im Nachweis).",
        color="success",
    )


@callback(
    Output("approval-message", "children"),
    Output("approval-version", "data"),
    Input("approval-approve", "n_clicks"),
    Input("approval-ask", "n_clicks"),
    Input("approval-reply", "n_clicks"),
    Input("approval-reopen", "n_clicks"),
    State("approval-queue", "selectedRows"),
    State("approval-selected", "data"),
    State("approval-text", "value"),
    State("approval-version", "data"),
    prevent_initial_call=True,
)
def act(_approve_clicks, _ask, _reply, _reopen, selected, key, text, version):
    try:
        if ctx.triggered_id == "approval-approve":
            alert = _approve(selected)
        else:
            alert = _on_month(ctx.triggered_id, key, text)
    except months.ApprovalError as exc:
        alert = dbc.Alert(str(exc), color="danger")
    return html.Div(alert, className="mt-2"), (version or 0) + 1


@callback(
    Output("approval-message", "children", allow_duplicate=True),
    Output("approval-version", "data", allow_duplicate=True),
    Input("approval-proof", "n_clicks"),
    State("approval-proof-partner", "value"),
    State("approval-proof-year", "value"),
    State("approval-proof-kind", "value"),
    State("approval-version", "data"),
    prevent_initial_call=True,
)
def proof(_clicks, partner, year, kind, version):
    try:
        alert = _proof(partner, year, kind)
    except months.ApprovalError as exc:
        alert = dbc.Alert(str(exc), color="danger")
    return html.Div(alert, className="mt-2"), (version or 0) + 1
