"""Configured activity sheets (``[[activity_sheets]]``): optional sheets of the monthly
workbook a network adds without code, e.g. consulting vouchers (Beratungsgutscheine).

A sheet declares its columns (typed: ``id``, ``text``, ``date``, ``integer``, ``money``,
``choice``, ``module``, ``company``, ``plz``), the column holding each row's date and ID,
optional cross-month rules (``unique``: columns that form a key within a partner across
months; ``follows``: a row with ``column = value`` needs an earlier row of the same ID with
``column = after``) and its measures (count rows, or sum an integer/money column, optionally
only rows ``where`` columns have given values).

Interface for readers (dashboard, documents): ``config.activity_sheets`` is a tuple of
:class:`ActivitySheet` (``key``, ``sheet``, ``label``, ``columns``, ``measures``, ...), each
:class:`Measure` has ``key``, ``label``, ``unit`` (``count`` or ``eur``). Measures are stored
in ``fact_monthly`` under their key (``eur`` measures in cents, like every money measure
there); targets for them are ``[targets.CODE.MODULE] YEAR = { measure = n }`` (``eur`` targets
in euros) and need a sheet with a ``module`` column (measures of a sheet without one are
booked under module ``""`` and have no targets).

Pure: no database, no intake. The first network configures none (``()``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from etl.core.config_values import ConfigError

COLUMN_TYPES = ("id", "text", "date", "integer", "money", "choice", "module", "company", "plz")
UNITS = ("count", "eur")
# Sheets of the built-in contract and template (etl.intake.contract: SHEET_ORDER plus the
# instructions and the dropdown lists; a test keeps this list equal to theirs).
BUILT_IN_SHEETS = (
    "Meta", "Veranstaltungen", "Coachings", "Teilnehmende", "Personal", "Ausgaben",
    "Anleitung", "Auswahllisten",
)
# Measures of the built-in sheets (fact_monthly's MEASURES, targets' "companies"; a test
# keeps it a superset of etl.warehouse.schema.MEASURES).
BUILT_IN_MEASURES = (
    "events", "participants", "women", "coachings", "coaching_hours", "participations",
    "persons", "personnel_cents", "personnel_months", "personnel_hours", "expenditure_cents",
    "sachkosten_cents", "fremdleistungen_cents", "reisekosten_cents", "companies",
)
MEASURE_KEY_MAX = 32  # fact_monthly.measure is String(32)
TEXT_MAX = 1000  # most characters a configured text column may allow
TEXT_DEFAULT = 500
ID_MAX = 100
COMPANY_MAX = 300
INTEGER_MAX = 1_000_000  # largest integer bound a column may set (etl.intake.contract.limits)
MONEY_MAX = Decimal("10000000.00")  # largest money bound a column may set (10 Mio. €)
_KEY = re.compile(r"^[a-z_]+$")


@dataclass(frozen=True)
class Column:
    """One column: header ``name``, ``type``, whether a value is ``required``, bounds of an
    integer/money column (``low``/``high``, inclusive; money in euros), ``choices`` of a
    choice column, ``in_month`` of a date column, ``max_length`` of a text column."""

    name: str
    type: str
    required: bool = True
    low: Decimal | None = None
    high: Decimal | None = None
    choices: tuple[str, ...] = ()
    in_month: bool = False
    max_length: int | None = None


@dataclass(frozen=True)
class Measure:
    """A measure of a sheet: count rows (``sum_column`` None) or sum a column, of the rows
    whose columns equal ``where`` (pairs column, value)."""

    key: str
    label: str
    unit: str = "count"
    sum_column: str | None = None
    where: tuple[tuple[str, str], ...] = ()

    def matches(self, values: dict) -> bool:
        """Whether a row (column name -> parsed value) counts for this measure."""
        return all(values.get(col) == value for col, value in self.where)

    def fact_value(self, values: dict) -> Decimal:
        """What one matching row adds in ``fact_monthly`` (money in cents)."""
        if self.sum_column is None:
            return Decimal(1)
        amount = Decimal(str(values.get(self.sum_column) or 0))
        return amount * 100 if self.unit == "eur" else amount


@dataclass(frozen=True)
class Follows:
    """A row with ``column = value`` needs an earlier row of its ID with ``column = after``."""

    column: str
    value: str
    after: str


@dataclass(frozen=True)
class ActivitySheet:
    key: str
    sheet: str
    label: str
    columns: tuple[Column, ...]
    measures: tuple[Measure, ...]
    date_column: str
    id_column: str
    unique: tuple[str, ...] = ()
    follows: Follows | None = None

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def of_type(self, kind: str) -> Column | None:
        """The first column of type ``kind`` (module, company, plz), or None."""
        return next((c for c in self.columns if c.type == kind), None)


def _decimal(value: object, key: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ConfigError(f"{key}: '{value}' ist keine Zahl.") from exc
    if not number.is_finite():
        raise ConfigError(f"{key}: '{value}' ist keine Zahl.")
    return number


def _bounds(raw: dict, kind: str, key: str) -> tuple[Decimal | None, Decimal | None]:
    if kind not in ("integer", "money"):
        if "min" in raw or "max" in raw:
            raise ConfigError(f"{key}: min/max gibt es nur für integer- und money-Spalten.")
        return None, None
    top = Decimal(INTEGER_MAX) if kind == "integer" else MONEY_MAX
    low = _decimal(raw.get("min", 0), f"{key}.min")
    high = _decimal(raw.get("max", top), f"{key}.max")
    if not -top <= low <= high <= top:
        raise ConfigError(
            f"{key}: min ({low}) und max ({high}) müssen zwischen {-top} und {top} liegen, "
            "min nicht über max."
        )
    if kind == "integer" and (low != low.to_integral() or high != high.to_integral()):
        raise ConfigError(f"{key}: min und max einer integer-Spalte sind ganze Zahlen.")
    return low, high


def _choices(raw: dict, kind: str, key: str) -> tuple[str, ...]:
    values = tuple(str(v).strip() for v in raw.get("choices", ()))
    if kind != "choice":
        if values:
            raise ConfigError(f"{key}.choices: Auswahlwerte gibt es nur für choice-Spalten.")
        return ()
    if not values or any(not v or len(v) > 100 for v in values):
        raise ConfigError(f"{key}.choices: mindestens ein Wert, je höchstens 100 Zeichen.")
    if len({v.casefold() for v in values}) != len(values):
        raise ConfigError(f"{key}.choices: Werte doppelt.")
    return values


def _length(raw: dict, kind: str, key: str) -> int | None:
    fixed = {"id": ID_MAX, "company": COMPANY_MAX, "choice": 100}
    if kind != "text":
        if "max_length" in raw:
            raise ConfigError(f"{key}.max_length: gibt es nur für text-Spalten.")
        return fixed.get(kind)
    try:
        length = int(raw.get("max_length", TEXT_DEFAULT))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{key}.max_length: keine ganze Zahl.") from exc
    if not 1 <= length <= TEXT_MAX:
        raise ConfigError(f"{key}.max_length: zwischen 1 und {TEXT_MAX} Zeichen.")
    return length


def _column(raw: dict, key: str, date_column: str) -> Column:
    name = str(raw.get("name", "")).strip()
    if not name or len(name) > 60:
        raise ConfigError(f"{key}.name: Spaltenname fehlt oder ist länger als 60 Zeichen.")
    key = f"{key}.{name}"
    kind = str(raw.get("type", "")).strip()
    if kind not in COLUMN_TYPES:
        raise ConfigError(f"{key}.type: '{kind}' ist nicht erlaubt, nur {', '.join(COLUMN_TYPES)}.")
    if "in_month" in raw and kind != "date":
        raise ConfigError(f"{key}.in_month: gibt es nur für date-Spalten.")
    low, high = _bounds(raw, kind, key)
    return Column(
        name=name,
        type=kind,
        required=bool(raw.get("required", True)),
        low=low,
        high=high,
        choices=_choices(raw, kind, key),
        in_month=bool(raw.get("in_month", name == date_column)) if kind == "date" else False,
        max_length=_length(raw, kind, key),
    )


def _where(raw: object, columns: dict[str, Column], key: str) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise ConfigError(f"{key}.where: eine Tabelle {{ Spalte = Wert }} erwartet.")
    out = []
    for name, value in raw.items():
        col = columns.get(name)
        if col is None or col.type not in ("choice", "module"):
            raise ConfigError(f"{key}.where.{name}: keine choice- oder module-Spalte des Blatts.")
        if col.type == "choice" and str(value) not in col.choices:
            raise ConfigError(
                f"{key}.where.{name}: '{value}' ist keiner der Werte {', '.join(col.choices)}."
            )
        out.append((name, str(value)))
    return tuple(out)


def _measure(raw: dict, columns: dict[str, Column], key: str) -> Measure:
    name = str(raw.get("key", "")).strip()
    if not _KEY.match(name) or len(name) > MEASURE_KEY_MAX:
        raise ConfigError(
            f"{key}.key: '{name}' ist kein gültiger Schlüssel (a–z und _, höchstens "
            f"{MEASURE_KEY_MAX} Zeichen)."
        )
    key = f"{key}.{name}"
    if name in BUILT_IN_MEASURES:
        raise ConfigError(f"{key}: '{name}' ist eine eingebaute Kennzahl. Bitte anders nennen.")
    summed = raw.get("sum")
    if summed is not None and (columns.get(summed) is None
                               or columns[summed].type not in ("integer", "money")):
        raise ConfigError(f"{key}.sum: '{summed}' ist keine integer- oder money-Spalte.")
    natural = "eur" if summed is not None and columns[summed].type == "money" else "count"
    unit = str(raw.get("unit", natural)).strip()
    if unit != natural:
        raise ConfigError(
            f"{key}.unit: '{unit}' passt nicht; 'eur' nur und immer für die Summe einer "
            f"money-Spalte, sonst 'count' (hier: '{natural}')."
        )
    label = str(raw.get("label", "")).strip()
    if not label or len(label) > 80:
        raise ConfigError(f"{key}.label: Bezeichnung fehlt oder ist länger als 80 Zeichen.")
    where = _where(raw.get("where"), columns, key)
    return Measure(name, label, unit, summed, where)


def _follows(raw: object, columns: dict[str, Column], key: str) -> Follows | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ConfigError(f"{key}.follows: eine Tabelle {{ column, value, after }} erwartet.")
    col = columns.get(str(raw.get("column")))
    if col is None or col.type != "choice":
        raise ConfigError(f"{key}.follows.column: '{raw.get('column')}' ist keine choice-Spalte.")
    value, after = str(raw.get("value")), str(raw.get("after"))
    for name, given in (("value", value), ("after", after)):
        if given not in col.choices:
            raise ConfigError(
                f"{key}.follows.{name}: '{given}' ist keiner der Werte {', '.join(col.choices)}."
            )
    if value == after:
        raise ConfigError(f"{key}.follows: value und after müssen verschieden sein.")
    return Follows(col.name, value, after)


def _named_column(raw: dict, name: str, kind: str, columns: dict[str, Column], key: str) -> str:
    """``date_column`` / ``id_column``: a column of the sheet of the right type."""
    value = str(raw.get(name, "")).strip()
    if value not in columns or columns[value].type != kind:
        raise ConfigError(f"{key}.{name}: '{value}' ist keine {kind}-Spalte des Blatts.")
    if not columns[value].required:
        raise ConfigError(f"{key}.{name}: die Spalte '{value}' muss required = true sein.")
    return value


def _columns(raw: dict, key: str) -> dict[str, Column]:
    date_column = str(raw.get("date_column", "")).strip()
    columns: dict[str, Column] = {}
    for item in raw.get("columns") or ():
        col = _column(item, f"{key}.columns", date_column)
        if col.name.casefold() in {c.casefold() for c in columns}:
            raise ConfigError(f"{key}.columns.{col.name}: Spalte doppelt.")
        columns[col.name] = col
    if not columns:
        raise ConfigError(f"{key}.columns: mindestens eine Spalte ist nötig.")
    for kind in ("module", "company", "plz"):
        if sum(c.type == kind for c in columns.values()) > 1:
            raise ConfigError(f"{key}.columns: höchstens eine Spalte vom Typ {kind}.")
    return columns


def _unique(raw: dict, columns: dict[str, Column], key: str) -> tuple[str, ...]:
    names = tuple(str(n) for n in raw.get("unique", ()))
    for name in names:
        if name not in columns or not columns[name].required:
            raise ConfigError(f"{key}.unique: '{name}' ist keine Pflichtspalte des Blatts.")
    return names


def _sheet(raw: dict, index: int) -> ActivitySheet:
    name = str(raw.get("key", "")).strip()
    if not _KEY.match(name) or len(name) > 32:
        raise ConfigError(
            f"activity_sheets[{index}].key: '{name}' ist kein gültiger Schlüssel (a–z und _, "
            "höchstens 32 Zeichen)."
        )
    key = f"activity_sheets.{name}"
    sheet = str(raw.get("sheet", "")).strip()
    if not sheet or len(sheet) > 31 or any(ch in sheet for ch in "[]:*?/\\"):
        raise ConfigError(f"{key}.sheet: Blattname fehlt, ist länger als 31 Zeichen oder "
                          "enthält eines der Zeichen [ ] : * ? / \\.")
    if sheet.casefold() in {s.casefold() for s in BUILT_IN_SHEETS}:
        raise ConfigError(f"{key}.sheet: '{sheet}' ist ein eingebautes Blatt der Vorlage.")
    columns = _columns(raw, key)
    measures = tuple(_measure(m, columns, f"{key}.measures") for m in raw.get("measures") or ())
    return ActivitySheet(
        key=name,
        sheet=sheet,
        label=str(raw.get("label", sheet)).strip() or sheet,
        columns=tuple(columns.values()),
        measures=measures,
        date_column=_named_column(raw, "date_column", "date", columns, key),
        id_column=_named_column(raw, "id_column", "id", columns, key),
        unique=_unique(raw, columns, key),
        follows=_follows(raw.get("follows"), columns, key),
    )


def _clashes(sheets: tuple[ActivitySheet, ...]) -> list[str]:
    """Keys, sheet names and measure keys used twice across sheets."""
    out, seen = [], {"key": set(), "sheet": set(), "measure": set()}
    for s in sheets:
        for what, value in (("key", s.key), ("sheet", s.sheet.casefold())):
            if value in seen[what]:
                out.append(f"activity_sheets.{s.key}.{what}: '{value}' kommt doppelt vor.")
            seen[what].add(value)
        for m in s.measures:
            if m.key in seen["measure"]:
                out.append(f"activity_sheets.{s.key}.measures.{m.key}: Kennzahl doppelt.")
            seen["measure"].add(m.key)
    return out


def parse_activity_sheets(raw: object) -> tuple[ActivitySheet, ...]:
    """``[[activity_sheets]]`` as typed sheets; every problem, located, in one ConfigError."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise ConfigError("activity_sheets: als [[activity_sheets]]-Tabellen angeben.")
    sheets, problems = [], []
    for index, item in enumerate(raw, start=1):
        try:
            sheets.append(_sheet(item, index))
        except ConfigError as exc:
            problems.append(str(exc))
    problems += _clashes(tuple(sheets))
    if problems:
        raise ConfigError("\n".join(problems))
    return tuple(sheets)


def sheet_measures(sheets: tuple[ActivitySheet, ...]) -> dict[str, tuple[ActivitySheet, Measure]]:
    """Measure key -> (its sheet, the measure), for every configured measure."""
    return {m.key: (s, m) for s in sheets for m in s.measures}


def target_measures(sheets: tuple[ActivitySheet, ...]) -> tuple[str, ...]:
    """The configured measures that may have targets: those of sheets with a module column."""
    return tuple(m.key for s in sheets if s.of_type("module") for m in s.measures)
