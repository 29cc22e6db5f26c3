"""The workbook writer, the blank template and the demo data generator."""

from __future__ import annotations

import io
import re
import sys
import types
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from openpyxl import load_workbook

from etl.documents.template import build_template, template_bytes, write_template
from etl.documents.workbook import (
    DATA_SHEETS,
    DATE_FORMAT,
    MONEY_FORMAT,
    SHEET_COLUMNS,
    report_bytes,
    sheet_columns,
    write_report,
)
from etl.ops.demo import DemoUpload, build_demo, last_complete_month, run_demo

DEMO_UNTIL = date(2026, 10, 1)


def _load(data: bytes):
    return load_workbook(io.BytesIO(data))


def _rows(ws) -> list[dict]:
    """Data rows of a sheet as dicts keyed by the header row."""
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]


# --- write_report ----------------------------------------------------------------------------


def test_sheet_columns_are_the_contract():
    assert list(SHEET_COLUMNS) == ["Meta", *DATA_SHEETS]
    assert SHEET_COLUMNS["Veranstaltungen"] == [
        "ID",
        "Datum",
        "Titel",
        "Modul",
        "Format",
        "Teilnehmende",
        "davon Frauen",
    ]
    assert SHEET_COLUMNS["Coachings"] == ["ID", "Datum", "Unternehmen", "Modul", "Stunden", "Thema"]
    assert SHEET_COLUMNS["Teilnehmende"] == [
        "Aktivität",
        "Unternehmen",
        "PLZ",
        "Größenklasse",
        "Personen",
        "Unternehmenskennung",
    ]
    assert SHEET_COLUMNS["Personal"] == [
        "Kürzel",
        "Leistungsgruppe",
        "Abrechnung",
        "Umfang",
        "Modul",
    ]
    assert SHEET_COLUMNS["Ausgaben"] == [
        "Belegnummer",
        "Datum",
        "Kostenart",
        "Betrag",
        "Modul",
        "Beschreibung",
        "Zahlungsdatum",
        "Zahlungsempfänger",
        "Verwendungszweck",
    ]
    # version 1 (still accepted): without the columns version 2 added
    old = sheet_columns(1)
    assert old["Teilnehmende"] == SHEET_COLUMNS["Teilnehmende"][:5]
    assert old["Ausgaben"] == SHEET_COLUMNS["Ausgaben"][:6]
    assert sheet_columns(2) == SHEET_COLUMNS


def _sample() -> bytes:
    return report_bytes(
        partner="DO",
        month="2025-03",
        contact="Anna Müller",
        sheets={
            "Veranstaltungen": [
                ["DO-V-01", date(2025, 3, 4), "Infoabend", "Informieren", "Präsenz", 30, 12]
            ],
            "Coachings": [
                {
                    "ID": "DO-C-01",
                    "Datum": date(2025, 3, 10),
                    "Unternehmen": "X GmbH",
                    "Modul": "Coachen",
                    "Stunden": 12.5,
                }
            ],
            "Personal": [
                {"Kürzel": "DO-01", "Leistungsgruppe": 2, "Abrechnung": "Monat", "Umfang": 0.5}
            ],
            "Ausgaben": [
                {
                    "Belegnummer": "DO-2025-0301",
                    "Datum": datetime(2025, 3, 5),
                    "Kostenart": "Sachkosten",
                    "Betrag": 1234.5,
                }
            ],
        },
    )


def test_write_report_round_trip_headers_and_meta():
    wb = _load(_sample())
    assert wb.sheetnames == ["Meta", *DATA_SHEETS]
    for name, headers in SHEET_COLUMNS.items():
        ws = wb[name]
        assert [c.value for c in ws[1]] == headers
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert all(ws.column_dimensions[c.column_letter].width >= len(c.value) for c in ws[1])
    assert list(wb["Meta"].iter_rows(min_row=2, values_only=True)) == [
        ("Partner", "DO"),
        ("Berichtsmonat", "2025-03"),
        ("Ansprechperson", "Anna Müller"),
        ("Vorlagenversion", 2),
    ]
    assert wb["Teilnehmende"].max_row == 1  # not given: header only


