"""Daten: the rows behind the figures, with the file, sheet and row each came from.

Other pages link here (``/daten?tabelle=kosten&partner=DO&jahr=2025&kategorie=personal``);
the grid shows exactly those rows, and the totals above it match the clicked figure.
"""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, dcc, html, no_update

from dashboard import data, drill, fmt
from dashboard import filters as flt
from dashboard.calc import periods
from dashboard.calc import records as rec
from dashboard.figures.sheets import shown
from dashboard.labels import UPLOAD_STATUS_LABELS
from dashboard.views import components as ui
from dashboard.views import grids, sheet_grid

dash.register_page(
    __name__, path="/daten", name="Daten", title="Daten – Fördercockpit", order=4, filters=True
)

COST_KIND_LABELS = {"personal": "Personal", "ausgaben": "Ausgaben"}
BLOCK = 100  # rows per request of the grid
CSV_PATH = "/download/daten"
NARROW_LABELS = {
    "monat": "Monat",
    "kategorie": "Kostenart",
    "groesse": "Größenklasse",
    "format": "Format",
}


def layout(tabelle: str = rec.DEFAULT, **_query) -> html.Div:
    choices = drill.datasets(data.config())  # the built-in ones and configured sheets
    dataset = tabelle if tabelle in choices else rec.DEFAULT
    grid = dag.AgGrid(
        id="records-grid",
        columnDefs=columns(dataset, data.config() if dataset not in drill.DATASETS else None),
        rowModelType="infinite",
        defaultColDef={"sortable": True, "filter": True, "floatingFilter": True, "resizable": True},
        dashGridOptions={
            "localeText": grids.GRID_LOCALE,
            # rows come from the server a block at a time (filtered, sorted and paged in SQL)
            "cacheBlockSize": BLOCK,
            "maxBlocksInCache": 20,
            "infiniteInitialRowCount": 1,
            "animateRows": False,
            "suppressColumnVirtualisation": True,
            **grids.TOOLTIPS,
        },
        style={"height": "640px"},
        className="ag-theme-alpine",
    )
    return html.Div(
        [
            ui.page_header("Daten", "records-lead"),
            dbc.RadioItems(
                id="records-dataset",
                value=dataset,
                inline=True,
                options=[{"label": v, "value": k} for k, v in choices.items()],
                className="btn-group flex-wrap mb-3",
                inputClassName="btn-check",
                labelClassName="btn btn-outline-primary",
                labelCheckedClassName="active",
            ),
            html.Div(id="records-chips", className="mb-2"),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.Div(
                            [
                                html.Div(id="records-summary", className="records-summary"),
                                html.A(
                                    "Als CSV herunterladen",
                                    id="records-csv",
                                    href=CSV_PATH,
                                    className="btn btn-outline-secondary btn-sm",
                                ),
                            ],
                            className="d-flex justify-content-between align-items-center mb-2",
                        ),
                        grid,
                    ]
                ),
                className="shadow-sm mb-4",
            ),
        ]
    )


@callback(
    Output("url", "search", allow_duplicate=True),
    Input("records-dataset", "value"),
    State("url", "search"),
    prevent_initial_call=True,
)
def choose_dataset(dataset, search):
    """Another dataset keeps the filters and the month, drops the other narrowings."""
    params = flt.parse_search(search)
    # Dash also calls this when the page is inserted: leave a drill-down link untouched.
    if params.get("tabelle", rec.DEFAULT) == dataset:
        return no_update
    params = {k: v for k, v in params.items() if k not in ("kategorie", "groesse", "format")}
    return flt.to_search({**params, "tabelle": dataset})


def columns(dataset: str, config=None) -> list[dict]:
    """The grid's columns (partner and module wide enough for ``config``'s names); the month
    column's filter matches its German text in the browser only, so it is off here (the rows
    are filtered in SQL)."""
    sheet = drill.sheet_of(dataset, config) if config is not None else None
    cols = sheet_grid.columns(sheet) if sheet else grids.RECORD_COLUMNS[dataset]
    cols = grids.fitted(cols, config) if config is not None else cols
    return [{**c, "filter": False} if "filterValueGetter" in c else c for c in cols]


def _selection(search: str | None) -> tuple[str, dict]:
    """Dataset and SQL narrowing of a Daten URL (global filters + drill-down keys)."""
    config, query = data.config(), flt.parse_search(search)
    wanted = query.get("tabelle")
    dataset = wanted if wanted in drill.datasets(config) else rec.DEFAULT
    return dataset, rec.sql_narrowing(flt.from_query(query, config), rec.narrowing(query))


def sheet_selection(search: str | None):
    """A configured sheet's dataset of a Daten URL and its rows inside the filters and the
    month (None, None for a built-in dataset). Its rows are read whole (one network's sheet
    is small) and narrowed, sorted and paged in pandas, not in SQL."""
    config, query = data.config(), flt.parse_search(search)
    sheet = drill.sheet_of(query.get("tabelle") or "", config)
    if sheet is None:
        return None, None
    f = flt.from_query(query, config)
    rows = data.sheet_rows(sheet.key)
    return sheet, rec.sheet_records(rows, f, rec.narrowing(query), config.year_start_month)


