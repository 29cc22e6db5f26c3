"""What the sheet rules need to know besides the sheet itself."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from etl.core.config import NetworkConfig
from etl.core.errors import Issue
from etl.core.normalise import clean_text, parse_choice


@dataclass(frozen=True)
class Context:
    config: NetworkConfig
    month: date | None  # first day of the reporting month; None when Meta is unusable
    version: int = 2  # Vorlagenversion (the newest when Meta does not say)

    def module(self, value: object) -> str:
        return parse_choice(value, self.config.modules, "Modul")

    def month_end(self) -> date | None:
        """The last day of the reporting month (None when it is unknown)."""
        if self.month is None:
            return None
        return self.month.replace(day=calendar.monthrange(self.month.year, self.month.month)[1])

    def outside_month(self, sheet: str, row: dict, column: str) -> Issue | None:
        """An error when the row's date is not inside the reporting month."""
        day = row.get(column)
        if self.month is None or day is None:
            return None
        last = self.month.replace(day=calendar.monthrange(self.month.year, self.month.month)[1])
        if self.month <= day <= last:
            return None
        return Issue(
            sheet,
            row["_row"],
            column,
            f"Das Datum {day:%d.%m.%Y} liegt nicht im Berichtsmonat {self.month:%m/%Y}. "
            "Bitte im Bericht des richtigen Monats melden.",
        )


def duplicates(sheet: str, rows: list[dict], column: str, what: str) -> list[Issue]:
    """Errors for every repeat of a value in ``column`` within one sheet."""
    seen: dict[str, int] = {}
    issues = []
    for row in rows:
        value = row.get(column)
        if value is None:
            continue
        key = clean_text(value).casefold()
        if key in seen:
            issues.append(
                Issue(
                    sheet,
                    row["_row"],
                    column,
                    f"{what} '{value}' steht schon in Zeile {seen[key]}. "
                    "Jede Zeile braucht einen eigenen Wert.",
                )
            )
        else:
            seen[key] = row["_row"]
    return issues


def bound(sheet: str, row: dict, column: str, ok: bool, message: str) -> list[Issue]:
    """An error at the row's cell when a present value fails a range check."""
    if row.get(column) is None or ok:
        return []
    return [Issue(sheet, row["_row"], column, message)]
