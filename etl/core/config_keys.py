"""Every key of the network configuration file: its path, type, default and meaning.

The one place that defines the keys: :mod:`etl.core.config` takes its defaults from here
(:func:`default`), and ``python -m etl config reference`` writes ``docs/configuration.md``
from it (a test keeps that file current and checks that the example configurations use no
key that is not listed here). ``<CODE>``, ``<module>``, ``<year>`` stand for a partner code,
a module name and a project year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REQUIRED = None  # the default of a key that must be given


@dataclass(frozen=True)
class Key:
    """One configuration key: ``path`` (TOML), ``kind`` (value type as written), ``default``
    (as written in TOML; None: required), ``meaning`` (one or two sentences)."""

    path: str
    kind: str
    default: str | None
    meaning: str


# fmt: off
KEYS: tuple[Key, ...] = (
    Key("network.name", "text", '""', "Full name of the network (page titles, documents)."),
    Key("network.short_name", "text", "network.name",
        "Short name (navigation bar, workbook instructions, file names)."),
    Key("network.start", "date", REQUIRED, "First day of the project period."),
    Key("network.end", "date", REQUIRED, "Last day of the project period."),
    Key("network.total_budget_eur", "decimal text", '"0"',
        "The grant notices' total budget; the budget lines must add up to it."),
    Key("network.grant_notice_date", "date", "network.start",
        "Date of the grant notice: the unit-cost table in force on it applies to the project."),
    Key("network.report_due_day", "integer 1–28", "10",
        "A monthly report is on time when it arrives by this day of the following month."),
    Key("network.year_start_month", "integer 1–12", "1",
        "Month the project years start in: 1 = calendar years; e.g. 9 = project years "
        "September–August, named by the year they start in (`2025` = 2025/26) in `budget`, "
        "`targets` and indicator targets and shown as \"2025/26\"."),
    Key("network.modules", "list of text", REQUIRED,
        "The modules (work packages) activities and costs are booked to; at most 50 "
        "characters each."),
    Key("funding_sources.eu", "text", '"EU (EFRE)"',
        "Name of the EU funding source (its share is `rules.eu_share` of eligible costs)."),
    Key("funding_sources.state", "text", '"Land NRW"',
        "Name of the co-funding source (grant minus the EU share)."),
    Key("partners[].code", "text", REQUIRED,
        "Partner code: A–Z, digits, '-' and '_', at most 16 characters; unique."),
    Key("partners[].name", "text", REQUIRED, "Partner name, at most 200 characters."),
    Key("partners[].funding_rate", "decimal text", '"0.80"',
        "Share of eligible costs the grant covers; between `rules.eu_share` and 1."),
    Key("partners[].lead", "boolean", "false", "The lead partner (Konsortialführung)."),
    Key("partners[].role", "`partner` or `associated`", '"partner"',
        "An associated partner (e.g. a chamber) takes part without being a grant recipient "
        "by default (see `funded`)."),
    Key("partners[].funded", "boolean", "true for role `partner`, false for `associated`",
        "Whether the partner receives a grant; without funding its grant, EU and state "
        "shares are 0 and its eligible costs are its own share."),
    Key("partners[].reporting", "`monthly`, `quarterly` or `none`", '"monthly"',
        "Reporting duty: monthly reports due on `report_due_day` of the next month; "
        "quarterly: the months of a quarter are due together after the quarter; none: "
        "reports are welcome but never due (Meldestand shows no duty)."),
    Key("partners[].joins", "month `YYYY-MM`", "network.start",
        "First month of membership (a partner joining later); earlier months are not due "
        "and uploads for them are refused."),
    Key("partners[].leaves", "month `YYYY-MM`", "network.end",
        "Last month of membership (a partner leaving early); later months are not due and "
        "uploads for them are refused."),
    Key("partners[].grant_ceiling_eur", "decimal text", "none",
        "Upper limit of the partner's grant over the whole project set by its grant notice, "
        "whatever the funding rate gives; the years are capped in order."),
    Key("rules.overhead_rate", "decimal text", '"0.15"',
        "Flat rate for overheads, as a share of personnel costs."),
    Key("rules.material_mode", "`actual` or `flat`", '"actual"',
        "Material costs as booked (sheet Ausgaben) or as a flat rate of personnel."),
    Key("rules.material_flat_rate", "decimal text", '"0.25"',
        "Flat rate for material costs (share of personnel) when `material_mode = \"flat\"`."),
    Key("rules.eu_share", "decimal text", '"0.40"', "EU share of eligible costs."),
    Key("rules.hours_per_year", "integer", "1720",
        "Full-time hours per year: the hourly rate is monthly rate × 12 / this, and the cap "
        "of hours per person and calendar year (also when the network counts project years)."),
    Key("rules.deviation_warn", "decimal text", '"0.15"',
        "A budget line this far over (or under) plan is a warning."),
    Key("rules.deviation_flag", "decimal text", '"0.20"',
        "A budget line this far over plan needs the funding body's consent."),
    Key("rules.interim_proof_due", "`MM-DD`", '"04-30"',
        "Interim proof of use (Zwischennachweis) for a (project) year: due on this day of the "
        "calendar year after the one the year ends in."),
    Key("rules.final_proof_months", "integer", "6",
        "Final proof of use (Verwendungsnachweis): months after the project end."),
    Key("rules.rate_tables[].valid_from", "date", REQUIRED,
        "Date from which a unit-cost table applies; the one in force on the grant notice "
        "date is used for the whole project."),
    Key("rules.rate_tables[].monthly", "table pay group → decimal text", REQUIRED,
        "Unit cost per pay group (EUR per full-time month); its pay groups are the template's "
        "choices and the only ones the importer accepts."),
    Key("budget.<CODE>.<year>.personnel", "decimal text", "0",
        "Planned personnel costs of a partner and year (EUR)."),
    Key("budget.<CODE>.<year>.overheads", "decimal text", "0",
        "Planned overheads of a partner and year (EUR)."),
    Key("budget.<CODE>.<year>.material", "decimal text", "0",
        "Planned material costs of a partner and year (EUR)."),
    Key("targets.<CODE>.<module>.<year>.events", "integer", "0",
        "Target number of events of a partner, module and year."),
    Key("targets.<CODE>.<module>.<year>.participants", "integer", "0",
        "Target number of participants."),
    Key("targets.<CODE>.<module>.<year>.coachings", "integer", "0",
        "Target number of coachings."),
    Key("targets.<CODE>.<module>.<year>.companies", "integer", "0",
        "Target number of company contacts (companies counted per module and year)."),
    Key("targets.<CODE>.<module>.<year>.<measure>", "integer", "0",
        "Target of a measure of a configured activity sheet (`activity_sheets[].measures[]"
        ".key`; euros for an `eur` measure); only for sheets with a `module` column. These "
        "targets come from the configuration only (finance plan versions keep them)."),
    Key("unique_company_targets.network", "integer", "none",
        "Distinct companies the network is to reach over the whole period (a company "
        "reached by several partners counts once)."),
    Key("unique_company_targets.<CODE>", "integer", "none",
        "Distinct companies a partner is to reach over the whole period."),
    Key("indicators[].code", "text", "RCO01 and RCO04 when no [[indicators]] are given",
        "Code of an EU output indicator (VO (EU) 2021/1058 Annex I), e.g. `RCO01`."),
    Key("indicators[].name", "text", REQUIRED, "German name of the indicator."),
    Key("indicators[].definition", "text", '""', "What the indicator counts, in German."),
    Key("indicators[].counted_as", "`companies`, `companies_by_size` or `smes`", REQUIRED,
        "How it is counted from the participations: distinct companies (by size class) or "
        "SMEs, each in the year it was first reached."),
    Key("indicators[].modules", "list of text", "all modules",
        "Count only companies reached in these modules."),
    Key("indicators[].targets.<year>", "integer", "none", "Target of the indicator for a year."),
    Key("indicator_targets.<INDICATOR>.<year>", "integer", "none",
        "Target per year of a default indicator (RCO01, RCO04) without redefining it."),
    Key("activity_sheets[].key", "text a–z and _", "none (no configured sheets)",
        "Key of an optional, configured activity sheet (e.g. `vouchers`), unique; the "
        "first network configures none. See docs/data-contract.md, configured sheets."),
    Key("activity_sheets[].sheet", "text", REQUIRED,
        "Name of the sheet in the workbook (at most 31 characters, not a built-in sheet); "
        "required in every monthly workbook once configured."),
    Key("activity_sheets[].label", "text", "as `activity_sheets[].sheet`",
        "Name of the sheet in reports and on the dashboard."),
    Key("activity_sheets[].date_column", "text", REQUIRED,
        "The `date` column giving a row's date (in the reporting month unless its "
        "`in_month = false`)."),
    Key("activity_sheets[].id_column", "text", REQUIRED, "The `id` column naming a row's record."),
    Key("activity_sheets[].unique", "list of column names", "[]",
        "Columns whose values together occur once per partner across all months (e.g. "
        "`[\"Gutschein-Nr.\", \"Vorgang\"]`: one issue per voucher)."),
    Key("activity_sheets[].follows.column", "text", "none",
        "A `choice` column: a row with `follows.value` in it needs an earlier row (same or "
        "earlier month, same partner) with the same ID and `follows.after`."),
    Key("activity_sheets[].follows.value", "text", REQUIRED,
        "The choice that needs a predecessor (e.g. `Einlösung`)."),
    Key("activity_sheets[].follows.after", "text", REQUIRED,
        "The choice that must come first (e.g. `Ausgabe`)."),
    Key("activity_sheets[].columns[].name", "text", REQUIRED,
        "Column header (at most 60 characters, unique in the sheet)."),
    Key("activity_sheets[].columns[].type",
        "`id`, `text`, `date`, `integer`, `money`, `choice`, `module`, `company` or `plz`",
        REQUIRED,
        "How a cell is read: `money` in euros with at most two decimals, `choice` one of "
        "`choices`, `module` a configured module, `company` a company name, `plz` a postal "
        "code; at most one `module`, `company` and `plz` column."),
    Key("activity_sheets[].columns[].required", "boolean", "true", "Whether a cell may be empty."),
    Key("activity_sheets[].columns[].min", "number", "0",
        "Smallest value of an `integer` or `money` column (inclusive)."),
    Key("activity_sheets[].columns[].max", "number", "1000000 (integer), 10000000 (money)",
        "Largest value of an `integer` or `money` column (inclusive; the defaults are the "
        "largest allowed)."),
    Key("activity_sheets[].columns[].choices", "list of text", "[]",
        "The values of a `choice` column (its dropdown in the template)."),
    Key("activity_sheets[].columns[].in_month", "boolean", "true for `date_column`, else false",
        "Whether a `date` must lie in the reporting month."),
    Key("activity_sheets[].columns[].max_length", "integer 1–1000", "500",
        "Most characters of a `text` column."),
    Key("activity_sheets[].measures[].key", "text a–z and _", REQUIRED,
        "Key of a measure (at most 32 characters; not a built-in measure such as `events`, "
        "`participants`, `coachings`, `companies`), unique across sheets; stored in "
        "`fact_monthly` (an `eur` measure in cents)."),
    Key("activity_sheets[].measures[].label", "text", REQUIRED, "German name of the measure."),
    Key("activity_sheets[].measures[].sum", "text", "none (count rows)",
        "An `integer` or `money` column to sum; without it the measure counts rows."),
    Key("activity_sheets[].measures[].where", "table column → value", "{} (every row)",
        "Count or sum only rows whose `choice`/`module` columns hold these values, e.g. "
        "`{ Vorgang = \"Ausgabe\" }`."),
    Key("activity_sheets[].measures[].unit", "`count` or `eur`", "`eur` for the sum of a money "
        "column, else `count`", "Unit of the measure (must match what it counts or sums)."),
    Key("review.steps", "list of two roles", "[] (one step)",
        'Two review steps, e.g. `["steering", "finance"]`: the first role checks a month '
        '("geprüft"), the second approves it.'),
)
# fmt: on

BY_PATH: dict[str, Key] = {k.path: k for k in KEYS}


def default(path: str) -> str | None:
    """The documented default of the key at ``path`` (KeyError for an undocumented key)."""
    return BY_PATH[path].default


_PLACEHOLDER = {
    "<CODE>": r"[^.]+", "<INDICATOR>": r"[^.]+", "<year>": r"\d{4}", "<module>": r".+?",
    "<measure>": r"[a-z_]+",
}


def _pattern(path: str) -> re.Pattern[str]:
    text = re.escape(path)
    for name, rx in _PLACEHOLDER.items():
        text = text.replace(re.escape(name), rx)
    return re.compile(f"^{text}$")


_PATTERNS = tuple(_pattern(k.path) for k in KEYS)


def is_known(path: str) -> bool:
    """Whether ``path`` (``partners[].role``, ``budget.DO.2025.material``) is a defined key."""
    return any(p.match(path) for p in _PATTERNS)


def unknown_keys(raw: dict, prefix: str = "") -> list[str]:
    """The key paths of a parsed TOML document that no :data:`KEYS` entry defines (a typo,
    or a key of another version); a defined key's value is not looked into."""
    out: list[str] = []
    for name, value in raw.items():
        path = f"{prefix}{name}"
        if is_known(path):
            continue
        if isinstance(value, dict):
            out += unknown_keys(value, f"{path}.")
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                out += [k for k in unknown_keys(item, f"{path}[].") if k not in out]
        else:
            out.append(path)
    return out


