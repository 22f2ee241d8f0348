"""Run a sanitized notebook in a sandboxed kernel: nbgrader's Execute with the course's limits and recovery.

A cell that kills its kernel (os._exit, a crash in native code, the memory cap of its cgroup) is replaced
by one that raises, and the notebook runs again from the top, so the rest can still be graded. So is a
cell that is still running a few seconds after its time limit and its interrupt (a loop that ignores
SIGINT): its kernel is killed, since it would hold the worker until the notebook's time is up. The
watchdog kills the kernel when the notebook's time is up or its working folder is full (a file system of
the cap's size, autograder.sandbox.disk_cap; where none can be mounted, a folder measured against the cap),
and measures from outside what the submission holds meanwhile (memory, processes, CPU, disk).
"""

import asyncio
import json
import os
import shutil
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import psutil
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.preprocessors import (
    Execute,
)

from autograder.grade.spare_kernel import KERNEL_NAME, SubmissionKernel, kernel_arguments, kernel_manager
from autograder.grade.work_folder import remove_written_files
from autograder.sandbox.bubblewrap import bubblewrap
from autograder.sandbox.cgroups import SubmissionGroup
from autograder.sandbox.disk_cap import is_full, used_bytes
from autograder.sandbox.limits import Limits, in_words
from autograder.sandbox.processes import kill_strays, kill_user_processes
from cnnbook.grading.wire import PROBE_MIME

CRASH_RETRIES = 3
PROBE_OUTPUT_BYTES = 64 * 1024**2  # what the hidden tests of one cell may hand to the grader
DISK_SCAN_ENTRIES = 100_000  # a working folder with more entries than this is over its cap in any case


@dataclass(frozen=True)
class Skipped:
    """A cell that stopped its kernel and was skipped: its index and what it did, in words ("used more than ...")."""

    index: int
    cause: str


