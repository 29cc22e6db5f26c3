"""Reading an uploaded finance plan workbook: every rule, every error located and in German.

All or nothing like the monthly reports: sheets and columns are matched the same way
(:mod:`etl.intake.contract.engine`), cells are parsed with :mod:`etl.core.normalise`, and a
plan with any error yields no :class:`~etl.workflow.plan.PlanData`. Rules: every partner x
year has one budget
line with amounts of at least 0 that together give the grant; every partner x module x year
one row of targets (whole numbers of at least 0); every partner one funding rate between the
EU share and 100 %; a known material mode and unit-cost table; the file rests on the current
plan version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from etl.core.config import COST_CATEGORIES, TARGET_MEASURES, NetworkConfig
from etl.core.errors import Issue
from etl.core.money import format_eur
from etl.core.normalise import CellError, clean_text, header_key, parse_int, round_cents
from etl.intake.contract.engine import Col, ParsedSheet, SheetSpec, complete, is_blank, parse_sheet
from etl.intake.reader import RawSheet, RawWorkbook
from etl.workflow.plan import Plan, PlanData, cells
from etl.workflow.plan import sheets as sh

IGNORED_SHEETS = {header_key(sh.GUIDE)}
IGNORED_COLUMNS = {header_key(sh.SUM), header_key(sh.NAME), header_key(sh.EXPLANATION)}


@dataclass
class PlanReading:
    """What an uploaded plan workbook says, or every reason it cannot be used."""

    data: PlanData | None = None
    based_on: int | None = None
    reason: str | None = None
    errors: list[Issue] = field(default_factory=list)
    notices: list[Issue] = field(default_factory=list)


@dataclass(frozen=True)
class Rules:
    """What a plan is checked against besides itself."""

    config: NetworkConfig
    current: Plan
    personnel_recorded: bool  # a changed unit-cost table would not fit amounts already loaded


# --- sheets ---------------------------------------------------------------------------------


def _specs(config: NetworkConfig) -> dict[str, SheetSpec]:
    partner, year = Col(sh.PARTNER, cells.partner(config)), Col(sh.YEAR, cells.year(config))
    return {
        sh.BUDGET: SheetSpec(
            sh.BUDGET,
            (partner, year, *[Col(sh.CATEGORY_HEADERS[c], cells.amount) for c in COST_CATEGORIES]),
        ),
        sh.TARGETS: SheetSpec(
            sh.TARGETS,
            (
                partner,
                Col(sh.MODULE, cells.module(config)),
                year,
                *[Col(sh.MEASURE_HEADERS[m], cells.count) for m in TARGET_MEASURES],
            ),
        ),
        sh.RATES: SheetSpec(sh.RATES, (partner, Col(sh.RATE, cells.rate(config), required=False))),
        sh.PARAMETERS: SheetSpec(
            sh.PARAMETERS, (Col(sh.FIELD), Col(sh.VALUE, lambda v: v, required=False))
        ),
    }


def _sheets(raw: RawWorkbook, reading: PlanReading) -> dict[str, RawSheet]:
    wanted = {header_key(name): name for name in sh.DATA_SHEETS}
    found: dict[str, RawSheet] = {}
    for sheet in raw.sheets:
        name = wanted.get(header_key(sheet.name))
        if name is None and header_key(sheet.name) not in IGNORED_SHEETS:
            reading.notices.append(
                Issue(sheet.name, None, None, "Zusätzliches Blatt wird ignoriert.")
            )
        elif name and name not in found:
            found[name] = sheet
    for name in sh.DATA_SHEETS:
        if name not in found:
            reading.errors.append(
                Issue(
                    name,
                    None,
                    None,
                    f"Das Blatt '{name}' fehlt. Bitte den heruntergeladenen "
                    "Finanzplan als Vorlage verwenden.",
                )
            )
    return found


def _parse(spec: SheetSpec, sheet: RawSheet, reading: PlanReading) -> ParsedSheet:
    parsed = parse_sheet(spec, sheet)
    reading.errors += parsed.errors
    reading.notices += [
        n for n in parsed.notices if header_key(n.column or "") not in IGNORED_COLUMNS
    ]
    if not parsed.rows and parsed.header_row is None:
        reading.errors.append(
            Issue(
                spec.name,
                None,
                None,
                f"Das Blatt '{spec.name}' ist leer. Bitte die Zeilen "
                "des heruntergeladenen Finanzplans verwenden.",
            )
        )
    return parsed


def _keyed(
    parsed: ParsedSheet, names: tuple[str, ...], what: Callable[[tuple], str]
) -> tuple[dict[tuple, dict], list[Issue]]:
    """Rows by their key columns; an error for each repeat of a key."""
    rows: dict[tuple, dict] = {}
    issues = []
    for row in parsed.rows:
        if not complete(row, *names):
            continue
        key = tuple(row[n] for n in names)
        if key in rows:
            issues.append(
                Issue(
                    parsed.name,
                    row["_row"],
                    names[-1],
                    f"{what(key)} steht schon in Zeile "
                    f"{rows[key]['_row']}. Jede Kombination nur einmal eintragen.",
                )
            )
        else:
            rows[key] = row
    return rows, issues


def _missing(sheet: str, column: str, have: set[tuple], want: list[tuple], fix: str) -> list[Issue]:
    """One error per partner listing the combinations without a row."""
    by_partner: dict[str, list[str]] = {}
    for key in want:
        if key not in have:
            by_partner.setdefault(key[0], []).append(" ".join(str(k) for k in key[1:]))
    return [
        Issue(sheet, None, column, f"Für Partner {p} fehlen Zeilen: {', '.join(keys)}. {fix}")
        for p, keys in by_partner.items()
    ]


def _budget(parsed: ParsedSheet, config: NetworkConfig, reading: PlanReading) -> dict | None:
    rows, issues = _keyed(parsed, (sh.PARTNER, sh.YEAR), lambda k: f"Partner {k[0]}, Jahr {k[1]}")
    want = [(p, y) for p in config.partner_codes for y in config.years]
    issues += _missing(
        sh.BUDGET,
        sh.YEAR,
        set(rows),
        want,
        "Bitte je Jahr eine Zeile ergänzen (Beträge 0, wenn nichts geplant ist).",
    )
    reading.errors += issues
    headers = [sh.CATEGORY_HEADERS[c] for c in COST_CATEGORIES]
    if issues or any(e.sheet == sh.BUDGET for e in reading.errors):
        return None
    budget = {
        (p, y, c): rows[(p, y)][h]
        for (p, y) in want
        for c, h in zip(COST_CATEGORIES, headers, strict=True)
    }
    _check_total(budget, config, reading)
    _overhead_notices(rows, config, reading)
    return budget


def _check_total(budget: dict, config: NetworkConfig, reading: PlanReading) -> None:
    total, grant = sum(budget.values()), round_cents(config.total_budget)
    if total != grant:
        reading.errors.append(
            Issue(
                sh.BUDGET,
                None,
                None,
                f"Die Budgetzeilen ergeben zusammen {format_eur(total)}, "
                f"der Zuwendungsrahmen ist {format_eur(grant)} (Differenz "
                f"{format_eur(total - grant)}). Bitte so umschichten, dass die Summe genau "
                f"{format_eur(grant)} ergibt.",
            )
        )


def _overhead_notices(rows: dict, config: NetworkConfig, reading: PlanReading) -> None:
    rate = config.rules.overhead_rate
    head = sh.CATEGORY_HEADERS["overheads"]
    for row in rows.values():
        expected = round_cents(Decimal(row[sh.CATEGORY_HEADERS["personnel"]]) * rate / 100)
        if row[head] != expected:
            reading.notices.append(
                Issue(
                    sh.BUDGET,
                    row["_row"],
                    head,
                    f"Gemeinkosten sind {rate * 100:.0f} % der "
                    f"Personalausgaben, hier {format_eur(expected)}.",
                )
            )


def _targets(parsed: ParsedSheet, config: NetworkConfig, reading: PlanReading) -> dict | None:
    keys = (sh.PARTNER, sh.MODULE, sh.YEAR)
    rows, issues = _keyed(parsed, keys, lambda k: f"Partner {k[0]}, Modul {k[1]}, Jahr {k[2]}")
    want = [(p, m, y) for p in config.partner_codes for m in config.modules for y in config.years]
    issues += _missing(
        sh.TARGETS,
        sh.MODULE,
        set(rows),
        want,
        "Bitte je Modul und Jahr eine Zeile ergänzen (0, wenn nichts geplant ist).",
    )
    reading.errors += issues
    if issues or any(e.sheet == sh.TARGETS for e in reading.errors):
        return None
    return {
        (p, m, y, k): rows[(p, m, y)][sh.MEASURE_HEADERS[k]]
        for (p, m, y) in want
        for k in TARGET_MEASURES
    }


RATE_ISSUES = {  # funded? -> the error at a rate cell that is empty / filled in
    True: "Für {code} fehlt die Förderquote. Bitte eine Quote eintragen.",
    False: "{code} wird nicht gefördert (Konfiguration partners[].funded): bitte keine "
    f"Förderquote eintragen, sondern '{sh.NOT_FUNDED}' stehen lassen.",
}


def _rate_issues(config: NetworkConfig, rows: dict[tuple, dict], bad: set) -> list[Issue]:
    """Every funded partner has a row with a rate, an unfunded one none (its cell says so);
    rows in ``bad`` already have an error at their rate."""
    missing = ", ".join(p.code for p in config.partners if p.funded and (p.code,) not in rows)
    fix = f"Für {missing} fehlt die Förderquote. Bitte je Partner eine Zeile ergänzen."
    issues = [Issue(sh.RATES, None, sh.PARTNER, fix)] if missing else []
    for (code,), row in rows.items():
        funded = config.partner(code).funded
        if row["_row"] not in bad and (row[sh.RATE] is None) == funded:
            text = RATE_ISSUES[funded].format(code=code)
            issues.append(Issue(sh.RATES, row["_row"], sh.RATE, text))
    return issues


def _rates(parsed: ParsedSheet, rules: Rules, reading: PlanReading) -> dict | None:
    """Partner -> rate; an unfunded partner keeps the current plan's (it has no grant)."""
    config, current = rules.config, rules.current.data.funding_rates
    rows, issues = _keyed(parsed, (sh.PARTNER,), lambda k: f"Partner {k[0]}")
    bad = {e.row for e in reading.errors if (e.sheet, e.column) == (sh.RATES, sh.RATE)}
    issues += _rate_issues(config, rows, bad)
    reading.errors += issues
    if issues or any(e.sheet == sh.RATES for e in reading.errors):
        return None
    return {
        p.code: rows[(p.code,)][sh.RATE] if p.funded else current.get(p.code, p.funding_rate)
        for p in config.partners
    }


