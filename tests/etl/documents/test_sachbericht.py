"""The Sachbericht draft read back with python-docx: its tables hold the figures of
``build_report`` (``report --json``) for every partner x year of the demo and the whole
project; German formats; it opens in LibreOffice and prints."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal

import pytest
from docx import Document

from etl.documents import wordfile
from etl.documents.proof import scope_of
from etl.documents.report import build_report
from etl.documents.sachbericht import KPI_HEADERS, content, render, sachbericht_docx
from etl.ops.demo import run_demo
from etl.workflow import plan
from tests.factories import month_report, sheets, workbook

MEASURES = {  # the draft's row label -> the report's key
    "Veranstaltungen": "events",
    "Teilnehmende": "participants",
    "Coachings": "coachings",
    "Coachingstunden": "coaching_hours",
    "Unternehmenskontakte": "companies",
}
TARGETS = {"events", "participants", "coachings", "companies"}


def de(text: str) -> Decimal:
    """A German number as the draft shows it (``1.234,50``)."""
    return Decimal(text.replace(".", "").replace(",", "."))


def _cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def read_back(data: bytes) -> dict:
    """The KPI table, and per module the events, coachings and size-class tables with the
    count in the heading above them."""
    doc = Document(io.BytesIO(data))
    out: dict = {"kpi": None, "modules": {}, "headings": [p.text for p in doc.paragraphs]}
    module, heading = None, ""
    for block in doc.iter_inner_content():
        if hasattr(block, "style") and block.style.name.startswith("Heading"):
            heading = block.text
            if " Modul " in heading:
                module = heading.split(" Modul ", 1)[1]
                out["modules"][module] = {}
            continue
        if hasattr(block, "rows"):
            rows = _cells(block)
            if rows[0] == KPI_HEADERS:
                out["kpi"] = rows[1:]
            elif module and heading.split(":")[0] in ("Veranstaltungen", "Coachings"):
                out["modules"][module][heading.split(":")[0]] = (de(heading.split(": ")[1]), rows)
            elif module and rows[0][0] == "Größenklasse":
                out["modules"][module]["sizes"] = rows
    return out


def expected(rep: dict, config, partner: str | None, year: int | None) -> dict:
    """(module, report key) -> (actual, target) summed from the report's activities."""
    scope = scope_of(config, partner, year)
    out: dict = {}
    for r in rep["activities"]:
        if r["partner"] not in scope.partners or r["year"] not in scope.years:
            continue
        for module in (r["module"], "Gesamt"):
            for key in MEASURES.values():
                actual, target = out.get((module, key), (Decimal(0), 0))
                goal = config.targets.get((r["partner"], r["module"], r["year"], key), 0)
                out[(module, key)] = (actual + Decimal(r[key]), target + goal)
    return out


def check_draft(data: bytes, rep: dict, config, partner: str | None, year: int | None) -> None:
    got = read_back(data)
    want = expected(rep, config, partner, year)
    assert len(got["kpi"]) == len(want)
    for module, label, actual, target, attained in got["kpi"]:
        key = MEASURES[label]
        assert de(actual) == want[(module, key)][0], (partner, year, module, label)
        if key in TARGETS:
            goal = want[(module, key)][1]
            assert de(target) == goal, (partner, year, module, label)
            share = want[(module, key)][0] * 100 / goal if goal else None
            assert attained == ("–" if share is None else f"{share:.1f} %".replace(".", ","))
        else:
            assert target == attained == "–"
    for module in config.modules:
        tables = got["modules"][module]
        for label, key, col in (
            ("Veranstaltungen", "participants", -1),
            ("Coachings", "coaching_hours", -1),
        ):
            if label not in tables:
                count = want[(module, MEASURES[label])][0]
                assert count == 0 and want[(module, key)][0] == 0, (partner, year, module)
                continue
            count, rows = tables[label]
            assert count == len(rows) - 2 == want[(module, MEASURES[label])][0]
            assert "Summe" in rows[-1]
            assert de(rows[-1][col]) == want[(module, key)][0], (partner, year, module, label)
        sizes = tables["sizes"]
        assert [r[0] for r in sizes[1:-1]] == ["Kleinst", "Klein", "Mittel", "Groß"]
        assert sum(de(r[1]) for r in sizes[1:-1]) == de(sizes[-1][1])
        assert de(sizes[-1][1]) == want[(module, "companies")][0], (partner, year, module)


@pytest.mark.slow
def test_every_draft_of_the_demo_holds_the_reports_figures(engine, config, settings):
    run_demo(engine, config, settings)
    rep = build_report(engine, config)
    effective = plan.current_config(engine, config, rep["plan_version"])
    for partner in (*config.partner_codes, None):
        for year in (*config.years, None):
            scope = scope_of(config, partner, year)
            doc = render(
                content(engine, config, scope, rep=rep),
                config,
                stand="Testdaten",
                exported_by="test",
            )
            buffer = io.BytesIO()
            doc.save(buffer)
            check_draft(buffer.getvalue(), rep, effective, partner, year)
    reach = read_back(
        sachbericht_docx(engine, config, scope_of(config, "DO", None), exported_by="t", stand="s")
    )
    assert reach["kpi"]


def test_draft_of_a_small_report_in_german(engine, config, ingest, tmp_path, soffice):
    data = sheets()
    data["Veranstaltungen"][0]["Titel"] = "Auftakt <Netzwerk> & =Formel"
    for result in (
        ingest(workbook(data=data)),
        ingest(workbook("BO", "2025-03", data=month_report("BO", "2025-03"))),
    ):
        assert result.status == "accepted", result.errors
    rep = build_report(engine, config)
    body = sachbericht_docx(
        engine,
        config,
        scope_of(config, "DO", 2025),
        exported_by="finanzen",
        stand="Monatsberichte bis 03/2025",
    )
    check_draft(body, rep, config, "DO", 2025)
    doc = Document(io.BytesIO(body))
    text = "\n".join(p.text for p in doc.paragraphs)
    for heading in (
        "1 Zusammenfassung",
        "2 Kennzahlen und Zielerreichung",
        "3.1 Modul Informieren",
        "4 Anmerkungen aus den Monatsberichten",
        "6 Ausblick",
    ):
        assert heading in text
    assert "[Das Wichtigste des Berichtszeitraums in wenigen Sätzen.]" in text
    assert doc.core_properties.language == "de-DE"
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "14.03.2025" in cells or any("03.2025" in c for c in cells)  # German dates
    assert "Auftakt <Netzwerk> & =Formel" in cells  # text as written
    assert "BO" not in {c for c in cells if len(c) == 2}  # only DO's rows
    path = tmp_path / "Sachbericht_DO_2025.docx"
    path.write_bytes(body)
    pdf = soffice(path, "pdf", tmp_path)
    first = subprocess.run(
        ["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Sachbericht – DO – 2025" in first and "Kennzahlen und Zielerreichung" in first
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    assert (tmp_path / "p-1.png").stat().st_size > 10_000


def test_text_xml_cannot_hold_is_dropped():
    assert wordfile.clean("a\x00b\x0bc\td") == "a b c\td"
    assert wordfile.clean(None) == wordfile.clean(float("nan")) == ""