def _literal(path: str) -> str:
    """The default of ``path`` as the parser uses it: the TOML literal without its quotes."""
    value = default(path)
    if value is None:
        raise KeyError(f"{path} has no default")
    return value.strip('"')


def text_default(path: str) -> str:
    """The default of a text or decimal key as the parser reads it (``'"0.15"'`` -> ``'0.15'``)."""
    return _literal(path)


def _shown(value: str | None) -> str:
    """A default as the reference table shows it: a TOML literal in code style, another key
    by name, anything else as the sentence it is."""
    if value is None:
        return "required"
    if value in BY_PATH:
        return f"as `{value}`"
    if value == "none":
        return "none (no limit / no target)"
    literal = value.startswith('"') or value in ("true", "false") or value.isdigit()
    return f"`{value}`" if literal else value


def reference_markdown() -> str:
    """``docs/configuration.md``: the table of every key, generated from :data:`KEYS`."""
    lines = [
        "# Configuration reference",
        "",
        "<!-- Generated by `python -m etl config reference` from etl/core/config_keys.py; "
        "do not edit. -->",
        "",
        "Every key of the network configuration (`data/config.toml`, or the file "
        "`NETWORK_CONFIG` names). Keys with a default may be left out. `partners[]` and "
        "`rules.rate_tables[]` are arrays of tables (`[[partners]]`); `<CODE>`, `<module>` "
        "and `<year>` stand for a partner code, a module name and a project year. "
        "`python -m etl config check` lists every inconsistency of a file.",
        "",
        "| key | type | default | meaning |",
        "|---|---|---|---|",
    ]
    for key in KEYS:
        shown = _shown(key.default)
        lines.append(f"| `{key.path}` | {key.kind} | {shown} | {key.meaning} |")
    return "\n".join(lines) + "\n"
