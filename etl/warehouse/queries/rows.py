"""Source rows: one row per current fact row (event, coaching, participation, Personal row,
receipt) with the file, sheet and row it came from: what the lists and downloads show."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, Select

from etl.warehouse import schema as s
from etl.warehouse.queries.common import _current, _filtered, _frame, _source
from etl.warehouse.queries.reach import activity_keys
from etl.warehouse.years import start_month


def _rows(
    engine: Engine,
    stmt: Select,
    table,
    sheet: str,
    columns: Sequence,
    *,
    date_col,
    order: Sequence,
    partners: Sequence[str] | None,
    years: Sequence[int] | None,
) -> pd.DataFrame:
    """``columns`` and the source columns of ``table``'s current rows in ``stmt`` (a
    :func:`_current` SELECT, maybe joined), narrowed by partner and year of ``date_col``."""
    stmt = stmt.with_only_columns(*columns, *_source(table, sheet))
    stmt = _filtered(stmt, table.c.partner_code, date_col, partners=partners, years=years,
                     start=start_month(engine))
    return _frame(engine, stmt.order_by(*order))


def _table_rows(
    engine: Engine, table, sheet: str, names: Sequence[str], order: Sequence[str], **narrowing
) -> pd.DataFrame:
    """:func:`_rows` of one fact table: the columns ``names``, the year taken from ``month``,
    sorted by the columns ``order``."""
    return _rows(
        engine,
        _current(table),
        table,
        sheet,
        [table.c[n] for n in names],
        date_col=table.c.month,
        order=[table.c[n] for n in order],
        **narrowing,
    )


def event_rows(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per current event, with the file, sheet and row it came from."""
    names = ("partner_code", "month", "event_id", "event_date", "title", "module", "format",
             "n_participants", "n_women")
    order = ("partner_code", "event_date", "event_id")
    return _table_rows(engine, s.events, "Veranstaltungen", names, order,
                       partners=partners, years=years)


def coaching_rows(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per current coaching, with the file, sheet and row it came from."""
    names = ("partner_code", "month", "coaching_id", "coaching_date", "company_name", "module",
             "hours", "topic")
    order = ("partner_code", "coaching_date", "coaching_id")
    return _table_rows(engine, s.coachings, "Coachings", names, order,
                       partners=partners, years=years)


def participation_rows(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per current participation (company x activity), with the activity's module,
    date and kind, the SME class as reported on it, and the file, sheet and row it came from."""
    p = s.participations
    acts = activity_keys().subquery()
    stmt = (
        _current(p)
        .join(
            acts,
            (acts.c.partner_code == p.c.partner_code) & (acts.c.activity_id == p.c.activity_id),
        )
    )
    columns = [p.c.partner_code, p.c.month, p.c.activity_id, acts.c.kind, acts.c.module,
               acts.c.activity_date, p.c.company_id, p.c.company_name, p.c.plz,
               p.c.size_class, p.c.n_persons]
    order = [p.c.partner_code, acts.c.activity_date, p.c.activity_id]
    return _rows(engine, stmt, p, "Teilnehmende", columns, date_col=acts.c.activity_date,
                 order=order, partners=partners, years=years)


def personnel_rows(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per current Personal row (staff member x month), cents, and its source row."""
    names = ("partner_code", "month", "staff_code", "pay_group", "billing", "quantity",
             "module", "amount_cents")
    order = ("partner_code", "month", "staff_code")
    return _table_rows(engine, s.personnel, "Personal", names, order,
                       partners=partners, years=years)


def expenditure_rows(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per current Ausgaben row (receipt), cents, and its source row."""
    names = ("partner_code", "month", "receipt_no", "booking_date", "cost_category",
             "amount_cents", "module", "description")
    order = ("partner_code", "booking_date", "receipt_no")
    return _table_rows(engine, s.expenditure, "Ausgaben", names, order,
                       partners=partners, years=years)


def receipt_rows(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per current receipt (Ausgaben row) with its payment columns (contract version
    2; empty for version 1 files), cents, and its source row: what the Belegliste lists."""
    names = ("partner_code", "month", "receipt_no", "booking_date", "cost_category",
             "amount_cents", "description", "payment_date", "payee", "purpose")
    order = ("booking_date", "partner_code", "receipt_no")
    return _table_rows(engine, s.expenditure, "Ausgaben", names, order,
                       partners=partners, years=years)