# --- parameters -----------------------------------------------------------------------------


def _fields(config: NetworkConfig) -> dict[str, tuple[str, str, Callable, bool]]:
    """header_key of a field -> (attribute, label, parser, required)."""
    return {
        header_key(sh.BASE_FIELD): ("based_on", sh.BASE_FIELD, parse_int, True),
        header_key(sh.MATERIAL_FIELD): (
            "material_mode",
            sh.MATERIAL_FIELD,
            cells.material_mode,
            True,
        ),
        header_key(sh.RATE_TABLE_FIELD): (
            "rate_table_from",
            sh.RATE_TABLE_FIELD,
            cells.rate_table(config),
            True,
        ),
        header_key(sh.REASON_FIELD): ("reason", sh.REASON_FIELD, clean_text, False),
    }


def _parameters(parsed: ParsedSheet, config: NetworkConfig, reading: PlanReading) -> dict:
    """attribute -> (value, row) of every field given; errors located in column 'Wert'."""
    fields = _fields(config)
    values: dict[str, tuple[object, int]] = {}
    for row in parsed.rows:
        key = header_key(row[sh.FIELD] or "")
        if key not in fields:
            reading.notices.append(
                Issue(sh.PARAMETERS, row["_row"], sh.FIELD, "Unbekanntes Feld wird ignoriert.")
            )
            continue
        attr, label, parse, required = fields[key]
        value = row[sh.VALUE]
        if is_blank(value):
            if required:
                reading.errors.append(
                    Issue(
                        sh.PARAMETERS,
                        row["_row"],
                        sh.VALUE,
                        f"'{label}' ist leer. Bitte ausfüllen.",
                    )
                )
            values[attr] = (None, row["_row"])
            continue
        try:
            values[attr] = (parse(value), row["_row"])
        except CellError as exc:
            reading.errors.append(Issue(sh.PARAMETERS, row["_row"], sh.VALUE, f"{label}: {exc}"))
            values[attr] = (None, row["_row"])
    for attr, label, _parse, required in fields.values():
        if required and attr not in values:
            reading.errors.append(
                Issue(
                    sh.PARAMETERS,
                    None,
                    sh.FIELD,
                    f"Das Feld '{label}' fehlt. Bitte eine Zeile '{label}' ergänzen.",
                )
            )
    return values


