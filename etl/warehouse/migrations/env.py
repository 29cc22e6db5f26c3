"""Alembic environment: runs on the connection handed over by ``etl.warehouse.db.upgrade``."""

from alembic import context
from sqlalchemy import create_engine

from etl.warehouse.schema import metadata

config = context.config
connection = config.attributes.get("connection")


def _run(conn) -> None:
    context.configure(
        connection=conn,
        target_metadata=metadata,
        render_as_batch=conn.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # plain `alembic` command line: DATABASE_URL from the settings
    from etl.core.settings import get_settings

    with create_engine(get_settings().database_url).connect() as conn:
        _run(conn)
        conn.commit()
