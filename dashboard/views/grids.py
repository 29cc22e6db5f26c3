"""AG Grid definitions: German interface texts, value formatters, columns, JSON rows.

Formatters are the JavaScript functions in ``assets/dashAgGridFunctions.js``; money travels
as integer cents and is formatted exactly in the browser.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

import pandas as pd

from dashboard import data, fmt
from dashboard.labels import CATEGORY_LABELS, FLAG_LABELS, KIND_LABELS, UPLOAD_STATUS_LABELS
from etl.core import figures

# German texts of AG Grid's own interface.
GRID_LOCALE = {
    "page": "Seite",
    "of": "von",
    "to": "bis",
    "more": "mehr",
    "next": "Nächste",
    "last": "Letzte",
    "first": "Erste",
    "previous": "Vorherige",
    "loadingOoo": "Lädt …",
    "noRowsToShow": "Keine Zeilen",
    "filterOoo": "Filter …",
    "searchOoo": "Suchen …",
    "equals": "gleich",
    "notEqual": "ungleich",
    "contains": "enthält",
    "notContains": "enthält nicht",
    "startsWith": "beginnt mit",
    "endsWith": "endet mit",
    "blank": "leer",
    "notBlank": "nicht leer",
    "lessThan": "kleiner als",
    "greaterThan": "größer als",
    "lessThanOrEqual": "kleiner oder gleich",
    "greaterThanOrEqual": "größer oder gleich",
    "inRange": "zwischen",
    "before": "vor",
    "after": "nach",
    "andCondition": "UND",
    "orCondition": "ODER",
    "applyFilter": "Anwenden",
    "resetFilter": "Zurücksetzen",
    "clearFilter": "Leeren",
    "cancelFilter": "Abbrechen",
    "selectAll": "(Alle auswählen)",
    "inRangeStart": "von",
    "inRangeEnd": "bis",
    "pageSizeSelectorLabel": "Zeilen je Seite:",
    "ariaPageSizeSelectorLabel": "Zeilen je Seite",
    "sortAscending": "Aufsteigend sortieren",
    "sortDescending": "Absteigend sortieren",
    "columnFilter": "Spaltenfilter",
    "filters": "Filter",
    "dateFormatOoo": "tt.mm.jjjj",
}


# Every column: a long header wraps onto a second line instead of being cut ("Bewilligt …").
HEADER = {"wrapHeaderText": True, "autoHeaderHeight": True}


def money_col(field: str, header: str, **extra) -> dict:
    """An AG Grid column of integer cents shown as German euros."""
    return {
        **HEADER,
        "field": field,
        "headerName": header,
        "type": "rightAligned",
        "filter": "agNumberColumnFilter",
        "valueFormatter": {"function": "eurCents(params.value)"},
        **extra,
    }


UNDER_LABELS = {"warn": "Warnung: unter Plan", "flag": "Mittel gefährdet"}


def budget_status(flag: str, direction: str, compare: int, plan: int) -> str:
    """The status of a budget line in words: over plan as FLAG_LABELS, under plan
    'Mittel gefährdet' (UNDER_LABELS), a year not begun 'noch nicht begonnen'."""
    if flag != "ok" and direction == "under":
        return UNDER_LABELS[flag]
    if flag == "ok" and plan > 0 and compare == 0:
        return "noch nicht begonnen"
    return FLAG_LABELS[flag]


def budget_rows(lines: pd.DataFrame) -> list[dict]:
    """Rows for the budget-line grid (money in cents, deviation in percent for sorting), in
    the order of ``lines`` (the most euros at stake first)."""
    cols = ("partner_code", "year", "category", "plan", "compare", "actual", "deviation")
    more = ("flag", "direction", "at_stake")
    return [
        {
            "partner": partner,
            "year": int(year),
            "year_label": data.year_label(year),
            "category": CATEGORY_LABELS[category],
            "plan": int(plan),
            "compare": int(compare),
            "actual": int(actual),
            "deviation": None if dev is None else round(float(dev) * 100, 1),
            "flag": flag,
            "at_stake": int(stake),
            "flag_label": budget_status(flag, direction, int(compare), int(plan)),
        }
        for partner, year, category, plan, compare, actual, dev, flag, direction, stake in zip(
            *(lines[c].tolist() for c in (*cols, *more)), strict=True
        )
    ]


def _tip(key: str) -> dict:
    """The registered definition of a figure as a column header's tooltip."""
    return {"headerTooltip": figures.definition(key)}


