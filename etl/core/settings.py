"""One settings object, read from the environment once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """Where the warehouse, the archive and the network configuration live."""

    data_dir: Path
    database_url: str
    config_path: Path
    max_upload_bytes: int
    max_unpacked_bytes: int
    # distinct archived content per partner (etl.intake.archive); env ARCHIVE_QUOTA_MB
    archive_quota_bytes: int | None = 500 * 1024 * 1024  # None: no quota
    # e-mail notifications (etl.workflow.notify): off while smtp_url or mail_from is empty
    smtp_url: str = ""  # smtp://user:pass@host:587 (STARTTLS when offered), smtps://host:465
    mail_from: str = ""
    public_url: str = "http://127.0.0.1:8050"  # deep links in mails point here
    overdue_days: tuple[int, ...] = (5, 15, 30)  # reminders this many days after the due date

    @property
    def mail_enabled(self) -> bool:
        """Whether notifications are sent at all (both SMTP_URL and MAIL_FROM are set)."""
        return bool(self.smtp_url and self.mail_from)

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"


def _default_config(data_dir: Path) -> Path:
    own = data_dir / "config.toml"
    return own if own.exists() else REPO_ROOT / "data" / "config.toml"


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    """Build settings from an environment mapping (``os.environ`` by default)."""
    env = dict(os.environ if env is None else env)
    data_dir = Path(env.get("DATA_DIR") or REPO_ROOT / "data").resolve()
    url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'warehouse.db'}"
    config = Path(env["NETWORK_CONFIG"]) if env.get("NETWORK_CONFIG") else _default_config(data_dir)
    return Settings(
        data_dir=data_dir,
        database_url=url,
        config_path=config,
        max_upload_bytes=int(env.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024,
        max_unpacked_bytes=int(env.get("MAX_UNPACKED_MB", "200")) * 1024 * 1024,
        archive_quota_bytes=int(env.get("ARCHIVE_QUOTA_MB", "500")) * 1024 * 1024,
        smtp_url=env.get("SMTP_URL", "").strip(),
        mail_from=env.get("MAIL_FROM", "").strip(),
        public_url=(env.get("PUBLIC_URL") or "http://127.0.0.1:8050").rstrip("/"),
        overdue_days=_days(env.get("NOTIFY_OVERDUE_DAYS") or "5,15,30"),
    )


def _days(text: str) -> tuple[int, ...]:
    """``"5,15,30"`` -> (5, 15, 30), sorted, without duplicates."""
    return tuple(sorted({int(part) for part in text.replace(" ", "").split(",") if part}))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests call ``get_settings.cache_clear()``)."""
    return settings_from_env()
