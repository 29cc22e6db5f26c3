"""Upload rows (one per received file): the per-partner write lock, the current version of
a partner-month, recording an upload and superseding the version it replaces."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Engine, Row, func, select

from etl.warehouse import db
from etl.warehouse import schema as s


def lock_partner(conn: Connection, *, partner: str) -> None:
    """Serialise writers of ``partner`` for the rest of the transaction (see
    :func:`etl.warehouse.db.lock_partner`)."""
    db.lock_partner(conn, partner)


def current(conn: Connection, *, partner: str, month: date) -> Row | None:
    """The accepted upload of a partner-month (at most one): id, sha256, uploaded_at; None if
    unreported."""
    return conn.execute(
        select(s.uploads.c.id, s.uploads.c.sha256, s.uploads.c.uploaded_at).where(
            s.uploads.c.partner_code == partner,
            s.uploads.c.month == month,
            s.uploads.c.status == "accepted",
        )
    ).first()


def current_id(conn: Connection, *, partner: str, month: date) -> int | None:
    """The id of the accepted upload of a partner-month, None if unreported."""
    return conn.execute(
        select(s.uploads.c.id).where(
            s.uploads.c.partner_code == partner,
            s.uploads.c.month == month,
            s.uploads.c.status == "accepted",
        )
    ).scalar()


def supersede(conn: Connection, *, upload_id: int) -> None:
    """Mark one upload ``superseded`` (a newer version of its partner-month was accepted)."""
    conn.execute(
        s.uploads.update().where(s.uploads.c.id == upload_id).values(status="superseded")
    )


def insert(conn: Connection, *, row: dict) -> int:
    """Record one received file (``row``: the columns of ``uploads``); returns its id."""
    return conn.execute(s.uploads.insert().values(**row)).inserted_primary_key[0]


def count(engine: Engine) -> int:
    """The number of upload rows, whatever their status."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(s.uploads)).scalar_one()


def all_rows(engine: Engine) -> list[Row]:
    """Every upload row (all columns), oldest id first."""
    with engine.connect() as conn:
        return list(conn.execute(select(s.uploads).order_by(s.uploads.c.id)))
