"""``python -m etl plan``: finance plan versions, download and upload of the plan workbook."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from etl.cli.common import context, print_outcome


def _print_plan_result(result) -> None:
    labels = {
        "accepted": f"angenommen als Version {result.version_id}",
        "unchanged": f"unverändert (entspricht Version {result.version_id})",
        "rejected": "abgelehnt, nichts geändert",
    }
    print_outcome(result, labels[result.status])
    if result.diff is not None:
        for line in result.diff.consent_lines:
            print(f"  Zustimmung nötig: {line.partner} {line.year} {line.category}")


def cmd_plan(args) -> int:
    from etl.workflow import plan

    settings, config, engine = context(args)
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


def register(sub) -> None:
    p = sub.add_parser("plan", help="finance plan: versions, download or upload the workbook")
    p.add_argument("action", choices=["versions", "download", "upload"])
    p.add_argument("file", nargs="?", help="upload: the edited plan workbook")
    p.add_argument("-o", "--output", help="download: file to write")
    p.add_argument("--version", type=int, help="download: this version instead of the current")
    p.add_argument("--reason", help="upload: why the plan changes (Begründung)")
    p.add_argument("--user", default="cli")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plan)
