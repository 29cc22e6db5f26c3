"""The rows behind a figure: one dataset of the Daten page, narrowed by the global filters and
the drill-down keys (month, cost kind, SME class, event format), with its totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from dashboard import filters as flt

DEFAULT = "veranstaltungen"
COST_KINDS = {"personal": "personnel", "ausgaben": "expenditure"}


@dataclass(frozen=True)
class Narrowing:
    """Drill-down keys beyond the global filters (None = not narrowed)."""

    month: date | None = None
    cost_kind: str | None = None  # 'personal' or 'ausgaben'
    size: str | None = None
    format: str | None = None


def narrowing(query: dict[str, str]) -> Narrowing:
    """Narrowing from query parameters (``monat=2025-03``, ``kategorie``, ``groesse``,
    ``format``); malformed values are ignored."""
    month = None
    try:
        year, mon = (int(x) for x in query.get("monat", "").split("-")[:2])
        month = date(year, mon, 1)
    except ValueError:
        pass
    kind = query.get("kategorie")
    return Narrowing(
        month=month,
        cost_kind=kind if kind in COST_KINDS else None,
        size=query.get("groesse") or None,
        format=query.get("format") or None,
    )


def costs(personnel: pd.DataFrame, expenditure: pd.DataFrame) -> pd.DataFrame:
    """Personnel and expenditure rows in one frame: kind, category, reference, detail,
    quantity (personnel), cents."""
    pers = personnel.assign(
        kind="personnel",
        category="Personal",
        reference=personnel["staff_code"],
        date=None,
        # the same detail as the SQL path (etl.warehouse.queries); the view adds the quantity
        detail=[
            f"Leistungsgruppe {g}, {b}"
            for g, b in zip(personnel["pay_group"], personnel["billing"], strict=True)
        ],
    )
    exp = expenditure.assign(
        kind="expenditure",
        category=expenditure["cost_category"],
        reference=expenditure["receipt_no"],
        date=expenditure["booking_date"],
        detail=expenditure["description"],
        quantity=None,
    )
    cols = [
        "partner_code",
        "month",
        "kind",
        "category",
        "reference",
        "date",
        "module",
        "detail",
        "quantity",
        "amount_cents",
        "file_name",
        "sheet",
        "source_row",
    ]
    frames = [f[cols] for f in (pers, exp) if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)


def _month_of(values) -> pd.Series:
    return pd.to_datetime(pd.Series(list(values), dtype=object)).dt.to_period("M")


def _year_of(month: pd.Series, start: int) -> pd.Series:
    """The project year (etl.core.years, years starting in month ``start``) of each month
    of :func:`_month_of`."""
    return month.dt.year - (month.dt.month < start).astype("int64")


def rows(
    frames: dict[str, pd.DataFrame], dataset: str, f: flt.Filters, n: Narrowing, start: int = 1
) -> pd.DataFrame:
    """The rows of ``dataset`` inside the filters and the narrowing (years: project years
    starting in month ``start``)."""
    if dataset == "kosten":
        out = costs(frames["personnel"], frames["expenditure"])
        date_col = "month"
    elif dataset == "teilnahmen":
        out, date_col = frames["participations"], "activity_date"
    elif dataset == "eingaenge":
        out, date_col = frames["uploads"], "month"
    else:
        out = frames["coachings" if dataset == "coachings" else "events"]
        date_col = "month"
    if out.empty:
        return out
    month = _month_of(out[date_col]).set_axis(out.index)
    out = out.assign(year=_year_of(month, start))
    has_module = dataset != "eingaenge"
    out = flt.apply(out, f, module="module" if has_module else None)
    return _narrow(out, month.loc[out.index], n)


def _narrow(out: pd.DataFrame, month: pd.Series, n: Narrowing) -> pd.DataFrame:
    mask = pd.Series(True, index=out.index)
    if n.month:
        mask &= month == pd.Period(n.month, "M")
    if n.cost_kind and "kind" in out:
        mask &= out["kind"] == COST_KINDS[n.cost_kind]
    if n.size and "size_class" in out:
        mask &= out["size_class"] == n.size
    if n.format and "format" in out:
        mask &= out["format"] == n.format
    return out[mask]


def totals(dataset: str, frame: pd.DataFrame) -> dict[str, object]:
    """The sums shown above the grid (money in cents, hours exact)."""
    n = len(frame)
    if dataset == "veranstaltungen":
        return {"rows": n, "participants": int(frame["n_participants"].sum()) if n else 0}
    if dataset == "coachings":
        return {"rows": n, "hours": sum(frame["hours"]) if n else 0}
    if dataset == "teilnahmen":
        return {
            "rows": n,
            "companies": int(frame["company_id"].nunique()) if n else 0,
            "persons": int(frame["n_persons"].sum()) if n else 0,
        }
    if dataset == "kosten":
        by = frame.groupby("kind")["amount_cents"].sum() if n else {}
        return {
            "rows": n,
            "personnel": int(by.get("personnel", 0)),
            "expenditure": int(by.get("expenditure", 0)),
            "total": int(sum(int(v) for v in frame["amount_cents"])) if n else 0,
        }
    return {"rows": n, "by_status": frame["status"].value_counts().to_dict() if n else {}}


# --- the SQL path: the narrowing pushed into etl.warehouse.queries.record_* ---------------


def sql_narrowing(f: flt.Filters, n: Narrowing) -> dict:
    """Keyword arguments of ``etl.warehouse.queries.record_*`` for the filters and the
    narrowing (the partner clamp is added by ``dashboard.data``)."""
    return {
        "partners": tuple(f.partners) or None,
        "modules": tuple(f.modules) or None,
        "years": tuple(f.years) or None,
        "month": n.month,
        "cost_kind": COST_KINDS.get(n.cost_kind) if n.cost_kind else None,
        "size": n.size,
        "format": n.format,
    }



# --- a configured activity sheet: its rows narrowed and paged in pandas ---------------------


def sheet_records(
    rows_: pd.DataFrame, f: flt.Filters, n: Narrowing, start: int = 1
) -> pd.DataFrame:
    """The rows of a configured sheet (etl.warehouse.queries.sheet_rows) inside the filters
    and the month narrowing (a sheet without a module column has no module: a module filter
    leaves none, as its measures count under no module)."""
    if rows_.empty:
        return rows_
    month = _month_of(rows_["month"]).set_axis(rows_.index)
    out = flt.apply(rows_.assign(year=_year_of(month, start)), f)
    return _narrow(out, month.loc[out.index], Narrowing(month=n.month))


def sheet_page(frame: pd.DataFrame, start: int, end: int, by: list[tuple[str, bool]]):
    """Rows ``start``..``end`` of ``frame`` sorted by ``by`` (column, ascending), empty
    values last; otherwise in the query's order (partner, month, sheet row)."""
    if by and not frame.empty:
        cols, ascending = [c for c, _a in by], [a for _c, a in by]
        frame = frame.sort_values(cols, ascending=ascending, na_position="last", kind="stable",
                                  key=lambda s: s.map(_sortable))
    return frame.iloc[start:end]


def _sortable(value):
    """Text compared without case; numbers, dates as they are."""
    return value.casefold() if isinstance(value, str) else value


def sheet_totals(frame: pd.DataFrame, sheet) -> dict[str, int]:
    """Rows and every configured measure of a sheet's rows (as the measures count them:
    matching rows, or the sum of a column; money in cents)."""
    out = {"rows": len(frame)}
    records = frame[[c.name for c in sheet.columns]].to_dict("records") if len(frame) else []
    for m in sheet.measures:
        out[m.key] = int(sum((m.fact_value(r) for r in records if m.matches(r)), Decimal(0)))
    return out
