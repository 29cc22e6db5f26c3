"""Entry point: ``python app.py`` runs the dashboard; gunicorn serves ``app:server``."""

from __future__ import annotations

import os
import sys

from dashboard import create_app
from etl.core.config import ConfigError, get_config


def _check_config() -> None:
    """Refuse to start on an inconsistent network configuration, saying what is wrong."""
    try:
        get_config()
    except ConfigError as exc:
        lines = "\n".join(f"  - {problem}" for problem in str(exc).splitlines())
        sys.exit(f"Die Konfiguration ist fehlerhaft; das Cockpit startet nicht:\n{lines}\n"
                 "Prüfen mit: python -m etl config check")


_check_config()
app = create_app()
server = app.server


def _prepare_warehouse() -> None:
    """Migrate the warehouse and, when it holds no upload yet, load the demo data."""
    from etl.core.config import get_config
    from etl.core.settings import get_settings
    from etl.ops.demo import create_demo_accounts, run_cut_demo, run_demo, run_review_demo
    from etl.warehouse import db

    settings = get_settings()
    config = get_config(settings.config_path)
    engine = db.get_engine(settings.database_url)
    db.prepare(engine, config)
    if db.is_empty(engine) and os.environ.get("SEED_DEMO", "1") != "0":
        # Accounts first: should loading the demo fail half way, a restart still has them.
        for username, role, password in create_demo_accounts(engine, config):
            print(f"Demo account: {username} / {password} ({role})", flush=True)
        print("Warehouse is empty: loading demo data (takes a few seconds) ...", flush=True)
        results = run_demo(engine, config, settings)
        run_review_demo(engine, config)  # months in every review state, a few comments
        run_cut_demo(engine, config)  # a few cuts of the funding body's check
        print(f"Demo data loaded: {len(results)} workbooks.", flush=True)


if __name__ == "__main__":
    _prepare_warehouse()
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")),
            debug=False)
