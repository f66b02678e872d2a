"""What the benchmarks measure of a command: wall time, CPU time and peak memory of its process
tree (shared by scale.py and build.py)."""
from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Measured:
    """One finished command: seconds of wall and CPU time (its whole tree), peak bytes, output."""

    wall: float
    cpu: float
    peak: int
    output: str
    returncode: int


def tree_memory(pid: int) -> int:
    """Memory of a process and all its descendants, in bytes: the sum of their proportional
    set sizes (PSS, from /proc), so pages forked workers share are not counted twice."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) * 1024 for line in handle if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            pass
        todo += children.get(current, [])
    return total


def run_measured(command: list[str], env: dict[str, str], cwd: Path | None = None, stderr=subprocess.STDOUT,
                 every: float = 0.2) -> Measured:
    """Run a command to its end, sampling its tree's memory every ``every`` seconds (reading
    smaps costs CPU the command needs: sample sparingly)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)
    peak = 0
    stop = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_memory(process.pid))
            stop.wait(every)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    output, _ = process.communicate()
    wall = time.perf_counter() - started
    stop.set()
    watcher.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(wall, cpu, peak, output, process.returncode)
