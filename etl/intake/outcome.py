"""What every upload path reports about one file (monthly reports and finance plans alike)."""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.core.errors import Issue


@dataclass
class FileOutcome:
    """Outcome of one uploaded file: its status (``rejected`` until it is stored), its
    located errors and notices, its SHA-256 and where it lies in the archive."""

    file: str
    status: str = "rejected"
    errors: list[Issue] = field(default_factory=list)
    notices: list[Issue] = field(default_factory=list)
    sha256: str = ""
    archive_path: str = ""

    @property
    def ok(self) -> bool:
        """Whether the file was taken (stored, or found identical to what is stored); a file
        ``held`` for confirmation is not taken yet."""
        return self.status not in ("rejected", "held")

    def issues_dict(self) -> dict[str, list[dict]]:
        """The errors and notices as the outcome file and the JSON output write them."""
        return {
            "errors": [e.as_dict() for e in self.errors],
            "notices": [n.as_dict() for n in self.notices],
        }
