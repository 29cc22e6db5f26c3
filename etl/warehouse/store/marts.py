"""The pre-aggregates the dashboard reads: ``fact_monthly`` (partner x month x module x
measure) and ``fact_reach`` (partner x module x year x company), refreshed inside the load
transaction of the upload that changes them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Column,
    Connection,
    Select,
    Table,
    case,
    delete,
    func,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from etl.warehouse import schema as s
from etl.warehouse.store import bulk
from etl.warehouse.years import project_year, start_month

# the columns of fact_reach in the order reach_select gives them
REACH_COLUMNS = ["partner_code", "module", "year", "company_id", "activity_date", "n_persons",
                 "size_class", "class_date", "class_upload_id", "class_row"]
# the columns that say which report a group's SME class comes from (latest wins)
CLASS_COLUMNS = ["size_class", "class_date", "class_upload_id", "class_row"]


def refresh_monthly(
    conn: Connection, *, partner: str, month: date, upload_id: int, measures: dict
) -> None:
    """Replace the partner-month's rows of ``fact_monthly`` (one per module x measure) with
    ``measures``."""
    conn.execute(
        delete(s.fact_monthly).where(
            s.fact_monthly.c.partner_code == partner, s.fact_monthly.c.month == month
        )
    )
    bulk.insert_rows(
        conn,
        s.fact_monthly,
        [
            {
                "partner_code": partner,
                "month": month,
                "module": module,
                "measure": measure,
                "value": value,
                "upload_id": upload_id,
            }
            for (module, measure), value in sorted(measures.items())
        ],
    )


CITED_MEASURES = ("participations", "persons")  # counted under the module of the cited activity


def _cited_module(p: Table) -> tuple[Select, list]:
    """The module of the current activity a participation cites ('' when none), and the
    outer joins that find it (events and coachings, each on its (partner, id) index)."""
    loaded = select(s.uploads.c.id).where(s.uploads.c.status == "accepted").scalar_subquery()
    joins = []
    for table, id_col in ((s.events, "event_id"), (s.coachings, "coaching_id")):
        a = table.alias()
        joins.append((a, (a.c.partner_code == p.c.partner_code)
                      & (a.c[id_col] == p.c.activity_id) & a.c.upload_id.in_(loaded)))
    module = func.coalesce(joins[0][0].c.module, joins[1][0].c.module, "")
    return module, joins


def refresh_cited_months(conn: Connection, *, partner: str, month: date) -> None:
    """After a correction of ``month``: the participations and persons of the partner's other
    months, again under the module of the activity they cite (a corrected activity may have
    moved to another module, and later months cite it). One row per month x module x measure,
    replacing those two measures' rows of the other months."""
    p, u = s.participations, s.uploads
    module, joins = _cited_module(p)
    src = p.join(u, u.c.id == p.c.upload_id)
    for table, condition in joins:
        src = src.outerjoin(table, condition)
    group = [p.c.month, p.c.upload_id, module]
    stmt = (
        select(*group, func.count(), func.sum(p.c.n_persons))
        .select_from(src)
        .where(u.c.status == "accepted", p.c.partner_code == partner, p.c.month != month)
        .group_by(*group)
    )
    rows = [
        {"partner_code": partner, "month": m, "module": mod, "measure": measure,
         "value": value, "upload_id": upload_id}
        for m, upload_id, mod, n, persons in conn.execute(stmt)
        for measure, value in zip(CITED_MEASURES, (n, persons), strict=True)
    ]
    f = s.fact_monthly
    conn.execute(delete(f).where(f.c.partner_code == partner, f.c.month != month,
                                 f.c.measure.in_(CITED_MEASURES)))
    bulk.insert_rows(conn, f, rows)


def _reached(
    activity: Table, id_col: Column, date_col: Column, partner: str | None, upload_id: int | None
) -> Select:
    """Current participations joined to the current activity (events or coachings) they cite:
    partner, module, activity date, company, persons, and the SME class as reported with the
    upload and sheet row that reported it. Joined table by table on the
    (partner, id) indexes, so the plan stays an index lookup per row even before the
    database has statistics (a join to the union of both tables did not). With
    ``upload_id``: only that upload's participations."""
    p, u = s.participations, s.uploads
    current = select(u.c.id).where(u.c.status == "accepted")
    if partner is not None:
        current = current.where(u.c.partner_code == partner)
    current = current.scalar_subquery()
    stmt = (
        select(p.c.partner_code, activity.c.module, date_col.label("activity_date"),
               p.c.company_id, p.c.n_persons, p.c.size_class, p.c.upload_id, p.c.source_row)
        .join(activity, (activity.c.partner_code == p.c.partner_code)
              & (id_col == p.c.activity_id))
        .where(activity.c.upload_id.in_(current))
    )
    if upload_id is not None:
        # no partner condition on the participations (the upload's rows are its partner's):
        # with one, SQLite without statistics loops over all the partner's activities and
        # scans the upload's participations for each (minutes for a 50 k-row file)
        return stmt.where(p.c.upload_id == upload_id)
    stmt = stmt.where(p.c.upload_id.in_(current))
    return stmt if partner is None else stmt.where(p.c.partner_code == partner)


