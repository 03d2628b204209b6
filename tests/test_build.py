"""`etl.build`: the database is built from the snapshot atomically. A failed build names its
step, leaves the previous database byte-identical and leaves no temporary file behind."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from etl import SNAPSHOT_DIR
from etl.ingest.snapshot import MANIFEST, file_manifest
from etl.warehouse.build import BuildError, build, checks, ensure_built, split_statements


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def snapshot_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pristine copy of the shipped snapshot; tests corrupt their own copies of it."""
    dest = tmp_path_factory.mktemp("snapshot_src") / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, dest)
    return dest


@pytest.fixture
def snapshot(snapshot_copy: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    # A corruption only the end-of-build checks catch is made in the cut snapshot (every build
    # step and check, in a second): it fails at the same check after the same steps.
    params = getattr(request.node, "callspec", None)
    corrupt = params.params.get("corrupt") if params else None
    source = (request.getfixturevalue("small_snapshot") if corrupt in CAUGHT_BY_THE_CHECKS
              else snapshot_copy)
    dest = tmp_path / "snapshot"
    shutil.copytree(source, dest)
    return dest


@pytest.fixture(scope="module")
def good_db(built_db: Path) -> Path:
    """The session's build of (a copy of) the shipped snapshot: never changed, only copied."""
    return built_db


@pytest.fixture
def small(small_snapshot: Path, tmp_path: Path) -> Path:
    """A copy of the snapshot cut to six LAs, for tests of when and how a build happens
    rather than of what it holds: a build of it takes a second."""
    dest = tmp_path / "snapshot"
    shutil.copytree(small_snapshot, dest)
    return dest


def leftovers(folder: Path, db_name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != db_name and db_name in p.name)


def reseal(snapshot: Path) -> None:
    """Re-record the manifest, as a snapshot written (wrongly) by the pipeline itself would be:
    the corruption tests below are about the build's later checks, not the manifest."""
    meta = json.loads((snapshot / MANIFEST).read_text())
    meta["files"] = file_manifest(snapshot)
    (snapshot / MANIFEST).write_text(json.dumps(meta))


def rewrite_csv(path: Path, change) -> None:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    change(rows)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    reseal(path.parent)


def test_build_succeeds_and_counts_match_the_snapshot(good_db: Path, snapshot_copy: Path) -> None:
    meta = json.loads((snapshot_copy / "snapshot.json").read_text())
    con = duckdb.connect(str(good_db), read_only=True)
    try:
        got = con.execute("""
            SELECT (SELECT count(*) FROM inspection_records), (SELECT count(*) FROM judgement_records),
                   (SELECT count(DISTINCT inspection_id) FROM inspections),
                   (SELECT count(*) FROM quarantine), (SELECT count(*) FROM conflicts)""").fetchone()
        runs = con.execute("SELECT command, records, judgements, quarantined, conflicts "
                           "FROM ingest_runs").fetchall()
    finally:
        con.close()
    # The Python snapshot and the SQL model count inspections and conflicts independently.
    want = (meta["records"], meta["judgements"], meta["inspections"], meta["quarantined"],
            meta["conflicts"])
    assert got == want
    assert runs == [("build", *want[:2], *want[3:])]
    assert leftovers(good_db.parent, good_db.name) == []


def test_build_summary(snapshot_copy: Path, tmp_path: Path) -> None:
    s = build(tmp_path / "new" / "dir" / "y.duckdb", snapshot_copy)  # creates the folder
    assert s.db_path.exists()
    assert s.inspections > 600 and s.records > s.inspections and s.judgements > s.records
    assert s.seconds < 30


def corrupt_bad_date(snapshot: Path) -> None:
    def change(rows):
        rows[0]["published_date"] = "2015-13-45"
    rewrite_csv(snapshot / "inspection_records.csv", change)


def corrupt_unknown_la(snapshot: Path) -> None:
    def change(rows):
        rows[5]["la_code"] = "999"
    rewrite_csv(snapshot / "inspection_records.csv", change)


def corrupt_unknown_grade(snapshot: Path) -> None:
    def change(rows):
        rows[0]["grade"] = "superb"
    rewrite_csv(snapshot / "judgement_records.csv", change)


CAUGHT_BY_THE_CHECKS = (corrupt_unknown_la, corrupt_unknown_grade)


def remove_judgements(snapshot: Path) -> None:
    (snapshot / "judgement_records.csv").unlink()
    reseal(snapshot)


def remove_every_csv(snapshot: Path) -> None:
    for p in [*snapshot.glob("*.csv"), *snapshot.glob("*.csv.gz")]:
        p.unlink()


def header_only_judgements(snapshot: Path) -> None:
    path = snapshot / "judgement_records.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")


