"""``python -m etl export KIND [--partner P] [--year Y] [--format F] [-o FILE]``.

Every document the command line writes is one entry of :data:`KINDS` (kind → builder,
formats, file name). To add a document: write its builder in ``etl/documents/``, then add
one :class:`Kind` here; the command's choices, ``--format`` check and help follow from it.
A document made of :mod:`etl.documents.book` tables uses :func:`book_kind`: it returns the
cover and tables, and gets Excel and PDF (:mod:`etl.documents.pdf`) without more code.

Scope as on the web: ``--user NAME`` naming an account exports with that account's rights
(a partner account: only its own partner; another ``--partner`` is refused). A name that is
no account is the operator at the shell, who reads the warehouse anyway: everything.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from etl.cli.common import context, month_arg

if TYPE_CHECKING:
    from etl.documents.book import Cover, Table


class ExportRefused(ValueError):
    """The export cannot be made as asked; the message is German and says why."""


@dataclass(frozen=True)
class Request:
    """What one export was asked for, after the scope check."""

    engine: object
    config: object
    partner: str | None  # None: all partners the user may see
    year: int | None
    fmt: str
    user: str
    scope: tuple[str, ...] | None  # None: every partner
    query: str = ""  # dashboard filters (steuerung), e.g. "modul=Innovation"
    db: str | None = None
    first: date | None = None  # belegliste: a period of reporting months instead of a year
    last: date | None = None


@dataclass(frozen=True)
class Kind:
    """One exportable document: how to build it (bytes) and what its file is called."""

    help: str
    formats: tuple[str, ...]  # the first is the default
    build: Callable[[Request], bytes]
    file_name: Callable[[Request], str]
    title: Callable[[Request], str] | None = None  # what "... geschrieben" names


def book_kind(
    help: str,
    document: Callable[[Request], tuple[Cover, list[Table]]],
    stem: Callable[[Request], str],
    formats: tuple[str, ...] = ("xlsx", "pdf"),
    title: Callable[[Request], str] | None = None,
) -> Kind:
    """A kind built from book tables: ``document`` gives the cover and tables, ``stem`` the
    file name without extension; Excel and PDF come from the same tables."""

    def build(req: Request) -> bytes:
        from etl.documents import book, pdf

        cover, tables = document(req)
        if req.fmt == "pdf":
            return pdf.document_bytes(cover, tables)
        return book.workbook_bytes(cover, tables)

    return Kind(help, formats, build, lambda req: f"{stem(req)}.{req.fmt}", title)


def _proof_scope(req: Request):
    from etl.documents.proof import scope_of

    try:
        return scope_of(req.config, req.partner, req.year)
    except ValueError as exc:
        raise ExportRefused(str(exc)) from None


def _build_proof(req: Request) -> bytes:
    from etl.documents.proof import proof_workbook

    return proof_workbook(req.engine, req.config, _proof_scope(req), exported_by=req.user,
                          stand=stand(req.engine), exported_at=datetime.now(), fmt=req.fmt)


def _proof_name(req: Request) -> str:
    from etl.documents.proof import file_name

    return file_name(_proof_scope(req), req.fmt)


def _proof_title(req: Request) -> str:
    return _proof_scope(req).title


def _build_steering(req: Request) -> bytes:
    """The steering pack is printed from the dashboard's pages (``python -m dashboard pack``,
    a process of its own: etl never imports the dashboard)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "steuerung.pdf"
        args = [sys.executable, "-m", "dashboard", *(["--db", req.db] if req.db else []),
                "pack", "--user", req.user, "--query", _steering_query(req), "-o", str(target)]
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode != 0:
            raise ExportRefused(done.stderr.strip() or "Das Steuerungspaket schlug fehl.")
        return target.read_bytes()


def _steering_query(req: Request) -> str:
    from urllib.parse import parse_qsl, urlencode

    params = dict(parse_qsl(req.query.lstrip("?")))
    if req.partner:
        params["partner"] = req.partner
    if req.year:
        params["jahr"] = str(req.year)
    return urlencode(params)


def _steering_name(req: Request) -> str:
    parts = ["Steuerungspaket", req.partner or "Projekt", *([str(req.year)] if req.year else [])]
    return "_".join(parts) + f"_{datetime.now():%Y-%m-%d}.pdf"


def _build_hours(req: Request) -> bytes:
    from etl.documents.hours import hours_workbook

    return hours_workbook(req.engine, req.config, _proof_scope(req), exported_by=req.user,
                          stand=stand(req.engine))


def _build_narrative(req: Request) -> bytes:
    from etl.documents.sachbericht import sachbericht_docx

    return sachbericht_docx(req.engine, req.config, _proof_scope(req), exported_by=req.user,
                            stand=stand(req.engine))


def _scoped(module: str) -> tuple[Callable[[Request], str], Callable[[Request], str]]:
    """File name and title of a document whose module has ``file_name(scope)`` and
    ``title(scope)`` (the proof-of-use scope: partner or project, a year or all)."""
    from importlib import import_module

    def doc(name: str) -> Callable[[Request], str]:
        return lambda req: getattr(import_module(f"etl.documents.{module}"), name)(
            _proof_scope(req)
        )

    return doc("file_name"), doc("title")


def _indicators(req: Request):
    from etl.documents.indicators import indicator_document

    try:
        return indicator_document(req.engine, req.config, partner=req.partner, year=req.year,
                                  exported_by=req.user, stand=stand(req.engine))
    except ValueError as exc:
        raise ExportRefused(str(exc)) from None


def _indicator_stem(req: Request) -> str:
    from etl.documents.indicators import file_name

    return file_name(req.partner, req.year).rsplit(".", 1)[0]