def test_write_report_dates_and_number_formats():
    wb = _load(_sample())
    event = wb["Veranstaltungen"]["B2"]
    assert isinstance(event.value, datetime) and event.value.date() == date(2025, 3, 4)
    assert event.number_format == DATE_FORMAT
    assert wb["Ausgaben"]["B2"].value == datetime(2025, 3, 5)
    assert wb["Ausgaben"]["D2"].value == 1234.5
    assert wb["Ausgaben"]["D2"].number_format == MONEY_FORMAT
    assert wb["Coachings"]["E2"].number_format == "0.00"
    assert wb["Personal"]["D2"].number_format == "0.00"
    assert _rows(wb["Coachings"])[0]["Thema"] is None  # dict rows: missing keys stay empty


def test_write_report_writes_wrong_values_as_given(tmp_path):
    path = tmp_path / "bericht.xlsx"
    write_report(
        path,
        partner="Unbekannt",
        month="März",
        template_version="x",
        sheets={
            "Ausgaben": [
                ["B-1", "31.02.2025", "Bewirtung", "zwölf Euro", None, None],
                ["B-2", 45000, "Sachkosten", "1.234,50 €"],
            ],
            "Notizen": [["Spalte"], ["frei"]],
        },
        headers={"Ausgaben": ["Belegnummer", "Datum", "Kostenart", "Betrag (EUR)"]},
        omit_sheets={"Personal"},
    )
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Meta",
        "Veranstaltungen",
        "Coachings",
        "Teilnehmende",
        "Ausgaben",
        "Notizen",
    ]
    rows = list(wb["Ausgaben"].iter_rows(values_only=True))
    assert rows[0] == ("Belegnummer", "Datum", "Kostenart", "Betrag (EUR)")
    assert rows[1][:4] == ("B-1", "31.02.2025", "Bewirtung", "zwölf Euro")
    assert rows[2][:4] == ("B-2", 45000, "Sachkosten", "1.234,50 €")
    assert wb["Ausgaben"]["D3"].number_format == MONEY_FORMAT  # bracketed unit still matched
    assert wb["Meta"]["B2"].value == "Unbekannt" and wb["Meta"]["B5"].value == "x"
    assert list(wb["Notizen"].values) == [("Spalte",), ("frei",)]


def test_dict_rows_follow_overridden_headers():
    wb = _load(
        report_bytes(
            partner="DO",
            month="2025-03",
            sheets={
                "Coachings": [
                    {
                        "ID": "C-1",
                        "Datum": date(2025, 3, 3),
                        "Unternehmen": "X AG",
                        "Modul": "Coachen",
                        "Stunden": 8,
                        "Thema": "t",
                    }
                ]
            },
            headers={"Coachings": [" id ", "DATUM", "Unternehmen", "Modul", "Stunden [h]"]},
        )
    )
    assert list(wb["Coachings"].values) == [
        (" id ", "DATUM", "Unternehmen", "Modul", "Stunden [h]"),
        ("C-1", datetime(2025, 3, 3), "X AG", "Coachen", 8),
    ]  # Thema: no column, left out
    assert wb["Coachings"]["E2"].number_format == "0.00"


def test_report_bytes_are_reproducible(tmp_path):
    assert _sample() == _sample()
    path = tmp_path / "a.xlsx"
    write_report(path, partner="DO", month="2025-03")
    assert path.read_bytes() == report_bytes(partner="DO", month="2025-03")
    stamp = datetime(2025, 4, 3, 9, 30)
    wb = _load(report_bytes(partner="DO", month="2025-03", timestamp=stamp))
    assert wb.properties.created == stamp


# --- write_template ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(config):
    return _load(template_bytes(config, "HA", date(2024, 2, 1)))


def _validations(ws) -> dict[str, object]:
    """Validation per first cell of its range, e.g. {'D2': dv}."""
    return {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}


