"""Build the DuckDB database from the shipped snapshot, atomically.

The new database is written beside the target under a temporary name, checked, and only
then renamed over the old one: a failed build leaves the previous database intact.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl import DEFAULT_DB, SNAPSHOT_DIR, SQL_DIR
from etl.ingest.la_lookup import CURATED_DIR
from etl.ingest.snapshot import SnapshotError, recover, snapshot_files, verify_snapshot
from etl.warehouse import queries

# Build steps run in the order of their numbers; the checks step runs last, as queries that must
# return no rows.
CHECKS_FILE = "07_checks.sql"
CODE_VERSION = "0.1.0"
# DuckDB takes 80% of the machine's memory by default: a build 1000 times today's data peaked at
# ~20 GB. With a limit it spills to a temporary directory beside the database instead (issue 14);
# INSPECTION_OUTCOMES_BUILD_MEMORY overrides it (a DuckDB size such as '8GB').
BUILD_MEMORY_ENV = "INSPECTION_OUTCOMES_BUILD_MEMORY"
DEFAULT_BUILD_MEMORY = "4GB"


class BuildError(Exception):
    """The build failed; the message says which step and why. The old database is kept."""


@dataclass
class BuildSummary:
    db_path: Path
    seconds: float
    records: int
    judgements: int
    inspections: int
    quarantined: int
    conflicts: int


def split_statements(sql: str) -> list[str]:
    """Statements of a .sql file, split at semicolons ending a line (our files' convention)."""
    parts = re.split(r";\s*(?:--[^\n]*)?\n", sql + "\n")
    return [p.strip() for p in parts if re.sub(r"--[^\n]*", "", p).strip()]


def checks(sql: str) -> list[tuple[str, str]]:
    """(name, query) pairs from the checks step: each query is preceded by a `-- check:` comment."""
    out = []
    for block in sql.split("-- check:")[1:]:
        name, _, query = block.partition("\n")
        out.append((name.strip(), query.strip().rstrip(";")))
    return out


def build_steps() -> list[str]:
    """sql/NN_*.sql (and NNx_*.sql, a step between two) in build order, the checks excluded."""
    return sorted(p.name for p in SQL_DIR.glob("[0-9][0-9]*_*.sql") if p.name != CHECKS_FILE)


def run_sql_file(con: duckdb.DuckDBPyConnection, name: str) -> None:
    path = SQL_DIR / name
    for stmt in split_statements(path.read_text(encoding="utf-8")):
        try:
            con.execute(stmt)
        except duckdb.Error as exc:
            first = stmt.splitlines()[0][:80]
            raise BuildError(f"sql/{name}: statement starting {first!r} failed: "
                             f"{describe_error(exc)}") from exc


def describe_error(exc: duckdb.Error) -> str:
    """DuckDB's message cut to what a person needs: for a CSV that will not load, the file,
    its line and the value that would not convert (not DuckDB's advice on reading CSVs)."""
    text = str(exc)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    file = re.search(r"^\s*file = (.+)$", text, re.M)
    if line and file:
        why = re.search(r"Error when converting column (.+?)\. (.+?)$", text, re.M)
        detail = f"column {why.group(1)}: {why.group(2)}" if why else \
            text.splitlines()[0].split(": ", 1)[-1]
        return f"{file.group(1).strip()}, line {line.group(1)}: {detail}"
    return text.strip().split("\n\n")[0]


def remove_stale_temporaries(db_path: Path) -> None:
    """Half-written databases (`NAME.tmp-PID`, `.wal`, the `.spill` directory) of builds that
    were killed."""
    for path in db_path.parent.glob(f"{db_path.name}.tmp-*"):
        pid = path.name.removeprefix(f"{db_path.name}.tmp-").split(".")[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        except PermissionError:
            pass


def build(db_path: Path = DEFAULT_DB, snapshot_dir: Path = SNAPSHOT_DIR,
          command: str = "build") -> BuildSummary:
    started = time.perf_counter()
    started_at = dt.datetime.now()
    recover(snapshot_dir)
    if not snapshot_dir.is_dir() or not snapshot_files(snapshot_dir):
        raise BuildError(f"no snapshot at {snapshot_dir}: run `python -m etl snapshot` first")
    try:
        meta = verify_snapshot(snapshot_dir)
    except SnapshotError as exc:
        raise BuildError(str(exc)) from None
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(db_path)
    tmp = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    spill = tmp.with_name(tmp.name + ".spill")
    memory = os.environ.get(BUILD_MEMORY_ENV) or DEFAULT_BUILD_MEMORY
    try:
        try:
            con = duckdb.connect(str(tmp), config={"memory_limit": memory,
                                                   "temp_directory": str(spill)})
        except duckdb.Error as exc:
            raise BuildError(f"{BUILD_MEMORY_ENV}={memory!r} is not a memory size DuckDB reads "
                             f"(e.g. 4GB): {describe_error(exc)}") from None
        try:
            # a statement slower than 2 s (a small memory limit, a busy machine) drew DuckDB's
            # progress bar on stdout, in the middle of the command's own output
            con.execute("SET enable_progress_bar = false")
            con.execute("SET VARIABLE snapshot_dir = ?", [str(snapshot_dir.resolve())])
            # analysis dictionaries kept in the repository (data/curated/themes.csv)
            con.execute("SET VARIABLE curated_dir = ?", [str(CURATED_DIR.resolve())])
            for name in build_steps():
                run_sql_file(con, name)
            for name, query in checks((SQL_DIR / CHECKS_FILE).read_text(encoding="utf-8")):
                bad = con.execute(query).fetchmany(5)
                if bad:
                    raise BuildError(f"integrity check failed ({name}): e.g. {bad}")
            # the published figures beside the computed ones, kept for the Data page; imported
            # here, not above: it brings pandas (~65 MB), which need not sit beside the text
            # index's build, the build's peak (issue 14: `snapshot` <= 300 MB a process)
            from etl.warehouse import reconcile

            reconcile.store(con)
            counts = queries.run(con, "build/counts").iloc[0]
            queries.execute(
                con, "build/record_ingest_run", run_id=uuid.uuid4().hex[:12], command=command,
                started_at=started_at, finished_at=dt.datetime.now(),
                snapshot_made=meta.get("generated_at"),
                files_in=sum(v.get("files_in", 0) for v in meta.get("counts", {}).values()) or None,
                records=int(counts.records), judgements=int(counts.judgements),
                quarantined=int(counts.quarantined), conflicts=int(counts.conflicts),
                code_version=CODE_VERSION)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    return BuildSummary(db_path=db_path, seconds=time.perf_counter() - started,
                        records=int(counts.records), judgements=int(counts.judgements),
                        inspections=int(counts.inspections), quarantined=int(counts.quarantined),
                        conflicts=int(counts.conflicts))


def working_snapshot(db_path: Path) -> Path:
    """Where `refresh` keeps the snapshot of a database it updates: beside the database, never
    in the repository's shipped files (unless --snapshot says so)."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".snapshot")


def snapshot_for(db_path: Path) -> Path:
    """The snapshot a database is built from: its refresh working snapshot once a refresh has
    made one, otherwise the shipped snapshot."""
    work = working_snapshot(db_path)
    return work if (work / "snapshot.json").is_file() else SNAPSHOT_DIR


def ensure_built(db_path: Path = DEFAULT_DB, snapshot_dir: Path | None = None) -> Path:
    """Build when the database is missing or older than its snapshot or the SQL files."""
    db_path = Path(db_path)
    snapshot_dir = snapshot_dir or snapshot_for(db_path)
    inputs = [*snapshot_files(snapshot_dir), *SQL_DIR.glob("*.sql"), *CURATED_DIR.glob("*.csv")]
    newest = max((p.stat().st_mtime for p in inputs), default=0)
    if not db_path.exists() or db_path.stat().st_mtime < newest:
        build(db_path, snapshot_dir)
    return db_path
