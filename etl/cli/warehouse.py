"""Warehouse commands: build, sql, reconcile, changes."""

from __future__ import annotations

import argparse
import sys

from etl.cli import EXIT_FAILED, EXIT_OK, EXIT_REFUSED, EXIT_TIMEOUT, EXIT_USAGE


def cmd_build(args: argparse.Namespace) -> int:
    from etl.warehouse.build import BuildError, build, snapshot_for

    snapshot = args.snapshot or snapshot_for(args.db)
    try:
        s = build(args.db, snapshot)
    except BuildError as exc:
        print(f"build failed: {exc}\nthe previous database (if any) is unchanged",
              file=sys.stderr)
        return EXIT_FAILED
    print(f"built {s.db_path} from {snapshot} in {s.seconds:.2f} s: {s.inspections} inspections, "
          f"{s.records} source records, {s.judgements} judgements, {s.quarantined} quarantined, "
          f"{s.conflicts} judgements where sources disagree")
    return EXIT_OK


def cmd_sql(args: argparse.Namespace) -> int:
    from etl.warehouse.safe_sql import (
        QueryFailed,
        QueryRefused,
        QueryTimeout,
        QueryTooLarge,
        run_query,
    )

    if args.file is not None:
        try:
            query = args.file.read_text(encoding="utf-8")
        except OSError as exc:
            print(f"error: cannot read {args.file}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    else:
        query = sys.stdin.read() if args.query == "-" else args.query
    try:
        result = run_query(args.db, query, timeout_s=args.timeout, row_cap=args.max_rows,
                           byte_cap=int(args.max_mb * 1_000_000))
    except QueryRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except QueryTooLarge as exc:
        print(f"too large: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except QueryTimeout as exc:
        print(f"timed out: {exc}", file=sys.stderr)
        return EXIT_TIMEOUT
    except (QueryFailed, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.format == "csv":
        from etl.figures.export import defuse_formulas

        defuse_formulas(result.to_dataframe()).to_csv(sys.stdout, index=False)
    else:
        frame = result.to_dataframe()
        if args.format == "json":
            sys.stdout.write(frame.to_json(orient="records", date_format="iso",
                                           force_ascii=False) + "\n")
        else:
            sys.stdout.write(frame.to_string(index=False) + "\n")
    if result.truncated:
        print(f"truncated: {result.limit_message()}", file=sys.stderr)
    return EXIT_OK


def cmd_reconcile(args: argparse.Namespace) -> int:
    import pandas as pd

    from etl.warehouse.db import open_readonly
    from etl.warehouse.queries import run
    from etl.warehouse.reconcile import reconcile

    con = open_readonly(args.db)
    df = reconcile(con)
    conflicts = run(con, "data/conflicts")[["la_name", "inspection_id", "area", "chosen_grade",
                                            "observations"]]
    if args.format == "csv":
        from etl.figures.export import defuse_formulas

        defuse_formulas(df).to_csv(sys.stdout, index=False)
        return EXIT_OK
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
    return EXIT_OK


def cmd_changes(args: argparse.Namespace) -> int:
    from etl.warehouse.db import open_readonly
    from etl.warehouse.queries import run

    con = open_readonly(args.db)
    from etl.figures.export import defuse_formulas

    defuse_formulas(run(con, "data/changes_since", since=args.since)).to_csv(sys.stdout,
                                                                             index=False)
    return EXIT_OK
