"""Building blocks of the upload page: result cards, the diff, the confirmation of a large
drop, the template form, the history with its restore buttons."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import access, data, fmt
from dashboard.calc.periods import first_of
from dashboard.views import components as ui
from etl.core.errors import Issue
from etl.core.money import eligible_costs, format_eur
from etl.intake.diff import Drop, diff_uploads, upload_totals
from etl.intake.ingest import IngestResult

STATUS = {
    "accepted": ("angenommen", "success"),
    "replaced": ("angenommen – ersetzt die vorige Fassung", "success"),
    "unchanged": ("unverändert – identisch mit der angenommenen Fassung", "secondary"),
    "rejected": ("abgelehnt", "danger"),
    "held": ("nicht übernommen – Bestätigung nötig", "warning"),
}
LOCKED = ("abgelehnt – Monat freigegeben und gesperrt", "warning")


def failed(name: str, message: str) -> IngestResult:
    """A result for a file that never reached the checks."""
    return IngestResult(file=name, status="rejected", errors=[Issue(None, None, None, message)])


def _places(*values) -> int:
    return 0 if all(v == v.to_integral_value() for v in values) else 2


def _diff_block(result: IngestResult) -> html.Div:
    d = diff_uploads(data.engine(), result.previous_id, result.upload_id)
    rows = [
        html.Li(f"{x.sheet}: {x.added} neu, {x.removed} entfernt, {x.changed} geändert")
        for x in d.sheets
        if x.added or x.removed or x.changed
    ]
    totals = [html.Li(total_line(n, old, new)) for n, (old, new) in d.totals.items() if old != new]
    return html.Div(
        [
            html.Strong("Änderungen gegenüber der vorigen Fassung"),
            html.Ul(rows or [html.Li("keine Zeile geändert")]),
            html.Strong("Summen des Monats") if totals else None,
            html.Ul(totals) if totals else None,
        ]
    )


def total_line(name: str, old, new) -> str:
    """One changed month total in German: euros from cents, hours with two places, counts
    with thousands dots ('Coaching-Stunden: 89,50 → 0,00')."""
    if "Cent" in name:
        return f"{name.replace(' (Cent)', '')}: {format_eur(int(old))} → {format_eur(int(new))}"
    places = 2 if "Stunden" in name else 0
    return f"{name}: {fmt.de_dec(old, places)} → {fmt.de_dec(new, places)}"


def _counted(result: IngestResult) -> html.Div:
    """What a newly accepted month holds: counts, sums and its eligible costs."""
    t = upload_totals(data.engine(), result.upload_id)
    config = data.config()
    rate = config.partner(result.partner).funding_rate
    personnel, material = int(t["Personalausgaben (Cent)"]), int(t["Sachausgaben (Cent)"])
    eligible = eligible_costs(personnel, material, rate, config.rules).eligible
    rows = [
        ("Veranstaltungen", fmt.de_int(int(t["Veranstaltungen"]))),
        ("Teilnehmende (Personen)", fmt.de_int(int(t["Teilnehmende (Personen)"]))),
        ("Coachings", f"{fmt.de_int(int(t['Coachings']))} "
                      f"({fmt.de_dec(t['Coaching-Stunden'], 2)} Stunden)"),
        ("Personal", f"{fmt.de_int(int(t['Personal (Zeilen)']))} Zeilen, {format_eur(personnel)}"),
        ("Sachausgaben", format_eur(material)),
        ("Förderfähige Ausgaben (mit Gemeinkosten)", format_eur(eligible)),
    ]
    return html.Div(
        [
            html.P("Der Bericht wurde übernommen. Gezählt:"),
            dbc.Table(
                html.Tbody([html.Tr([html.Th(k), html.Td(v, className="num")]) for k, v in rows]),
                size="sm",
                className="upload-counts w-auto",
            ),
        ]
    )


NEXT_STEP = {
    "accepted": "Nichts weiter zu tun: Die Zahlen stehen ab sofort im Cockpit. Finanzen oder "
    "Projektsteuerung prüfen den Monat und geben ihn frei. Eine Korrektur: die berichtigte "
    "Datei erneut hochladen, sie ersetzt diese Fassung.",
    "unchanged": "Nichts zu tun.",
    "rejected": "Bitte korrigieren und erneut hochladen.",
    "locked": "Die Datei muss nicht korrigiert werden: Bitte die Finanzabteilung oder die "
    "Projektsteuerung bitten, den Monat auf der Seite Freigabe wieder zu öffnen; danach die "
    "Datei erneut hochladen.",
}


def _next(kind: str) -> html.P:
    return html.P([html.Strong("Nächster Schritt: "), NEXT_STEP[kind]], className="upload-next")


def _rejected(result: IngestResult) -> list:
    if result.locked:
        return [*(html.P(e.message) for e in result.errors), _next("locked")]
    parts = [
        html.P(f"{len(result.errors)} Fehler gefunden; nichts wurde übernommen."),
        ui.issue_table(result.errors, "Fehler"),
        _next("rejected"),
    ]
    if result.upload_id:
        parts.append(
            dbc.Button(
                "Markierte Arbeitsmappe herunterladen",
                color="danger",
                outline=True,
                href=f"/download/marked/{result.upload_id}",
                external_link=True,
                className="mt-2",
            )
        )
    return parts


def _body(result: IngestResult) -> list:
    if result.status == "rejected":
        return _rejected(result)
    if result.status == "held":
        return [_held_block(result)]
    if result.status == "replaced":
        return [_diff_block(result), _next("accepted")]
    if result.status == "accepted":
        return [_counted(result), _next("accepted")]
    same = html.P("Diese Datei ist bereits angenommen; nichts wurde geändert.")
    return [same, _next("unchanged")]


def _plural(n: int, one: str, many: str) -> str:
    return f"{fmt.de_int(n)} {one if n == 1 else many}"


def drop_text(drop: Drop) -> str:
    """'Diese Fassung entfernt 2 Veranstaltungen, 5 Coachings und 26.992,77 € förderfähige
    Ausgaben gegenüber der geltenden Fassung vom 08.04.2025 14:30.'"""
    parts = [
        _plural(drop.events, "Veranstaltung", "Veranstaltungen") if drop.events else "",
        _plural(drop.coachings, "Coaching", "Coachings") if drop.coachings else "",
        f"{format_eur(drop.eligible_cents)} förderfähige Ausgaben" if drop.eligible_cents else "",
    ]
    parts = [p for p in parts if p] or ["alle Zeilen"]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " und " + parts[-1]
    empty = "Die Datei enthält keine einzige Zeile. " if drop.empty else ""
    return (
        f"{empty}Diese Fassung entfernt {listed} gegenüber der geltenden Fassung vom "
        f"{drop.previous_at:%d.%m.%Y %H:%M}."
    )


