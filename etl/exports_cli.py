"""`python -m etl export <chart>`: regenerate a paper's chart by script."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from etl import chart_data, charts, queries
from etl.db import connect_readonly

FIGURES = {
    "national": charts.national_distribution_figure,
    "failing": charts.failing_over_time_figure,
    "neighbours": charts.neighbours_figure,
    "cycle": charts.cycle_figure,
}


def run_export(args: argparse.Namespace) -> int:
    from etl import export

    as_at = args.as_at or dt.date.today()
    con = connect_readonly(args.db)
    params = {"as_at": as_at.isoformat(), "area": args.area, "framework": args.framework}
    if args.chart == "neighbours":
        if not args.la:
            print("export neighbours needs --la CODE (e.g. --la 855)", file=sys.stderr)
            return 2
        from etl import SNAPSHOT_DIR
        from etl.la_lookup import LaResolver, UnknownLA
        from etl.snapshot_io import load_las

        try:
            la = LaResolver(load_las(SNAPSHOT_DIR)).resolve(args.la)
        except UnknownLA as exc:
            print(str(exc), file=sys.stderr)
            return 2
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
            return 1
        fig = FIGURES[args.chart](df, spec)
        if args.format == "pack":
            last = queries.run(con, "last_build")
            build = last.iloc[0]["finished_at"] if len(last) else None
            meta = {"chart": args.chart, "query": f"etl.chart_data.{args.chart}",
                    "parameters": params, "data_build": str(build)}
            args.out.write_bytes(export.paper_pack(fig, df, spec, meta))
        else:
            args.out.write_bytes(export.export_figure(export.print_style(fig), args.format))
    print(json.dumps({"chart": args.chart, "format": args.format, "out": str(args.out),
                      "rows": len(df)}))
    return 0