BUDGET_COLUMNS = [
    {"field": "partner", "headerName": "Partner", "width": 110, "minWidth": 100},
    {
        "field": "year",
        "headerName": "Jahr",
        "width": 100,
        "minWidth": 90,
        "filter": "agNumberColumnFilter",
        "valueFormatter": {"function": "params.data.year_label"},
    },
    {"field": "category", "headerName": "Kostenart", "flex": 1, "minWidth": 150},
    money_col("plan", "Jahresplan", flex=1, minWidth=150, **_tip("plan")),
    money_col("compare", "Plan bis Stand", flex=1, minWidth=180, **_tip("plan_to_date")),
    money_col("actual", "Ist", flex=1, minWidth=140, **_tip("eligible")),
    {
        "field": "deviation",
        "headerName": "Abweichung",
        "type": "rightAligned",
        "width": 170,
        "filter": "agNumberColumnFilter",
        "valueFormatter": {
            "function": "params.value == null ? '–' : "
            "(params.value > 0 ? '+' : '') + "
            "deNumber(params.value, 1) + ' %'"
        },
        **_tip("deviation"),
    },
    money_col("at_stake", "im Risiko", flex=1, minWidth=150, **_tip("at_stake")),
    {
        "field": "flag_label",
        "headerName": "Status",
        "width": 190,
        "cellClassRules": {
            "flag-warn": "params.data.flag === 'warn'",
            "flag-flag": "params.data.flag === 'flag'",
            "flag-ok": "params.data.flag === 'ok'",
        },
        **_tip("deviation"),
    },
]
for _col in BUDGET_COLUMNS:  # a header with a definition shows an ⓘ (CSS, .fig-info-header)
    if "headerTooltip" in _col:
        _col["headerClass"] = "fig-info-header"


# Tooltips only on cells whose text is cut (the tooltip shows it whole).
TOOLTIPS = {"tooltipShowMode": "whenTruncated", "tooltipShowDelay": 300}


def paged(page_size: int = 25) -> dict:
    """Grid options: German texts and pagination with ``page_size`` rows, the grid as tall as
    its page (no rows hidden in a scroll inside a page the pager calls complete)."""
    return {
        "localeText": GRID_LOCALE,
        "domLayout": "autoHeight",
        "pagination": True,
        "paginationPageSize": page_size,
        "paginationPageSizeSelector": False,
        **TOOLTIPS,
    }


def text_col(field: str, header: str, **extra) -> dict:
    """A text column; a cut cell shows its whole text as a tooltip."""
    return {
        **HEADER,
        "field": field,
        "headerName": header,
        "filter": "agTextColumnFilter",
        "tooltipField": field,
        **extra,
    }


def number_col(field: str, header: str, places: int = 0, **extra) -> dict:
    return {
        **HEADER,
        "field": field,
        "headerName": header,
        "type": "rightAligned",
        "filter": "agNumberColumnFilter",
        "valueFormatter": {"function": f"deNumber(params.value, {places})"},
        **extra,
    }


def date_col(field: str, header: str, with_time: bool = False, **extra) -> dict:
    fn = "true" if with_time else "false"
    return {
        **HEADER,
        "minWidth": 170 if with_time else 125,  # "03.12.2026 14:05" whole
        "field": field,
        "headerName": header,
        "filter": "agDateColumnFilter",
        "filterParams": {"comparator": {"function": "isoDateComparator"}},
        "valueFormatter": {"function": f"deDate(params.value, {fn})"},
        **extra,
    }


def month_col(field: str = "month", header: str = "Berichtsmonat", **extra) -> dict:
    return {
        **HEADER,
        "minWidth": 165,  # "September 2026" whole
        "field": field,
        "headerName": header,
        "filter": "agTextColumnFilter",
        "tooltipValueGetter": {"function": "deMonth(params.value)"},
        "valueFormatter": {"function": "deMonth(params.value)"},
        "filterValueGetter": {"function": "deMonth(params.data.month)"},
        **extra,
    }


