"""How long the ETL takes and how much memory each of its processes needs:
`python benchmarks/bench_etl.py`.

Runs, each as a subprocess:
  python -m etl snapshot --sources ../shared/data --snapshot <tmp> --db <tmp>/s.duckdb
      (re-derives the snapshot, then builds it, as a person runs it; target <= 90 s and
      <= 300 MB in every process: issue 14)
  python -m etl build --db <tmp>/x.duckdb --snapshot data/snapshot             (target < 5 s)
and prints command, wall seconds, CPU seconds (the command and all its processes), the peak
resident memory of the command's own process and of the largest process it started, and
PASS/FAIL against the targets; then, for the snapshot, every process with its peak.

Memory is each process's own peak (VmHWM, polled: benchmarks/process_memory.py), not one
number for the whole run: `snapshot` is a parent, a process for the spreadsheets, report
parsers and a build, and getrusage (or /usr/bin/time -v) reports only the largest of them.

Everything is written into a temporary folder: data/snapshot and the project database are
only read.

Options: --sources PATH (default etl.DEFAULT_SHARED_DATA), --skip-snapshot, --no-build
(the snapshot without its build), --repeat N (build).
Exit status 1 when a command fails or misses a target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks.process_memory import TreeRun, measure  # noqa: E402
from etl import DEFAULT_SHARED_DATA, SNAPSHOT_DIR  # noqa: E402

BUILD_TARGET_S = 5.0
SNAPSHOT_TARGET_S = 90.0
SNAPSHOT_TARGET_MB = 300.0


@dataclass
class Row:
    label: str
    run: TreeRun
    target_s: float
    target_mb: float | None = None

    def verdict(self) -> str:
        if self.run.returncode:
            return f"FAIL (exit {self.run.returncode})"
        misses = []
        if self.run.seconds >= self.target_s:
            misses.append("time")
        if self.target_mb is not None and self.run.peak_mb > self.target_mb:
            misses.append("memory")
        return "PASS" if not misses else "FAIL (" + ", ".join(misses) + ")"


def snapshot_untouched() -> dict[str, float]:
    return {p.name: p.stat().st_mtime for p in sorted(SNAPSHOT_DIR.iterdir())}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sources", type=Path, default=DEFAULT_SHARED_DATA)
    p.add_argument("--skip-snapshot", action="store_true")
    p.add_argument("--no-build", action="store_true", help="the snapshot without its build")
    p.add_argument("--repeat", type=int, default=3, help="build runs; the median is reported")
    args = p.parse_args(argv)

    py = sys.executable
    load_before = os.getloadavg()[0]
    before = snapshot_untouched()
    rows: list[Row] = []
    snapshot_run: TreeRun | None = None
    with tempfile.TemporaryDirectory(prefix="bench_etl-") as tmp:
        tmpdir = Path(tmp)
        if not args.skip_snapshot:
            if not args.sources.is_dir():
                print(f"no sources folder at {args.sources}: use --skip-snapshot", file=sys.stderr)
                return 2
            out_dir = tmpdir / "snapshot"
            cmd = [py, "-m", "etl", "snapshot", "--sources", str(args.sources),
                   "--snapshot", str(out_dir), "--db", str(tmpdir / "snapshot.duckdb")]
            if args.no_build:
                cmd.append("--no-build")
            snapshot_run = measure(cmd, cwd=PROJECT_ROOT)
            if snapshot_run.returncode == 0 and not (out_dir / "inspection_records.csv").exists():
                snapshot_run.returncode, snapshot_run.stderr_tail = -1, "no snapshot written"
            label = "snapshot --no-build" if args.no_build else "snapshot (with its build)"
            rows.append(Row(label, snapshot_run, SNAPSHOT_TARGET_S, SNAPSHOT_TARGET_MB))
        builds = [measure([py, "-m", "etl", "build", "--db", str(tmpdir / f"x{i}.duckdb"),
                           "--snapshot", str(SNAPSHOT_DIR)], cwd=PROJECT_ROOT)
                  for i in range(max(1, args.repeat))]
        median = sorted(builds, key=lambda r: r.seconds)[len(builds) // 2]
        worst = max(builds, key=lambda r: r.peak_mb)
        median.processes = worst.processes  # memory: the largest of the runs
        if any(r.returncode for r in builds):
            median.returncode = next(r.returncode for r in builds if r.returncode)
        rows.append(Row(f"build (median of {len(builds)})" if len(builds) > 1 else "build",
                        median, BUILD_TARGET_S))
    if snapshot_untouched() != before:
        print("data/snapshot changed while the benchmark ran (by another process?)",
              file=sys.stderr)

    print(f"{'command':<28}{'seconds':>9}{'CPU s':>8}{'command MB':>12}{'largest child MB':>18}"
          f"{'target':>20}  result")
    failed = False
    for row in rows:
        run = row.run
        verdict = row.verdict()
        failed |= verdict != "PASS"
        child = run.others[0].peak_mb if run.others else 0.0
        own = run.command.peak_mb if run.command else 0.0
        target = f"< {row.target_s:g} s" + (f", <= {row.target_mb:g} MB" if row.target_mb else "")
        print(f"{row.label:<28}{run.seconds:>9.2f}{run.cpu_seconds:>8.1f}{own:>12.0f}{child:>18.0f}"
              f"{target:>20}  {verdict}")
        if run.returncode:
            print(f"    {run.stderr_tail}")
    if snapshot_run is not None:
        print("\nsnapshot, every process (peak resident memory, in the order they started):")
        for proc in snapshot_run.processes:
            what = proc.cmdline if len(proc.cmdline) < 70 else proc.cmdline[:67] + "..."
            print(f"  {proc.role:<17}{proc.peak_mb:>7.0f} MB  from {proc.started:>5.1f} s  {what}")
    spread = statistics.pstdev([r.seconds for r in builds]) if len(builds) > 1 else 0.0
    print(f"\nbuild runs: {', '.join(f'{r.seconds:.2f}' for r in builds)} s (sd {spread:.2f}); "
          f"1-min load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
          f"({os.cpu_count()} CPUs)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
