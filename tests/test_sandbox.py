"""The workbench's worker process: results capped in rows and bytes, memory and wall-clock
limits enforced from outside, the app's own memory untouched, the worker replaced after it is
killed and gone when the app goes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl import PROJECT_ROOT
from etl.warehouse.safe_sql import QueryTimeout, QueryTooLarge, run_query
from etl.warehouse.sandbox import Limits, Sandbox


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sandbox") / "s.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE grades AS SELECT * FROM (VALUES ('good', 2), ('inadequate', 4)) "
                "t(grade, grade_rank)")
    con.close()
    return path


@pytest.fixture(scope="module")
def sandbox(db_path: Path):
    box = Sandbox(db_path, Limits(timeout_s=2.0, rss_limit_mb=400))
    yield box
    box.close()


def test_answers_like_run_query(sandbox: Sandbox, db_path: Path):
    sql = "SELECT * FROM grades ORDER BY grade_rank"
    assert sandbox.run(sql).rows == run_query(db_path, sql).rows == [("good", 2), ("inadequate", 4)]


def test_a_huge_value_never_reaches_the_app(sandbox: Sandbox):
    before = _rss_mb()
    with pytest.raises(QueryTooLarge, match="over the 8 MB size limit"):
        sandbox.run("SELECT repeat('x', 50000000)")
    with pytest.raises(QueryTooLarge):
        sandbox.run("SELECT list(range) FROM range(10000000)")
    assert _rss_mb() - before < 40


def test_many_rows_stop_at_the_byte_cap_and_say_so(sandbox: Sandbox):
    r = sandbox.run("SELECT repeat('x', 2000) AS s FROM range(100000)")
    assert r.limit_hit == "bytes" and 0 < r.table.num_rows < 100000
    assert r.nbytes <= r.byte_cap
    assert "8 MB size limit" in r.limit_message()
    rows = sandbox.run("SELECT * FROM range(1000000) a, range(1000000) b")
    assert rows.limit_hit == "rows" and rows.table.num_rows == rows.row_cap
    assert "row limit" in rows.limit_message()


def test_memory_hungry_query_is_stopped_and_the_worker_replaced(sandbox: Sandbox):
    before = _rss_mb()
    with pytest.raises(QueryTooLarge, match="needed more than 400 MB"):
        sandbox.run("SELECT repeat('x', 300000000) || repeat('y', 300000000)")
    assert sandbox.pid is None  # killed
    assert sandbox.run("SELECT 42").rows == [(42,)]  # a fresh worker
    assert _rss_mb() - before < 40


def test_runaway_query_is_stopped_at_the_time_limit(sandbox: Sandbox):
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="2 s time limit"):
        sandbox.run("SELECT count(*) FROM range(1000000) a, range(1000000) b WHERE a.range + b.range < 0")
    assert time.monotonic() - started < 2 + 3


def test_a_stuck_worker_is_killed_and_replaced(sandbox: Sandbox):
    sandbox.run("SELECT 1")
    pid = sandbox.pid
    os.kill(pid, signal.SIGSTOP)  # it will never answer
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        sandbox.run("SELECT 1")
    assert time.monotonic() - started < 2 + 2 + 2
    assert sandbox.run("SELECT 7").rows == [(7,)] and sandbox.pid != pid


def test_the_worker_goes_when_the_app_goes(db_path: Path, tmp_path: Path):
    pid_file = tmp_path / "worker.pid"
    code = (f"from etl.warehouse.sandbox import Sandbox\n"
            f"s = Sandbox({str(db_path)!r}); s.run('SELECT 1')\n"
            f"open({str(pid_file)!r}, 'w').write(str(s.pid))\n"
            "import time; time.sleep(60)\n")
    app = subprocess.Popen([sys.executable, "-c", code], cwd=PROJECT_ROOT)
    deadline = time.monotonic() + 30
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    worker = int(pid_file.read_text())
    app.send_signal(signal.SIGKILL)
    app.wait()
    deadline = time.monotonic() + 5
    while Path(f"/proc/{worker}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    state = Path(f"/proc/{worker}/stat")
    assert not state.exists() or state.read_text().split()[2] == "Z"
