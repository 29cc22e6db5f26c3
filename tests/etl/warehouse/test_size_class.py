"""One partner's reports never change another partner's SME figures (issue 13, finding 3).

Each participation keeps the class its partner reported; a partner's figures use its own
latest report of a company, network-wide counts the latest report across partners (activity
date, then the newer upload), and companies reported with conflicting classes are listed.
"""

from __future__ import annotations

from datetime import date

from dashboard import filters as flt
from dashboard.calc import sizes
from etl.documents.report import build_report
from etl.warehouse import queries
from etl.workflow import months
from tests.factories import month_report, report_bytes

LOGISTIK = {"Unternehmen": "Bochumer Logistik GmbH", "PLZ": "44807"}


def _report(partner: str, month: str, day: int, size: str) -> dict:
    """One event on ``day`` reaching Bochumer Logistik (as ``size``) and one small company."""
    data = month_report(partner, month)
    y, m = (int(x) for x in month.split("-"))
    data["Veranstaltungen"][0]["Datum"] = date(y, m, day)
    data["Teilnehmende"] = [
        {"Aktivität": f"{partner}-{y}{m:02d}-V1", **LOGISTIK, "Größenklasse": size, "Personen": 2},
        {"Aktivität": f"{partner}-{y}{m:02d}-V1", "Unternehmen": f"Firma {partner} GmbH",
         "PLZ": "44135", "Größenklasse": "Kleinst", "Personen": 1},
    ]
    return data


def _upload(ingest, partner: str, month: str, data: dict) -> None:
    result = ingest(report_bytes(partner=partner, month=month, sheets=data))
    assert result.status in ("accepted", "replaced"), result.errors


def _bo_figures(engine, config) -> tuple:
    """BO's SME counts as the report JSON and the dashboard (filter partner=BO) give them."""
    rep = build_report(engine, config)["sme"]
    bo = next(p for p in rep["partners"] if p["partner"] == "BO")
    reach = flt.apply(queries.company_reach_coded(engine), flt.from_search("?partner=BO", config))
    return (bo["companies"], bo["sme"]), sizes.sme_share(reach)[:2], \
        sizes.companies_by_size(reach, ("Kleinst", "Mittel", "Groß"))


def test_another_partners_report_leaves_an_approved_months_sme_figures(ingest, engine, config):
    _upload(ingest, "BO", "2025-03", _report("BO", "2025-03", 12, "Mittel"))
    months.approve(engine, "BO", date(2025, 3, 1), by="steuerung")
    before = _bo_figures(engine, config)
    assert before == ((2, 2), (2, 2), {"Kleinst": 1, "Mittel": 1, "Groß": 0})

    _upload(ingest, "DO", "2025-04", _report("DO", "2025-04", 2, "Groß"))

    assert _bo_figures(engine, config) == before
    rep = build_report(engine, config)["sme"]
    # network-wide: the latest report by activity date (DO, 02.04.2025) counts: Groß
    assert rep["network"] == {"companies": 3, "sme": 2}
    reach = queries.company_reach_coded(engine)
    assert sizes.sme_share(reach)[:2] == (3, 2)
    assert rep["conflicts"] == [{
        "company": "Bochumer Logistik GmbH", "plz": "44807", "network_class": "Groß",
        "reports": [
            {"partner": "BO", "size_class": "Mittel", "reported_on": "2025-03-12"},
            {"partner": "DO", "size_class": "Groß", "reported_on": "2025-04-02"},
        ],
    }]
    listed = sizes.size_class_conflicts(queries.size_class_conflicts(engine), reach)
    assert listed == [{
        "company": "Bochumer Logistik GmbH", "plz": "44807", "network_class": "Groß",
        "reports": [("BO", "Mittel", date(2025, 3, 12)), ("DO", "Groß", date(2025, 4, 2))],
    }]
    # DO's own figures use DO's report
    do = next(p for p in rep["partners"] if p["partner"] == "DO")
    assert (do["companies"], do["sme"]) == (2, 1)


def test_network_rule_date_first_then_newer_upload_and_a_correction_ends_the_conflict(
    ingest, engine, config
):
    _upload(ingest, "DO", "2025-04", _report("DO", "2025-04", 2, "Groß"))
    # BO reports later, but for an earlier activity: DO's report stays the latest by date
    _upload(ingest, "BO", "2025-03", _report("BO", "2025-03", 12, "Mittel"))
    assert build_report(engine, config)["sme"]["network"] == {"companies": 3, "sme": 2}
    # HA, same activity date as DO, uploaded after it: the tie goes to the newer upload
    _upload(ingest, "HA", "2025-04", _report("HA", "2025-04", 2, "Klein"))
    rep = build_report(engine, config)["sme"]
    assert rep["network"] == {"companies": 4, "sme": 4}
    assert rep["conflicts"][0]["network_class"] == "Klein"
    # DO corrects its month to Mittel (a replacement: the partner's reach is rebuilt); BO and
    # DO now agree, HA still differs
    _upload(ingest, "DO", "2025-04", _report("DO", "2025-04", 2, "Mittel"))
    rep = build_report(engine, config)["sme"]
    assert [r["partner"] for r in rep["conflicts"][0]["reports"]] == ["BO", "DO", "HA"]
    _upload(ingest, "HA", "2025-04", _report("HA", "2025-04", 2, "Mittel"))
    rep = build_report(engine, config)["sme"]
    assert rep["conflicts"] == [] and rep["network"] == {"companies": 4, "sme": 4}


def test_a_partners_own_later_report_is_its_class(ingest, engine, config):
    _upload(ingest, "BO", "2025-03", _report("BO", "2025-03", 12, "Mittel"))
    _upload(ingest, "BO", "2025-05", _report("BO", "2025-05", 7, "Groß"))
    rep = build_report(engine, config)["sme"]
    bo = next(p for p in rep["partners"] if p["partner"] == "BO")
    assert (bo["companies"], bo["sme"]) == (2, 1)
    assert [(r["partner"], r["size_class"]) for r in rep["conflicts"][0]["reports"]] == [
        ("BO", "Mittel"), ("BO", "Groß")]
