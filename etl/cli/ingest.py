"""Ingest commands: snapshot, parse-report, refresh."""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import sys
from pathlib import Path

from etl.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE


def progress_bar():
    """A tqdm bar per stage on stderr: (label, done, total) callbacks."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def progress(label: str, done: int, total: int) -> None:
        bar = bars.get(label)
        if bar is None:
            bar = bars[label] = tqdm(total=total, desc=f"{label[:40]:<40}", unit="file",
                                     file=sys.stderr, leave=True)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return progress


# DuckDB's memory for the build that ends `snapshot` (unless INSPECTION_OUTCOMES_BUILD_MEMORY
# says otherwise): `snapshot` must stay under 300 MB a process (issue 14). With the build's own
# default (4 GB, for data a thousand times today's) DuckDB took ~700 MB here; with 128 MB the
# build process peaks at ~250 MB and takes ~8 s instead of ~5 s.
SNAPSHOT_BUILD_MEMORY = "128MB"


def _build_apart(args: argparse.Namespace, parent_pid: int) -> None:
    """The build, in a fresh process (spawned): the parsing's memory and the figures' imports
    of this process are not carried into it."""
    from etl.cli.warehouse import cmd_build
    from etl.ingest.workers import die_with_parent
    from etl.warehouse.build import BUILD_MEMORY_ENV

    die_with_parent(parent_pid)  # a killed `snapshot` takes its build with it
    os.environ.setdefault(BUILD_MEMORY_ENV, SNAPSHOT_BUILD_MEMORY)
    sys.exit(cmd_build(args))


def cmd_snapshot(args: argparse.Namespace) -> int:
    from etl.ingest.collect import make_snapshot

    if not args.sources.is_dir():
        print(f"no sources folder at {args.sources}", file=sys.stderr)
        return EXIT_USAGE
    summary = make_snapshot(args.sources, args.seeds, args.snapshot, progress=progress_bar(),
                            workers=args.workers)
    print(summary.table(), flush=True)
    if args.no_build:
        return EXIT_OK
    # built in a process of its own: after the parsing, this one holds ~200 MB that DuckDB's
    # memory would otherwise add to (875 MB together, issue 14)
    build = multiprocessing.get_context("spawn").Process(target=_build_apart,
                                                         args=(args, os.getpid()))
    build.start()
    build.join()
    code = build.exitcode
    return code if code is not None and code >= 0 else EXIT_FAILED  # < 0: killed by a signal


def cmd_parse_report(args: argparse.Namespace) -> int:
    from etl.ingest.adapters.reports_pdf import CSV_HEADER, parse_report_rows

    rows = parse_report_rows([Path(p) for p in args.pdf])
    w = csv.DictWriter(sys.stdout, fieldnames=list(CSV_HEADER), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return EXIT_OK


def cmd_refresh(args: argparse.Namespace) -> int:
    from etl.ingest.refresh import (
        DEFAULT_BASE_URL,
        DEFAULT_CACHE_DIR,
        PoliteClient,
        RefreshError,
        TqdmProgress,
        refresh,
    )
    from etl.warehouse.build import working_snapshot
    from etl.warehouse.changes import apply_downloads, start_working_snapshot

    cache = args.cache or DEFAULT_CACHE_DIR
    if args.snapshot is None:
        args.snapshot = working_snapshot(args.db)
        if not args.dry_run:
            start_working_snapshot(args.snapshot)
    recorded: list[dict] = []

    def on_new(downloads) -> None:
        recorded.extend(apply_downloads(downloads, db_path=args.db, cache_root=cache / "reports",
                                        snapshot_dir=args.snapshot))

    progress = TqdmProgress()
    try:
        summary = refresh(args.base_url or DEFAULT_BASE_URL, cache, ingest=on_new,
                          dry_run=args.dry_run, progress=progress,
                          client=PoliteClient(min_interval=max(args.min_interval, 0.0)))
    except RefreshError as exc:
        print(f"refresh failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        progress.close()
    print(summary.describe())
    if not args.dry_run:
        print(f"changes recorded: {len(recorded)}")
        for c in recorded:
            print(f"  {c['change_type']:<22} {c['la_code']} {c['inspection_id']} {c['detail']}")
    return EXIT_OK
