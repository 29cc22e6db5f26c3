"""Hypothesis strategies for monthly reports: valid rows, how they are spelled, and faults.

A drawn :class:`Generated` report holds

- ``model``: the canonical values of every valid row (what the figures must be computed
  from), generated for partner DO, March 2025;
- ``sheets``/``headers``: what is written into the workbook: every value in one of the
  spellings the contract accepts (German numbers, text dates, Excel serials, aliases,
  any case), blank rows in between, headers in any case and with units;
- ``faults``: the cells made invalid on purpose (wrong type, out of range, bad date,
  empty required cell, duplicate ID, missing header, unknown partner, or a clash with
  the month already in the warehouse), each with the location where the error must be
  reported. Each row gets at most one fault, so faults cannot hide each other.

Faults of ``phase`` 2 are only found by the cross-month check, which runs only when the
workbook itself has no error.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from etl.documents.workbook import SHEET_COLUMNS

MONTH = date(2025, 3, 1)
MODULES = ("Informieren", "Coachen", "Vernetzen", "Transfer")
SEED_EVENT, SEED_RECEIPT = "DO-202502-V1", "DO-202502-B1"  # in the seed month 2025-02
SEED_PLZ = "44135"
EXCEL_EPOCH = date(1899, 12, 30)
SIZE_SPELLINGS = {
    "Kleinst": ("Kleinst", "kleinstunternehmen", "KLEINST"),
    "Klein": ("Klein", "kleines Unternehmen", "Kleinunternehmen"),
    "Mittel": ("Mittel", "mittleres Unternehmen", "MITTEL"),
    "Groß": ("Groß", "Gross", "großunternehmen"),
}
FORMAT_SPELLINGS = {
    "Präsenz": ("Präsenz", "Praesenz", "präsenz"),
    "Online": ("Online", "ONLINE"),
    "Hybrid": ("Hybrid", "hybrid"),
}
BILLING_SPELLINGS = {"Monat": ("Monat", "monat", "Monatlich"), "Stunden": ("Stunden", "std")}
REQUIRED = {
    "Veranstaltungen": ("ID", "Datum", "Titel", "Modul", "Format", "Teilnehmende"),
    "Coachings": ("ID", "Datum", "Unternehmen", "Modul", "Stunden"),
    "Teilnehmende": ("Aktivität", "Unternehmen", "PLZ", "Größenklasse", "Personen"),
    "Personal": ("Kürzel", "Leistungsgruppe", "Abrechnung", "Umfang"),
    "Ausgaben": ("Belegnummer", "Datum", "Kostenart", "Betrag"),
}
DATES = {"Veranstaltungen": "Datum", "Coachings": "Datum", "Ausgaben": "Datum"}
WRONG_TYPE = {
    "Teilnehmende": "zwölf",
    "davon Frauen": "viele",
    "Stunden": "anderthalb",
    "Personen": "drei",
    "Leistungsgruppe": "A",
    "Umfang": "halbe Stelle",
    "Betrag": "1,2,3",
    "Datum": "gestern",
    "PLZ": "Dortmund",
    "Modul": "Beratung",
    "Format": "Webinar",
    "Größenklasse": "riesig",
    "Abrechnung": "Tag",
    "Kostenart": "Bewirtung",
}


@dataclass(frozen=True)
class Fault:
    sheet: str
    index: int  # data row index (0-based, before blank rows are added)
    column: str | None
    kind: str
    phase: int = 1
    depends_on: str | None = None  # another sheet whose rows the check needs


@dataclass
class Generated:
    model: dict[str, list[dict]]
    sheets: dict[str, list]
    headers: dict[str, list[str]]
    partner: str = "DO"
    faults: list[Fault] = field(default_factory=list)
    row_numbers: dict[str, list[int]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.faults

    def expected_errors(self) -> set[tuple[str, int | None, str | None]]:
        """Locations that must carry an error (phase 2 only if there is no phase-1 fault)."""
        phase = 1 if any(f.phase == 1 for f in self.faults) else 2
        return {self.location(f) for f in self.faults if f.phase == phase}

    def location(self, fault: Fault) -> tuple[str, int | None, str | None]:
        if fault.kind == "missing_header":
            return (fault.sheet, 1, fault.column)
        if fault.sheet == "Meta":
            return ("Meta", 2, "Wert")
        return (fault.sheet, self.row_numbers[fault.sheet][fault.index], fault.column)


# --- canonical rows ------------------------------------------------------------------------

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn")),
    max_size=25,
).map(lambda t: ("T " + t)[:80])
days = st.integers(1, calendar.monthrange(MONTH.year, MONTH.month)[1]).map(
    lambda d: MONTH.replace(day=d)
)
modules = st.sampled_from(MODULES)


@st.composite
def events(draw, n: int) -> list[dict]:
    rows = []
    for i in range(n):
        participants = draw(st.integers(0, 1500))
        women = draw(st.none() | st.integers(0, participants))
        rows.append(
            {
                "ID": f"DO-V-{i + 1}",
                "Datum": draw(days),
                "Titel": draw(texts),
                "Modul": draw(modules),
                "Format": draw(st.sampled_from(tuple(FORMAT_SPELLINGS))),
                "Teilnehmende": participants,
                "davon Frauen": women,
            }
        )
    return rows


@st.composite
def coachings(draw, n: int) -> list[dict]:
    return [
        {
            "ID": f"DO-C-{i + 1}",
            "Datum": draw(days),
            "Unternehmen": draw(texts),
            "Modul": draw(modules),
            "Stunden": Decimal(draw(st.integers(1, 20_000))).scaleb(-2),
            "Thema": draw(st.none() | texts),
        }
        for i in range(n)
    ]


@st.composite
def participants(draw, events_: list[dict], coachings_: list[dict]) -> list[dict]:
    rows = []
    codes = st.integers(1000, 99999).filter(lambda n: n != int(SEED_PLZ))
    plz = iter(draw(st.lists(codes, min_size=40, max_size=40, unique=True)))  # one per row
    for activity in events_ + coachings_:
        capacity = activity.get("Teilnehmende", 1000)
        for _ in range(draw(st.integers(0, 2))):
            if capacity < 1:
                break
            persons = draw(st.integers(1, min(capacity, 30)))
            capacity -= persons
            code = f"{next(plz):05d}"
            rows.append(
                {
                    "Aktivität": activity["ID"],
                    "Unternehmen": draw(texts),
                    "PLZ": code,
                    "Größenklasse": draw(st.sampled_from(tuple(SIZE_SPELLINGS))),
                    "Personen": persons,
                }
            )
    return rows


@st.composite
def personnel(draw, n: int) -> list[dict]:
    rows = []
    for i in range(n):
        billing = draw(st.sampled_from(("Monat", "Stunden")))
        high = 100 if billing == "Monat" else 16_000
        rows.append(
            {
                "Kürzel": f"DO-P{i + 1}",
                "Leistungsgruppe": draw(st.integers(1, 4)),
                "Abrechnung": billing,
                "Umfang": Decimal(draw(st.integers(1, high))).scaleb(-2),
                "Modul": draw(st.none() | modules),
            }
        )
    return rows


@st.composite
def expenditure(draw, n: int) -> list[dict]:
    amounts = st.integers(-50_000, 2_000_000).filter(bool)
    return [
        {
            "Belegnummer": f"DO-25-{i + 1:04d}",
            "Datum": draw(days),
            "Kostenart": draw(st.sampled_from(("Sachkosten", "Fremdleistungen", "Reisekosten"))),
            "Betrag": draw(amounts),  # cents
            "Modul": draw(st.none() | modules),
            "Beschreibung": draw(st.none() | texts),
        }
        for i in range(n)
    ]


@st.composite
def models(draw) -> dict[str, list[dict]]:
    ev = draw(events(draw(st.integers(0, 4))))
    co = draw(coachings(draw(st.integers(0, 3))))
    return {
        "Veranstaltungen": ev,
        "Coachings": co,
        "Teilnehmende": draw(participants(ev, co)),
        "Personal": draw(personnel(draw(st.integers(0, 3)))),
        "Ausgaben": draw(expenditure(draw(st.integers(0, 4)))),
    }


# --- spellings -----------------------------------------------------------------------------


def german_number(value: Decimal, unit: str = "") -> str:
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped}{',' + frac if frac else ''}{unit}"


def spell_date(draw, day: date) -> object:
    return draw(
        st.sampled_from(
            (
                day,
                f"{day:%d.%m.%Y}",
                f"{day:%Y-%m-%d}",
                (day - EXCEL_EPOCH).days,
                f"{day.day}.{day.month}.{day:%y}",
            )
        )
    )


def spell_int(draw, value: int) -> object:
    return draw(st.sampled_from((value, str(value), float(value), german_number(Decimal(value)))))


def spell_decimal(draw, value: Decimal) -> object:
    return draw(st.sampled_from((float(value), german_number(value), f"{value}")))


def spell_money(draw, cents: int) -> object:
    euros = Decimal(cents).scaleb(-2)
    spellings = [cents / 100, german_number(euros, " €"), f"{euros}"]
    if cents % 100 == 0:
        spellings.append(cents // 100)
    return draw(st.sampled_from(spellings))


def spell_case(draw, text: str) -> str:
    return draw(st.sampled_from((text, text.upper(), text.lower(), f"  {text} ")))


def spell_plz(draw, plz: str) -> object:
    return draw(st.sampled_from((plz, int(plz))))


SPELL = {
    "Datum": spell_date,
    "Teilnehmende": spell_int,
    "davon Frauen": spell_int,
    "Personen": spell_int,
    "Leistungsgruppe": spell_int,
    "Stunden": spell_decimal,
    "Umfang": spell_decimal,
    "Betrag": spell_money,
    "Modul": spell_case,
    "Kostenart": spell_case,
    "PLZ": spell_plz,
    "Format": lambda draw, v: draw(st.sampled_from(FORMAT_SPELLINGS[v])),
    "Größenklasse": lambda draw, v: draw(st.sampled_from(SIZE_SPELLINGS[v])),
    "Abrechnung": lambda draw, v: draw(st.sampled_from(BILLING_SPELLINGS[v])),
}


def spell_row(draw, row: dict) -> dict:
    return {
        column: value if value is None or column not in SPELL else SPELL[column](draw, value)
        for column, value in row.items()
    }


def spell_header(draw, header: str) -> str:
    units = {
        "Betrag": " (EUR)",
        "Stunden": " [h]",
        "Umfang": " (Anteil/Std.)",
        "Datum": " (TT.MM.JJJJ)",
    }
    return draw(
        st.sampled_from(
            (header, header.upper(), header.lower(), f" {header} ", header + units.get(header, ""))
        )
    )


# --- faults --------------------------------------------------------------------------------


def _out_of_range(draw, sheet: str, row: dict) -> tuple[str, object] | None:
    options = {
        "Veranstaltungen": [("Teilnehmende", draw(st.integers(-500, -1)))],
        "Coachings": [("Stunden", draw(st.sampled_from((0, "200,01", 450, -3))))],
        "Teilnehmende": [
            ("Personen", draw(st.integers(-5, 0))),
            ("PLZ", draw(st.sampled_from(("123", 999, "123456", "0999")))),
        ],
        "Personal": [("Leistungsgruppe", draw(st.sampled_from((0, 5, 9))))],
        "Ausgaben": [("Betrag", draw(st.sampled_from((0, "12,345", "0,001"))))],
    }[sheet]
    if sheet == "Veranstaltungen":
        options.append(("davon Frauen", row["Teilnehmende"] + draw(st.integers(1, 5))))
    if sheet == "Personal":
        too_much = "1,01" if row["Abrechnung"] == "Monat" else "-4"
        options.append(("Umfang", draw(st.sampled_from((0, too_much)))))
    return draw(st.sampled_from(options))


def _bad_date(draw, sheet: str) -> tuple[str, object] | None:
    if sheet not in DATES:
        return None
    value = draw(
        st.sampled_from(("32.03.2025", "2025-13-01", "31.02.2025", date(2025, 4, 1), "28.02.2025"))
    )
    return DATES[sheet], value


def _wrong_type(draw, sheet: str) -> tuple[str, object]:
    """Text where a number, date or choice belongs, or a boolean (also in optional columns)."""
    column = draw(st.sampled_from([c for c in SHEET_COLUMNS[sheet] if c in WRONG_TYPE]))
    return column, draw(st.sampled_from((WRONG_TYPE[column], True)))


def _empty(draw, sheet: str) -> tuple[str, object]:
    return draw(st.sampled_from(REQUIRED[sheet])), draw(st.sampled_from((None, "   ")))


@dataclass
class _Faulter:
    """Applies faults to spelled rows, at most one per row, never hiding one another."""

    draw: object
    gen: Generated
    touched: set[tuple[str, int]] = field(default_factory=set)
    frozen: set[tuple[str, int]] = field(default_factory=set)  # rows others depend on

    def blocked(self, sheet: str) -> bool:
        return any(f.kind == "missing_header" and f.sheet == sheet for f in self.gen.faults)

    def free_rows(self, sheet: str) -> list[int]:
        if self.blocked(sheet):
            return []  # the sheet's cells are not checked without all its columns
        rows = self.gen.sheets[sheet]
        return [i for i in range(len(rows)) if (sheet, i) not in self.touched | self.frozen]

    def add(self, sheet: str, index: int, column: str | None, kind: str, **extra) -> None:
        self.touched.add((sheet, index))
        self.gen.faults.append(Fault(sheet, index, column, kind, **extra))

    def cell_fault(self, sheet: str) -> None:
        free = self.free_rows(sheet)
        if not free:
            return
        index = self.draw(st.sampled_from(free))
        row = self.gen.sheets[sheet][index]
        kind = self.draw(st.sampled_from(("wrong_type", "out_of_range", "bad_date", "empty")))
        made = {
            "wrong_type": lambda: _wrong_type(self.draw, sheet),
            "out_of_range": lambda: _out_of_range(self.draw, sheet, self.gen.model[sheet][index]),
            "bad_date": lambda: _bad_date(self.draw, sheet),
            "empty": lambda: _empty(self.draw, sheet),
        }[kind]()
        if made is None:
            return
        column, value = made
        row[column] = value
        self.add(sheet, index, column, kind)

    def duplicate(self, sheet: str) -> None:
        key = {
            "Veranstaltungen": "ID",
            "Coachings": "ID",
            "Personal": "Kürzel",
            "Ausgaben": "Belegnummer",
        }.get(sheet)
        free = self.free_rows(sheet)
        if key is None or len(self.gen.sheets[sheet]) < 2 or not free:
            return
        target = self.draw(st.sampled_from(free))
        sources = [i for i in range(target) if (sheet, i) not in self.touched]
        if not sources:
            return
        source = self.draw(st.sampled_from(sources))
        rows = self.gen.sheets[sheet]
        rows[target][key] = self.draw(
            st.sampled_from((rows[source][key], rows[source][key].lower()))
        )
        self.frozen.add((sheet, source))
        self.add(sheet, target, key, "duplicate")

    def coaching_takes_event_id(self) -> None:
        events_, free = self.gen.sheets["Veranstaltungen"], self.free_rows("Coachings")
        sources = [i for i in range(len(events_)) if ("Veranstaltungen", i) not in self.touched]
        if self.blocked("Veranstaltungen"):
            return
        if not sources or not free:
            return
        source, target = self.draw(st.sampled_from(sources)), self.draw(st.sampled_from(free))
        self.gen.sheets["Coachings"][target]["ID"] = events_[source]["ID"]
        self.frozen.add(("Veranstaltungen", source))
        self.add("Coachings", target, "ID", "coaching_id", depends_on="Veranstaltungen")

    def same_company_twice(self) -> None:
        rows, free = self.gen.sheets["Teilnehmende"], self.free_rows("Teilnehmende")
        targets = [i for i in free if i > 0]
        if not targets:
            return
        target = self.draw(st.sampled_from(targets))
        sources = [i for i in range(target) if ("Teilnehmende", i) not in self.touched]
        if not sources:
            return
        source = self.draw(st.sampled_from(sources))
        for column in ("Aktivität", "Unternehmen", "PLZ"):
            rows[target][column] = rows[source][column]
        self.frozen.add(("Teilnehmende", source))
        self.add("Teilnehmende", target, "Unternehmen", "same_company_twice")

    def clash_with_seed_month(self) -> None:
        sheet, column, value = self.draw(
            st.sampled_from(
                (
                    ("Veranstaltungen", "ID", SEED_EVENT),
                    ("Ausgaben", "Belegnummer", SEED_RECEIPT.lower()),
                    ("Teilnehmende", "Aktivität", "DO-X-999"),
                )
            )
        )
        free = self.free_rows(sheet)
        if not free or any(f.kind == "cross_month" and f.sheet == sheet for f in self.gen.faults):
            return  # twice the same value would be a duplicate within the workbook
        index = self.draw(st.sampled_from(free))
        self.gen.sheets[sheet][index][column] = value
        self.add(sheet, index, column, "cross_month", phase=2)


FAULT_KINDS = (
    "cell",
    "duplicate",
    "coaching_id",
    "same_company",
    "cross_month",
    "header",
    "partner",
)


def apply_faults(draw, gen: Generated) -> None:
    faulter = _Faulter(draw, gen)
    for kind in draw(st.lists(st.sampled_from(FAULT_KINDS), max_size=3)):
        sheet = draw(st.sampled_from(tuple(REQUIRED)))
        if kind == "cell":
            faulter.cell_fault(sheet)
        elif kind == "duplicate":
            faulter.duplicate(sheet)
        elif kind == "coaching_id":
            faulter.coaching_takes_event_id()
        elif kind == "same_company":
            faulter.same_company_twice()
        elif kind == "cross_month":
            faulter.clash_with_seed_month()
        elif kind == "partner" and gen.partner == "DO":
            gen.partner = draw(st.sampled_from(("XX", "Dortmund", "D0")))
            gen.faults.append(Fault("Meta", 0, "Wert", "partner"))
        elif kind == "header":
            _missing_header(draw, gen, sheet)


def _missing_header(draw, gen: Generated, sheet: str) -> None:
    """Rename a required column's header: the sheet reports only that (no cell errors)."""
    if any(f.kind == "missing_header" and f.sheet == sheet for f in gen.faults):
        return
    column = draw(st.sampled_from(REQUIRED[sheet]))
    headers = gen.headers[sheet]
    headers[SHEET_COLUMNS[sheet].index(column)] = column + "_alt"
    gen.faults[:] = [f for f in gen.faults if sheet not in (f.sheet, f.depends_on)]
    gen.faults.append(Fault(sheet, 0, column, "missing_header"))


def _with_blank_rows(draw, gen: Generated) -> None:
    """Insert fully empty rows (skipped by the importer) and record each data row's number."""
    for sheet, rows in gen.sheets.items():
        out, numbers = [], []
        for row in rows:
            out += [{}] * draw(st.integers(0, 1))
            out.append(row)
            numbers.append(len(out) + 1)  # header is row 1
        gen.sheets[sheet], gen.row_numbers[sheet] = out, numbers


@st.composite
def generated_reports(draw) -> Generated:
    model = draw(models())
    spelled = {sheet: [spell_row(draw, row) for row in rows] for sheet, rows in model.items()}
    headers = {sheet: [spell_header(draw, h) for h in SHEET_COLUMNS[sheet]] for sheet in model}
    gen = Generated(model=model, sheets=spelled, headers=headers)
    apply_faults(draw, gen)
    _with_blank_rows(draw, gen)
    return gen
