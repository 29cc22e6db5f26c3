"""Command line: ``python -m etl ingest|report|template|demo|user|rebuild|reconcile|plan|export|
migrate``."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from etl.core.config import get_config
from etl.core.normalise import CellError, parse_month
from etl.core.settings import Settings, get_settings
from etl.warehouse import db


def _context(args) -> tuple[Settings, object, object]:
    settings = get_settings()
    if args.db:
        settings = replace(settings, database_url=args.db)
    config = get_config(settings.config_path)
    engine = db.get_engine(settings.database_url)
    db.prepare(engine, config)
    return settings, config, engine


def _print_result(result) -> None:
    month = f"{result.month:%m/%Y}" if result.month else "?"
    labels = {
        "accepted": "angenommen",
        "replaced": "ersetzt die vorige Fassung",
        "unchanged": "unverändert (identische Datei)",
        "rejected": "abgelehnt",
    }
    print(f"{result.file}: {labels[result.status]} (Partner {result.partner or '?'}, {month})")
    for issue in result.errors:
        print(f"  Fehler  {issue}")
    for issue in result.notices:
        print(f"  Hinweis {issue}")


def _ingest_one(name: str, *, engine, config, settings, user: str):
    """Ingest one named file; a missing file or a storage failure becomes a German error."""
    from etl.core.errors import Issue
    from etl.intake.ingest import IngestResult, ingest_path

    path = Path(name)
    if not path.is_file():
        message = f"Die Datei '{name}' wurde nicht gefunden."
    else:
        try:
            return ingest_path(path, engine=engine, config=config, settings=settings, user=user)
        except Exception as exc:  # noqa: BLE001 - a German message, never a traceback
            message = (
                "Technischer Fehler beim Speichern; nichts wurde geändert. Bitte später "
                f"erneut versuchen ({type(exc).__name__})."
            )
    return IngestResult(file=name, status="rejected", errors=[Issue(None, None, None, message)])


def cmd_ingest(args) -> int:
    from etl.workflow.plan import current_config

    settings, config, engine = _context(args)
    config = current_config(engine, config)  # the plan's unit-cost table prices the staff rows
    results = []
    for name in args.files:
        result = _ingest_one(name, engine=engine, config=config, settings=settings, user=args.user)
        results.append(result)
        if not args.json:
            _print_result(result)
    if args.json:
        print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
    return 0 if all(r.ok for r in results) else 1


def cmd_report(args) -> int:
    from etl.documents.report import build_report, render_text

    _settings, config, engine = _context(args)
    rep = build_report(engine, config)
    print(json.dumps(rep, ensure_ascii=False, indent=2) if args.json else render_text(rep))
    return 0


def _month_arg(value: str) -> date:
    try:
        return parse_month(value)
    except CellError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_template(args) -> int:
    from etl.documents.template import write_template

    settings = get_settings()
    config = get_config(settings.config_path)
    if args.partner.upper() not in config.partner_codes:
        print(
            f"Unbekannter Partner '{args.partner}'. Bekannt: {', '.join(config.partner_codes)}",
            file=sys.stderr,
        )
        return 2
    write_template(Path(args.output), config, args.partner.upper(), args.month)
    print(f"Vorlage geschrieben: {args.output}")
    return 0


def cmd_demo(args) -> int:
    from etl.ops.demo import run_demo

    settings, config, engine = _context(args)
    results = run_demo(engine, config, settings, until=args.until)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    print(f"Demo: {len(results)} Arbeitsmappen verarbeitet ({summary}).")
    return 0


def _read_password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass

    first = getpass.getpass("Neues Passwort: ")
    if getpass.getpass("Passwort wiederholen: ") != first:
        raise SystemExit("Die Passwörter stimmen nicht überein.")
    return first


def cmd_user(args) -> int:
    from etl.workflow import users

    _settings, _config, engine = _context(args)
    try:
        if args.action == "add":
            user = users.create_user(
                engine, args.username, _read_password(args), args.role, args.partner, by="cli"
            )
            print(f"Benutzer '{user.username}' ({user.role}) angelegt.")
        elif args.action == "passwd":
            users.set_password(engine, args.username, _read_password(args), by="cli")
            print(f"Passwort von '{args.username}' geändert.")
        elif args.action in ("disable", "enable"):
            users.set_active(engine, args.username, args.action == "enable", by="cli")
            state = "aktiviert" if args.action == "enable" else "gesperrt"
            print(f"Benutzer '{args.username}' {state}.")
        else:
            for u in users.list_users(engine):
                state = "aktiv" if u.is_active else "gesperrt"
                print(f"{u.username:<30} {u.role:<9} {u.partner_code or '-':<4} {state}")
    except users.UserError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


def cmd_rebuild(args) -> int:
    from decimal import Decimal

    from etl.core.money import format_eur
    from etl.documents.report import build_report
    from etl.ops.rebuild import RebuildError, rebuild_from_archive

    settings, config, engine = _context(args)
    try:
        summary = rebuild_from_archive(engine, config, settings)
    except RebuildError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(summary.text())
    totals = build_report(engine, config)["eligible_total"]
    cents = {k: int(Decimal(v) * 100) for k, v in totals.items()}
    print(
        f"Förderfähig gesamt: {format_eur(cents.get('eligible_eur', 0))}; "
        f"Zuwendung gesamt: {format_eur(cents.get('grant_eur', 0))}"
    )
    return 0 if summary.ok else 1


def cmd_reconcile(args) -> int:
    from etl.ops.reconcile import reconcile

    settings, _config, engine = _context(args)
    summary = reconcile(engine, settings.archive_dir)
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(summary.text())
    return 0 if summary.ok else 1


def _print_plan_result(result) -> None:
    labels = {
        "accepted": f"angenommen als Version {result.version_id}",
        "unchanged": f"unverändert (entspricht Version {result.version_id})",
        "rejected": "abgelehnt, nichts geändert",
    }
    print(f"{result.file}: {labels[result.status]}")
    for issue in result.errors:
        print(f"  Fehler  {issue}")
    for issue in result.notices:
        print(f"  Hinweis {issue}")
    if result.diff is not None:
        for line in result.diff.consent_lines:
            print(f"  Zustimmung nötig: {line.partner} {line.year} {line.category}")


def cmd_plan(args) -> int:
    from etl.workflow import plan

    settings, config, engine = _context(args)
    if args.action == "versions":
        for v in reversed(plan.versions(engine, config)):
            print(f"{v.id:>3}  {v.created_at:%d.%m.%Y %H:%M}  {v.created_by:<20} {v.reason}")
        return 0
    if args.action == "download":
        return _plan_download(args, engine, config)
    return _plan_upload(args, engine, config, settings)


def _plan_download(args, engine, config) -> int:
    from etl.documents.plan_workbook import file_name, plan_workbook_bytes
    from etl.workflow import plan

    try:
        chosen = (
            plan.plan_as_of(engine, config, args.version)
            if args.version
            else plan.current_plan(engine, config)
        )
    except plan.PlanError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    target = Path(args.output or file_name(chosen, date.today()))
    target.write_bytes(plan_workbook_bytes(config, chosen))
    print(f"Finanzplan ({chosen.version.label}) geschrieben: {target}")
    return 0


def _plan_upload(args, engine, config, settings) -> int:
    from etl.workflow.plan.upload import upload_plan

    path = Path(args.file or "")
    if not path.is_file():
        print(f"Die Datei '{args.file}' wurde nicht gefunden.", file=sys.stderr)
        return 2
    result = upload_plan(
        path.read_bytes(),
        path.name,
        engine=engine,
        config=config,
        settings=settings,
        user=args.user,
        reason=args.reason,
    )
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_plan_result(result)
    return 0 if result.ok else 1


def cmd_export(args) -> int:
    _settings, config, engine = _context(args)
    if args.kind == "nachweis":
        return _export_proof(args, engine, config)
    return _export_page(args, engine, config)


def _export_proof(args, engine, config) -> int:
    from etl.documents.proof import file_name, proof_workbook, scope_of

    try:
        scope = scope_of(config, args.partner and args.partner.upper(), args.year)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    data = proof_workbook(engine, config, scope, exported_by=args.user, stand=_stand(engine))
    target = Path(args.output or file_name(scope))
    target.write_bytes(data)
    print(f"{scope.title} geschrieben: {target}")
    return 0


def _stand(engine) -> str:
    from etl.warehouse import queries

    uploads = queries.uploads(engine)
    accepted = uploads[uploads["status"] == "accepted"]
    if accepted.empty:
        return "keine Monatsberichte"
    return f"Monatsberichte bis {max(accepted['month']):%m/%Y}, Eingang bis " + (
        f"{max(accepted['uploaded_at']):%d.%m.%Y %H:%M}"
    )


def _export_page(args, engine, config) -> int:
    # The page exports reuse the dashboard's calculations (what the page shows); the CLI is
    # the one place in etl/ that may reach them, as the outermost entry point.
    from dashboard.exports import PageExportError, export_page, page_file_name
    from dashboard.exports.source import direct_source

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


def cmd_migrate(args) -> int:
    _context(args)
    print("Datenbank ist auf dem neuesten Stand.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    parser.add_argument("--db", help="database URL (overrides DATABASE_URL)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="check and load monthly workbooks, in the given order")
    p.add_argument("files", nargs="+")
    p.add_argument("--user", default="cli")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ingest)
    p = sub.add_parser("report", help="print the warehouse's figures")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("template", help="write a blank monthly workbook")
    p.add_argument("--partner", required=True)
    p.add_argument("--month", required=True, type=_month_arg, help="YYYY-MM")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_template)
    p = sub.add_parser("demo", help="generate and ingest demo workbooks for all partners")
    p.add_argument(
        "--until",
        type=_month_arg,
        default=None,
        help="last month to generate (default: the last complete month)",
    )
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("user", help="manage user accounts (add, passwd, disable, enable, list)")
    p.add_argument("action", choices=["add", "passwd", "disable", "enable", "list"])
    p.add_argument("username", nargs="?", default="")
    p.add_argument("--role", choices=["admin", "steering", "finance", "partner"])
    p.add_argument("--partner", help="partner code (role partner only)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=cmd_user)
    p = sub.add_parser("rebuild", help="rebuild an empty warehouse from the upload archive")
    p.set_defaults(func=cmd_rebuild)
    p = sub.add_parser(
        "reconcile",
        help="make the archive's outcome files agree with the upload history (after a crash)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reconcile)
    _add_plan_parser(sub)
    _add_export_parser(sub)
    p = sub.add_parser("migrate", help="create or upgrade the warehouse schema")
    p.set_defaults(func=cmd_migrate)
    return parser


def _add_plan_parser(sub) -> None:
    p = sub.add_parser("plan", help="finance plan: versions, download or upload the workbook")
    p.add_argument("action", choices=["versions", "download", "upload"])
    p.add_argument("file", nargs="?", help="upload: the edited plan workbook")
    p.add_argument("-o", "--output", help="download: file to write")
    p.add_argument("--version", type=int, help="download: this version instead of the current")
    p.add_argument("--reason", help="upload: why the plan changes (Begründung)")
    p.add_argument("--user", default="cli")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plan)


def _add_export_parser(sub) -> None:
    p = sub.add_parser("export", help="Excel exports: a page's figures or the proof of use")
    p.add_argument("kind", choices=["seite", "nachweis"])
    p.add_argument("page", nargs="?", default="/", help="seite: page path, e.g. /finanzen")
    p.add_argument("--query", help="seite: filters as in the address, e.g. partner=DO&jahr=2025")
    p.add_argument("--partner", help="nachweis: partner code (default: whole project)")
    p.add_argument("--year", type=int, help="nachweis: year (Zwischennachweis; default: all)")
    p.add_argument("-o", "--output", help="file to write")
    p.add_argument("--user", default="cli", help="named on the cover sheet")
    p.set_defaults(func=cmd_export)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)
