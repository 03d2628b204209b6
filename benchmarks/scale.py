"""A synthetic warehouse N times larger than the real one, in the project's own schema.

    .venv/bin/python benchmarks/scale.py --factor 1000 --db /tmp/scale1000.duckdb

Every snapshot table is copied N times: copy k (k > 0) of each local authority gets the code
`<code>-<k>` and the name `<name> <k>`, its statistical neighbours are the copies of its
neighbours, its predecessors and successors are the copies of its own, and every source,
record, inspection and judgement it has is copied with ids suffixed `~k` and its dates moved
k mod 29 days later, so that month ends do not all coincide. Reference tables with no LA or
source in them (the hex map, the reference figures, the change feed) are copied once. The
snapshot is written with its manifest beside the database (`<db>.snapshot/`) and built by
the normal `build`, so the database is what the product would build from such a snapshot.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl import SNAPSHOT_DIR  # noqa: E402
from etl.ingest.snapshot import (  # noqa: E402
    MANIFEST,
    file_manifest,
    snapshot_files,
    table_columns,
)
from etl.warehouse.build import build  # noqa: E402

# Columns naming an LA get the copy's code; ids get the copy's suffix.
LA_COLUMNS = {"la_code", "neighbour_la_code", "predecessor_la_code", "successor_la_code"}
ID_COLUMNS = {"source_id", "record_id", "inspection_id"}
DATE_COLUMNS = {"start_date", "end_date", "published_date", "published_on_or_before"}
NAME_COLUMNS = {"name": " ", "ofsted_urn": "-", "ons_code": "-"}
# Reference tables copied once: one map, one set of published figures, one change feed.
# The report text has its own volume benchmark (benchmarks/bench_search.py, 20x); copied 1000
# times it would be gigabytes of text for nothing the pages read.
ONCE = {"hexmap", "reference_figures", "changes", "provider_national_series", "release_figures",
        "report_sections", "improvement_points", "area_send_findings"}


def _expr(column: str, table: str) -> str:
    c = f'"{column}"'
    if column in LA_COLUMNS:
        return f"CASE WHEN k = 0 OR {c} IS NULL THEN {c} ELSE {c} || '-' || k END AS {c}"
    if column in ID_COLUMNS:
        return f"CASE WHEN k = 0 OR {c} IS NULL THEN {c} ELSE {c} || '~' || k END AS {c}"
    if column in DATE_COLUMNS and table == "inspection_records":
        return (f"CASE WHEN k = 0 OR {c} IS NULL THEN {c} "
                f"ELSE CAST(CAST({c} AS DATE) + CAST(k % 29 AS INTEGER) AS VARCHAR) END AS {c}")
    if column in NAME_COLUMNS and table == "local_authorities":
        sep = NAME_COLUMNS[column]
        return f"CASE WHEN k = 0 OR {c} IS NULL THEN {c} ELSE {c} || '{sep}' || k END AS {c}"
    return c


def scale_snapshot(source: Path, out: Path, factor: int) -> dict[str, int]:
    """Write the N-times snapshot to `out`; returns rows per file."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    con = duckdb.connect()
    rows: dict[str, int] = {}
    try:
        for csv_path in snapshot_files(source):
            table = csv_path.name.split(".", 1)[0]
            if table not in table_columns():
                continue
            opener = gzip.open if csv_path.name.endswith(".gz") else open
            with opener(csv_path, "rt", encoding="utf-8") as f:
                header = f.readline().strip().split(",")
            # the file's own columns (a table may have columns its file leaves to NULL)
            columns = [c for c in table_columns()[table] if c in header]
            scaled = bool(set(columns) & (LA_COLUMNS | ID_COLUMNS)) and table not in ONCE
            copies = factor if scaled else 1
            select = ", ".join(_expr(c, table) for c in columns)
            con.execute(f"""
                COPY (SELECT {select}
                      FROM read_csv('{csv_path}', header = true, all_varchar = true),
                           range({copies}) r(k))
                TO '{out / csv_path.name}' (HEADER, DELIMITER ',')""")
            rows[csv_path.name] = con.execute(
                f"SELECT count(*) FROM read_csv('{out / csv_path.name}', header = true, "
                "all_varchar = true)").fetchone()[0]
    finally:
        con.close()
    meta = json.loads((source / MANIFEST).read_text())
    meta.update(generated_at=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
                scale_factor=factor, files=file_manifest(out))
    (out / MANIFEST).write_text(json.dumps(meta, indent=2) + "\n")
    return rows


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--factor", type=int, required=True)
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--snapshot", type=Path, default=SNAPSHOT_DIR, help="the snapshot to scale")
    args = p.parse_args()
    started = time.perf_counter()
    out = args.db.with_name(args.db.name + ".snapshot")
    rows = scale_snapshot(args.snapshot, out, args.factor)
    written = time.perf_counter() - started
    summary = build(args.db, out, command=f"scale x{args.factor}")
    print(f"{'file':<28}{'rows':>12}")
    for name, n in rows.items():
        print(f"{name:<28}{n:>12,}")
    print(f"snapshot x{args.factor} written in {written:.1f} s; built {args.db} in "
          f"{summary.seconds:.1f} s: {summary.inspections:,} inspections, "
          f"{summary.judgements:,} judgements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
