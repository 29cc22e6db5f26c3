"""Every single-workbook rule of the data contract, and every tolerance it promises."""

from __future__ import annotations

from datetime import date

import pytest

from etl.intake.contract import validate_workbook
from etl.intake.reader import read_workbook
from tests.factories import sheets, workbook

TODAY = date(2025, 6, 20)


def check(data: bytes, config):
    return validate_workbook(read_workbook(data, "t.xlsx"), config, today=TODAY)


def where(report):
    return {(e.sheet, e.row, e.column) for e in report.errors}


def test_valid_base_report_has_no_errors(config):
    rep = check(workbook(), config)
    assert rep.errors == []
    assert (rep.partner, rep.month) == ("DO", date(2025, 3, 1))
    assert len(rep.rows("Teilnehmende")) == 3


def _set(sheet: str, index: int, column: str, value):
    def mutate(data):
        data[sheet][index][column] = value

    return mutate


def _append_copy(sheet: str, index: int, **changes):
    def mutate(data):
        data[sheet].append({**data[sheet][index], **changes})

    return mutate


def _same_company_twice(data):
    """One company, by its identifier, twice at one activity under another name and PLZ."""
    data["Teilnehmende"][0]["Unternehmenskennung"] = "HRB 4711, Amtsgericht Dortmund"
    data["Teilnehmende"].append(
        {**data["Teilnehmende"][0], "Unternehmen": "Metallbau Müller", "PLZ": "44139",
         "Unternehmenskennung": "Amtsgericht Dortmund HRB 4711", "Personen": 1}
    )


RULES = [
    # (mutation, sheet, row, column, words the message must contain)
    (
        _set("Veranstaltungen", 0, "Datum", date(2025, 4, 1)),
        "Veranstaltungen",
        2,
        "Datum",
        "nicht im Berichtsmonat",
    ),
    (_set("Veranstaltungen", 0, "Titel", None), "Veranstaltungen", 2, "Titel", "leer"),
    (_set("Veranstaltungen", 1, "Modul", "Marketing"), "Veranstaltungen", 3, "Modul", "Marketing"),
    (_set("Veranstaltungen", 0, "Format", "Webinar"), "Veranstaltungen", 2, "Format", "Hybrid"),
    (
        _set("Veranstaltungen", 0, "Teilnehmende", -1),
        "Veranstaltungen",
        2,
        "Teilnehmende",
        "negativ",
    ),
    (
        _set("Veranstaltungen", 0, "Teilnehmende", "12,5"),
        "Veranstaltungen",
        2,
        "Teilnehmende",
        "ganze Zahl",
    ),
    (
        _set("Veranstaltungen", 0, "davon Frauen", 31),
        "Veranstaltungen",
        2,
        "davon Frauen",
        "größer",
    ),
    (_append_copy("Veranstaltungen", 0, Titel="Kopie"), "Veranstaltungen", 4, "ID", "Zeile 2"),
    (_set("Coachings", 0, "ID", "DO-V-01"), "Coachings", 2, "ID", "Veranstaltung"),
    (_set("Coachings", 0, "Stunden", 0), "Coachings", 2, "Stunden", "größer als 0"),
    (_set("Coachings", 0, "Stunden", "250"), "Coachings", 2, "Stunden", "200"),
    (_set("Coachings", 0, "Datum", "32.03.2025"), "Coachings", 2, "Datum", "kein gültiges Datum"),
    (_set("Coachings", 0, "Unternehmen", "  "), "Coachings", 2, "Unternehmen", "leer"),
    (_set("Teilnehmende", 0, "PLZ", "4413X"), "Teilnehmende", 2, "PLZ", "Postleitzahl"),
    (_set("Teilnehmende", 0, "PLZ", 123), "Teilnehmende", 2, "PLZ", "Postleitzahl"),
    (
        _set("Teilnehmende", 0, "Größenklasse", "riesig"),
        "Teilnehmende",
        2,
        "Größenklasse",
        "Kleinst",
    ),
    (_set("Teilnehmende", 0, "Personen", 0), "Teilnehmende", 2, "Personen", "mindestens 1"),
    (
        _append_copy("Teilnehmende", 0, Unternehmen="MÜLLER  Metallbau G.m.b.H."),
        "Teilnehmende",
        5,
        "Unternehmen",
        "Zeile 2",
    ),
    (_set("Personal", 0, "Leistungsgruppe", 5), "Personal", 2, "Leistungsgruppe", "1, 2, 3, 4"),
    (_set("Personal", 0, "Abrechnung", "Tag"), "Personal", 2, "Abrechnung", "Monat"),
    (_set("Personal", 0, "Umfang", "1,5"), "Personal", 2, "Umfang", "höchstens 1"),
    (_set("Personal", 1, "Umfang", 0), "Personal", 3, "Umfang", "größer als 0"),
    (_set("Personal", 1, "Kürzel", "DO-01"), "Personal", 3, "Kürzel", "Zeile 2"),
    (_set("Personal", 0, "Kürzel", None), "Personal", 2, "Kürzel", "leer"),
    (_set("Ausgaben", 1, "Belegnummer", "DO-2025-0001"), "Ausgaben", 3, "Belegnummer", "Zeile 2"),
    (_set("Ausgaben", 0, "Kostenart", "Bewirtung"), "Ausgaben", 2, "Kostenart", "Reisekosten"),
    (_set("Ausgaben", 0, "Betrag", "12,345"), "Ausgaben", 2, "Betrag", "zwei Nachkommastellen"),
    (_set("Ausgaben", 0, "Betrag", 0), "Ausgaben", 2, "Betrag", "0,00"),
    (_set("Ausgaben", 0, "Datum", "01.02.2025"), "Ausgaben", 2, "Datum", "Berichtsmonat"),
    (_set("Ausgaben", 0, "Modul", "Sonstiges"), "Ausgaben", 2, "Modul", "Informieren"),
    # contract version 2 (the default of the factories): the new optional columns
    (
        _set("Ausgaben", 0, "Zahlungsdatum", date(2025, 3, 11)),  # receipt of 12.03.
        "Ausgaben",
        2,
        "Zahlungsdatum",
        "liegt vor dem Belegdatum 12.03.2025",
    ),
    (
        _set("Ausgaben", 1, "Zahlungsdatum", "01.04.2025"),
        "Ausgaben",
        3,
        "Zahlungsdatum",
        "liegt nach dem Berichtsmonat 03/2025",
    ),
    (_set("Ausgaben", 0, "Zahlungsdatum", "bald"), "Ausgaben", 2, "Zahlungsdatum", "kein gültiges"),
    (_set("Ausgaben", 0, "Zahlungsempfänger", "x" * 201), "Ausgaben", 2, "Zahlungsempfänger",
     "höchstens 200 Zeichen"),
    (_set("Ausgaben", 1, "Verwendungszweck", "y" * 501), "Ausgaben", 3, "Verwendungszweck",
     "höchstens 500 Zeichen"),
    (_set("Teilnehmende", 0, "Unternehmenskennung", "HRB 4711"), "Teilnehmende", 2,
     "Unternehmenskennung", "das Registergericht fehlt"),
    (_set("Teilnehmende", 1, "Unternehmenskennung", "DE12345678"), "Teilnehmende", 3,
     "Unternehmenskennung", "genau 9 Ziffern"),
    (_set("Teilnehmende", 1, "Unternehmenskennung", "DE123456789"), "Teilnehmende", 3,
     "Unternehmenskennung", "Prüfziffer"),
    (_set("Teilnehmende", 2, "Unternehmenskennung", "Müller GmbH"), "Teilnehmende", 4,
     "Unternehmenskennung", "weder eine Handelsregisternummer"),
    (
        _same_company_twice,
        "Teilnehmende",
        5,
        "Unternehmen",
        "steht für diese Aktivität schon in Zeile 2",
    ),
]


