"""Where one machine ends: the warehouse as Parquet, measured on the 1000x scale warehouse.

    .venv/bin/python benchmarks/bench_parquet.py [--factor 1000] [--repeat 3]

Uses the scale warehouse of benchmarks/scale.py (`/tmp/inspection-outcomes-scale<N>.duckdb` and
its snapshot beside it; bench_scale.py builds them). It writes every table of the built database
as Parquet (zstd) and prints:

1. the same data three ways: the CSV snapshot, the DuckDB file, the Parquet folder (bytes, and
   the time to write the Parquet);
2. loading the two biggest snapshot tables from CSV (what `build` does) and from Parquet;
3. analysts' queries run on the DuckDB file and on the Parquet files where they lie (an
   in-memory DuckDB with a view per file, as any engine that reads Parquet would see them).

The point is to measure, not guess, what changes when the warehouse outgrows one machine.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

import duckdb

TMP = Path("/tmp")

# What analysts ask of a big warehouse: a national count, one LA's history, the latest grade per
# LA as at a date (the model's core "as at" rule written out by hand, as it would be by anyone
# pointing another engine at the files).
QUERIES: dict[str, str] = {
    "grades by framework (all judgements)": """
        SELECT i.framework, j.grade, count(*) AS n
        FROM judgements j JOIN inspections i USING (inspection_id)
        GROUP BY ALL ORDER BY ALL""",
    "one LA's inspections": """
        SELECT * FROM inspections WHERE la_code = '891-500' ORDER BY start_date""",
    "latest overall grade per LA as at 31 March 2025": """
        SELECT grade, count(*) AS n FROM (
            SELECT i.la_code, j.grade,
                   row_number() OVER (PARTITION BY i.la_code
                                      ORDER BY i.published_date DESC, i.end_date DESC) AS r
            FROM judgements j JOIN inspections i USING (inspection_id)
            WHERE j.area = 'overall_effectiveness' AND i.end_date <= DATE '2025-03-31'
              AND i.published_date <= DATE '2025-03-31')
        WHERE r = 1 GROUP BY grade ORDER BY grade""",
    "inspections per year and region": """
        SELECT year(i.published_date) AS year, l.region_name, count(*) AS n
        FROM inspections i JOIN local_authorities l USING (la_code)
        GROUP BY ALL ORDER BY ALL""",
}
LOADED = ("judgement_records", "inspection_records")


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _median_ms(con: duckdb.DuckDBPyConnection, sql: str, repeat: int) -> float:
    con.execute(sql).fetchall()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        con.execute(sql).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--factor", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    db = TMP / f"inspection-outcomes-scale{args.factor}.duckdb"
    snapshot = db.with_name(db.name + ".snapshot")
    if not db.exists() or not snapshot.exists():
        print(f"bench_parquet: {db} (and its snapshot) missing: run "
              f"benchmarks/bench_scale.py --factors {args.factor} first", file=sys.stderr)
        return 2
    out = TMP / f"inspection-outcomes-scale{args.factor}.parquet"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()

    con = duckdb.connect(str(db), read_only=True)
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1").fetchall()]
    t = time.perf_counter()
    for table in tables:
        con.execute(f"COPY (SELECT * FROM \"{table}\") TO '{out / table}.parquet' "
                    "(FORMAT parquet, COMPRESSION zstd)")
    write_s = time.perf_counter() - t

    print(f"\n{args.factor}x warehouse: {len(tables)} tables\n")
    print(f"{'form':<34}{'size':>12}")
    print(f"{'CSV snapshot (build input)':<34}{_mb(_size(snapshot)):>12}")
    print(f"{'DuckDB file (built)':<34}{_mb(_size(db)):>12}")
    print(f"{'Parquet, zstd (every table)':<34}{_mb(_size(out)):>12}   written in {write_s:.1f} s")

    print(f"\n{'load (what build reads)':<34}{'CSV s':>10}{'Parquet s':>12}{'rows':>14}")
    mem = duckdb.connect()
    for table in LOADED:
        csv = snapshot / f"{table}.csv"
        t = time.perf_counter()
        mem.execute(f"CREATE OR REPLACE TABLE c AS SELECT * FROM read_csv('{csv}', header=true, "
                    "all_varchar=true)")
        csv_s = time.perf_counter() - t
        t = time.perf_counter()
        mem.execute(f"CREATE OR REPLACE TABLE q AS SELECT * FROM read_parquet('{out / table}.parquet')")
        pq_s = time.perf_counter() - t
        n = mem.execute("SELECT count(*) FROM q").fetchone()[0]
        print(f"{table:<34}{csv_s:>10.2f}{pq_s:>12.2f}{n:>14,}")
    mem.close()

    lake = duckdb.connect()
    for table in tables:
        lake.execute(f"CREATE VIEW \"{table}\" AS SELECT * FROM read_parquet('{out / table}.parquet')")
    print(f"\n{'query (median of ' + str(args.repeat) + ')':<52}{'DuckDB ms':>11}{'Parquet ms':>12}")
    for name, sql in QUERIES.items():
        a = con.execute(sql).fetchall()
        b = lake.execute(sql).fetchall()
        same = "" if a == b else "  (results differ!)"
        print(f"{name:<52}{_median_ms(con, sql, args.repeat):>11,.0f}"
              f"{_median_ms(lake, sql, args.repeat):>12,.0f}{same}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process: {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
