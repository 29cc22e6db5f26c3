"""Cuts (Kürzungen) of a funding body's check: one row per partner x month x sheet x row key."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, Row, select

from etl.warehouse import schema as s


def _where(partner: str, month: date, sheet: str, row_key: str):
    c = s.audit_cuts.c
    return (
        (c.partner_code == partner)
        & (c.month == month)
        & (c.sheet == sheet)
        & (c.row_key == row_key)
    )


def cut(conn: Connection, *, partner: str, month: date, sheet: str, row_key: str) -> Row | None:
    """The cut recorded for one row (all columns), or None."""
    return conn.execute(select(s.audit_cuts).where(_where(partner, month, sheet, row_key))).first()


def save_cut(
    conn: Connection,
    *,
    partner: str,
    month: date,
    sheet: str,
    row_key: str,
    accepted_cents: int,
    reason: str,
    decided_on: date,
    by: str,
    at: datetime,
) -> None:
    """Insert the cut of one row, or replace its amount, reason and date."""
    values = {
        "accepted_cents": accepted_cents,
        "reason": reason,
        "decided_on": decided_on,
        "updated_by": by,
        "updated_at": at,
    }
    if cut(conn, partner=partner, month=month, sheet=sheet, row_key=row_key) is None:
        conn.execute(
            s.audit_cuts.insert().values(
                partner_code=partner,
                month=month,
                sheet=sheet,
                row_key=row_key,
                created_by=by,
                created_at=at,
                **values,
            )
        )
    else:
        conn.execute(
            s.audit_cuts.update().where(_where(partner, month, sheet, row_key)).values(**values)
        )


def delete_cut(conn: Connection, *, partner: str, month: date, sheet: str, row_key: str) -> int:
    """Remove the cut of one row; returns the number of rows removed (0 or 1)."""
    return conn.execute(
        s.audit_cuts.delete().where(_where(partner, month, sheet, row_key))
    ).rowcount
