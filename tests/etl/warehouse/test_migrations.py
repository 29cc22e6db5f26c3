"""The Alembic migrations build exactly the schema the code declares, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from etl.warehouse import db
from etl.warehouse.schema import metadata


def test_migrated_schema_matches_metadata(engine):
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    assert diff == []


def test_upgrade_is_idempotent_and_keeps_data(engine, config, ingest):
    from tests.factories import workbook

    assert ingest(workbook()).status == "accepted"
    db.prepare(engine, config)  # a second deploy runs the migrations again
    assert not db.is_empty(engine)
