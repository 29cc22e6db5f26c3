"""What changed between two plan versions: budget lines moved (Umschichtung), targets and
funding parameters; lines that move by more than the consent threshold (20 %) are flagged."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from etl.core.config import COST_CATEGORIES, TARGET_MEASURES, NetworkConfig
from etl.workflow.plan import PlanData
from etl.workflow.plan import sheets as sh

CONSENT = "Zustimmung des Fördergebers nötig"


@dataclass(frozen=True)
class LineChange:
    """One budget line (partner x year x category) in both versions, in cents."""

    partner: str
    year: int
    category: str
    old: int
    new: int
    needs_consent: bool

    @property
    def change(self) -> int:
        return self.new - self.old

    @property
    def share(self) -> Fraction | None:
        """The change as a share of the old amount (None for a line that was 0)."""
        return Fraction(self.change, self.old) if self.old else None


@dataclass(frozen=True)
class TargetChange:
    partner: str
    module: str
    year: int
    measure: str
    old: int
    new: int


@dataclass(frozen=True)
class ParameterChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class PlanDiff:
    """Every line that changed, plus changed targets and parameters."""

    lines: list[LineChange]
    targets: list[TargetChange]
    parameters: list[ParameterChange]

    @property
    def is_empty(self) -> bool:
        return not (self.lines or self.targets or self.parameters)

    @property
    def moved(self) -> int:
        """Cents moved: the sum of the increases (equals the decreases when the total holds)."""
        return sum(c.change for c in self.lines if c.change > 0)

    @property
    def consent_lines(self) -> list[LineChange]:
        return [c for c in self.lines if c.needs_consent]


def needs_consent(old: int, new: int, threshold: Fraction) -> bool:
    """A line needs the funding body's consent when it moves by more than ``threshold`` of its
    old amount (a new line, from 0, always does)."""
    if old == new:
        return False
    if old == 0:
        return True
    return abs(Fraction(new - old, old)) > threshold


def diff(old: PlanData, new: PlanData, config: NetworkConfig) -> PlanDiff:
    """The changes from ``old`` to ``new`` in configuration order."""
    threshold = Fraction(config.rules.deviation_flag)
    lines = [
        LineChange(p, y, c, a, b, needs_consent(a, b, threshold))
        for p in config.partner_codes
        for y in config.years
        for c in COST_CATEGORIES
        if (a := old.budget.get((p, y, c), 0)) != (b := new.budget.get((p, y, c), 0))
    ]
    targets = [
        TargetChange(p, m, y, k, a, b)
        for p in config.partner_codes
        for m in config.modules
        for y in config.years
        for k in TARGET_MEASURES
        if (a := old.targets.get((p, m, y, k), 0)) != (b := new.targets.get((p, m, y, k), 0))
    ]
    return PlanDiff(lines, targets, _parameters(old, new, config))


def _pct(rate) -> str:
    return f"{rate * 100:.2f} %".replace(".", ",").replace(",00 %", " %")


def _parameters(old: PlanData, new: PlanData, config: NetworkConfig) -> list[ParameterChange]:
    out = []
    for code in config.partner_codes:
        a, b = old.funding_rates.get(code), new.funding_rates.get(code)
        if a != b:
            out.append(ParameterChange(f"Förderquote {code}", _pct(a or 0), _pct(b or 0)))
    if old.material_mode != new.material_mode:
        labels = sh.MATERIAL_LABELS
        out.append(
            ParameterChange(sh.MATERIAL_FIELD, labels[old.material_mode], labels[new.material_mode])
        )
    if old.rate_table_from != new.rate_table_from:
        out.append(
            ParameterChange(
                sh.RATE_TABLE_FIELD,
                f"{old.rate_table_from:%d.%m.%Y}",
                f"{new.rate_table_from:%d.%m.%Y}",
            )
        )
    return out
