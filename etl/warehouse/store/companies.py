"""Companies reached by participations: looked up by (name key, PLZ) and created."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from etl.warehouse import schema as s

CHUNK = 400  # keys per IN (...) query: well under SQLite's variable limit


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def existing(
    conn: Connection, *, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, str]]:
    """One entry per existing company of these (name key, PLZ) pairs: (id, SME class).

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


def insert_new(conn: Connection, *, rows: list[dict]) -> None:
    """Insert companies (one row each: name_key, plz, display_name, size_class); a pair that
    exists meanwhile is left as it is."""
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    for chunk in _chunks(rows):
        conn.execute(insert(s.companies).on_conflict_do_nothing(), chunk)
