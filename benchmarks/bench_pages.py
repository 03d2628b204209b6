"""Server-side render time per dashboard page, with Streamlit's AppTest (no browser).

    .venv/bin/python benchmarks/bench_pages.py [--repeat 5]

Cold: the National picture page's first run in a fresh Python process (a subprocess), so it
pays for the page's imports, opening DuckDB and every query uncached. Warm: each page run
once to fill st.cache_data, then `repeat` reruns of the same session; the median is
reported. Targets: warm < 300 ms a page, cold first page < 3 s.

"render ms" is the page script's own run time, timed inside the script run; "AppTest ms"
is the harness's wall time around it (thread start-up, polling, and on a first run
Streamlit's component scan, none of which a real server pays per page view).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

_PROCESS_START = time.perf_counter()

ROOT = Path(__file__).resolve().parent.parent
PAGES = {  # url path -> page file
    "national": "national.py",
    "failing": "failing.py",
    "neighbours": "neighbours.py",
    "cycle": "cycle.py",
    "la": "la_profile.py",
    "local": "local_area.py",
    "send-providers": "send_providers.py",
    "sql": "sql_workbench.py",
    "data": "data_sources.py",
    "reports": "reports.py?q=neglect",  # a search: the page's usual first view
    "reports-themes": "reports.py?view=themes&framework=SIF",
}
WARM_TARGET_MS = 300.0
COLD_TARGET_MS = 3000.0
TIMEOUT_S = 120

# Runs one page and records how long its script took, in session state, even when the
# page ends early with st.stop().
_WRAPPER = """
import runpy
import time

import streamlit as st

_started = time.perf_counter()
try:
    runpy.run_path({page!r}, run_name="__main__")
finally:
    st.session_state["_bench_render_ms"] = (time.perf_counter() - _started) * 1000
"""


def _app_test(page_file: str):
    """AppTest of a page; `page.py?a=1&b=2` opens it with those URL parameters."""
    from urllib.parse import parse_qsl

    from streamlit.testing.v1 import AppTest

    page_file, _, params = page_file.partition("?")
    at = AppTest.from_string(_WRAPPER.format(page=str(ROOT / "views" / page_file)),
                             default_timeout=TIMEOUT_S)
    for key, value in parse_qsl(params):
        at.query_params[key] = value
    return at


def _run(at) -> tuple[float, float, list[str]]:
    """(render ms, AppTest wall ms, exception messages) of one run."""
    started = time.perf_counter()
    at.run()
    wall = (time.perf_counter() - started) * 1000
    errors = [e.message for e in at.exception]
    return float(at.session_state["_bench_render_ms"]), wall, errors


def cold_child() -> None:
    """In a fresh process: the first run of the national page, as JSON on stdout."""
    import streamlit.testing.v1  # noqa: F401  - server start-up, not page render

    imported = time.perf_counter()
    at = _app_test(PAGES["national"])
    render, wall, errors = _run(at)
    print(json.dumps({
        "import_ms": (imported - _PROCESS_START) * 1000,
        "render_ms": render,
        "wall_ms": wall,
        "errors": errors,
    }))


def cold() -> dict:
    proc = subprocess.run([sys.executable, __file__, "--cold-child"], cwd=ROOT,
                          capture_output=True, text=True, timeout=TIMEOUT_S * 2,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode or not lines:
        raise SystemExit(f"cold run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])


def warm(repeat: int) -> dict[str, dict]:
    results = {}
    for name, page_file in PAGES.items():
        at = _app_test(page_file)
        first_render, first_wall, errors = _run(at)  # fills st.cache_data
        renders, walls = [], []
        for _ in range(repeat):
            render, wall, errs = _run(at)
            renders.append(render)
            walls.append(wall)
            errors += errs
        results[name] = {
            "first_ms": first_render,
            "render_ms": statistics.median(renders),
            "max_ms": max(renders),
            "wall_ms": statistics.median(walls),
            "errors": sorted(set(errors)),
        }
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cold-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    if args.cold_child:
        cold_child()
        return 0

    from etl import DEFAULT_DB

    if not DEFAULT_DB.exists():
        raise SystemExit(f"no database at {DEFAULT_DB}: run `python -m etl build` first")
    c = cold()
    w = warm(args.repeat)

    header = (f"{'page':<15}{'cold ms':>9}{'1st run':>9}{'warm median':>13}{'warm max':>10}"
              f"{'AppTest ms':>12}  {'target':<26}result")
    print(f"Render time per page: {args.repeat} warm reruns each, median "
          f"(cold = first run in a fresh process; streamlit import {c['import_ms']:.0f} ms "
          "not counted)")
    print(header)
    print("-" * len(header))
    failed = 0
    for name, r in w.items():
        ok = r["render_ms"] < WARM_TARGET_MS and not r["errors"]
        target = f"warm < {WARM_TARGET_MS:.0f} ms"
        cold_cell = ""
        if name == "national":
            cold_cell = f"{c['render_ms']:.0f}"
            ok = ok and c["render_ms"] < COLD_TARGET_MS and not c["errors"]
            target += f"; cold < {COLD_TARGET_MS / 1000:.0f} s"
        failed += not ok
        print(f"{name:<15}{cold_cell:>9}{r['first_ms']:>9.0f}{r['render_ms']:>13.0f}"
              f"{r['max_ms']:>10.0f}{r['wall_ms']:>12.0f}  {target:<26}"
              f"{'PASS' if ok else 'FAIL'}")
        for e in r["errors"]:
            print(f"    exception: {e}")
    if c["errors"]:
        print(f"    cold run exception: {c['errors']}")
    print(f"\ncold national: render {c['render_ms']:.0f} ms, AppTest wall {c['wall_ms']:.0f} ms; "
          f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
