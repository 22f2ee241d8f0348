"""Where grading time goes: seconds per phase of one submission (the worker's) or of one run (the coordinator's).

A PhaseClock adds up the seconds spent in named phases (time.perf_counter around steps that run anyway); what no
phase names is "other", so the phases of a clock add up to its total exactly. The worker's phases travel in its
outcome (Outcome.phases, saved with the results under OUT/.nbgrader/results/); `make bench` prints them per
assignment (BENCH_ONLY=phases) as the "before" of the kernels started ahead.

Inside the kernel, the cells are timed by the kernel's own messages: nbclient writes when each cell went busy and
idle into the cell's metadata (its `record_timing`, on by default), so timing them needs no hook in the executor.
"""

import datetime
import time
from contextlib import contextmanager

# The worker's phases, in the order a submission goes through them.
WORKER_PHASES = (
    "sanitize",  # nbgrader's steps on the submitted notebook (clear outputs, restore locked and test cells)
    "prepare",  # the data sets, the kernel's working folder and its share of the data cache
    "next_kernel",  # the next submission's kernel prepared and launched (it starts while this one runs)
    "kernel_start",  # the sandboxed kernel started, until it answers (with the course's imports done, if ahead)
    "imports",  # the cells up to the course's imports (the first cells)
    "given_cells",  # the notebook's own cells: data, figures, demos
    "student_cells",  # the solution cells
    "test_cells",  # the test cells in the kernel: visible checks, then the hidden part's probe
    "cases_wait",  # waiting, before the first test cell, for the hidden tests' cases to be drawn
    "kernel_rest",  # the rest of the kernel's run: messages between cells, a run again after a crash
    "kernel_stop",  # from the last cell's end to the kernel stopped and its cgroup removed
    "judging",  # the hidden tests judged against the reference, out of the kernel
    "gradebook",  # output limits and the scores in the worker's copy of the gradebook
    "feedback",  # the feedback page rendered
    "other",  # the rest: the notebook's JSON, folders made and removed
)
# The coordinator's phases of one run.
COORDINATOR_PHASES = (
    "intake",  # the submissions found, read and fingerprinted; saved results looked up
    "workers_start",  # the pool of workers started (they go on starting in the background)
    "source_gradebook",  # the gradebook of the instructor notebook (nbgrader's generate_assignment, or its copy)
    "waiting",  # waiting for the workers' outcomes
    "recording",  # each outcome saved and recorded: gradebook, graded notebook, feedback page
    "zero_grades",  # zeros recorded for the submissions with nothing to run
    "csv",  # grades.csv and the exports
    "similarity",  # the similarity report
    "report",  # the class report
    "other",
)
IMPORTS_CELL = "imports"  # the grade_id of every notebook's imports cell: it and the cells before it are the imports


class PhaseClock:
    """Seconds per named phase since the clock was made; see the module's docstring."""

    def __init__(self):
        self.started = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def elapsed(self) -> float:
        """Return the seconds since the clock was made."""
        return time.perf_counter() - self.started

    def add(self, name: str, seconds: float) -> None:
        """Count `seconds` more in phase `name`."""
        self.seconds[name] = self.seconds.get(name, 0.0) + max(seconds, 0.0)

    def add_all(self, parts: dict[str, float]) -> None:
        """Count each phase of `parts` ({name: seconds})."""
        for name, seconds in parts.items():
            self.add(name, seconds)

    @contextmanager
    def phase(self, name: str):
        """Count the time the block takes in phase `name`."""
        begun = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - begun)

    def summary(self, total: float | None = None) -> dict[str, float]:
        """Return {phase: seconds}, "other" last: what no phase counted of `total` (default: the elapsed time)."""
        total = self.elapsed() if total is None else total
        named = {name: seconds for name, seconds in self.seconds.items() if name != "other"}
        return {**named, "other": max(total - sum(named.values()), 0.0) + self.seconds.get("other", 0.0)}


