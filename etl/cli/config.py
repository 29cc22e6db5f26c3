"""``python -m etl config check [FILE] [--json]``: validate a network configuration.

Runs before anything touches the warehouse: it reads only the file.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from etl.core.config import ConfigError, load_config
from etl.core.settings import get_settings


def _problems(path: Path) -> tuple[list[str], object]:
    """The problems of the file at ``path`` (empty when sound) and the parsed configuration."""
    try:
        return [], load_config(path)
    except FileNotFoundError:
        return [f"{path}: Datei nicht gefunden."], None
    except tomllib.TOMLDecodeError as exc:
        return [f"{path}: kein gültiges TOML ({exc})."], None
    except ConfigError as exc:
        return str(exc).splitlines(), None
    except (KeyError, TypeError, ValueError) as exc:
        return [f"{path}: Eintrag fehlt oder hat den falschen Typ ({exc!r})."], None


def cmd_config(args) -> int:
    path = Path(args.file) if args.file else get_settings().config_path
    problems, config = _problems(path)
    if args.json:
        print(json.dumps({"ok": not problems, "path": str(path), "problems": problems},
                         ensure_ascii=False, indent=2))
    elif problems:
        print(f"Die Konfiguration {path} ist fehlerhaft ({len(problems)} Befund(e)):")
        for problem in problems:
            print(f"  - {problem}")
    else:
        print(f"Konfiguration in Ordnung: {path} ({config.short_name}, "
              f"{len(config.partners)} Partner, {len(config.modules)} Module, "
              f"{config.start:%d.%m.%Y}–{config.end:%d.%m.%Y}).")
    return 1 if problems else 0


def register(sub) -> None:
    p = sub.add_parser("config", help="validate the network configuration (nothing else is read)")
    p.add_argument("action", choices=["check"])
    p.add_argument("file", nargs="?", help="configuration file (default: NETWORK_CONFIG)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_config)
