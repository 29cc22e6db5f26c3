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


def test_contract_v2_migration_keeps_companies_and_figures(engine, config, ingest):
    """0010 rebuilds ``companies`` (on SQLite: copy, drop, rename) under the participations
    that refer to it: ids, figures and foreign keys stay; going back and forth is lossless
    for a warehouse whose companies differ in name and PLZ."""
    from etl.documents.report import build_report
    from tests.factories import sheets, workbook

    data = sheets()
    data["Teilnehmende"][0]["Unternehmenskennung"] = "HRB 4711, Amtsgericht Dortmund"
    assert ingest(workbook(data=data)).status == "accepted"
    before = build_report(engine, config)
    db.downgrade(engine, "0008")
    db.upgrade(engine)
    assert build_report(engine, config) == before
