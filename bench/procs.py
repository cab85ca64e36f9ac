"""Run a contender in its own process and measure it: wall time, peak memory, exit status."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_SECONDS = 0.05


@dataclass
class Run:
    """What one child process did."""

    seconds: float
    peak_tree_mb: float  # highest sampled sum of resident memory over the process and its children
    returncode: int
    stdout: str
    stderr: str
    # The child's own VmHWM when it reports it (exact, unlike sampling). Not ru_maxrss from wait4:
    # a child started by vfork/exec inherits the parent's high-water mark.
    self_hwm_mb: float = 0.0
    killed_over_mb: float | None = None  # set when the memory cap stopped it

    @property
    def killed(self) -> bool:
        """Whether the memory cap stopped it."""
        return self.killed_over_mb is not None

    def figures(self) -> dict:
        """The numbers, for the JSON report."""
        return {
            "seconds": round(self.seconds, 3),
            "peak_mb": round(self.peak_mb, 1),
            "peak_tree_mb": round(self.peak_tree_mb, 1),
            "self_hwm_mb": round(self.self_hwm_mb, 1),
            "returncode": self.returncode,
            "killed_over_mb": self.killed_over_mb,
        }

    @property
    def peak_mb(self) -> float:
        """Peak memory: the sampled tree sum, or the child's own exact mark if that is higher."""
        return max(self.peak_tree_mb, self.self_hwm_mb)


def children(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc."""
    found = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo += children(current)
    return out


def rss_mb(pid: int) -> float:
    """Resident memory of one process in MiB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE / 2**20
    except (OSError, IndexError, ValueError):
        return 0.0


def status_mb(pid: int, field: str) -> float:
    """A memory field of /proc/<pid>/status (VmRSS, VmHWM) in MiB."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and its descendants together, in MiB."""
    return sum(rss_mb(p) for p in tree(pid))


def memory_cap_mb(share: float = 0.6) -> float:
    """A share of this machine's memory: what one contender may take before it is stopped, so a
    runaway load ends as a figure instead of waking the kernel's OOM killer on a shared machine."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * share / 2**20


def run(
    args: list[str],
    *,
    env: dict | None = None,
    cwd: Path = ROOT,
    timeout: float | None = None,
    cap_mb: float | None = None,
) -> Run:
    """Run `args`, sampling the memory of its process tree until it exits; kill the tree when it
    holds more than cap_mb."""
    started = time.perf_counter()
    process = subprocess.Popen(
        args,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = [0.0]
    killed: list[float] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pids = tree(process.pid)
            now = sum(rss_mb(p) for p in pids)
            peak[0] = max(peak[0], now)
            if cap_mb and now > cap_mb and not killed:
                killed.append(now)
                for pid in reversed(pids):
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out: list[str] = []
    err: list[str] = []
    readers = [
        threading.Thread(target=lambda s=s, b=b: b.append(s.read()), daemon=True)
        for s, b in ((process.stdout, out), (process.stderr, err))
    ]
    for reader in readers:
        reader.start()
    deadline = None if timeout is None else started + timeout
    while True:
        pid, status = os.waitpid(process.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.perf_counter() > deadline:
            process.kill()
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    for reader in readers:
        reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    run_ = Run(seconds, peak[0], process.returncode, "".join(out), "".join(err))
    run_.killed_over_mb = round(killed[0], 1) if killed else None
    return run_


def python(module_args: list[str], **kwargs) -> Run:
    """Run `python <module_args>` with this interpreter."""
    return run([sys.executable, *module_args], **kwargs)
