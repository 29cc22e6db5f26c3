"""``python -m etl notify``: send the e-mail notifications that are due (from cron or a
systemd timer; see README)."""

from __future__ import annotations

import sys
from datetime import date, datetime, time

from etl.cli.common import context

OFF = (
    "E-Mail-Benachrichtigungen sind ausgeschaltet: SMTP_URL und MAIL_FROM sind nicht "
    "(beide) gesetzt. Es wurde nichts versendet."
)


def _now(args) -> datetime:
    if args.today:
        return datetime.combine(date.fromisoformat(args.today), time(7, 0))
    return datetime.now().replace(microsecond=0)


def _print_mail(msg) -> None:
    from etl.workflow.notify.mail import body_of

    print(f"An: {msg['To']}\nBetreff: {msg['Subject']}\n")
    print(body_of(msg).rstrip("\n"))
    print("-" * 72)


def cmd_notify(args) -> int:
    from etl.workflow.notify import mail, outbox

    settings, config, engine = context(args)
    if not settings.mail_enabled and not args.dry_run:
        print(OFF)
        return 0
    try:
        summary = outbox.run(engine, config, settings, now=_now(args), dry_run=args.dry_run)
    except mail.MailConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.dry_run:
        if not settings.mail_enabled:
            print(OFF.replace("Es wurde nichts versendet.", "Probelauf:") + "\n")
        for msg in summary.mails:
            _print_mail(msg)
        print(
            f"Probelauf: {summary.events} Ereignisse, {summary.queued} neue Meldungen, "
            f"{len(summary.mails)} E-Mails würden versendet. Nichts gespeichert."
        )
        return 0
    print(
        f"{summary.events} Ereignisse, {summary.queued} neue Meldungen, "
        f"{summary.sent} E-Mails versendet, {summary.skipped} Meldungen abbestellt."
    )
    if summary.failed:
        print(
            f"{summary.failed} E-Mails fehlgeschlagen; sie werden beim nächsten Lauf "
            "wiederholt (Grund im Ausgang, notification_outbox.last_error).",
            file=sys.stderr,
        )
    return 1 if summary.failed else 0


def register(sub) -> None:
    p = sub.add_parser("notify", help="send due e-mail notifications (cron / systemd timer)")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print the mails that would be sent; store and send nothing",
    )
    p.add_argument("--today", help="run as of this day (YYYY-MM-DD, 07:00), for tests")
    p.set_defaults(func=cmd_notify)
