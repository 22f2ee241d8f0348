"""A guard for tests that attack the sandbox's caps: should a cap be broken, the test, not the machine, pays.

While a batch runs, a thread samples the memory the machine still has available; below a floor it kills
every sandboxed kernel this test process started (they run as sandbox uids, below it in the process tree),
and the test fails saying so. It also reports the least memory that was available, for the tests' checks.
"""

import threading

import psutil

from autograder.sandbox.processes import SANDBOX_UID_BASE

__all__ = ["MemoryGuard"]


class MemoryGuard(threading.Thread):
    """Watch available memory during a `with` block; kill this process's sandboxed kernels below `floor_bytes`."""

    def __init__(self, floor_bytes: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.floor_bytes, self.interval = floor_bytes, interval
        self.start_available = psutil.virtual_memory().available
        self.least_available = self.start_available
        self.tripped = False
        self.stopped = threading.Event()

    def __enter__(self) -> "MemoryGuard":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.join()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            available = psutil.virtual_memory().available
            self.least_available = min(self.least_available, available)
            if available < self.floor_bytes:
                self.tripped = True
                kill_sandboxed_descendants()

    def describe(self) -> str:
        """Return what the guard saw, in words."""
        return (
            f"available memory went from {self.start_available / 1024**3:.1f} GB down to "
            f"{self.least_available / 1024**3:.1f} GB (floor {self.floor_bytes / 1024**3:.1f} GB)"
        )


def kill_sandboxed_descendants() -> None:
    """Kill every process below this one that runs as a sandbox uid (a kernel, or what it started)."""
    for proc in psutil.Process().children(recursive=True):
        try:
            if proc.uids().real >= SANDBOX_UID_BASE:
                proc.kill()
        except psutil.Error:
            continue