def halved_judgements(snapshot: Path) -> None:
    path = snapshot / "judgement_records.csv"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[: len(lines) // 2]))


def malformed_manifest(snapshot: Path) -> None:
    (snapshot / MANIFEST).write_text('{"generated_at": "2026-11-23", "files": ')


def manifest_not_an_object(snapshot: Path) -> None:
    (snapshot / MANIFEST).write_text('["files"]')


def no_manifest(snapshot: Path) -> None:
    (snapshot / MANIFEST).unlink()


def unlisted_file(snapshot: Path) -> None:
    (snapshot / "extra.csv").write_text("a\n1\n")


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (corrupt_bad_date, r"sql/02_load\.sql: statement starting 'INSERT INTO inspection_records "
                           r"BY NAME' failed: .*inspection_records\.csv, line 2: column "
                           r'"published_date": Could not convert string "2015-13-45"'),
        (corrupt_unknown_la, r"integrity check failed \(every record's LA is a known local "
                             r"authority\).*999"),
        (corrupt_unknown_grade, r"integrity check failed \(judgement areas and grades.*superb"),
        (remove_judgements,
         r"sql/02_load\.sql: statement starting 'INSERT INTO judgement_records BY NAME'"),
        (remove_every_csv, r"no snapshot at .*python -m etl snapshot"),
        (header_only_judgements, r"judgement_records\.csv: 0 rows, the manifest says \d{4,}"),
        (halved_judgements, r"judgement_records\.csv: \d+ rows, the manifest says \d+; its "
                            r"checksum differs"),
        (malformed_manifest, r"snapshot\.json: not valid JSON"),
        (manifest_not_an_object, r"snapshot\.json: no 'files' table"),
        (no_manifest, r"snapshot\.json: missing"),
        (unlisted_file, r"extra\.csv: not in the manifest"),
    ],
)
def test_failed_build_keeps_previous_database(corrupt, message: str, snapshot: Path,
                                              good_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "inspection_outcomes.duckdb"
    shutil.copyfile(good_db, target)
    before = sha256(target)
    corrupt(snapshot)
    with pytest.raises(BuildError, match=message):
        build(target, snapshot)
    assert sha256(target) == before
    assert leftovers(tmp_path, target.name) == []
    # and the kept database still opens and answers
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("SELECT count(*) FROM inspections").fetchone()[0] > 600
    con.close()


def test_failed_first_build_leaves_nothing(small: Path, tmp_path: Path) -> None:
    corrupt_unknown_la(small)
    target = tmp_path / "out" / "fresh.duckdb"
    with pytest.raises(BuildError, match="every record's LA is a known local authority"):
        build(target, small)
    assert list(target.parent.iterdir()) == []


def test_ensure_built_rebuilds_only_when_the_snapshot_is_newer(small: Path,
                                                               tmp_path: Path) -> None:
    snapshot = small
    db = tmp_path / "z.duckdb"
    ensure_built(db, snapshot)  # missing: built
    assert db.exists()

    def runs() -> int:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute("SELECT count(*) FROM ingest_runs").fetchone()[0]
        finally:
            con.close()

    first_id = sha256(db)
    assert runs() == 1
    # Database newer than every input (snapshot and sql/): left alone.
    future = time.time() + 3600
    os.utime(db, (future, future))
    ensure_built(db, snapshot)
    assert sha256(db) == first_id
    # The snapshot changes after the build: rebuilt (a new file, a new ingest run id).
    later = future + 60
    os.utime(snapshot / "judgement_records.csv", (later, later))
    ensure_built(db, snapshot)
    assert db.stat().st_mtime < later  # the new file is the fresh build, not the touched one
    assert sha256(db) != first_id
    assert runs() == 1


def test_split_statements_and_checks_helpers() -> None:
    sql = "SELECT 1;\n\n-- a comment\nSELECT 'a;b'; -- trailing\nSELECT 3\n;\n-- only a comment\n"
    assert split_statements(sql) == ["SELECT 1", "SELECT 'a;b'", "SELECT 3"]
    got = checks("-- intro\n-- check: one\nSELECT 1;\n\n-- check: two\nSELECT 2 FROM t;\n")
    assert got == [("one", "SELECT 1"), ("two", "SELECT 2 FROM t")]


def test_build_runs_under_a_memory_limit(small_snapshot: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The build sets DuckDB's memory limit (INSPECTION_OUTCOMES_BUILD_MEMORY, default 4GB)
    instead of taking 80% of the machine: far too little fails the build for want of memory
    (nothing left behind: no half-written database, no spill directory), and a value DuckDB
    cannot read is refused by name. (On the cut snapshot: 2MB fails at the first step; the
    whole snapshot builds under the default in every other test that builds it.)"""
    snapshot_copy = small_snapshot  # read only
    db = tmp_path / "limited.duckdb"
    monkeypatch.setenv("INSPECTION_OUTCOMES_BUILD_MEMORY", "2MB")
    with pytest.raises(BuildError, match="could not allocate|[Oo]ut of [Mm]emory"):
        build(db, snapshot_copy)
    monkeypatch.setenv("INSPECTION_OUTCOMES_BUILD_MEMORY", "plenty")
    with pytest.raises(BuildError, match="INSPECTION_OUTCOMES_BUILD_MEMORY='plenty'"):
        build(db, snapshot_copy)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.delenv("INSPECTION_OUTCOMES_BUILD_MEMORY")
    build(db, snapshot_copy)
    assert db.exists()
