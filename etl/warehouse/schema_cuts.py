"""The table of cuts (Kürzungen) of the funding body's check, part of :mod:`etl.warehouse.schema`
(same metadata; re-exported there as ``schema.audit_cuts``)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from etl.warehouse.schema import metadata

CUT_SHEETS = ("Ausgaben", "Personal")

audit_cuts = Table(
    "audit_cuts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partner_code", String(16), ForeignKey("partners.code"), nullable=False),
    Column("month", Date, nullable=False, comment="first day of the reporting month"),
    Column("sheet", String(16), nullable=False, comment="'Ausgaben' or 'Personal'"),
    Column(
        "row_key",
        String(100),
        nullable=False,
        comment="the row's stable identity: receipt number (Ausgaben) or staff code (Personal)",
    ),
    Column(
        "accepted_cents", BigInteger, nullable=False, comment="amount the funding body accepted"
    ),
    Column("reason", Text, nullable=False),
    Column("decided_on", Date, nullable=False, comment="date of the funding body's check"),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=False), nullable=False),
    UniqueConstraint("partner_code", "month", "sheet", "row_key"),
    comment="One row per cut (Kürzung) of a funding body's check: a receipt or staff row of a "
    "partner-month and the amount accepted; keyed by the row's identity, so it survives "
    "re-uploads of the month.",
)