class KernelTimes:
    """What the worker sees of one execute() call: when it began, when the kernel first answered, how long the
    executor waited for the hidden tests' cases."""

    def __init__(self):
        self.begun = time.perf_counter()
        self.ready: float | None = None
        self.waited = 0.0
        self.ended: float | None = None  # perf_counter when execute() returned
        self.ended_wall: float | None = None  # the same moment on the wall clock, which the kernel's messages use

    def on_ready(self, then):
        """Return a kernel_ready callback that notes the first answer, then calls `then`."""

        def ready():
            if self.ready is None:
                self.ready = time.perf_counter()
            then()

        return ready

    def on_wait(self, wait):
        """Return a before_tests callback that calls `wait` and counts the time it takes."""

        def timed_wait():
            begun = time.perf_counter()
            try:
                wait()
            finally:
                self.waited += time.perf_counter() - begun

        return timed_wait

    def end(self) -> None:
        """Note that execute() returned (the first call counts)."""
        if self.ended is None:
            self.ended, self.ended_wall = time.perf_counter(), time.time()

    def phases(self, executed=None) -> dict[str, float]:
        """Return the phases of the kernel's run (kernel_start ... kernel_stop), which add up to its length; the cells
        by kind when the executed notebook is given (none when the run stopped without one)."""
        window = (self.ended or time.perf_counter()) - self.begun
        start = (self.ready - self.begun) if self.ready is not None else window
        parts = {"kernel_start": start, "cases_wait": self.waited}
        if executed is not None:
            cells = cell_seconds(executed)
            parts.update(cells)
            last_idle = last_cell_end(executed)
            if last_idle is not None and self.ended_wall is not None:
                parts["kernel_stop"] = max(self.ended_wall - last_idle, 0.0)
        parts = fit(parts, window)
        parts["kernel_rest"] = window - sum(parts.values())
        return {name: parts[name] for name in WORKER_PHASES if name in parts}


def fit(parts: dict[str, float], window: float) -> dict[str, float]:
    """Return `parts` scaled down to add up to `window` at most: the kernel's clock and ours may disagree by a hair."""
    total = sum(parts.values())
    if total <= window or total <= 0:
        return parts
    return {name: seconds * window / total for name, seconds in parts.items()}


def cell_kind(cell, before_imports: bool) -> str:
    """Return the phase a code cell's run counts in: imports, student_cells, test_cells or given_cells."""
    meta = cell.get("metadata", {}).get("nbgrader") or {}
    if before_imports:
        return "imports"
    if meta.get("solution"):
        return "student_cells"
    if meta.get("grade"):
        return "test_cells"
    return "given_cells"


def busy_seconds(cell) -> float | None:
    """Return how long the kernel was busy with `cell` (from its busy and idle messages), or None if not recorded."""
    timing = cell.get("metadata", {}).get("execution") or {}
    busy, idle = timing.get("iopub.status.busy"), timing.get("iopub.status.idle")
    if not busy or not idle:
        return None
    return (parse_time(idle) - parse_time(busy)).total_seconds()


def cell_seconds(executed) -> dict[str, float]:
    """Return the seconds the kernel spent per kind of cell (see cell_kind) in an executed notebook."""
    code = [cell for cell in executed.cells if cell.get("cell_type") == "code"]
    ids = [(cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id") for cell in code]
    last_import = ids.index(IMPORTS_CELL) if IMPORTS_CELL in ids else 0
    seconds = {"imports": 0.0, "given_cells": 0.0, "student_cells": 0.0, "test_cells": 0.0}
    for index, cell in enumerate(code):
        busy = busy_seconds(cell)
        if busy is not None:
            seconds[cell_kind(cell, index <= last_import)] += max(busy, 0.0)
    return seconds


def last_cell_end(executed) -> float | None:
    """Return when the kernel finished the last cell it ran (seconds since the epoch), or None if none is recorded."""
    ends = [
        parse_time(idle).timestamp()
        for cell in executed.cells
        if (idle := (cell.get("metadata", {}).get("execution") or {}).get("iopub.status.idle"))
    ]
    return max(ends, default=None)


def parse_time(stamp: str) -> datetime.datetime:
    """Return the time of a kernel message's timestamp ("2024-05-01T10:00:00.123456Z")."""
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
