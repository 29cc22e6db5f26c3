"""What every read query shares: current-upload selection, partner/year filters, and the
fetch of a SELECT into a compact DataFrame. Private to the ``queries`` package; no grain
of its own (the callers' docstrings state theirs)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Engine, Select, literal, select

from etl.warehouse import schema as s
from etl.warehouse.years import project_year


def _current(table) -> Select:
    """All rows of ``table`` that belong to a current (accepted) upload, joined to it."""
    return (
        select(table)
        .join(s.uploads, s.uploads.c.id == table.c.upload_id)
        .where(s.uploads.c.status == "accepted")
    )


def _filtered(
    stmt: Select,
    col_partner,
    col_month,
    *,
    partners: Sequence[str] | None,
    years: Sequence[int] | None,
    start: int = 1,
) -> Select:
    """``stmt`` narrowed to ``partners`` and to the project ``years`` of ``col_month`` (None:
    all), project years starting in month ``start`` (:mod:`etl.warehouse.years`)."""
    if partners:
        stmt = stmt.where(col_partner.in_(list(partners)))
    if years:
        stmt = stmt.where(project_year(col_month, start).in_([int(y) for y in years]))
    return stmt


def _frame(engine: Engine, stmt: Select) -> pd.DataFrame:
    """The rows of ``stmt`` as a DataFrame, built column by column (a few times faster than
    from a list of rows, same dtypes) and fetched in chunks, with repeated texts and dates
    sharing one object (partner codes, modules, file names, months: far less memory)."""
    with engine.connect() as conn:
        result = conn.execute(stmt)
        keys = list(result.keys())
        if len(set(keys)) != len(keys):
            return pd.DataFrame(result.fetchall(), columns=keys)
        columns: list[list] = [[] for _ in keys]
        for chunk in result.partitions(50_000):
            for column, values in zip(columns, zip(*chunk, strict=True), strict=True):
                column.extend(values)
    if not columns or not columns[0]:
        return pd.DataFrame([], columns=keys)
    return pd.DataFrame({key: _shared(values) for key, values in zip(keys, columns, strict=True)})


def _shared(values: list) -> list:
    """``values`` with equal texts or dates replaced by one object each (same values)."""
    first = next((v for v in values if v is not None), None)
    if type(first) is not str and type(first) is not date:
        return values
    seen: dict = {}
    return [v if v is None or type(v) is not type(first) else seen.setdefault(v, v) for v in values]


def _source(table, sheet: str) -> list:
    """Columns naming where a fact row came from: upload id, file name, sheet and row
    (for a SELECT from :func:`_current`, which joins the upload)."""
    return [
        table.c.upload_id,
        s.uploads.c.file_name,
        literal(sheet).label("sheet"),
        table.c.source_row,
    ]
