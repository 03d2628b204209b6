"""Peak memory of every process of a command: the command itself and each process it starts.

`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` (and `/usr/bin/time -v`) give one number, the
largest single process, and say nothing of which one it was or of the others: `snapshot` runs
a parent, a side process for the spreadsheets, report parsers and a build. `measure` runs the
command and polls its process tree every `interval` seconds, keeping each process's VmHWM (the
kernel's high-water mark of its resident memory, so a peak between two polls is not missed;
only growth in a process's last few milliseconds is). A process that execs starts a new peak:
a child started by spawn is, until its exec, a copy of its parent's address space, which is
not memory it uses.

Linux only (/proc). Used by benchmarks/bench_etl.py and the snapshot memory test.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ProcessPeak:
    pid: int
    role: str  # "command", "worker" (a spawned Python child), "resource tracker", "other"
    peak_mb: float
    cmdline: str
    started: float  # seconds after the command started


@dataclass
class TreeRun:
    returncode: int
    seconds: float
    cpu_seconds: float
    processes: list[ProcessPeak] = field(default_factory=list)
    stderr_tail: str = ""

    @property
    def command(self) -> ProcessPeak | None:
        return next((p for p in self.processes if p.role == "command"), None)

    @property
    def others(self) -> list[ProcessPeak]:
        return sorted((p for p in self.processes if p.role != "command"),
                      key=lambda p: -p.peak_mb)

    @property
    def peak_mb(self) -> float:
        """The largest single process's peak."""
        return max((p.peak_mb for p in self.processes), default=0.0)

    def summary(self) -> str:
        parts = []
        if self.command:
            parts.append(f"command {self.command.peak_mb:.0f} MB")
        workers = [p for p in self.others if p.role == "worker"]
        if workers:
            parts.append(f"{len(workers)} worker processes "
                         + ", ".join(f"{p.peak_mb:.0f}" for p in workers) + " MB")
        rest = [p for p in self.others if p.role != "worker"]
        parts += [f"{p.role} {p.peak_mb:.0f} MB" for p in rest]
        return "; ".join(parts)


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            out += [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except OSError:
            pass
    return out


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += _children(p)
    return seen


def _status(pid: int) -> tuple[float, str] | None:
    """(VmHWM in MB, command line) of a live process; None once it has gone."""
    try:
        hwm = next((int(line.split()[1]) / 1024 for line in
                    Path(f"/proc/{pid}/status").read_text().splitlines()
                    if line.startswith("VmHWM:")), None)
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
            "utf-8", "replace").strip()
    except OSError:
        return None
    return (hwm, cmd) if hwm is not None else None


def _role(cmd: str, is_command: bool) -> str:
    if is_command:
        return "command"
    if "multiprocessing.resource_tracker" in cmd:
        return "resource tracker"
    if "multiprocessing.spawn" in cmd or "multiprocessing-fork" in cmd:
        return "worker"
    return "other"


def measure(cmd: list[str], cwd: Path | None = None, interval: float = 0.02,
            env: dict[str, str] | None = None, timeout: float | None = None) -> TreeRun:
    """Run `cmd` (stdout discarded, stderr kept) and every process it starts, measured."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    stderr: list[str] = []
    # stderr is read on a thread so a chatty command (progress bars) never blocks on the pipe
    reader = threading.Thread(target=lambda: stderr.extend(proc.stderr or []), daemon=True)
    reader.start()
    seen: dict[int, ProcessPeak] = {}
    while proc.poll() is None:
        if timeout is not None and time.perf_counter() - started > timeout:
            proc.kill()
            break
        for pid in _tree(proc.pid):
            st = _status(pid)
            if st is None:
                continue
            hwm, line = st
            known = seen.get(pid)
            if known is None or known.cmdline != line:  # new, or exec'd: a new peak
                seen[pid] = ProcessPeak(pid, _role(line, pid == proc.pid), hwm, line,
                                        time.perf_counter() - started)
            else:
                known.peak_mb = max(known.peak_mb, hwm)
        time.sleep(interval)
    proc.wait()
    reader.join(timeout=5)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    tail = "\n".join("".join(stderr).replace("\r", "\n").strip().splitlines()[-5:])
    return TreeRun(returncode=proc.returncode, seconds=seconds, cpu_seconds=cpu,
                   processes=sorted(seen.values(), key=lambda p: p.started), stderr_tail=tail)
