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


Company = tuple[str, str, str]  # name key, PLZ, identifier ('' when none was reported)


def _row(company: Company, seen: tuple[str, str]) -> dict:
    key, plz, identifier = company
    return {
        "name_key": key,
        "plz": plz,
        "identifier": identifier,
        "display_name": seen[0][:300],
        "size_class": seen[1],
    }


def _identified(conn: Connection, companies: dict[Company, tuple[str, str]]) -> dict[str, int]:
    """Identifier -> company id for the report's identifiers. An identifier not seen before
    goes to the company of the same name and PLZ that has none yet, else to a new company."""
    first: dict[str, Company] = {}
    for company in companies:
        if company[2]:
            first.setdefault(company[2], company)
    have = stored_companies.by_identifier(conn, identifiers=list(first))
    missing = [ident for ident in first if ident not in have]
    if not missing:
        return have
    keys = [first[ident][:2] for ident in missing]
    named = stored_companies.by_name(conn, keys=keys, unidentified=True)
    new = []
    for ident in missing:
        company = first[ident]
        owner = named.get(company[:2])
        if owner is not None and stored_companies.attach_identifier(
            conn, company_id=owner, identifier=ident
        ):
            have[ident] = owner
        else:
            new.append(_row(company, companies[company]))
    stored_companies.insert_new(conn, rows=new)
    return {
        **have,
        **stored_companies.by_identifier(conn, identifiers=[r["identifier"] for r in new]),
    }


def upsert_companies(conn: Connection, companies: dict[Company, tuple[str, str]]) -> dict:
    """Ids of the report's companies, creating new ones: a row with an identifier is the
    company carrying it; a row without is the oldest company of its name and PLZ. An existing
    company is left as it is (but gains the identifier a report names for it first): the SME
    class lives on each participation as its partner reported it (a shared class here let
    one partner's report change another partner's figures)."""
    identified = _identified(conn, companies)
    keys = sorted({c[:2] for c in companies if not c[2]})
    have = stored_companies.by_name(conn, keys=keys)
    new = [_row(c, seen) for c, seen in sorted(companies.items()) if not c[2] and c[:2] not in have]
    if new:
        stored_companies.insert_new(conn, rows=new)
        have = stored_companies.by_name(conn, keys=keys)
    return {c: identified[c[2]] if c[2] else have[c[:2]] for c in companies}


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
