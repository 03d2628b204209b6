"""The SQL workbench's queries run in a worker process of their own.

DuckDB allows one configuration per database file per process, so the app's pages and an
ad-hoc query cannot have different memory limits on one connection. Here the workbench gets
its own process and its own read-only, locked-down connection with a small memory limit; the
app waits at most the time limit (plus a grace for handing the result over), watches the
worker's resident memory, and kills and replaces the worker when a query outlives either. The
result crosses over as Arrow IPC bytes, already capped in rows and bytes by `run_query`, so a
huge value or a runaway query never reaches the app's own memory.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa

from etl import PROJECT_ROOT
from etl.warehouse.safe_sql import (
    DEFAULT_BYTE_CAP,
    DEFAULT_ROW_CAP,
    DEFAULT_TIMEOUT_S,
    QueryFailed,
    QueryRefused,
    QueryResult,
    QueryTimeout,
    QueryTooLarge,
    SafeSqlError,
    run_query,
)

WORKER_MEMORY_LIMIT = "512MB"  # DuckDB's own limit inside the worker
RSS_LIMIT_MB = 1024  # the worker is killed above this, mid-query
RECYCLE_MB = 600  # and replaced after a query that left it this big
GRACE_S = 2.0  # beyond the time limit, for the result to be handed over
STARTUP_S = 15.0  # a new worker's imports and opening the database

_ERRORS: dict[str, type[SafeSqlError]] = {
    "refused": QueryRefused, "timeout": QueryTimeout, "failed": QueryFailed,
    "too_large": QueryTooLarge,
}


@dataclass(frozen=True)
class Limits:
    timeout_s: float = DEFAULT_TIMEOUT_S
    row_cap: int = DEFAULT_ROW_CAP
    byte_cap: int = DEFAULT_BYTE_CAP
    rss_limit_mb: int = RSS_LIMIT_MB
    memory_limit: str = WORKER_MEMORY_LIMIT

    def describe(self) -> str:
        return (f"{self.timeout_s:g} s, {self.row_cap:,} rows, {self.byte_cap / 1e6:g} MB of "
                f"results and {self.rss_limit_mb:,} MB of memory per query")


def _rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _send(stream: BinaryIO, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("!Q", len(data)) + data)
    stream.flush()


def _recv(stream: BinaryIO) -> object:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError("the other end closed the pipe")
    (size,) = struct.unpack("!Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the other end closed the pipe mid-message")
    return pickle.loads(data)  # noqa: S301 - our own worker, over a private pipe


def serve(db_path: str, memory_limit: str, parent_pid: int) -> None:
    """The worker (`python -m etl.warehouse.sandbox DB LIMIT PARENT`): one locked-down
    connection; queries in on stdin, Arrow IPC (or an error) out on stdout."""
    from etl.ingest.workers import die_with_parent
    from etl.warehouse.db import open_readonly

    die_with_parent(parent_pid)
    # The protocol owns stdout; anything printed goes to stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    db = open_readonly(Path(db_path), memory_limit=memory_limit, build_if_missing=False)
    _send(out, ("ready",))
    while True:
        try:
            sql, timeout_s, row_cap, byte_cap = _recv(requests)
        except EOFError:
            return
        try:
            r = run_query(db, sql, timeout_s=timeout_s, row_cap=row_cap, byte_cap=byte_cap)
        except SafeSqlError as exc:
            kind = next(k for k, cls in _ERRORS.items() if isinstance(exc, cls))
            _send(out, ("error", kind, str(exc)))
            continue
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, r.table.schema) as writer:
            writer.write_table(r.table)
        _send(out, ("ok", r.columns, r.types, sink.getvalue().to_pybytes(), r.limit_hit,
                    r.elapsed_s))


class Sandbox:
    """Runs workbench queries in a worker process; one query at a time, thread-safe."""

    def __init__(self, db_path: Path, limits: Limits | None = None) -> None:
        self.db_path = Path(db_path)
        self.limits = limits or Limits()
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _start(self) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "etl.warehouse.sandbox", str(self.db_path),
             self.limits.memory_limit, str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=PROJECT_ROOT)
        self._wait_for(STARTUP_S, "start")  # the imports and opening the database

    def _stop(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait(5)
            for stream in (self._proc.stdin, self._proc.stdout):
                if stream is not None:
                    stream.close()
        self._proc = None

    def close(self) -> None:
        with self._lock:
            self._stop()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def _wait_for(self, seconds: float, what: str) -> object:
        """The worker's next message, killing it if it exceeds the memory or time limit."""
        assert self._proc is not None and self._proc.stdout is not None
        deadline = time.monotonic() + seconds
        lim = self.limits
        while not select.select([self._proc.stdout], [], [], 0.05)[0]:
            rss = _rss_mb(self._proc.pid)
            if rss is not None and rss > lim.rss_limit_mb:
                self._stop()
                raise QueryTooLarge(f"the query needed more than {lim.rss_limit_mb:,} MB "
                                    "of memory and was stopped")
            if self._proc.poll() is not None:
                self._stop()
                raise QueryFailed(f"the query's process ended unexpectedly (during {what})")
            if time.monotonic() > deadline:
                self._stop()
                raise QueryTimeout(f"the query was stopped at the {lim.timeout_s:g} s "
                                   "time limit")
        try:
            return _recv(self._proc.stdout)
        except EOFError:
            self._stop()
            raise QueryFailed(f"the query's process ended unexpectedly (during {what})") \
                from None

    def run(self, sql: str) -> QueryResult:
        """Like `safe_sql.run_query`, with the memory and wall-clock limits enforced from
        outside; raises the same errors."""
        lim = self.limits
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._stop()
                self._start()
            assert self._proc is not None and self._proc.stdin is not None
            _send(self._proc.stdin, (sql, lim.timeout_s, lim.row_cap, lim.byte_cap))
            reply = self._wait_for(lim.timeout_s + GRACE_S, "the query")
            rss = _rss_mb(self._proc.pid)
            if rss is not None and rss > RECYCLE_MB:
                self._stop()  # give the memory back; the next query starts a fresh worker
        if reply[0] == "error":
            raise _ERRORS[reply[1]](reply[2])
        _, columns, types, ipc, hit, elapsed = reply
        table = pa.ipc.open_stream(ipc).read_all()
        return QueryResult(columns=columns, types=types, table=table, truncated=bool(hit),
                           elapsed_s=elapsed, row_cap=lim.row_cap, byte_cap=lim.byte_cap,
                           limit_hit=hit)


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2], int(sys.argv[3]))
