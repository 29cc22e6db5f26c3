"""The benchmark's tables (markdown), printed and written to bench/results/."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

GOAL_P95_MS = 100
GOAL_DASH_RATIO = 10
GOAL_INGEST_RATIO = 5
GOAL_FIRST_LOAD_S = 2
GOAL_RSS_MB = 400


def _ms(v) -> str:
    return "–" if v is None else f"{v * 1000:,.0f}" if v >= 0.0995 else f"{v * 1000:.1f}"


def _s(v) -> str:
    if v is None:
        return "–"
    return "timeout" if v == float("inf") else f"{v:.2f}"


def _rate(rows: int, seconds: float) -> str:
    return "–" if not seconds else f"{rows / seconds:,.0f}"


def _x(a, b) -> str:
    return "–" if not a or not b else f"{a / b:.1f}×"


def render(res) -> str:
    m = res.machine
    out = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM; Python {m['python']};"
        f" PostgreSQL {m['postgresql']}; run {res.started}, {m.get('runtime_s', '?')} s in all;"
        f" load average at start {m.get('load_start', '?')}, at end {m.get('load_end', '?')}.",
        "",
        "### Ingest (rows/s per phase; naive = pandas.read_excel(openpyxl) + one INSERT per row)",
        "",
        "~ naive measured on a sample (a quarter of the rows of the 100 k workbook, at most 24"
        " files of a month) and scaled to the same rows.",
        "",
        "| case | db | rows | read rows/s | validate rows/s | load rows/s | total | naive total"
        " (read + insert) | speed-up | peak RSS |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in res.ingest:
        nv = r.get("naive")
        mark = "~" if nv and nv.get("sampled") else ""
        naive = (f"{mark}{nv['total']:.2f} s ({nv['read']:.2f} + {nv['load']:.2f})" if nv
                 else "–")
        out.append(
            f"| {r['case']} | {r['backend']} | {r['rows']:,} | {_rate(r['rows'], r['read'])} | "
            f"{_rate(r['rows'], r['validate'])} | {_rate(r['rows'], r['load'])} | "
            f"{r['total']:.2f} s | {naive} | {_x(nv and nv['total'], r['total'])} | "
            f"{r['peak_rss_mb']:.0f} MB |"
        )
    out += [
        "",
        "### Dashboard callbacks over HTTP (ms; warm cache; gunicorn 2 workers, Redis cache)",
        "",
        "| size | db | callback | n | p50 | p95 | cold | response | naive p50 | naive p95 |"
        " speed-up (p50) |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in res.dashboard:
        out.append(
            f"| {r['size']} | {r['backend']} | {r['callback']} | {r['n']} | {_ms(r['p50'])} | "
            f"{_ms(r['p95'])} | {_ms(r['cold'])} | {r['kb']:,} KB | {_ms(r['base_p50'])} | "
            f"{_ms(r['base_p95'])} | {_x(r['base_p50'], r['p50'])} |"
        )
    if res.browser:
        sizes = sorted({(b["size"], b["backend"]) for b in res.browser},
                       key=lambda k: (["small", "medium", "large"].index(k[0]), k[1]))
        pages = list(dict.fromkeys(b["page"] for b in res.browser))
        out += ["", "### First load in headless Chromium (s, fresh browser context, warm server)",
                "", "filled / last callback answer received (the rest is the browser drawing)",
                "", "| size | db | " + " | ".join(pages) + " |",
                "|---|---|" + "---:|" * len(pages)]
        for size, backend in sizes:
            vals = {b["page"]: b for b in res.browser
                    if b["size"] == size and b["backend"] == backend}
            out.append(f"| {size} | {backend} | " + " | ".join(
                f"{_s(vals[p]['s'])} / {_s(vals[p].get('callbacks_s'))}" if p in vals else "–"
                for p in pages) + " |")
    out += ["", "### Peak memory (RSS)", "", "| size | db | process | peak |", "|---|---|---|---:|"]
    for r in res.memory:
        out.append(f"| {r['size']} | {r['backend']} | {r['what']} | {r['peak_mb']:.0f} MB |")
    out += ["", "### Setup and checks", ""]
    for r in res.setup:
        out.append(f"- {r['what']}" + (f": {r['s']:.1f} s" if r["s"] else ""))
    for c in res.checks:
        out.append(f"- {c}")
    out += ["", "### Goals", ""] + goals(res)
    return "\n".join(out)


def goals(res) -> list[str]:
    out = []
    for r in res.ingest:
        nv = r.get("naive")
        if nv:
            ratio = nv["total"] / r["total"]
            ok = "holds" if ratio >= GOAL_INGEST_RATIO else "MISSED"
            out.append(f"- ingest {r['case']} [{r['backend']}]: {ratio:.1f}× the naive baseline"
                       f" (goal ≥ {GOAL_INGEST_RATIO}×): {ok}")
    large = [r for r in res.dashboard if r["size"] == "large"]
    for r in large:
        ok_p95 = r["p95"] * 1000 <= GOAL_P95_MS
        ratio = r["base_p50"] / r["p50"] if r["base_p50"] else None
        ok_ratio = ratio is not None and ratio >= GOAL_DASH_RATIO
        out.append(
            f"- large [{r['backend']}] {r['callback']}: p95 {_ms(r['p95'])} ms "
            f"({'holds' if ok_p95 else 'MISSED'}), "
            + (f"{ratio:.0f}× baseline ({'holds' if ok_ratio else 'MISSED'})" if ratio else
               "no baseline")
        )
    for b in res.browser:
        if b["s"] > GOAL_FIRST_LOAD_S:
            out.append(f"- first load {b['page']} {b['size']} [{b['backend']}]: {_s(b['s'])} s"
                       f" > {GOAL_FIRST_LOAD_S} s: MISSED")
    worst = max((r for r in res.memory), key=lambda r: r["peak_mb"], default=None)
    for r in res.memory:
        if r["size"] == "large" and r["what"] != "baseline app" and r["peak_mb"] > GOAL_RSS_MB:
            out.append(f"- memory {r['what']} large [{r['backend']}]: {r['peak_mb']:.0f} MB > "
                       f"{GOAL_RSS_MB} MB: MISSED")
    if worst:
        out.append(f"- largest peak RSS: {worst['what']} {worst['size']} [{worst['backend']}] "
                   f"{worst['peak_mb']:.0f} MB")
    return out


def write(res, text: str, root: Path) -> Path:
    folder = root / datetime.now().strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(asdict(res), indent=1, default=str))
    (folder / "results.md").write_text(text + "\n")
    (root / "latest.md").write_text(text + "\n")
    return folder
