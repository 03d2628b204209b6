"""Refresh end to end: the fixture site → parse → snapshot → atomic rebuild → change feed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from fixture_site import HELD_BACK, real_report, standard_site

from etl import PROJECT_ROOT, SNAPSHOT_DIR
from etl.ingest.refresh import PoliteClient, refresh
from etl.ingest.snapshot import (
    load_hexes,
    load_las,
    load_results,
    read_csv_rows,
    write_snapshot,
)
from etl.warehouse.build import build
from etl.warehouse.changes import apply_downloads as ingest

BEDFORD_2025 = "80428_bedford/children's services inspection - 27 august 2025"


def _snapshot_without_bedford_2025(dest: Path, source: Path) -> None:
    """The snapshot at `source` as it was before Bedford's August 2025 report was published,
    written by the pipeline itself (so its manifest is right)."""
    rows = read_csv_rows(source / "inspection_records.csv")
    gone = {r["inspection_id"] for r in rows if BEDFORD_2025 in r["source_id"]}
    assert len(gone) == 1, "the shipped snapshot should hold Bedford's Aug 2025 report"
    # Every source's record of that inspection goes, as none of them had it then.
    dropped = {(r["source_id"], r["row_ref"]) for r in rows if r["inspection_id"] in gone}
    kept = []
    for res in load_results(source):
        if res.source.source_id == "report:" + BEDFORD_2025:
            continue
        res.records = [rec for rec in res.records if (rec.source_id, rec.row_ref) not in dropped]
        kept.append(res)
    write_snapshot(kept, load_las(source), load_hexes(source), dest)


@pytest.fixture(scope="module")
def before_bedford(tmp_path_factory: pytest.TempPathFactory, shared_data: Path,
                   small_snapshot: Path) -> tuple[Path, Path]:
    """Made once for the module: the shipped snapshot cut to the fixture site's LAs (each
    keeps all it has; a refresh's three builds take seconds instead of a minute), without
    Bedford's August 2025 report, and its database."""
    root = tmp_path_factory.mktemp("before_bedford")
    _snapshot_without_bedford_2025(root / "snapshot", small_snapshot)
    build(root / "w.duckdb", root / "snapshot")
    return root / "snapshot", root / "w.duckdb"


@pytest.fixture
def warehouse(tmp_path: Path, before_bedford: tuple[Path, Path]) -> tuple[Path, Path]:
    """A private copy of `before_bedford` for a test to change."""
    snap, db = tmp_path / "snapshot", tmp_path / "w.duckdb"
    shutil.copytree(before_bedford[0], snap)
    shutil.copyfile(before_bedford[1], db)
    return snap, db


def _client() -> PoliteClient:
    return PoliteClient(min_interval=0, sleep=lambda s: None, timeout=2.0)


def _changes(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT change_type, la_code, inspection_id FROM changes "
                           "ORDER BY change_type, inspection_id").fetchall()
    finally:
        con.close()


@pytest.mark.shared
def test_refresh_adds_only_new_reports_and_records_changes(warehouse, shared_data, tmp_path):
    snap, db = warehouse
    cache = tmp_path / "cache"
    reports = shared_data / "ofsted-reports"

    def on_new(downloads):
        ingest(downloads, db_path=db, cache_root=cache / "reports", snapshot_dir=snap)

    with standard_site(reports) as site:
        # First run: every report the site lists is already in the snapshot (same bytes), so
        # only the two visit letters are new; they become visits, not inspections.
        refresh(site.base_url, cache, ingest=on_new, client=_client())
        first = _changes(db)
        assert [c[0] for c in first] == ["new_visit", "new_visit"]
        assert {c[1] for c in first} == {"891", "330"}  # Nottinghamshire, Birmingham

        # Ofsted publishes Bedford's report: exactly that one is fetched and recorded.
        file_id, folder, label = HELD_BACK
        site.provider("80428").reports.insert(0, real_report(reports, folder, label, file_id))
        summary = refresh(site.base_url, cache, ingest=on_new, client=_client())
        assert [r.link.label for r in summary.fetched] == [label]
        new = [c for c in _changes(db) if c not in first]
        assert [c[:2] for c in new] == [("new_report", "822")]

        # A third run fetches nothing and records nothing.
        again = refresh(site.base_url, cache, ingest=on_new, client=_client())
        assert again.fetched == []
        assert len(_changes(db)) == 3
        bedford_url = site.file_url(file_id)

    con = duckdb.connect(str(db), read_only=True)
    try:
        grade, url = con.execute(
            "SELECT j.grade, i.report_url FROM inspections i JOIN judgements j USING (inspection_id) "
            "WHERE i.inspection_id = ? AND j.area = 'overall_effectiveness'", [new[0][2]]).fetchone()
        n = con.execute("SELECT count(*) FROM inspection_records WHERE inspection_id = ?",
                        [new[0][2]]).fetchone()[0]
    finally:
        con.close()
    assert grade in {"outstanding", "good", "requires_improvement", "inadequate"}
    assert url == bedford_url
    assert n == 1  # no duplicate records after three runs

    out = subprocess.run([sys.executable, "-m", "etl", "changes", "--db", str(db), "--since",
                          "2000-01-01"], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True)
    lines = out.stdout.strip().splitlines()
    assert lines[0].startswith("detected_at,change_type,la_code,la_name")
    assert sum("new_report" in line and "Bedford" in line for line in lines) == 1


