"""kill -9 at any moment of `build`, `snapshot` and `refresh` leaves the previous database
opening and answering, a complete snapshot, nothing new in `git status` and no process behind.

The commands run as real subprocesses in their own process group and are killed with SIGKILL
after delays spread over the run (measured first), so the kills land in every phase: reading
sources, parsing in the worker pool, writing the new snapshot, swapping it in, building.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import require
from fixture_site import standard_site

from etl import PROJECT_ROOT, SNAPSHOT_DIR
from etl.ingest.snapshot import (
    MANIFEST,
    SnapshotError,
    recover,
    swap_into_place,
    temp_dir,
    verify_snapshot,
)
from etl.warehouse.build import build

KILLS = 10


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout


def _processes_mentioning(marker: str) -> list[str]:
    out = subprocess.run(["ps", "-eo", "pid,ppid,args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines()[1:] if marker in line and "ps -eo" not in line]


def _start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "etl", *args], cwd=PROJECT_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _kill_after(proc: subprocess.Popen, delay: float) -> None:
    """SIGKILL the command itself (not its group): its workers must go because it went."""
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def _no_process_left(marker: str) -> None:
    deadline = time.monotonic() + 5
    while _processes_mentioning(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_mentioning(marker) == []


def _answers(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM inspections").fetchone()[0]
    finally:
        con.close()


def _duration(args: list[str]) -> float:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "etl", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


def _delays(total: float) -> list[float]:
    # 2% .. 110% of a full run: early, mid-parse, writing, swapping, and after it finished
    return [total * f for f in (0.02, 0.1, 0.25, 0.4, 0.55, 0.7, 0.8, 0.9, 0.97, 1.1)]


@pytest.fixture
def snapshot_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, dest)
    return dest


def test_killed_build_keeps_the_previous_database(snapshot_copy: Path, tmp_path: Path):
    db = tmp_path / "kill.duckdb"
    build(db, snapshot_copy)
    want = _answers(db)
    before = _git_status()
    args = ["build", "--db", str(db), "--snapshot", str(snapshot_copy)]
    for delay in _delays(_duration(args)):
        _kill_after(_start(args), delay)
        assert _answers(db) == want
        _no_process_left(str(db))
    assert _git_status() == before
    build(db, snapshot_copy)  # the next build clears what the killed ones left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kill.duckdb", "snapshot"]


def _small_sources(shared: Path, dest: Path, n_las: int = 12) -> Path:
    """A few LAs' reports and every other input (symlinked): the same code paths, seconds
    instead of a minute per run."""
    dest.mkdir()
    for entry in shared.iterdir():
        if entry.name == "ofsted-reports":
            reports = dest / "ofsted-reports"
            reports.mkdir()
            for folder in sorted(entry.iterdir())[:n_las]:
                (reports / folder.name).symlink_to(folder)
        elif entry.name == "official":
            official = dest / "official"
            official.mkdir()
            for f in entry.glob("LA_Inspection_Outcomes*"):
                (official / f.name).symlink_to(f)
        else:
            (dest / entry.name).symlink_to(entry)
    return dest


def test_killed_snapshot_leaves_a_complete_snapshot_and_no_workers(
        shared_data: Path, snapshot_copy: Path, tmp_path: Path):
    sources = _small_sources(shared_data, tmp_path / "sources")
    before = _git_status()
    args = ["snapshot", "--sources", str(sources), "--seeds", str(shared_data.parent / "seeds"),
            "--snapshot", str(snapshot_copy), "--no-build", "--workers", "2"]
    marker = str(snapshot_copy)
    for delay in _delays(_duration(args)):
        _kill_after(_start(args), delay)
        _no_process_left(marker)
        recover(snapshot_copy)  # what the next command does first
        verify_snapshot(snapshot_copy)
    assert _git_status() == before
    assert sorted(p.name for p in snapshot_copy.parent.iterdir()
                  if p.name.startswith(".")) == []


def test_killed_refresh_keeps_database_and_snapshot(shared_data: Path, snapshot_copy: Path,
                                                    tmp_path: Path):
    require(shutil.which("ps") is not None, "needs ps (procps) to look for processes left")
    db = tmp_path / "refresh.duckdb"
    build(db, snapshot_copy)
    want = _answers(db)
    before = _git_status()
    with standard_site(shared_data / "ofsted-reports") as site:
        def args(n: int) -> list[str]:
            # a fresh cache and snapshot each time, so every run has the whole crawl, ingest,
            # snapshot swap and build to do
            snap = tmp_path / f"snapshot{n}"
            shutil.copytree(SNAPSHOT_DIR, snap)
            return ["refresh", "--base-url", site.base_url, "--db", str(db), "--snapshot",
                    str(snap), "--cache", str(tmp_path / f"cache{n}"), "--min-interval", "0"]
        for n, delay in enumerate(_delays(_duration(args(99)))):
            _kill_after(_start(args(n)), delay)
            _no_process_left(str(db))
            snap = tmp_path / f"snapshot{n}"
            recover(snap)
            verify_snapshot(snap)
            assert _answers(db) >= want
    assert _git_status() == before


# ---------------------------------------------------------------- the swap, step by step

def _folder(path: Path, text: str) -> Path:
    path.mkdir()
    (path / "a.csv").write_text(text)
    return path


def test_swap_replaces_a_folder_whole(tmp_path: Path):
    out = _folder(tmp_path / "snap", "old\n")
    new = _folder(temp_dir(out, "new"), "new\n")
    swap_into_place(new, out)
    assert (out / "a.csv").read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["snap"]


def _sealed(path: Path, text: str) -> Path:
    from etl.ingest.snapshot import file_manifest

    _folder(path, text)
    (path / MANIFEST).write_text(json.dumps({"files": file_manifest(path)}))
    return path


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_recover_puts_back_a_snapshot_a_kill_took_away(tmp_path: Path):
    """A kill between the fallback's two renames leaves no snapshot, and the old one aside."""
    out = tmp_path / "snap"
    _sealed(tmp_path / f".snap-old-{_dead_pid()}-abc", "old\n")
    assert recover(out) and (out / "a.csv").read_text() == "old\n"
    verify_snapshot(out)
    assert [p.name for p in tmp_path.iterdir()] == ["snap"]


def test_recover_keeps_a_live_writers_folder_and_drops_a_dead_ones(tmp_path: Path):
    out = _sealed(tmp_path / "snap", "current\n")
    live = _folder(tmp_path / f".snap-new-{os.getpid()}-abc", "being written\n")
    dead = _folder(tmp_path / f".snap-new-{_dead_pid()}-def", "half\n")
    recover(out)
    assert live.exists() and not dead.exists()
    assert (out / "a.csv").read_text() == "current\n"


def test_an_incomplete_folder_is_never_restored(tmp_path: Path):
    out = tmp_path / "snap"
    _folder(tmp_path / f".snap-new-{_dead_pid()}-abc", "half, no manifest\n")
    recover(out)
    assert not out.exists()
    with pytest.raises(SnapshotError):
        verify_snapshot(out)
