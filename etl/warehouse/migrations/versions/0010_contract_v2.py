"""Contract version 2: payment date, payee and purpose of receipts; company identifiers

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 15:45:00

``expenditure`` gains ``payment_date``, ``payee`` and ``purpose`` (sheet Ausgaben, all
optional); ``participations`` keeps the ``Unternehmenskennung`` as reported. ``companies``
gains ``identifier`` (canonical register number with court, or USt-IdNr.; '' when none were
reported): it is unique where given, and (name key, PLZ) is unique only together with it, so
two companies of the same name and postal code but different identifiers stay apart.
Existing companies get '' and keep their ids, so no figure changes. (On SQLite ``companies``
is rebuilt; ``etl.warehouse.db.upgrade`` runs migrations with foreign keys off and checks them
before COMMIT.)
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

IDENTIFIER_COMMENT = "register number with court or USt-IdNr. (canonical); '' when none"
TABLE_COMMENT = "One row per distinct company across partners: identifier, else name x PLZ."
OLD_TABLE_COMMENT = "One row per distinct company (normalised name x postal code), across partners."
WHERE = sa.text("identifier <> ''")


def upgrade() -> None:
    with op.batch_alter_table('expenditure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payment_date', sa.Date(), nullable=True,
                                      comment='Zahlungsdatum (version 2)'))
        batch_op.add_column(sa.Column('payee', sa.String(length=200), nullable=True,
                                      comment='Zahlungsempfänger (version 2)'))
        batch_op.add_column(sa.Column('purpose', sa.String(length=500), nullable=True,
                                      comment='Verwendungszweck (version 2)'))
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('company_identifier', sa.String(length=80), nullable=True,
                                      comment='as reported (version 2)'))
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identifier', sa.String(length=80), nullable=False,
                                      server_default='', comment=IDENTIFIER_COMMENT))
        batch_op.drop_constraint('uq_companies_name_key_plz', type_='unique')
        batch_op.create_unique_constraint(
            'uq_companies_name_key_plz_identifier', ['name_key', 'plz', 'identifier'])
    op.create_index('uq_companies_identifier', 'companies', ['identifier'], unique=True,
                    sqlite_where=WHERE, postgresql_where=WHERE)
    if op.get_bind().dialect.name != 'sqlite':
        op.create_table_comment('companies', TABLE_COMMENT, existing_comment=OLD_TABLE_COMMENT)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        op.create_table_comment('companies', OLD_TABLE_COMMENT, existing_comment=TABLE_COMMENT)
    op.drop_index('uq_companies_identifier', table_name='companies')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_constraint('uq_companies_name_key_plz_identifier', type_='unique')
        batch_op.create_unique_constraint('uq_companies_name_key_plz', ['name_key', 'plz'])
        batch_op.drop_column('identifier')
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.drop_column('company_identifier')
    with op.batch_alter_table('expenditure', schema=None) as batch_op:
        for name in ('purpose', 'payee', 'payment_date'):
            batch_op.drop_column(name)
