"""What the safety layers cost per query: `python benchmarks/bench_safe_sql.py [db]`.

Without an argument it builds a throwaway database of 100,000 rows in a temp directory.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from etl.warehouse.db import open_readonly
from etl.warehouse.safe_sql import check_sql, run_query

QUERIES = {
    "tiny": "SELECT 1",
    "catalog": "SELECT table_name, comment FROM duckdb_tables()",
    "scan": "SELECT count(*), min(id), max(id) FROM bench",
    "10k rows": "SELECT * FROM bench ORDER BY id",
    "macro": "SELECT count(*) FROM upto(5000)",
}


def _time(fn: Callable[[], object], repeat: int = 30) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if argv:
            db = Path(argv[0])
        else:
            db = Path(tmp) / "bench.duckdb"
            build = duckdb.connect(str(db))
            build.execute(
                "CREATE TABLE bench AS SELECT range AS id, 'row ' || range AS label "
                "FROM range(100000);"
                "CREATE MACRO upto(n) AS TABLE SELECT * FROM bench WHERE id < n;"
            )
            build.close()
        conn = open_readonly(db)
        raw = conn.cursor()
        print(f"{'query':10} {'check_sql':>10} {'run_query':>10} {'raw duckdb':>11}  (median ms)")
        for name, sql in QUERIES.items():
            check = _time(lambda sql=sql: check_sql(sql, conn))
            safe = _time(lambda sql=sql: run_query(conn, sql))
            plain = _time(lambda sql=sql: raw.execute(sql).fetchmany(10_001))
            print(f"{name:10} {check:10.2f} {safe:10.2f} {plain:11.2f}")
        raw.close()
        conn.close()


if __name__ == "__main__":
    main(sys.argv[1:])
