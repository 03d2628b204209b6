"""How long the ETL takes and how much memory it needs: `python benchmarks/bench_etl.py`.

Runs, each as a subprocess:
  python -m etl snapshot --sources ../shared/data --snapshot <tmp> --no-build   (target < 90 s)
  python -m etl build --db <tmp>/x.duckdb --snapshot data/snapshot             (target < 5 s)
and prints command, wall seconds, CPU seconds, peak RSS and PASS/FAIL against the target.

Everything is written into a temporary folder: data/snapshot and the project database are
only read. Each command runs under its own small measuring process, so the peak RSS that
resource.getrusage(RUSAGE_CHILDREN) reports is that command's (with its worker processes),
not the largest of all commands so far.

Options: --sources PATH (default etl.DEFAULT_SHARED_DATA), --skip-snapshot, --repeat N (build).
Exit status 1 when a command fails or misses its target.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from etl import DEFAULT_SHARED_DATA, SNAPSHOT_DIR  # noqa: E402

BUILD_TARGET_S = 5.0
SNAPSHOT_TARGET_S = 90.0


@dataclass
class Run:
    label: str
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    returncode: int
    stderr_tail: str


def measure_child(cmd: list[str]) -> int:
    """Inside the measuring process: run `cmd`, report its time and rusage as JSON on stdout."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # Linux reports KiB
        "returncode": proc.returncode,
        "stderr_tail": "\n".join(proc.stderr.strip().splitlines()[-5:]),
    }))
    return 0


def measure(label: str, cmd: list[str]) -> Run:
    out = subprocess.run([sys.executable, __file__, "--measure", "--", *cmd],
                         capture_output=True, text=True, check=True)
    return Run(label=label, **json.loads(out.stdout))


def snapshot_untouched() -> dict[str, float]:
    return {p.name: p.stat().st_mtime for p in sorted(SNAPSHOT_DIR.iterdir())}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sources", type=Path, default=DEFAULT_SHARED_DATA)
    p.add_argument("--skip-snapshot", action="store_true")
    p.add_argument("--repeat", type=int, default=3, help="build runs; the median is reported")
    p.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("cmd", nargs="*", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.measure:
        return measure_child(args.cmd)

    py = sys.executable
    load_before = os.getloadavg()[0]
    before = snapshot_untouched()
    results: list[tuple[Run, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench_etl-") as tmp:
        tmpdir = Path(tmp)
        if not args.skip_snapshot:
            if not args.sources.is_dir():
                print(f"no sources folder at {args.sources}: use --skip-snapshot", file=sys.stderr)
                return 2
            out_dir = tmpdir / "snapshot"
            run = measure("snapshot --no-build", [
                py, "-m", "etl", "snapshot", "--sources", str(args.sources),
                "--snapshot", str(out_dir), "--db", str(tmpdir / "unused.duckdb"), "--no-build"])
            if run.returncode == 0 and not (out_dir / "inspection_records.csv").exists():
                run.returncode, run.stderr_tail = -1, "no snapshot written"
            results.append((run, SNAPSHOT_TARGET_S))
        builds = [measure("build", [py, "-m", "etl", "build", "--db", str(tmpdir / f"x{i}.duckdb"),
                                    "--snapshot", str(SNAPSHOT_DIR)])
                  for i in range(max(1, args.repeat))]
        median = sorted(builds, key=lambda r: r.seconds)[len(builds) // 2]
        median.label = f"build (median of {len(builds)})" if len(builds) > 1 else "build"
        median.peak_rss_mb = max(r.peak_rss_mb for r in builds)
        if any(r.returncode for r in builds):
            median.returncode = next(r.returncode for r in builds if r.returncode)
        results.append((median, BUILD_TARGET_S))
    if snapshot_untouched() != before:
        print("data/snapshot changed while the benchmark ran (by another process?)",
              file=sys.stderr)

    print(f"{'command':<28}{'seconds':>9}{'CPU s':>8}{'peak RSS MB':>13}{'target':>9}  result")
    failed = False
    for run, target in results:
        ok = run.returncode == 0 and run.seconds < target
        failed |= not ok
        verdict = "PASS" if ok else ("FAIL" if run.returncode == 0 else f"FAIL (exit {run.returncode})")
        print(f"{run.label:<28}{run.seconds:>9.2f}{run.cpu_seconds:>8.1f}{run.peak_rss_mb:>13.0f}"
              f"{'< ' + format(target, 'g') + ' s':>9}  {verdict}")
        if run.returncode:
            print(f"    {run.stderr_tail}")
    spread = statistics.pstdev([r.seconds for r in builds]) if len(builds) > 1 else 0.0
    print(f"build runs: {', '.join(f'{r.seconds:.2f}' for r in builds)} s (sd {spread:.2f}); "
          f"1-min load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
          f"({os.cpu_count()} CPUs)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