def reach_select(
    partner: str | None = None, upload_id: int | None = None, start: int = 1
) -> Select:
    """The rows of ``fact_reach`` computed from the current facts (all partners, or one):
    partner x module x project year (starting in month ``start``) x company, the first
    activity's date, the persons summed and the SME class of the group's latest report
    (latest activity date, then later upload, then later sheet row) with the date, upload
    and row it comes from. With ``upload_id`` (and its partner): what that upload's
    participations add."""
    e, c = s.events, s.coachings
    both = union_all(
        _reached(e, e.c.event_id, e.c.event_date, partner, upload_id),
        _reached(c, c.c.coaching_id, c.c.coaching_date, partner, upload_id),
    ).subquery()
    year = project_year(both.c.activity_date, start)
    group = [both.c.partner_code, both.c.module, year, both.c.company_id]
    latest = func.row_number().over(
        partition_by=group,
        order_by=[both.c.activity_date.desc(), both.c.upload_id.desc(), both.c.source_row.desc()],
    )
    rows = select(*both.c, year.label("year"), latest.label("rank")).subquery()

    def of_latest(col: Column):
        return func.max(case((rows.c.rank == 1, col)))

    return select(
        rows.c.partner_code,
        rows.c.module,
        rows.c.year,
        rows.c.company_id,
        func.min(rows.c.activity_date).label("activity_date"),
        func.sum(rows.c.n_persons).label("n_persons"),
        of_latest(rows.c.size_class).label("size_class"),
        of_latest(rows.c.activity_date).label("class_date"),
        of_latest(rows.c.upload_id).label("class_upload_id"),
        of_latest(rows.c.source_row).label("class_row"),
    ).group_by(rows.c.partner_code, rows.c.module, rows.c.year, rows.c.company_id)


def refresh_reach(conn: Connection, *, partner: str | None = None) -> None:
    """Recompute ``fact_reach`` for one partner (or all) from its current facts. A partner's
    reach depends on its own activities and participations only, so loading one of its
    months refreshes just its rows (a few thousand at most)."""
    t = s.fact_reach
    stmt = delete(t) if partner is None else delete(t).where(t.c.partner_code == partner)
    conn.execute(stmt)
    selected = reach_select(partner, start=start_month(conn))
    conn.execute(t.insert().from_select(REACH_COLUMNS, selected))


def merge_reach(conn: Connection, *, partner: str, upload_id: int) -> None:
    """Add what a partner-month's first version reaches to ``fact_reach``, instead of
    recomputing all of the partner's rows.

    Enough because participations only cite activities of their own or an earlier month and
    activity ids are unique across a partner's months: no other month's participations cite
    this upload's activities, so only its own participations change the partner's reach. A
    group reached again keeps the earliest date and adds the persons; its SME class becomes
    the upload's when the upload's report is as late or later (a tie goes to the newer
    upload)."""
    t = s.fact_reach
    added = reach_select(partner, upload_id, start_month(conn)).subquery()
    # WHERE: SQLite's upsert needs one after INSERT ... SELECT (a parsing ambiguity)
    rows = select(*added.c).where(true())
    if conn.dialect.name == "postgresql":
        insert, earliest = pg_insert, func.least
    else:
        insert, earliest = sqlite_insert, func.min
    stmt = insert(t).from_select(REACH_COLUMNS, rows)
    new = stmt.excluded
    newer = new.class_date >= t.c.class_date
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[t.c.partner_code, t.c.module, t.c.year, t.c.company_id],
            set_={
                "activity_date": earliest(t.c.activity_date, new.activity_date),
                "n_persons": t.c.n_persons + new.n_persons,
                **{col: case((newer, new[col]), else_=t.c[col]) for col in CLASS_COLUMNS},
            },
        )
    )
