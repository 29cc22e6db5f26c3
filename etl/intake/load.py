"""Database writes of an accepted report, inside the caller's transaction."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, delete, func, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from etl.core.config import NetworkConfig
from etl.intake import facts
from etl.intake.contract import Report
from etl.intake.crosscheck import History
from etl.warehouse import queries
from etl.warehouse import schema as s

CHUNK = 400  # keys per IN (...) query: well under SQLite's variable limit


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _company_ids(conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple]:
    """(id, SME class) of the companies with these (name key, PLZ) pairs that exist.

    Looked up as ``name_key IN (...) AND plz IN (...)``, which both databases answer from
    the unique index (a row-value ``(name_key, plz) IN (...)`` makes SQLite scan every
    company), then matched on the pairs."""
    wanted = set(keys)
    found = {}
    for chunk in _chunks(sorted(wanted)):
        names, plzs = sorted({k for k, _p in chunk}), sorted({p for _k, p in chunk})
        rows = conn.execute(
            select(
                s.companies.c.id,
                s.companies.c.name_key,
                s.companies.c.plz,
                s.companies.c.size_class,
            ).where(s.companies.c.name_key.in_(names), s.companies.c.plz.in_(plzs))
        )
        for r in rows:
            if (r.name_key, r.plz) in wanted:
                found[(r.name_key, r.plz)] = (r.id, r.size_class)
    return found


def upsert_companies(conn: Connection, companies: dict[tuple[str, str], tuple[str, str]]) -> dict:
    """Ids of the report's companies, creating new ones; the latest SME class is kept."""
    keys = sorted(companies)
    have = _company_ids(conn, keys)
    new = [
        {
            "name_key": k,
            "plz": p,
            "display_name": companies[(k, p)][0][:300],
            "size_class": companies[(k, p)][1],
        }
        for k, p in keys
        if (k, p) not in have
    ]
    if new:
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        for chunk in _chunks(new):
            conn.execute(insert(s.companies).on_conflict_do_nothing(), chunk)
        have = _company_ids(conn, keys)
    changed = [
        {"company_id": company_id, "new_class": companies[key][1]}
        for key, (company_id, size_class) in have.items()
        if companies[key][1] != size_class
    ]
    if changed:
        conn.execute(
            s.companies.update()
            .where(s.companies.c.id == bindparam("company_id"))
            .values(size_class=bindparam("new_class")),
            changed,
        )
    return {key: company_id for key, (company_id, _cls) in have.items()}


def _insert(conn: Connection, table, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts with the same keys) in one round trip: ``COPY`` on PostgreSQL,
    ``executemany`` of one prepared statement elsewhere. Values are converted by the columns'
    own bind processors, so what is stored is what ``table.insert()`` would store."""
    if not rows:
        return
    names = list(rows[0])
    if any(len(r) != len(names) for r in rows):  # not uniform: let SQLAlchemy sort it out
        conn.execute(table.insert(), rows)
        return
    quote = conn.dialect.identifier_preparer.quote
    columns = ", ".join(quote(n) for n in names)
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        cursor = conn.connection.driver_connection.cursor()
        try:
            with cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row([r[n] for n in names])
        finally:
            cursor.close()
        return
    procs = [(n, table.c[n].type._cached_bind_processor(conn.dialect)) for n in names]
    values = [
        tuple([r[n] if p is None or r[n] is None else p(r[n]) for n, p in procs]) for r in rows
    ]
    marks = ", ".join(["?" if conn.dialect.paramstyle == "qmark" else "%s"] * len(names))
    conn.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})", values)


def refresh_monthly(conn: Connection, report: Report, upload_id: int, measures: dict) -> None:
    """Replace the partner-month's rows of ``fact_monthly`` with ``measures``."""
    conn.execute(
        delete(s.fact_monthly).where(
            s.fact_monthly.c.partner_code == report.partner, s.fact_monthly.c.month == report.month
        )
    )
    _insert(
        conn,
        s.fact_monthly,
        [
            {
                "partner_code": report.partner,
                "month": report.month,
                "module": module,
                "measure": measure,
                "value": value,
                "upload_id": upload_id,
            }
            for (module, measure), value in sorted(measures.items())
        ],
    )


def write_facts(
    conn: Connection,
    report: Report,
    history: History,
    upload_id: int,
    config: NetworkConfig,
    *,
    replaces: bool = True,
) -> dict[str, list[dict]]:
    """Insert the report's fact rows and refresh its pre-aggregates; returns the rows by table.
    ``replaces=False``: the partner-month had no current version before (see
    :func:`merge_reach`)."""
    company_ids = upsert_companies(conn, facts.companies_of(report))
    rows = {
        "events": facts.event_rows(report, upload_id),
        "coachings": facts.coaching_rows(report, upload_id),
        "participations": facts.participation_rows(report, upload_id, company_ids, history),
        "personnel": facts.personnel_rows(report, upload_id, config),
        "expenditure": facts.expenditure_rows(report, upload_id),
    }
    for name, table_rows in rows.items():
        _insert(conn, s.metadata.tables[name], table_rows)
    refresh_monthly(conn, report, upload_id, facts.monthly_measures(report, history, rows))
    if replaces:
        refresh_reach(conn, report.partner)
    else:
        merge_reach(conn, report.partner, upload_id)
    return rows


# the columns of fact_reach in the order queries.reach_select gives them
REACH_COLUMNS = ["partner_code", "module", "year", "company_id", "activity_date", "n_persons"]


def refresh_reach(conn: Connection, partner: str | None = None) -> None:
    """Recompute ``fact_reach`` for one partner (or all) from its current facts. A partner's
    reach depends on its own activities and participations only, so loading one of its
    months refreshes just its rows (a few thousand at most)."""
    t = s.fact_reach
    stmt = delete(t) if partner is None else delete(t).where(t.c.partner_code == partner)
    conn.execute(stmt)
    conn.execute(t.insert().from_select(REACH_COLUMNS, queries.reach_select(partner)))


def merge_reach(conn: Connection, partner: str, upload_id: int) -> None:
    """Add what a partner-month's first version reaches to ``fact_reach``, instead of
    recomputing all of the partner's rows.

    Enough because participations only cite activities of their own or an earlier month and
    activity ids are unique across a partner's months: no other month's participations cite
    this upload's activities, so only its own participations change the partner's reach. A
    group reached again keeps the earliest date and adds the persons."""
    t = s.fact_reach
    added = queries.reach_select(partner, upload_id).subquery()
    # WHERE: SQLite's upsert needs one after INSERT ... SELECT (a parsing ambiguity)
    rows = select(*added.c).where(true())
    if conn.dialect.name == "postgresql":
        insert, earliest = pg_insert, func.least
    else:
        insert, earliest = sqlite_insert, func.min
    stmt = insert(t).from_select(REACH_COLUMNS, rows)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[t.c.partner_code, t.c.module, t.c.year, t.c.company_id],
            set_={
                "activity_date": earliest(t.c.activity_date, stmt.excluded.activity_date),
                "n_persons": t.c.n_persons + stmt.excluded.n_persons,
            },
        )
    )
