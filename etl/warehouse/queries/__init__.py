"""Read queries on the warehouse: the one place that knows its SQL.

Every function is keyword-only, reads current uploads only, and returns a DataFrame (or a
value) whose grain its docstring states. Money columns are integer cents (``*_cents``). The
CLI report and the dashboard both call these, so their figures agree.

One module per grain; callers import the package (``from etl.warehouse import queries``)
and use the names below, its API:

- :mod:`.facts`: monthly aggregates (``fact_monthly``, event counts, personnel by group)
- :mod:`.reach`: companies reached (participations, ``fact_reach``)
- :mod:`.rows`: one row per current source row, with the file and row it came from
- :mod:`.records`: the Daten grid (datasets narrowed, filtered, paged and summed in SQL)
- :mod:`.upload_log`: received files, month approval state, audit log
- :mod:`.finance`: finance plan versions and payment requests
- :mod:`.cuts`: cuts of the funding body's check, with the amounts claimed
- :mod:`.months`: the month review (state of each partner-month, comments)
- :mod:`.staff`: staff time per staff member and month (Stundennachweis)
- :mod:`.notify`: mail recipients, notification preferences, the outbox
- :mod:`.sheets`: configured activity sheets (``sheet_measures``, ``sheet_rows``)
"""

from etl.warehouse.queries.cuts import audit_cuts
from etl.warehouse.queries.facts import (
    ACTIVITY_MEASURES,
    activity_months,
    event_counts,
    money_months,
    monthly_facts,
    personnel_by_group,
)
from etl.warehouse.queries.finance import (
    change_requests,
    latest_plan_version_id,
    payment_requests,
    personnel_recorded,
    plan_content,
    plan_version,
    plan_versions,
)
from etl.warehouse.queries.months import month_comments, month_states
from etl.warehouse.queries.notify import (
    event_keys,
    last_digests,
    mail_recipients,
    notification_prefs,
    outbox_keys,
    outbox_rows,
    pending_mail,
)
from etl.warehouse.queries.reach import (
    REACH_CHUNK,
    activity_keys,
    code_reach,
    company_reach,
    company_reach_by_group,
    company_reach_coded,
    resolve_classes,
    size_class_conflicts,
    unique_companies,
)
from etl.warehouse.queries.records import (
    RECORD_DATASETS,
    RECORD_ORDER,
    record_chunks,
    record_count,
    record_page,
    record_query,
    record_select,
    record_totals,
)
from etl.warehouse.queries.rows import (
    coaching_rows,
    event_rows,
    expenditure_rows,
    participation_rows,
    personnel_rows,
    receipt_rows,
)
from etl.warehouse.queries.sheets import sheet_measures, sheet_rows
from etl.warehouse.queries.staff import staff_months
from etl.warehouse.queries.upload_log import (
    audit_rows,
    latest_loaded_upload,
    latest_upload_id,
    month_locks,
    month_status,
    uploads,
)

__all__ = [
    "ACTIVITY_MEASURES",
    "REACH_CHUNK",
    "RECORD_DATASETS",
    "RECORD_ORDER",
    "activity_keys",
    "audit_cuts",
    "change_requests",
    "activity_months",
    "audit_rows",
    "code_reach",
    "coaching_rows",
    "company_reach",
    "company_reach_by_group",
    "company_reach_coded",
    "resolve_classes",
    "size_class_conflicts",
    "sheet_measures",
    "sheet_rows",
    "staff_months",
    "event_counts",
    "event_keys",
    "event_rows",
    "expenditure_rows",
    "last_digests",
    "latest_loaded_upload",
    "latest_plan_version_id",
    "latest_upload_id",
    "mail_recipients",
    "money_months",
    "month_comments",
    "month_locks",
    "month_states",
    "month_status",
    "monthly_facts",
    "notification_prefs",
    "outbox_keys",
    "outbox_rows",
    "participation_rows",
    "pending_mail",
    "payment_requests",
    "personnel_by_group",
    "personnel_recorded",
    "personnel_rows",
    "receipt_rows",
    "plan_content",
    "plan_version",
    "plan_versions",
    "record_chunks",
    "record_count",
    "record_page",
    "record_query",
    "record_select",
    "record_totals",
    "unique_companies",
    "uploads",
]
