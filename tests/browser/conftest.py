"""Browser tests: demo data in a temporary DATA_DIR, ``python app.py`` as a subprocess on a free
port, headless Debian Chromium driven by Playwright. Skipped when Chromium or Playwright is
missing. Every test fails when a page shows a Dash error or logs a console error."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest

from etl.core.settings import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEMO_UNTIL = "2026-10"


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "NETWORK_CONFIG", "CACHE_TYPE")}
    return {**env, "DATA_DIR": str(data_dir), **extra}


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """A data folder with the demo warehouse, loaded through the real upload path."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed: browser tests skipped")
    data_dir = tmp_path_factory.mktemp("demo")
    subprocess.run([sys.executable, "-m", "etl", "demo", "--until", DEMO_UNTIL], cwd=REPO_ROOT,
                   env=_env(data_dir), check=True, capture_output=True, timeout=600)
    return data_dir


# One account per role (partner bound to DO); password = username + "-passwort".
ACCOUNTS = {"admin": ("admin", None), "steering": ("steuerung", None),
            "finance": ("finanzen", None), "partner": ("partner-do", "DO")}


def password(username: str) -> str:
    return f"{username}-passwort"


@pytest.fixture(scope="session")
def accounts(demo_dir) -> dict[str, str]:
    """Role -> username of the accounts created with ``python -m etl user add``."""
    for role, (username, partner) in ACCOUNTS.items():
        args = ["user", "add", username, "--role", role, "--password-stdin"]
        args += ["--partner", partner] if partner else []
        subprocess.run([sys.executable, "-m", "etl", *args], cwd=REPO_ROOT, env=_env(demo_dir),
                       input=password(username) + "\n", text=True, check=True,
                       capture_output=True, timeout=120)
    return {role: username for role, (username, _p) in ACCOUNTS.items()}


@pytest.fixture(scope="session")
def report(demo_dir) -> dict:
    """``python -m etl report --json`` on the demo warehouse: the reference figures."""
    out = subprocess.run([sys.executable, "-m", "etl", "report", "--json"], cwd=REPO_ROOT,
                         env=_env(demo_dir), check=True, capture_output=True, timeout=300)
    return json.loads(out.stdout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="session")
def server(demo_dir, accounts, tmp_path_factory):
    """Base URL of ``python app.py`` serving the demo warehouse (killed afterwards)."""
    port = _free_port()
    log = (tmp_path_factory.mktemp("log") / "app.log").open("w")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=REPO_ROOT, stdout=log,
                            stderr=subprocess.STDOUT,
                            env=_env(demo_dir, PORT=str(port), HOST="127.0.0.1", SEED_DEMO="0"))
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/login", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (skips before any demo data is built when it cannot run)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed: browser tests skipped")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class App:
    """A browser page on the app, collecting console errors."""

    def __init__(self, page, base: str):
        self.page, self.base, self.errors = page, base, []
        page.set_default_timeout(30_000)  # a busy 2-core CI machine, not a latency budget
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def login(self, username: str) -> None:
        """Log in through the login form."""
        self.page.goto(self.base + "/login")
        self.page.fill("#username", username)
        self.page.fill("#password", password(username))
        self.page.click("button[type=submit]")
        self.page.wait_for_url(lambda url: "/login" not in url)

    def open(self, path: str, ready: str) -> None:
        """Go to ``path`` and wait until the element ``ready`` has text."""
        self.page.goto(self.base + path)
        self.wait_text(ready)

    def wait_text(self, selector: str, timeout: float = 30_000) -> str:
        self.page.wait_for_function(
            "s => { const e = document.querySelector(s); return e && e.textContent.trim(); }",
            arg=selector, timeout=timeout)
        return self.text(selector)

    def text(self, selector: str) -> str:
        return self.page.locator(selector).first.text_content().strip()

    def wait_change(self, selector: str, old: str, timeout: float = 30_000) -> str:
        self.page.wait_for_function(
            "([s, old]) => { const e = document.querySelector(s);"
            " return e && e.textContent.trim() && e.textContent.trim() !== old; }",
            arg=[selector, old], timeout=timeout)
        return self.text(selector)

    def assert_clean(self) -> None:
        assert self.page.locator(".dash-fe-error").count() == 0, "Dash error shown"
        assert not self.errors, f"console errors: {self.errors}"


@pytest.fixture
def app_as(browser, server, accounts):
    """``app_as(role)``: a fresh page logged in with that role's account (1440 x 900, de-DE);
    fails on Dash errors or console errors."""
    opened = []

    def make(role: str) -> App:
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="de-DE",
                                      accept_downloads=True)
        wrapper = App(context.new_page(), server)
        wrapper.login(accounts[role])
        opened.append((context, wrapper))
        return wrapper

    yield make
    for context, wrapper in opened:
        wrapper.page.wait_for_load_state("networkidle")
        wrapper.assert_clean()
        context.close()


@pytest.fixture
def app(app_as):
    """A page logged in as project steering (reads everything)."""
    return app_as("steering")


def cents(euros: str) -> int:
    """A report amount ('1234.56') as cents."""
    return int(Decimal(euros) * 100)
