"""Plan workbooks for tests: the downloaded plan, edited with openpyxl like finance would."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime

from openpyxl import Workbook, load_workbook

from etl.documents.plan_workbook import plan_workbook_bytes
from etl.workflow import plan
from etl.workflow.plan.upload import upload_plan

CATEGORY_COLUMNS = {"personnel": 3, "overheads": 4, "material": 5}


def downloaded(engine, config) -> Workbook:
    """The current plan workbook as finance downloads it, opened for editing."""
    data = plan_workbook_bytes(config, plan.current_plan(engine, config))
    return load_workbook(io.BytesIO(data))


def budget_row(wb: Workbook, partner: str, year: int) -> int:
    ws = wb["Budget"]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == partner and ws.cell(r, 2).value == year:
            return r
    raise KeyError((partner, year))


def move(wb: Workbook, source: tuple, target: tuple, euros: float) -> None:
    """Move ``euros`` from budget line (partner, year, category) ``source`` to ``target``."""
    ws = wb["Budget"]
    for (partner, year, category), sign in ((source, -1), (target, 1)):
        cell = ws.cell(budget_row(wb, partner, year), CATEGORY_COLUMNS[category])
        cell.value = round(cell.value + sign * euros, 2)


def parameter_row(wb: Workbook, label: str) -> int:
    ws = wb["Parameter"]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == label)


def set_parameter(wb: Workbook, label: str, value: object) -> None:
    wb["Parameter"].cell(parameter_row(wb, label), 2).value = value


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(engine, config, settings, wb_or_bytes, *, reason: str | None = "Umschichtung Test",
           user: str = "finanzen", edit: Callable[[Workbook], None] | None = None):
    """Upload a plan workbook (edited by ``edit`` first) as ``user``."""
    if edit is not None:
        edit(wb_or_bytes)
    data = wb_or_bytes if isinstance(wb_or_bytes, bytes) else to_bytes(wb_or_bytes)
    return upload_plan(data, "Finanzplan.xlsx", engine=engine, config=config, settings=settings,
                       user=user, reason=reason, at=datetime(2025, 6, 20, 10, 0))
