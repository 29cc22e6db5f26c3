"""Bulk inserts of uniform rows in one round trip (fact rows, pre-aggregates)."""

from __future__ import annotations

from sqlalchemy import Connection, Table


def insert_rows(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts with the same keys) in one round trip: ``COPY`` on PostgreSQL,
    ``executemany`` of one prepared statement elsewhere. Values are converted by the columns'
    own bind processors, so what is stored is what ``table.insert()`` would store.

    Positional on purpose: the kill tests stop here at the first non-empty ``rows``."""
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
