"""User accounts: one row per login name (stored lower-case), with its password hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, Row, select

from etl.warehouse import schema as s


def exists(conn: Connection, *, username: str) -> bool:
    """Whether an account of that (normalised) name exists."""
    found = conn.execute(select(s.users.c.id).where(s.users.c.username == username)).first()
    return found is not None


def partner_exists(conn: Connection, *, partner: str) -> bool:
    """Whether the partner code is known."""
    return (
        conn.execute(select(s.partners.c.code).where(s.partners.c.code == partner)).first()
        is not None
    )


def insert(
    conn: Connection,
    *,
    username: str,
    password_hash: str,
    role: str,
    partner: str | None,
    at: datetime,
) -> None:
    """Create one active account."""
    conn.execute(
        s.users.insert().values(
            username=username,
            password_hash=password_hash,
            role=role,
            partner_code=partner,
            is_active=True,
            created_at=at,
            password_changed_at=at,
        )
    )


def set_password_hash(
    conn: Connection, *, username: str, password_hash: str, at: datetime
) -> int:
    """Replace one account's password hash; returns the rows changed (0: no such user)."""
    return conn.execute(
        s.users.update()
        .where(s.users.c.username == username)
        .values(password_hash=password_hash, password_changed_at=at)
    ).rowcount


def set_active(conn: Connection, *, username: str, active: bool) -> int:
    """Enable or disable one account; returns the rows changed (0: no such user)."""
    return conn.execute(
        s.users.update().where(s.users.c.username == username).values(is_active=active)
    ).rowcount


def set_role(conn: Connection, *, username: str, role: str, partner: str | None) -> int:
    """Give one account another role and partner; returns the rows changed (0: no such user)."""
    return conn.execute(
        s.users.update()
        .where(s.users.c.username == username)
        .values(role=role, partner_code=partner)
    ).rowcount


def set_email(conn: Connection, *, username: str, email: str | None) -> int:
    """Set (None: remove) one account's e-mail address; returns the rows changed."""
    return conn.execute(
        s.users.update().where(s.users.c.username == username).values(email=email)
    ).rowcount


def end_sessions(conn: Connection, *, username: str) -> int:
    """End every session of the (normalised) account by bumping its generation, inside the
    caller's transaction; returns the rows changed (0: no such user)."""
    users = s.users.c
    return conn.execute(
        s.users.update()
        .where(users.username == username)
        .values(session_generation=users.session_generation + 1)
    ).rowcount


def by_name(engine: Engine, *, username: str) -> Row | None:
    """The account row of a (normalised) name, or None."""
    with engine.connect() as conn:
        return conn.execute(select(s.users).where(s.users.c.username == username)).first()


def by_id(engine: Engine, *, user_id: int) -> Row | None:
    """The account row of an id, or None."""
    with engine.connect() as conn:
        return conn.execute(select(s.users).where(s.users.c.id == user_id)).first()


def all_rows(engine: Engine) -> list[Row]:
    """Every account row, by name."""
    with engine.connect() as conn:
        return list(conn.execute(select(s.users).order_by(s.users.c.username)))
