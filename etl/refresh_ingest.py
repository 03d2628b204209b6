"""Wire the refresh crawler to the warehouse: parse what it fetched, add it to the snapshot,
rebuild atomically, and record what changed in the change feed (`changes`).

Idempotent by construction: a fetched file whose URL or bytes the snapshot already holds is
skipped, and a source is keyed by its id, so re-ingesting after an interruption duplicates
nothing. Changes come from comparing the database before and after, not from what was fetched.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import duckdb
import pandas as pd

from etl import SNAPSHOT_DIR, queries
from etl.build import build
from etl.la_lookup import LaResolver, UnknownLA
from etl.records import InspectionRecord, Reject, Source, SourceResult
from etl.snapshot import read_csv_rows, write_snapshot
from etl.snapshot_io import load_hexes, load_las, load_results
from etl.sources import reports_pdf
from etl.vocab import ILACS_REFORM_FROM

VISIT_TYPES = {"focused_visit": "focused_visit", "monitoring_visit": "monitoring_visit"}


def _visit_result(d, resolver: LaResolver) -> SourceResult:
    link = d.link
    sid = f"visit:{link.url}"
    source = Source(source_id=sid, kind="ofsted_report_pdf", title=f"Ofsted {link.label}",
                    path=str(d.path), url=link.url, parser=__name__, sha256=d.sha256)
    res = SourceResult(source=source)
    try:
        la = resolver.by_urn(link.provider_urn)
    except UnknownLA as exc:
        res.rejects.append(Reject(sid, str(d.path), "provider", str(exc), link.provider_name))
        return res
    if link.published_date is None:
        res.rejects.append(Reject(sid, str(d.path), "label", "no date in the link label", link.label))
        return res
    # Visit letters carry no grade; the framework of a visit since 2018 is ILACS.
    res.records.append(InspectionRecord(
        source_id=sid, row_ref="letter", la_code=la, la_name_raw=link.provider_name,
        framework="ILACS", inspection_type=VISIT_TYPES[link.kind],
        published_date=link.published_date, report_url=link.url))
    return res


def parse_downloads(downloads, resolver: LaResolver, cache_root: Path) -> list[SourceResult]:
    out = []
    for d in downloads:
        if d.link.kind in VISIT_TYPES:
            out.append(_visit_result(d, resolver))
            continue
        res = reports_pdf.parse_report(d.path, resolver, cache_root)
        res.source.source_id = f"report-web:{d.link.url}"
        res.source.url = d.link.url
        for rec in res.records:
            rec.source_id = res.source.source_id
            rec.report_url = d.link.url
        for rej in res.rejects:
            rej.source_id = res.source.source_id
        out.append(res)
    return out


def _state(db_path: Path) -> pd.DataFrame:
    if not db_path.exists():
        return pd.DataFrame(columns=["inspection_id", "la_code", "framework", "inspection_type",
                                     "is_inspection", "start_date", "published_date", "area",
                                     "grade"])
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return queries.run(con, "change_basis")
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


def ingest(downloads, *, db_path: Path, cache_root: Path,
           snapshot_dir: Path = SNAPSHOT_DIR) -> list[dict[str, object]]:
    """Add fetched reports to the snapshot and rebuild; returns the changes recorded."""
    results = load_results(snapshot_dir)
    las = load_las(snapshot_dir)
    resolver = LaResolver(las)
    known_urls = {r.source.url for r in results if r.source.url}
    known_hashes = {r.source.sha256 for r in results if r.source.sha256}
    fresh = [d for d in downloads if d.link.url not in known_urls and d.sha256 not in known_hashes]
    if not fresh:
        return []
    by_id = {r.source.source_id: r for r in results}
    for res in parse_downloads(fresh, resolver, cache_root):
        by_id[res.source.source_id] = res
    before = _state(db_path)
    results = list(by_id.values())
    hexes = load_hexes(snapshot_dir)
    feed = read_csv_rows(snapshot_dir / "changes.csv")
    # The "after" state comes from a scratch build of the new snapshot: changes are what the
    # model's views say changed (a report that only confirms known grades changes nothing).
    write_snapshot(results, las, hexes, snapshot_dir, feed)
    scratch = db_path.with_name(db_path.name + ".refresh")
    try:
        build(scratch, snapshot_dir, command="refresh")
        changes = diff_changes(before, _state(scratch), uuid.uuid4().hex[:12], dt.datetime.now())
    finally:
        scratch.unlink(missing_ok=True)
    write_snapshot(results, las, hexes, snapshot_dir, feed + changes)
    build(db_path, snapshot_dir, command="refresh")
    return changes
