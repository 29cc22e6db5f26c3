"""fact_reach.size_class: each partner's figures use the SME class it reported itself

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 14:05:00

The SME class was read from ``companies.size_class``, the class of whichever upload came
last, so one partner reporting a company as "Groß" changed another partner's SME share,
even in its approved months. Each group of ``fact_reach`` (partner x module x year x
company) now carries the class of its latest report (latest activity date, then newer
upload, then later sheet row) and which report that is, so that a partner's figures use its
own reports and network-wide counts can pick the latest report across partners. The table
is emptied, widened and filled again from the participations; ``companies.size_class`` is
no longer updated by later reports (nothing reads it for figures); the fill is self-contained
(the schema as of this revision), so later changes to the application's queries cannot
break it.
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

COMPANY_CLASS = "SME class of the first report; figures use participations.size_class"
COLUMNS = ["partner_code", "module", "year", "company_id", "activity_date", "n_persons",
           "size_class", "class_date", "class_upload_id", "class_row"]


def _reached(uploads, act, id_col: str, date_col: str, p):
    current = sa.select(uploads.c.id).where(uploads.c.status == "accepted")
    return (
        sa.select(p.c.partner_code, act.c.module, act.c[date_col].label("activity_date"),
                  p.c.company_id, p.c.n_persons, p.c.size_class, p.c.upload_id,
                  p.c.source_row)
        .join(act, (act.c.partner_code == p.c.partner_code) & (act.c[id_col] == p.c.activity_id))
        .where(act.c.upload_id.in_(current), p.c.upload_id.in_(current))
    )


def _fill() -> None:
    uploads = sa.table("uploads", sa.column("id"), sa.column("status"))
    ev = sa.table("events", sa.column("upload_id"), sa.column("partner_code"),
                  sa.column("event_id"), sa.column("module"), sa.column("event_date"))
    co = sa.table("coachings", sa.column("upload_id"), sa.column("partner_code"),
                  sa.column("coaching_id"), sa.column("module"), sa.column("coaching_date"))
    p = sa.table("participations", *(sa.column(c) for c in (
        "upload_id", "partner_code", "activity_id", "company_id", "n_persons", "size_class",
        "source_row")))
    both = sa.union_all(_reached(uploads, ev, "event_id", "event_date", p),
                        _reached(uploads, co, "coaching_id", "coaching_date", p)).subquery()
    year = sa.cast(sa.func.extract("year", both.c.activity_date), sa.Integer)
    group = [both.c.partner_code, both.c.module, year, both.c.company_id]
    rank = sa.func.row_number().over(partition_by=group, order_by=[
        both.c.activity_date.desc(), both.c.upload_id.desc(), both.c.source_row.desc()])
    r = sa.select(*both.c, year.label("year"), rank.label("rank")).subquery()

    def latest(col):
        return sa.func.max(sa.case((r.c.rank == 1, col)))

    rows = sa.select(
        r.c.partner_code, r.c.module, r.c.year, r.c.company_id, sa.func.min(r.c.activity_date),
        sa.func.sum(r.c.n_persons), latest(r.c.size_class), latest(r.c.activity_date),
        latest(r.c.upload_id), latest(r.c.source_row),
    ).group_by(r.c.partner_code, r.c.module, r.c.year, r.c.company_id)
    reach = sa.table("fact_reach", *(sa.column(c) for c in COLUMNS))
    op.execute(reach.insert().from_select(COLUMNS, rows))


def upgrade() -> None:
    op.execute(sa.text("DELETE FROM fact_reach"))
    # recreate on SQLite: its ALTER TABLE cannot add a NOT NULL column without a default
    recreate = 'always' if op.get_bind().dialect.name == 'sqlite' else 'auto'
    with op.batch_alter_table('fact_reach', schema=None, recreate=recreate) as batch_op:
        batch_op.add_column(sa.Column(
            'size_class', sa.String(length=16), nullable=False,
            comment="SME class of the latest report in this group (the partner's own)"))
        batch_op.add_column(sa.Column('class_date', sa.Date(), nullable=False,
                                      comment='activity date of that report'))
        batch_op.add_column(sa.Column('class_upload_id', sa.Integer(), nullable=False,
                                      comment='upload of that report'))
        batch_op.add_column(sa.Column('class_row', sa.Integer(), nullable=False,
                                      comment='sheet row of that report'))
    _fill()
    if op.get_bind().dialect.name != 'sqlite':  # SQLite keeps no column comments
        op.alter_column('companies', 'size_class', existing_type=sa.String(length=16),
                        existing_nullable=False, existing_comment='latest reported SME class',
                        comment=COMPANY_CLASS)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        op.alter_column('companies', 'size_class', existing_type=sa.String(length=16),
                        existing_nullable=False, existing_comment=COMPANY_CLASS,
                        comment='latest reported SME class')
    with op.batch_alter_table('fact_reach', schema=None) as batch_op:
        for name in ('class_row', 'class_upload_id', 'class_date', 'size_class'):
            batch_op.drop_column(name)
