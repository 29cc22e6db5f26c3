"""Recomputation of the pre-aggregates from the current fact rows, independent of the load
path (:mod:`etl.warehouse.store.marts`): what :mod:`etl.warehouse.invariants` compares them with."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, Engine, and_, case, func, select

from etl.core.activity_sheets import ActivitySheet
from etl.core.sheet_values import decode
from etl.warehouse import schema as s
from etl.warehouse.years import project_year, start_month

PLACES = Decimal("0.0001")  # fact_monthly.value is Numeric(16, 4)


def current(table):
    """``table``'s rows whose upload is the current (accepted) one."""
    u = s.uploads
    return (
        select()
        .select_from(table.join(u, u.c.id == table.c.upload_id))
        .where(u.c.status == "accepted")
    )


def _grouped(conn: Connection, t, *values, keys=(), module=None, joins=()) -> list:
    """Current rows of ``t`` summed per partner-month, upload, module ('' for none) and
    ``keys``; ``joins``: (table, condition) of outer joins that ``module`` reads."""
    u = s.uploads
    src = t.join(u, u.c.id == t.c.upload_id)
    for table, condition in joins:
        src = src.outerjoin(table, condition)
    mod = func.coalesce(module if module is not None else t.c.module, "").label("module")
    group = [t.c.partner_code, t.c.month, t.c.upload_id, mod, *keys]
    stmt = select(*group, *values).select_from(src).where(u.c.status == "accepted")
    return conn.execute(stmt.group_by(*group)).all()


def _cited(activity, id_col, participations):
    """Outer-join condition: the current activity (event or coaching) a participation cites,
    matched on the (partner, id) index; the current uploads are one uncorrelated subquery
    (a join to the union of both tables made SQLite scan it once per participation)."""
    loaded = select(s.uploads.c.id).where(s.uploads.c.status == "accepted")
    return and_(
        activity.c.partner_code == participations.c.partner_code,
        id_col == participations.c.activity_id,
        activity.c.upload_id.in_(loaded),
    )


def _sheet_measures(conn: Connection, sheets: tuple[ActivitySheet, ...], add) -> None:
    """The configured sheets' measures from their current stored rows (values decoded
    from JSON, each measure's definition applied row by row)."""
    by_key = {sheet.key: sheet for sheet in sheets}
    if not by_key:
        return
    t = s.sheet_rows
    stmt = current(t).add_columns(
        t.c.partner_code, t.c.month, t.c.upload_id, func.coalesce(t.c.module, "").label("module"),
        t.c.sheet_key, t.c.values_json,
    ).where(t.c.sheet_key.in_(sorted(by_key)))
    for row in conn.execute(stmt):
        sheet = by_key[row.sheet_key]
        values = decode(sheet, row.values_json)
        for m in sheet.measures:
            if m.matches(values):
                add(row, m.key, m.fact_value(values))