class CourseExecute(Execute):
    """nbgrader's Execute, in the sandbox, remembering the running cell and capping what a notebook may print."""

    def __init__(
        self,
        *args,
        output_limit: int,
        uid: int | None = None,
        kernel_ready=None,
        before_tests=None,
        hang_grace: float = 5.0,
        stop_kernel=None,
        over_disk=None,
        group: SubmissionGroup | None = None,
        limits: Limits | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.group, self.limits = group, limits  # the submission's cgroup and caps: reaching a cap is reported
        self.cap_counts = (group.oom_kills(), group.process_cap_refusals()) if group is not None else (0, 0)
        self.hang_grace = hang_grace  # how long a timed-out cell may go on after its interrupt
        self.stop_kernel = stop_kernel  # called to kill the kernel of a cell that ignores its interrupt
        self.over_disk = over_disk  # called after each cell: has the working folder gone over its cap?
        self.cell_idle = False  # the kernel said it finished the running cell
        self.hung = False
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
        self.cell_idle = False

    def process_message(self, msg, cell, cell_index):
        content = msg.get("content") or {}
        if msg.get("msg_type") == "status" and content.get("execution_state") == "idle":
            self.cell_idle = True
        return super().process_message(msg, cell, cell_index)

    async def _async_handle_timeout(self, timeout, cell=None):
        reply = await super()._async_handle_timeout(timeout, cell)  # nbgrader interrupts the kernel
        if self.uid is not None:  # a fork bomb's copies would leave the kernel no CPU to take the interrupt with
            self.strays += kill_strays(self.uid)
        # A cell that goes on after its interrupt would hold the kernel, and every later cell would time out
        # behind it: give it a few seconds, then kill the kernel and let execute() skip the cell.
        deadline = time.monotonic() + self.hang_grace
        while not self.cell_idle and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        if not self.cell_idle and self.stop_kernel is not None:
            self.hung = True
            self.stop_kernel()
            raise DeadKernelError("the cell went on after its time limit and its interrupt")
        return reply

    def on_cell_executed(self, cell=None, **kwargs):
        super().on_cell_executed(cell=cell, **kwargs)  # nbgrader's: a timed-out cell gets its CellTimeoutError
        if self.over_disk is not None and self.over_disk():  # checked here too, so the cell that wrote is the one
            raise DeadKernelError("the cell wrote more than the disk cap")  # skipped (see execute())
        reached = self.caps_reached()
        if cell is not None and reached:  # before the cell's own error (a timeout, say): the row names the first
            first = next((i for i, o in enumerate(cell.outputs) if o.get("output_type") == "error"), len(cell.outputs))
            cell.outputs[first:first] = reached
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

    def caps_reached(self) -> list:
        """Return an error output for each cap the running cell's processes reached while the kernel lived on (the
        out-of-memory killer stopped one of its children, say), so that the row names the cap."""
        if self.group is None:
            return []
        kills, refused = self.group.oom_kills(), self.group.process_cap_refusals()
        found, memory = [], in_words(self.limits.total_memory_bytes)
        if kills > self.cap_counts[0]:
            found.append(
                f"MemoryCapReached: the processes of this cell used more than {memory} of memory in all; "
                f"the kernel stopped {kills - self.cap_counts[0]} of them"
            )
        if refused > self.cap_counts[1]:
            found.append(
                f"ProcessCapReached: this cell tried to run more than {self.limits.processes} processes and threads "
                f"at once; {refused - self.cap_counts[1]} were refused"
            )
        self.cap_counts = (kills, refused)
        return [
            nbformat.v4.new_output("error", ename=text.split(":")[0], evalue=text.split(": ", 1)[1], traceback=[])
            for text in found
        ]

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
    """Kill the kernel when the notebook's time is up or its working folder is at the disk cap, and measure from
    outside what the submission holds meanwhile (`held`: the most memory, processes, CPU cores and disk)."""

    def __init__(
        self,
        executor: CourseExecute,
        deadline: float,
        group: SubmissionGroup | None = None,
        work: Path | None = None,
        uid: int | None = None,
        disk_bytes: int | None = None,
        disk_capped: bool = False,
    ):
        super().__init__(daemon=True)
        self.executor, self.deadline = executor, deadline
        self.group, self.work, self.uid, self.disk_bytes = group, work, uid, disk_bytes
        self.disk_capped = disk_capped  # the folder is a file system of the cap's size: full means over
        self.fired, self.peak_bytes = False, 0
        self.over_disk = False  # the working folder held more than its cap: the kernel was killed
        self.held: dict[str, float] = {}
        self.disk_lock = threading.Lock()
        self.cpu_window: list[tuple[float, float]] = []  # (wall, CPU seconds) of the last second or so
        self.done = threading.Event()

    def kernel_processes(self) -> list[psutil.Process]:
        return kernel_processes(self.executor)

    def note(self, name: str, value: float | None) -> None:
        """Keep the largest `value` seen of measure `name`."""
        if value is not None:
            self.held[name] = max(self.held.get(name, 0), value)

    def measure_group(self) -> None:
        """Sample the cgroup: memory (tmpfs pages included), processes, and CPU cores over the last second."""
        group = self.group
        self.note("memory_bytes", max(group.memory_bytes(), group.memory_peak_bytes()))
        self.note("processes", max(group.process_count(), group.process_peak_count()))
        used, now = group.cpu_seconds(), time.monotonic()
        if used is None:
            return
        self.cpu_window = [(t, c) for t, c in self.cpu_window if now - t <= 1.0] + [(now, used)]
        first_t, first_c = self.cpu_window[0]
        if now - first_t >= 0.5:
            self.note("cpu_cores", (used - first_c) / (now - first_t))

    def check_disk(self, processes: list[psutil.Process] | None = None) -> bool:
        """Measure the working folder; past its cap, kill the kernel (once). Return whether it is past its cap."""
        if self.work is None or self.uid is None or self.disk_bytes is None:
            return False
        with self.disk_lock:  # the executor's thread checks too, after each cell
            if self.disk_capped:
                written, over = used_bytes(self.work), is_full(self.work)
            else:
                written = written_bytes(self.work, self.uid, self.disk_bytes)
                over = written > self.disk_bytes
            self.note("disk_bytes", written)
            if over and not self.over_disk:
                self.over_disk = True
                stop_kernel_processes(self.kernel_processes() if processes is None else processes, self.group, self.uid)
            return self.over_disk

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
            if self.group is not None:
                self.measure_group()
            self.check_disk(processes)
            if time.monotonic() > self.deadline:
                self.fired = True
                stop_kernel_processes(processes, self.group, self.uid)
                return


def kernel_processes(executor: CourseExecute) -> list[psutil.Process]:
    """Return the kernel's process tree as the grader sees it (the sandbox, then what runs in it)."""
    km = getattr(executor, "km", None)
    pid = getattr(getattr(km, "provisioner", None), "pid", None) if km else None
    if not pid:
        return []
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def stop_kernel_processes(processes: list[psutil.Process], group: SubmissionGroup | None, uid: int | None) -> None:
    """Kill the kernel hard: its process tree, everything in its cgroup, and everything its user runs."""
    for proc in reversed(processes):
        try:
            proc.send_signal(signal.SIGKILL)
        except psutil.Error:
            pass
    if group is not None:
        group.kill_all()
    if uid is not None and os.geteuid() == 0:
        kill_user_processes(uid)


def written_bytes(work: Path, uid: int, limit: int) -> int:
    """Return the disk space that files of `uid` take in `work` (what the kernel wrote; the grader's files, the
    shared data sets' links, are not its own), each file counted as a block at least; past DISK_SCAN_ENTRIES
    entries, the count stops at more than `limit` (so many files are a disk fill of their own)."""
    total, seen, entries = 0, set(), 0
    stack = [str(work)]
    while stack:
        try:
            with os.scandir(stack.pop()) as scan:
                for entry in scan:
                    entries += 1
                    if entries > DISK_SCAN_ENTRIES:
                        return max(total, limit + 1)
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    if info.st_uid == uid and (info.st_dev, info.st_ino) not in seen:
                        seen.add((info.st_dev, info.st_ino))
                        total += max(info.st_blocks * 512, 4096)
        except OSError:
            continue
    return total


def neutralise(nb, index: int, cause: str) -> None:
    """Replace cell `index` (which stopped its kernel) by one that raises, so the rest can still be graded."""
    message = f"While grading, this cell {cause}; it was skipped."
    nb.cells[index].source = f"raise RuntimeError({message!r})"


def cause_of_death(
    executor: CourseExecute, watchdog: Watchdog, group: SubmissionGroup | None, kills: int, limits, refused: int = 0
):
    """Return, in words, why the kernel of the running cell stopped (`kills`, `refused`: the group's OOM kills and
    refused processes before it). A cap the cell reached is named before a hang: a fork bomb's copies can keep the
    kernel from answering its interrupt."""
    if group is not None and group.process_cap_refusals() > refused:
        return (
            f"tried to run more than {limits.processes} processes and threads at once (a fork bomb?), so its kernel "
            f"was stopped"
        )
    if executor.hung:
        return (
            f"ran past the {limits.cell_seconds} s limit per cell and went on after it was interrupted "
            f"(a loop that ignores interrupts?), so its kernel was stopped"
        )
    if watchdog.over_disk:
        return f"filled its working folder (a cap of {in_words(limits.disk_bytes)}), so its kernel was stopped"
    if group is not None and group.oom_kills() > kills:
        return f"used more than {in_words(limits.total_memory_bytes)} of memory in all its processes"
    return "made the kernel die (for example os._exit, a crash in native code or too much memory)"


def execute(
    nb,
    kernel: SubmissionKernel,
    deadline: float,
    kernel_ready=None,
    before_tests=None,
):
    """Run `nb` in `kernel`'s sandbox (its working folder, uid, cgroup and limits), calling `kernel_ready()` when
    the kernel answers and `before_tests()` before each test cell; return (executed nb or None, watchdog, skipped
    cells, what the submission held).

    The first run uses `kernel.km` if it was started (ahead: autograder.grade.spare_kernel); a run again after a
    crash starts a fresh kernel in the same sandbox. The kernel's cgroup is removed before returning. Where the
    working folder is not a file system of the disk cap's size (autograder.sandbox.disk_cap), the watchdog measures
    it against the cap.
    """
    limits = kernel.setting[1]
    work, uid, group, disk_capped = kernel.folder.path, kernel.uid, kernel.group, kernel.folder.capped
    skipped: list[Skipped] = []
    held: dict[str, float] = {}
    started, kernel.km = kernel.km, None  # the kernel started ahead serves the first run only
    try:
        while True:
            attempt = nbformat.from_dict(json.loads(json.dumps(nb)))
            for cell in skipped:
                neutralise(attempt, cell.index, cell.cause)
            executor = CourseExecute(
                timeout=limits.cell_seconds,
                kernel_name=KERNEL_NAME,
                output_limit=limits.output_bytes,
                uid=uid if bubblewrap() is not None else None,
                kernel_ready=kernel_ready,
                before_tests=before_tests,
                hang_grace=limits.hang_grace_seconds,
                group=group,
                limits=limits,
                stop_kernel=lambda: stop_kernel_processes(kernel_processes(executor), group, uid),
                allow_errors=True,
                raise_on_iopub_timeout=False,
                extra_arguments=kernel_arguments(kernel.preload),
            )
            km = started or kernel_manager(kernel)
            started = None
            executor.km = km
            watchdog = Watchdog(executor, deadline, group, work, uid, limits.disk_bytes, disk_capped)
            executor.over_disk = watchdog.check_disk
            kills = group.oom_kills() if group is not None else 0
            refused = group.process_cap_refusals() if group is not None else 0
            watchdog.start()
            try:
                executed, _ = executor.preprocess(attempt, {"metadata": {"path": str(work)}}, km=km)
                return executed, watchdog, skipped, held
            except (DeadKernelError, CellTimeoutError):  # the kernel died, or stopped answering (a fork bomb's copies)
                index = executor.current_cell
                if index is not None:
                    skipped.append(Skipped(index, cause_of_death(executor, watchdog, group, kills, limits, refused)))
                if watchdog.fired or index is None or len(skipped) > CRASH_RETRIES:
                    return None, watchdog, skipped, held
                if watchdog.over_disk:
                    remove_written_files(work, uid, kernel.prepared)
            except RuntimeError:  # (after DeadKernelError, which is one too) the kernel did not start: time up, or not
                if watchdog.fired:
                    return None, watchdog, skipped, held
                raise
            finally:
                watchdog.done.set()
                watchdog.join(timeout=5)
                for name, value in watchdog.held.items():
                    held[name] = max(held.get(name, 0), value)
                if group is not None:
                    group.kill_all()
                kill_user_processes(uid)  # what the notebook left running (a fork bomb's children, say)
                shutil.rmtree(km.sockets_dir, ignore_errors=True)  # nbclient leaves a manager it was given as it is
    finally:
        if group is not None:
            held["memory_bytes"] = max(held.get("memory_bytes", 0), group.memory_peak_bytes())
            group.remove()
