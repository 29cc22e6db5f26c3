"""The registry of figures: every number the product shows on a card, in a table column or in
an export, with its German name, a short definition, the formula, the sheets it comes from and
the rule in force. Cards and column headers take their ⓘ text from here, the page Kennzahlen
lists it, and ``python -m etl report`` takes its labels from it: one meaning per number.

Pure data (no database, no dashboard). A rule may name configured values in braces
(``{overhead_rate}``); :func:`rule_text` fills them in from the network configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from etl.core.config import NetworkConfig

# The sheets of the monthly workbook (docs/data-contract.md) and the other sources.
EVENTS = "Veranstaltungen"
COACHINGS = "Coachings"
PARTICIPANTS = "Teilnehmende"
PERSONNEL = "Personal"
EXPENDITURE = "Ausgaben"
PLAN = "Finanzplan (Budget, Ziele, Förderquoten)"
CONFIG = "Konfiguration (config.toml)"
UPLOADS = "Upload-Protokoll (Eingang der Monatsberichte)"
PAYMENTS = "Mittelabrufe"

GROUPS = ("Aktivitäten", "Finanzen", "Meldestand", "Zeit")


@dataclass(frozen=True)
class Figure:
    """One figure: ``key`` (code), ``name`` (German, as on cards), ``short`` (a narrow column
    header, default the name), ``definition`` (one sentence, the ⓘ text), ``formula``,
    ``sources`` (sheets), ``rule`` (the rule in force, may name configured values)."""

    key: str
    group: str
    name: str
    definition: str
    formula: str
    sources: tuple[str, ...]
    rule: str = ""
    short: str = ""

    @property
    def label(self) -> str:
        """The narrow header of a table column (the name when there is no short form)."""
        return self.short or self.name


# One entry per figure: key, group and name on the first line (a table to read down, hence
# not reformatted).
# fmt: off
_ACTIVITY = (
    Figure(
        "events", "Aktivitäten", "Veranstaltungen",
        "Durchgeführte Veranstaltungen im Berichtszeitraum.",
        "Anzahl der Zeilen im Blatt Veranstaltungen (je Partner, Modul und Monat gemeldet)",
        (EVENTS,), short="Veranst.",
    ),
    Figure(
        "participants", "Aktivitäten", "Teilnehmende",
        "Teilnehmende Personen aller Veranstaltungen.",
        "Summe der Spalte Teilnehmende im Blatt Veranstaltungen",
        (EVENTS,), short="Teilnehm.",
    ),
    Figure(
        "coachings", "Aktivitäten", "Coachings",
        "Begonnene Coachings von Unternehmen.",
        "Anzahl der Zeilen im Blatt Coachings",
        (COACHINGS,),
    ),
    Figure(
        "coaching_hours", "Aktivitäten", "Coachingstunden",
        "Geleistete Coachingstunden.",
        "Summe der Spalte Stunden im Blatt Coachings",
        (COACHINGS,), short="Std.",
    ),
    Figure(
        "unique_companies", "Aktivitäten", "Erreichte Unternehmen (eindeutig)",
        "Verschiedene Unternehmen, die an mindestens einer Veranstaltung oder einem Coaching "
        "teilgenommen haben; jedes zählt einmal, gleich wie oft, in welchem Modul oder Jahr.",
        "Anzahl verschiedener Unternehmen (Name und PLZ normalisiert) im Blatt Teilnehmende "
        "(jede Zeile: ein Unternehmen bei einer Veranstaltung oder einem Coaching); je Partner: "
        "die des Partners, Netzwerk: über alle Partner einmal gezählt",
        (PARTICIPANTS,),
        "Ziel: unique_company_targets in der Konfiguration (je Partner und für das Netzwerk, "
        "über die ganze Laufzeit)",
    ),
    Figure(
        "company_contacts", "Aktivitäten", "Unternehmenskontakte",
        "Erreichte Unternehmen je Partner, Modul und Jahr gezählt und summiert: ein Unternehmen "
        "in zwei Modulen oder zwei Jahren zählt doppelt. So sind die Ziele je Modul und Jahr "
        "gesetzt.",
        "Summe über Partner × Modul × Jahr der verschiedenen Unternehmen der Gruppe",
        (PARTICIPANTS,),
        "Ziele je Partner, Modul und Jahr aus dem Finanzplan (Blatt Ziele, Kennzahl Unternehmen)",
        short="Untern.",
    ),
    Figure(
        "sme_share", "Aktivitäten", "KMU-Anteil",
        "Anteil der erreichten Unternehmen, die kleine oder mittlere Unternehmen sind.",
        "eindeutige Unternehmen der Größenklassen Kleinst, Klein, Mittel ÷ alle eindeutigen",
        (PARTICIPANTS,),
    ),
    Figure(
        "target", "Aktivitäten", "Ziel",
        "Das Ziel der Auswahl für die ganze Laufzeit.",
        "Summe der Ziele je Partner, Modul und Jahr in der Auswahl",
        (PLAN,),
    ),
    Figure(
        "expected", "Aktivitäten", "zeitanteilig erwartet",
        "Was bis zum Berichtsstand erreicht sein sollte, wenn das Ziel gleichmäßig über die "
        "Monate verteilt wird.",
        "Σ Jahresziel × (verstrichene Projektmonate des Jahres ÷ Projektmonate des Jahres)",
        (PLAN,),
    ),
    Figure(
        "attainment", "Aktivitäten", "Zielerreichung",
        "Ist im Verhältnis zum Ziel der ganzen Laufzeit.",
        "Ist ÷ Ziel",
        (PLAN,),
    ),
    Figure(
        "on_track", "Aktivitäten", "gegen Erwartung",
        "Ist im Verhältnis zum zeitanteilig erwarteten Ziel; unter 100 % liegt ein Partner "
        "hinter dem Plan.",
        "Ist ÷ zeitanteilig erwartet",
        (PLAN,),
        "Warnung unter {warn_below}, rot unter {flag_below} (deviation_warn, deviation_flag)",
    ),
)

_MONEY = (
    Figure(
        "personnel", "Finanzen", "Personal",
        "Personalausgaben nach Personalkostenpauschalen.",
        "je Zeile im Blatt Personal: Monatssatz der Entgeltgruppe × Umfang (Monat) oder "
        "Stundensatz × Stunden; auf den Cent gerundet",
        (PERSONNEL,),
        "Pauschalentabelle gültig ab {rate_table}; Stundensatz = Monatssatz × 12 ÷ "
        "{hours_per_year} Stunden",
    ),
    Figure(
        "overheads", "Finanzen", "Gemeinkosten",
        "Gemeinausgabenpauschale auf die Personalausgaben.",
        "Personal × Pauschalsatz",
        (PERSONNEL,),
        "{overhead_rate} der Personalausgaben",
    ),
    Figure(
        "material", "Finanzen", "Sachausgaben",
        "Sachausgaben, wie gebucht oder als Pauschale.",
        "Summe der Beträge im Blatt Ausgaben (oder Personal × Pauschalsatz)",
        (EXPENDITURE, PERSONNEL),
        "{material_rule}",
    ),
    Figure(
        "cost_records", "Finanzen", "Kosten laut Meldung",
        "Personal- und Sachausgaben, wie die Zeilen der Monatsberichte sie nennen: ohne die "
        "Gemeinkostenpauschale, daher kleiner als die förderfähigen Ausgaben.",
        "Summe der Personal-Zeilen + Summe der Ausgaben-Zeilen",
        (PERSONNEL, EXPENDITURE),
        "Gemeinkosten ({overhead_rate} des Personals) kommen erst in den förderfähigen "
        "Ausgaben hinzu",
    ),
    Figure(
        "eligible", "Finanzen", "Förderfähige Ausgaben",
        "Ausgaben, die nach den EFRE-Kostenregeln gefördert werden können.",
        "Personal + Gemeinkosten + Sachausgaben, je Partner und Jahr",
        (PERSONNEL, EXPENDITURE),
        "Gemeinkosten {overhead_rate} des Personals; {material_rule}",
        short="Förderfähig",
    ),
    Figure(
        "grant", "Finanzen", "Zuwendung",
        "Der Anteil der förderfähigen Ausgaben, den der Fördergeber trägt.",
        "förderfähige Ausgaben × Förderquote des Partners",
        (PERSONNEL, EXPENDITURE, PLAN),
        "Förderquote je Partner aus dem Finanzplan (Blatt Förderquoten)",
    ),
    Figure(
        "eu", "Finanzen", "EU (EFRE)",
        "Anteil der EU an den förderfähigen Ausgaben.",
        "förderfähige Ausgaben × EU-Anteil",
        (PERSONNEL, EXPENDITURE),
        "EU-Anteil {eu_share}",
    ),
    Figure(
        "state", "Finanzen", "Land NRW",
        "Anteil des Landes an der Zuwendung.",
        "Zuwendung − EU-Anteil",
        (PERSONNEL, EXPENDITURE, PLAN),
    ),
    Figure(
        "own", "Finanzen", "Eigenanteil",
        "Was der Partner selbst trägt.",
        "förderfähige Ausgaben − Zuwendung",
        (PERSONNEL, EXPENDITURE, PLAN),
    ),
    Figure(
        "plan", "Finanzen", "Plan",
        "Geplante Ausgaben laut Finanzplan.",
        "Budget je Partner, Jahr und Kostenart (Summe der Auswahl)",
        (PLAN,),
    ),
    Figure(
        "plan_to_date", "Finanzen", "Plan bis Stand",
        "Der Teil des Jahresplans, der bis zum Berichtsstand fällig ist: abgeschlossene Jahre "
        "ganz, das laufende Jahr anteilig, künftige Jahre gar nicht.",
        "Jahresplan × (Projektmonate des Jahres bis zum Stand ÷ Projektmonate des Jahres)",
        (PLAN,),
    ),
    Figure(
        "deviation", "Finanzen", "Abweichung",
        "Wie weit das Ist einer Budgetzeile über (+) oder unter (−) dem Plan bis Stand liegt.",
        "(Ist − Plan bis Stand) ÷ Plan bis Stand",
        (PERSONNEL, EXPENDITURE, PLAN),
        "über Plan: Warnung ab {warn}, Zustimmung des Fördergebers nötig ab {flag}; unter "
        "Plan: Warnung ab {warn}, Mittel gefährdet ab {flag}",
    ),
    Figure(
        "at_stake", "Finanzen", "Betrag im Risiko",
        "Der Abstand einer auffälligen Budgetzeile zum Plan bis Stand in Euro; die Tabelle "
        "ist danach sortiert, der größte zuerst.",
        "|Ist − Plan bis Stand| der Zeilen mit Warnung oder Markierung",
        (PERSONNEL, EXPENDITURE, PLAN),
    ),
    Figure(
        "forecast", "Finanzen", "Prognose",
        "Erwartete förderfähige Ausgaben zum Ende des Jahres oder der Laufzeit.",
        "Ist bis zum letzten gemeldeten Monat + Durchschnitt der letzten 6 gemeldeten Monate × "
        "restliche Monate, je Partner",
        (PERSONNEL, EXPENDITURE),
    ),
    Figure(
        "at_risk", "Finanzen", "gefährdet",
        "Geplante Mittel, die nach der Prognose nicht ausgegeben werden.",
        "Σ je Partner und Jahr max(0, Plan − Prognose)",
        (PERSONNEL, EXPENDITURE, PLAN),
        "Mehrausgaben eines Partners gleichen die Minderausgaben eines anderen nicht aus; "
        "darum ist der Betrag größer als Plan − Prognose insgesamt",
    ),
    Figure(
        "actual_to_date", "Finanzen", "Ist bisher",
        "Förderfähige Ausgaben bis zum letzten gemeldeten Monat.",
        "Summe der förderfähigen Ausgaben der gemeldeten Monate",
        (PERSONNEL, EXPENDITURE),
    ),
    Figure(
        "requested", "Finanzen", "abgerufen",
        "Mit Mittelabrufen beantragte Zuwendung.",
        "Summe der beantragten Beträge",
        (PAYMENTS,),
    ),
    Figure(
        "paid", "Finanzen", "ausgezahlt",
        "Vom Fördergeber ausgezahlte Zuwendung.",
        "Summe der ausgezahlten Beträge",
        (PAYMENTS,),
    ),
)

_REPORTING = (
    Figure(
        "reports_due", "Meldestand", "fällig",
        "Monatsberichte, deren Frist abgelaufen ist (nie über das Projektende hinaus; ein vor "
        "der Frist eingegangener Bericht zählt erst ab seiner Frist).",
        "Projektmonate, deren Berichtsfrist (Tag {report_due_day} des Folgemonats) vorbei ist",
        (UPLOADS, CONFIG),
    ),
    Figure(
        "on_time", "Meldestand", "rechtzeitig",
        "Berichte, die bis zur Frist angenommen wurden.",
        "Anzahl fälliger Monate mit erster angenommener Fassung bis zur Frist",
        (UPLOADS,),
    ),
    Figure(
        "on_time_rate", "Meldestand", "Quote",
        "Anteil der fälligen Berichte, die rechtzeitig kamen.",
        "rechtzeitig ÷ fällig",
        (UPLOADS,),
        "Hinweis unter {warn_below}",
    ),
    Figure(
        "elapsed", "Zeit", "verstrichene Laufzeit",
        "Anteil der Projektmonate (der gewählten Jahre) bis zum Berichtsstand; ein "
        "abgeschlossenes Jahr ist ganz verstrichen.",
        "Projektmonate der gewählten Jahre bis einschließlich Berichtsstand ÷ Projektmonate "
        "der gewählten Jahre",
        (CONFIG,),
    ),
    Figure(
        "stand", "Zeit", "Berichtsstand",
        "Der Monat, bis zu dem jede Kennzahl, Prognose und jeder Export zählt. Ohne Wahl im "
        "Filter: der letzte Monat, dessen Bericht fällig ist, höchstens der letzte "
        "Projektmonat. Spätere Monate sind vorläufig: auf Meldestand und Daten markiert, "
        "sonst nicht gezählt.",
        "letzter Projektmonat, dessen Berichtsfrist (Tag {report_due_day} des Folgemonats) "
        "vorbei ist; wählbar: jeder abgeschlossene Projektmonat",
        (CONFIG,),
    ),
)

# fmt: on

FIGURES: dict[str, Figure] = {f.key: f for f in (*_ACTIVITY, *_MONEY, *_REPORTING)}


def figure(key: str) -> Figure:
    """The figure registered under ``key`` (KeyError for an unknown key)."""
    return FIGURES[key]


def name(key: str) -> str:
    """The German name of a figure."""
    return FIGURES[key].name


def configured_name(key: str, config: NetworkConfig) -> str:
    """The name of a figure in ``config``'s network: the funding sources ``eu`` and ``state``
    are named by ``[funding_sources]``, an EU indicator and a configured sheet's measure by
    their configuration, every other figure by the registry."""
    from etl.core.sheet_figures import configured_figures  # (it builds on this module)

    named = {"eu": config.eu_name, "state": config.state_name}
    named |= {f.key: f.name for f in (*indicator_figures(config), *configured_figures(config))}
    return named.get(key) or FIGURES[key].name


def label(key: str) -> str:
    """The narrow column header of a figure."""
    return FIGURES[key].label


def definition(key: str) -> str:
    """The short definition of a figure (the ⓘ text)."""
    return FIGURES[key].definition


INDICATOR_GROUP = "EU-Indikatoren"


def indicator_figures(config: NetworkConfig) -> list[Figure]:
    """The network's EU output indicators (configuration, etl.core.indicators) as figures of
    the group ``INDICATOR_GROUP``: the Kennzahlen page lists them with the others."""
    return [
        Figure(
            i.code, INDICATOR_GROUP, f"{i.code} {i.name}", i.definition, i.counting_text(),
            (PARTICIPANTS,),
            "Ziele je Jahr: " + (", ".join(f"{y}: {n}" for y, n in sorted(i.targets.items()))
                                 or "keine (indicator_targets in der Konfiguration)"),
        )
        for i in config.indicators
    ]


def _pct(value: Decimal) -> str:
    """A configured share as a German percentage: ``Decimal('0.15')`` -> ``'15 %'``."""
    return format((Decimal(value) * 100).normalize(), "f").replace(".", ",") + " %"


def rule_values(config: NetworkConfig) -> dict[str, str]:
    """The configured values a rule may name, as German text."""
    r = config.rules
    material = (
        f"Sachausgaben pauschal {_pct(r.material_flat_rate)} des Personals"
        if r.material_mode == "flat"
        else "Sachausgaben wie gebucht (Blatt Ausgaben)"
    )
    table = config.rate_table()
    return {
        "overhead_rate": _pct(r.overhead_rate),
        "material_rule": material,
        "eu_share": _pct(r.eu_share),
        "warn": _pct(r.deviation_warn),
        "flag": _pct(r.deviation_flag),
        "warn_below": _pct(1 - r.deviation_warn),
        "flag_below": _pct(1 - r.deviation_flag),
        "hours_per_year": f"{r.hours_per_year:,}".replace(",", "."),
        "rate_table": f"{table.valid_from:%d.%m.%Y}",
        "report_due_day": str(config.report_due_day),
    }


def rule_text(fig: Figure, config: NetworkConfig) -> str:
    """The rule of ``fig`` with the configured values filled in ('' when it has none)."""
    return fig.rule.format(**rule_values(config)) if fig.rule else ""


def formula_text(fig: Figure, config: NetworkConfig) -> str:
    """The formula of ``fig`` with the configured values filled in."""
    return fig.formula.format(**rule_values(config))
