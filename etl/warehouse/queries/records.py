"""The Daten grid: one dataset's rows (one row per current event, coaching, participation,
cost row, or per received file), narrowed in SQL, sorted and filtered as the grid asks, a
page at a time, with the sums above the grid."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    String,
    and_,
    cast,
    distinct,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)

from etl.warehouse import schema as s
from etl.warehouse.queries.grid import _grid_condition
from etl.warehouse.years import start_month

RECORD_DATASETS = ("veranstaltungen", "coachings", "teilnahmen", "kosten", "eingaenge")


def _within(col, *, years: Sequence[int] | None, month: date | None, start: int = 1):
    """Conditions on a date column: inside one of the project ``years`` (starting in month
    ``start``) and inside ``month`` (ranges, so an index on the column can serve them)."""
    out = []
    if years:
        spans = ((date(int(y), start, 1), date(int(y) + 1, start, 1)) for y in years)
        out.append(or_(*(and_(col >= first, col < after) for first, after in spans)))
    if month is not None:
        nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        out.append(and_(col >= month.replace(day=1), col < nxt))
    return out


def _no_index(col):
    """``col + 0``: the same value, but no index on ``col`` drives the plan (SQLite would read
    all current rows by upload id and sort them, instead of a page in index order)."""
    return col + 0


@dataclass(frozen=True)
class _Narrowing:
    """The narrowing of a dataset. ``scope`` is the partner clamp of the logged-in account
    (None: all partners; empty: none); ``cost_kind``, ``size`` and ``format`` apply to the
    datasets that have them."""

    scope: Sequence[str] | None = None
    partners: Sequence[str] | None = None
    modules: Sequence[str] | None = None
    years: Sequence[int] | None = None
    month: date | None = None
    cost_kind: str | None = None
    size: str | None = None
    format: str | None = None
    year_start: int = 1  # the month project years start in (etl.warehouse.years)

    def apply(self, stmt: Select, partner_col, date_col, module_col) -> Select:
        """``stmt`` with the partner, module and date narrowing on the given columns."""
        if self.scope is not None:
            stmt = stmt.where(partner_col.in_(list(self.scope)))
        if self.partners:
            stmt = stmt.where(partner_col.in_(list(self.partners)))
        if self.modules and module_col is not None:
            stmt = stmt.where(module_col.in_(list(self.modules)))
        return stmt.where(
            *_within(date_col, years=self.years, month=self.month, start=self.year_start)
        )


# Ids of the current (accepted) uploads: one construct shared by every branch (one bound
# parameter in the statement)
_ACCEPTED = select(s.uploads.c.id).where(s.uploads.c.status == "accepted")


def _shown_source(t, sheet: str) -> list:
    """The file, sheet, row and row id of a shown row: the file name is looked up per shown
    row (a page), not joined for every row of the table."""
    u = s.uploads
    name = select(u.c.file_name).where(u.c.id == t.c.upload_id).scalar_subquery()
    return [name.label("file_name"), literal(sheet).label("sheet"), t.c.source_row,
            t.c.id.label("row_id")]


def _fact_branch(n: _Narrowing, t, sheet: str, columns: Sequence, *conditions) -> Select:
    """The skeleton of a fact table's branch: ``columns`` and the source of its current rows
    (a semi-join, so SQLite can read the table in the order of its (partner, id) index and
    stop after a page), ``conditions``, then the narrowing on its partner, month, module."""
    stmt = select(*columns, *_shown_source(t, sheet)).where(
        _no_index(t.c.upload_id).in_(_ACCEPTED)
    )
    if conditions:
        stmt = stmt.where(*conditions)
    return n.apply(stmt, t.c.partner_code, t.c.month, t.c.module)


def _event_branches(n: _Narrowing) -> list[Select]:
    """One row per current event."""
    e = s.events
    names = ("partner_code", "month", "event_date", "event_id", "title", "module", "format",
             "n_participants", "n_women")
    extra = [e.c.format == n.format] if n.format else []
    return [_fact_branch(n, e, "Veranstaltungen", [e.c[x] for x in names], *extra)]


def _coaching_branches(n: _Narrowing) -> list[Select]:
    """One row per current coaching."""
    c = s.coachings
    names = ("partner_code", "month", "coaching_date", "coaching_id", "company_name", "module",
             "hours", "topic")
    return [_fact_branch(n, c, "Coachings", [c.c[x] for x in names])]


def _participation_branch(n: _Narrowing, act, id_col: str, date_col: str, kind: str) -> Select:
    """One row per current participation citing a current activity of ``act`` (events or
    coachings), with the activity's date and module and the SME class as reported on it."""
    p = s.participations
    stmt = (
        select(p.c.partner_code, act.c[date_col].label("activity_date"), p.c.activity_id,
               literal(kind).label("kind"), act.c.module, p.c.company_name, p.c.plz,
               p.c.size_class, p.c.n_persons, p.c.company_id, *_shown_source(p, "Teilnehmende"))
        .select_from(p)
        .join(act, (act.c.partner_code == p.c.partner_code) & (act.c[id_col] == p.c.activity_id))
        .where(_no_index(p.c.upload_id).in_(_ACCEPTED),
               _no_index(act.c.upload_id).in_(_ACCEPTED))
    )
    if n.size:
        stmt = stmt.where(p.c.size_class == n.size)
    return n.apply(stmt, p.c.partner_code, act.c[date_col], act.c.module)


