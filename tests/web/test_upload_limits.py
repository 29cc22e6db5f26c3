"""The upload callback over HTTP: at most MAX_FILES files per drop, nothing stored beyond."""

from __future__ import annotations

import base64

from tests.factories import month_report, workbook
from tests.robustness.helpers import archived_files, uploads


def _drop(client, files: list[tuple[str, bytes]]):
    url = "data:application/octet-stream;base64,"
    body = {
        "output": "upload-results.children",
        "outputs": {"id": "upload-results", "property": "children"},
        "inputs": [{"id": "upload-files", "property": "contents",
                    "value": [url + base64.b64encode(data).decode() for _, data in files]}],
        "state": [{"id": "upload-files", "property": "filename",
                   "value": [name for name, _ in files]},
                  {"id": "upload-note", "property": "value", "value": None}],
        "changedPropIds": ["upload-files.contents"],
    }  # fmt: skip
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return resp.get_data(as_text=True)


def test_more_than_max_files_are_refused_whole(site, client_as, engine, settings):
    from dashboard.pages.upload import MAX_FILES, too_many_files  # after the app exists

    client = client_as("partner")
    before, files = len(uploads(engine)), archived_files(settings.archive_dir)
    data = workbook(month="2025-05", data=month_report("DO", "2025-05"))
    text = _drop(client, [(f"b{i}.xlsx", data) for i in range(MAX_FILES + 1)])
    assert too_many_files(MAX_FILES + 1) in text
    assert len(uploads(engine)) == before and archived_files(settings.archive_dir) == files
    text = _drop(client, [("mai.xlsx", data)])  # one file passes the same path
    assert len(uploads(engine)) == before + 1 and "mai.xlsx" in text
