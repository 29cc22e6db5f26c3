"""Located problems found in a workbook, in plain German for the partner."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Issue:
    """One error or notice: sheet, spreadsheet row number (1-based), column header, message."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def __str__(self) -> str:
        where = " / ".join(
            part
            for part in (
                f"Blatt {self.sheet}" if self.sheet else "",
                f"Zeile {self.row}" if self.row else "",
                f"Spalte {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class WorkbookRejected(Exception):
    """The file cannot be read as a workbook at all (wrong type, damaged, too large)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    @property
    def issue(self) -> Issue:
        return Issue(None, None, None, self.message)
