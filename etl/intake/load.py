"""Database writes of an accepted report, inside the caller's transaction: which rows and
companies an upload stores and which pre-aggregates it refreshes (the statements live in
:mod:`etl.warehouse.store`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from etl.core.config import NetworkConfig
from etl.core.errors import Issue
from etl.intake import facts
from etl.intake.contract import Report, participants
from etl.intake.crosscheck import History
from etl.warehouse.store import companies as stored_companies
from etl.warehouse.store import facts as stored_facts
from etl.warehouse.store import marts

if TYPE_CHECKING:
    from sqlalchemy import Connection


SAME_COMPANY = (
    "Dieses Unternehmen steht für diese Aktivität schon in Zeile {row} (gleiche "
    "Unternehmenskennung, oder Name und PLZ eines Unternehmens mit dieser Kennung). Bitte je "
    "Unternehmen und Aktivität nur eine Zeile (Personen zusammenzählen)."
)
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


def _planned(companies: list[Company], by_ident: dict, unidentified: dict, named: dict) -> dict:
    """Which company each report company will be (as :func:`upsert_companies` decides): an
    existing id, or a tuple naming one the report creates. ``by_ident``, ``unidentified`` and
    ``named`` are the lookups of :mod:`etl.warehouse.store.companies` for the report's keys."""
    out: dict[Company, object] = {}
    owners: dict[str, object] = {}
    attached: set[int] = set()
    for c in companies:
        if c[2] and c[2] not in owners:
            candidate = unidentified.get(c[:2])
            if c[2] in by_ident:
                owners[c[2]] = by_ident[c[2]]
            elif candidate is not None and candidate not in attached:
                owners[c[2]] = candidate
                attached.add(candidate)
            else:
                owners[c[2]] = ("new", c[2])
        if c[2]:
            out[c] = owners[c[2]]
    for c in companies:
        if not c[2]:
            created = next((out[d] for d in companies if d[2] and d[:2] == c[:2]), None)
            out[c] = named.get(c[:2], created if created is not None else ("new", "", c[:2]))
    return out


def company_issues(conn: Connection, report: Report) -> list[Issue]:
    """Rows of one activity that name the same company (by its identifier, or by name and PLZ
    of a company that carries one): an error at the later row, like a repeated company."""
    rows = report.rows(participants.SHEET)
    keyed = [(r, facts.company_of(r)) for r in rows]
    if not any(c[2] for _r, c in keyed):
        return []
    companies = list(dict.fromkeys(c for _r, c in keyed))
    idents = [c[2] for c in companies if c[2]]
    names = list({c[:2] for c in companies})
    plan = _planned(
        companies,
        stored_companies.by_identifier(conn, identifiers=idents),
        stored_companies.by_name(conn, keys=names, unidentified=True),
        stored_companies.by_name(conn, keys=names),
    )
    seen: dict[tuple, int] = {}
    issues = []
    for row, company in keyed:
        key = (row["Aktivität"].casefold(), plan[company])
        if key in seen:
            message = SAME_COMPANY.format(row=seen[key])
            issues.append(Issue(participants.SHEET, row["_row"], "Unternehmen", message))
        seen.setdefault(key, row["_row"])
    return issues


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
    if report.configured:
        known = stored_companies.by_name(conn, keys=facts.sheet_companies(report))
        rows["sheet_rows"] = facts.sheet_rows(report, upload_id, known)
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
