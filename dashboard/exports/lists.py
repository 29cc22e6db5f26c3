"""Exports of the pages with lists: Daten, Hochladen, Freigabe, Protokoll, Benutzer,
Finanzplan, Mittelabrufe."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from dashboard import drill, planning
from dashboard import filters as flt
from dashboard.calc import records as rec
from dashboard.exports import PageExport
from dashboard.exports.money import payment_data, payment_tables
from dashboard.exports.source import Source
from dashboard.labels import CATEGORY_LABELS, UPLOAD_STATUS_LABELS
from dashboard.views import grids, sheet_grid
from dashboard.views.audit_text import ACTIONS, describe
from etl.documents.book import Column, Table
from etl.warehouse import queries
from etl.workflow import plan as plans
from etl.workflow import users
from etl.workflow.plan.diff import CONSENT, diff

# The frames behind each dataset of the Daten page (as in pages/records.py).
SOURCES = {
    "veranstaltungen": ["events"],
    "coachings": ["coachings"],
    "teilnahmen": ["participations"],
    "kosten": ["personnel", "expenditure"],
    "eingaenge": ["uploads"],
}
DATASET_LABELS = {
    "veranstaltungen": "Veranstaltungen",
    "coachings": "Coachings",
    "teilnahmen": "Teilnahmen",
    "kosten": "Kosten",
    "eingaenge": "Eingänge",
}
ID_FIELDS = {"source_row", "upload_id", "id"}  # numbers, not quantities: no thousands separator
SUMMED = {"n_participants", "n_women", "n_persons", "hours"}  # counts with a totals row
ROLE_LABELS = {
    "admin": "Administration",
    "steering": "Projektsteuerung",
    "finance": "Finanzen",
    "partner": "Partner",
}


def _kind(col: dict) -> str:
    """The cell kind of an AG Grid column, from its value formatter."""
    fn = str((col.get("valueFormatter") or {}).get("function", ""))
    if "eurCents" in fn:
        return "money"
    if "deNumber" in fn:
        return "int" if fn.rstrip().endswith(", 0)") else "decimal"
    if "deDate" in fn:
        return "datetime" if "true" in fn else "date"
    if "deMonth" in fn:
        return "month"
    return "text"


def _cell(value: object, kind: str) -> object:
    if isinstance(value, str) and kind in ("date", "month"):
        return date.fromisoformat(value[:10])
    if isinstance(value, str) and kind == "datetime":
        return datetime.fromisoformat(value)
    return value


def grid_table(sheet: str, columns: list[dict], rows: list[dict], **extra) -> Table:
    """A sheet with the columns and JSON rows of an AG Grid (same headers, German formats)."""
    kinds = ["id" if c["field"] in ID_FIELDS else _kind(c) for c in columns]
    cols = [
        Column(c["headerName"], k, total=k == "money" or c["field"] in SUMMED)
        for c, k in zip(columns, kinds, strict=True)
    ]
    values = [
        [_cell(r.get(c["field"]), k) for c, k in zip(columns, kinds, strict=True)] for r in rows
    ]
    return Table(sheet, cols, values, **extra)


def exact_rows(dataset: str, frame) -> list[dict]:
    """The Daten grid's rows of ``dataset`` with the frame's exact Decimals (coaching hours):
    the grid's JSON rows carry them as floats, which a totals row cannot sum exactly."""
    rows = grids.record_rows(dataset, frame)
    fields = [c["field"] for c in grids.RECORD_COLUMNS[dataset]]
    if frame.empty:
        return rows
    for row, values in zip(rows, frame[fields].itertuples(index=False, name=None), strict=True):
        row.update({f: v for f, v in zip(fields, values, strict=True) if isinstance(v, Decimal)})
    return rows


def sheet_records(src: Source, sheet, query: dict, f: flt.Filters) -> PageExport:
    """A configured activity sheet's rows as the Daten grid shows them (filters, month)."""
    rows = src.visible(queries.sheet_rows(src.engine, sheet.key, config=src.config))
    frame = rec.sheet_records(rows, f, rec.narrowing(query), src.config.year_start_month)
    table = grid_table(sheet.label, sheet_grid.columns(sheet), sheet_grid.rows(sheet, frame))
    month = [("Monat", query["monat"])] if query.get("monat") else []
    return PageExport([table], [("Datensatz", sheet.label), *month])


