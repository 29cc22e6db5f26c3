"""Database writes of an accepted report, inside the caller's transaction: which rows and
companies an upload stores and which pre-aggregates it refreshes (the statements live in
:mod:`etl.warehouse.store`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from etl.core.config import NetworkConfig
from etl.intake import facts
from etl.intake.contract import Report
from etl.intake.crosscheck import History
from etl.warehouse.store import companies as stored_companies
from etl.warehouse.store import facts as stored_facts
from etl.warehouse.store import marts

if TYPE_CHECKING:
    from sqlalchemy import Connection


def upsert_companies(conn: Connection, companies: dict[tuple[str, str], tuple[str, str]]) -> dict:
    """Ids of the report's companies, creating new ones. An existing company is left as it is:
    the SME class lives on each participation as its partner reported it (a shared class
    here let one partner's report change another partner's figures)."""
    keys = sorted(companies)
    have = stored_companies.existing(conn, keys=keys)
    new = [
        {
            "name_key": k,
            "plz": p,
            "display_name": companies[(k, p)][0][:300],
            "size_class": companies[(k, p)][1],
        }
        for k, p in keys
        if (k, p) not in have
    ]
    if new:
        stored_companies.insert_new(conn, rows=new)
        have = stored_companies.existing(conn, keys=keys)
    return {key: company_id for key, (company_id, _cls) in have.items()}


def write_facts(
    conn: Connection,
    report: Report,
    history: History,
    upload_id: int,
    config: NetworkConfig,
    *,
    replaces: bool = True,
) -> dict[str, list[dict]]:
    """Insert the report's fact rows and refresh its pre-aggregates; returns the rows by table.
    ``replaces=False``: the partner-month had no current version before, so its reach is
    merged into the partner's (see :func:`etl.warehouse.store.marts.merge_reach`)."""
    company_ids = upsert_companies(conn, facts.companies_of(report))
    rows = {
        "events": facts.event_rows(report, upload_id),
        "coachings": facts.coaching_rows(report, upload_id),
        "participations": facts.participation_rows(report, upload_id, company_ids, history),
        "personnel": facts.personnel_rows(report, upload_id, config),
        "expenditure": facts.expenditure_rows(report, upload_id),
    }
    stored_facts.insert(conn, rows=rows)
    marts.refresh_monthly(
        conn,
        partner=report.partner,
        month=report.month,
        upload_id=upload_id,
        measures=facts.monthly_measures(report, history, rows),
    )
    if replaces:
        marts.refresh_cited_months(conn, partner=report.partner, month=report.month)
        marts.refresh_reach(conn, partner=report.partner)
    else:
        marts.merge_reach(conn, partner=report.partner, upload_id=upload_id)
    return rows
