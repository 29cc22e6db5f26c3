"""Thin bridge from pages to the warehouse: engine and config from settings, figures formatted."""

from __future__ import annotations

from decimal import Decimal

from etl import db
from etl.config import get_config
from etl.money import format_eur
from etl.report import build_report
from etl.settings import get_settings


def engine():
    return db.get_engine(get_settings().database_url)


def _de(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def overview_figures() -> list[tuple[str, str]]:
    """(label, formatted value) pairs for the overview cards."""
    config = get_config()
    rep = build_report(engine(), config)
    acts = rep["activities"]
    spent = int(Decimal(rep["eligible_total"].get("eligible_eur", "0")) * 100)
    return [
        ("Veranstaltungen", _de(sum(r["events"] for r in acts))),
        ("Teilnehmende", _de(sum(r["participants"] for r in acts))),
        ("Coachings", _de(sum(r["coachings"] for r in acts))),
        ("Erreichte Unternehmen", _de(rep["unique_companies"])),
        ("Förderfähige Ausgaben", format_eur(spent)),
        ("Budget", format_eur(int(config.total_budget * 100))),
    ]
