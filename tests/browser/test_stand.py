"""The Berichtsstand in a real browser: a partner's report for a month after the default
Stand (uploaded before it is due) changes no headline figure and no burn note; Meldestand
marks it vorläufig; choosing that month as Stand in the filter bar counts it.

Its own demo warehouse (other browser tests compare against theirs) with reports due on the
28th, so that on most days of a month a month has ended whose report is not yet due."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from etl.core.config import load_config
from etl.core.settings import REPO_ROOT
from etl.core.stand import add_months, default_stand, month_end
from tests.browser.conftest import (
    ACCOUNTS,
    DEMO_UNTIL,
    App,
    _env,
    _free_port,
    _wait_until_up,
    password,
)
from tests.factories import month_report, workbook

pytestmark = pytest.mark.browser
DUE_DAY = 28


@pytest.fixture(scope="module")
def stand_server(browser, tmp_path_factory):
    """``python app.py`` on a demo warehouse (up to DEMO_UNTIL) whose reports fall due on
    the 28th; yields (base URL, configuration)."""
    data_dir = tmp_path_factory.mktemp("stand")
    text = (REPO_ROOT / "data" / "config.toml").read_text(encoding="utf-8")
    (data_dir / "config.toml").write_text(
        text.replace("report_due_day = 10", f"report_due_day = {DUE_DAY}"), encoding="utf-8"
    )
    config = load_config(data_dir / "config.toml")
    assert config.report_due_day == DUE_DAY

    def run(*args, **kw):
        subprocess.run(
            [sys.executable, "-m", "etl", *args],
            cwd=REPO_ROOT,
            env=_env(data_dir),
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
            **kw,
        )

    run("demo", "--until", DEMO_UNTIL)
    for role, (username, partner) in ACCOUNTS.items():
        run(
            "user",
            "add",
            username,
            "--role",
            role,
            "--password-stdin",
            *(["--partner", partner] if partner else []),
            input=password(username) + "\n",
        )
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "app.py"],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(data_dir, PORT=str(port), SEED_DEMO="0"),
    )
    base = f"http://127.0.0.1:{port}"
    _wait_until_up(base + "/login", proc)
    yield base, config
    proc.terminate()
    proc.wait(timeout=10)


def _later_month(config) -> date:
    """The month after today's default Stand, when it has ended (else the test cannot run)."""
    today = date.today()
    stand = default_stand(config, today)
    later = add_months(stand, 1)
    if (
        month_end(later) >= today
        or later > config.end
        or later <= date.fromisoformat(DEMO_UNTIL + "-01")
    ):
        pytest.skip(f"no month after the Stand {stand:%m/%Y} has ended and is past the demo")
    return later


def _login(browser, base: str, role: str) -> tuple:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="de-DE")
    app = App(context.new_page(), base)
    app.login(ACCOUNTS[role][0])
    return context, app


def _headlines(app: App, search: str = "") -> dict[str, str]:
    """Every KPI value on Übersicht and Finanzen, and the burn chart's notes."""
    out = {}
    app.open("/" + search, "#overview-kpi-events-value")
    app.wait_text("#overview-kpi-money-value")
    for el in app.page.locator("[id^=overview-kpi][id$=-value]").all():
        out[el.get_attribute("id")] = el.text_content().strip()
    app.open("/finanzen" + search, "#finance-kpi-eligible-value")
    app.page.wait_for_selector("#finance-burn .annotation-text")
    for el in app.page.locator("[id^=finance-kpi][id$=-value]").all():
        out[el.get_attribute("id")] = el.text_content().strip()
    notes = app.page.locator("#finance-burn .annotation-text").all_text_contents()
    out["burn-notes"] = " | ".join(sorted(notes))
    out["forecast"] = app.text("#finance-forecast")
    return out


def test_a_report_after_the_stand_changes_no_headline_figure(browser, stand_server, tmp_path):
    base, config = stand_server
    later = _later_month(config)
    contexts = []
    try:
        context, steering = _login(browser, base, "steering")
        contexts.append(context)
        before = _headlines(steering)
        assert len(before) >= 8 and before["burn-notes"], before

        context, partner = _login(browser, base, "partner")
        contexts.append(context)
        path = tmp_path / f"Bericht_DO_{later:%Y-%m}.xlsx"
        path.write_bytes(
            workbook("DO", f"{later:%Y-%m}", data=month_report("DO", f"{later:%Y-%m}", 3))
        )
        partner.open("/hochladen", "#upload-history")
        partner.page.locator("#upload-files input[type=file]").set_input_files(str(path))
        partner.page.wait_for_selector(".upload-result")
        assert "angenommen" in partner.text(".upload-result")

        assert _headlines(steering) == before
        steering.open("/meldestand?partner=DO", "#reporting-lead")
        steering.page.wait_for_selector("#reporting-matrix .report-provisional")
        cell = steering.page.locator("#reporting-matrix .report-provisional")
        assert cell.count() == 1 and "vorläufig" in cell.first.get_attribute("title")

        # the filter bar's Berichtsstand: that month counts, and the URL keeps it
        steering.open("/", "#overview-kpi-events-value")
        steering.page.click("#filter-stand")
        steering.page.get_by_text(f"{_month_name(later)}", exact=True).click()
        steering.page.wait_for_url(lambda url: f"stand={later:%Y-%m}" in url)
        events = steering.wait_change(
            "#overview-kpi-events-value", before["overview-kpi-events-value"]
        )
        assert (
            int(events.replace(".", ""))
            == int(before["overview-kpi-events-value"].replace(".", "")) + 3
        )
        for _c, app in ((None, steering), (None, partner)):
            app.assert_clean()
    finally:
        for context in contexts:
            context.close()


def _month_name(month: date) -> str:
    from dashboard.fmt import month_long

    return month_long(month)
