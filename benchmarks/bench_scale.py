"""Every named query, and every page, on warehouses 1x, 100x and 1000x the real one.

    .venv/bin/python benchmarks/bench_scale.py [--factors 1 100 1000] [--repeat 3] [--pages]
        [--dir /tmp] [--only 'local_area/*' ...] [--cpu]

Builds (once, then reuses) <dir>/inspection-outcomes-scale<N>.duckdb with benchmarks/scale.py,
then times each named query in sql/queries/ (median of `repeat` runs after one warm-up, on the
app's locked read-only connection) with the parameters a page would pass (--only: the queries
whose names match a pattern; --cpu: the process's CPU time instead of the wall clock, steadier
on a shared machine; the rows column is what the largest factor returned: a query returning a
row per LA cannot beat the time to hand them over), and, with --pages,
each page's first render in a fresh Streamlit session (its queries uncached, the database
already open as in a running app). Prints one table
with the growth from 100x to 1000x. Targets (issue 14): a page's queries <= 1 s at 1000x and
<= 100 ms at 1x; no query growing more than ~10x from 100x to 1000x.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.warehouse import queries  # noqa: E402
from etl.warehouse.db import open_readonly  # noqa: E402

TMP = Path("/tmp")
# What a page passes, by parameter name; per-query overrides below.
DEFAULTS: dict[str, object] = {
    "as_at": dt.date(2026, 11, 1), "area": "overall_effectiveness", "framework": None,
    "published_by": None, "which": "latest", "include_secondary": True, "group_by": "region",
    "from_date": dt.date(2013, 11, 1), "to_date": dt.date(2026, 11, 1), "cycle_start": None,
    "window_months": 12, "la_code": "855", "vintage": "current", "source_kind": None,
    "since": dt.date(2020, 1, 1), "provider_type": None, "provider_group": "all",
    "measure": "latest_overall_effectiveness", "superseded": "not_current",
    "wording": "at_the_time",
    "source_id": "report:80534_nottinghamshire/children's services inspection - 19 december 2019",
    # the Reports page: a search for one word, themes over every report
    "query": "neglect", "grade": None, "la": None, "region": None, "max_results": 25,
    "theme": "workforce", "grade_band": None, "las": None, "min_rate": 1.0, "per_theme": 2,
    # the Data page's list of source files: every kind, a page of them
    "kind": None, "max_rows": 1000,
    # the Cycle page's next-due table: due within six months, every LA listed
    "soon_days": 183, "only_due": False,
    # the National page names the LAs with a grade up to 25 of them
    "max_names": 25,
}
OVERRIDES: dict[str, dict[str, object]] = {
    "cycle/cycle_progress": {"framework": "ILACS", "from_date": dt.date(2018, 1, 1)},
    "cycle/cycle_projection": {"framework": "ILACS", "from_date": dt.date(2026, 8, 31),
                               "to_date": dt.date(2026, 8, 31)},
    # the Cycle page's list: the LAs without an ILACS inspection since the April 2026 change
    "cycle/cycle_remaining": {"framework": "ILACS", "cycle_start": dt.date(2026, 4, 20)},
    "cycle/reference_figures": {"framework": "SIF"},
    # a window of reports as the papers count it (seed 004: November 2013 to October 2014), as
    # the reconciliation and the briefing ask for it, not every report since 2013
    "national/published_between": {"from_date": dt.date(2013, 11, 1),
                                   "to_date": dt.date(2014, 10, 31)},
    # an LA (and the Local area chart: its neighbours) or a release's named LAs
    "local_area/area_send_outcomes_of": {"las": "855,916,803,937,802,850,865,933,938,811,891"},
    "national/latest_judgements_of": {"las": "855"},
}
SKIP = {"build/record_ingest_run"}  # a write, run by the build itself


def db_for(factor: int, where: Path = TMP) -> Path:
    db = where / f"inspection-outcomes-scale{factor}.duckdb"
    if not db.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale.py"), "--factor",
                        str(factor), "--db", str(db)], check=True)
    return db


def params_for(q: queries.NamedQuery) -> dict[str, object]:
    wanted = {**DEFAULTS, **OVERRIDES.get(q.name, {})}
    missing = [p.name for p in q.params if p.name not in wanted]
    if missing:
        raise SystemExit(f"bench_scale: no benchmark value for {q.name}'s {missing}: add it to "
                         "DEFAULTS or OVERRIDES")
    return {p.name: wanted[p.name] for p in q.params}


def time_queries(db: Path, repeat: int, only: list[str] | None = None,
                 cpu: bool = False) -> tuple[dict[str, float], dict[str, int]]:
    """Per named query: the median time in ms, and the rows it returned."""
    clock = time.process_time if cpu else time.perf_counter
    con = open_readonly(db, build_if_missing=False)
    out: dict[str, float] = {}
    rows: dict[str, int] = {}
    try:
        for q in queries.all_queries():
            if q.name in SKIP or (only and not any(fnmatch.fnmatch(q.name, o) for o in only)):
                continue
            params = params_for(q)
            rows[q.name] = len(queries.run(con, q.name, **params))  # warm-up: pages, catalog
            runs = []
            for _ in range(repeat):
                started = clock()
                queries.run(con, q.name, **params)
                runs.append((clock() - started) * 1000)
            out[q.name] = statistics.median(runs)
    finally:
        con.close()
    return out, rows


def time_pages(db: Path) -> dict[str, float]:
    """Each page's first render in a fresh session with empty caches, in a subprocess pointed
    at `db`: the render's wall time and the time spent in its named queries (the target)."""
    code = r"""
import json, sys, time
from pathlib import Path
import streamlit as st
from streamlit.testing.v1 import AppTest
from etl.warehouse import build, queries
# the scaled database as it is: the app would rebuild a database older than this checkout's
# SQL or snapshot files, from the shipped snapshot (a 1x build in place of a 1000x one)
build.ensure_built = lambda db_path, *args, **kwargs: db_path
spent = [0.0]
depth = [0]
plain_run = queries.run
def timed_run(*args, **kwargs):
    # the outermost call only: a chart's read through the page's cache (queries.CachedReads)
    # runs the query inside it on a miss, and costs only the cache's copy on a hit
    depth[0] += 1
    started = time.perf_counter()
    try:
        return plain_run(*args, **kwargs)
    finally:
        depth[0] -= 1
        if not depth[0]:
            spent[0] += time.perf_counter() - started
queries.run = timed_run
root = Path(sys.argv[1]); out = {}
pages = sorted(p.name for p in (root / "views").glob("*.py") if not p.name.startswith("_"))
AppTest.from_file(str(root / "views" / pages[0]), default_timeout=600).run()  # imports
# and the database opened, as a running app holds it: the first page that queries would
# otherwise pay for opening it (some 50 ms at 1x)
from views import _shared
_shared.query("data/freshness")
for page in pages:
    st.cache_data.clear(); st.cache_resource.clear(); spent[0] = 0.0
    at = AppTest.from_file(str(root / "views" / page), default_timeout=600)
    started = time.perf_counter(); at.run(); ms = (time.perf_counter() - started) * 1000
    out[f"page {page} (render)"] = None if at.exception else ms
    out[f"page {page} (its queries)"] = None if at.exception else spent[0] * 1000
print(json.dumps(out))
"""
    env = {**os.environ, "INSPECTION_OUTCOMES_DB": str(db)}
    done = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=3600)
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.splitlines()[-1])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--factors", type=int, nargs="+", default=[1, 100, 1000])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--pages", action="store_true", help="also time each page's first render")
    p.add_argument("--dir", type=Path, default=TMP,
                   help="where the scaled databases are (built there if missing)")
    p.add_argument("--only", nargs="+", help="only the named queries matching these patterns")
    p.add_argument("--cpu", action="store_true", help="CPU time instead of wall-clock time")
    args = p.parse_args()
    results: dict[int, dict[str, float]] = {}
    rows: dict[str, int] = {}
    for factor in args.factors:
        db = db_for(factor, args.dir)
        results[factor], rows = time_queries(db, args.repeat, args.only, args.cpu)
        if args.pages:
            results[factor] |= time_pages(db)
    names = list(results[args.factors[0]])
    unit = "cpu ms" if args.cpu else "ms"
    head = f"{'query / page':<44}" + "".join(f"{f'{f}x {unit}':>12}" for f in args.factors)
    growth = len(args.factors) >= 2
    print(head + (f"{'growth':>10}" if growth else "") + f"{'rows':>10}")
    for name in names:
        cells = [results[f].get(name) for f in args.factors]
        line = f"{name:<44}" + "".join(f"{'error':>12}" if c is None else f"{c:>12,.0f}"
                                       for c in cells)
        if growth:
            line += (f"{cells[-1] / cells[-2]:>9.1f}x" if cells[-1] and cells[-2]
                     else f"{'':>10}")
        print(line + (f"{rows[name]:>10,}" if name in rows else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
