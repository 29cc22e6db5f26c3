"""Fact rows (events, coachings, participations, personnel, expenditure, the rows of
configured sheets): inserted per upload, read back per upload (diffs) and per partner outside
one month (cross-month checks)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import Connection, Row, Select, Table, func, select

from etl.warehouse import schema as s
from etl.warehouse.store import bulk


def insert(conn: Connection, *, rows: dict[str, list[dict]]) -> None:
    """Insert an upload's fact rows, table by table in the order given (one row per fact)."""
    for name, table_rows in rows.items():
        bulk.insert_rows(conn, s.metadata.tables[name], table_rows)


def of_upload(
    conn: Connection, *, table: str, upload_id: int, columns: Sequence[str]
) -> Iterable[Row]:
    """One row per fact of ``table`` in upload ``upload_id``: the named ``columns``."""
    t = s.metadata.tables[table]
    return conn.execute(select(*(t.c[c] for c in columns)).where(t.c.upload_id == upload_id))


# --- a partner's other months (read inside the load transaction, after the partner lock) ----


def _current(table: Table, partner: str, month: date, *columns) -> Select:
    """The partner's current rows of ``table`` outside ``month`` (only ``columns``, if given:
    a history holds thousands of rows, and whole rows cost more than the query)."""
    return (
        select(*(columns or (table,)))
        .select_from(table)
        .join(s.uploads, s.uploads.c.id == table.c.upload_id)
        .where(
            s.uploads.c.status == "accepted",
            # the upload's partner as well: its index narrows the join to the partner's
            # files (else PostgreSQL hashes every current upload, 3 ms a query at 8 k)
            s.uploads.c.partner_code == partner,
            table.c.partner_code == partner,
            table.c.month != month,
        )
    )


def other_events(conn: Connection, *, partner: str, month: date) -> Iterable[Row]:
    """One row per current event of ``partner`` outside ``month``: id, month, module,
    participants."""
    e = s.events
    return conn.execute(
        _current(e, partner, month, e.c.event_id, e.c.month, e.c.module, e.c.n_participants)
    )


def other_coachings(conn: Connection, *, partner: str, month: date) -> Iterable[Row]:
    """One row per current coaching of ``partner`` outside ``month``: id, month, module."""
    c = s.coachings
    return conn.execute(_current(c, partner, month, c.c.coaching_id, c.c.month, c.c.module))


def other_receipts(conn: Connection, *, partner: str, month: date) -> Iterable[Row]:
    """One row per current expenditure of ``partner`` outside ``month``: receipt, month."""
    x = s.expenditure
    return conn.execute(_current(x, partner, month, x.c.receipt_no, x.c.month))


def other_citations(conn: Connection, *, partner: str, month: date) -> Iterable[Row]:
    """One row per activity (case-folded id) cited by current participations of ``partner``
    outside ``month``: folded id, id as cited, persons summed, latest citing month."""
    p = s.participations
    part = _current(p, partner, month, p.c.activity_id, p.c.n_persons, p.c.month).subquery()
    return conn.execute(
        select(
            func.lower(part.c.activity_id),
            func.max(part.c.activity_id),
            func.sum(part.c.n_persons),
            func.max(part.c.month),
        ).group_by(func.lower(part.c.activity_id))
    )


def other_hours(conn: Connection, *, partner: str, month: date) -> Iterable[Row]:
    """One row per current hourly personnel row of ``partner`` outside ``month``: staff code,
    month, hours."""
    pe = s.personnel
    pers = (
        _current(pe, partner, month, pe.c.staff_code, pe.c.month, pe.c.quantity)
        .where(pe.c.billing == "Stunden")
        .subquery()
    )
    return conn.execute(select(pers.c.staff_code, pers.c.month, pers.c.quantity))


def other_sheet_rows(conn: Connection, *, partner: str, month: date) -> Iterable[Row]:
    """One row per current row of a configured sheet of ``partner`` outside ``month``: sheet
    key, record id, month, date, values JSON."""
    r = s.sheet_rows
    return conn.execute(
        _current(r, partner, month, r.c.sheet_key, r.c.record_id, r.c.month, r.c.activity_date,
                 r.c.values_json)
    )
