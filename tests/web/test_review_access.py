"""The review cycle over HTTP: who may approve, ask, comment, mark a proof of use, reopen
(callbacks of Freigabe and Meldestand as the browser sends them)."""

from __future__ import annotations

import json
from datetime import date

from etl.warehouse.queries import month_comments, month_states
from etl.workflow import months

MARCH = date(2025, 3, 1)


def _key(dash_app, output: str, trigger: str) -> tuple[str, dict]:
    """The callback whose first output is ``output`` (``id.prop``) and that ``trigger`` fires."""
    for key, cb in dash_app.callback_map.items():
        first = key.strip(".").split("...")[0].split("@")[0]
        fired = {f"{i['id']}.{i['property']}" for i in cb["inputs"]}
        if first == output and trigger in fired:
            return key, cb
    raise KeyError(output)


def call(client, dash_app, output: str, trigger: str, values: dict) -> tuple[int, str]:
    """Run the callback of ``output`` as if ``trigger`` (``id.prop``) changed; ``values``:
    ``id.prop`` -> value of its inputs and states (others None)."""
    key, cb = _key(dash_app, output, trigger)
    outs = key.strip(".").split("...") if key.startswith("..") else [key]
    outputs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]} for o in outs]

    def items(kind):
        return [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in cb[kind]]

    body = {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": items("inputs"), "state": items("state"), "changedPropIds": [trigger]}
    resp = client.post("/_dash-update-component", json=body)
    return resp.status_code, resp.get_data(as_text=True)


def state_of(engine, partner: str, month: date) -> str:
    df = month_states(engine)
    row = df[(df["partner_code"] == partner) & (df["month"] == month)]
    return row["state"].iloc[0] if len(row) else "due"


def _approve(client, dash_app, keys):
    return call(client, dash_app, "approval-message.children", "approval-approve.n_clicks",
                {"approval-approve.n_clicks": 1,
                 "approval-queue.selectedRows": [{"key": k} for k in keys]})


def test_reviewers_approve_several_months_partners_cannot(site, client_as, dash_app, engine):
    status, _ = _approve(client_as("partner"), dash_app, ["DO|2025-03"])
    assert status == 403 and state_of(engine, "DO", MARCH) == "submitted"
    status, text = _approve(client_as("steering"), dash_app, ["DO|2025-03", "BO|2025-03",
                                                             "DO|2025-04"])
    assert status == 200
    assert "2 Monat(e) freigegeben" in text and "kein angenommener Bericht" in text
    assert state_of(engine, "DO", MARCH) == state_of(engine, "BO", MARCH) == "approved"


def test_question_and_the_partners_answer(site, client_as, dash_app, engine):
    ask = {"approval-ask.n_clicks": 1, "approval-selected.data": "DO|2025-03",
           "approval-text.value": "Bitte die Teilnehmendenzahl prüfen."}
    status, text = call(client_as("finance"), dash_app, "approval-message.children",
                        "approval-ask.n_clicks", ask)
    assert status == 200 and "Rückfrage zu DO" in text
    assert state_of(engine, "DO", MARCH) == "query"
    note = {"reporting-note-partner.value": "BO", "reporting-note-month.value": "2025-03",
            "reporting-note-save.n_clicks": 1, "reporting-note-text.value": "Fremder Monat!"}
    partner = client_as("partner")
    _, text = call(partner, dash_app, "reporting-note-thread.children",
                   "reporting-note-save.n_clicks", note)
    assert "nur Monate des Partners DO" in text
    note["reporting-note-partner.value"] = "DO"
    note["reporting-note-text.value"] = "Zahl stimmt, zwei Firmen mit je 5 Personen."
    _, text = call(partner, dash_app, "reporting-note-thread.children",
                   "reporting-note-save.n_clicks", note)
    assert "wieder eingereicht" in text and "je 5 Personen" in text
    assert state_of(engine, "DO", MARCH) == "submitted"
    kinds = list(month_comments(engine, partner="DO", month=MARCH)["kind"])
    assert kinds == ["question", "answer"]
    assert month_comments(engine, partner="BO").empty


def test_only_finance_marks_a_proof_and_reopens_it(site, client_as, dash_app, engine):
    proof = {"approval-proof.n_clicks": 1, "approval-proof-partner.value": "DO",
             "approval-proof-year.value": "2025", "approval-proof-kind.value": "interim"}
    _, text = call(client_as("steering"), dash_app, "approval-message.children",
                   "approval-proof.n_clicks", proof)
    assert "nur die Finanzabteilung" in text and state_of(engine, "DO", MARCH) == "submitted"
    _, text = call(client_as("finance"), dash_app, "approval-message.children",
                   "approval-proof.n_clicks", proof)
    assert "Zwischennachweis 2025 für DO eingereicht: 12 Monat(e) gesperrt" in text
    assert state_of(engine, "DO", MARCH) == state_of(engine, "DO", date(2025, 12, 1)) == "proof"
    assert state_of(engine, "BO", MARCH) == "submitted"
    reopen = {"approval-reopen.n_clicks": 1, "approval-selected.data": "DO|2025-03",
              "approval-text.value": "Beleg 2 war falsch gebucht"}
    _, text = call(client_as("steering"), dash_app, "approval-message.children",
                   "approval-reopen.n_clicks", reopen)
    assert "nur die Finanzabteilung" in text and state_of(engine, "DO", MARCH) == "proof"
    _, text = call(client_as("finance"), dash_app, "approval-message.children",
                   "approval-reopen.n_clicks", reopen)
    assert "wieder geöffnet" in text and state_of(engine, "DO", MARCH) == "submitted"


def test_queue_lists_the_waiting_months_of_the_filter(site, client_as, dash_app, engine):
    months.ask(engine, "BO", MARCH, "Bitte Beleg nachreichen.", months.Actor("steuerung",
                                                                            "steering"))
    values = {"url.search": "?partner=BO", "approval-state.value": "open"}
    status, text = call(client_as("steering"), dash_app, "approval-queue.rowData",
                        "approval-state.value", values)
    rows = json.loads(text)["response"]["approval-queue"]["rowData"]
    assert status == 200 and [(r["key"], r["state_label"]) for r in rows] == [
        ("BO|2025-03", "? Rückfrage")
    ]
    assert rows[0]["n_comments"] == 1 and rows[0]["last_comment"] == "Bitte Beleg nachreichen."


def _dialog(client, dash_app, key: str, text: str):
    """Save ``text`` in the Meldestand cell dialog of ``key`` (the address fragment)."""
    values = {"url.hash": "#bemerkung=" + key.replace("|", "%7C"),
              "reporting-dialog-save.n_clicks": 1, "reporting-dialog-text.value": text}
    return call(client, dash_app, "reporting-dialog.is_open", "reporting-dialog-save.n_clicks",
                values)


def test_the_cell_dialog_comments_only_on_the_partners_own_months(site, client_as, dash_app,
                                                                  engine):
    partner = client_as("partner")
    status, text = _dialog(partner, dash_app, "BO|2025-03", "Fremder Monat!")
    assert status == 200 and "Fremder Monat" not in text  # the dialog stays closed
    assert month_comments(engine, partner="BO").empty
    status, text = _dialog(partner, dash_app, "DO|2025-03", "Veranstaltung im April nachgeholt.")
    assert status == 200 and "Bemerkung gespeichert" in text and "im April nachgeholt" in text
    status, text = _dialog(client_as("steering"), dash_app, "BO|2025-03", "Danke, passt so.")
    assert status == 200 and "Bemerkung gespeichert" in text
    got = month_comments(engine)
    assert list(zip(got["partner_code"], got["kind"], strict=True)) == [("DO", "note"),
                                                                       ("BO", "reply")]
