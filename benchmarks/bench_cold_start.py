"""Cold start: the time from opening / in chromium, on a server just started, to the first chart
drawn (a plotly SVG in the page), and where that time goes. Prints a table.

Run on an idle machine (other work running doubles these numbers):

    python benchmarks/bench_cold_start.py [--runs 3] [--entry serve.py] [--root DIR]

(--root: another checkout to measure, e.g. an export of main for the numbers before a change.)

Each run starts `streamlit run <entry>` afresh and waits for its health check, then opens / in a
new chromium context twice: the first visit pays the page's imports, the database's opening,
its first queries and the charts' first rendering; the second (a new visitor, same server)
shows what is left when those are warm. Beside it, in fresh Python processes: the import time
of the modules the first page needs (ours apart from the libraries'), opening the database and
the first chart's queries, and in the browser the JavaScript the page downloads (plotly.js the
largest).
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # (--root changes it)
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as r:
            return r.read().strip() == b"ok"
    except OSError:
        return False


# ---------------------------------------------------------------- in Python


def _first_page_modules() -> list[str]:
    """The modules app.py and the first page import at their top (etl.*, views.*, libraries)."""
    names = {"streamlit", "views._shared"}
    for path in (ROOT / "app.py", ROOT / "views" / "national.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return sorted(n for n in names if n != "__future__")


def import_times() -> dict[str, float]:
    """Cumulative import time (ms) of the first page's modules, grouped by top-level package:
    ours (etl, views) apart from the libraries."""
    code = "; ".join(f"import {m}" for m in _first_page_modules())
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    groups: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not m:
            continue
        self_us, name = int(m.group(1)), m.group(4)
        top = name.split(".")[0]
        groups[top] = groups.get(top, 0.0) + self_us / 1000
    return groups


_DB_SCRIPT = """
import time
t0 = time.perf_counter()
from etl import DEFAULT_DB
from etl.warehouse.db import open_readonly
con = open_readonly(DEFAULT_DB)
t1 = time.perf_counter()
con.execute("SELECT count(*) FROM inspections").fetchall()
t2 = time.perf_counter()
from etl.figures import national_distribution as m
m.render(con, m.Params())
t3 = time.perf_counter()
m.render(con, m.Params())
t4 = time.perf_counter()
print(f"{(t1-t0)*1000:.1f} {(t2-t1)*1000:.1f} {(t3-t2)*1000:.1f} {(t4-t3)*1000:.1f}")
"""


def database_times() -> tuple[float, float, float, float]:
    """(open incl. its imports, first query, first chart render, the same chart again) in ms,
    in a fresh process."""
    proc = subprocess.run([sys.executable, "-c", _DB_SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    a, b, c, d = (float(x) for x in proc.stdout.split())
    return a, b, c, d


# ---------------------------------------------------------------- server and browser

_RESOURCES_JS = """() => performance.getEntriesByType('resource')
  .filter(r => r.name.endsWith('.js'))
  .map(r => ({name: r.name.split('/').pop(), bytes: r.encodedBodySize || r.transferSize,
              ms: r.duration, start: r.startTime, end: r.responseEnd}))"""
# Marks, in the page's own clock, when the first chart's SVG appears.
_WATCH_JS = """new MutationObserver((_, obs) => {
  if (window.__firstElement === undefined && document.querySelector('[data-testid="stPlotlyChart"]'))
    window.__firstElement = performance.now();
  if (document.querySelector('.js-plotly-plot svg.main-svg')) {
    window.__firstChart = performance.now(); obs.disconnect(); }
}).observe(document, {childList: true, subtree: true});"""
_NAV_JS = """() => { const n = performance.getEntriesByType('navigation')[0];
  return {ttfb: n.responseStart, dom: n.domContentLoadedEventEnd}; }"""


def visit(browser, url: str) -> dict[str, object]:
    """Open url in a new context: ms to the first chart drawn, and the page's JavaScript."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        page = context.new_page()
        page.add_init_script(_WATCH_JS)
        frames: list[float] = []

        def on_frame(payload: bytes | str) -> None:
            # the first message carrying a plotly figure (its JSON names the layout)
            data = payload if isinstance(payload, bytes) else payload.encode()
            if not frames and b'"layout"' in data:
                frames.append(time.perf_counter())

        page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(".js-plotly-plot svg.main-svg", timeout=120_000)
        first_chart = (time.perf_counter() - t0) * 1000
        page.wait_for_function("() => window.__firstChart !== undefined")
        nav = page.evaluate(_NAV_JS)
        scripts = page.evaluate(_RESOURCES_JS)
        drawn = page.evaluate("() => window.__firstChart")
        arrived = page.evaluate("() => window.__firstElement ?? window.__firstChart")
    finally:
        context.close()
    plotly = max((s for s in scripts if "lotly" in s["name"]), key=lambda s: s["bytes"],
                 default={"name": "-", "bytes": 0, "ms": 0.0, "start": 0.0, "end": 0.0})
    return {"first_chart": first_chart, "ttfb": nav["ttfb"], "dom": nav["dom"], "drawn": drawn,
            "arrived": arrived, "data": (frames[0] - t0) * 1000 if frames else float("nan"),
            "js_bytes": sum(s["bytes"] for s in scripts), "js_files": len(scripts),
            "plotly": plotly}


