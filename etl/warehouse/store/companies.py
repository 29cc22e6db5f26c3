"""Companies reached by participations: looked up by identifier or (name key, PLZ), created,
and given the identifier a later report names (see :func:`etl.intake.load.company_ids`)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from etl.warehouse import schema as s

CHUNK = 400  # keys per IN (...) query: well under SQLite's variable limit


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def by_name(
    conn: Connection, *, keys: list[tuple[str, str]], unidentified: bool = False
) -> dict[tuple[str, str], int]:
    """(name key, PLZ) -> id of the oldest company with that name and postal code (only those
    without identifier when ``unidentified``).

    Looked up as ``name_key IN (...) AND plz IN (...)``, which both databases answer from
    the unique index (a row-value ``(name_key, plz) IN (...)`` makes SQLite scan every
    company), then matched on the pairs."""
    c = s.companies.c
    wanted = set(keys)
    found: dict[tuple[str, str], int] = {}
    for chunk in _chunks(sorted(wanted)):
        names, plzs = sorted({k for k, _p in chunk}), sorted({p for _k, p in chunk})
        stmt = select(c.id, c.name_key, c.plz).where(c.name_key.in_(names), c.plz.in_(plzs))
        if unidentified:
            stmt = stmt.where(c.identifier == "")
        for r in conn.execute(stmt.order_by(c.id)):
            if (r.name_key, r.plz) in wanted:
                found.setdefault((r.name_key, r.plz), r.id)
    return found


def by_identifier(conn: Connection, *, identifiers: list[str]) -> dict[str, int]:
    """Identifier -> id of the company that carries it."""
    c = s.companies.c
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(set(identifiers))):
        for r in conn.execute(select(c.id, c.identifier).where(c.identifier.in_(chunk))):
            found[r.identifier] = r.id
    return found


def attach_identifier(conn: Connection, *, company_id: int, identifier: str) -> bool:
    """Give a company without identifier this one; False when it has one meanwhile or another
    company took the identifier (a concurrent upload), in which case nothing changes."""
    c = s.companies.c
    stmt = (
        s.companies.update()
        .where(c.id == company_id, c.identifier == "")
        .values(identifier=identifier)
    )
    try:
        with conn.begin_nested():
            return conn.execute(stmt).rowcount == 1
    except IntegrityError:
        return False


def insert_new(conn: Connection, *, rows: list[dict]) -> None:
    """Insert companies (one row each: name_key, plz, identifier, display_name, size_class); a
    company that exists meanwhile (same name, PLZ and identifier, or same identifier) is left
    as it is."""
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    for chunk in _chunks(rows):
        conn.execute(insert(s.companies).on_conflict_do_nothing(), chunk)