def test_template_sheets_meta_and_headers(template, tmp_path, config):
    assert template.sheetnames == ["Anleitung", "Meta", *DATA_SHEETS]
    assert list(template["Meta"].iter_rows(values_only=True)) == [
        ("Feld", "Wert"),
        ("Partner", "HA"),
        ("Berichtsmonat", "2024-02"),
        ("Ansprechperson", None),
        ("Vorlagenversion", 2),
    ]
    for sheet in DATA_SHEETS:
        assert [c.value for c in template[sheet][1]] == SHEET_COLUMNS[sheet]
        assert not any(
            any(v is not None for v in row)
            for row in template[sheet].iter_rows(min_row=2, values_only=True)
        )
    path = tmp_path / "vorlage.xlsx"
    write_template(path, config, "HA", date(2024, 2, 1))
    assert path.read_bytes() == template_bytes(config, "HA", date(2024, 2, 1))


@pytest.mark.parametrize(
    ("sheet", "cell", "values"),
    [
        ("Veranstaltungen", "D2", ["Informieren", "Coachen", "Vernetzen", "Transfer"]),
        ("Coachings", "D2", ["Informieren", "Coachen", "Vernetzen", "Transfer"]),
        ("Personal", "E2", ["Informieren", "Coachen", "Vernetzen", "Transfer"]),
        ("Ausgaben", "E2", ["Informieren", "Coachen", "Vernetzen", "Transfer"]),
        ("Veranstaltungen", "E2", ["Präsenz", "Online", "Hybrid"]),
        ("Ausgaben", "C2", ["Sachkosten", "Fremdleistungen", "Reisekosten"]),
        ("Teilnehmende", "D2", ["Kleinst", "Klein", "Mittel", "Groß"]),
        ("Personal", "C2", ["Monat", "Stunden"]),
    ],
)
def test_template_dropdowns(template, sheet, cell, values):
    dv = _validations(template[sheet])[cell]
    assert dv.type == "list"
    assert dv.formula1.strip('"').split(",") == values
    assert str(dv.sqref) == f"{cell}:{cell[0]}501"  # ~500 prepared rows
    assert dv.showErrorMessage and dv.error


def test_template_dropdown_lists_follow_the_configuration(config):
    from dataclasses import replace

    other = replace(config, modules=("Beraten", "Qualifizieren"))
    wb = build_template(other, "DO", date(2025, 5, 1))
    assert _validations(wb["Coachings"])["D2"].formula1 == '"Beraten,Qualifizieren"'


def test_template_pay_groups_are_those_of_the_rate_table_in_force(config):
    """A network whose unit-cost table has other pay groups offers exactly those, in order,
    and the importer's rule names the same ones."""
    from dataclasses import replace

    from etl.core.config import RateTable

    table = RateTable(
        config.grant_notice_date,
        {g: Decimal(str(3000 + 500 * g)) for g in (6, 1, 2, 3, 4, 5)},
    )
    other = replace(config, rules=replace(config.rules, rate_tables=(table,)))
    wb = build_template(other, "DO", date(2025, 5, 1))
    group = _validations(wb["Personal"])["B2"]
    assert (group.type, group.formula1) == ("list", '"1,2,3,4,5,6"')
    assert "1, 2, 3, 4, 5, 6" in group.error


def test_template_number_and_date_checks(template):
    group = _validations(template["Personal"])["B2"]
    assert (group.type, group.formula1) == ("list", '"1,2,3,4"')  # the rate table's groups
    for sheet in ("Veranstaltungen", "Coachings", "Ausgaben"):
        dv = _validations(template[sheet])["B2"]
        assert dv.type == "date" and dv.operator == "between"
        first = date(1899, 12, 30) + timedelta(days=int(dv.formula1))
        last = date(1899, 12, 30) + timedelta(days=int(dv.formula2))
        assert (first, last) == (date(2024, 2, 1), date(2024, 2, 29))
    # formats as column styles: typed values show right, no empty cells are created
    assert template["Ausgaben"].column_dimensions["D"].number_format == MONEY_FORMAT
    assert template["Veranstaltungen"].column_dimensions["B"].number_format == DATE_FORMAT
    assert template["Personal"].column_dimensions["D"].number_format == "0.00"
    assert all(template[s].max_row == 1 for s in DATA_SHEETS)


