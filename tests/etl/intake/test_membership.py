"""Uploads outside a partner's membership (``joins``/``leaves``) are refused in German; a
partner without a reporting duty may still report."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from etl.intake.ingest import ingest_bytes
from tests.factories import month_report, workbook


def _with(config, code: str, **changes):
    parts = tuple(replace(p, **changes) if p.code == code else p for p in config.partners)
    return replace(config, partners=parts)


def _send(engine, settings, config, partner: str, month: str):
    data = workbook(partner, month, data=month_report(partner, month))
    return ingest_bytes(data, f"{partner}_{month}.xlsx", engine=engine, config=config,
                        settings=settings, user="test", received_at=datetime(2025, 6, 20, 9))


def test_a_month_before_joining_or_after_leaving_is_refused(engine, settings, config):
    cfg = _with(config, "BO", joins=date(2025, 2, 1), leaves=date(2025, 4, 1))
    before = _send(engine, settings, cfg, "BO", "2025-01")
    assert before.status == "rejected"
    assert [(e.sheet, e.column, e.message) for e in before.errors] == [(
        "Meta", "Wert",
        "BO gehört im Berichtsmonat 01/2025 nicht zum Netzwerk (Mitglied von 02/2025 bis "
        "04/2025). Bitte den Berichtsmonat prüfen.",
    )]
    assert _send(engine, settings, cfg, "BO", "2025-05").status == "rejected"
    assert _send(engine, settings, cfg, "BO", "2025-03").status == "accepted"


def test_a_partner_without_reporting_duty_may_still_report(engine, settings, config):
    cfg = _with(config, "HA", role="associated", funded=False, reporting="none")
    assert _send(engine, settings, cfg, "HA", "2025-03").status == "accepted"