def _held_block(result: IngestResult) -> dbc.Alert:
    index = result.upload_id
    return dbc.Alert(
        [
            html.P(drop_text(result.drop), className="fw-bold mb-2", id="upload-drop-text"),
            html.P(
                "Noch wurde nichts geändert. Bitte prüfen, ob das die richtige Datei ist "
                "(z. B. nicht die leere Vorlage). Soll diese Fassung trotzdem gelten?",
                className="mb-2",
            ),
            html.Div(
                [
                    dbc.Button(
                        "Trotzdem übernehmen",
                        id={"type": "upload-confirm", "index": index},
                        color="danger",
                        className="me-2 mb-1",
                    ),
                    dbc.Button(
                        "Abbrechen",
                        id={"type": "upload-cancel", "index": index},
                        color="light",
                        className="mb-1",
                    ),
                ]
            ),
        ],
        color="warning",
        className="mb-2",
    )


def cancelled_card(result_file: str) -> dbc.Card:
    """The card of a held file whose sender chose 'Abbrechen'."""
    return dbc.Card(
        [
            dbc.CardHeader(
                [html.Strong(result_file), dbc.Badge("nicht übernommen", color="secondary",
                                                     className="ms-2")]
            ),
            dbc.CardBody(
                html.P("Abgebrochen: nichts wurde geändert, die geltende Fassung bleibt.")
            ),
        ],
        className="mb-3 upload-result",
        id="upload-result-cancelled",
    )


def result_card(result: IngestResult) -> dbc.Card | html.Div:
    """One file's outcome: status, partner-month, errors or diff, notices (a held file's card
    sits in a box its confirmation or cancellation replaces)."""
    card = _card(result)
    if result.status != "held":
        return card
    return html.Div(card, id={"type": "upload-held", "index": result.upload_id})


def _card(result: IngestResult) -> dbc.Card:
    label, color = LOCKED if result.locked else STATUS[result.status]
    month = f"{result.month:%m/%Y}" if result.month else "–"
    notices = (
        [
            html.Details(
                [
                    html.Summary(f"{len(result.notices)} Hinweise"),
                    ui.issue_table(result.notices, "Hinweis"),
                ]
            )
        ]
        if result.notices
        else []
    )
    return dbc.Card(
        [
            dbc.CardHeader(
                [html.Strong(result.file), dbc.Badge(label, color=color, className="ms-2")]
            ),
            dbc.CardBody(
                [
                    html.P(
                        f"Partner {result.partner or '–'}, Berichtsmonat {month}",
                        className="text-muted",
                    ),
                    *_body(result),
                    *notices,
                ]
            ),
        ],
        className="mb-3 upload-result",
        id=f"upload-result-{result.status}",
    )


def _default_month(months: list, today) -> str | None:
    """The month most likely to be reported now: the last one that has ended (in the period)."""
    ended = [m for m in months if m < first_of(today)]
    return f"{(ended or months)[-1]:%Y-%m}" if months else None


def _labelled(label: str, control) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=control.id), control], xs=12, md=True)


def template_card() -> dbc.Card:
    """A blank monthly workbook: partner (a partner account: its own, fixed) and month
    (preselected: the last month that has ended); the button says what is missing."""
    config = data.config()
    scope = access.partner_scope()
    partners = [p for p in config.partners if scope is None or p.code in scope]
    own = partners[0].code if scope is not None and len(partners) == 1 else None
    partner = dbc.Select(
        id="upload-template-partner",
        options=[{"label": f"{p.code} – {p.name}", "value": p.code} for p in partners],
        placeholder="Partner wählen …",
        value=own,
        disabled=own is not None,
    )
    month = dbc.Select(
        id="upload-template-month",
        options=[{"label": fmt.month_long(m), "value": f"{m:%Y-%m}"} for m in config.months()],
        value=_default_month(config.months(), data.today()),
    )
    button = dbc.Button(
        "Vorlage herunterladen",
        id="upload-template-link",
        color="primary",
        external_link=True,
        className="w-100",
    )
    return dbc.Card(
        dbc.CardBody(
            [
                html.H5("Leere Vorlage"),
                dbc.Row(
                    [
                        _labelled("Partner", partner),
                        _labelled("Berichtsmonat", month),
                        dbc.Col(button, xs=12, md="auto", className="d-flex align-items-end"),
                    ],
                    className="g-2",
                ),
                html.Div(id="upload-template-hint", className="text-danger mt-2", role="alert"),
            ]
        ),
        className="shadow-sm",
    )