def _participation_branches(n: _Narrowing) -> list[Select]:
    """One row per current participation: one branch per kind of activity cited."""
    return [
        _participation_branch(n, s.events, "event_id", "event_date", "event"),
        _participation_branch(n, s.coachings, "coaching_id", "coaching_date", "coaching"),
    ]


def _cost_branches(n: _Narrowing) -> list[Select]:
    """One row per current Personal row and per receipt (as ``cost_kind`` asks), in the
    same columns."""
    t, x = s.personnel, s.expenditure
    detail = "Leistungsgruppe " + cast(t.c.pay_group, String) + ", " + t.c.billing
    pers = [t.c.partner_code, t.c.month, literal("personnel").label("kind"),
            literal("Personal").label("category"), t.c.staff_code.label("reference"),
            cast(None, x.c.booking_date.type).label("date"), t.c.module,
            detail.label("detail"), t.c.quantity, t.c.amount_cents]
    exp = [x.c.partner_code, x.c.month, literal("expenditure").label("kind"),
           x.c.cost_category.label("category"), x.c.receipt_no.label("reference"),
           x.c.booking_date.label("date"), x.c.module, x.c.description.label("detail"),
           cast(None, t.c.quantity.type).label("quantity"), x.c.amount_cents]
    branches = []
    if n.cost_kind in (None, "personnel"):
        branches.append(_fact_branch(n, t, "Personal", pers))
    if n.cost_kind in (None, "expenditure"):
        branches.append(_fact_branch(n, x, "Ausgaben", exp))
    return branches


def _upload_branches(n: _Narrowing) -> list[Select]:
    """One row per received file (all statuses)."""
    u = s.uploads
    stmt = select(u.c.partner_code, u.c.month, u.c.uploaded_at, u.c.status, u.c.file_name,
                  u.c.uploaded_by, u.c.n_errors, u.c.id.label("row_id"))
    return [n.apply(stmt, u.c.partner_code, u.c.month, None)]


_BRANCHES: dict[str, Callable[[_Narrowing], list[Select]]] = {
    "veranstaltungen": _event_branches,
    "coachings": _coaching_branches,
    "teilnahmen": _participation_branches,
    "kosten": _cost_branches,
    "eingaenge": _upload_branches,
}


def _record_branches(dataset: str, **narrowing) -> list[Select]:
    """The SELECTs (one per source table) whose union is the dataset, every filter applied to
    the table's own columns (``narrowing``: the fields of :class:`_Narrowing`)."""
    step = _BRANCHES.get(dataset)
    if step is None:
        raise ValueError(f"unknown dataset {dataset!r}")
    return step(_Narrowing(**narrowing))


def record_select(dataset: str, **narrowing) -> Select:
    """All rows of ``dataset`` inside the narrowing (see :func:`_record_branches`), as one
    SELECT over a subquery whose columns are the grid's fields (plus ``row_id``); grain: the
    dataset's (one row per source row, or per file)."""
    branches = _record_branches(dataset, **narrowing)
    sub = (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("r")
    return select(*sub.c)


# The order without a sort: the columns of the (partner, id) indexes, then the row.
RECORD_ORDER = {
    "veranstaltungen": ("partner_code", "event_id", "row_id"),
    "coachings": ("partner_code", "coaching_id", "row_id"),
    "teilnahmen": ("partner_code", "activity_id", "row_id"),
    "kosten": ("partner_code", "reference", "row_id"),
    "eingaenge": ("uploaded_at", "row_id"),
}


def _grid_filtered(branch: Select, filters: dict | None) -> Select:
    """``branch`` with each translatable grid column filter applied to its own column."""
    cols = {c.name: getattr(c, "element", c) for c in branch.selected_columns}
    for field, model in (filters or {}).items():
        if field in cols and isinstance(model, dict):
            cond = _grid_condition(cols[field], model)
            if cond is not None:
                branch = branch.where(cond)
    return branch


def record_query(
    dataset: str,
    *,
    sort: Sequence[dict] | None = None,
    filters: dict | None = None,
    **narrowing,
) -> Select:
    """The dataset's rows (its grain) with the grid's column filters (AG Grid filterModel)
    applied in each source SELECT and its sort (sortModel), the natural order breaking ties
    (stable pages).

    No wrapping subquery: the natural order follows the (partner, id) indexes, so SQLite reads
    a page of an unfiltered table in index order (merging the branches of a union)."""
    out = [_grid_filtered(b, filters) for b in _record_branches(dataset, **narrowing)]
    stmt = out[0] if len(out) == 1 else union_all(*out)
    keys = list(stmt.selected_columns.keys())

    def column(name: str):
        # a union is ordered by position (SQLite matches no other term there)
        return (
            literal_column(str(keys.index(name) + 1))
            if len(out) > 1
            else (stmt.selected_columns[name])
        )

    order = []
    for item in sort or []:
        field = item.get("colId") if isinstance(item, dict) else None
        if field in keys:
            col = column(field)
            order.append(col.desc() if item.get("sort") == "desc" else col.asc())
    natural = [column(c) for c in RECORD_ORDER[dataset]]
    if dataset == "eingaenge":  # newest first
        natural = [c.desc() for c in natural]
    return stmt.order_by(*order, *natural)


def record_page(engine: Engine, dataset: str, *, start: int, end: int, **options) -> list[dict]:
    """Rows ``start`` to ``end`` (exclusive) of :func:`record_query` as dicts (its grain)."""
    options.setdefault("year_start", start_month(engine))
    stmt = (
        record_query(dataset, **options)
        .offset(max(int(start), 0))
        .limit(max(int(end) - int(start), 0))
    )
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]


