"""`python -m etl`: one argparse tree for every command, one set of exit codes.

Commands by pipeline stage: `snapshot`, `parse-report`, `refresh` (ingest); `build`, `sql`,
`reconcile`, `changes` (warehouse); `export`, `briefing` (figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from etl import DEFAULT_DB, DEFAULT_SHARED_DATA, SNAPSHOT_DIR

# Exit codes, the same for every command (argparse itself exits 2 on a usage error).
EXIT_OK = 0
EXIT_FAILED = 1  # the command ran and failed: a build error, a SQL error, no chromium
EXIT_USAGE = 2  # the input was wrong: bad arguments, an unknown LA, a missing folder
EXIT_REFUSED = 3  # the SQL workbench refused the query
EXIT_TIMEOUT = 4  # the query hit its time limit


def iso_date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {s!r}") from None


def build_parser(charts: bool = True) -> argparse.ArgumentParser:
    """Every command's parser. `charts=False` leaves out the export command's sub-commands,
    which are made from every chart module (plotly and pandas imported: ~125 MB and half a
    second that `build` or `sql` do not need)."""
    from etl.cli import figures, ingest, warehouse

    p = argparse.ArgumentParser(prog="python -m etl", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, help_: str, func) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help=f"database (default {DEFAULT_DB})")
        sp.set_defaults(func=func)
        return sp

    # ingest
    sp = add("snapshot", "re-derive the snapshot from the raw sources, then build",
             ingest.cmd_snapshot)
    sp.add_argument("--sources", type=Path, default=DEFAULT_SHARED_DATA)
    sp.add_argument("--seeds", type=Path, default=DEFAULT_SHARED_DATA.parent / "seeds")
    sp.add_argument("--snapshot", type=Path, default=SNAPSHOT_DIR)
    sp.add_argument("--workers", type=int, default=2)
    sp.add_argument("--no-build", action="store_true", help="write the snapshot only")

    sp = add("parse-report", "what report PDFs say, as CSV on stdout", ingest.cmd_parse_report)
    sp.add_argument("pdf", nargs="+")

    sp = add("refresh", "fetch new reports from Ofsted's website and update the database",
             ingest.cmd_refresh)
    sp.add_argument("--base-url", default=None, help="default: Ofsted's reports site")
    sp.add_argument("--cache", type=Path, default=None, help="default: data/cache/refresh")
    sp.add_argument("--snapshot", type=Path, default=None,
                    help="the snapshot to add new reports to (default: DB.snapshot beside the "
                         "database, started from the shipped data/snapshot)")
    sp.add_argument("--dry-run", action="store_true", help="list what would be fetched")
    sp.add_argument("--min-interval", type=float, default=1.0,
                    help="seconds between requests (default 1: be polite to Ofsted's site; 0 "
                         "only for a local copy of it)")

    # warehouse
    sp = add("build", "build the database from its snapshot (atomic)", warehouse.cmd_build)
    sp.add_argument("--snapshot", type=Path, default=None,
                    help="default: the refresh working snapshot beside the database if there "
                         "is one, else the shipped data/snapshot")

    sp = add("sql", "run one read-only SELECT; CSV (or JSON, or a table) on stdout",
             warehouse.cmd_sql)
    sp.add_argument("query", nargs="?", default="-",
                    help="the SQL, or - (the default) to read it from stdin")
    sp.add_argument("--file", type=Path, help="read the query from this file")
    sp.add_argument("--timeout", type=float, default=5.0, help="seconds (default 5)")
    sp.add_argument("--max-rows", type=int, default=10_000, help="row cap (default 10000)")
    sp.add_argument("--max-mb", type=float, default=8.0,
                    help="result size cap in MB (default 8)")
    sp.add_argument("--format", choices=("csv", "json", "table"), default="csv")

    sp = add("reconcile", "published figures vs computed, and cross-source conflicts",
             warehouse.cmd_reconcile)
    sp.add_argument("--format", choices=("table", "csv"), default="table")

    sp = add("changes", "what refreshes found new or changed, as CSV", warehouse.cmd_changes)
    sp.add_argument("--since", type=iso_date, default=dt.date(2000, 1, 1))

    # figures
    figures.add_export_parser(add, charts=charts)
    figures.add_briefing_parser(add)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # the command is the first word that is not an option (top-level options are -h only)
    command = next((a for a in argv if not a.startswith("-")), None)
    args = build_parser(charts=command in (None, "export")).parse_args(argv)
    return args.func(args)