def records(src: Source, query: dict, f: flt.Filters) -> PageExport:
    sheet = drill.sheet_of(query.get("tabelle") or "", src.config)
    if sheet is not None:
        return sheet_records(src, sheet, query, f)
    dataset = query.get("tabelle") if query.get("tabelle") in SOURCES else rec.DEFAULT
    frames = dict(zip(SOURCES[dataset], src.frames(*SOURCES[dataset]), strict=True))
    narrow = rec.narrowing(query)
    rows = exact_rows(dataset, rec.rows(frames, dataset, f, narrow, src.config.year_start_month))
    table = grid_table(DATASET_LABELS[dataset], grids.RECORD_COLUMNS[dataset], rows)
    fields = [("Datensatz", DATASET_LABELS[dataset])]
    fields += [
        (label, query[key])
        for key, label in (
            ("monat", "Monat"),
            ("kategorie", "Kostenart"),
            ("groesse", "Größenklasse"),
            ("format", "Format"),
        )
        if query.get(key)
    ]
    return PageExport([table], fields)


def uploads(src: Source, _query: dict, _f: flt.Filters) -> PageExport:
    df = queries.uploads(src.engine, partners=src.scope, uploaded_by=src.user)
    rows = [
        [
            r.uploaded_at,
            r.partner_code,
            r.month,
            UPLOAD_STATUS_LABELS[r.status],
            r.file_name,
            r.uploaded_by,
            int(r.n_errors),
        ]
        for r in df.itertuples(index=False)
    ]
    cols = [
        Column("Eingang", "datetime"),
        Column("Partner"),
        Column("Berichtsmonat", "month"),
        Column("Ergebnis"),
        Column("Datei", width=44),
        Column("hochgeladen von"),
        Column("Fehler", "int"),
    ]
    return PageExport([Table("Uploads", cols, rows)], filters_apply=())


def approvals(src: Source, _query: dict, f: flt.Filters) -> PageExport:
    df = src.visible(queries.month_locks(src.engine))
    df = df[df["partner_code"].isin(f.partner_list(src.config))] if not df.empty else df
    rows = [
        [r.partner_code, r.month, r.approved_by, r.approved_at, r.upload_id]
        for r in df.itertuples(index=False)
    ]
    cols = [
        Column("Partner"),
        Column("Berichtsmonat", "month"),
        Column("freigegeben von"),
        Column("freigegeben am", "datetime"),
        Column("Upload-Nr.", "id"),
    ]
    return PageExport([Table("Freigaben", cols, rows)], filters_apply=("partners",))


def audit(src: Source, _query: dict, _f: flt.Filters) -> PageExport:
    df = queries.audit_rows(src.engine)
    rows = [
        [
            r.at,
            ACTIONS.get(r.action, r.action),
            r.username,
            r.partner_code,
            r.month,
            r.ip,
            describe(r.detail),
        ]
        for r in df.itertuples(index=False)
    ]
    cols = [
        Column("Zeitpunkt", "datetime"),
        Column("Vorgang"),
        Column("Benutzer"),
        Column("Partner"),
        Column("Monat", "month"),
        Column("IP"),
        Column("Details", width=80),
    ]
    return PageExport([Table("Protokoll", cols, rows)], filters_apply=())


def accounts(src: Source, _query: dict, _f: flt.Filters) -> PageExport:
    rows = [
        [u.username, u.email, ROLE_LABELS[u.role], u.partner_code,
         "aktiv" if u.is_active else "gesperrt"]
        for u in users.list_users(src.engine)
    ]
    cols = [Column("Benutzer"), Column("E-Mail"), Column("Rolle"), Column("Partner"),
            Column("Status")]
    return PageExport([Table("Benutzer", cols, rows)], filters_apply=())


