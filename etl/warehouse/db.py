"""Engine factory, migrations and the per-partner write lock."""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, select, text

from etl.core.config import NetworkConfig, get_config
from etl.core.settings import get_settings
from etl.warehouse import schema, years

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_setup(engine: Engine) -> None:
    """WAL, foreign keys, busy timeout, and BEGIN IMMEDIATE so writers queue, not fail."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Writers take the write lock up front (no deadlock-prone lock upgrade); readers
        # get a deferred transaction, i.e. a WAL snapshot that never blocks anyone.
        write = conn.get_execution_options().get("writer", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


# Every engine made here; a forked child drops the pooled connections it inherited (they
# belong to the parent) and opens its own, as SQLAlchemy's pooling docs advise.
_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


def _forget_inherited_connections() -> None:
    for engine in list(_engines):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_inherited_connections)


def make_engine(url: str) -> Engine:
    """A new engine for ``url``; SQLite files get their folder created and WAL mode.

    SQLite connections are pooled too: opening one (file, WAL, pragmas) costs ~6 ms, a pooled
    one ~0.3 ms, and closing the last one checkpoints the WAL; the dashboard asks the warehouse
    version on every request."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        on_disk = bool(path) and path != ":memory:" and "///" in url
        if on_disk:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **({"pool_size": 5, "max_overflow": 20} if on_disk else {}))
        _sqlite_setup(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    _engines.add(engine)
    return engine


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: from settings)."""
    if url is None:
        url = get_settings().database_url
    return make_engine(url)


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction: committed on success, rolled back on any exception."""
    with engine.connect() as conn:
        conn.execution_options(writer=True)
        with conn.begin():
            yield conn


def _alembic_config(connection: Connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A write transaction for Alembic. On SQLite with foreign keys off: a migration may
    rebuild a table others refer to (copy, drop, rename: SQLite's ALTER TABLE cannot drop a
    constraint), and SQLite only switches them outside a transaction; they are verified
    before COMMIT instead."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw = conn.connection.dbapi_connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            conn.execution_options(writer=True)
            with conn.begin():
                yield conn
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("Migration hinterlässt verwaiste Fremdschlüssel.")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` through the Alembic migrations."""
    from alembic import command

    with _migrating(engine) as conn:
        command.upgrade(_alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to ``revision`` (tests of migrations that fill data)."""
    from alembic import command

    with _migrating(engine) as conn:
        command.downgrade(_alembic_config(conn), revision)


def sync_reference(engine: Engine, config: NetworkConfig) -> None:
    """Insert or update partners and modules from the configuration (never deletes), and
    record the month its project years start in (:mod:`etl.warehouse.years`)."""
    years.register(engine, config.year_start_month)
    with writing(engine) as conn:
        have = set(conn.scalars(select(schema.partners.c.code)))
        for pos, p in enumerate(config.partners):
            values = {"name": p.name, "is_lead": p.lead, "position": pos}
            if p.code in have:
                conn.execute(
                    schema.partners.update()
                    .where(schema.partners.c.code == p.code)
                    .values(**values)
                )
            else:
                conn.execute(schema.partners.insert().values(code=p.code, **values))
        have_m = set(conn.scalars(select(schema.modules.c.name)))
        for pos, m in enumerate(config.modules):
            if m in have_m:
                conn.execute(
                    schema.modules.update().where(schema.modules.c.name == m).values(position=pos)
                )
            else:
                conn.execute(schema.modules.insert().values(name=m, position=pos))


def open_configured(database_url: str | None = None):
    """Settings, network configuration and a prepared engine as the environment names them
    (``database_url`` overrides ``DATABASE_URL``): what every command starts with."""
    settings = get_settings()
    if database_url:
        settings = replace(settings, database_url=database_url)
    config = get_config(settings.config_path)
    engine = get_engine(settings.database_url)
    prepare(engine, config)
    return settings, config, engine


def prepare(engine: Engine, config: NetworkConfig) -> None:
    """Migrate to the newest schema and synchronise reference data."""
    upgrade(engine)
    sync_reference(engine, config)


def lock_partner(conn: Connection, partner_code: str) -> None:
    """Serialise writers per partner (row lock on PostgreSQL; SQLite holds BEGIN IMMEDIATE)."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            select(schema.partners.c.code)
            .where(schema.partners.c.code == partner_code)
            .with_for_update()
        )


def is_empty(engine: Engine) -> bool:
    """True when the warehouse holds no upload at all."""
    with engine.connect() as conn:
        return conn.execute(text("SELECT COUNT(*) FROM uploads")).scalar_one() == 0
