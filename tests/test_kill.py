"""kill -9 at any moment of `build`, `snapshot` and `refresh` leaves the previous database
opening and answering, a complete snapshot, nothing new in `git status` and no process behind.

The commands run as real subprocesses in their own process group. A first run goes to the end
while the test watches its phases (what the disk and /proc show: a half-written database, a
snapshot folder being filled, worker processes); that map is checked against the expected
order. Then one run per phase is killed with SIGKILL inside that phase, partway in by the
map's timing, and the state the kill froze is checked to be that phase's: so the kills land
while reading, parsing in the worker pool, writing, swapping and building, however fast or
loaded the machine is, instead of at fixed fractions of a run that may miss a short phase.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from conftest import require
from fixture_site import STANDARD_PDFS, standard_site

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

# Polled this often; a phase shorter than BRIEF_S on the map (a swap: a few milliseconds) is
# polled without a pause from the phase before it on.
POLL_S = 0.001
BRIEF_S = 0.05
# A phase's kill comes this far into it by the map's timing (the first run is often the
# slowest: cold caches, the site's one-shot errors); a retry, at its start.
INTO_PHASE = 0.3
ATTEMPTS = 5

Classify = Callable[[], str]


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout


def _processes_mentioning(marker: str) -> list[str]:
    out = subprocess.run(["ps", "-eo", "pid,ppid,args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines()[1:] if marker in line and "ps -eo" not in line]


def _start(args: list[str]) -> subprocess.Popen:
    # stderr to a file, not a pipe: nobody reads it while the command runs (progress bars)
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "etl", *args], cwd=PROJECT_ROOT,
                            stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    proc.stderr = err  # read back when a run fails; closed with it
    return proc


def _stderr(proc: subprocess.Popen) -> str:
    proc.stderr.seek(0)
    return proc.stderr.read().decode(errors="replace")


def _workers(pid: int) -> list[str]:
    """The process's live children (those any of its threads started) other than
    multiprocessing's resource tracker, which a spawned pool starts and which lives on until the
    command exits: it is no evidence that parsing is still going on."""
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out += task.read_text().split()
        except OSError:
            pass  # the thread or the process ended meanwhile
    return [child for child in out if b"resource_tracker" not in _cmdline(child)]


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""  # it ended meanwhile


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


def _phase_map(proc: subprocess.Popen, classify: Classify) -> list[tuple[str, float]]:
    """Watch a run to its end: the phases it went through, in order, each with how long it
    lasted."""
    stretches: list[list] = []
    while proc.poll() is None:
        phase, now = classify(), time.monotonic()
        if stretches and stretches[-1][0] == phase:
            stretches[-1][2] = now
        else:
            stretches.append([phase, now, now])
        time.sleep(POLL_S)
    assert proc.returncode == 0, _stderr(proc)[-3000:]
    proc.stderr.close()
    return [(phase, end - begin) for phase, begin, end in stretches]


def _first_seen(phases: list[tuple[str, float]]) -> list[str]:
    return list(dict.fromkeys(p for p, _ in phases))


def _kill_in(proc: subprocess.Popen, classify: Classify, phase: str, after: float,
             eager: set[str]) -> str:
    """SIGKILL the command itself (not its group: its workers must go because it went) once it
    has been in `phase` for `after` s (polling without a pause in the `eager` phases); returns
    the phase the kill froze ('' when the run was no longer in `phase` at the kill: it is
    killed all the same, a kill at another moment)."""
    entered = None
    try:
        while proc.poll() is None:
            now = classify()
            if now == phase:
                entered = entered if entered is not None else time.monotonic()
                if time.monotonic() - entered >= after:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
                    return classify()
            elif entered is not None:
                return ""  # it moved on before the kill
            if now not in eager:
                time.sleep(POLL_S)
        return ""  # ended without being seen in `phase`
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()


def _kill_in_every_phase(run: Callable[[], tuple[subprocess.Popen, Classify]],
                         expected: list[str], kills: list[tuple[str, float]],
                         check: Callable[[], None],
                         frozen_as: dict[str, set[str]] | None = None) -> None:
    """One full run mapped (its phases must come in the `expected` order), then a run killed
    in each of `kills` (phase, how far in as a share of that phase on the map), `check()` after
    every run. A kill lands when the state it froze is the phase's, or one of `frozen_as[phase]`
    (a phase whose evidence is a live process leaves another's)."""
    proc, classify = run()
    mapped = _phase_map(proc, classify)
    check()
    seen = [p for p in _first_seen(mapped) if p in expected]
    assert seen == [p for p in expected if p in seen], f"phases out of order: {mapped}"
    length = {}
    for phase, seconds in mapped:
        length.setdefault(phase, seconds)  # its first stretch: where a kill looks for it
    print("map:", ", ".join(f"{p} {s:.2f} s" for p, s in mapped))
    missed = []
    for phase, share in kills:
        accept = {phase} | (frozen_as or {}).get(phase, set())
        brief = length.get(phase, 0.0) < BRIEF_S
        eager = {phase, expected[expected.index(phase) - 1]} if brief else set()
        for attempt in range(ATTEMPTS):
            after = share * length.get(phase, 0.0) if attempt == 0 else 0.0
            proc, classify = run()
            frozen = _kill_in(proc, classify, phase, after, eager)
            check()
            print(f"kill {after:.2f} s into {phase!r}: froze {frozen!r}")
            if frozen in accept:
                break
        else:
            missed.append(phase)
    assert missed == [], f"no kill landed in {missed} in {ATTEMPTS} tries; the map: {mapped}"


@pytest.fixture
def snapshot_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, dest)
    return dest


