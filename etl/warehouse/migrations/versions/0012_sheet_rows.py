"""sheet rows: the rows of configured activity sheets

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 18:50:00

One generic table for every configured activity sheet (``[[activity_sheets]]``, e.g.
consulting vouchers): upload, sheet row, partner-month, sheet key, record ID, date, module,
the matched company (nullable) and every value as JSON text. Kept per upload like the other
fact tables. Their measures live in ``fact_monthly`` (no change there).
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sheet_rows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('upload_id', sa.Integer(), nullable=False),
        sa.Column('source_row', sa.Integer(), nullable=False, comment='row number in the sheet'),
        sa.Column('partner_code', sa.String(length=16), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('sheet_key', sa.String(length=32), nullable=False,
                  comment='activity_sheets[].key'),
        sa.Column('record_id', sa.String(length=100), nullable=False,
                  comment="the sheet's id_column"),
        sa.Column('activity_date', sa.Date(), nullable=False, comment="the sheet's date_column"),
        sa.Column('module', sa.String(length=50), nullable=True,
                  comment='the module column, if any'),
        sa.Column('company_id', sa.Integer(), nullable=True,
                  comment='a known company of that name and PLZ (none: not matched)'),
        sa.Column('values_json', sa.Text(), nullable=False,
                  comment='every column: name -> value'),
        sa.ForeignKeyConstraint(['upload_id'], ['uploads.id'],
                                name=op.f('fk_sheet_rows_upload_id_uploads')),
        sa.ForeignKeyConstraint(['partner_code'], ['partners.code'],
                                name=op.f('fk_sheet_rows_partner_code_partners')),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'],
                                name=op.f('fk_sheet_rows_company_id_companies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sheet_rows')),
        comment='One row per row of a configured activity sheet per upload.',
    )
    op.create_index(op.f('ix_sheet_rows_upload_id'), 'sheet_rows', ['upload_id'], unique=False)
    op.create_index('ix_sheet_rows_partner_sheet_record', 'sheet_rows',
                    ['partner_code', 'sheet_key', 'record_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_sheet_rows_partner_sheet_record', table_name='sheet_rows')
    op.drop_index(op.f('ix_sheet_rows_upload_id'), table_name='sheet_rows')
    op.drop_table('sheet_rows')
