"""One ingest measurement in its own process (so its peak RSS is its own).

``python -m bench.ingest_run SPEC.json`` reads a spec ``{"mode": "real"|"naive",
"database_url", "config", "data_dir", "files": [[path, name, received_at ISO], ...]}`` and
prints one JSON object: rows, files, seconds per phase, statuses and peak RSS (MB).

- ``real``: every file through :func:`etl.intake.ingest.ingest_bytes`, the one upload path; the
  phases are timed by wrapping the functions it calls: read (``read_workbook``), validate
  (``validate_workbook`` + cross-month ``load_history``/``check_against_history``), load (the
  rest: archive, lock, fact inserts, pre-aggregate, audit, commit).
- ``naive``: the baseline: ``pandas.read_excel(engine="openpyxl")`` for every sheet, then one
  ``INSERT`` per row (a company looked up, and inserted when new, per participant row), in one
  transaction per file, into the same schema. No validation at all. With ``"fraction" < 1``
  only the first part of every sheet is inserted and the insert time is scaled to all rows
  (row-by-row inserts cost the same per row; it keeps the benchmark under 15 minutes).
"""

from __future__ import annotations

import io
import json
import math
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from bench.memory import peak_rss_mb


class Timer:
    def __init__(self):
        self.seconds: dict[str, float] = {}

    def wrap(self, phase: str, fn):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[phase] = self.seconds.get(phase, 0.0) + time.perf_counter() - start

        return timed


