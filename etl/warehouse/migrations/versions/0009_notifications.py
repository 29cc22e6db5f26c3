"""Notifications by e-mail: users.email, the outbox and per-user delivery preferences

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 15:40:00

``python -m etl notify`` derives events from the warehouse (a report due, a Rückfrage, a
month awaiting review, ...) and writes one outbox row per event and recipient; the unique
(user_id, event_key) makes a second run or a retry after an SMTP failure send nothing twice.
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True,
                                      comment='where notifications go (0009)'))
    op.create_table(
        'notification_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('event_key', sa.String(length=200), nullable=False,
                  comment='e.g. overdue:DO:2026-10:+15'),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False, comment='JSON: subject, lines, link'),
        sa.Column('created_at', sa.DateTime(timezone=False), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=False), nullable=True),
        sa.Column('digest', sa.String(length=8), nullable=True,
                  comment='daily/weekly: sent in a digest'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_notification_outbox_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_outbox')),
        sa.UniqueConstraint('user_id', 'event_key',
                            name=op.f('uq_notification_outbox_user_id_event_key')),
        comment='One row per event x recipient: one event, one mail, however often notify runs.',
    )
    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_outbox_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_outbox_state'), ['state'],
                              unique=False)
    op.create_table(
        'notification_prefs',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('mode', sa.String(length=8), nullable=False,
                  comment='now, daily, weekly, off'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_notification_prefs_user_id_users')),
        sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_prefs')),
        comment="One row per user x notification kind the user changed (else the kind's "
        "default).",
    )


def downgrade() -> None:
    op.drop_table('notification_prefs')
    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_outbox_state'))
        batch_op.drop_index(batch_op.f('ix_notification_outbox_kind'))
    op.drop_table('notification_outbox')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email')