def test_template_instructions(template):
    text = "\n".join(str(v) for (v,) in template["Anleitung"].iter_rows(values_only=True) if v)
    assert template.active.title == "Anleitung"
    for phrase in (
        "eindeutig",
        "Berichtsmonat (01.02.2024 bis 29.02.2024)",
        "1.720",
        "Leeres Blatt = nichts zu melden",
        "10. des Folgemonats",
        "HAGEN.WIRTSCHAFTSENTWICKLUNG GmbH",
        "Summe der Personen",
    ):
        assert phrase in text
    assert "bis zum 10.03.2024" in text


def test_template_unknown_partner(config):
    with pytest.raises(KeyError):
        template_bytes(config, "XX", date(2024, 2, 1))


# --- build_demo -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(config) -> list[DemoUpload]:
    return build_demo(config, until=DEMO_UNTIL)


@pytest.fixture(scope="module")
def final_books(demo) -> dict[tuple[str, date], object]:
    """The workbook that stands for each partner-month in the end (last non-rejected file)."""
    out = {}
    for upload in demo:
        if upload.expect != "rejected":
            out[(upload.partner, upload.month)] = _load(upload.data)
    return out


def _signature(uploads: list[DemoUpload]) -> list[tuple]:
    return [(u.partner, u.month, u.expect, u.file_name, u.received_at, u.user) for u in uploads]


def test_demo_is_deterministic(config):
    a = build_demo(config, until=date(2024, 9, 1), seed=3)
    b = build_demo(config, until=date(2024, 9, 1), seed=3)
    assert len(a) == len(b)
    assert _signature(a) == _signature(b)
    assert [u.data for u in a] == [u.data for u in b]
    c = build_demo(config, until=date(2024, 9, 1), seed=4)
    assert [u.data for u in c] != [u.data for u in a]


def test_demo_covers_every_partner_and_month_in_arrival_order(demo, config):
    months = [m for m in config.months() if m <= DEMO_UNTIL]
    assert len(months) == 34
    accepted = {(u.partner, u.month) for u in demo if u.expect == "accepted"}
    assert accepted == {(p, m) for p in config.partner_codes for m in months}
    assert [u.received_at for u in demo] == sorted(u.received_at for u in demo)
    assert all(u.received_at.date() > u.month for u in demo)
    assert {u.expect for u in demo} <= {"accepted", "replaced", "rejected"}
    assert all(re.fullmatch(r"[a-z]+@[a-z.-]+\.de", u.user) for u in demo)


def _first_files(demo) -> list[DemoUpload]:
    seen, out = set(), []
    for upload in demo:
        if (upload.partner, upload.month) not in seen:
            seen.add((upload.partner, upload.month))
            out.append(upload)
    return out


def test_demo_one_partner_reports_late(demo, config):
    late = Counter(
        (u.partner, u.received_at.day > config.report_due_day) for u in _first_files(demo)
    )
    assert late[("HAM", True)] >= 0.65 * (late[("HAM", True)] + late[("HAM", False)])
    for code in ("DO", "BO", "HA", "UN"):
        assert late[(code, True)] == 0
        assert all(2 <= u.received_at.day <= 9 for u in _first_files(demo) if u.partner == code)


def _personnel_euro(wb, config) -> Decimal:
    rates, hours = config.rate_table().monthly, config.rules.hours_per_year
    total = Decimal(0)
    for row in _rows(wb["Personal"]):
        rate = rates[row["Leistungsgruppe"]]
        if row["Abrechnung"] == "Stunden":
            rate = rate * 12 / hours
        amount = rate * Decimal(str(row["Umfang"]))
        total += amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return total


def _ratios(books, config, category: str, value) -> dict[tuple[str, int], float]:
    spent, months = defaultdict(Decimal), Counter()
    for (code, month), wb in books.items():
        spent[(code, month.year)] += value(wb)
        months[(code, month.year)] += 1
    return {
        key: float(spent[key] / (config.budget[(*key, category)] * months[key] / 12))
        for key in spent
    }


