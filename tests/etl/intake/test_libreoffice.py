"""The contract's rules on workbooks that LibreOffice wrote (.ods, .xlsx and .xls).

Every rule case of test_contract is saved by LibreOffice and must give the same located
error; the valid report must load with the same money as the openpyxl original.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from etl.intake.contract import validate_workbook
from etl.intake.reader import read_workbook
from tests.etl.intake.test_contract import RULES, TODAY
from tests.factories import EXPECTED, sheets, workbook

pytestmark = pytest.mark.libreoffice
FORMATS = ["ods", "xlsx", "xls"]


@pytest.fixture(scope="module")
def converted(tmp_path_factory, soffice):
    """{format: [path of the base report, then one per rule case]} written by LibreOffice."""
    src = tmp_path_factory.mktemp("openpyxl")
    paths = [src / "case_base.xlsx"]
    paths[0].write_bytes(workbook())
    for i, (mutate, *_rest) in enumerate(RULES):
        data = sheets()
        mutate(data)
        paths.append(src / f"case_{i:02d}.xlsx")
        paths[-1].write_bytes(workbook(data=data))
    out = tmp_path_factory.mktemp("libreoffice")
    return {fmt: soffice(paths, fmt, out / fmt) for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_rule_gives_the_same_located_error(converted, config, fmt):
    files = converted[fmt]
    base = validate_workbook(
        read_workbook(files[0].read_bytes(), files[0].name), config, today=TODAY
    )
    assert base.errors == [], base.errors
    mismatches = []
    for path, (_mutate, sheet, row, column, words) in zip(files[1:], RULES, strict=True):
        rep = validate_workbook(read_workbook(path.read_bytes(), path.name), config, today=TODAY)
        located = [(e.sheet, e.row, e.column) for e in rep.errors if words in e.message]
        if located != [(sheet, row, column)]:
            mismatches.append((path.name, rep.errors))
    assert mismatches == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_libreoffice_report_loads_with_the_same_money(converted, fmt, ingest, engine, config):
    from etl.documents.report import build_report

    path = converted[fmt][0]
    result = ingest(path.read_bytes(), path.name)
    assert result.status == "accepted", result.errors
    row = next(
        r
        for r in build_report(engine, config)["eligible"]
        if (r["partner"], r["year"]) == ("DO", 2025)
    )
    assert Decimal(row["eligible_eur"]) == EXPECTED["eligible"]
    assert Decimal(row["grant_eur"]) == EXPECTED["grant"]
