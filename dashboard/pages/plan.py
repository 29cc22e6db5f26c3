"""Finanzplan: the plan versions (who, when, why), the plan workbook to download, a new
version by upload (finance only), and the reallocation between any two versions."""

from __future__ import annotations

import base64
import binascii
from datetime import date

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html, no_update
from flask import request

from dashboard import access, data, planning
from dashboard import filters as flt
from dashboard.views import change_requests as changes_view
from dashboard.views import components as ui
from dashboard.views import grids
from dashboard.views import plan as view
from etl.core.errors import Issue
from etl.core.settings import get_settings
from etl.workflow import change_requests, plan
from etl.workflow.plan.diff import diff
from etl.workflow.plan.upload import PlanResult, upload_plan

dash.register_page(
    __name__,
    path="/finanzplan",
    name="Finanzplan",
    title="Finanzplan – Fördercockpit",
    order=2.3,
    roles=("finance", "steering"),
)

WRITERS = ("finance",)  # steering reads the plan; only finance uploads a new version


def layout(**_query) -> html.Div:
    return html.Div(
        [
            ui.page_header("Finanzplan", "plan-lead"),
            dbc.Row(
                [
                    dbc.Col(download_card(), lg=4, className="mb-3"),
                    dbc.Col(upload_card(), lg=8, className="mb-3"),
                ],
                className="g-3",
            ),
            ui.section(
                "Umschichtung zwischen zwei Fassungen",
                diff_pickers(),
                html.Div(id="plan-diff", className="mt-3"),
                hint="Budgetzeilen, die sich um mehr als 20 % ihres bisherigen Ansatzes ändern, "
                "brauchen die Zustimmung des Fördergebers (rot markiert).",
                id="plan-diff-card",
            ),
            ui.section(
                "Änderungsanträge (Zustimmung des Fördergebers)",
                changes_forms(),
                html.Div(id="plan-changes"),
                hint="Eine Umschichtung, die die Zustimmung des Fördergebers braucht: Antrag mit "
                "Datum, Entscheidung mit Datum, und die Planfassung, die daraus wurde.",
                id="plan-changes-card",
            ),
            ui.section(
                "Planfassungen",
                dag.AgGrid(
                    id="plan-versions",
                    columnDefs=view.VERSION_COLUMNS,
                    rowData=[],
                    defaultColDef={"sortable": True, "resizable": True},
                    dashGridOptions={**grids.paged(10)},
                    columnSize="responsiveSizeToFit",
                    style={"height": None},
                    className="ag-theme-alpine",
                ),
                hint="Jede angenommene Datei ist eine neue Fassung; frühere bleiben erhalten.",
            ),
        ]
    )


def changes_forms() -> html.Div:
    """Finance's forms for change requests (hidden for steering, refused on the server too)."""
    forms = changes_view.forms(data.today())
    if access.current_role() not in WRITERS:
        forms.style = {"display": "none"}
    return forms


def download_card() -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3("Finanzplan als Excel", className="h5"),
                html.P(
                    "Budget je Partner, Jahr und Kostenart, Ziele je Partner, Modul und Jahr, "
                    "Förderquoten und Regeln – vorausgefüllt mit dem aktuellen Plan.",
                    className="text-muted",
                ),
                html.A(
                    "Herunterladen",
                    id="plan-download",
                    href="/download/finanzplan",
                    download="",
                    className="btn btn-primary",
                ),
            ]
        ),
        className="h-100 shadow-sm",
    )


