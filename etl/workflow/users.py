"""User accounts: create, change, authenticate. Passwords are stored as salted scrypt hashes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from werkzeug.security import check_password_hash, generate_password_hash

from etl.warehouse import audit, db
from etl.warehouse import schema as s
from etl.warehouse.store import users as accounts

if TYPE_CHECKING:
    from sqlalchemy import Engine, Row

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
    email: str | None = None

    def can_read_partner(self, partner: str) -> bool:
        """Whether the user may see the rows of ``partner``."""
        return self.role != "partner" or self.partner_code == partner

    @property
    def partners_scope(self) -> tuple[str, ...] | None:
        """The partners whose rows the user may see; None means all."""
        return (self.partner_code,) if self.role == "partner" else None


def _user(row: Row) -> User:
    return User(
        row.id, row.username, row.role, row.partner_code, bool(row.is_active),
        row.session_generation, row.email,
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
        if accounts.exists(conn, username=username):
            raise UserError(f"Den Benutzer '{username}' gibt es schon.")
        if partner and not accounts.partner_exists(conn, partner=partner):
            raise UserError(f"Unbekannter Partner '{partner}'.")
        accounts.insert(
            conn,
            username=username,
            password_hash=generate_password_hash(password),
            role=role,
            partner=partner,
            at=now,
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
        done = accounts.set_password_hash(
            conn,
            username=username.lower(),
            password_hash=generate_password_hash(password),
            at=datetime.now(),
        )
        if done != 1:
            raise UserError(f"Den Benutzer '{username}' gibt es nicht.")
        accounts.end_sessions(conn, username=username.lower())
        audit.record(conn, "password_reset", username=by, detail={"user": username.lower()})


def set_active(engine: Engine, username: str, active: bool, *, by: str | None = None) -> None:
    """Enable or disable an account (disabled accounts cannot log in; either way every
    session of the account ends, so re-enabling does not revive a copied cookie)."""
    with db.writing(engine) as conn:
        done = accounts.set_active(conn, username=username.lower(), active=active)
        if done != 1:
            raise UserError(f"Den Benutzer '{username}' gibt es nicht.")
        accounts.end_sessions(conn, username=username.lower())
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
        if partner and not accounts.partner_exists(conn, partner=partner):
            raise UserError(f"Unbekannter Partner '{partner}'.")
        done = accounts.set_role(conn, username=username, role=role, partner=partner)
        if done != 1:
            raise UserError(f"Den Benutzer '{username}' gibt es nicht.")
        accounts.end_sessions(conn, username=username)
        audit.record(
            conn, "user_changed", username=by, partner=partner,
            detail={"user": username, "role": role},
        )


def check_email(email: str | None) -> str | None:
    """The cleaned address (None: none given); raises :class:`UserError` for a malformed one."""
    email = (email or "").strip()
    if not email:
        return None
    local, _, domain = email.rpartition("@")
    if not local or "." not in domain or any(c in email for c in " ,;<>\"\r\n") \
            or len(email) > 254:
        raise UserError(f"'{email}' ist keine gültige E-Mail-Adresse.")
    return email


def set_email(engine: Engine, username: str, email: str | None, *, by: str | None = None) -> None:
    """Give an account an e-mail address for notifications (empty: remove it)."""
    username, email = username.strip().lower(), check_email(email)
    with db.writing(engine) as conn:
        if accounts.set_email(conn, username=username, email=email) != 1:
            raise UserError(f"Den Benutzer '{username}' gibt es nicht.")
        audit.record(
            conn, "user_changed", username=by, detail={"user": username, "email": email or ""}
        )


def log_out(engine: Engine, username: str, *, ip: str | None = None) -> None:
    """End every session of the account (the logout of one of them), with its audit row."""
    with db.writing(engine) as conn:
        accounts.end_sessions(conn, username=username.strip().lower())
        audit.record(conn, "logout", username=username, ip=ip)


def get_user(engine: Engine, username: str) -> User | None:
    """The account of ``username`` (any state), or None."""
    row = accounts.by_name(engine, username=username.strip().lower())
    return _user(row) if row else None


def get_user_by_id(engine: Engine, user_id: int) -> User | None:
    """The account with id ``user_id`` (any state), or None."""
    row = accounts.by_id(engine, user_id=user_id)
    return _user(row) if row else None


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    """The active user whose password matches, else None (constant work either way)."""
    row = accounts.by_name(engine, username=username.strip().lower())
    ok = check_password_hash(row.password_hash if row else _DUMMY_HASH, password)
    return _user(row) if row and ok and row.is_active else None


def list_users(engine: Engine) -> list[User]:
    """Every account, by name."""
    return [_user(r) for r in accounts.all_rows(engine)]
