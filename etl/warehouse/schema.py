"""The warehouse schema (SQLAlchemy Core). Changes go through Alembic migrations.

Money is stored as integer cents (``*_cents``), quantities as exact ``Numeric``.
Fact rows are kept for every upload version; the current figures are the rows whose
upload has ``status = 'accepted'`` (see :func:`current_uploads`).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)

from etl.core.config_check import MODULE_NAME_MAX, PARTNER_CODE_MAX, PARTNER_NAME_MAX

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

UPLOAD_STATUSES = ("accepted", "superseded", "rejected", "unchanged")

partners = Table(
    "partners",
    metadata,
    Column("code", String(PARTNER_CODE_MAX), primary_key=True),
    Column("name", String(PARTNER_NAME_MAX), nullable=False),
    Column("is_lead", Boolean, nullable=False, default=False),
    Column("position", Integer, nullable=False, default=0),
    comment="One row per partner of the network (synchronised from the configuration).",
)

modules = Table(
    "modules",
    metadata,
    Column("name", String(MODULE_NAME_MAX), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
    comment="One row per module (synchronised from the configuration).",
)

uploads = Table(
    "uploads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partner_code", String(16), ForeignKey("partners.code"), nullable=True),
    Column("month", Date, nullable=True, comment="first day of the reporting month"),
    Column("status", String(16), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("archive_path", String(500), nullable=False),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_at", DateTime(timezone=False), nullable=False),
    Column("file_format", String(8), nullable=True),
    Column("previous_id", Integer, ForeignKey("uploads.id"), nullable=True,
           comment="accepted: the upload it replaced; unchanged: the identical current upload"),
    Column("n_events", Integer, nullable=False, default=0),
    Column("n_coachings", Integer, nullable=False, default=0),
    Column("n_participants", Integer, nullable=False, default=0),
    Column("n_personnel", Integer, nullable=False, default=0),
    Column("n_expenditure", Integer, nullable=False, default=0),
    Column("n_errors", Integer, nullable=False, default=0),
    Column("errors_json", Text, nullable=False, default="[]"),
    Column("notices_json", Text, nullable=False, default="[]"),
    Index("ix_uploads_partner_month_status", "partner_code", "month", "status"),
    comment="One row per received file (history of every upload and its outcome).",
)

companies = Table(
    "companies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name_key", String(300), nullable=False, comment="normalised name for matching"),
    Column("plz", String(5), nullable=False),
    Column("display_name", String(300), nullable=False),
    Column("size_class", String(16), nullable=False,
           comment="SME class of the first report; figures use participations.size_class"),
    Column("identifier", String(80), nullable=False, server_default="",
           comment="register number with court or USt-IdNr. (canonical); '' when none"),
    UniqueConstraint("name_key", "plz", "identifier"),
    comment="One row per distinct company across partners: identifier, else name x PLZ.",
)
Index("uq_companies_identifier", companies.c.identifier, unique=True,
      sqlite_where=companies.c.identifier != "", postgresql_where=companies.c.identifier != "")


def _fact_columns() -> list[Column]:
    return [
        Column("id", Integer, primary_key=True),
        Column("upload_id", Integer, ForeignKey("uploads.id"), nullable=False, index=True),
        Column("source_row", Integer, nullable=False, comment="row number in the sheet"),
        Column("partner_code", String(16), ForeignKey("partners.code"), nullable=False),
        Column("month", Date, nullable=False),
    ]

events = Table(
    "events",
    metadata,
    *_fact_columns(),
    Column("event_id", String(100), nullable=False),
    Column("event_date", Date, nullable=False),
    Column("title", String(500), nullable=False),
    Column("module", String(50), nullable=False),
    Column("format", String(16), nullable=False),
    Column("n_participants", Integer, nullable=False),
    Column("n_women", Integer, nullable=True),
    Index("ix_events_partner_event_id", "partner_code", "event_id"),
    comment="One row per event held (sheet Veranstaltungen) per upload.",
)

coachings = Table(
    "coachings",
    metadata,
    *_fact_columns(),
    Column("coaching_id", String(100), nullable=False),
    Column("coaching_date", Date, nullable=False),
    Column("company_name", String(300), nullable=False),
    Column("module", String(50), nullable=False),
    Column("hours", Numeric(8, 2), nullable=False),
    Column("topic", String(500), nullable=True),
    Index("ix_coachings_partner_coaching_id", "partner_code", "coaching_id"),
    comment="One row per coaching started (sheet Coachings) per upload.",
)

participations = Table(
    "participations",
    metadata,
    *_fact_columns(),
    Column("activity_id", String(100), nullable=False),
    Column("company_id", Integer, ForeignKey("companies.id"), nullable=False, index=True),
    Column("company_name", String(300), nullable=False),
    Column("plz", String(5), nullable=False),
    Column("size_class", String(16), nullable=False),
    Column("n_persons", Integer, nullable=False),
    Column("company_identifier", String(80), nullable=True, comment="as reported (version 2)"),
    Index("ix_participations_partner_activity", "partner_code", "activity_id"),
    comment="One row per company per activity (sheet Teilnehmende) per upload.",
)

personnel = Table(
    "personnel",
    metadata,
    *_fact_columns(),
    Column("staff_code", String(50), nullable=False),
    Column("pay_group", Integer, nullable=False),
    Column("billing", String(8), nullable=False, comment="'Monat' or 'Stunden'"),
    Column("quantity", Numeric(10, 4), nullable=False, comment="share of a month, or hours"),
    Column("module", String(50), nullable=True),
    Column("amount_cents", BigInteger, nullable=False, comment="unit cost x quantity, cents"),
    Index("ix_personnel_partner_staff", "partner_code", "staff_code"),
    comment="One row per staff member per month (sheet Personal) per upload.",
)

expenditure = Table(
    "expenditure",
    metadata,
    *_fact_columns(),
    Column("receipt_no", String(100), nullable=False),
    Column("booking_date", Date, nullable=False),
    Column("cost_category", String(32), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("module", String(50), nullable=True),
    Column("description", String(500), nullable=True),
    Column("payment_date", Date, nullable=True, comment="Zahlungsdatum (version 2)"),
    Column("payee", String(200), nullable=True, comment="Zahlungsempfänger (version 2)"),
    Column("purpose", String(500), nullable=True, comment="Verwendungszweck (version 2)"),
    Index("ix_expenditure_partner_receipt", "partner_code", "receipt_no"),
    comment="One row per booked receipt (sheet Ausgaben) per upload.",
)

fact_monthly = Table(
    "fact_monthly",
    metadata,
    Column("partner_code", String(16), ForeignKey("partners.code"), primary_key=True),
    Column("month", Date, primary_key=True),
    Column("module", String(50), primary_key=True, comment="'' where no module was given"),
    Column("measure", String(32), primary_key=True),
    Column("value", Numeric(16, 4), nullable=False),
    Column("upload_id", Integer, ForeignKey("uploads.id"), nullable=False),
    comment="One row per partner x month x module x measure, current uploads only; "
    "rebuilt for a partner-month in the transaction that loads it.",
)

fact_reach = Table(
    "fact_reach",
    metadata,
    Column("partner_code", String(16), ForeignKey("partners.code"), primary_key=True),
    Column("module", String(50), primary_key=True),
    Column("year", Integer, primary_key=True, comment="year of the activity"),
    Column("company_id", Integer, ForeignKey("companies.id"), primary_key=True),
    Column("activity_date", Date, nullable=False, comment="first activity in this group"),
    Column("n_persons", Integer, nullable=False),
    Column("size_class", String(16), nullable=False,
           comment="SME class of the latest report in this group (the partner's own)"),
    Column("class_date", Date, nullable=False, comment="activity date of that report"),
    Column("class_upload_id", Integer, nullable=False, comment="upload of that report"),
    Column("class_row", Integer, nullable=False, comment="sheet row of that report"),
    comment=(
        "One row per partner x module x year x company reached by a current participation "
        "(the grain at which targets count companies); rebuilt for a partner in the "
        "transaction that loads one of its months."
    ),
)

FACT_TABLES = (events, coachings, participations, personnel, expenditure)

# Measures in fact_monthly (money in cents).
MEASURES = (
    "events",
    "participants",
    "women",
    "coachings",
    "coaching_hours",
    "participations",
    "persons",
    "personnel_cents",
    "personnel_months",
    "personnel_hours",
    "expenditure_cents",
    "sachkosten_cents",
    "fremdleistungen_cents",
    "reisekosten_cents",
)


def current_uploads():
    """Select of the ids of the accepted (current) upload of each partner-month."""
    return select(uploads.c.id).where(uploads.c.status == "accepted")

# --- access control and approval (migration 0002) -------------------------------------------

ROLES = ("admin", "steering", "finance", "partner")

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("partner_code", String(16), ForeignKey("partners.code"), nullable=True),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("password_changed_at", DateTime(timezone=False), nullable=False),
    # Sessions carry the generation they were made in; bumping it ends them all (logout,
    # password, active state, role), although the signed session cookies live on in browsers.
    Column("session_generation", Integer, nullable=False, default=0, server_default="0"),
    Column("email", String(254), nullable=True, comment="where notifications go (0009)"),
    comment="One row per user account; partner users are bound to one partner.",
)

# The state of a partner-month (migration 0008). No row: ``fällig`` (nothing received).
# submitted = eingereicht, query = Rückfrage, approved = freigegeben, proof = im Nachweis.
MONTH_STATES = ("submitted", "query", "checked", "approved", "proof")  # checked: 2-step review
LOCKED_STATES = ("approved", "proof")  # uploads are refused
PROOF_KINDS = ("interim", "final")

month_states = Table(
    "month_states",
    metadata,
    Column("partner_code", String(16), ForeignKey("partners.code"), primary_key=True),
    Column("month", Date, primary_key=True),
    Column("state", String(16), nullable=False, index=True),
    # since when the month is in this state and who put it there (notifications key on it)
    Column("changed_by", String(100), nullable=False),
    Column("changed_at", DateTime(timezone=False), nullable=False),
    Column("upload_id", Integer, ForeignKey("uploads.id"), nullable=True),
    Column("approved_by", String(100), nullable=True),
    Column("approved_at", DateTime(timezone=False), nullable=True),
    Column("proof_kind", String(16), nullable=True),
    comment="One row per partner-month that left 'fällig': its review state; the audit log "
    "keeps every transition.",
)

month_comments = Table(
    "month_comments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partner_code", String(16), ForeignKey("partners.code"), nullable=False),
    Column("month", Date, nullable=False),
    Column("at", DateTime(timezone=False), nullable=False),
    Column("author", String(100), nullable=False),
    Column("role", String(16), nullable=False),
    Column("kind", String(16), nullable=False),  # note | question | answer | reply
    Column("text", Text, nullable=False),
    Index("ix_month_comments_partner_month", "partner_code", "month"),
    comment="One row per comment (Bemerkung) on a partner-month, oldest id first.",
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=False), nullable=False, index=True),
    Column("username", String(100), nullable=True),
    Column("action", String(32), nullable=False, index=True),
    Column("partner_code", String(16), nullable=True),
    Column("month", Date, nullable=True),
    Column("ip", String(64), nullable=True),
    Column("detail", Text, nullable=False, default=""),
    comment="One row per audited event: upload, approve, reopen, login, login_failed, user_*.",
)

# --- finance plan versions and payment requests (migration 0003) -------------------------------

PLAN_SOURCES = ("config", "upload")
PAYMENT_STATUSES = ("requested", "approved", "paid")

plan_versions = Table(
    "plan_versions",
    metadata,
    Column("id", Integer, primary_key=True, comment="the version number"),
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("reason", Text, nullable=False),
    Column("source", String(16), nullable=False, comment="'config' (version 1) or 'upload'"),
    Column("based_on", Integer, ForeignKey("plan_versions.id"), nullable=True),
    Column("file_name", String(255), nullable=True),
    Column("archive_path", String(500), nullable=True),
    Column("sha256", String(64), nullable=True),
    Column("material_mode", String(8), nullable=False, comment="'actual' or 'flat'"),
    Column("rate_table_from", Date, nullable=False, comment="valid_from of the unit-cost table"),
    Column("total_cents", BigInteger, nullable=False, comment="sum of the plan lines"),
    comment="One row per version of the finance plan (who, when, why, from which file).",
)

plan_lines = Table(
    "plan_lines",
    metadata,
    Column("version_id", Integer, ForeignKey("plan_versions.id"), primary_key=True),
    Column("partner_code", String(16), ForeignKey("partners.code"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("category", String(16), primary_key=True, comment="personnel, overheads, material"),
    Column("amount_cents", BigInteger, nullable=False),
    comment="One row per plan version x partner x year x cost category (budget line).",
)

plan_targets = Table(
    "plan_targets",
    metadata,
    Column("version_id", Integer, ForeignKey("plan_versions.id"), primary_key=True),
    Column("partner_code", String(16), ForeignKey("partners.code"), primary_key=True),
    Column("module", String(50), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("measure", String(16), primary_key=True),
    Column("value", Integer, nullable=False),
    comment="One row per plan version x partner x module x year x measure (KPI target).",
)

plan_funding_rates = Table(
    "plan_funding_rates",
    metadata,
    Column("version_id", Integer, ForeignKey("plan_versions.id"), primary_key=True),
    Column("partner_code", String(16), ForeignKey("partners.code"), primary_key=True),
    Column("funding_rate", Numeric(6, 4), nullable=False),
    comment="One row per plan version x partner: the funding rate of its grant notice.",
)

payment_requests = Table(
    "payment_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partner_code", String(16), ForeignKey("partners.code"), nullable=False, index=True),
    Column("requested_date", Date, nullable=False),
    Column("period_start", Date, nullable=False, comment="first day of the first month covered"),
    Column("period_end", Date, nullable=False, comment="first day of the last month covered"),
    Column("requested_cents", BigInteger, nullable=False),
    Column("status", String(12), nullable=False, comment="requested, approved, paid"),
    Column("approved_date", Date, nullable=True),
    Column("approved_cents", BigInteger, nullable=True),
    Column("paid_date", Date, nullable=True),
    Column("paid_cents", BigInteger, nullable=True),
    Column("note", Text, nullable=False, default=""),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=False), nullable=False),
    comment="One row per payment request (Mittelabruf) of a partner, with approval and payment.",
)

from etl.warehouse.schema_cuts import *  # noqa: E402, F403 (cuts, change requests; size limit)
from etl.warehouse.schema_sheets import sheet_rows  # noqa: E402, F401 (configured sheets)
from etl.warehouse.schema_mail import notification_outbox, notification_prefs  # noqa: E402,F401
