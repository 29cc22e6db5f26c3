"""Dashboard benchmark: the app under gunicorn, its callbacks over HTTP, first loads in Chromium.

The app runs as a subprocess (``gunicorn --workers 2 app:server``, Redis cache as in the
deployment section of the README; the baseline app ``bench.baseline_app:server`` with one
worker and no cache). A ``requests`` session logs in through the login form (CSRF token from
GET /login) and POSTs to ``/_dash-update-component`` the bodies the browser sends: the
callback's outputs from ``/_dash-dependencies`` and its inputs (``url.search`` = the filter).
"""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.memory import children, peak_rss_mb
from etl.core.settings import REPO_ROOT

PASSWORD = "bench-passwort-2026"
USER = "bench-steuerung"

# The main callback of each page: (label, path, an output that identifies it, fixed inputs).
CALLBACKS = [
    ("Übersicht", "/", "overview-lead.children", {}),
    ("Aktivitäten: Verlauf", "/aktivitaeten", "activities-lead.children",
     {"activities-measure.value": "events", "activities-group.value": "partner_code"}),
    ("Aktivitäten: Mix", "/aktivitaeten", "activities-sme.children", {}),
    ("Finanzen", "/finanzen", "finance-lead.children", {}),
    ("Meldestand", "/meldestand", "reporting-lead.children", {}),
    ("Daten", "/daten", "records-lead.children", {}),
]
# First load in the browser: path and the elements whose text says the page is filled.
PAGES = [
    ("Übersicht", "/", ["#overview-partners"]),
    ("Aktivitäten", "/aktivitaeten", ["#activities-lead", "#activities-sme"]),
    ("Finanzen", "/finanzen", ["#finance-lead"]),
    ("Meldestand", "/meldestand", ["#reporting-lead"]),
    ("Daten", "/daten?tabelle=kosten", ["#records-lead", "#records-summary"]),
]


