"""audit cuts and change requests: the funding body's check

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 15:40:00

One row per cut (Kürzung): partner, reporting month, sheet (Ausgaben or Personal) and the
row's stable identity (receipt number or staff code), the accepted amount in cents, the
reason and the date of the check. Keyed by the row's identity, not by a fact row id, so a
cut survives a re-upload of the month.

One row per change request (Änderungsantrag) for a plan reallocation that needs the funding
body's consent: the plan version it starts from, what and why, the date it was sent, the
decision and its date, and the plan version it became.
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'audit_cuts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('partner_code', sa.String(length=16), nullable=False),
        sa.Column('month', sa.Date(), nullable=False, comment='first day of the reporting month'),
        sa.Column('sheet', sa.String(length=16), nullable=False, comment="'Ausgaben' or 'Personal'"),
        sa.Column('row_key', sa.String(length=100), nullable=False,
                  comment='the row\'s stable identity: receipt number (Ausgaben) or staff code (Personal)'),
        sa.Column('accepted_cents', sa.BigInteger(), nullable=False,
                  comment='amount the funding body accepted'),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=False, comment="date of the funding body's check"),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=100), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['partner_code'], ['partners.code'],
                                name=op.f('fk_audit_cuts_partner_code_partners')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_cuts')),
        sa.UniqueConstraint('partner_code', 'month', 'sheet', 'row_key',
                            name=op.f('uq_audit_cuts_partner_code_month_sheet_row_key')),
        comment='One row per cut (Kürzung) of a funding body\'s check: a receipt or staff row of a '
        'partner-month and the amount accepted; keyed by the row\'s identity, so it survives '
        're-uploads of the month.',
    )


    op.create_table(
        'change_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('based_on', sa.Integer(), nullable=False,
                  comment='the plan version the reallocation starts from'),
        sa.Column('description', sa.Text(), nullable=False,
                  comment='what is to be reallocated, and why'),
        sa.Column('requested_on', sa.Date(), nullable=False,
                  comment='date sent to the funding body'),
        sa.Column('status', sa.String(length=12), nullable=False,
                  comment='requested, approved, rejected'),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.Column('decision_note', sa.Text(), nullable=False),
        sa.Column('plan_version_id', sa.Integer(), nullable=True,
                  comment='the plan version the approved request became'),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=100), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['based_on'], ['plan_versions.id'],
                                name=op.f('fk_change_requests_based_on_plan_versions')),
        sa.ForeignKeyConstraint(['plan_version_id'], ['plan_versions.id'],
                                name=op.f('fk_change_requests_plan_version_id_plan_versions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_change_requests')),
        comment="One row per change request (Änderungsantrag) for a plan reallocation that needs "
        "the funding body's consent: its date, the decision and its date, the plan version it "
        "became.",
    )


def downgrade() -> None:
    op.drop_table('change_requests')
    op.drop_table('audit_cuts')
