"""`python -m etl refresh`: crawl Ofsted's site, fetch new reports, update the warehouse."""

from __future__ import annotations

import argparse
import sys

from etl import SNAPSHOT_DIR
from etl.refresh import (
    DEFAULT_BASE_URL,
    DEFAULT_CACHE_DIR,
    RefreshError,
    TqdmProgress,
    refresh,
)
from etl.refresh_ingest import ingest


def run_refresh(args: argparse.Namespace) -> int:
    cache = args.cache or DEFAULT_CACHE_DIR
    snapshot_dir = args.snapshot or SNAPSHOT_DIR
    recorded: list[dict] = []

    def on_new(downloads) -> None:
        recorded.extend(ingest(downloads, db_path=args.db, cache_root=cache / "reports",
                               snapshot_dir=snapshot_dir))

    progress = TqdmProgress()
    try:
        summary = refresh(args.base_url or DEFAULT_BASE_URL, cache, ingest=on_new,
                          dry_run=args.dry_run, progress=progress)
    except RefreshError as exc:
        print(f"refresh failed: {exc}", file=sys.stderr)
        return 1
    finally:
        progress.close()
    print(summary.describe())
    if not args.dry_run:
        print(f"changes recorded: {len(recorded)}")
        for c in recorded:
            print(f"  {c['change_type']:<22} {c['la_code']} {c['inspection_id']} {c['detail']}")
    return 0
