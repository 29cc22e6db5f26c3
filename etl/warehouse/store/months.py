"""Month states and comments: one ``month_states`` row per partner-month that left 'fällig',
one ``month_comments`` row per note. The rules are in :mod:`etl.workflow.months`."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, Row, select

from etl.warehouse import schema as s


def state_of(conn: Connection, *, partner: str, month: date) -> Row | None:
    """The state row of a partner-month, or None when it is 'fällig'."""
    return conn.execute(
        select(s.month_states).where(
            s.month_states.c.partner_code == partner, s.month_states.c.month == month
        )
    ).first()


def lock_of(conn: Connection, *, partner: str, month: date) -> Row | None:
    """The state row of a locked (approved or in a proof of use) partner-month, else None."""
    row = state_of(conn, partner=partner, month=month)
    return row if row is not None and row.state in s.LOCKED_STATES else None


def set_state(
    conn: Connection, *, partner: str, month: date, state: str, by: str, at: datetime, **extra
) -> None:
    """Put one partner-month into ``state`` (insert or update its row); ``extra``: the columns
    upload_id, approved_by, approved_at, proof_kind (others keep their value)."""
    if state not in s.MONTH_STATES:
        raise ValueError(f"unknown month state {state!r}")
    values = {"state": state, "changed_by": by[:100], "changed_at": at, **extra}
    t = s.month_states
    done = conn.execute(
        t.update().where(t.c.partner_code == partner, t.c.month == month).values(**values)
    )
    if done.rowcount == 0:
        conn.execute(t.insert().values(partner_code=partner, month=month, **values))


def clear_state(conn: Connection, *, partner: str, month: date) -> None:
    """Back to 'fällig' (no row)."""
    t = s.month_states
    conn.execute(t.delete().where(t.c.partner_code == partner, t.c.month == month))


def states_of_year(conn: Connection, *, partner: str, year: int) -> dict[date, Row]:
    """The state rows of one partner's months of ``year``, by month."""
    t = s.month_states
    rows = conn.execute(
        select(t).where(
            t.c.partner_code == partner,
            t.c.month >= date(year, 1, 1),
            t.c.month <= date(year, 12, 1),
        )
    )
    return {r.month: r for r in rows}


def add_comment(
    conn: Connection,
    *,
    partner: str,
    month: date,
    author: str,
    role: str,
    kind: str,
    text: str,
    at: datetime,
) -> int:
    """Store one comment on a partner-month; returns its id."""
    return conn.execute(
        s.month_comments.insert().values(
            partner_code=partner,
            month=month,
            author=author[:100],
            role=role,
            kind=kind,
            text=text,
            at=at,
        )
    ).inserted_primary_key[0]