def test_demo_personnel_roughly_matches_plan_except_ha(final_books, config):
    ratios = _ratios(final_books, config, "personnel", lambda wb: _personnel_euro(wb, config))
    for (code, year), ratio in ratios.items():
        low, high = (0.55, 0.75) if code == "HA" else (0.85, 1.10)
        assert low <= ratio <= high, (code, year, ratio)


def test_demo_expenditure_roughly_matches_plan_except_ha(final_books, config):
    def booked(wb):
        return sum((Decimal(str(r["Betrag"])) for r in _rows(wb["Ausgaben"])), Decimal(0))

    ratios = _ratios(final_books, config, "material", booked)
    for (code, year), ratio in ratios.items():
        low, high = (0.5, 0.78) if code == "HA" else (0.8, 1.15)
        assert low <= ratio <= high, (code, year, ratio)


def test_demo_ha_is_behind_its_targets(final_books, config):
    done, target = Counter(), Counter()
    for (code, month), wb in final_books.items():
        if month.year == 2025:
            done[code] += len(_rows(wb["Veranstaltungen"])) + len(_rows(wb["Coachings"]))
    for (code, _module, year, measure), value in config.targets.items():
        if year == 2025 and measure in ("events", "coachings"):
            target[code] += value
    assert done["HA"] < 0.75 * target["HA"]
    assert all(done[c] >= 0.85 * target[c] for c in ("DO", "BO", "HAM", "UN"))


def test_demo_ids_unique_per_partner_across_months(final_books):
    for code in {c for c, _ in final_books}:
        ids, receipts = [], []
        for (partner, _), wb in final_books.items():
            if partner == code:
                ids += [r["ID"] for s in ("Veranstaltungen", "Coachings") for r in _rows(wb[s])]
                receipts += [r["Belegnummer"] for r in _rows(wb["Ausgaben"])]
        assert len(ids) == len(set(ids)) and len(receipts) == len(set(receipts))
        assert all(re.fullmatch(rf"{code}-[VC]-\d{{4}}-\d\d-\d\d", i) for i in ids)
        assert all(re.fullmatch(rf"{code}-\d{{4}}-\d{{4}}", r) for r in receipts)


def test_demo_rows_follow_the_contract(final_books, config):
    for (_code, month), wb in final_books.items():
        events = {r["ID"]: r for r in _rows(wb["Veranstaltungen"])}
        coachings = {r["ID"]: r for r in _rows(wb["Coachings"])}
        persons = Counter()
        for row in _rows(wb["Teilnehmende"]):
            assert row["Aktivität"] in events or row["Aktivität"] in coachings
            persons[row["Aktivität"]] += row["Personen"]
        for event_id, event in events.items():
            assert persons[event_id] <= event["Teilnehmende"]
            assert event["Datum"].date().replace(day=1) == month
        assert all(cid in persons for cid in coachings)  # every coaching names its company
        assert all(4 <= c["Stunden"] <= 40 for c in coachings.values())
        assert 2 <= len(_rows(wb["Personal"])) <= 4
        assert all(
            r["Modul"] in (*config.modules, None)
            for s in DATA_SHEETS
            if s != "Teilnehmende"
            for r in _rows(wb[s])
        )


def test_demo_hours_stay_well_below_the_cap(final_books):
    hours = Counter()
    for (_, month), wb in final_books.items():
        for row in _rows(wb["Personal"]):
            if row["Abrechnung"] == "Stunden":
                hours[(row["Kürzel"], month.year)] += row["Umfang"]
    assert hours and max(hours.values()) <= 1400


def test_demo_companies_recur_with_spelling_variants(final_books):
    def key(name: str) -> str:
        text = re.sub(r"g\.?\s*m\.?\s*b\.?\s*h\.?", "gmbh", " ".join(name.split()).casefold())
        return text.replace(" und ", " & ").replace("co kg", "co. kg").replace("e. k.", "e.k.")

    spellings, partners = defaultdict(set), defaultdict(set)
    for (code, _), wb in final_books.items():
        for row in _rows(wb["Teilnehmende"]):
            spellings[key(row["Unternehmen"])].add(row["Unternehmen"])
            partners[key(row["Unternehmen"])].add(code)
            assert re.fullmatch(r"(44|58|59)\d{3}", str(row["PLZ"]))
    assert 100 <= len(spellings) <= 420
    assert sum(len(s) > 1 for s in spellings.values()) >= 10
    assert sum(len(p) > 1 for p in partners.values()) >= 20
    sizes = Counter(
        row["Größenklasse"] for wb in final_books.values() for row in _rows(wb["Teilnehmende"])
    )
    assert sizes["Groß"] < 0.15 * sum(sizes.values())