@callback(
    Output("records-grid", "columnDefs"),
    Output("records-summary", "children"),
    Output("records-chips", "children"),
    Output("records-lead", "children"),
    Output("records-csv", "href"),
    Output("records-grid", "rowClassRules"),
    Input("url", "search"),
)
def show_rows(search):
    """Columns, totals (SQL aggregates), chips and lead; the rows follow block by block.
    Rows of months after the Stand are shown, marked vorläufig (no figure counts them)."""
    config, query = data.config(), flt.parse_search(search)
    dataset, narrowing = _selection(search)
    f = flt.from_query(query, config)
    as_of = f.as_of(config, data.today())
    sheet, frame = sheet_selection(search)
    totals = (
        rec.sheet_totals(frame, sheet) if sheet else data.record_totals(dataset, narrowing)
    )
    return (
        columns(dataset, config),
        summary(dataset, totals, sheet),
        chips(query),
        f"{drill.datasets(config)[dataset]} · {ui.selection_text(config, f)} · "
        f"{ui.stand_text(as_of)}"
        " – ihre Zeilen gelb hinterlegt",
        CSV_PATH + (search or ""),
        provisional_rows(as_of),
    )


def provisional_rows(as_of) -> dict:
    """AG Grid row classes: rows whose month lies after the Stand ``as_of`` are vorläufig."""
    last = f"{periods.month_end(as_of):%Y-%m-%d}"
    return {"row-provisional": f"params.data && params.data.month > '{last}'"}


@callback(
    Output("records-grid", "getRowsResponse"),
    Input("records-grid", "getRowsRequest"),
    State("url", "search"),
    prevent_initial_call=True,
)
def rows_block(request, search):
    """One block of rows for the grid's infinite row model (sort and column filters in SQL)."""
    if not request:
        return no_update
    dataset, narrowing = _selection(search)
    start = max(int(request.get("startRow") or 0), 0)
    end = min(max(int(request.get("endRow") or start + BLOCK), start), start + 10 * BLOCK)
    sheet, frame = sheet_selection(search)
    if sheet is not None:
        return sheet_block(sheet, frame, start, end, request.get("sortModel") or [])
    filters = request.get("filterModel") or None
    rows = data.record_page(
        dataset, narrowing, start=start, end=end, sort=request.get("sortModel"), filters=filters
    )
    fields = [c["field"] for c in grids.RECORD_COLUMNS[dataset]]
    out = grids.json_rows_of([grids.shown(dataset, r) for r in rows], fields)
    count = data.record_count(dataset, narrowing, filters)
    return {"rowData": out, "rowCount": count}


def sheet_block(sheet, frame, start: int, end: int, sort_model: list[dict]) -> dict:
    """One block of a configured sheet's rows, sorted as the grid asks."""
    by = [
        (column, s.get("sort") != "desc")
        for s in sort_model
        if (column := sheet_grid.sort_column(sheet, s.get("colId", ""))) is not None
    ]
    page = rec.sheet_page(frame, start, end, by)
    return {"rowData": sheet_grid.rows(sheet, page), "rowCount": len(frame)}


# A new URL (another dataset, filter or drill-down) empties the grid's blocks: it asks again.
dash.clientside_callback(
    ClientsideFunction("records", "refreshGrid"),
    Output("records-chips", "className"),
    Input("records-summary", "children"),
    State("url", "search"),
)


# totals above the grid that are registered figures (ⓘ with their definition)
SUMMARY_FIGURES = {"total": "cost_records", "companies": "unique_companies"}


def summary(dataset: str, t: dict, sheet=None) -> list:
    # a configured sheet's long measure names: each total wraps in its own box, an amount
    # never between its number and €
    box, bold = (" d-inline-block", " text-nowrap") if sheet is not None else ("", "")
    return [
        html.Span(
            [
                html.Span(f"{label}: ", className="text-muted"),
                html.Span(value, className="fw-bold" + bold, **{"data-total": key}),
                *([" ", ui.info(SUMMARY_FIGURES[key])] if key in SUMMARY_FIGURES else []),
            ],
            className="me-4" + box,
        )
        for key, label, value in summary_parts(dataset, t, sheet)
    ]


def summary_parts(dataset: str, t: dict, sheet=None) -> list[tuple[str, str, str]]:
    """(key, German label, formatted value) of the totals above the grid (``sheet``: the
    configured activity sheet shown, if any)."""
    parts = [("rows", "Zeilen", fmt.de_int(t["rows"]))]
    if dataset == "veranstaltungen":
        parts.append(("participants", "Teilnehmende", fmt.de_int(t["participants"])))
    elif dataset == "coachings":
        parts.append(("hours", "Stunden", fmt.de_dec(t["hours"], 2)))
    elif dataset == "teilnahmen":
        parts += [
            ("companies", "eindeutige Unternehmen", fmt.de_int(t["companies"])),
            ("persons", "Personen", fmt.de_int(t["persons"])),
        ]
    elif sheet is not None:  # a configured sheet: its measures, as on Aktivitäten
        parts += [(m.key, m.label, shown(t[m.key], m.unit)) for m in sheet.measures]
    elif dataset == "kosten":
        parts += [
            ("personnel", "Personal", fmt.eur(t["personnel"])),
            ("expenditure", "Ausgaben", fmt.eur(t["expenditure"])),
            ("total", "Summe ohne Gemeinkosten", fmt.eur(t["total"])),
        ]
    else:
        parts += [
            (k, UPLOAD_STATUS_LABELS.get(k, k), fmt.de_int(v)) for k, v in t["by_status"].items()
        ]
    return parts


def chips(query: dict[str, str]) -> list:
    out = []
    for key, label in NARROW_LABELS.items():
        if not query.get(key):
            continue
        value = query[key]
        if key == "monat":
            narrowed = rec.narrowing(query).month
            value = fmt.month_long(narrowed) if narrowed else value
        value = COST_KIND_LABELS.get(value, value) if key == "kategorie" else value
        rest = {k: v for k, v in query.items() if k != key}
        out.append(
            dcc.Link(
                [f"{label}: {value}", html.Span(" ✕", className="ms-1")],
                href=drill.RECORDS_PATH + flt.to_search(rest),
                className="badge rounded-pill text-bg-info me-2 chip",
                title="Einschränkung aufheben",
            )
        )
    return out
