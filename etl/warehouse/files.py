"""Where a received file lies: the upload row that names its archived original."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select

from etl.core.errors import Issue
from etl.warehouse import schema as s


@dataclass(frozen=True)
class UploadFile:
    """One received file: its partner-month, sender, status and place in the archive."""

    id: int
    partner_code: str | None
    month: date | None
    status: str
    file_name: str
    archive_path: str
    uploaded_by: str
    uploaded_at: datetime
    previous_id: int | None
    errors_json: str

    def errors(self) -> list[Issue]:
        """The stored findings of a rejected file."""
        return [Issue(**e) for e in json.loads(self.errors_json)]


def upload_file(engine: Engine, upload_id: int) -> UploadFile | None:
    """The upload ``upload_id`` with its partner and archive path (None when unknown)."""
    u = s.uploads.c
    columns = [getattr(u, name) for name in UploadFile.__dataclass_fields__]
    with engine.connect() as conn:
        row = conn.execute(select(*columns).where(u.id == upload_id)).mappings().first()
    return UploadFile(**row) if row else None
