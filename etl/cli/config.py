"""``python -m etl config check [FILE] [--json]``: validate a network configuration (runs
before anything touches the warehouse: it reads only the file).

``python -m etl config reference [-o FILE]``: write the reference of every configuration key
(default ``docs/configuration.md``) from ``etl.core.config_keys``.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from etl.core.config import ConfigError, load_config
from etl.core.config_keys import reference_markdown, unknown_keys
from etl.core.settings import REPO_ROOT, get_settings

REFERENCE = REPO_ROOT / "docs" / "configuration.md"


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


def _notices(path: Path) -> list[str]:
    """Keys of the file no definition knows (ignored by the app; a typo, most likely)."""
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return []
    return [f"{key}: unbekannter Schlüssel, wird ignoriert (Tippfehler?)." for key in
            unknown_keys(raw)]


def cmd_reference(args) -> int:
    out = Path(args.output) if args.output else REFERENCE
    out.write_text(reference_markdown(), encoding="utf-8")
    print(f"Schlüsselreferenz geschrieben: {out}")
    return 0


def cmd_config(args) -> int:
    if args.action == "reference":
        return cmd_reference(args)
    path = Path(args.file) if args.file else get_settings().config_path
    problems, config = _problems(path)
    notices = _notices(path)
    if args.json:
        print(json.dumps({"ok": not problems, "path": str(path), "problems": problems,
                          "notices": notices}, ensure_ascii=False, indent=2))
    elif problems:
        print(f"Die Konfiguration {path} ist fehlerhaft ({len(problems)} Befund(e)):")
        for problem in problems:
            print(f"  - {problem}")
    else:
        print(f"Konfiguration in Ordnung: {path} ({config.short_name}, "
              f"{len(config.partners)} Partner, {len(config.modules)} Module, "
              f"{config.start:%d.%m.%Y}–{config.end:%d.%m.%Y}).")
    if notices and not args.json:
        print("Hinweise:")
        for notice in notices:
            print(f"  - {notice}")
    return 1 if problems else 0


def register(sub) -> None:
    p = sub.add_parser(
        "config", help="validate the network configuration, or write the key reference"
    )
    p.add_argument("action", choices=["check", "reference"])
    p.add_argument("file", nargs="?", help="check: configuration file (default: NETWORK_CONFIG)")
    p.add_argument("--json", action="store_true")
    p.add_argument("-o", "--output", help="reference: file to write (default: "
                   "docs/configuration.md)")
    p.set_defaults(func=cmd_config)