def filter_sets(codes: list[str], month: str) -> dict[str, list[str]]:
    """Filter combinations (URL query strings) per callback: all, one partner, a year, a
    module, partners x module x year, and for Daten the drill-downs a click produces."""
    a, b = codes[0], codes[min(3, len(codes) - 1)]
    common = ["", f"?partner={a}", "?jahr=2025", "?modul=Coachen",
              f"?partner={a},{b}&modul=Informieren&jahr=2025", "?jahr=2024,2026"]
    records = [f"?tabelle=veranstaltungen&partner={a}&monat={month}",
               f"?tabelle=kosten&partner={a}&jahr=2025",
               f"?tabelle=teilnahmen&partner={a},{b}&jahr=2025&groesse=Klein",
               f"?tabelle=coachings&modul=Coachen&monat={month}",
               f"?tabelle=kosten&partner={b}&kategorie=ausgaben",
               "?tabelle=veranstaltungen"]
    return {"default": common, "Daten": records}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running app (gunicorn master + workers)."""

    proc: subprocess.Popen
    base: str
    log: Path

    def worker_pids(self) -> list[int]:
        return children(self.proc.pid)

    def peak_rss_mb(self) -> float:
        """Largest peak RSS of one worker (each worker holds its own frames)."""
        return max([peak_rss_mb(p) for p in self.worker_pids()] or [0.0])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_server(env: dict[str, str], *, app: str = "app:server", workers: int = 2,
                 log_dir: Path) -> Server:
    port = free_port()
    log = log_dir / f"{app.split(':')[0].replace('.', '_')}_{port}.log"
    cmd = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
           f"127.0.0.1:{port}", "--timeout", "600", "--log-level", "warning", app]
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("DATABASE_URL", "NETWORK_CONFIG", "CACHE_TYPE", "DATA_DIR")}
    full_env.update(env)
    with log.open("w") as fh:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=full_env, stdout=fh,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{app} exited: {log.read_text()[-2000:]}")
        try:
            if requests.get(base + "/login", timeout=2).status_code == 200:
                # every worker up: the master forked them all before the first answer
                return Server(proc, base, log)
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    raise TimeoutError(f"{app} did not start")


def login(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    resp = session.post(base + "/login", allow_redirects=False,
                        data={"username": USER, "password": PASSWORD, "csrf": token})
    if resp.status_code != 302:
        raise RuntimeError(f"login failed: {resp.status_code}")
    # as dash-renderer does: the CSRF cookie's value goes along as X-CSRFToken
    session.get(base + "/")
    token = session.cookies.get("_csrf_token")
    if token:
        session.headers["X-CSRFToken"] = token
    return session


def _outputs(key: str) -> list[dict]:
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    out = []
    for part in parts:
        cid, prop = part.rsplit(".", 1)
        out.append({"id": json.loads(cid) if cid.startswith("{") else cid, "property": prop})
    return out


@dataclass
class Callback:
    label: str
    path: str
    key: str
    inputs: list[dict]
    fixed: dict

    def body(self, search: str) -> dict:
        values = {**self.fixed, "url.search": search, "url.pathname": self.path}
        inputs = [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in self.inputs]
        outs = _outputs(self.key)
        return {"output": self.key, "outputs": outs if len(outs) > 1 else outs[0],
                "inputs": inputs, "changedPropIds": ["url.search"], "state": []}


def discover(session: requests.Session, base: str) -> list[Callback]:
    deps = session.get(base + "/_dash-dependencies").json()
    found = []
    for label, path, marker, fixed in CALLBACKS:
        match = next(d for d in deps if marker in d["output"])
        found.append(Callback(label, path, match["output"], match["inputs"], fixed))
    return found


def call(session: requests.Session, base: str, cb: Callback, search: str) -> tuple[float, str]:
    start = time.perf_counter()
    resp = session.post(base + "/_dash-update-component", json=cb.body(search))
    elapsed = time.perf_counter() - start
    if resp.status_code != 200:
        raise RuntimeError(f"{cb.label} {search}: HTTP {resp.status_code} {resp.text[:300]}")
    return elapsed, resp.text


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class Timing:
    label: str
    samples: list[float] = field(default_factory=list)
    bytes: int = 0
    cold: float | None = None

    @property
    def p50(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def p95(self) -> float:
        return percentile(self.samples, 0.95)


def bench_callbacks(base: str, filters: dict[str, list[str]], *, repeat: int,
                    warmup: int = 4, budget_s: float = 60.0
                    ) -> tuple[dict[str, Timing], dict[tuple, str]]:
    """p50/p95 per callback over every filter combination x ``repeat`` (warm cache).

    The first request of each callback after the start is timed separately as ``cold`` (empty
    cache; the frames do not depend on the filter, so one request per worker warms them);
    ``warmup`` more requests reach every worker. A callback stops sampling after ``budget_s``
    seconds (at least one round over its filters)."""
    session = login(base)
    callbacks = discover(session, base)
    timings: dict[str, Timing] = {cb.label: Timing(cb.label) for cb in callbacks}
    answers: dict[tuple, str] = {}
    for cb in callbacks:
        elapsed, _text = call(session, base, cb, "")
        timings[cb.label].cold = elapsed
    for cb in callbacks:
        for i in range(warmup):
            searches = filters.get(cb.label, filters["default"])
            call(session, base, cb, searches[i % len(searches)])
    for cb in callbacks:
        spent = 0.0
        for round_ in range(repeat):
            if round_ and spent > budget_s:
                break
            for search in filters.get(cb.label, filters["default"]):
                elapsed, text = call(session, base, cb, search)
                spent += elapsed
                timings[cb.label].samples.append(elapsed)
                timings[cb.label].bytes = max(timings[cb.label].bytes, len(text))
                answers[(cb.label, search)] = text
    return timings, answers


def same_figures(a: str, b: str) -> bool:
    """Whether two callback responses carry the same content."""
    return json.loads(a) == json.loads(b)


def browser_first_loads(base: str, timeout_s: float = 60) -> dict[str, tuple[float, float]]:
    """Seconds from navigation to a filled page (text in its main elements, no callback
    pending), each page in a fresh browser context (no cached scripts), logged in (session
    cookie), warm server; ``inf`` when not filled within ``timeout_s``. With each: when the
    last callback answer arrived (the rest is the browser drawing)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    out: dict[str, tuple[float, float]] = {}
    session = login(base)
    cookies = [{"name": c.name, "value": c.value, "domain": "127.0.0.1", "path": "/"}
               for c in session.cookies]
    js_ready = """
        (sels) => sels.every(s => { const e = document.querySelector(s);
                                    return e && e.textContent.trim(); })
                  && !document.querySelector('[data-dash-is-loading="true"]')
    """
    # when the last callback answer had arrived, in s after the navigation started (the
    # browser's own resource timing)
    js_answered = """
        () => Math.max(0, ...performance.getEntriesByType('resource')
                          .filter(e => e.name.includes('_dash-update-component'))
                          .map(e => e.responseEnd)) / 1000
    """
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking"],
        )
        try:
            for label, path, ready in PAGES:
                context = browser.new_context(viewport={"width": 1440, "height": 900},
                                              locale="de-DE")
                context.add_cookies(cookies)
                page = context.new_page()
                start = time.perf_counter()
                try:
                    page.goto(base + path, timeout=timeout_s * 1000)
                    page.wait_for_function(js_ready, arg=ready, timeout=timeout_s * 1000)
                    out[label] = (time.perf_counter() - start, page.evaluate(js_answered))
                except PlaywrightTimeout:
                    out[label] = (float("inf"), page.evaluate(js_answered))
                context.close()
        finally:
            browser.close()
    return out