def _json(value):
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def json_rows(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows of ``frame`` as JSON-ready dicts (ISO dates, None for missing values)."""
    return [
        {c: _json(v) for c, v in zip(columns, row, strict=True)}
        for row in frame[columns].itertuples(index=False, name=None)
    ]


def json_rows_of(rows: list[dict], columns: list[str]) -> list[dict]:
    """Dict rows (from SQL) as JSON-ready dicts of ``columns``."""
    return [{c: _json(r.get(c)) for c in columns} for r in rows]


# Widths of the columns that show configured names: wide enough for the network's longest
# partner code (upper case, ~10 px a character in the grid's font) and module name (~8 px),
# plus the cell padding (2 x 17 px and a margin); never narrower than the column defines.
CODE_FIELDS = ("partner_code", "partner")
MODULE_FIELDS = ("module",)
_PX = {"code": 10, "module": 8}
_CELL_EXTRA = 40


def _fit_px(texts, kind: str) -> int:
    longest = max((len(t) for t in texts), default=0)
    return longest * _PX[kind] + _CELL_EXTRA


def fitted(columns: list[dict], config) -> list[dict]:
    """``columns`` with the partner and module columns widened to ``config``'s longest code and
    module name, so that no code or name is cut (new dicts; the others as they are)."""
    need = {
        **dict.fromkeys(CODE_FIELDS, _fit_px(config.partner_codes, "code")),
        **dict.fromkeys(MODULE_FIELDS, _fit_px(config.modules, "module")),
        # staff codes usually extend the partner code ("DO-01")
        "reference": _fit_px([f"{c}-00" for c in config.partner_codes], "code"),
    }
    out = []
    for col in columns:
        px = need.get(col.get("field"))
        if px is not None:
            sized = {k: max(col[k], px) for k in ("width", "minWidth") if k in col}
            col = {**col, **(sized or {"minWidth": px})}
        out.append(col)
    return out


SOURCE_COLUMNS = [
    text_col("file_name", "Datei", minWidth=230),
    text_col("sheet", "Blatt", width=140),
    number_col("source_row", "Zeile", width=100),
]
PARTNER_COLUMN = text_col("partner_code", "Partner", width=110, pinned="left")

RECORD_COLUMNS: dict[str, list[dict]] = {
    "veranstaltungen": [
        PARTNER_COLUMN,
        month_col(width=165),
        date_col("event_date", "Datum", width=130),
        text_col("event_id", "ID", width=170),
        text_col("title", "Titel", minWidth=260, flex=1),
        text_col("module", "Modul", width=130),
        text_col("format", "Format", width=120),
        number_col("n_participants", "Teilnehmende", width=150),
        number_col("n_women", "davon Frauen", width=140),
        *SOURCE_COLUMNS,
    ],
    "coachings": [
        PARTNER_COLUMN,
        month_col(width=165),
        date_col("coaching_date", "Datum", width=130),
        text_col("coaching_id", "ID", width=170),
        text_col("company_name", "Unternehmen", minWidth=240, flex=1),
        text_col("module", "Modul", width=130),
        number_col("hours", "Stunden", 2, width=120),
        text_col("topic", "Thema", minWidth=200),
        *SOURCE_COLUMNS,
    ],
    "teilnahmen": [
        PARTNER_COLUMN,
        date_col("activity_date", "Datum der Aktivität", width=170),
        text_col("activity_id", "Aktivität", width=170),
        text_col("kind", "Art", width=140),
        text_col("module", "Modul", width=130),
        text_col("company_name", "Unternehmen", minWidth=240, flex=1),
        text_col("plz", "PLZ", width=100),
        text_col("size_class", "Größenklasse", width=140),
        number_col("n_persons", "Personen", width=120),
        *SOURCE_COLUMNS,
    ],
    "kosten": [
        PARTNER_COLUMN,
        month_col(width=165),
        text_col("category", "Kostenart", width=160),
        text_col("reference", "Kürzel / Beleg", width=160),
        date_col("date", "Belegdatum", width=140),
        text_col("module", "Modul", width=130),
        text_col("detail", "Angaben", minWidth=240, flex=1),
        money_col("amount_cents", "Betrag", width=160),
        *SOURCE_COLUMNS,
    ],
    "eingaenge": [
        PARTNER_COLUMN,
        month_col(width=165),
        date_col("uploaded_at", "Eingang", with_time=True, width=175, sort="desc"),
        text_col("status", "Ergebnis", width=140),
        text_col("file_name", "Datei", minWidth=260, flex=1),
        text_col("uploaded_by", "hochgeladen von", minWidth=220),
        number_col("n_errors", "Fehler", width=110),
    ],
}


def record_rows(dataset: str, frame: pd.DataFrame) -> list[dict]:
    """JSON rows for the Daten grid of ``dataset`` (codes translated to German labels)."""
    if dataset == "teilnahmen" and not frame.empty:
        frame = frame.assign(kind=frame["kind"].map(KIND_LABELS))
    if dataset == "eingaenge" and not frame.empty:
        frame = frame.assign(status=frame["status"].map(UPLOAD_STATUS_LABELS))
    if dataset == "kosten" and not frame.empty:
        details = zip(frame["kind"], frame["detail"], frame["quantity"], strict=True)
        frame = frame.assign(
            detail=[_detail(d, q) if k == "personnel" else d for k, d, q in details]
        )
    return json_rows(frame, [c["field"] for c in RECORD_COLUMNS[dataset]])


def _detail(detail: str, quantity) -> str:
    """A Personal row's detail with its quantity: ``Leistungsgruppe 2, Monat: 0,5``."""
    return f"{detail}: {fmt.de_plain(quantity)}"


def shown(dataset: str, row: dict) -> dict:
    """One SQL row as the grid shows it: German labels, the Personal detail text (a new dict:
    ``row`` is left as it is, so showing a row twice cannot append the quantity twice)."""
    row = dict(row)
    if dataset == "teilnahmen":
        row["kind"] = KIND_LABELS.get(row["kind"], row["kind"])
    elif dataset == "eingaenge":
        row["status"] = UPLOAD_STATUS_LABELS.get(row["status"], row["status"])
    elif dataset == "kosten" and row.get("kind") == "personnel":
        row["detail"] = _detail(row["detail"], row["quantity"])
    return row
