"""Contract version 2 beside version 1: both accepted (also as LibreOffice saved them), the new
columns stored, and the company identifier deciding which company a row is.

The rules of the new columns, each located, are in ``test_contract.RULES`` (so the LibreOffice
round trip in ``test_libreoffice`` checks them too)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from etl.core.identifiers import parse_company_id, vat_check_digit
from etl.core.normalise import CellError
from etl.intake.reader import read_workbook
from etl.warehouse import queries
from etl.warehouse import schema as s
from tests.etl.intake.test_contract import check
from tests.factories import month_report, sheets, workbook

HRB = "HRB 4711, Amtsgericht Dortmund"


def _v2_sheets() -> dict:
    """The base report with every version 2 column filled."""
    data = sheets()
    data["Ausgaben"][0].update(
        {
            "Zahlungsdatum": "20.03.2025",
            "Zahlungsempfänger": "Kulturzentrum Lindenbrauerei",
            "Verwendungszweck": "Raummiete Netzwerktreffen, Rechnung RE-2025-0815",
        }
    )
    data["Ausgaben"][1].update({"Zahlungsdatum": date(2025, 3, 31), "Zahlungsempfänger": "DB"})
    data["Teilnehmende"][0]["Unternehmenskennung"] = HRB
    data["Teilnehmende"][1]["Unternehmenskennung"] = "DE 123 456 788"
    return data


def test_version_2_columns_are_read(config):
    rep = check(workbook(data=_v2_sheets()), config)
    assert rep.errors == [] and rep.version == 2
    first, second = rep.rows("Ausgaben")
    assert first["Zahlungsdatum"] == date(2025, 3, 20)
    assert first["Zahlungsempfänger"] == "Kulturzentrum Lindenbrauerei"
    assert second["Zahlungsdatum"] == date(2025, 3, 31) and second["Verwendungszweck"] is None
    ids = [r["Unternehmenskennung"] for r in rep.rows("Teilnehmende")]
    assert ids == ["HRB 4711 DORTMUND", "DE123456788", None]


def test_version_1_stays_accepted_and_ignores_newer_columns(config):
    rep = check(workbook(template_version=1), config)
    assert rep.errors == [] and rep.notices == [] and rep.version == 1
    assert "Zahlungsdatum" not in rep.rows("Ausgaben")[0]
    # a version 1 file with a version 2 column: ignored (even a wrong value), and said so
    headers = {"Ausgaben": ["Belegnummer", "Datum", "Kostenart", "Betrag", "Zahlungsdatum"]}
    data = sheets()
    data["Ausgaben"][0]["Zahlungsdatum"] = "01.01.2020"
    rep = check(workbook(template_version=1, data=data, headers=headers), config)
    assert rep.errors == []
    (notice,) = rep.notices
    assert (notice.sheet, notice.row, notice.column) == ("Ausgaben", 1, "Zahlungsdatum")
    assert "gehört zur Vorlagenversion 2" in notice.message


def test_version_2_without_the_new_columns_is_valid(config):
    headers = {
        "Ausgaben": ["Belegnummer", "Datum", "Kostenart", "Betrag", "Modul"],
        "Teilnehmende": ["Aktivität", "Unternehmen", "PLZ", "Größenklasse", "Personen"],
    }
    rep = check(workbook(headers=headers), config)
    assert rep.errors == [] and rep.notices == []


@pytest.mark.parametrize(
    "text,canonical",
    [
        ("HRB 4711, Amtsgericht Dortmund", "HRB 4711 DORTMUND"),
        ("Amtsgericht Dortmund HRB 4711", "HRB 4711 DORTMUND"),
        ("hrb4711 AG Dortmund", "HRB 4711 DORTMUND"),
        ("HRA 12 Hamm", "HRA 12 HAMM"),
        ("HRB 12345 B, Amtsgericht Charlottenburg", "HRB 12345 B CHARLOTTENBURG"),
        ("DE 123 456 788", "DE123456788"),
        ("de123456788", "DE123456788"),
    ],
)
def test_identifier_spellings_fold(text, canonical):
    assert parse_company_id(text) == canonical


def test_vat_check_digit_is_iso_7064():
    # hand-computed: product 10; digits 1..8 give products 2,6,3,8,8,8,6,9; 11 - 3 = 8
    assert vat_check_digit("12345678") == 8
    with pytest.raises(CellError, match="Prüfziffer"):
        parse_company_id("DE123456780")


def _participant(activities: list, name: str, plz: str, ident: str | None, at: int = 0) -> dict:
    return {
        "Aktivität": activities[at]["ID"],
        "Unternehmen": name,
        "PLZ": plz,
        "Größenklasse": "Klein",
        "Personen": 1,
        "Unternehmenskennung": ident,
    }


def _report(month: str, people: list[tuple]) -> bytes:
    data = month_report("DO", month, n=2)
    events = data["Veranstaltungen"]
    data["Teilnehmende"] = [_participant(events, *p) for p in people]
    return workbook("DO", month, data=data)


def _companies(engine) -> list[tuple]:
    c = s.companies.c
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(select(c.display_name, c.plz, c.identifier).order_by(c.id))
        ]


def test_identifier_decides_company_identity(ingest, engine):
    # March: two spellings and addresses of one firm with one identifier; two different firms
    # of the same name and PLZ told apart by their identifiers; one firm without identifier
    march = [
        ("Müller Metallbau GmbH", "44135", HRB),
        ("Metallbau Müller", "44139", HRB, 1),
        ("Schulte GmbH", "44787", "HRB 1, Amtsgericht Bochum"),
        ("Schulte GmbH", "44787", "HRB 2, Amtsgericht Bochum"),
        ("Kemper KG", "58089", None),
    ]
    assert ingest(_report("2025-03", march)).status == "accepted"
    assert queries.unique_companies(engine) == 4
    # April: the firm without identifier now with one (it gains it), again without, and the
    # identified firm under yet another name: still 4 companies
    april = [("Kemper KG", "58089", "DE 123 456 788"), ("Müller Metallbau", "44227", HRB)]
    assert ingest(_report("2025-04", april)).status == "accepted"
    may = [("KEMPER K.G.", "58089", None), ("Kemper Gruppe", "59065", "DE123456788", 1)]
    assert ingest(_report("2025-05", may)).status == "accepted"
    assert queries.unique_companies(engine) == 4
    assert sorted(_companies(engine)) == [
        ("Kemper KG", "58089", "DE123456788"),
        ("Müller Metallbau GmbH", "44135", "HRB 4711 DORTMUND"),
        ("Schulte GmbH", "44787", "HRB 1 BOCHUM"),
        ("Schulte GmbH", "44787", "HRB 2 BOCHUM"),
    ]
    rows = queries.participation_rows(engine, partners=["DO"])
    assert rows["company_id"].nunique() == 4
    stored = dict(zip(rows["company_name"], rows["company_id"], strict=False))
    assert stored["Metallbau Müller"] == stored["Müller Metallbau GmbH"]
    assert stored["Kemper Gruppe"] == stored["KEMPER K.G."] == stored["Kemper KG"]


def test_one_company_twice_at_an_activity_through_the_warehouse_is_rejected(ingest, engine):
    # Only the warehouse knows that "Kemper KG" (no identifier here) carries DE123456788
    assert ingest(_report("2025-03", [("Kemper KG", "58089", "DE123456788")])).status == "accepted"
    june = [("Kemper KG", "58089", None), ("Kemper Gruppe", "59065", "DE 123456788")]
    result = ingest(_report("2025-04", june))
    assert result.status == "rejected"
    (error,) = result.errors
    assert (error.sheet, error.row, error.column) == ("Teilnehmende", 3, "Unternehmen")
    assert "schon in Zeile 2" in error.message and "Unternehmenskennung" in error.message
    # at different activities the two rows are fine, and they are one company
    assert ingest(_report("2025-04", [*june[:1], (*june[1], 1)])).status == "accepted"
    assert queries.unique_companies(engine) == 1


def test_new_columns_are_stored(ingest, engine):
    assert ingest(workbook(data=_v2_sheets())).status == "accepted"
    e, p = s.expenditure.c, s.participations.c
    with engine.connect() as conn:
        receipts = conn.execute(
            select(e.receipt_no, e.payment_date, e.payee, e.purpose).order_by(e.receipt_no)
        ).all()
        idents = set(conn.scalars(select(p.company_identifier)))
    assert receipts[0] == (
        "DO-2025-0001",
        date(2025, 3, 20),
        "Kulturzentrum Lindenbrauerei",
        "Raummiete Netzwerktreffen, Rechnung RE-2025-0815",
    )
    assert receipts[1] == ("DO-2025-0002", date(2025, 3, 31), "DB", None)
    assert idents == {"HRB 4711 DORTMUND", "DE123456788", None}


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_libreoffice_saved_versions_1_and_2_are_accepted(tmp_path, soffice, config, fmt):
    v1, v2 = tmp_path / "v1.xlsx", tmp_path / "v2.xlsx"
    v1.write_bytes(workbook(template_version=1))
    v2.write_bytes(workbook(data=_v2_sheets()))
    old, new = soffice([v1, v2], fmt, tmp_path / "lo")
    from etl.intake.contract import validate_workbook
    from tests.etl.intake.test_contract import TODAY

    rep1 = validate_workbook(read_workbook(old.read_bytes(), old.name), config, today=TODAY)
    rep2 = validate_workbook(read_workbook(new.read_bytes(), new.name), config, today=TODAY)
    assert rep1.errors == [] and rep1.version == 1
    assert rep2.errors == [] and rep2.version == 2
    assert rep2.rows("Ausgaben")[0]["Zahlungsdatum"] == date(2025, 3, 20)
    assert rep2.rows("Teilnehmende")[0]["Unternehmenskennung"] == "HRB 4711 DORTMUND"
