"""Entry point: ``python app.py`` runs the dashboard; gunicorn serves ``app:server``."""

from __future__ import annotations

import os

from dashboard import create_app

app = create_app()
server = app.server


def _prepare_warehouse() -> None:
    """Migrate the warehouse and, when it holds no upload yet, load the demo data."""
    from etl.core.config import get_config
    from etl.core.settings import get_settings
    from etl.ops.demo import create_demo_accounts, run_demo
    from etl.warehouse import db

    settings = get_settings()
    config = get_config(settings.config_path)
    engine = db.get_engine(settings.database_url)
    db.prepare(engine, config)
    if db.is_empty(engine) and os.environ.get("SEED_DEMO", "1") != "0":
        print("Warehouse is empty: loading demo data (takes a few seconds) ...", flush=True)
        results = run_demo(engine, config, settings)
        print(f"Demo data loaded: {len(results)} workbooks.", flush=True)
        for username, role, password in create_demo_accounts(engine):
            print(f"Demo account: {username} / {password} ({role})", flush=True)


if __name__ == "__main__":
    _prepare_warehouse()
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")),
            debug=False)
