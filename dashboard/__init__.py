"""The Dash app: pages, callbacks, figures. Reads the warehouse only through
etl.warehouse.queries (via dashboard.data)."""

from __future__ import annotations

import dash

from etl.core.settings import REPO_ROOT


def create_app() -> dash.Dash:
    """Build the Dash app with every page under ``dashboard/pages`` and the query cache.

    Styles (Bootstrap "Flatly", served from ``assets/``) and scripts come from the app itself,
    so it works without internet access.
    """
    from dashboard import auth, data, downloads, errors, shell

    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder="pages",
        assets_folder=str(REPO_ROOT / "assets"),
        # login.css styles the server-rendered login form only; keep it out of the pages.
        assets_ignore=r"login\.css",
        suppress_callback_exceptions=False,
        title="Fördercockpit",
        update_title=None,
    )
    data.init_cache(app.server)
    auth.install(app.server, app.csp_hashes)
    downloads.install(app.server)
    errors.install(app.server)
    for page in dash.page_registry.values():
        page["layout"] = auth.guarded(page)
    app.layout = shell.layout
    return app
