"""`python -m etl`: build, snapshot, parse-report, sql, reconcile, export, refresh, changes."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from pathlib import Path

from etl import DEFAULT_DB, DEFAULT_SHARED_DATA, SNAPSHOT_DIR

PARSE_REPORT_HEADER = ["file", "status", "document_type", "inspection_start", "inspection_end",
                       "published_date", "area", "grade"]


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {s!r}") from None


def _progress_bar():
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def progress(label: str, done: int, total: int) -> None:
        bar = bars.get(label)
        if bar is None:
            bar = bars[label] = tqdm(total=total, desc=f"{label:<22}", unit="file",
                                     file=sys.stderr, leave=True)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return progress


def cmd_build(args: argparse.Namespace) -> int:
    from etl.build import BuildError, build

    try:
        s = build(args.db, args.snapshot)
    except BuildError as exc:
        print(f"build failed: {exc}\nthe previous database (if any) is unchanged", file=sys.stderr)
        return 1
    print(f"built {s.db_path} in {s.seconds:.2f} s: {s.inspections} inspections, "
          f"{s.records} source records, {s.judgements} judgements, {s.quarantined} quarantined, "
          f"{s.conflicts} judgements where sources disagree")
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    from etl.snapshot import make_snapshot

    if not args.sources.is_dir():
        print(f"no sources folder at {args.sources}", file=sys.stderr)
        return 2
    summary = make_snapshot(args.sources, args.seeds, args.snapshot, progress=_progress_bar(),
                            workers=args.workers)
    print(summary.table())
    if not args.no_build:
        return cmd_build(args)
    return 0


def cmd_parse_report(args: argparse.Namespace) -> int:
    from etl.sources.reports_pdf import parse_report_rows

    rows = parse_report_rows([Path(p) for p in args.pdf])
    w = csv.DictWriter(sys.stdout, fieldnames=PARSE_REPORT_HEADER, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    from etl.safe_sql import QueryFailed, QueryRefused, QueryTimeout, run_query

    query = args.query if args.query != "-" else sys.stdin.read()
    try:
        result = run_query(args.db, query, timeout_s=args.timeout, row_cap=args.max_rows)
    except QueryRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 3
    except QueryTimeout as exc:
        print(f"timed out: {exc}", file=sys.stderr)
        return 4
    except (QueryFailed, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(result.columns)
    w.writerows(result.rows)
    if result.truncated:
        print(f"truncated: only the first {result.row_cap} rows are shown", file=sys.stderr)
    return 0


def cmd_reconcile(args: argparse.Namespace) -> int:
    import pandas as pd

    from etl.db import connect_readonly
    from etl.queries import run
    from etl.reconcile import reconcile

    con = connect_readonly(args.db)
    df = reconcile(con)
    conflicts = run(con, "conflicts")[["la_name", "inspection_id", "area", "chosen_grade",
                                       "observations"]]
    if args.format == "csv":
        df.to_csv(sys.stdout, index=False)
        return 0
    with pd.option_context("display.max_colwidth", 90, "display.width", 250,
                           "display.max_rows", 500):
        print("Published figures beside the figures computed from report-level data\n")
        for r in df.itertuples():
            mark = "=" if r.matches else "≠"
            comp = "—" if r.computed is None or pd.isna(r.computed) else f"{r.computed:g}"
            print(f"{mark} {r.figure_id:<28} published {r.published:<6g} computed {comp:<6} "
                  f"{r.description}")
            print(f"    {r.explanation}")
        print(f"\nJudgements where sources disagree ({len(conflicts)}):")
        print(conflicts.to_string(index=False) if len(conflicts) else "none")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from etl.exports_cli import run_export

    return run_export(args)


def cmd_refresh(args: argparse.Namespace) -> int:
    from etl.refresh_cli import run_refresh

    return run_refresh(args)


def cmd_changes(args: argparse.Namespace) -> int:
    from etl.db import connect_readonly
    from etl.queries import run

    con = connect_readonly(args.db)
    run(con, "changes_since", since=args.since).to_csv(sys.stdout, index=False)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, help_: str, func) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"database (default {DEFAULT_DB})")
        sp.set_defaults(func=func)
        return sp

    sp = add("build", "build the database from the shipped snapshot (atomic)", cmd_build)
    sp.add_argument("--snapshot", type=Path, default=SNAPSHOT_DIR)

    sp = add("snapshot", "re-derive the snapshot from the raw sources, then build", cmd_snapshot)
    sp.add_argument("--sources", type=Path, default=DEFAULT_SHARED_DATA)
    sp.add_argument("--seeds", type=Path, default=DEFAULT_SHARED_DATA.parent / "seeds")
    sp.add_argument("--snapshot", type=Path, default=SNAPSHOT_DIR)
    sp.add_argument("--workers", type=int, default=2)
    sp.add_argument("--no-build", action="store_true", help="write the snapshot only")

    sp = add("parse-report", "what report PDFs say, as CSV on stdout", cmd_parse_report)
    sp.add_argument("pdf", nargs="+")

    sp = add("sql", "run one read-only SELECT; CSV on stdout", cmd_sql)
    sp.add_argument("query", help="the SQL, or - to read it from stdin")
    sp.add_argument("--timeout", type=float, default=5.0, help="seconds (default 5)")
    sp.add_argument("--max-rows", type=int, default=10_000, help="row cap (default 10000)")

    sp = add("reconcile", "published figures vs computed, and cross-source conflicts",
             cmd_reconcile)
    sp.add_argument("--format", choices=("table", "csv"), default="table")

    sp = add("export", "export a chart for a paper", cmd_export)
    sp.add_argument("chart", choices=("national", "failing", "neighbours", "cycle"))
    sp.add_argument("--as-at", type=_date, default=None)
    sp.add_argument("--la", default=None, help="LA code or name (neighbours)")
    sp.add_argument("--area", default="overall_effectiveness")
    sp.add_argument("--framework", default=None)
    sp.add_argument("--format", choices=("png", "svg", "pdf", "csv", "xlsx", "pack"),
                    default="png")
    sp.add_argument("--out", type=Path, required=True)

    sp = add("refresh", "fetch new reports from Ofsted's website and update the database",
             cmd_refresh)
    sp.add_argument("--base-url", default=None, help="default: Ofsted's reports site")
    sp.add_argument("--cache", type=Path, default=None, help="default: data/cache/refresh")
    sp.add_argument("--snapshot", type=Path, default=SNAPSHOT_DIR,
                    help="the snapshot to add new reports to (default data/snapshot)")
    sp.add_argument("--dry-run", action="store_true", help="list what would be fetched")

    sp = add("changes", "what refreshes found new or changed, as CSV", cmd_changes)
    sp.add_argument("--since", type=_date, default=dt.date(2000, 1, 1))
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
