"""Hand-made frames shaped like the query results (see etl.warehouse.queries)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio


def facts(rows: list[tuple]) -> pd.DataFrame:
    """Rows (partner, 'YYYY-MM', module, measure, value) as
    etl.warehouse.queries.monthly_facts returns them."""
    frame = pd.DataFrame(rows, columns=["partner_code", "month", "module", "measure", "value"])
    frame["value"] = [Decimal(str(v)) for v in frame["value"]]
    frame["month"] = pd.to_datetime(frame["month"] + "-01")
    frame["year"] = frame["month"].dt.year
    return frame


def reach(rows: list[tuple]) -> pd.DataFrame:
    """Rows (partner, module, 'YYYY-MM-DD', company_id, size_class) like company_reach."""
    frame = pd.DataFrame(rows, columns=["partner_code", "module", "activity_date", "company_id",
                                        "size_class"])
    frame["activity_date"] = [date.fromisoformat(d) for d in frame["activity_date"]]
    frame["kind"] = "event"
    frame["n_persons"] = 1
    frame["year"] = [d.year for d in frame["activity_date"]]
    return frame


def same_figure(fig: go.Figure, plain: dict) -> bool:
    """A builder's ``plain=True`` dict is a valid figure (validated strictly) that serialises
    exactly like the ``go.Figure`` it builds otherwise."""
    validated = go.Figure(plain, skip_invalid=False)
    return json.loads(pio.to_json(validated)) == json.loads(pio.to_json(fig))