BUILD_PHASES = ["reading the snapshot", "building", "swapped in"]


def test_killed_build_keeps_the_previous_database(small_snapshot: Path, tmp_path: Path):
    # the shipped snapshot cut to six LAs: every build step and check, a second a build
    snapshot = tmp_path / "snapshot"
    shutil.copytree(small_snapshot, snapshot)
    db = tmp_path / "kill.duckdb"
    build(db, snapshot)
    want = _answers(db)
    before = _git_status()
    args = ["build", "--db", str(db), "--snapshot", str(snapshot)]

    def run() -> tuple[subprocess.Popen, Classify]:
        inode = db.stat().st_ino
        proc = _start(args)
        half_built = tmp_path / f"{db.name}.tmp-{proc.pid}"

        def classify() -> str:
            if half_built.exists():
                return "building"
            return "swapped in" if db.stat().st_ino != inode else "reading the snapshot"
        return proc, classify

    def check() -> None:
        assert _answers(db) == want
        _no_process_left(str(db))

    # the build's SQL steps are most of a run: kills early, midway and late in them
    _kill_in_every_phase(run, BUILD_PHASES, [
        ("reading the snapshot", INTO_PHASE), ("building", 0.1), ("building", 0.5),
        ("building", 0.9), ("swapped in", 0.0)], check)
    assert _git_status() == before
    build(db, snapshot)  # the next build clears what the killed ones left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kill.duckdb", "snapshot"]


def _small_sources(shared: Path, dest: Path, n_las: int = 4) -> Path:
    """A few LAs' report PDFs and area SEND reports, and every other input (symlinked): every
    kind of source, the PDFs' worker pool and the spreadsheets' side process, in seconds."""
    dest.mkdir()
    for entry in shared.iterdir():
        if entry.name == "ofsted-reports":
            _first_folders(entry, dest / entry.name, n_las)
        elif entry.name == "area-send":
            (dest / entry.name).mkdir()
            for item in entry.iterdir():
                if item.name == "reports":
                    _first_folders(item, dest / entry.name / item.name, n_las)
                else:
                    (dest / entry.name / item.name).symlink_to(item)
        elif entry.name == "official":
            official = dest / "official"
            official.mkdir()
            for f in entry.glob("LA_Inspection_Outcomes*"):
                (official / f.name).symlink_to(f)
        else:
            (dest / entry.name).symlink_to(entry)
    return dest


def _first_folders(src: Path, dest: Path, n: int) -> None:
    dest.mkdir()
    for folder in sorted(src.iterdir())[:n]:
        (dest / folder.name).symlink_to(folder)


SNAPSHOT_PHASES = ["starting", "parsing in the pool", "after the pool", "writing the snapshot",
                   "swapping it in"]


