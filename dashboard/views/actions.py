"""Meine Aufgaben on Übersicht: each open action (dashboard.calc.actions) as one German line
with a count and a link to the page where it is done."""

from __future__ import annotations

from datetime import date

from dash import dcc, html

from dashboard import filters as flt
from dashboard import fmt
from dashboard.calc.actions import Action
from dashboard.views import components as ui
from dashboard.views.review import note_hash

SHOWN = 8  # more actions than this: the most urgent ones and a line saying how many more
MONTHS_LISTED = 3
QUOTE = 90  # characters of a Rückfrage quoted in the list
PARTNERS_LISTED = 10  # partners named in one line


def _months(months: tuple[date, ...]) -> str:
    names = [fmt.month_short(m) for m in months[:MONTHS_LISTED]]
    more = len(months) - MONTHS_LISTED
    return ", ".join(names) + (f" und {fmt.de_int(more)} weitere" if more > 0 else "")


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= QUOTE else text[: QUOTE - 1].rstrip() + "…"


def _overdue(a: Action) -> tuple[str, str]:
    word = "Monatsbericht" if a.count == 1 else "Monatsberichte"
    return f"{fmt.de_int(a.count)} {word} überfällig ({_months(a.months)}) – hochladen", (
        "/hochladen"
    )


def _due(a: Action) -> tuple[str, str]:
    word = "Monatsbericht" if a.count == 1 else "Monatsberichte"
    return (
        f"{word} {_months(a.months)} fällig bis {fmt.de_date(a.due)} – hochladen",
        "/hochladen",
    )


def _query(a: Action) -> tuple[str, str]:
    month = a.months[0]
    quoted = f": „{_short(a.text)}“" if a.text else ""
    year = a.year if a.year is not None else month.year  # the project year (calc.actions)
    href = flt.href("/meldestand", flt.Filters((a.partner,), (), (year,)))
    return (
        f"Rückfrage zu {a.partner} · {fmt.month_long(month)} beantworten{quoted}",
        href + note_hash(a.partner, month),
    )


def _review(a: Action) -> tuple[str, str]:
    word = "Monat" if a.count == 1 else "Monate"
    return (
        f"{a.partner}: {fmt.de_int(a.count)} {word} zu prüfen (ab {fmt.month_long(a.months[0])})",
        flt.href("/freigabe", flt.Filters((a.partner,))),
    )


def review_line(actions: list[Action]) -> html.Li:
    """The review queue in one line: the total, linked to Freigabe, then each partner's count
    linked to Freigabe narrowed to that partner (the oldest months first)."""
    total = sum(a.count for a in actions)
    word = "Monat" if total == 1 else "Monate"
    links: list = []
    for a in actions[:PARTNERS_LISTED]:
        text, href = _review(a)
        links += [" · " if links else "", dcc.Link(f"{a.partner} {fmt.de_int(a.count)}",
                                                   href=href, title=text)]  # fmt: skip
    if len(actions) > PARTNERS_LISTED:
        links.append(f" und {fmt.de_int(len(actions) - PARTNERS_LISTED)} weitere Partner")
    return html.Li(
        [
            html.Span("●", className="attention-dot attention-info"),
            dcc.Link(
                f"{fmt.de_int(total)} {word} zu prüfen",
                href="/freigabe",
                id="overview-action-review",
            ),
            html.Span([": ", *links], className="action-partners"),
        ],
        className="attention-item",
        id="overview-action-review-line",
    )


def _proof(a: Action, today: date) -> tuple[str, str]:
    name = f"Zwischennachweis {ui.year_text(a.year)}" if a.text == "interim" else "Schlussnachweis"
    when = "überfällig seit" if a.due < today else "fällig am"
    names = ", ".join(a.partners[:PARTNERS_LISTED])
    more = len(a.partners) - PARTNERS_LISTED
    names += f" und {fmt.de_int(more)} weitere" if more > 0 else ""
    return f"{name} {when} {fmt.de_date(a.due)}: noch nicht eingereicht für {names}", "/freigabe"


def _payment(a: Action) -> tuple[str, str]:
    if a.kind == "pay_approve":
        what = "Mittelabruf zu bewilligen" if a.count == 1 else "Mittelabrufe zu bewilligen"
    else:
        what = "Mittelabruf auszuzahlen" if a.count == 1 else "Mittelabrufe auszuzahlen"
    return f"{fmt.de_int(a.count)} {what} ({fmt.eur(a.cents)})", "/mittelabrufe"


SEVERITY = {"overdue": "flag", "query": "flag", "proof": "warn", "due": "warn"}


def line(a: Action, today: date) -> tuple[str, str]:
    """The German text of an action and the link to where it is done."""
    if a.kind == "proof":
        return _proof(a, today)
    if a.kind in ("pay_approve", "pay_out"):
        return _payment(a)
    return {"overdue": _overdue, "due": _due, "query": _query, "review": _review}[a.kind](a)


def _item(a: Action, i: int, today: date) -> html.Li:
    text, href = line(a, today)
    severity = "flag" if a.kind == "proof" and a.due < today else SEVERITY.get(a.kind, "info")
    return html.Li(
        [
            html.Span("●", className=f"attention-dot attention-{severity}"),
            dcc.Link(text, href=href, id=f"overview-action-{a.kind}-{i}"),
        ],
        className="attention-item",
    )


def action_list(actions: list[Action], role: str | None, today: date) -> html.Div:
    """The open actions as a list of links (the first :data:`SHOWN`), or a line saying there
    is nothing to do."""
    if not actions:
        return html.P("Keine offenen Aufgaben.", className="text-success mb-0",
                      id="overview-actions-none")  # fmt: skip
    review = [a for a in actions if a.kind == "review"]
    actions = [a for a in actions if a.kind != "review"]
    rows = [review_line(review)] if review else []
    rows += [_item(a, i, today) for i, a in enumerate(actions[:SHOWN])]
    if len(actions) > SHOWN:
        rest = len(actions) - SHOWN
        href = "/freigabe" if role in ("steering", "finance") else "/meldestand"
        rows.append(
            html.Li(
                dcc.Link(f"… und {fmt.de_int(rest)} weitere Aufgaben", href=href),
                className="attention-item text-muted",
                id="overview-actions-more",
            )
        )
    return html.Ul(rows, className="attention-list list-unstyled mb-0", id="overview-actions-list")
