"""Warm export time per format (target: PNG under 1 s once the browser is up).

    .venv/bin/python benchmarks/bench_export.py [--repeat 5] [--shared-data ../shared/data]

Starts Debian chromium once, times the cold first export, then `repeat` warm exports per
figure and format (cache emptied before each, so every one is a real render), and the
data/zip exports. Prints a table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd

from etl import DEFAULT_SHARED_DATA
from etl.figures import hexmap, national_by_group, national_distribution
from etl.figures.chart import make_chart
from etl.figures.export import (
    FIGURE_FORMATS,
    chromium_available,
    clear_cache,
    export_data,
    export_figure,
    paper_pack,
)
from etl.figures.style import ChartSpec

SPEC = ChartSpec(
    title="Two in three councils are good or better",
    subtitle="Latest overall effectiveness grade of local authority children's services",
    as_at=date(2025, 3, 31),
)


def national() -> pd.DataFrame:
    n = {"outstanding": 36, "good": 67, "requires_improvement": 31, "inadequate": 19}
    return pd.DataFrame({"grade": list(n), "n": list(n.values()),
                         "share": [v / 153 for v in n.values()]})


def by_region() -> pd.DataFrame:
    counts = {"North East": (5, 4, 2, 1), "North West": (5, 10, 5, 4),
              "Yorkshire and the Humber": (4, 6, 3, 2), "East Midlands": (2, 4, 2, 2),
              "West Midlands": (2, 6, 4, 2), "East of England": (2, 5, 3, 1),
              "London": (10, 15, 5, 3), "South East": (4, 9, 4, 2), "South West": (2, 8, 3, 2)}
    grades = ("outstanding", "good", "requires_improvement", "inadequate")
    return pd.DataFrame([{"group": g, "grade": gr, "n": n, "share": n / sum(c)}
                         for g, c in counts.items() for gr, n in zip(grades, c, strict=True)])


def timed(fn, repeat: int) -> list[float]:
    """Wall time per call, each a real render: the export cache is emptied first."""
    out = []
    for _ in range(repeat):
        clear_cache()
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--shared-data", type=Path, default=DEFAULT_SHARED_DATA)
    args = ap.parse_args(argv)
    ok, reason = chromium_available()
    if not ok:
        print(f"skipped: {reason}")
        return 1
    figures = {
        "national bars": (national_distribution.figure(national(), SPEC), national()),
        "regions stacked": (national_by_group.figure(by_region(), SPEC), by_region()),
    }
    hexjson = args.shared_data / "hexmap" / "uk-upper-tier-local-authorities.hexjson"
    if hexjson.exists():
        hexes, layout = hexmap.read_hexjson(hexjson)
        cycle = ["good", "outstanding", "requires_improvement", "good", "inadequate"]
        grades = pd.DataFrame({"la_code": hexes["la_code"],
                               "grade": [cycle[i % 5] for i in range(len(hexes))]})
        figures["hex map (151)"] = (hexmap.figure(hexes, grades, SPEC, layout=layout), grades)

    t = time.perf_counter()
    export_figure(figures["national bars"][0], "png")
    cold = time.perf_counter() - t

    rows = []
    for name, (fig, df) in figures.items():
        for fmt in FIGURE_FORMATS:
            payload = export_figure(fig, fmt)
            times = timed(lambda fig=fig, fmt=fmt: export_figure(fig, fmt), args.repeat)
            rows.append((name, fmt, len(payload), times))
        for fmt in ("csv", "xlsx"):
            payload = export_data(df, fmt)
            times = timed(lambda df=df, fmt=fmt: export_data(df, fmt), args.repeat)
            rows.append((name, fmt, len(payload), times))
    fig, df = figures["national bars"]
    chart = make_chart(national_distribution.NAME, national_distribution.Params(as_at=SPEC.as_at),
                       SPEC, df, fig, [])
    meta = {"query": "bench", "licence": "OGL v3.0"}
    pack = paper_pack(chart, meta)
    rows.append(("national bars", "paper_pack zip", len(pack),
                 timed(lambda: paper_pack(chart, meta), max(1, args.repeat // 2))))

    export_figure(fig, "png")
    t = time.perf_counter()
    export_figure(fig, "png")
    cached = time.perf_counter() - t
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"cpus: {os.cpu_count()}, load average (1 min): {load:.1f} "
          "(timings inflate when the machine is busy)")
    print(f"chromium: {reason}; cold start + first PNG: {cold:.2f} s; "
          f"repeat of a cached PNG: {cached * 1000:.1f} ms; "
          f"warm runs per row: {args.repeat}")
    print(f"{'figure':<18} {'format':<15} {'bytes':>9} {'median s':>9} {'min s':>7} "
          f"{'max s':>7}")
    for name, fmt, size, times in rows:
        print(f"{name:<18} {fmt:<15} {size:>9,} {statistics.median(times):>9.3f} "
              f"{min(times):>7.3f} {max(times):>7.3f}")
    png = [statistics.median(t) for _, fmt, _, t in rows if fmt == "png"]
    verdict = "PASS" if max(png) < 1.0 else "FAIL"
    print(f"warm PNG median worst {max(png):.3f} s: {verdict} (target < 1 s)")
    return 0 if verdict == "PASS" else 2


if __name__ == "__main__":
    sys.exit(main())
