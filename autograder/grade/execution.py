"""Run a sanitized notebook in a sandboxed kernel: nbgrader's Execute with the course's limits and recovery.

A cell that kills its kernel (os._exit, a crash in native code, too much memory) is replaced by one that
raises, and the notebook runs again from the top, so the rest can still be graded; the watchdog kills the
kernel when the notebook's time is up and samples its memory meanwhile.
"""

import asyncio
import json
import signal
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.preprocessors import (
    Execute,
)

from autograder.sandbox.bubblewrap import bubblewrap
from autograder.sandbox.kernel import SandboxedKernelManager
from autograder.sandbox.limits import Limits
from autograder.sandbox.processes import kill_strays, kill_user_processes
from cnnbook.grading.wire import PROBE_MIME

CRASH_RETRIES = 3
PROBE_OUTPUT_BYTES = 64 * 1024**2  # what the hidden tests of one cell may hand to the grader


class CourseExecute(Execute):
    """nbgrader's Execute, in the sandbox, remembering the running cell and capping what a notebook may print."""

    def __init__(
        self, *args, output_limit: int, uid: int | None = None, kernel_ready=None, before_tests=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.kernel_ready = kernel_ready  # called once the kernel answers, before the first cell
        self.before_tests = before_tests  # called (it may wait) before each test cell runs
        self.uid = uid  # the kernel's user: what else runs as it after a cell is a stray
        self.strays = 0
        self.current_cell = None
        self.output_limit = output_limit
        self.output_seen = 0
        self.probe_seen = 0
        self.interrupted = False

    def on_notebook_start(self, **kwargs):
        if self.kernel_ready is not None:
            self.kernel_ready()

    def on_cell_execute(self, **kwargs):
        self.current_cell = kwargs.get("cell_index")
        cell = kwargs.get("cell")
        if self.before_tests is not None and cell is not None and (cell.metadata.get("nbgrader") or {}).get("grade"):
            self.before_tests()
        self.output_seen, self.probe_seen, self.interrupted = 0, 0, False  # the limits are per cell

    def on_cell_executed(self, cell=None, **kwargs):
        super().on_cell_executed(cell=cell, **kwargs)  # nbgrader's: a timed-out cell gets its CellTimeoutError
        if self.uid is None:
            return
        strays = kill_strays(self.uid)  # a fork bomb's copies would eat the CPU the next cells need
        self.strays += strays
        if strays and cell is not None:  # the copies may have answered for the kernel: say plainly what happened
            cell.outputs.append(
                nbformat.v4.new_output(
                    "error",
                    ename="ProcessesStopped",
                    traceback=[],
                    evalue=(f"this cell left {strays} processes running (os.fork in a loop?); the grader stopped them"),
                )
            )

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(json.dumps(content, default=str))
        # A hidden test's results (a U-Net's output maps, say) are the grader's, not printing: a larger allowance.
        if PROBE_MIME in (content.get("data") or {}) and self.probe_seen + size <= PROBE_OUTPUT_BYTES:
            self.probe_seen += size
            return super().output(outs, msg, display_id, cell_index)
        self.output_seen += size
        if self.output_seen > self.output_limit:
            if not self.interrupted:  # stop a cell that prints without end instead of storing it all
                self.interrupted = True
                asyncio.ensure_future(self.km.interrupt_kernel())
                outs.append(
                    nbformat.v4.new_output(
                        "stream",
                        name="stdout",
                        text=(f"\n[The grader stopped this cell: it printed more than {self.output_limit} bytes.]\n"),
                    )
                )
            return None
        return super().output(outs, msg, display_id, cell_index)


class Watchdog(threading.Thread):
    """Kill the kernel when the notebook's time is up, and sample the kernel's memory meanwhile."""

    def __init__(self, executor: CourseExecute, deadline: float):
        super().__init__(daemon=True)
        self.executor, self.deadline = executor, deadline
        self.fired, self.peak_bytes = False, 0
        self.done = threading.Event()

    def kernel_processes(self) -> list[psutil.Process]:
        km = getattr(self.executor, "km", None)
        pid = getattr(getattr(km, "provisioner", None), "pid", None) if km else None
        if not pid:
            return []
        try:
            root = psutil.Process(pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    def run(self):
        while not self.done.wait(0.25):
            processes = self.kernel_processes()
            rss = 0
            for proc in processes:
                try:
                    rss += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak_bytes = max(self.peak_bytes, rss)
            if time.monotonic() > self.deadline:
                self.fired = True
                for proc in reversed(processes):
                    try:
                        proc.send_signal(signal.SIGKILL)
                    except psutil.Error:
                        pass
                return


def neutralise(nb, index: int) -> None:
    """Replace cell `index` (which killed the kernel) by one that raises, so the rest can still be graded."""
    nb.cells[index].source = (
        "raise RuntimeError('While grading, this cell made the kernel die (for example '\n"
        "                   'os._exit, a crash in native code or too much memory); it was skipped.')"
    )


def execute(
    nb,
    work: Path,
    limits: Limits,
    hide: tuple[str, ...],
    deadline: float,
    uid: int,
    kernel_ready=None,
    before_tests=None,
):
    """Run `nb` in a sandboxed kernel as `uid`, calling `kernel_ready()` when the kernel answers and `before_tests()`
    before each test cell; return (executed nb, watchdog, crashed cell indices)."""
    crashed: list[int] = []
    while True:
        attempt = nbformat.from_dict(json.loads(json.dumps(nb)))
        for index in crashed:
            neutralise(attempt, index)
        executor = CourseExecute(
            timeout=limits.cell_seconds,
            kernel_name="cnnbook",
            output_limit=limits.output_bytes,
            uid=uid if bubblewrap() is not None else None,
            kernel_ready=kernel_ready,
            before_tests=before_tests,
            allow_errors=True,
            raise_on_iopub_timeout=False,
            extra_arguments=["--HistoryManager.enabled=False"],
        )
        km = SandboxedKernelManager(kernel_name="cnnbook", work_dir=str(work), limits=limits, hide=hide, uid=uid)
        executor.km = km
        watchdog = Watchdog(executor, deadline)
        watchdog.start()
        try:
            executed, _ = executor.preprocess(attempt, {"metadata": {"path": str(work)}}, km=km)
            return executed, watchdog, crashed
        except (DeadKernelError, CellTimeoutError):  # the kernel died, or stopped answering (a fork bomb's copies)
            if watchdog.fired or executor.current_cell is None or len(crashed) >= CRASH_RETRIES:
                return None, watchdog, crashed + ([executor.current_cell] if executor.current_cell is not None else [])
            crashed.append(executor.current_cell)
        except RuntimeError:  # (after DeadKernelError, which is one too) the kernel did not start: time up, or not
            if watchdog.fired:
                return None, watchdog, crashed
            raise
        finally:
            watchdog.done.set()
            kill_user_processes(uid)  # what the notebook left running (a fork bomb's children, say)