def one_run(entry: str, browser) -> dict[str, object]:
    port = _free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", entry, "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        while not _healthy(f"{base}/_stcore/health"):
            if proc.poll() is not None or time.perf_counter() - t0 > 120:
                raise RuntimeError(f"streamlit did not start ({proc.returncode})")
            time.sleep(0.05)
        healthy = (time.perf_counter() - t0) * 1000
        time.sleep(1.0)  # let anything the server warms at start finish: a reader arrives later
        cold = visit(browser, base + "/")
        warm = visit(browser, base + "/")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return {"healthy": healthy, "cold": cold, "warm": warm}


def main() -> None:
    global ROOT
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--entry", default="serve.py", help="what `streamlit run` serves")
    ap.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure")
    args = ap.parse_args()
    ROOT = args.root.resolve()
    from playwright.sync_api import sync_playwright

    groups = import_times()
    db_open, first_query, first_render, again = database_times()
    runs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox",
                                                                     "--disable-gpu"])
        try:
            for _ in range(args.runs):
                runs.append(one_run(args.entry, browser))
        finally:
            browser.close()

    def med(get) -> float:
        return statistics.median(get(r) for r in runs)

    ours = sum(v for k, v in groups.items() if k in {"etl", "views"})
    libs = sorted(((k, v) for k, v in groups.items() if k not in {"etl", "views"}),
                  key=lambda kv: -kv[1])[:6]
    plotly = runs[-1]["cold"]["plotly"]
    rows = [
        (f"first chart drawn, cold server: page clock (median of {len(runs)})",
         med(lambda r: r["cold"]["drawn"])),
        ("  HTML first byte", med(lambda r: r["cold"]["ttfb"])),
        ("  page scripts run (DOMContentLoaded)", med(lambda r: r["cold"]["dom"])),
        ("  plotly.js asked for", med(lambda r: r["cold"]["plotly"]["start"])),
        ("  plotly.js downloaded", med(lambda r: r["cold"]["plotly"]["end"])),
        ("  the first chart's figure reaches the browser (wall clock)",
         med(lambda r: r["cold"]["data"])),
        ("  the first chart's box appears (plotly.js has run)",
         med(lambda r: r["cold"]["arrived"])),
        ("  first chart drawn, as Playwright's wall clock sees it",
         med(lambda r: r["cold"]["first_chart"])),
        ("first chart drawn, second visitor (warm caches): page clock",
         med(lambda r: r["warm"]["drawn"])),
        ("  the first chart's figure reaches the browser (wall clock)",
         med(lambda r: r["warm"]["data"])),
        ("server start to healthy", med(lambda r: r["healthy"])),
        ("import time of the first page's modules: ours (etl, views)", ours),
        *[(f"  {name}", ms) for name, ms in libs],
        ("database open (fresh process, with its imports)", db_open),
        ("first query", first_query),
        ("first chart's queries and figure (national, cold)", first_render),
        ("the same chart again (DuckDB warm)", again),
        (f"plotly.js ({plotly['name']}, {plotly['bytes'] / 1e6:.2f} MB) download",
         float(plotly["ms"])),
        (f"all JavaScript: {runs[-1]['cold']['js_files']} files, "
         f"{runs[-1]['cold']['js_bytes'] / 1e6:.2f} MB", float("nan")),
    ]
    width = max(len(r[0]) for r in rows)
    load = os.getloadavg()[0]
    print(f"{f'cold start ({args.entry}; load average {load:.1f} at the end)':<{width}}  "
          f"{'ms':>8}")
    for label, ms in rows:
        print(f"{label:<{width}}  {'' if ms != ms else f'{ms:8.0f}'}")


if __name__ == "__main__":
    main()
