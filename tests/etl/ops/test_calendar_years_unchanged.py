"""The first network counts calendar years (no ``year_start_month``): project years must not
change one figure of it. Its demo report is byte-identical to the one before project years
existed (the hash was taken with the code of that time)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from etl.core.settings import REPO_ROOT

# sha256 of `python -m etl report --json --stand 2026-10` after `python -m etl demo --until
# 2026-10`, first network, SQLite; taken before project years were added
REPORT_SHA256 = "79fcfc84a99abcd9e4a3d53ef9a7936fcbafcd26d72c2d88b6bf26686ae4cdd4"


def test_demo_report_of_the_first_network_is_unchanged(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NETWORK_CONFIG")}
    env.update(DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO_ROOT))

    def etl(*args: str) -> bytes:
        out = subprocess.run([sys.executable, "-m", "etl", *args], cwd=REPO_ROOT, env=env,
                             capture_output=True, timeout=900, check=False)
        assert out.returncode == 0, out.stderr.decode()
        return out.stdout

    etl("demo", "--until", "2026-10")
    report = etl("report", "--json", "--stand", "2026-10")
    assert b'"year_start_month"' not in report
    assert hashlib.sha256(report).hexdigest() == REPORT_SHA256
