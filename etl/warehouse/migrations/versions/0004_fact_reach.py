"""fact_reach: companies reached per partner x module x year, kept in the load transaction

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 01:30:00

The dashboard counted reached companies by joining every current participation to its
activity on each cold load (15-30 s at a million fact rows). This table holds that join's
result; ``etl.warehouse.store.marts.refresh_reach`` rebuilds a partner's rows whenever one of its months is
loaded. The backfill below is self-contained (the schema as of this revision), so later
changes to the application's queries cannot break it.
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _backfill() -> None:
    uploads = sa.table("uploads", sa.column("id"), sa.column("status"))
    ev = sa.table("events", sa.column("upload_id"), sa.column("partner_code"),
                  sa.column("event_id"), sa.column("module"), sa.column("event_date"))
    co = sa.table("coachings", sa.column("upload_id"), sa.column("partner_code"),
                  sa.column("coaching_id"), sa.column("module"), sa.column("coaching_date"))
    p = sa.table("participations", sa.column("upload_id"), sa.column("partner_code"),
                 sa.column("activity_id"), sa.column("company_id"), sa.column("n_persons"))

    def current(t):
        return sa.select().select_from(t).join(uploads, uploads.c.id == t.c.upload_id).where(
            uploads.c.status == "accepted")

    acts = sa.union_all(
        current(ev).with_only_columns(ev.c.partner_code, ev.c.event_id.label("activity_id"),
                                      ev.c.module, ev.c.event_date.label("activity_date")),
        current(co).with_only_columns(co.c.partner_code, co.c.coaching_id, co.c.module,
                                      co.c.coaching_date),
    ).subquery()
    year = sa.cast(sa.func.extract("year", acts.c.activity_date), sa.Integer)
    rows = (
        current(p)
        .join(acts, (acts.c.partner_code == p.c.partner_code)
              & (acts.c.activity_id == p.c.activity_id))
        .with_only_columns(p.c.partner_code, acts.c.module, year, p.c.company_id,
                           sa.func.min(acts.c.activity_date), sa.func.sum(p.c.n_persons))
        .group_by(p.c.partner_code, acts.c.module, year, p.c.company_id)
    )
    reach = sa.table("fact_reach", *(sa.column(c) for c in (
        "partner_code", "module", "year", "company_id", "activity_date", "n_persons")))
    op.execute(reach.insert().from_select(
        ["partner_code", "module", "year", "company_id", "activity_date", "n_persons"], rows))


def upgrade() -> None:
    op.create_table('fact_reach',
    sa.Column('partner_code', sa.String(length=16), nullable=False),
    sa.Column('module', sa.String(length=50), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False, comment='year of the activity'),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('activity_date', sa.Date(), nullable=False, comment='first activity in this group'),
    sa.Column('n_persons', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_fact_reach_company_id_companies')),
    sa.ForeignKeyConstraint(['partner_code'], ['partners.code'], name=op.f('fk_fact_reach_partner_code_partners')),
    sa.PrimaryKeyConstraint('partner_code', 'module', 'year', 'company_id', name=op.f('pk_fact_reach')),
    comment='One row per partner x module x year x company reached by a current participation (the grain at which targets count companies); rebuilt for a partner in the transaction that loads one of its months.'
    )
    _backfill()


def downgrade() -> None:
    op.drop_table('fact_reach')
