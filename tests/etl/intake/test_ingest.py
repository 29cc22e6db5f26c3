"""Loading through the real upload path, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from etl.documents.report import build_report
from etl.warehouse import schema as s
from tests.factories import EXPECTED, month_report, sheets, workbook


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (*s.FACT_TABLES, s.fact_monthly, s.companies)
        }


def statuses(engine) -> list[tuple]:
    with engine.connect() as conn:
        return list(
            conn.execute(select(s.uploads.c.id, s.uploads.c.status).order_by(s.uploads.c.id))
        )


def eligible_row(engine, config, partner="DO", year=2025) -> dict:
    rep = build_report(engine, config)
    return next(r for r in rep["eligible"] if r["partner"] == partner and r["year"] == year)


def test_valid_workbook_is_loaded_with_money_to_the_cent(engine, config, ingest):
    result = ingest(workbook())
    assert result.status == "accepted" and result.errors == []
    row = eligible_row(engine, config)
    got = {k: Decimal(row[f"{'overhead' if k == 'overheads' else k}_eur"]) for k in EXPECTED}
    assert got == EXPECTED
    assert counts(engine)["events"] == 2 and counts(engine)["participations"] == 3


def test_companies_are_deduplicated_across_spellings_and_partners(engine, config, ingest):
    ingest(workbook())
    bo = sheets()
    for sheet in ("Veranstaltungen", "Coachings"):
        for row in bo[sheet]:
            row["ID"] = row["ID"].replace("DO", "BO")
    for row in bo["Teilnehmende"]:
        row["Aktivität"] = row["Aktivität"].replace("DO", "BO")
    bo["Teilnehmende"][0]["Unternehmen"] = "Mueller  Metallbau Gmbh"
    assert ingest(workbook("BO", data=bo)).status == "accepted"
    rep = build_report(engine, config)
    assert rep["unique_companies"] == 2  # Müller Metallbau (3 spellings, 2 partners), Schulte
    do_inf = next(
        r
        for r in rep["activities"]
        if (r["partner"], r["module"], r["year"]) == ("DO", "Informieren", 2025)
    )
    assert (do_inf["events"], do_inf["participants"], do_inf["companies"]) == (1, 30, 2)


def test_identical_upload_changes_nothing(engine, ingest):
    first = ingest(workbook())
    before = counts(engine)
    again = ingest(workbook(), at=datetime(2025, 6, 21))
    assert again.status == "unchanged" and again.previous_id == first.upload_id
    assert counts(engine) == before
    assert [st for _i, st in statuses(engine)] == ["accepted", "unchanged"]


def test_corrected_reupload_replaces_the_month(engine, config, ingest):
    first = ingest(workbook())
    fixed = sheets()
    fixed["Ausgaben"][1]["Betrag"] = "100,00"
    fixed["Veranstaltungen"].pop(1)
    second = ingest(workbook(data=fixed), at=datetime(2025, 6, 22))
    assert second.status == "replaced" and second.previous_id == first.upload_id
    assert statuses(engine) == [(first.upload_id, "superseded"), (second.upload_id, "accepted")]
    row = eligible_row(engine, config)
    assert Decimal(row["material_eur"]) == Decimal("1334.56")
    rep = build_report(engine, config)
    assert sum(r["events"] for r in rep["activities"]) == 1
    with engine.connect() as conn:  # the old version's rows are kept for history
        assert conn.execute(select(func.count()).select_from(s.events)).scalar_one() == 3


def test_rejected_workbook_changes_no_row(engine, ingest):
    ingest(workbook())
    before = counts(engine)
    bad = sheets()
    bad["Ausgaben"][0]["Betrag"] = "viel"
    bad["Ausgaben"][1]["Betrag"] = "1,00"
    result = ingest(workbook(data=bad), at=datetime(2025, 6, 23))
    assert result.status == "rejected"
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("Ausgaben", 2, "Betrag")]
    assert counts(engine) == before
    assert [st for _i, st in statuses(engine)] == ["accepted", "rejected"]


def test_not_a_workbook_is_rejected_and_archived(engine, settings, ingest):
    result = ingest(b"Partner;Monat\nDO;2025-03\n", "bericht.csv")
    assert result.status == "rejected" and result.partner is None
    assert ".xlsx" in result.errors[0].message
    stored = settings.archive_dir / result.archive_path
    assert stored.read_bytes() == b"Partner;Monat\nDO;2025-03\n"
    outcome = json.loads((settings.archive_dir / f"{result.archive_path}.json").read_text())
    assert outcome["status"] == "rejected" and outcome["errors"][0]["message"]


def test_every_upload_is_archived_unchanged(settings, ingest):
    data = workbook()
    result = ingest(data, "März.xlsx")
    assert (settings.archive_dir / result.archive_path).read_bytes() == data
    outcome = json.loads((settings.archive_dir / f"{result.archive_path}.json").read_text())
    assert outcome["status"] == "accepted" and outcome["sha256"] == result.sha256


def test_ids_and_receipts_unique_across_months(ingest):
    ingest(workbook())
    april = month_report("DO", "2025-04")
    april["Veranstaltungen"][0]["ID"] = "do-v-01"  # case does not make it new
    april["Teilnehmende"] = []
    april["Ausgaben"][0]["Belegnummer"] = "DO-2025-0002"
    result = ingest(workbook(month="2025-04", data=april))
    assert result.status == "rejected"
    got = {(e.sheet, e.row, e.column): e.message for e in result.errors}
    assert "03/2025" in got[("Veranstaltungen", 2, "ID")]
    assert "03/2025" in got[("Ausgaben", 2, "Belegnummer")]


def test_participants_may_cite_earlier_months_but_not_unknown_or_later(ingest):
    ingest(workbook())
    april = month_report("DO", "2025-04")
    april["Teilnehmende"] += [
        {
            "Aktivität": "DO-C-01",
            "Unternehmen": "Neu GmbH",
            "PLZ": "44137",
            "Größenklasse": "Kleinst",
            "Personen": 1,
        },
    ]
    assert ingest(workbook(month="2025-04", data=april)).status == "accepted"
    feb = month_report("DO", "2025-02")
    feb["Teilnehmende"] += [
        {
            "Aktivität": "DO-V-01",
            "Unternehmen": "Früh GmbH",
            "PLZ": "44137",
            "Größenklasse": "Klein",
            "Personen": 1,
        },
        {
            "Aktivität": "DO-V-99",
            "Unternehmen": "Unbekannt GmbH",
            "PLZ": "44137",
            "Größenklasse": "Klein",
            "Personen": 1,
        },
    ]
    result = ingest(workbook(month="2025-02", data=feb))
    assert [(e.row, e.column) for e in result.errors] == [(4, "Aktivität"), (5, "Aktivität")]


def test_persons_over_all_months_stay_within_attendance(ingest):
    ingest(workbook())  # DO-V-01 has 30 participants, 5 persons reported
    april = month_report("DO", "2025-04")
    april["Teilnehmende"].append(
        {
            "Aktivität": "DO-V-01",
            "Unternehmen": "Groß AG",
            "PLZ": "44137",
            "Größenklasse": "Groß",
            "Personen": 26,
        }
    )
    result = ingest(workbook(month="2025-04", data=april))
    assert result.status == "rejected"
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("Teilnehmende", 4, "Personen")]
    assert "31" in result.errors[0].message


def test_replacement_may_not_drop_an_activity_cited_later(ingest):
    ingest(workbook())
    april = month_report("DO", "2025-04")
    april["Teilnehmende"].append(
        {
            "Aktivität": "DO-V-02",
            "Unternehmen": "Später GmbH",
            "PLZ": "44137",
            "Größenklasse": "Klein",
            "Personen": 1,
        }
    )
    assert ingest(workbook(month="2025-04", data=april)).status == "accepted"
    march = sheets()
    march["Veranstaltungen"].pop(1)
    result = ingest(workbook(data=march))
    assert result.status == "rejected"
    assert "04/2025" in result.errors[0].message and "DO-V-02" in result.errors[0].message


def test_hours_cap_per_staff_member_and_year(ingest):
    for i, month in enumerate(["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]):
        rep = month_report("DO", month)
        rep["Personal"] = [
            {
                "Kürzel": "DO-07",
                "Leistungsgruppe": 4,
                "Abrechnung": "Stunden",
                "Umfang": 340 if i < 4 else 400,
            }
        ]
        result = ingest(workbook(month=month, data=rep))
        if i < 4:
            assert result.status == "accepted", result.errors
    assert result.status == "rejected"  # 4 x 340 + 400 = 1.760 > 1.720
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("Personal", 2, "Umfang")]
    assert "1.760 Stunden" in result.errors[0].message


def test_monthly_facts_agree_with_fact_tables(engine, ingest):
    ingest(workbook())
    ingest(workbook(month="2025-04", data=month_report("DO", "2025-04", n=3)))
    with engine.connect() as conn:
        fm = dict(
            conn.execute(
                select(s.fact_monthly.c.measure, func.sum(s.fact_monthly.c.value)).group_by(
                    s.fact_monthly.c.measure
                )
            ).all()
        )
        pers = conn.execute(select(func.sum(s.personnel.c.amount_cents))).scalar_one()
        exp = conn.execute(select(func.sum(s.expenditure.c.amount_cents))).scalar_one()
        part = conn.execute(select(func.sum(s.events.c.n_participants))).scalar_one()
    assert int(fm["personnel_cents"]) == pers
    assert int(fm["expenditure_cents"]) == exp
    assert int(fm["participants"]) == part
    assert int(fm["sachkosten_cents"]) + int(fm["reisekosten_cents"]) == exp


def test_concurrent_uploads_of_one_month_serialise(engine, config, settings):
    """Two different versions of a month at the same moment: one wins, one is superseded."""
    from concurrent.futures import ThreadPoolExecutor

    from etl.intake.ingest import ingest_bytes

    other = sheets()
    other["Ausgaben"][1]["Betrag"] = "100,00"
    files = [workbook(), workbook(data=other)]

    def upload(data: bytes):
        return ingest_bytes(
            data,
            "x.xlsx",
            engine=engine,
            config=config,
            settings=settings,
            received_at=datetime(2025, 6, 20),
        )

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(upload, files))
    assert sorted(r.status for r in results) == ["accepted", "replaced"]
    assert sorted(st for _i, st in statuses(engine)) == ["accepted", "superseded"]
    winner = next(r for r in results if r.status == "replaced")
    with engine.connect() as conn:
        loaded = conn.execute(
            select(func.sum(s.expenditure.c.amount_cents)).where(
                s.expenditure.c.upload_id == winner.upload_id
            )
        ).scalar_one()
        current = conn.execute(
            select(func.sum(s.fact_monthly.c.value)).where(
                s.fact_monthly.c.measure == "expenditure_cents"
            )
        ).scalar_one()
    assert int(current) == loaded


# --- the archive never overwrites a file -----------------------------------------------------


def test_same_bytes_in_the_same_microsecond_are_archived_twice(tmp_path):
    """Identical bytes, identical time of receipt: two names, both files whole."""
    from concurrent.futures import ThreadPoolExecutor

    from etl.intake import archive

    data, at = workbook(), datetime(2025, 6, 20, 9, 0, 0, 123456)
    sha = hashlib.sha256(data).hexdigest()
    first = archive.store(tmp_path, data, "bericht.xlsx", sha, at)
    second = archive.store(tmp_path, data, "bericht.xlsx", sha, at)
    with ThreadPoolExecutor(8) as pool:
        more = list(
            pool.map(lambda _: archive.store(tmp_path, data, "bericht.xlsx", sha, at), range(16))
        )
    paths = [first, second, *more]
    assert len(set(paths)) == 18
    assert second == first.replace("bericht.xlsx", "bericht-2.xlsx")
    assert all((tmp_path / p).read_bytes() == data for p in paths)
    assert archive.archived_uploads(tmp_path) == sorted(paths)
    assert not [p for p in tmp_path.rglob(".tmp-*")], "temporary files left behind"


def test_same_file_twice_at_the_same_time_keeps_both_outcomes(engine, settings, ingest):
    """The second, identical upload (unchanged) must not overwrite the first one's outcome."""
    data = workbook()
    first, second = ingest(data), ingest(data)  # the fixture's fixed time of receipt
    assert (first.status, second.status) == ("accepted", "unchanged")
    assert first.archive_path != second.archive_path
    for result in (first, second):
        outcome = json.loads((settings.archive_dir / f"{result.archive_path}.json").read_text())
        assert (outcome["status"], outcome["upload_id"]) == (result.status, result.upload_id)
        assert (settings.archive_dir / result.archive_path).read_bytes() == data


def test_outcome_written_exclusively_is_never_overwritten(tmp_path):
    from etl.intake import archive

    assert archive.write_outcome(tmp_path, "a.xlsx", {"status": "accepted"}, exclusive=True)
    assert not archive.write_outcome(tmp_path, "a.xlsx", {"status": "failed"}, exclusive=True)
    assert json.loads((tmp_path / "a.xlsx.json").read_text()) == {"status": "accepted"}


def test_archive_without_hard_links_is_still_exclusive(tmp_path, monkeypatch):
    """File systems without hard links (some network shares): O_EXCL creation instead."""
    import errno

    from etl.intake import archive

    def no_links(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(archive.os, "link", no_links)
    at = datetime(2025, 6, 20, 9, 0)
    paths = [archive.store(tmp_path, b"same", "x.xlsx", "e" * 64, at) for _ in range(3)]
    assert len(set(paths)) == 3 and all((tmp_path / p).read_bytes() == b"same" for p in paths)
    assert archive.write_outcome(tmp_path, paths[1], {"a": 1}, exclusive=True)
    assert not archive.write_outcome(tmp_path, paths[1], {"a": 2}, exclusive=True)
    assert not list(tmp_path.rglob(".tmp-*"))