def upload_card() -> dbc.Card:
    # Dash also builds this layout outside a request (no role yet) to check the callbacks.
    writer = access.current_role() in (*WRITERS, None)
    hint = (
        "Geprüft wird alles auf einmal; eine Datei mit Fehlern ändert nichts."
        if writer
        else "Neue Fassungen lädt die Finanzabteilung hoch."
    )
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3("Neue Fassung hochladen", className="h5"),
                dbc.Textarea(
                    id="plan-reason",
                    placeholder="Begründung (Pflicht, falls nicht im Blatt 'Parameter'), z. B. "
                    "'Umschichtung Personal 2025 zu Sachausgaben 2026 (Bescheid vom …)'",
                    rows=2,
                    className="mb-2",
                    disabled=not writer,
                ),
                dcc.Upload(
                    id="plan-upload",
                    multiple=False,
                    disabled=not writer,
                    max_size=get_settings().max_upload_bytes,
                    className="upload-drop py-3",
                    children=html.Div(
                        [
                            html.Div(
                                "Bearbeiteten Finanzplan hierher ziehen oder klicken",
                                className="upload-drop-title",
                            ),
                            html.Div(hint, className="text-muted"),
                        ]
                    ),
                ),
                dcc.Loading(html.Div(id="plan-result", className="mt-3"), type="default"),
            ]
        ),
        className="h-100 shadow-sm",
    )


def diff_pickers() -> dbc.Row:
    def pick(pick_id: str, label: str) -> dbc.Col:
        return dbc.Col(
            [dbc.Label(label, html_for=pick_id), dbc.Select(id=pick_id, options=[])], md=4
        )

    return dbc.Row(
        [pick("plan-from", "von Fassung"), pick("plan-to", "zu Fassung")], className="g-3"
    )


def _failed(name: str, message: str) -> PlanResult:
    return PlanResult(file=name or "Datei", errors=[Issue(None, None, None, message)])


@callback(
    Output("plan-result", "children"),
    Input("plan-upload", "contents"),
    State("plan-upload", "filename"),
    State("plan-reason", "value"),
    prevent_initial_call=True,
)
def upload(contents, name, reason):
    """Check the uploaded plan and store it as the next version (finance only)."""
    if access.current_role() not in WRITERS:
        return dbc.Alert(
            "Nur die Finanzabteilung kann einen neuen Finanzplan hochladen.",
            color="danger",
            id="plan-outcome",
        )
    if not contents:
        return no_update
    try:
        raw = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error):
        return view.result_card(_failed(name, "Die Datei kam unvollständig an."))
    result = upload_plan(
        raw,
        name or "finanzplan.xlsx",
        engine=data.engine(),
        config=data.config(),
        settings=get_settings(),
        user=access.current_user.username,
        reason=reason,
        ip=request.remote_addr,
    )
    return view.result_card(result)


@callback(
    Output("plan-lead", "children"),
    Output("plan-versions", "rowData"),
    Output("plan-download", "children"),
    Input("plan-result", "children"),
    Input("url", "pathname"),
)
def versions(_result, _path):
    all_versions = planning.versions()
    v = all_versions[0]
    lead = (
        f"Es gilt {v.label}, erstellt von {v.created_by}: {v.reason} · "
        f"{len(all_versions)} Fassung(en)"
    )
    return lead, view.version_rows(all_versions), f"Herunterladen ({v.label})"


@callback(
    Output("plan-from", "options"),
    Output("plan-from", "value"),
    Output("plan-to", "options"),
    Output("plan-to", "value"),
    Input("url", "search"),
    Input("plan-result", "children"),
)
def pickers(search, _result):
    all_versions = planning.versions()
    frm, to = planning.version_pair(all_versions, flt.parse_search(search))
    options = [{"label": f"{v.label} ({v.created_by})", "value": str(v.id)} for v in all_versions]
    return options, str(frm), options, str(to)


@callback(
    Output("url", "search", allow_duplicate=True),
    Input("plan-from", "value"),
    Input("plan-to", "value"),
    State("url", "search"),
    prevent_initial_call=True,
)
def choose(frm, to, search):
    """Keep the compared versions in the address, so the export and a link show the same."""
    params = flt.parse_search(search)
    if not (frm and to) or (params.get("von"), params.get("bis")) == (frm, to):
        return no_update
    default = tuple(map(str, planning.version_pair(planning.versions(), {})))
    if "von" not in params and (frm, to) == default:
        return no_update  # the default comparison needs no parameters
    return flt.to_search({**params, "von": frm, "bis": to})