def expected_monthly(
    conn: Connection, sheets: tuple[ActivitySheet, ...] = ()
) -> dict[tuple, tuple[Decimal, int]]:
    """(partner, month, module, measure) -> (value, upload id), recomputed from the current
    fact rows the way :func:`etl.intake.facts.monthly_measures` defines the measures (with
    the measures of the configured ``sheets``)."""
    e, c, p, pe, x = s.events, s.coachings, s.participations, s.personnel, s.expenditure
    out: dict[tuple, list] = {}

    def add(row, measure: str, value) -> None:
        if value is None:  # no row of that kind in the group
            return
        key = (row.partner_code, row.month, row.module, measure)
        out.setdefault(key, [Decimal(0), row.upload_id])[0] += Decimal(value)

    n = func.count()
    for row in _grouped(
        conn, e, n, func.sum(e.c.n_participants), func.sum(func.coalesce(e.c.n_women, 0))
    ):
        for measure, value in zip(("events", "participants", "women"), row[4:], strict=True):
            add(row, measure, value)
    for row in _grouped(conn, c, n, func.sum(c.c.hours)):
        add(row, "coachings", row[4])
        add(row, "coaching_hours", row[5])
    ev, co = e.alias("ev"), c.alias("co")
    joins = [(ev, _cited(ev, ev.c.event_id, p)), (co, _cited(co, co.c.coaching_id, p))]
    module = func.coalesce(ev.c.module, co.c.module)
    for row in _grouped(conn, p, n, func.sum(p.c.n_persons), module=module, joins=joins):
        add(row, "participations", row[4])
        add(row, "persons", row[5])
    months = func.sum(case((pe.c.billing == "Monat", pe.c.quantity)))
    hours = func.sum(case((pe.c.billing != "Monat", pe.c.quantity)))
    for row in _grouped(conn, pe, func.sum(pe.c.amount_cents), months, hours):
        for measure, value in zip(
            ("personnel_cents", "personnel_months", "personnel_hours"), row[4:], strict=True
        ):
            add(row, measure, value)
    for row in _grouped(conn, x, func.sum(x.c.amount_cents), keys=[x.c.cost_category]):
        add(row, "expenditure_cents", row[5])
        add(row, f"{row[4].lower()}_cents", row[5])
    _sheet_measures(conn, sheets, add)
    return {k: (v.quantize(PLACES), u) for k, (v, u) in out.items()}


def expected_reach(conn: Connection) -> dict[tuple, tuple]:
    """(partner, module, year, company) -> (first activity date, persons, SME class, and the
    activity date, upload and sheet row of the report it comes from), recomputed from the
    current participations joined to the current activity they cite (events and coachings
    summed apart, then merged: a company may be reached by both in one group). The class is
    the group's latest report: latest activity date, then newer upload, then later row."""
    p, u = s.participations, s.uploads
    out: dict[tuple, tuple] = {}
    latest: dict[tuple, tuple] = {}
    for activity, id_col, date_col in (
        (s.events, s.events.c.event_id, s.events.c.event_date),
        (s.coachings, s.coachings.c.coaching_id, s.coachings.c.coaching_date),
    ):
        year = project_year(date_col, start_month(conn))
        group = [p.c.partner_code, activity.c.module, year, p.c.company_id]
        src = p.join(u, u.c.id == p.c.upload_id).join(activity, _cited(activity, id_col, p))
        stmt = (
            select(*group, func.min(date_col), func.sum(p.c.n_persons))
            .select_from(src)
            .where(u.c.status == "accepted")
            .group_by(*group)
        )
        for r in conn.execute(stmt):
            key, first, persons = (r[0], r[1], int(r[2]), r[3]), _as_date(r[4]), int(r[5])
            if key in out:
                first, persons = min(first, out[key][0]), persons + out[key][1]
            out[key] = (first, persons)
        reports = select(*group, date_col, p.c.upload_id, p.c.source_row, p.c.size_class)
        for r in conn.execute(reports.select_from(src).where(u.c.status == "accepted")):
            key, report = (r[0], r[1], int(r[2]), r[3]), (_as_date(r[4]), r[5], r[6], r[7])
            if key not in latest or report[:3] > latest[key][:3]:
                latest[key] = report
    return {
        key: (first, persons, latest[key][3], *latest[key][:3])
        for key, (first, persons) in out.items()
    }


def _as_date(value) -> date:
    # SQLite hands back min() over a UNION column as ISO text
    return date.fromisoformat(value) if isinstance(value, str) else value


def fact_money(engine: Engine) -> dict[tuple[str, int], list[int]]:
    """(partner, project year) -> [personnel, expenditure] cents summed from the current
    fact rows."""
    out: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    with engine.connect() as conn:
        for i, t in enumerate((s.personnel, s.expenditure)):
            year = project_year(t.c.month, start_month(engine))
            stmt = current(t).add_columns(t.c.partner_code, year, func.sum(t.c.amount_cents))
            for partner, y, cents in conn.execute(stmt.group_by(t.c.partner_code, year)):
                out[(partner, int(y))][i] += int(cents)
    return out
