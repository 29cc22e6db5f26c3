"""users.session_generation: server-side revocation of signed session cookies

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 13:30:00

A Flask session is a signed cookie: clearing it on logout does not stop a copy of it from
working. Each session now records the account's generation at login and is accepted only
while the account still has it; logout, a password reset, disabling/enabling and a role
change add one, which ends every session of that account at once.
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False,
                                      server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
