"""The notification tables (migration 0009), on the warehouse's one ``metadata``.

``etl.warehouse.schema`` imports them at its end, so ``schema.metadata`` (and Alembic's
comparison) holds them; they live here because that module is at its size limit.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from etl.warehouse.schema import metadata

# pending: waits for its mail (at once or in the user's next digest); sent: in a mail;
# skipped: the user chose "off" for its kind; failed: given up after too many attempts
OUTBOX_STATES = ("pending", "sent", "skipped", "failed")
DELIVERY_MODES = ("now", "daily", "weekly", "off")

notification_outbox = Table(
    "notification_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("event_key", String(200), nullable=False, comment="e.g. overdue:DO:2026-10:+15"),
    Column("kind", String(24), nullable=False, index=True),
    Column("payload", Text, nullable=False, comment="JSON: subject, lines, link"),
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("state", String(12), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Column("sent_at", DateTime(timezone=False), nullable=True),
    Column("digest", String(8), nullable=True, comment="daily/weekly: sent in a digest"),
    UniqueConstraint("user_id", "event_key"),
    comment="One row per event x recipient: one event, one mail, however often notify runs.",
)

notification_prefs = Table(
    "notification_prefs",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("kind", String(24), primary_key=True),
    Column("mode", String(8), nullable=False, comment="now, daily, weekly, off"),
    comment="One row per user x notification kind the user changed (else the kind's default).",
)