@pytest.mark.parametrize(
    "mutate,sheet,row,column,words", RULES, ids=[f"{r[1]}-{r[3]}-{i}" for i, r in enumerate(RULES)]
)
def test_each_rule_is_located(config, mutate, sheet, row, column, words):
    data = sheets()
    mutate(data)
    rep = check(workbook(data=data), config)
    matching = [e for e in rep.errors if (e.sheet, e.row, e.column) == (sheet, row, column)]
    assert matching, f"no error at {sheet}/{row}/{column}: {rep.errors}"
    assert words in matching[0].message
    assert len(rep.errors) == 1, rep.errors


def test_all_errors_are_reported_at_once(config):
    data = sheets()
    for mutate in (RULES[0][0], RULES[13][0], RULES[19][0], RULES[26][0]):
        mutate(data)
    rep = check(workbook(data=data), config)
    assert where(rep) == {
        ("Veranstaltungen", 2, "Datum"),
        ("Teilnehmende", 2, "PLZ"),
        ("Personal", 2, "Abrechnung"),
        ("Ausgaben", 2, "Betrag"),
    }


@pytest.mark.parametrize(
    "kwargs,words",
    [
        ({"partner": "XX"}, "unbekannt"),
        ({"month": "März 2025"}, "kein Berichtsmonat"),
        ({"month": "2023-12"}, "außerhalb der Projektlaufzeit"),
        ({"month": "2025-07"}, "in der Zukunft"),
        ({"month": "2025-06"}, "noch nicht abgeschlossen (er endet am 30.06.2025)"),
        ({"template_version": 3}, "Vorlagenversion 3"),
    ],
)
def test_meta_rules(config, kwargs, words):
    args = {"partner": "DO", "month": "2025-03", **kwargs}
    rep = check(workbook(**args), config)
    assert any(
        e.sheet == "Meta" and e.column == "Wert" and words in e.message for e in rep.errors
    ), rep.errors


