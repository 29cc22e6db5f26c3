"""``python -m etl demo|rebuild|check|reconcile|migrate``: operating the warehouse."""

from __future__ import annotations

import json
import sys

from etl.cli.common import context, month_arg


def cmd_demo(args) -> int:
    from etl.ops.demo import create_demo_accounts, run_cut_demo, run_demo, run_review_demo

    settings, config, engine = context(args)
    made = create_demo_accounts(engine, config) if args.accounts else []
    for username, role, password in made:
        print(f"Demo-Konto: {username} / {password} ({role}), E-Mail {username}@example.org")
    results = run_demo(engine, config, settings, until=args.until)
    run_review_demo(engine, config)
    run_cut_demo(engine, config)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    print(f"Demo: {len(results)} Arbeitsmappen verarbeitet ({summary}).")
    return 0


def cmd_rebuild(args) -> int:
    from decimal import Decimal

    from etl.core.money import format_eur
    from etl.documents.report import build_report
    from etl.ops.check import run_checks
    from etl.ops.rebuild import RebuildError, rebuild_from_archive

    settings, config, engine = context(args)
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
    checked = run_checks(engine, config)
    print(checked.text())
    return 0 if summary.ok and checked.ok else 1


def cmd_check(args) -> int:
    from etl.ops.check import run_checks

    _settings, config, engine = context(args)
    summary = run_checks(engine, config)
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(summary.text())
    return 0 if summary.ok else 1


def cmd_reconcile(args) -> int:
    from etl.ops.reconcile import reconcile

    settings, _config, engine = context(args)
    summary = reconcile(engine, settings.archive_dir)
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(summary.text())
    return 0 if summary.ok else 1


def cmd_migrate(args) -> int:
    context(args)
    print("Datenbank ist auf dem neuesten Stand.")
    return 0


def register(sub) -> None:
    p = sub.add_parser("demo", help="generate and ingest demo workbooks for all partners")
    p.add_argument(
        "--until",
        type=month_arg,
        default=None,
        help="last month to generate (default: the last complete month)",
    )
    p.add_argument(
        "--accounts",
        action="store_true",
        help="also create the demo accounts (with example.org addresses), as app.py does",
    )
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("rebuild", help="rebuild an empty warehouse from the upload archive")
    p.set_defaults(func=cmd_rebuild)
    p = sub.add_parser(
        "check", help="verify the warehouse's invariants (keys, links, pre-aggregates, money)"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser(
        "reconcile",
        help="make the archive's outcome files agree with the upload history (after a crash)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reconcile)
    p = sub.add_parser("migrate", help="create or upgrade the warehouse schema")
    p.set_defaults(func=cmd_migrate)