def record_count(engine: Engine, dataset: str, *, filters: dict | None = None, **narrowing) -> int:
    """How many rows :func:`record_query` gives (with the grid's column filters)."""
    narrowing.setdefault("year_start", start_month(engine))
    sub = record_query(dataset, filters=filters, **narrowing).order_by(None).subquery()
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(sub)).scalar() or 0)


def _event_totals(conn: Connection, sub) -> dict:
    r = conn.execute(select(func.count(), func.sum(sub.c.n_participants)).select_from(sub)).one()
    return {"rows": int(r[0]), "participants": int(r[1] or 0)}


def _coaching_totals(conn: Connection, sub) -> dict:
    r = conn.execute(select(func.count(), func.sum(sub.c.hours)).select_from(sub)).one()
    return {"rows": int(r[0]), "hours": Decimal(str(r[1] or 0)).quantize(Decimal("0.01"))}


def _participation_totals(conn: Connection, sub) -> dict:
    r = conn.execute(
        select(
            func.count(), func.count(distinct(sub.c.company_id)), func.sum(sub.c.n_persons)
        ).select_from(sub)
    ).one()
    return {"rows": int(r[0]), "companies": int(r[1]), "persons": int(r[2] or 0)}


def _cost_totals(conn: Connection, sub) -> dict:
    by = dict(
        conn.execute(select(sub.c.kind, func.sum(sub.c.amount_cents)).group_by(sub.c.kind)).all()
    )
    rows = conn.execute(select(func.count()).select_from(sub)).scalar()
    pers, exp = int(by.get("personnel") or 0), int(by.get("expenditure") or 0)
    return {"rows": int(rows), "personnel": pers, "expenditure": exp, "total": pers + exp}


def _upload_totals(conn: Connection, sub) -> dict:
    by = dict(conn.execute(select(sub.c.status, func.count()).group_by(sub.c.status)).all())
    return {"rows": sum(by.values()), "by_status": {k: int(v) for k, v in by.items()}}


# per dataset: the columns summed, and the sums
_TOTALS = {
    "veranstaltungen": (("n_participants",), _event_totals),
    "coachings": (("hours",), _coaching_totals),
    "teilnahmen": (("company_id", "n_persons"), _participation_totals),
    "kosten": (("kind", "amount_cents"), _cost_totals),
    "eingaenge": (("status",), _upload_totals),
}


def record_totals(engine: Engine, dataset: str, **narrowing) -> dict:
    """The sums above the Daten grid over the dataset's rows, in SQL: rows, and per dataset
    participants, hours (Decimal), distinct companies and persons, cents by cost kind, or
    uploads by status."""
    needed, totals = _TOTALS[dataset]
    narrowing.setdefault("year_start", start_month(engine))
    branches = [  # only the summed columns: no file name looked up per row
        b.with_only_columns(*[c for c in b.selected_columns if c.name in needed])
        for b in _record_branches(dataset, **narrowing)
    ]
    sub = (branches[0] if len(branches) == 1 else union_all(*branches)).subquery()
    with engine.connect() as conn:
        return totals(conn, sub)


def record_chunks(engine: Engine, dataset: str, *, chunk: int = 5_000, **options):
    """Every row of :func:`record_query` (its grain) as dicts, ``chunk`` at a time (a
    streamed export: memory stays bounded)."""
    options.setdefault("year_start", start_month(engine))
    stmt = record_query(dataset, **options)
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=chunk).execute(stmt)
        for part in result.mappings().partitions(chunk):
            yield [dict(r) for r in part]
