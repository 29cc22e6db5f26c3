"""The finance plan workbook (Finanzplan), pre-filled with a plan version, for finance to edit
and upload again. :mod:`etl.workflow.plan.contract` reads it back."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from etl.core.config import COST_CATEGORIES, TARGET_MEASURES, NetworkConfig
from etl.core.money import format_eur
from etl.documents.book import MONEY_FORMAT, Column, Table, put, to_bytes, write_table
from etl.workflow.plan import Plan
from etl.workflow.plan import sheets as sh


def file_name(plan: Plan, today: date) -> str:
    """``Finanzplan_Version-3_2026-11-21.xlsx``."""
    return f"Finanzplan_Version-{plan.version.id}_{today:%Y-%m-%d}.xlsx"


def _budget(config: NetworkConfig, plan: Plan) -> Table:
    columns = [
        Column(sh.PARTNER, width=10),
        Column(sh.YEAR, width=8),
        *[Column(sh.CATEGORY_HEADERS[c], "money") for c in COST_CATEGORIES],
        Column(sh.SUM, "money"),
    ]
    rows = [
        [p, y, *[plan.data.budget.get((p, y, c), 0) for c in COST_CATEGORIES], None]
        for p in config.partner_codes
        for y in config.years
    ]
    return Table(sh.BUDGET, columns, rows)


def _targets(config: NetworkConfig, plan: Plan) -> Table:
    columns = [
        Column(sh.PARTNER, width=10),
        Column(sh.MODULE, width=16),
        Column(sh.YEAR, width=8),
        *[Column(sh.MEASURE_HEADERS[m], "int", width=16) for m in TARGET_MEASURES],
    ]
    rows = [
        [p, m, y, *[plan.data.targets.get((p, m, y, k), 0) for k in TARGET_MEASURES]]
        for p in config.partner_codes
        for m in config.modules
        for y in config.years
    ]
    return Table(sh.TARGETS, columns, rows)


def _rates(config: NetworkConfig, plan: Plan) -> Table:
    columns = [Column(sh.PARTNER, width=10), Column(sh.NAME, width=60), Column(sh.RATE, "pct")]
    rows = [
        [p.code, p.name, plan.data.funding_rates.get(p.code, p.funding_rate)]
        if p.funded
        else [p.code, p.name, sh.NOT_FUNDED]
        for p in config.partners
    ]
    return Table(sh.RATES, columns, rows)


def _parameters(config: NetworkConfig, plan: Plan) -> Table:
    tables = ", ".join(f"{t.valid_from:%d.%m.%Y}" for t in config.rules.rate_tables)
    flat = f"{config.rules.material_flat_rate * 100:.0f} %"
    rows = [
        [sh.BASE_FIELD, plan.version.id, "Planfassung, auf der diese Datei beruht. Nicht ändern."],
        [
            sh.MATERIAL_FIELD,
            sh.MATERIAL_LABELS[plan.data.material_mode],
            f"'wie gebucht': Ausgaben laut Belegen; 'pauschal': {flat} der Personalausgaben",
        ],
        [sh.RATE_TABLE_FIELD, plan.data.rate_table_from, f"Tabellen der Konfiguration: {tables}"],
        [sh.REASON_FIELD, None, "Pflichtfeld: warum der Plan geändert wird (z. B. Umschichtung)"],
    ]
    columns = [Column(sh.FIELD, width=30), Column(sh.VALUE, width=22), Column(sh.EXPLANATION)]
    return Table(sh.PARAMETERS, columns, rows)


def _sum_formulas(ws: Worksheet, n_rows: int) -> None:
    for r in range(2, n_rows + 2):
        ws.cell(r, 6).value = f"=SUM(C{r}:E{r})"
        ws.cell(r, 6).number_format = MONEY_FORMAT


def _validations(wb: Workbook, config: NetworkConfig) -> None:
    def add(ws: Worksheet, dv: DataValidation, *ranges: str) -> None:
        dv.showErrorMessage, dv.errorTitle = True, "Ungültiger Wert"
        ws.add_data_validation(dv)
        for cells in ranges:
            dv.add(cells)

    n_budget = len(config.partner_codes) * len(config.years) + 1
    n_targets = len(config.partner_codes) * len(config.modules) * len(config.years) + 1
    money = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    money.error = "Bitte einen Betrag ab 0 eintragen."
    add(wb[sh.BUDGET], money, f"C2:E{n_budget}")
    count = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    count.error = "Bitte eine ganze Zahl ab 0 eintragen."
    add(wb[sh.TARGETS], count, f"D2:G{n_targets}")
    eu = config.rules.eu_share
    rate = DataValidation(type="decimal", operator="between", formula1=str(eu), formula2="1")
    rate.error = f"Die Förderquote liegt zwischen {eu * 100:.0f} % (EU-Anteil) und 100 %."
    funded = [f"C{r}" for r, p in enumerate(config.partners, start=2) if p.funded]
    add(wb[sh.RATES], rate, *funded)  # not the unfunded partners
    mode = DataValidation(type="list", formula1='"wie gebucht,pauschal"')
    mode.error = "Bitte 'wie gebucht' oder 'pauschal' wählen."
    add(wb[sh.PARAMETERS], mode, "B3")


def _guide(ws: Worksheet, config: NetworkConfig, plan: Plan, n_budget: int) -> None:
    put(ws, 1, 1, f"Finanzplan {config.short_name or config.name}").font = Font(bold=True, size=14)
    v = plan.version
    put(ws, 2, 1, f"{v.label}, erstellt von {v.created_by}: {v.reason}")
    rows = [
        ("Zuwendungsrahmen (förderfähige Ausgaben)", config.total_budget, None),
        ("Summe des Finanzplans (Blatt Budget)", None, f"=SUM(Budget!C2:E{n_budget})"),
        ("Differenz (muss 0,00 € sein)", None, "=B5-B4"),
    ]
    for r, (label, value, formula) in enumerate(rows, start=4):
        put(ws, r, 1, label).font = Font(bold=True)
        cell = ws.cell(r, 2, value if formula is None else formula)
        cell.number_format = MONEY_FORMAT
    steps = [
        "So ändern Sie den Plan:",
        "1. Beträge auf dem Blatt 'Budget' (Euro je Partner, Jahr und Kostenart), Ziele auf "
        "'Ziele', Förderquoten und Materialkosten-Regel auf 'Förderquoten' und 'Parameter' ändern.",
        "2. Die Summe aller Budgetzeilen muss den Zuwendungsrahmen "
        f"({format_eur(int(config.total_budget * 100))}) genau ergeben; jede Kombination aus "
        "Partner und Jahr braucht eine Zeile, Beträge sind nicht negativ.",
        "3. Auf 'Parameter' eine Begründung eintragen, speichern und auf der Seite Finanzplan "
        "hochladen. Geprüft wird alles auf einmal; eine Datei mit Fehlern ändert nichts.",
        "4. Jede angenommene Datei wird eine neue Planfassung; frühere Fassungen bleiben "
        "erhalten. Budgetzeilen, die sich um mehr als "
        f"{config.rules.deviation_flag * 100:.0f} % ändern, werden als zustimmungspflichtig "
        "(Fördergeber) markiert.",
    ]
    for r, line in enumerate(steps, start=9):
        cell = put(ws, r, 1, line)
        cell.alignment = Alignment(wrap_text=False)
        cell.font = Font(bold=r == 9)
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 20


def build_plan_workbook(config: NetworkConfig, plan: Plan) -> Workbook:
    """The plan workbook for ``plan``: Anleitung, Budget, Ziele, Förderquoten, Parameter."""
    wb = Workbook()
    tables = [_budget(config, plan), _targets(config, plan), _rates(config, plan)]
    tables.append(_parameters(config, plan))
    for table in tables:
        write_table(wb.create_sheet(table.sheet), table)
    _sum_formulas(wb[sh.BUDGET], len(tables[0].rows))
    wb[sh.PARAMETERS].cell(4, 2).number_format = "DD.MM.YYYY"
    wb[sh.RATES].column_dimensions["C"].width = 14
    for c in range(4, 8):
        wb[sh.TARGETS].cell(1, c).alignment = Alignment(wrap_text=False)
    _validations(wb, config)
    guide = wb.active
    guide.title = sh.GUIDE
    _guide(guide, config, plan, len(tables[0].rows) + 1)
    wb.calculation.fullCalcOnLoad = True  # Excel computes the sums on opening
    return wb


def plan_workbook_bytes(config: NetworkConfig, plan: Plan) -> bytes:
    """:func:`build_plan_workbook` as ``.xlsx`` bytes."""
    return to_bytes(build_plan_workbook(config, plan))
