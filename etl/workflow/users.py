"""User accounts: create, change, authenticate. Passwords are stored as salted scrypt hashes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, select
from werkzeug.security import check_password_hash, generate_password_hash

from etl.warehouse import audit, db, sessions
from etl.warehouse import schema as s

MIN_PASSWORD = 10
# A hash to compare against when the user does not exist, so both paths cost the same.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0000")


class UserError(ValueError):
    """A user operation that cannot be done; the message is German and says why."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    partner_code: str | None
    is_active: bool
    session_generation: int = 0

    def can_read_partner(self, partner: str) -> bool:
        """Whether the user may see the rows of ``partner``."""
        return self.role != "partner" or self.partner_code == partner

    @property
    def partners_scope(self) -> tuple[str, ...] | None:
        """The partners whose rows the user may see; None means all."""
        return (self.partner_code,) if self.role == "partner" else None


def _user(row) -> User:
    return User(
        row.id, row.username, row.role, row.partner_code, bool(row.is_active),
        row.session_generation,
    )


def _check(role: str, partner: str | None, password: str | None) -> None:
    if role not in s.ROLES:
        raise UserError(f"Unbekannte Rolle '{role}'. Erlaubt: {', '.join(s.ROLES)}.")
    if (role == "partner") != bool(partner):
        raise UserError(
            "Die Rolle 'partner' braucht genau einen Partner (--partner); "
            "andere Rollen haben keinen."
        )
    if password is not None and len(password) < MIN_PASSWORD:
        raise UserError(f"Das Passwort muss mindestens {MIN_PASSWORD} Zeichen lang sein.")


def _partner_known(conn: Connection, partner: str) -> bool:
    found = conn.execute(select(s.partners.c.code).where(s.partners.c.code == partner)).first()
    return found is not None


def create_user(
    engine: Engine,
    username: str,
    password: str,
    role: str,
    partner: str | None = None,
    *,
    by: str | None = None,
) -> User:
    """Create an account; raises :class:`UserError` for a taken name, bad role or password."""
    username = username.strip().lower()
    partner = partner.upper() if partner else None
    _check(role, partner, password)
    now = datetime.now()
    with db.writing(engine) as conn:
        if conn.execute(select(s.users.c.id).where(s.users.c.username == username)).first():
            raise UserError(f"Den Benutzer '{username}' gibt es schon.")
        if partner and not _partner_known(conn, partner):
            raise UserError(f"Unbekannter Partner '{partner}'.")
        conn.execute(
            s.users.insert().values(
                username=username,
                password_hash=generate_password_hash(password),
                role=role,
                partner_code=partner,
                is_active=True,
                created_at=now,
                password_changed_at=now,
            )
        )
        audit.record(
            conn,
            "user_created",
            username=by,
            partner=partner,
            detail={"user": username, "role": role},
        )
    return get_user(engine, username)


def set_password(engine: Engine, username: str, password: str, *, by: str | None = None) -> None:
    """Reset a user's password (ends every session of the account)."""
    _check("admin", None, password)
    with db.writing(engine) as conn:
        done = conn.execute(
            s.users.update()
            .where(s.users.c.username == username.lower())
            .values(
                password_hash=generate_password_hash(password), password_changed_at=datetime.now()
            )
        )
        if done.rowcount != 1:
            raise UserError(f"Den Benutzer '{username}' gibt es nicht.")
        sessions.end_sessions(conn, username=username.lower())
        audit.record(conn, "password_reset", username=by, detail={"user": username.lower()})


def set_active(engine: Engine, username: str, active: bool, *, by: str | None = None) -> None:
    """Enable or disable an account (disabled accounts cannot log in; either way every
    session of the account ends, so re-enabling does not revive a copied cookie)."""
    with db.writing(engine) as conn:
        done = conn.execute(
            s.users.update().where(s.users.c.username == username.lower()).values(is_active=active)
        )
        if done.rowcount != 1:
            raise UserError(f"Den Benutzer '{username}' gibt es nicht.")
        sessions.end_sessions(conn, username=username.lower())
        audit.record(
            conn, "user_changed", username=by, detail={"user": username.lower(), "active": active}
        )


def set_role(
    engine: Engine, username: str, role: str, partner: str | None = None, *, by: str | None = None
) -> None:
    """Give an account another role (and partner); ends every session of the account."""
    username, partner = username.strip().lower(), partner.upper() if partner else None
    _check(role, partner, None)
    with db.writing(engine) as conn:
        if partner and not _partner_known(conn, partner):
            raise UserError(f"Unbekannter Partner '{partner}'.")
        done = conn.execute(
            s.users.update()
            .where(s.users.c.username == username)
            .values(role=role, partner_code=partner)
        )
        if done.rowcount != 1:
            raise UserError(f"Den Benutzer '{username}' gibt es nicht.")
        sessions.end_sessions(conn, username=username)
        audit.record(
            conn, "user_changed", username=by, partner=partner,
            detail={"user": username, "role": role},
        )


def log_out(engine: Engine, username: str, *, ip: str | None = None) -> None:
    """End every session of the account (the logout of one of them), with its audit row."""
    with db.writing(engine) as conn:
        sessions.end_sessions(conn, username=username.strip().lower())
        audit.record(conn, "logout", username=username, ip=ip)


def get_user(engine: Engine, username: str) -> User | None:
    """The account of ``username`` (any state), or None."""
    with engine.connect() as conn:
        row = conn.execute(
            select(s.users).where(s.users.c.username == username.strip().lower())
        ).first()
    return _user(row) if row else None


def get_user_by_id(engine: Engine, user_id: int) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(s.users).where(s.users.c.id == user_id)).first()
    return _user(row) if row else None


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    """The active user whose password matches, else None (constant work either way)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(s.users).where(s.users.c.username == username.strip().lower())
        ).first()
    ok = check_password_hash(row.password_hash if row else _DUMMY_HASH, password)
    return _user(row) if row and ok and row.is_active else None


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        return [_user(r) for r in conn.execute(select(s.users).order_by(s.users.c.username))]
