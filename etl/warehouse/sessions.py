"""Server-side revocation of login sessions: one generation counter per account."""

from __future__ import annotations

from sqlalchemy import Connection

from etl.warehouse import schema as s


def end_sessions(conn: Connection, *, username: str) -> int:
    """End every session of the (normalised) account by bumping its generation, inside the
    caller's transaction; returns the rows changed (0: no such user)."""
    users = s.users.c
    return conn.execute(
        s.users.update()
        .where(users.username == username)
        .values(session_generation=users.session_generation + 1)
    ).rowcount
