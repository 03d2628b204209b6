"""The change feed: apply what a refresh fetched to the snapshot and the database, and record
what changed (`changes`: new reports and visits, grade changes, an LA's first inspection after
the April 2026 reform).

Changes come from comparing the model before and after (a report that only confirms known
grades changes nothing), not from what was fetched.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from pathlib import Path

import pandas as pd

from etl import SNAPSHOT_DIR
from etl.ingest.refresh.downloads import add_downloads, fresh_downloads
from etl.ingest.snapshot import (
    MANIFEST,
    load_hexes,
    load_las,
    load_results,
    read_csv_rows,
    recover,
    swap_into_place,
    temp_dir,
    write_snapshot,
)
from etl.local_authorities import LaResolver
from etl.vocab import ILACS_REFORM_FROM
from etl.warehouse import queries
from etl.warehouse.build import build
from etl.warehouse.db import open_readonly

STATE_COLUMNS = ["inspection_id", "la_code", "framework", "inspection_type", "is_inspection",
                 "start_date", "published_date", "area", "grade"]


def model_state(db_path: Path) -> pd.DataFrame:
    """What the change feed compares: every inspection with its judgements."""
    if not db_path.exists():
        return pd.DataFrame(columns=STATE_COLUMNS)
    con = open_readonly(db_path, build_if_missing=False)
    try:
        return queries.run(con, "build/change_basis")
    finally:
        con.close()


def diff_changes(before: pd.DataFrame, after: pd.DataFrame, run_id: str,
                 now: dt.datetime) -> list[dict[str, object]]:
    """New reports and visits, grade changes, and an LA's first inspection after the reform."""
    changes: list[dict[str, object]] = []
    old_ids = set(before["inspection_id"])
    insp_after = after.drop_duplicates("inspection_id")
    reform = pd.Timestamp(ILACS_REFORM_FROM)
    had_reform = set(before.loc[(before["framework"] == "ILACS") &
                                (pd.to_datetime(before["start_date"]) >= reform), "la_code"])

    def add(kind, row, area="", old="", new="", detail=""):
        changes.append({"detected_at": now.isoformat(sep=" "), "run_id": run_id,
                        "change_type": kind, "la_code": row["la_code"],
                        "inspection_id": row["inspection_id"], "area": area, "old_value": old,
                        "new_value": new, "detail": detail})

    for _, row in insp_after[~insp_after["inspection_id"].isin(old_ids)].iterrows():
        kind = "new_report" if row["is_inspection"] else "new_visit"
        add(kind, row, detail=f"{row['framework']} {row['inspection_type']} published "
                             f"{pd.Timestamp(row['published_date']):%d %b %Y}"
            if pd.notna(row["published_date"]) else "")
        start = pd.to_datetime(row["start_date"])
        if (row["framework"] == "ILACS" and pd.notna(start) and start >= reform
                and row["la_code"] not in had_reform and row["is_inspection"]):
            add("first_under_framework", row, detail="first inspection since the April 2026 change")
            had_reform.add(row["la_code"])
    merged = after.dropna(subset=["area"]).merge(
        before.dropna(subset=["area"])[["inspection_id", "area", "grade"]],
        on=["inspection_id", "area"], how="inner", suffixes=("", "_old"))
    for _, row in merged[merged["grade"] != merged["grade_old"]].iterrows():
        add("grade_change", row, row["area"], row["grade_old"], row["grade"])
    return changes


def start_working_snapshot(snapshot_dir: Path, shipped: Path = SNAPSHOT_DIR) -> None:
    """A refresh's working snapshot starts as a copy of the shipped one (copied whole, then
    renamed into place, so a half-made copy is never taken for a snapshot)."""
    recover(snapshot_dir)
    if (snapshot_dir / MANIFEST).is_file():
        return
    tmp = temp_dir(snapshot_dir, "new")
    shutil.copytree(shipped, tmp)
    swap_into_place(tmp, snapshot_dir)


def _scratch_state(snapshot_dir: Path, scratch: Path) -> pd.DataFrame:
    try:
        build(scratch, snapshot_dir, command="refresh")
        return model_state(scratch)
    finally:
        scratch.unlink(missing_ok=True)


def apply_downloads(downloads, *, db_path: Path, cache_root: Path,
                    snapshot_dir: Path = SNAPSHOT_DIR) -> list[dict[str, object]]:
    """Add fetched reports to the snapshot and rebuild; returns the changes recorded.

    Before and after are both scratch builds of the snapshot being updated, so the feed
    compares like with like whatever the database at `db_path` was built from (or if it does
    not exist yet).
    """
    results = load_results(snapshot_dir)
    if not fresh_downloads(results, downloads):
        return []
    las = load_las(snapshot_dir)
    results = add_downloads(results, downloads, LaResolver(las), cache_root)
    scratch = db_path.with_name(db_path.name + ".refresh")
    before = _scratch_state(snapshot_dir, scratch)
    hexes = load_hexes(snapshot_dir)
    feed = read_csv_rows(snapshot_dir / "changes.csv")
    write_snapshot(results, las, hexes, snapshot_dir, feed)
    changes = diff_changes(before, _scratch_state(snapshot_dir, scratch), uuid.uuid4().hex[:12],
                           dt.datetime.now())
    write_snapshot(results, las, hexes, snapshot_dir, feed + changes)
    build(db_path, snapshot_dir, command="refresh")
    return changes
