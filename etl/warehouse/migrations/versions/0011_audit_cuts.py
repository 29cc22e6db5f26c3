"""audit cuts: the amounts a funding body's check accepted per receipt or staff row

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-04 15:40:00

One row per cut (Kürzung): partner, reporting month, sheet (Ausgaben or Personal) and the
row's stable identity (receipt number or staff code), the accepted amount in cents, the
reason and the date of the check. Keyed by the row's identity, not by a fact row id, so a
cut survives a re-upload of the month.
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0008'
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


def downgrade() -> None:
    op.drop_table('audit_cuts')
