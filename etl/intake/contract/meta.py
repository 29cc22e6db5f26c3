"""Sheet ``Meta``: partner, reporting month, contact, template version (two columns Feld/Wert)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from etl.core.config import NetworkConfig
from etl.core.duty import membership_problem
from etl.core.errors import Issue
from etl.core.normalise import CellError, clean_text, header_key, parse_int, parse_month
from etl.core.stand import add_months, month_end
from etl.intake.contract.engine import Col, SheetSpec, is_blank, parse_sheet
from etl.intake.reader import RawSheet

SHEET = "Meta"
SPEC = SheetSpec(SHEET, (Col("Feld"), Col("Wert", required=False)))
SUPPORTED_VERSIONS = (1, 2)
CURRENT_VERSION = SUPPORTED_VERSIONS[-1]


@dataclass
class Meta:
    partner: str | None = None
    month: date | None = None
    contact: str | None = None
    version: int | None = None
    errors: list[Issue] = field(default_factory=list)
    notices: list[Issue] = field(default_factory=list)


def _partner(value: object, config: NetworkConfig) -> str:
    key = clean_text(value).casefold()
    for p in config.partners:
        if key in (p.code.casefold(), p.name.casefold()):
            return p.code
    codes = ", ".join(config.partner_codes)
    raise CellError(
        f"Partner '{clean_text(value)}' ist unbekannt. Bitte das Kürzel eintragen ({codes})."
    )


def _month(value: object, config: NetworkConfig, today: date) -> date:
    month = parse_month(value)
    if not config.start.replace(day=1) <= month <= config.end:
        raise CellError(
            f"Der Berichtsmonat {month:%m/%Y} liegt außerhalb der Projektlaufzeit "
            f"({config.start:%m/%Y} bis {config.end:%m/%Y})."
        )
    if month > today.replace(day=1):
        raise CellError(f"Der Berichtsmonat {month:%m/%Y} liegt in der Zukunft.")
    if month == today.replace(day=1):
        # a month that has not ended has no complete report: refused, not kept as a draft
        # (a draft would be a second kind of figure that the Stand would have to hide)
        raise CellError(
            f"Der Berichtsmonat {month:%m/%Y} ist noch nicht abgeschlossen (er endet am "
            f"{month_end(month):%d.%m.%Y}). Bitte den Bericht nach Monatsende hochladen, "
            f"ab {add_months(month, 1):%d.%m.%Y}."
        )
    return month


def _version(value: object, _config: NetworkConfig, _today: date) -> int:
    version = parse_int(value)
    if version not in SUPPORTED_VERSIONS:
        raise CellError(
            f"Vorlagenversion {version} wird nicht unterstützt. Bitte die aktuelle Vorlage "
            f"(Version {CURRENT_VERSION}) verwenden."
        )
    return version


FIELDS = {
    "partner": ("Partner", lambda v, c, t: _partner(v, c), True),
    "berichtsmonat": ("Berichtsmonat", _month, True),
    "ansprechperson": ("Ansprechperson", lambda v, c, t: clean_text(v), False),
    "vorlagenversion": ("Vorlagenversion", _version, True),
}


def read_meta(sheet: RawSheet, config: NetworkConfig, today: date) -> Meta:
    """The Meta sheet's fields; every problem located at its row in column 'Wert'."""
    parsed = parse_sheet(SPEC, sheet)
    meta = Meta(errors=list(parsed.errors), notices=list(parsed.notices))
    values: dict[str, object] = {}
    for row in parsed.rows:
        key = header_key(row["Feld"] or "")
        if key not in FIELDS:
            meta.notices.append(
                Issue(SHEET, row["_row"], "Feld", "Unbekanntes Feld wird ignoriert.")
            )
            continue
        label, parse, required = FIELDS[key]
        values[key] = None
        if is_blank(row["Wert"]):
            if required:
                meta.errors.append(
                    Issue(
                        SHEET, row["_row"], "Wert", f"Das Feld '{label}' ist leer. Bitte ausfüllen."
                    )
                )
            continue
        try:
            values[key] = parse(row["Wert"], config, today)
        except CellError as exc:
            meta.errors.append(Issue(SHEET, row["_row"], "Wert", f"{label}: {exc}"))
    for key, (label, _parse, required) in FIELDS.items():
        if required and key not in values:
            meta.errors.append(
                Issue(
                    SHEET,
                    None,
                    "Feld",
                    f"Das Feld '{label}' fehlt. Bitte eine Zeile '{label}' ergänzen.",
                )
            )
    meta.partner = values.get("partner")
    meta.month = values.get("berichtsmonat")
    meta.contact = values.get("ansprechperson")
    meta.version = values.get("vorlagenversion")
    if meta.partner and meta.month:
        outside = membership_problem(config, meta.partner, meta.month)
        if outside:
            meta.errors.append(Issue(SHEET, None, "Wert", outside))
    return meta
