"""Rows of the configured activity sheets (``[[activity_sheets]]``, e.g. consulting
vouchers), part of :mod:`etl.warehouse.schema` (same metadata; re-exported there as
``schema.sheet_rows``).

One generic table for every configured sheet: the columns every rule and query needs
(record ID, date, module, company) are real columns; the rest of a row is ``values_json``
(column name -> value; dates ISO, money in euros and integers as decimal strings). Like the
other fact tables, rows are kept per upload; the current ones are those of accepted uploads.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Text

from etl.warehouse.schema import _fact_columns, metadata

__all__ = ["sheet_rows"]

sheet_rows = Table(
    "sheet_rows",
    metadata,
    *_fact_columns(),
    Column("sheet_key", String(32), nullable=False, comment="activity_sheets[].key"),
    Column("record_id", String(100), nullable=False, comment="the sheet's id_column"),
    Column("activity_date", Date, nullable=False, comment="the sheet's date_column"),
    Column("module", String(50), nullable=True, comment="the module column, if any"),
    Column("company_id", Integer, ForeignKey("companies.id"), nullable=True,
           comment="a known company of that name and PLZ (none: not matched)"),
    Column("values_json", Text, nullable=False, comment="every column: name -> value"),
    Index("ix_sheet_rows_partner_sheet_record", "partner_code", "sheet_key", "record_id"),
    comment="One row per row of a configured activity sheet per upload.",
)