def test_meta_field_missing(config):
    rows = [["Partner", "DO"], ["Berichtsmonat", "2025-03"]]
    rep = check(workbook(data={**sheets(), "Meta": rows}), config)
    assert [e.message for e in rep.errors] == [
        "Das Feld 'Vorlagenversion' fehlt. Bitte eine Zeile 'Vorlagenversion' ergänzen."
    ]


@pytest.mark.parametrize(
    "partner,month",
    [
        ("Wirtschaftsförderung Dortmund", "03/2025"),
        ("do", "03.2025"),
        (" DO ", date(2025, 3, 17)),
        ("DO", "17.03.2025"),
    ],
)
def test_meta_tolerances(config, partner, month):
    rep = check(workbook(partner=partner, month=month), config)
    assert rep.errors == []
    assert (rep.partner, rep.month) == ("DO", date(2025, 3, 1))


def test_missing_sheet_and_column(config):
    rep = check(
        workbook(
            omit_sheets={"Ausgaben"},
            headers={"Coachings": ["ID", "Datum", "Unternehmen", "Modul", "Thema"]},
        ),
        config,
    )
    assert ("Ausgaben", None, None) in where(rep)
    assert ("Coachings", 1, "Stunden") in where(rep)
    assert any("fehlt" in e.message for e in rep.errors)


def test_extra_sheets_and_columns_are_notices(config):
    data = sheets()
    data["Notizen"] = [["Text"], ["bitte ignorieren"]]
    for row in data["Ausgaben"]:
        row["Kostenstelle"] = "4711"
    headers = {
        "Ausgaben": [
            "Belegnummer",
            "Datum",
            "Kostenart",
            "Betrag",
            "Modul",
            "Beschreibung",
            "Kostenstelle",
        ]
    }
    rep = check(workbook(data=data, headers=headers), config)
    assert rep.errors == []
    notices = {(n.sheet, n.column) for n in rep.notices}
    assert ("Notizen", None) in notices and ("Ausgaben", "Kostenstelle") in notices


def test_header_spelling_units_and_optional_columns(config):
    headers = {
        "Ausgaben": [
            " belegnummer ",
            "DATUM",
            "Kostenart",
            "Betrag (EUR)",
            "Modul",
            "Beschreibung",
        ],
        "Coachings": ["ID", "Datum", "Unternehmen", "Modul", "Stunden [h]"],  # Thema left out
        "Veranstaltungen": ["ID", "Datum", "Titel", "Modul", "Format", "Teilnehmende"],
    }
    data = sheets()
    for row in data["Coachings"]:
        row.pop("Thema")
    for row in data["Veranstaltungen"]:
        row.pop("davon Frauen")
    rep = check(workbook(data=data, headers=headers), config)
    assert rep.errors == []
    assert rep.rows("Ausgaben")[0]["Betrag"] == 123456
    assert rep.rows("Coachings")[0]["Thema"] is None


def test_header_below_blank_rows_keeps_spreadsheet_row_numbers(config):
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(workbook()))
    ws = wb["Ausgaben"]
    ws.insert_rows(1, amount=3)
    ws["B6"] = "01.01.2020"  # header now in row 4: the second data row is row 6
    buf = BytesIO()
    wb.save(buf)
    rep = check(buf.getvalue(), config)
    assert where(rep) == {("Ausgaben", 6, "Datum")}


def test_values_are_normalised(config):
    rep = check(workbook(), config)
    ev = rep.rows("Veranstaltungen")
    assert ev[1]["Datum"] == date(2025, 3, 18) and ev[1]["Modul"] == "Vernetzen"
    assert ev[1]["Format"] == "Präsenz" and ev[1]["Teilnehmende"] == 12
    assert [r["Größenklasse"] for r in rep.rows("Teilnehmende")] == ["Klein", "Mittel", "Klein"]
    assert [r["PLZ"] for r in rep.rows("Teilnehmende")] == ["44135", "44787", "44135"]
    assert [r["Betrag"] for r in rep.rows("Ausgaben")] == [123456, 8990]


def test_plz_as_number_gets_leading_zero(config):
    data = sheets()
    data["Teilnehmende"][1]["PLZ"] = 4103
    rep = check(workbook(data=data), config)
    assert rep.rows("Teilnehmende")[1]["PLZ"] == "04103"


def test_empty_sheets_mean_nothing_to_report(config):
    empty = {name: [] for name in sheets()}
    rep = check(workbook(data=empty), config)
    assert rep.errors == [] and all(not rep.rows(n) for n in empty)


def test_formula_without_cached_value_is_an_error(config):
    data = sheets()
    data["Ausgaben"][0]["Betrag"] = "=1000+234.56"
    rep = check(workbook(data=data), config)
    assert where(rep) == {("Ausgaben", 2, "Betrag")}
    assert "Formel" in rep.errors[0].message


def test_full_name_as_staff_code_is_a_notice(config):
    data = sheets()
    data["Personal"][0]["Kürzel"] = "Maria Schmidt"
    rep = check(workbook(data=data), config)
    assert rep.errors == []
    assert any(n.column == "Kürzel" and "Datenschutz" in n.message for n in rep.notices)
