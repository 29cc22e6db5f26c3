"""uploads: a file a partner account sent belongs to that account's partner

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 13:40:00

Before this revision a partner account's rejected file was recorded under the partner its
Meta sheet named (a DO account's workbook claiming BO showed in BO's history, downloads and
rejection count; an unreadable one had no partner). Since then the upload row belongs to the
sender's partner (``etl.intake.ingest.Sender.owner``). This data migration moves the rows
recorded before: every upload of an account bound to a partner that is recorded under
another partner or none. Only rejected rows can be affected (an accepted file had to match
the account's partner). Self-contained (the schema as of this revision). Not reversible:
the partner the file claimed stays in the file and in the audit log.
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    uploads = sa.table("uploads", sa.column("id"), sa.column("partner_code"),
                       sa.column("uploaded_by"), sa.column("status"))
    users = sa.table("users", sa.column("username"), sa.column("role"),
                     sa.column("partner_code"))
    owner = (
        sa.select(users.c.partner_code)
        .where(users.c.username == uploads.c.uploaded_by, users.c.role == "partner",
               users.c.partner_code.is_not(None))
        .scalar_subquery()
    )
    op.execute(
        uploads.update()
        .where(uploads.c.status == "rejected", owner.is_not(None),
               sa.or_(uploads.c.partner_code.is_(None), uploads.c.partner_code != owner))
        .values(partner_code=owner)
    )


def downgrade() -> None:
    pass  # data only: the rows stay with their senders
