"""Every hostile file of the corpus is read and ingested in bounded memory and time.

One fresh process with a hard address-space limit (``RLIMIT_AS``, 1.5 GB) first reads each
file in-process (:func:`read_workbook_here`: the pre-scans must stop bombs before calamine
allocates, or the process dies), then ingests it through the real upload path (read in the
memory-limited child of :mod:`etl.intake.reader.worker`). A file that made calamine allocate
without bound would abort the process: the test sees a missing line and a non-zero exit.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

from etl.core.settings import REPO_ROOT
from etl.intake.reader.messages import _msg_too_many_cells
from tests.robustness.tally import count
from tests.robustness.test_hostile_inputs import CASES, HUGE, Refused

ADDRESS_SPACE_LIMIT = 1536 * 1024 * 1024
# Files no pre-scan bounds yet (read in-process they would abort the test's process): only
# ingested, where the reader child's memory budget refuses them.
CONTAINED = {"xls-value-in-IV65536"}
SECONDS_PER_FILE = 20

SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    from dataclasses import replace
    from datetime import datetime
    from pathlib import Path
    limit = int(sys.argv[4])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from etl.core.config import load_config
    from etl.core.errors import WorkbookRejected
    from etl.core.settings import settings_from_env
    from etl.intake.ingest import ingest_bytes
    from etl.intake.reader import read_workbook_here
    from etl.warehouse.db import make_engine
    from tests.robustness.test_hostile_inputs import CASES, HUGE
    url, data_dir, config_path = sys.argv[1:4]
    engine, config = make_engine(url), load_config(Path(config_path))
    base = replace(settings_from_env({"DATA_DIR": data_dir}), archive_quota_bytes=None)
    contained = set(sys.argv[5].split(","))  # only the child's budget stops these
    files = [(c.id, c.build, c.file_name, c.limits) for c in CASES]
    files += [(h[0], h[1], "gross.xlsx", {}) for h in HUGE]
    for n, (case_id, build, name, limits) in enumerate(files):
        data = build()
        settings = replace(base, **limits)
        start = time.perf_counter()
        try:
            if case_id in contained:
                raise WorkbookRejected("not read in-process")
            read_workbook_here(data, name, max_bytes=settings.max_upload_bytes,
                               max_unpacked_bytes=settings.max_unpacked_bytes)
            read = None
        except WorkbookRejected as exc:
            read = exc.message
        result = ingest_bytes(data, name, engine=engine, config=config, settings=settings,
                              received_at=datetime(2025, 6, 20, 9, 0, 0, n))
        print(json.dumps({"id": case_id, "read": read, "status": result.status,
                          "seconds": time.perf_counter() - start}), flush=True)
    """
)


def test_every_hostile_file_in_bounded_memory(tmp_path, sqlite_template):
    db_file = tmp_path / "w.db"
    shutil.copy(sqlite_template, db_file)
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, f"sqlite:///{db_file}", str(tmp_path / "data"),
         str(REPO_ROOT / "data" / "config.toml"), str(ADDRESS_SPACE_LIMIT), ",".join(CONTAINED)],
        capture_output=True, text=True, timeout=600, cwd=REPO_ROOT,
    )  # fmt: skip
    got = {line["id"]: line for line in map(json.loads, run.stdout.splitlines())}
    assert run.returncode == 0, (run.returncode, run.stderr[-3000:], list(got)[-1:])
    assert set(got) == {c.id for c in CASES} | {h[0] for h in HUGE}
    slow = {k: v["seconds"] for k, v in got.items() if v["seconds"] > SECONDS_PER_FILE}
    assert not slow, slow
    for case in CASES:
        count("hostile")
        if isinstance(case.expect, Refused) and case.id not in CONTAINED:
            # refused by the reader itself (its own message), not by the child's death
            assert got[case.id]["read"] == case.expect.message, (case.id, got[case.id])
            assert got[case.id]["status"] == "rejected", case.id
    assert all(got[c]["status"] == "rejected" for c in CONTAINED)
    bomb = got["ods-4000-rows-x-16384-repeated-cells"]
    assert bomb["read"] == _msg_too_many_cells("Tabelle1", 4_000, 16_384)
    print(f"{len(got)} files, slowest {max(v['seconds'] for v in got.values()):.1f} s")