def run_real(spec: dict) -> dict:
    import etl.intake.ingest as ingest
    from etl.core.config import load_config
    from etl.core.settings import settings_from_env
    from etl.warehouse import db

    settings = settings_from_env({"DATA_DIR": spec["data_dir"],
                                  "DATABASE_URL": spec["database_url"]})
    config = load_config(Path(spec["config"]))
    engine = db.make_engine(spec["database_url"])
    timer = Timer()
    ingest.read_workbook = timer.wrap("read", ingest.read_workbook)
    ingest.validate_workbook = timer.wrap("validate", ingest.validate_workbook)
    ingest.load_history = timer.wrap("validate", ingest.load_history)
    ingest.check_against_history = timer.wrap("validate", ingest.check_against_history)
    ingest.write_facts = timer.wrap("facts", ingest.write_facts)
    files = [(Path(p).read_bytes(), name, datetime.fromisoformat(at))
             for p, name, at in spec["files"]]
    statuses: dict[str, int] = {}
    per_file = []
    uploads = []
    for data, name, at in files:
        t0 = time.perf_counter()
        result = ingest.ingest_bytes(data, name, engine=engine, config=config,
                                     settings=settings, user="bench", received_at=at)
        per_file.append(time.perf_counter() - t0)
        statuses[result.status] = statuses.get(result.status, 0) + 1
        if result.errors:
            print(json.dumps({"errors": [e.as_dict() for e in result.errors[:5]]}),
                  file=sys.stderr)
        uploads.append(result.upload_id)
    total = sum(per_file)
    rows = sum(_rows_of(engine, upload_id) for upload_id in uploads)  # not timed
    read = timer.seconds.get("read", 0.0)
    validate = timer.seconds.get("validate", 0.0)
    engine.dispose()
    return {
        "mode": "real",
        "files": len(files),
        "rows": rows,
        "total": total,
        "read": read,
        "validate": validate,
        "load": total - read - validate,
        "facts": timer.seconds.get("facts", 0.0),
        "per_file_median": sorted(per_file)[len(per_file) // 2],
        "statuses": statuses,
        "peak_rss_mb": peak_rss_mb(),
    }


def _rows_of(engine, upload_id) -> int:
    from sqlalchemy import select

    from etl.warehouse import schema as s

    if upload_id is None:
        return 0
    u = s.uploads.c
    with engine.connect() as conn:
        row = conn.execute(
            select(u.n_events, u.n_coachings, u.n_participants, u.n_personnel,
                   u.n_expenditure).where(u.id == upload_id)
        ).one()
    return sum(row)


# --- the naive baseline ----------------------------------------------------------------------


def _none(v):
    import pandas as pd

    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v


def _day(v) -> date | None:
    v = _none(v)
    if v is None:
        return None
    if hasattr(v, "to_pydatetime"):
        return v.to_pydatetime().date()
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    d, m, y = str(v).split(".")
    return date(int(y), int(m), int(d))


def _num(v) -> Decimal | None:
    v = _none(v)
    if v is None:
        return None
    if isinstance(v, str):
        v = v.replace("€", "").replace(" ", "").replace(".", "").replace(",", ".")
    return Decimal(str(v))


def _int(v):
    v = _num(v)
    return None if v is None else int(v)


def _str(v, n=None):
    v = _none(v)
    return None if v is None else str(v)[: n or 500]


def run_naive(spec: dict) -> dict:
    import hashlib

    import pandas as pd
    from sqlalchemy import select

    from etl.core.config import load_config
    from etl.warehouse import db
    from etl.warehouse import schema as s

    config = load_config(Path(spec["config"]))
    codes = {k.casefold(): p.code for p in config.partners for k in (p.code, p.name)}
    engine = db.make_engine(spec["database_url"])
    read = load = 0.0
    rows = 0
    files = [(Path(p).read_bytes(), name, datetime.fromisoformat(at))
             for p, name, at in spec["files"]]
    fraction = float(spec.get("fraction", 1.0))
    all_rows = 0
    for data, name, at in files:
        t0 = time.perf_counter()
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, engine="openpyxl")
        t1 = time.perf_counter()
        for key, frame in list(sheets.items()):
            if key != "Meta":
                all_rows += len(frame)
                sheets[key] = frame.head(math.ceil(len(frame) * fraction))
        meta = dict(zip(sheets["Meta"]["Feld"], sheets["Meta"]["Wert"], strict=True))
        partner = codes[str(meta["Partner"]).strip().casefold()]
        month = date.fromisoformat(str(meta["Berichtsmonat"])[:7] + "-01")
        with engine.begin() as conn:
            upload_id = conn.execute(
                s.uploads.insert().values(
                    partner_code=partner, month=month, status="accepted",
                    sha256=hashlib.sha256(data).hexdigest(), file_name=name, archive_path="",
                    uploaded_by="naive", uploaded_at=at,
                )
            ).inserted_primary_key[0]
            base = {"upload_id": upload_id, "partner_code": partner, "month": month}
            for i, r in enumerate(sheets["Veranstaltungen"].itertuples(index=False), start=2):
                conn.execute(s.events.insert().values(
                    **base, source_row=i, event_id=_str(r[0]), event_date=_day(r[1]),
                    title=_str(r[2]), module=_str(r[3]), format=_str(r[4]),
                    n_participants=_int(r[5]), n_women=_int(r[6])))
                rows += 1
            for i, r in enumerate(sheets["Coachings"].itertuples(index=False), start=2):
                conn.execute(s.coachings.insert().values(
                    **base, source_row=i, coaching_id=_str(r[0]), coaching_date=_day(r[1]),
                    company_name=_str(r[2]), module=_str(r[3]), hours=_num(r[4]),
                    topic=_str(r[5])))
                rows += 1
            c = s.companies.c
            for i, r in enumerate(sheets["Teilnehmende"].itertuples(index=False), start=2):
                name_, plz = _str(r[1]), f"{int(_num(r[2])):05d}"
                key = name_.casefold()
                found = conn.execute(
                    select(c.id).where(c.name_key == key, c.plz == plz)).scalar()
                if found is None:
                    found = conn.execute(s.companies.insert().values(
                        name_key=key, plz=plz, display_name=name_, size_class=_str(r[3], 16)
                    )).inserted_primary_key[0]
                conn.execute(s.participations.insert().values(
                    **base, source_row=i, activity_id=_str(r[0]), company_id=found,
                    company_name=name_, plz=plz, size_class=_str(r[3], 16), n_persons=_int(r[4])))
                rows += 1
            for i, r in enumerate(sheets["Personal"].itertuples(index=False), start=2):
                conn.execute(s.personnel.insert().values(
                    **base, source_row=i, staff_code=_str(r[0]), pay_group=_int(r[1]),
                    billing=_str(r[2]), quantity=_num(r[3]), module=_str(r[4]),
                    amount_cents=0))
                rows += 1
            for i, r in enumerate(sheets["Ausgaben"].itertuples(index=False), start=2):
                conn.execute(s.expenditure.insert().values(
                    **base, source_row=i, receipt_no=_str(r[0]), booking_date=_day(r[1]),
                    cost_category=_str(r[2]), amount_cents=int(_num(r[3]) * 100),
                    module=_str(r[4]), description=_str(r[5])))
                rows += 1
        t2 = time.perf_counter()
        read += t1 - t0
        load += t2 - t1
    engine.dispose()
    load = load * all_rows / max(rows, 1)  # inserted a fraction: per-row cost x all rows
    return {
        "mode": "naive",
        "files": len(files),
        "rows": all_rows,
        "inserted": rows,
        "total": read + load,
        "read": read,
        "validate": 0.0,
        "load": load,
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> None:
    spec = json.loads(Path((argv or sys.argv[1:])[0]).read_text())
    out = run_real(spec) if spec["mode"] == "real" else run_naive(spec)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
