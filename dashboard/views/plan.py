"""Building blocks of the Finanzplan page: upload result, reallocation diff, version list."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import fmt
from dashboard.labels import CATEGORY_LABELS, MEASURE_LABELS
from dashboard.views import components as ui
from dashboard.views import grids
from etl.workflow.plan import Version
from etl.workflow.plan.diff import CONSENT, PlanDiff
from etl.workflow.plan.upload import PlanResult


def diff_table(d: PlanDiff, table_id: str = "plan-diff-table") -> html.Div:
    """Changed budget lines with old, new, change and the consent flag; then parameters and
    targets."""
    if d.is_empty:
        return html.P("Keine Änderungen zwischen diesen Fassungen.", className="text-muted")
    head = html.Thead(
        html.Tr(
            [
                html.Th("Partner"),
                html.Th("Jahr"),
                html.Th("Kostenart"),
                html.Th("vorher", className="num"),
                html.Th("nachher", className="num"),
                html.Th("Änderung", className="num"),
                html.Th("in %", className="num"),
                html.Th("Prüfung"),
            ]
        )
    )
    rows = [
        html.Tr(
            [
                html.Td(c.partner),
                html.Td(ui.year_text(c.year)),
                html.Td(CATEGORY_LABELS[c.category]),
                html.Td(fmt.eur(c.old), className="num"),
                html.Td(fmt.eur(c.new), className="num"),
                html.Td(("+" if c.change > 0 else "") + fmt.eur(c.change), className="num"),
                html.Td(_share(c.share), className="num"),
                html.Td(CONSENT if c.needs_consent else "im Rahmen"),
            ],
            className="plan-consent" if c.needs_consent else None,
        )
        for c in d.lines
    ]
    parts = [
        html.P(_summary(d), className="fw-semibold", id=f"{table_id}-summary"),
        dbc.Table([head, html.Tbody(rows)], className="money-table", hover=True, id=table_id)
        if rows
        else None,
    ]
    if d.parameters:
        parts.append(html.Strong("Geänderte Parameter"))
        parts.append(html.Ul([html.Li(f"{p.label}: {p.old} → {p.new}") for p in d.parameters]))
    if d.targets:
        parts.append(html.Strong(f"Geänderte Ziele ({len(d.targets)})"))
        parts.append(
            html.Ul(
                [
                    html.Li(
                        f"{t.partner} {t.module} {ui.year_text(t.year)}, "
                        f"{MEASURE_LABELS[t.measure]}: "
                        f"{t.old} → {t.new}"
                    )
                    for t in d.targets[:30]
                ]
                + ([html.Li(f"… und {len(d.targets) - 30} weitere")] if len(d.targets) > 30 else [])
            )
        )
    return html.Div(parts)


def _share(share) -> str:
    if share is None:
        return "neu"
    return ("+" if share > 0 else "") + fmt.de_pct(share, 1)


def _summary(d: PlanDiff) -> str:
    text = f"{len(d.lines)} Budgetzeilen geändert, {fmt.eur(d.moved)} umgeschichtet"
    n = len(d.consent_lines)
    if n:
        return f"{text}; {n} Zeile(n) ändern sich um mehr als 20 %: {CONSENT}."
    return f"{text}; keine Zeile über der Zustimmungsschwelle."


STATUS = {
    "accepted": ("angenommen", "success"),
    "unchanged": ("unverändert", "secondary"),
    "rejected": ("abgelehnt", "danger"),
}


def _result_body(result: PlanResult) -> list:
    if result.status == "rejected":
        return [
            html.P(
                f"{len(result.errors)} Fehler gefunden; der Finanzplan bleibt unverändert. "
                "Bitte korrigieren und erneut hochladen."
            ),
            ui.issue_table(result.errors, "Fehler"),
        ]
    if result.status == "unchanged":
        return [html.P(f"Die Datei entspricht Version {result.version_id}; nichts geändert.")]
    return [
        html.P(
            f"Neue Fassung angenommen als Version {result.version_id}.", className="fw-semibold"
        ),
        diff_table(result.diff, "plan-upload-diff") if result.diff else None,
    ]


def result_card(result: PlanResult) -> dbc.Card:
    """The outcome of a plan upload: new version with its diff, unchanged, or every error."""
    label, color = STATUS[result.status]
    notices = (
        html.Details(
            [
                html.Summary(f"{len(result.notices)} Hinweise"),
                ui.issue_table(result.notices, "Hinweis"),
            ]
        )
        if result.notices
        else None
    )
    return dbc.Card(
        [
            dbc.CardHeader(
                [html.Strong(result.file), dbc.Badge(label, color=color, className="ms-2")]
            ),
            dbc.CardBody([*_result_body(result), notices]),
        ],
        className=f"border-{color} upload-result",
        id="plan-outcome",
    )


def _md(text: str | None) -> str:
    """Text safe inside a markdown link label."""
    return (text or "").replace("[", "(").replace("]", ")").replace("\n", " ")


def version_rows(versions: list[Version]) -> list[dict]:
    """Rows of the version grid, newest first."""
    return [
        {
            "id": v.id,
            "created_at": v.created_at.isoformat(),
            "created_by": v.created_by,
            "reason": v.reason,
            "file": (
                f"[{_md(v.file_name)}](/download/finanzplan/original/{v.id})"
                if v.archive_path
                else "Konfiguration"
            ),
            "workbook": f"[Arbeitsmappe](/download/finanzplan?version={v.id})",
            "total": v.total_cents,
        }
        for v in versions
    ]


VERSION_COLUMNS = [
    grids.number_col("id", "Version", width=110),
    grids.date_col("created_at", "erstellt am", with_time=True, width=170),
    grids.text_col("created_by", "von", width=150),
    grids.text_col("reason", "Begründung", flex=1, minWidth=260, tooltipField="reason"),
    {**grids.text_col("file", "hochgeladene Datei", minWidth=220), "cellRenderer": "markdown"},
    {"field": "workbook", "headerName": "als Finanzplan", "width": 150, "cellRenderer": "markdown"},
    grids.money_col("total", "Summe", width=170),
]