def notifications(src: Source, _query: dict, _f: flt.Filters) -> PageExport:
    """The exporting user's notification choices (none on the command line)."""
    from etl.workflow.notify import kinds

    user = users.get_user(src.engine, src.user)
    modes = kinds.modes_of(src.engine, user.id, user.role) if user else {}
    rows = [[k.label, k.help, kinds.MODE_LABELS[modes[k.key]]]
            for k in (kinds.kinds_for(user.role) if user else [])]
    cols = [Column("Benachrichtigung"), Column("Wann"), Column("Zustellung")]
    return PageExport([Table("Benachrichtigungen", cols, rows)], filters_apply=())


# --- Finanzplan -----------------------------------------------------------------------------


def versions_table(versions: list[plans.Version]) -> Table:
    rows = [
        [
            v.id,
            v.created_at,
            v.created_by,
            v.reason,
            v.file_name or "Konfiguration",
            v.based_on,
            v.total_cents,
        ]
        for v in versions
    ]
    cols = [
        Column("Version", "id"),
        Column("erstellt am", "datetime"),
        Column("von"),
        Column("Begründung", width=60),
        Column("Datei", width=36),
        Column("beruht auf", "id"),
        Column("Summe", "money"),
    ]
    return Table("Planfassungen", cols, rows)


def diff_tables(config, old: plans.Plan, new: plans.Plan) -> list[Table]:
    """The reallocation between two versions: lines, targets, parameters."""
    d = diff(old.data, new.data, config)
    lines = Table(
        "Umschichtung",
        [
            Column("Partner"),
            Column("Jahr", "id"),
            Column("Kostenart"),
            Column(f"Version {old.version.id}", "money", total=True),
            Column(f"Version {new.version.id}", "money", total=True),
            Column("Änderung", "money", total=True),
            Column("Änderung in %", "pct"),
            Column("Prüfung", width=36),
        ],
        [
            [
                c.partner,
                c.year,
                CATEGORY_LABELS[c.category],
                c.old,
                c.new,
                c.change,
                None if c.share is None else float(c.share),
                CONSENT if c.needs_consent else "",
            ]
            for c in d.lines
        ],
        note=f"Zustimmungspflichtig: Zeilen, die sich um mehr als "
        f"{config.rules.deviation_flag * 100:.0f} % ändern (neue Zeilen immer).",
    )
    targets = Table(
        "Zieländerungen",
        [
            Column("Partner"),
            Column("Modul"),
            Column("Jahr", "id"),
            Column("Kennzahl"),
            Column("vorher", "int"),
            Column("nachher", "int"),
        ],
        [[t.partner, t.module, t.year, t.measure, t.old, t.new] for t in d.targets],
    )
    params = Table(
        "Parameteränderungen",
        [Column("Parameter"), Column("vorher"), Column("nachher")],
        [[p.label, p.old, p.new] for p in d.parameters],
    )
    return [lines, targets, params]


def plan_lines_table(config, chosen: plans.Plan) -> Table:
    rows = [
        [p, y, *[chosen.data.budget.get((p, y, c), 0) for c in CATEGORY_LABELS]]
        for p in config.partner_codes
        for y in config.years
    ]
    cols = [Column("Partner"), Column("Jahr", "id")]
    cols += [Column(label, "money", total=True) for label in CATEGORY_LABELS.values()]
    return Table(f"Plan Version {chosen.version.id}", cols, rows)


def plan(src: Source, query: dict, _f: flt.Filters) -> PageExport:
    versions = plans.versions(src.engine, src.config)
    frm, to = planning.version_pair(versions, query)
    old = plans.plan_as_of(src.engine, src.config, frm)
    new = plans.plan_as_of(src.engine, src.config, to)
    tables = [versions_table(versions), plan_lines_table(src.config, new)]
    tables += diff_tables(src.config, old, new)
    return PageExport(tables, [("Vergleich", f"Version {frm} → Version {to}")], filters_apply=())


def payments(src: Source, _query: dict, f: flt.Filters) -> PageExport:
    config = src.plan_config(None)
    position, requests = payment_data(src, config, f.partner_list(src.config))
    return PageExport(payment_tables(position, requests), filters_apply=("partners",))
