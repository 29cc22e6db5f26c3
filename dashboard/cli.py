"""Command line of the dashboard side: ``python -m dashboard export /finanzen --query ...``.

A page export reuses the page's own calculations (what the page shows), so it lives here and
not in ``etl``, which never imports the dashboard.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from etl.warehouse import db


def cmd_export(args) -> int:
    from dashboard.exports import PageExportError, export_page, page_file_name
    from dashboard.exports.source import direct_source

    _settings, config, engine = db.open_configured(args.db)
    source = direct_source(engine, config, args.user, date.today())
    try:
        data = export_page(args.page, args.query or "", source=source)
    except PageExportError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    target = Path(args.output or page_file_name(args.page, date.today()))
    target.write_bytes(data)
    print(f"Export der Seite {args.page} geschrieben: {target}")
    return 0


def cmd_pack(args) -> int:
    """The Steuerungspaket through the app's own download route, served in this process and
    called with a session of the account ``--user`` (its rights, its partner scope)."""
    from dashboard import auth, create_app, pack
    from etl.workflow import users

    if args.db:
        os.environ["DATABASE_URL"] = args.db  # the app reads its warehouse from the settings
    _settings, _config, engine = db.open_configured(args.db)
    account = users.get_user(engine, args.user)
    if account is None or not account.is_active:
        print(f"Das Steuerungspaket wird mit den Rechten eines Kontos gedruckt; '{args.user}' "
              "ist kein aktives Konto. Bitte mit --user NAME ein Konto nennen.", file=sys.stderr)
        return 2
    if pack.chromium() is None:
        print(pack.MISSING, file=sys.stderr)
        return 2
    app = create_app()
    cookies = auth.service_session(app.server, account)
    query = ("?" + args.query.lstrip("?")) if args.query else ""
    with _serving(app.server) as base:
        os.environ["PACK_BASE_URL"] = base  # the route prints from this process's server
        request = urllib.request.Request(
            base + "/download/steuerung" + query,
            headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
        )
        try:
            with urllib.request.urlopen(request, timeout=900) as resp:
                body = resp.read()
        except urllib.error.HTTPError as exc:
            print(exc.read().decode("utf-8", "replace"), file=sys.stderr)
            return 2
    target = Path(args.output or "Steuerungspaket.pdf")
    target.write_bytes(body)
    print(f"Steuerungspaket geschrieben: {target}")
    return 0


@contextmanager
def _serving(server):
    """``server`` answering on a free local port (threads: Chromium calls back into it)."""
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    httpd = make_server("127.0.0.1", 0, server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard", description="Fördercockpit: exports of the dashboard's pages."
    )
    parser.add_argument("--db", help="database URL (overrides DATABASE_URL)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("export", help="a page's figures as an Excel workbook")
    p.add_argument("page", help="page path, e.g. /finanzen")
    p.add_argument("--query", help="filters as in the address, e.g. partner=DO&jahr=2025")
    p.add_argument("-o", "--output", help="file to write")
    p.add_argument("--user", default="cli", help="named on the cover sheet")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("pack", help="the Steuerungspaket (PDF; needs Chromium)")
    p.add_argument("--query", help="filters as in the address, e.g. partner=DO&jahr=2025")
    p.add_argument("-o", "--output", help="file to write (default: Steuerungspaket.pdf)")
    p.add_argument("--user", required=True, help="account whose rights and scope apply")
    p.set_defaults(func=cmd_pack)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
