"""month_states and month_comments: the review state of a partner-month in one table

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 13:30:00

A partner-month was either open or locked (``month_locks``). It now has a state in one
table: no row = fällig, ``submitted`` (eingereicht), ``query`` (Rückfrage), ``approved``
(freigegeben, locked), ``proof`` (im Nachweis, locked). The backfill carries every lock over
as ``approved`` and every other month with an accepted upload as ``submitted``; then
``month_locks`` is dropped. Self-contained (the schema as of this revision).
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _create() -> None:
    op.create_table('month_states',
    sa.Column('partner_code', sa.String(length=16), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=True),
    sa.Column('approved_by', sa.String(length=100), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('proof_kind', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['partner_code'], ['partners.code'], name=op.f('fk_month_states_partner_code_partners')),
    sa.ForeignKeyConstraint(['upload_id'], ['uploads.id'], name=op.f('fk_month_states_upload_id_uploads')),
    sa.PrimaryKeyConstraint('partner_code', 'month', name=op.f('pk_month_states')),
    comment="One row per partner-month that left 'fällig': its review state; the audit log keeps every transition."
    )
    op.create_index(op.f('ix_month_states_state'), 'month_states', ['state'], unique=False)
    op.create_table('month_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_code', sa.String(length=16), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('author', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['partner_code'], ['partners.code'], name=op.f('fk_month_comments_partner_code_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_month_comments')),
    comment='One row per comment (Bemerkung) on a partner-month, oldest id first.'
    )
    op.create_index('ix_month_comments_partner_month', 'month_comments', ['partner_code', 'month'], unique=False)


def _backfill() -> None:
    conn = op.get_bind()
    locks = sa.table('month_locks', sa.column('partner_code'), sa.column('month'),
                     sa.column('approved_by'), sa.column('approved_at'), sa.column('upload_id'))
    uploads = sa.table('uploads', sa.column('id'), sa.column('partner_code'), sa.column('month'),
                       sa.column('status'), sa.column('uploaded_by'), sa.column('uploaded_at'))
    states = sa.table('month_states', *(sa.column(c) for c in (
        'partner_code', 'month', 'state', 'changed_by', 'changed_at', 'upload_id',
        'approved_by', 'approved_at')))
    locked = set()
    for r in conn.execute(sa.select(locks)):
        locked.add((r.partner_code, r.month))
        conn.execute(states.insert().values(
            partner_code=r.partner_code, month=r.month, state='approved',
            changed_by=r.approved_by, changed_at=r.approved_at, upload_id=r.upload_id,
            approved_by=r.approved_by, approved_at=r.approved_at))
    current = sa.select(uploads).where(uploads.c.status == 'accepted')
    for r in conn.execute(current):
        if (r.partner_code, r.month) not in locked:
            conn.execute(states.insert().values(
                partner_code=r.partner_code, month=r.month, state='submitted',
                changed_by=r.uploaded_by, changed_at=r.uploaded_at, upload_id=r.id))


def upgrade() -> None:
    _create()
    _backfill()
    op.drop_table('month_locks')


def downgrade() -> None:
    op.create_table('month_locks',
    sa.Column('partner_code', sa.String(length=16), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('approved_by', sa.String(length=100), nullable=False),
    sa.Column('approved_at', sa.DateTime(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['partner_code'], ['partners.code'], name=op.f('fk_month_locks_partner_code_partners')),
    sa.ForeignKeyConstraint(['upload_id'], ['uploads.id'], name=op.f('fk_month_locks_upload_id_uploads')),
    sa.PrimaryKeyConstraint('partner_code', 'month', name=op.f('pk_month_locks')),
    comment='One row per approved (locked) partner-month; reopening deletes it (audit keeps it).'
    )
    op.execute(
        "INSERT INTO month_locks (partner_code, month, approved_by, approved_at, upload_id) "
        "SELECT partner_code, month, approved_by, approved_at, upload_id FROM month_states "
        "WHERE state IN ('approved', 'proof') AND approved_by IS NOT NULL"
    )
    op.drop_index('ix_month_comments_partner_month', table_name='month_comments')
    op.drop_table('month_comments')
    op.drop_index(op.f('ix_month_states_state'), table_name='month_states')
    op.drop_table('month_states')
