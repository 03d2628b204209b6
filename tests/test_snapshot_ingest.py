"""`python -m etl snapshot` within its memory target (issue 14): at most 300 MB in every one of
its processes, with the snapshot it writes unchanged; its processes started fresh and ended
with it.

What used to drive the peak, and what each test here pins: the build ran in the snapshot's own
process after the parsing, with DuckDB allowed 4 GB (~900 MB together); every worker was a fork
carrying the parent's imports (pandas, plotly: ~125 MB each); all reports' text was held as
Python strings, then listed whole to be written.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.process_memory import measure
from etl import PROJECT_ROOT, SNAPSHOT_DIR
from etl.ingest.records import PackedRows, Source, SourceResult
from etl.ingest.snapshot import read_manifest, verify_snapshot
from etl.ingest.workers import parse_files

TARGET_MB = 300


def _probe(path: Path, resolver: object, shared_data: Path) -> SourceResult:
    """A parse function for the pool that reports what its process has loaded."""
    source = Source(source_id=f"probe:{path.name}", kind="probe", title=path.name, path=str(path))
    loaded = {m for m in ("pandas", "plotly", "duckdb", "openpyxl") if m in sys.modules}
    return SourceResult(source=source, facts={"probe": [
        {"pid": os.getpid(), "loaded": ";".join(sorted(loaded)), "text": "x" * 10_000}]})


def test_pool_workers_start_fresh_and_return_packed_facts(tmp_path: Path) -> None:
    import pandas  # noqa: F401 - the parent has what `python -m etl` loads; the workers must not

    paths = []
    for n in range(4):
        paths.append(tmp_path / f"f{n}.pdf")
        paths[-1].write_bytes(b"%PDF" + b"x" * n)
    results = parse_files(_probe, paths, None, tmp_path, workers=2)  # type: ignore[arg-type]
    assert [r.source.title for r in results] == [p.name for p in paths]
    rows = [row for r in results for row in r.facts["probe"]]
    assert {row["pid"] for row in rows} - {os.getpid()}, "parsed in this process, not a pool"
    assert all(row["loaded"] == "" for row in rows), rows  # no pandas, plotly or DuckDB
    packed = results[0].facts["probe"]
    assert isinstance(packed, PackedRows) and len(packed) == 1
    assert packed == [rows[0]] and packed[0]["text"] == "x" * 10_000


def test_packed_rows_read_like_the_list() -> None:
    rows = [{"source_id": "s", "seq": i, "text": f"words {i} " * 50} for i in range(100)]
    packed = PackedRows(rows)
    assert len(packed) == 100 and list(packed) == rows and packed == rows
    assert packed[3] == rows[3] and packed[-1] == rows[-1] and packed[1:3] == rows[1:3]
    assert packed != rows[:-1] and PackedRows([]) == []
    assert len(packed._blob) < len(repr(rows)) / 10  # kept compressed


def test_snapshot_stays_under_300_mb_a_process_and_derives_the_shipped_snapshot(
        shared_data: Path, tmp_path: Path) -> None:
    out, db = tmp_path / "snapshot", tmp_path / "s.duckdb"
    run = measure([sys.executable, "-m", "etl", "snapshot", "--sources", str(shared_data),
                   "--seeds", str(shared_data.parent / "seeds"), "--snapshot", str(out),
                   "--db", str(db)], cwd=PROJECT_ROOT, timeout=900)
    assert run.returncode == 0, run.stderr_tail
    over = [p for p in run.processes if p.peak_mb > TARGET_MB]
    assert not over, f"over {TARGET_MB} MB: " + run.summary()
    # the parse workers and the build each ran in a process of their own
    assert len([p for p in run.processes if p.role == "worker"]) >= 4, run.summary()
    assert db.is_file()
    # the same snapshot as the shipped one, file for file (only its timestamps differ)
    want, got = read_manifest(SNAPSHOT_DIR)["files"], verify_snapshot(out)["files"]
    changed = sorted(name for name in want.keys() | got.keys() if want.get(name) != got.get(name))
    assert changed == [], (f"{changed} differ from data/snapshot: the shipped snapshot is not "
                           "what the code derives (re-derive it with `python -m etl snapshot`)")


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found.update(kids)
            todo.extend(kids)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _kill_when(args: list[str], ready, timeout: float = 300) -> set[int]:
    """Start `python -m etl ARGS`, SIGKILL it (not its group) once `ready(children)` holds;
    the processes it had started then."""
    proc = subprocess.Popen([sys.executable, "-m", "etl", *args], cwd=PROJECT_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            children = _descendants(proc.pid)
            if ready(children):
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return children
            time.sleep(0.05)
        raise AssertionError(f"the moment to kill never came (exit {proc.poll()})")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _none_left(pids: set[int]) -> None:
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p for p in pids if _alive(p)] == []


def test_killed_snapshot_takes_its_spawned_workers_and_build_with_it(
        shared_data: Path, tmp_path: Path) -> None:
    base = ["snapshot", "--sources", str(shared_data), "--seeds", str(shared_data.parent / "seeds"),
            "--snapshot", str(tmp_path / "snapshot"), "--db", str(tmp_path / "s.duckdb")]
    # while the report parsers run (a spreadsheet process, two parsers, a resource tracker)
    during_parse = _kill_when(base, lambda kids: len(kids) >= 4)
    _none_left(during_parse)
    # while the build runs: its half-written database is there
    building = _kill_when(base, lambda kids: bool(kids) and any(
        tmp_path.glob("s.duckdb.tmp-*")), timeout=600)
    _none_left(building)