def test_demo_storylines(demo):
    expects = Counter(u.expect for u in demo)
    assert expects["rejected"] >= 3 and expects["replaced"] >= 2
    for i, upload in enumerate(demo):
        key = (upload.partner, upload.month)
        same = [u for u in demo[i + 1 :] if (u.partner, u.month) == key]
        if upload.expect == "rejected":
            assert same[0].expect == "accepted"
            assert timedelta(hours=1) <= same[0].received_at - upload.received_at <= timedelta(2)
        if upload.expect == "replaced":
            earlier = [u for u in demo[:i] if (u.partner, u.month) == key]
            assert [u.expect for u in earlier] == ["accepted"]
            assert earlier[0].data != upload.data


def test_corrected_version_differs_in_participants_and_an_amount(demo):
    replaced = [u for u in demo if u.expect == "replaced"]
    for fixed in replaced:
        first = next(
            u
            for u in demo
            if (u.partner, u.month, u.expect) == (fixed.partner, fixed.month, "accepted")
        )
        a, b = _load(first.data), _load(fixed.data)
        for sheet, column in (("Veranstaltungen", "Teilnehmende"), ("Ausgaben", "Betrag")):
            old, new = _rows(a[sheet]), _rows(b[sheet])
            assert sum(x[column] != y[column] for x, y in zip(old, new, strict=True)) == 1


def test_demo_stops_at_the_given_month(config):
    uploads = build_demo(config, until=date(2024, 2, 15))
    assert {u.month for u in uploads} == {date(2024, 1, 1), date(2024, 2, 1)}
    assert build_demo(config, until=date(2023, 12, 31)) == []


def test_last_complete_month():
    assert last_complete_month(date(2026, 11, 21)) == date(2026, 10, 1)
    assert last_complete_month(date(2026, 1, 1)) == date(2025, 12, 1)


def test_run_demo_feeds_the_upload_path_in_order(monkeypatch, config):
    calls = []

    def fake_ingest(data, file_name, **kwargs):
        calls.append((file_name, kwargs))
        return file_name

    fake = types.SimpleNamespace(ingest_bytes=fake_ingest)
    monkeypatch.setitem(sys.modules, "etl.intake.ingest", fake)
    until = date(2024, 3, 1)
    results = run_demo("ENGINE", config, "SETTINGS", until=until)
    expected = build_demo(config, until=until)
    assert results == [u.file_name for u in expected]
    assert [c[1]["received_at"] for c in calls] == [u.received_at for u in expected]
    assert calls[0][1]["engine"] == "ENGINE" and calls[0][1]["settings"] == "SETTINGS"
    assert calls[0][1]["config"] is config and calls[0][1]["user"] == expected[0].user
    held_back = run_demo("ENGINE", config, "SETTINGS", until=until, now=expected[3].received_at)
    assert len(held_back) == 4


def test_run_demo_as_of_now_holds_back_files_not_yet_sent(monkeypatch, config):
    received = []

    def fake_ingest(data, file_name, **kwargs):
        received.append(kwargs["received_at"])

    fake = types.SimpleNamespace(ingest_bytes=fake_ingest)
    monkeypatch.setitem(sys.modules, "etl.intake.ingest", fake)
    everything = build_demo(config, until=date(2024, 4, 1))
    now = everything[-1].received_at - timedelta(minutes=1)  # the last April file not yet sent
    assert (now.year, now.month) == (2024, 5)
    run_demo("ENGINE", config, "SETTINGS", now=now)
    assert received == [u.received_at for u in everything[:-1]]
