"""Parsing many files in worker processes that end with their parent: a `snapshot` killed with
SIGKILL must not leave its report parsers running, re-parented to init.

Workers are started fresh (spawn), not forked: a fork carries everything its parent has
imported and read (`python -m etl` imports the figures' pandas and plotly to list the charts,
~125 MB), and every worker counted it again in its own memory (issue 14). A spawned worker
imports only what its parsing needs.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from etl.ingest.la_lookup import resolver_from_shared
from etl.ingest.records import SourceResult, pack_facts
from etl.local_authorities import LaResolver

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Pool initializer: ask the kernel to kill this worker when its parent dies (Linux), and
    exit at once if the parent is already gone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:
        os._exit(1)


def _start_worker(parent_pid: int, resolvers: dict[str, LaResolver]) -> None:
    die_with_parent(parent_pid)
    _RESOLVERS.update(resolvers)


def process_pool(workers: int, resolvers: dict[str, LaResolver] | None = None
                 ) -> ProcessPoolExecutor:
    """A pool of fresh worker processes that die with this one; `resolvers` (by shared data
    folder) are handed to each worker once, so it resolves LAs exactly as its parent does."""
    return ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker,
                               initargs=(os.getpid(), dict(resolvers or {})))


# ---------------------------------------------------------------- many files in a pool

ParseFile = Callable[[Path, LaResolver, Path], SourceResult]
_RESOLVERS: dict[str, LaResolver] = {}


def _worker_resolver(shared_data: Path) -> LaResolver:
    # one lookup per worker process, not per file (handed over at start, or loaded once)
    key = str(shared_data)
    if key not in _RESOLVERS:
        _RESOLVERS[key] = resolver_from_shared(shared_data)
    return _RESOLVERS[key]


def _parse_in_worker(task: tuple[ParseFile, Path, Path]) -> SourceResult:
    parse, path, shared_data = task
    # packed here: a report's text crosses to the parent, and waits there, compressed
    return pack_facts(parse(path, _worker_resolver(shared_data), shared_data))


def parse_files(parse: ParseFile, paths: Iterable[Path], resolver: LaResolver,
                shared_data: Path, workers: int = 2,
                progress: Callable[[int, int], None] | None = None) -> list[SourceResult]:
    """`parse(path, resolver, shared_data)` for every file, in a process pool when workers > 1;
    results in the order of `paths`. `parse` must be a module-level function (it is sent to
    the workers by name). Big files go first, so one long file does not finish the run alone.
    Each result's fact rows come back packed (`PackedRows`), so that hundreds of reports'
    text wait for the snapshot writer in a tenth of the memory."""
    paths = [Path(p) for p in paths]
    total = len(paths)
    results: list[SourceResult | None] = [None] * total
    if workers <= 1 or total <= 1:
        for i, p in enumerate(paths):
            results[i] = pack_facts(parse(p, resolver, shared_data))
            if progress:
                progress(i + 1, total)
        return [r for r in results if r is not None]
    order = sorted(range(total), key=lambda i: -paths[i].stat().st_size)
    with process_pool(workers, {str(shared_data): resolver}) as pool:
        futures = {pool.submit(_parse_in_worker, (parse, paths[i], shared_data)): i
                   for i in order}
        for done, fut in enumerate(as_completed(futures), start=1):
            results[futures[fut]] = fut.result()
            if progress:
                progress(done, total)
    return [r for r in results if r is not None]