def test_killed_snapshot_leaves_a_complete_snapshot_and_no_workers(
        shared_data: Path, snapshot_copy: Path, tmp_path: Path):
    sources = _small_sources(shared_data, tmp_path / "sources")
    before = _git_status()
    args = ["snapshot", "--sources", str(sources), "--seeds", str(shared_data.parent / "seeds"),
            "--snapshot", str(snapshot_copy), "--no-build", "--workers", "2"]
    marker = str(snapshot_copy)

    def run() -> tuple[subprocess.Popen, Classify]:
        proc = _start(args)
        pool_seen, written = [], []

        def classify() -> str:
            new = list(tmp_path.glob(f".{snapshot_copy.name}-new-{proc.pid}-*"))
            if new:
                written.append(True)
                # complete (its manifest written): being swapped in, or the old one after the
                # exchange, being removed
                return ("swapping it in" if any((p / MANIFEST).is_file() for p in new)
                        else "writing the snapshot")
            if written:
                return "exiting"  # printing its summary; not a phase a kill is aimed at
            if _workers(proc.pid):  # the PDFs' workers and the spreadsheets' side process
                pool_seen.append(True)
                return "parsing in the pool"
            return "after the pool" if pool_seen else "starting"
        return proc, classify

    def check() -> None:
        _no_process_left(marker)
        recover(snapshot_copy)  # what the next command does first
        verify_snapshot(snapshot_copy)

    _kill_in_every_phase(run, SNAPSHOT_PHASES, [(p, INTO_PHASE) for p in SNAPSHOT_PHASES], check,
                         # the pool's evidence is its live workers, which die with the command;
                         # an emptied old folder has lost its manifest
                         frozen_as={"parsing in the pool": {"after the pool"},
                                    "swapping it in": {"writing the snapshot"}})
    assert _git_status() == before
    assert sorted(p.name for p in snapshot_copy.parent.iterdir()
                  if p.name.startswith(".")) == []


REFRESH_PHASES = ["starting", "crawling the site", "downloading reports", "reading the snapshot",
                  "building to compare", "writing the snapshot", "swapping the snapshot in",
                  "building the database"]


def test_killed_refresh_keeps_database_and_snapshot(shared_data: Path, tmp_path: Path,
                                                    small_snapshot: Path):
    require(shutil.which("ps") is not None, "needs ps (procps) to look for processes left")
    # The shipped snapshot cut to the site's LAs: the same crawl, ingest, swaps and three
    # builds per run, in seconds instead of half a minute.
    start = small_snapshot
    first_manifest = (start / MANIFEST).read_bytes()
    db = tmp_path / "refresh.duckdb"
    build(db, start)
    want = _answers(db)
    before = _git_status()
    runs: list[Path] = []
    with standard_site(shared_data / "ofsted-reports") as site:
        def run() -> tuple[subprocess.Popen, Classify]:
            # a fresh cache and snapshot each time, so every run has the whole crawl, ingest,
            # snapshot swap and build to do
            n = len(runs)
            snap, cache = tmp_path / f"snapshot{n}", tmp_path / f"cache{n}"
            shutil.copytree(start, snap)
            runs.append(snap)
            proc = _start(["refresh", "--base-url", site.base_url, "--db", str(db),
                           "--snapshot", str(snap), "--cache", str(cache), "--min-interval", "0"])

            def classify() -> str:
                names = os.listdir(tmp_path)
                if f"{db.name}.tmp-{proc.pid}" in names:
                    return "building the database"
                new = [n for n in names if n.startswith(f".{snap.name}-new-{proc.pid}-")]
                if new:
                    return ("swapping the snapshot in"
                            if any((tmp_path / n / MANIFEST).is_file() for n in new)
                            else "writing the snapshot")
                if f"{db.name}.refresh.tmp-{proc.pid}" in names:
                    return "building to compare"  # the change feed's before and after
                if not cache.is_dir():
                    return "starting"
                pdfs = len(list(cache.glob("reports/*/*.pdf")))
                if pdfs == 0:
                    return "crawling the site"
                if pdfs < STANDARD_PDFS:
                    return "downloading reports"
                manifest = snap / MANIFEST
                if manifest.is_file() and manifest.read_bytes() == first_manifest:
                    return "reading the snapshot"
                return "between steps"
            return proc, classify

        def check() -> None:
            snap = runs[-1]
            _no_process_left(str(db))
            recover(snap)
            verify_snapshot(snap)
            assert not list(tmp_path.glob(f".{snap.name}-*")), "a dead run's folder stayed"
            assert _answers(db) >= want

        _kill_in_every_phase(run, REFRESH_PHASES, [(p, INTO_PHASE) for p in REFRESH_PHASES], check,
                             frozen_as={"swapping the snapshot in": {"writing the snapshot"}})
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