def _against_current(params: dict, rules: Rules, reading: PlanReading) -> None:
    """The file must rest on the current version; the unit-cost table must fit loaded amounts."""
    current = rules.current
    base, row = params.get("based_on", (None, None))
    if base is not None and base != current.version.id:
        v = current.version
        reading.errors.append(
            Issue(
                sh.PARAMETERS,
                row,
                sh.VALUE,
                f"Diese Datei beruht auf Version {base}, es gilt "
                f"aber {v.label} ({v.created_by}). Bitte den aktuellen Finanzplan "
                "herunterladen und die Änderungen dort eintragen.",
            )
        )
    table, row = params.get("rate_table_from", (None, None))
    if table and table != current.data.rate_table_from and rules.personnel_recorded:
        reading.errors.append(
            Issue(
                sh.PARAMETERS,
                row,
                sh.VALUE,
                "Die Pauschalentabelle kann nicht mehr geändert "
                "werden: gemeldete Personalausgaben sind nach der Tabelle ab "
                f"{current.data.rate_table_from:%d.%m.%Y} berechnet. Sie gilt laut "
                "Zuwendungsbescheid für die ganze Laufzeit.",
            )
        )


def read_plan(raw: RawWorkbook, rules: Rules) -> PlanReading:
    """Check an uploaded plan workbook against every rule; ``data`` only when there is no error."""
    config, reading = rules.config, PlanReading()
    found = _sheets(raw, reading)
    specs = _specs(config)
    parsed = {name: _parse(specs[name], found[name], reading) for name in found}
    budget = _budget(parsed[sh.BUDGET], config, reading) if sh.BUDGET in parsed else None
    targets = _targets(parsed[sh.TARGETS], config, reading) if sh.TARGETS in parsed else None
    rates = _rates(parsed[sh.RATES], rules, reading) if sh.RATES in parsed else None
    params = _parameters(parsed[sh.PARAMETERS], config, reading) if sh.PARAMETERS in parsed else {}
    _against_current(params, rules, reading)
    reading.based_on = params.get("based_on", (None, 0))[0]
    reading.reason = params.get("reason", (None, 0))[0]
    order = {name: i for i, name in enumerate(sh.DATA_SHEETS)}
    key = lambda i: (order.get(i.sheet, -1), i.row or 0, i.column or "", i.message)  # noqa: E731
    reading.errors.sort(key=key)
    reading.notices.sort(key=key)
    if reading.errors or None in (budget, targets, rates):
        return reading
    reading.data = PlanData(
        budget=budget,
        targets=targets,
        funding_rates=rates,
        material_mode=params["material_mode"][0],
        rate_table_from=params["rate_table_from"][0],
    )
    return reading