@callback(Output("plan-diff", "children"), Input("plan-from", "value"), Input("plan-to", "value"))
def show_diff(frm, to):
    if not (frm and to and frm.isdigit() and to.isdigit()):
        return None
    engine, config = data.engine(), data.config()
    try:
        old = plan.plan_as_of(engine, config, int(frm))
        new = plan.plan_as_of(engine, config, int(to))
    except plan.PlanError as exc:
        return dbc.Alert(str(exc), color="warning")
    return view.diff_table(diff(old.data, new.data, config))


@callback(
    Output("plan-changes", "children"),
    Output("plan-change-base", "options"),
    Output("plan-change-version", "options"),
    Output("plan-change-pick", "options"),
    Input("plan-change-message", "children"),
    Input("plan-result", "children"),
    Input("url", "pathname"),
)
def change_list(_message, _result, _path):
    """The change requests and the choices of the forms."""
    rows = data.change_requests()
    versions = [{"label": v.label, "value": str(v.id)} for v in planning.versions()]
    picks = [{"label": f"Nr. {r.id} ({change_requests.STATUS_LABELS[r.status]})",
              "value": str(r.id)} for r in rows.itertuples(index=False)]
    return changes_view.table(rows), versions, versions, picks


@callback(
    Output("plan-change-message", "children"),
    Input("plan-change-file", "n_clicks"),
    Input("plan-change-decide", "n_clicks"),
    Input("plan-change-link", "n_clicks"),
    State("plan-change-base", "value"),
    State("plan-change-date", "date"),
    State("plan-change-text", "value"),
    State("plan-change-pick", "value"),
    State("plan-change-decision", "value"),
    State("plan-change-decided", "date"),
    State("plan-change-version", "value"),
    State("plan-change-note", "value"),
    prevent_initial_call=True,
)
def change_step(_f, _d, _l, base, day, text, pick, decision, decided, version, note):
    """File, decide or link a change request (finance only)."""
    step = {"plan-change-file": "file", "plan-change-decide": "decide"}.get(
        ctx.triggered_id, "link")
    return change_act(step, base=base, day=day, text=text, pick=pick, decision=decision,
                      decided=decided, version=version, note=note)


def change_act(step: str, **form) -> dbc.Alert:
    """One step on change requests as the logged-in user; the outcome as an alert."""
    who = {"by": access.current_user.username, "role": access.current_role(),
           "ip": request.remote_addr}
    engine = data.engine()
    try:
        if step == "file":
            rid = change_requests.file_request(
                engine, based_on=_number(form["base"], "Planfassung"), description=form["text"],
                requested_on=_iso(form["day"]), **who)
            return dbc.Alert(f"Änderungsantrag Nr. {rid} erfasst.", color="success")
        rid = _number(form["pick"], "Antrag")
        if step == "decide":
            change_requests.decide(engine, rid, approved=form["decision"] == "approved",
                                   decided_on=_iso(form["decided"]), note=form["note"] or "",
                                   **who)
            return dbc.Alert(f"Entscheidung zu Antrag Nr. {rid} gespeichert.", color="success")
        change_requests.link(engine, rid, version_id=_number(form["version"], "Planfassung"),
                             **who)
        return dbc.Alert(f"Antrag Nr. {rid} ist mit der Planfassung verknüpft.", color="success")
    except change_requests.ChangeRequestError as exc:
        return dbc.Alert(str(exc), color="danger")


def _number(value: str | None, what: str) -> int:
    if not (value or "").isdigit():
        raise change_requests.ChangeRequestError(f"Bitte {what} wählen.")
    return int(value)


def _iso(value: str | None):
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise change_requests.ChangeRequestError("Bitte ein gültiges Datum wählen.") from None