def _receipt_scope(req: Request):
    from etl.documents.belegliste import scope_of

    try:
        return scope_of(req.config, req.partner, req.year, req.first, req.last)
    except ValueError as exc:
        raise ExportRefused(str(exc)) from None


def _receipts(req: Request):
    from etl.documents.belegliste import belegliste_document

    return belegliste_document(req.engine, req.config, _receipt_scope(req),
                               exported_by=req.user, stand=stand(req.engine))


def _receipts_stem(req: Request) -> str:
    from etl.documents.belegliste import file_name

    return file_name(_receipt_scope(req)).rsplit(".", 1)[0]


# kind -> document. Add a kind here (others: belegliste, stunden, indikatoren, sachbericht).
KINDS: dict[str, Kind] = {
    "nachweis": Kind(
        "Zwischennachweis (--year) oder Verwendungsnachweis: Zahlenteil",
        ("xlsx", "pdf"), _build_proof, _proof_name, _proof_title,
    ),
    "belegliste": book_kind(
        "Belegliste je Kostenposition (--year oder --from/--to)", _receipts, _receipts_stem,
        title=lambda req: _receipt_scope(req).title,
    ),
    "stunden": Kind(
        "Stundennachweise: Stunden je Kürzel und Monat, Stundenzettel, Erklärungen",
        ("xlsx",), _build_hours, *_scoped("hours"),
    ),
    "sachbericht": Kind(
        "Sachbericht-Entwurf (Word) je Partner und Jahr oder für das Projekt",
        ("docx",), _build_narrative, *_scoped("sachbericht"),
    ),
    "indikatoren": book_kind(
        "EU-Outputindikatoren (RCO01 nach Größenklasse, RCO04): Soll und Ist je Jahr",
        _indicators, _indicator_stem, title=lambda _req: "Indikatorenbericht",
    ),
    "steuerung": Kind(
        "Steuerungspaket: Übersicht, Finanzen, Meldestand, Aufmerksamkeit (braucht Chromium)",
        ("pdf",), _build_steering, _steering_name, lambda _req: "Steuerungspaket",
    ),
}


def stand(engine) -> str:
    """The data's "as of": the latest reported month and the latest accepted file."""
    from etl.warehouse import queries

    uploads = queries.uploads(engine)
    accepted = uploads[uploads["status"] == "accepted"]
    if accepted.empty:
        return "keine Monatsberichte"
    return f"Monatsberichte bis {max(accepted['month']):%m/%Y}, Eingang bis " + (
        f"{max(accepted['uploaded_at']):%d.%m.%Y %H:%M}"
    )


def scoped_partner(engine, username: str, partner: str | None) -> tuple[str | None, tuple | None]:
    """The partner to export and the user's scope: a partner account gets its own partner
    (ExportRefused for another one or for a locked account); anyone else what was asked."""
    from etl.workflow import users

    account = users.get_user(engine, username)
    if account is None:
        return partner, None
    if not account.is_active:
        raise ExportRefused(f"Das Konto '{username}' ist gesperrt.")
    scope = account.partners_scope
    if scope is None:
        return partner, None
    if partner is not None and partner not in scope:
        raise ExportRefused(
            f"Das Konto '{username}' darf nur Unterlagen von {', '.join(scope)} exportieren, "
            f"nicht von {partner}."
        )
    return partner or scope[0], scope


def _format_of(output: str | None, kind: Kind) -> str:
    """Without ``--format``: the output file's suffix when the kind has that format (``-o
    nachweis.pdf`` writes a PDF), else the kind's first format."""
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in kind.formats else kind.formats[0]


def cmd_export(args) -> int:
    _settings, config, engine = context(args)
    kind = KINDS[args.kind]
    fmt = args.format or _format_of(args.output, kind)
    try:
        if fmt not in kind.formats:
            raise ExportRefused(
                f"'{args.kind}' gibt es als {', '.join(kind.formats)}, nicht als {fmt}."
            )
        partner = args.partner.upper() if args.partner else None
        partner, scope = scoped_partner(engine, args.user, partner)
        req = Request(engine, config, partner, args.year, fmt, args.user, scope,
                      args.query or "", args.db, args.from_month, args.to_month)
        data = kind.build(req)
        target = Path(args.output or kind.file_name(req))
        title = kind.title(req) if kind.title else args.kind
    except ExportRefused as exc:
        print(str(exc), file=sys.stderr)
        return 2
    target.write_bytes(data)
    print(f"{title} geschrieben: {target}")
    return 0


def register(sub) -> None:
    lines = "kinds:\n" + "\n".join(
        f"  {k:<12} {v.help} ({', '.join(v.formats)})" for k, v in KINDS.items()
    )
    p = sub.add_parser("export", help="write a document (see KINDS)", epilog=lines,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=list(KINDS))
    p.add_argument("--partner", help="partner code (default: whole project)")
    p.add_argument("--year", type=int, help="year (default: all)")
    p.add_argument("--format", choices=sorted({f for k in KINDS.values() for f in k.formats}),
                   help="file format (default: the suffix of -o, else the kind's first)")
    p.add_argument("--from", dest="from_month", type=month_arg,
                   help="belegliste: first reporting month YYYY-MM (instead of --year)")
    p.add_argument("--to", dest="to_month", type=month_arg,
                   help="belegliste: last reporting month YYYY-MM")
    p.add_argument("--query", help="steuerung: further dashboard filters, e.g. modul=Innovation")
    p.add_argument("-o", "--output", help="file to write")
    p.add_argument("--user", default="cli",
                   help="named on the cover; an account's name exports with its rights")
    p.set_defaults(func=cmd_export)