@pytest.mark.shared
def test_refresh_command_dry_run_lists_and_writes_nothing(warehouse, shared_data, tmp_path):
    snap, db = warehouse
    before = (db.read_bytes(), sorted(p.name for p in snap.iterdir()))
    with standard_site(shared_data / "ofsted-reports") as site:
        out = subprocess.run(
            [sys.executable, "-m", "etl", "refresh", "--base-url", site.base_url, "--dry-run",
             "--db", str(db), "--snapshot", str(snap), "--cache", str(tmp_path / "cache"),
             "--min-interval", "0"],  # a local site: no politeness pause between requests
            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
        assert site.file_requests() == []
    assert out.returncode == 0, out.stderr
    # the fixture site lists 16 report and letter links (tests/fixture_site), none cached yet
    assert "16 report links: 16 new, would fetch 16" in out.stdout
    assert out.stdout.count("  would fetch: ") == 16
    assert (db.read_bytes(), sorted(p.name for p in snap.iterdir())) == before


@pytest.mark.shared
def test_refresh_command_fails_loudly_when_the_site_changes(warehouse, shared_data, tmp_path):
    snap, db = warehouse
    with standard_site(shared_data / "ofsted-reports") as site:
        site.publication_link_class = "report-link"
        out = subprocess.run(
            [sys.executable, "-m", "etl", "refresh", "--base-url", site.base_url,
             "--db", str(db), "--snapshot", str(snap), "--cache", str(tmp_path / "cache"),
             "--min-interval", "0"],
            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert out.returncode == 1
    assert "a.publication-link" in out.stderr


def _tree_digest(folder: Path) -> dict[str, str]:
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.shared
def test_refresh_of_another_database_leaves_the_shipped_snapshot_alone(shared_data, tmp_path):
    """`refresh --db X` keeps its working snapshot beside X (X.snapshot), started from the
    shipped one; the change feed of a fresh X compares like with like (no false 'new' rows)."""
    shipped = _tree_digest(SNAPSHOT_DIR)
    db = tmp_path / "fresh.duckdb"  # does not exist yet
    with standard_site(shared_data / "ofsted-reports") as site:
        out = subprocess.run(
            [sys.executable, "-m", "etl", "refresh", "--base-url", site.base_url,
             "--db", str(db), "--cache", str(tmp_path / "cache"), "--min-interval", "0"],
            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    assert _tree_digest(SNAPSHOT_DIR) == shipped
    work = tmp_path / "fresh.duckdb.snapshot"
    assert (work / "snapshot.json").is_file() and db.is_file()
    feed = read_csv_rows(work / "changes.csv")
    # every report the fixture site lists is already in the shipped snapshot: only the two
    # visit letters are new
    assert sorted(c["change_type"] for c in feed) == ["new_visit", "new_visit"]
    sources = read_csv_rows(work / "sources.csv")
    assert not any(s["path"].startswith("/") for s in sources), "paths stay relative"
    # a plain build of that database now builds from its working snapshot
    built = subprocess.run([sys.executable, "-m", "etl", "build", "--db", str(db)],
                           capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert built.returncode == 0 and str(work) in built.stdout
