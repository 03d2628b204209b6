"""How long the local area sources and SQL take: `python benchmarks/bench_local_area.py`.

Each step runs in its own process (so its peak RSS is its own) and prints wall seconds, CPU
seconds and peak RSS against a target:
  providers ODS    the provider sheets of Children's social care in England 2023, streamed
                   (etl.ingest.adapters.social_care_providers)          target < 10 s, < 300 MB
  area SEND PDFs   every area SEND report, 2 workers (area_send_pdf)     target < 20 s
  area SEND XLSX   the scraper workbook                                  target < 2 s
  la_summary       local_area_summary for Nottinghamshire, warm, from the built database
                   (median of 5)                                         target < 1 s
With --compare-odfpy it also times what the provider sheets cost through pandas + odfpy (the
whole document is parsed: ~30 s and ~1 GB), for the record.

Options: --sources PATH (default etl.DEFAULT_SHARED_DATA), --db PATH (default the project
database). Exit status 1 when a step fails or misses its target.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from etl import DEFAULT_DB, DEFAULT_SHARED_DATA  # noqa: E402

RELEASE = Path("official") / "Childrens_social_care_in_England_2023_underlying_data.ods"
PROVIDER_SHEETS = ["Provider_level_at_31_Mar_2023", "Provider_level_in_year_2022-23",
                   "Providers+places_Time_series", "Latest_OE_31_Mar_Time_Series",
                   "In_Year_Time_series"]
TARGETS = {"providers ODS": (10.0, 300.0), "area SEND PDFs": (20.0, 300.0),
           "area SEND XLSX": (2.0, 300.0), "la_summary": (1.0, 600.0),
           "providers via odfpy": (float("inf"), float("inf"))}


def run_step(step: str, sources: Path, db: Path) -> dict:
    """Inside the step's own process: do it, report what it cost."""
    from etl.ingest.la_lookup import resolver_from_shared

    started, cpu = time.perf_counter(), time.process_time()
    detail = ""
    if step == "providers ODS":
        from etl.ingest.adapters.social_care_providers import parse_provider_stats

        res = parse_provider_stats(sources / RELEASE, resolver_from_shared(sources), sources)
        detail = ", ".join(f"{t} {len(rows)}" for t, rows in res.facts.items())
    elif step == "providers via odfpy":
        import pandas as pd

        frames = pd.read_excel(sources / RELEASE, engine="odf", sheet_name=PROVIDER_SHEETS,
                               header=None)
        detail = f"{sum(len(f) for f in frames.values())} rows"
    elif step == "area SEND PDFs":
        from etl.ingest.adapters.area_send_pdf import REPORTS_DIR, parse_area_send_reports

        paths = sorted((sources / REPORTS_DIR).glob("*/*.pdf"))
        res = parse_area_send_reports(paths, resolver_from_shared(sources), sources, workers=2)
        detail = f"{len(paths)} files, {sum(len(r.records) for r in res)} records"
    elif step == "area SEND XLSX":
        from etl.ingest.adapters.area_send_xlsx import RELPATH, parse_area_send_xlsx

        res = parse_area_send_xlsx(sources / RELPATH, resolver_from_shared(sources), sources)
        detail = f"{len(res.records)} records"
    elif step == "la_summary":
        import datetime as dt

        from etl.warehouse import queries
        from etl.warehouse.db import open_readonly

        con = open_readonly(db)
        params = dict(la_code="891", as_at=dt.date(2025, 3, 31), vintage="current",
                      framework="ILACS")
        queries.run(con, "local_area/la_summary", **params)  # warm
        times = []
        for _ in range(5):
            t = time.perf_counter()
            queries.run(con, "local_area/la_summary", **params)
            times.append(time.perf_counter() - t)
        started = time.perf_counter() - statistics.median(times)
        detail = "median of 5: " + ", ".join(f"{t:.2f}" for t in times)
    self_usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - cpu + children.ru_utime + children.ru_stime,
            "peak_rss_mb": max(self_usage.ru_maxrss, children.ru_maxrss) / 1024,
            "detail": detail}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sources", type=Path, default=DEFAULT_SHARED_DATA)
    p.add_argument("--db", type=Path, default=DEFAULT_DB)
    p.add_argument("--compare-odfpy", action="store_true")
    p.add_argument("--step", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.step:
        print(json.dumps(run_step(args.step, args.sources, args.db)))
        return 0
    steps = ["providers ODS", "area SEND PDFs", "area SEND XLSX", "la_summary"]
    if args.compare_odfpy:
        steps.append("providers via odfpy")
    print(f"{'step':<22}{'seconds':>9}{'CPU s':>8}{'peak RSS MB':>13}  {'target':<16} result")
    failed = False
    for step in steps:
        proc = subprocess.run([sys.executable, __file__, "--step", step, "--sources",
                               str(args.sources), "--db", str(args.db)],
                              capture_output=True, text=True, cwd=PROJECT_ROOT)
        if proc.returncode:
            failed = True
            print(f"{step:<22} FAILED: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        seconds, mb = TARGETS[step]
        ok = r["seconds"] < seconds and r["peak_rss_mb"] < mb
        failed |= not ok
        target = "-" if seconds == float("inf") else f"< {seconds:g} s, < {mb:g} MB"
        print(f"{step:<22}{r['seconds']:>9.2f}{r['cpu_seconds']:>8.1f}{r['peak_rss_mb']:>13.0f}  "
              f"{target:<16} {'PASS' if ok else 'FAIL'}  ({r['detail']})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
