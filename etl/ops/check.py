"""Warehouse invariants as data tests (``python -m etl check``), on SQLite and PostgreSQL.

Each check recomputes what the load path stored, independently of it, and returns the rows
that disagree: keys unique and not null, fact rows linked to their upload, the
pre-aggregates ``fact_monthly`` and ``fact_reach`` equal to their recomputation from the
current fact rows, and the report's money per partner x year equal to the cost rules applied
to the current fact rows (to the cent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from etl.core.config import NetworkConfig
from etl.core.money import partner_years
from etl.documents import report
from etl.warehouse.invariants import LIMIT, sql_failures, unit_cost_failures
from etl.warehouse.recompute import fact_money
from etl.workflow import plan

if TYPE_CHECKING:
    from sqlalchemy import Engine


TITLES = {
    "keys": "Schlüssel eindeutig und nicht leer",
    "fact_uploads": "Faktenzeilen gehören zu einem geladenen Upload ihres Partner-Monats",
    "fact_monthly": "fact_monthly entspricht den aktuellen Faktenzeilen",
    "fact_reach": "fact_reach entspricht den aktuellen Teilnahmen",
    "money": "Förderfähige Ausgaben und Finanzierung je Partner und Jahr (auf den Cent)",
}


@dataclass
class Check:
    """The outcome of one invariant: the rows that break it (at most ``LIMIT``)."""

    name: str
    failing: list[dict] = field(default_factory=list)
    n_failing: int = 0

    @property
    def ok(self) -> bool:
        return self.n_failing == 0

    def as_dict(self) -> dict[str, object]:
        rows = [{k: _plain(v) for k, v in r.items()} for r in self.failing]
        return {"name": self.name, "ok": self.ok, "n_failing": self.n_failing, "failing": rows}


@dataclass
class CheckSummary:
    checks: list[Check]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "checks": [c.as_dict() for c in self.checks]}

    def text(self) -> str:
        """The German summary printed by ``python -m etl check``."""
        lines = ["Prüfung des Datenbestands:"]
        for c in self.checks:
            lines.append(f"  [{'ok' if c.ok else 'FEHLER'}] {TITLES[c.name]}")
            if not c.ok:
                more = c.n_failing - len(c.failing)
                lines.append(f"    {c.n_failing} fehlerhafte Zeilen:")
                lines += [f"    - {_row_text(r)}" for r in c.failing]
                if more > 0:
                    lines.append(f"    … und {more} weitere")
        bad = sum(not c.ok for c in self.checks)
        lines.append(
            f"Alle {len(self.checks)} Prüfungen bestanden."
            if not bad
            else f"{bad} von {len(self.checks)} Prüfungen fehlgeschlagen."
        )
        return "\n".join(lines)


def _plain(value: object) -> object:
    """A JSON-ready value: dates as ISO text, decimals as text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


LABELS = {
    "table": "Tabelle",
    "partner_code": "Partner",
    "partner": "Partner",
    "month": "Monat",
    "year": "Jahr",
    "module": "Modul",
    "measure": "Kennzahl",
    "n": "Anzahl",
    "problem": "Problem",
    "amount": "Betrag",
}


def _row_text(row: dict) -> str:
    """A failing row in German: labels where they exist, German dates and decimals."""

    def fmt(v: object) -> str:
        if isinstance(v, date):
            return f"{v:%d.%m.%Y}"
        if isinstance(v, Decimal):
            return f"{v:f}".replace(".", ",")
        return "leer" if v is None or v == "" else str(v)

    return ", ".join(f"{LABELS.get(k, k)}={fmt(v)}" for k, v in row.items())


def _check(name: str, rows: list[dict]) -> Check:
    return Check(name, rows[:LIMIT], len(rows))


def run_checks(engine: Engine, config: NetworkConfig) -> CheckSummary:
    """Every invariant of the warehouse; the SQL checks read one snapshot."""
    checks = [_check(name, rows) for name, rows in sql_failures(engine, config).items()]
    checks.append(_check("money", money_failures(engine, config)))
    return CheckSummary(checks)


FIELDS = ("personnel", "overhead", "material", "eligible", "grant", "eu", "state", "own")


def _cents(text: str) -> int:
    return int(Decimal(text) * 100)


def _report_row_failures(row: dict, money: dict, config: NetworkConfig) -> list[dict]:
    """The report's row of a partner x year against the cost rules on the fact rows' sums
    (``money``: (partner, year) -> [personnel, expenditure] cents), grant ceiling included."""
    got = {f: _cents(row[f"{f}_eur"]) for f in FIELDS}
    code = row["partner"]
    sums = {y: tuple(money.get((code, y), (0, 0))) for y in config.years}
    want = partner_years(config, code, sums)[row["year"]].as_dict()
    want["overhead"] = want.pop("overheads")
    sums = {
        "eligible": got["personnel"] + got["overhead"] + got["material"],
        "grant": got["eu"] + got["state"],
        "own": got["eligible"] - got["grant"],
    }
    out = []
    for f in FIELDS:
        if got[f] != want[f] or (f in sums and sums[f] != got[f]):
            out.append(
                {
                    "partner": row["partner"],
                    "year": row["year"],
                    "amount": f,
                    "report_cents": got[f],
                    "expected_cents": want[f],
                    "sum_of_parts_cents": sums.get(f, got[f]),
                }
            )
    return out


def money_failures(engine: Engine, config: NetworkConfig) -> list[dict]:
    """Per partner x year: the report's eligible costs, grant, EU, state and own share against
    the cost rules applied to the current fact rows, and the sums that must hold."""
    # what build_report does for its 'eligible' rows, without the activity tables
    applied = plan.apply(config, plan.current_plan(engine, config).data)
    money = fact_money(engine)
    out = unit_cost_failures(engine, applied)
    seen = set()
    for row in report.eligible(report.money_by_partner_year(engine), applied):
        key = (row["partner"], row["year"])
        seen.add(key)
        out += _report_row_failures(row, money, applied)
    for (partner, year), (pers, exp) in sorted(money.items()):
        if (partner, year) not in seen and (pers or exp):
            out.append(
                {
                    "partner": partner,
                    "year": year,
                    "amount": "fehlt im Bericht",
                    "personnel_cents": pers,
                    "expenditure_cents": exp,
                }
            )
    return out
