"""``python -m etl user``: accounts."""

from __future__ import annotations

import sys

from etl.cli.common import context


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

    _settings, _config, engine = context(args)
    try:
        if args.action == "add":
            user = users.create_user(
                engine, args.username, _read_password(args), args.role, args.partner, by="cli"
            )
            if args.email:
                users.set_email(engine, user.username, args.email, by="cli")
            print(f"Benutzer '{user.username}' ({user.role}) angelegt.")
        elif args.action == "email":
            users.set_email(engine, args.username, args.email, by="cli")
            print(f"E-Mail-Adresse von '{args.username}': {args.email or '(keine)'}.")
        elif args.action == "passwd":
            users.set_password(engine, args.username, _read_password(args), by="cli")
            print(f"Passwort von '{args.username}' geändert.")
        elif args.action == "role":
            users.set_role(engine, args.username, args.role or "", args.partner, by="cli")
            print(f"Benutzer '{args.username}' hat jetzt die Rolle '{args.role}'.")
        elif args.action in ("disable", "enable"):
            users.set_active(engine, args.username, args.action == "enable", by="cli")
            state = "aktiviert" if args.action == "enable" else "gesperrt"
            print(f"Benutzer '{args.username}' {state}.")
        else:
            for u in users.list_users(engine):
                state = "aktiv" if u.is_active else "gesperrt"
                print(f"{u.username:<30} {u.role:<9} {u.partner_code or '-':<4} {state:<8} "
                      f"{u.email or '-'}")
    except users.UserError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "user", help="manage user accounts (add, passwd, role, email, disable, enable, list)"
    )
    p.add_argument(
        "action", choices=["add", "passwd", "role", "email", "disable", "enable", "list"]
    )
    p.add_argument("username", nargs="?", default="")
    p.add_argument("--role", choices=["admin", "steering", "finance", "partner"])
    p.add_argument("--partner", help="partner code (role partner only)")
    p.add_argument("--email", help="e-mail address for notifications (add, email; '' removes)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=cmd_user)
