"""The funding body's check: cuts (Kürzungen) and change requests (Änderungsanträge), part of
:mod:`etl.warehouse.schema` (same metadata; re-exported there as ``schema.audit_cuts`` and
``schema.change_requests``)."""

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

__all__ = ["CHANGE_STATUSES", "CUT_SHEETS", "audit_cuts", "change_requests"]

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

CHANGE_STATUSES = ("requested", "approved", "rejected")

change_requests = Table(
    "change_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "based_on",
        Integer,
        ForeignKey("plan_versions.id"),
        nullable=False,
        comment="the plan version the reallocation starts from",
    ),
    Column("description", Text, nullable=False, comment="what is to be reallocated, and why"),
    Column("requested_on", Date, nullable=False, comment="date sent to the funding body"),
    Column("status", String(12), nullable=False, comment="requested, approved, rejected"),
    Column("decided_on", Date, nullable=True),
    Column("decision_note", Text, nullable=False, default=""),
    Column(
        "plan_version_id",
        Integer,
        ForeignKey("plan_versions.id"),
        nullable=True,
        comment="the plan version the approved request became",
    ),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=False), nullable=False),
    comment="One row per change request (Änderungsantrag) for a plan reallocation that needs "
    "the funding body's consent: its date, the decision and its date, the plan version it became.",
)
