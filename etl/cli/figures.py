"""Figures commands: export."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from etl.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, iso_date

FIGURES = ("national", "failing", "neighbours", "cycle")


def add_export_parser(add) -> None:
    sp = add("export", "export a chart for a paper", cmd_export)
    sp.add_argument("chart", choices=FIGURES)
    sp.add_argument("--as-at", type=iso_date, default=None)
    sp.add_argument("--la", default=None, help="LA code or name (neighbours)")
    sp.add_argument("--area", default="overall_effectiveness")
    sp.add_argument("--framework", default=None)
    sp.add_argument("--format", choices=("png", "svg", "pdf", "csv", "xlsx", "pack"),
                    default="png")
    sp.add_argument("--out", type=Path, required=True)


def cmd_export(args: argparse.Namespace) -> int:
    from etl import chart_data, charts, export
    from etl.local_authorities import LaResolver, UnknownLA
    from etl.warehouse import queries
    from etl.warehouse.db import open_readonly

    figures = {"national": charts.national_distribution_figure,
               "failing": charts.failing_over_time_figure,
               "neighbours": charts.neighbours_figure, "cycle": charts.cycle_figure}
    as_at = args.as_at or dt.date.today()
    con = open_readonly(args.db)
    params = {"as_at": as_at.isoformat(), "area": args.area, "framework": args.framework}
    if args.chart == "neighbours":
        if not args.la:
            print("export neighbours needs --la CODE (e.g. --la 855)", file=sys.stderr)
            return EXIT_USAGE
        from etl import SNAPSHOT_DIR
        from etl.ingest.snapshot import load_las

        try:
            la = LaResolver(load_las(SNAPSHOT_DIR)).resolve(args.la)
        except UnknownLA as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_USAGE
        df, spec = chart_data.neighbours(con, as_at, args.area, la)
        params["la"] = la
    elif args.chart == "cycle":
        df, spec = chart_data.cycle(con, as_at, args.framework or "ILACS")
    else:
        df, spec = chart_data.BUILDERS[args.chart](con, as_at, args.area, args.framework)
    if args.format in ("csv", "xlsx"):
        args.out.write_bytes(export.export_data(df, args.format))
    else:
        ok, reason = export.chromium_available()
        if not ok:
            print(f"cannot render images: {reason}", file=sys.stderr)
            return EXIT_FAILED
        fig = figures[args.chart](df, spec)
        if args.format == "pack":
            last = queries.run(con, "build/last_build")
            build = last.iloc[0]["finished_at"] if len(last) else None
            meta = {"chart": args.chart, "query": f"etl.chart_data.{args.chart}",
                    "parameters": params, "data_build": str(build)}
            args.out.write_bytes(export.paper_pack(fig, df, spec, meta))
        else:
            args.out.write_bytes(export.export_figure(export.print_style(fig), args.format))
    print(json.dumps({"chart": args.chart, "format": args.format, "out": str(args.out),
                      "rows": len(df)}))
    return EXIT_OK
