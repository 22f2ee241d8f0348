"""Issue 16's "Done when", measured at the default caps: the machine keeps its memory, and a hang costs one cell.

Two rows (`BENCH_ONLY=caps make bench`):
- two resource attacks graded at once by two workers (`make grade`'s defaults otherwise), with an honest
  submission in the same batch: the least memory the machine had available meanwhile (/proc/meminfo's
  MemAvailable, sampled five times a second), and the honest submission's marks;
- a submission whose extra cell ignores interrupts and loops, alone: how long its notebook took, against
  the limit per cell plus the grace and a second run of the notebook from the top (the hung cell skipped).

Each attack tries twice the default memory cap (6 GB), not more, so that a broken cap costs the machine
that runs the bench a few GB; a MemoryGuard kills the attacks' kernels should the machine run short anyway.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import psutil

from autograder.course import SOLUTIONS
from autograder.grade.coordinator import grade
from autograder.sandbox.cgroups import cap_support
from autograder.sandbox.limits import GIB, Limits
from tests.support.memory_guard import MemoryGuard

ASSIGNMENT = "w1a1_conv_numpy"
FULL_MARKS = 14.0
WORKERS = 2
KEPT_AVAILABLE_BYTES = 14 * GIB  # the target on its 24 GB grading machine
FLOOR_BYTES = 4 * GIB  # below this the guard stops the attacks (a broken cap)
# The cells added to the instructor's notebook, after zero_pad's test cell.
MEMORY_ACROSS_PROCESSES = (  # four children of 1.5 GB: twice the 3 GB cap, each within its own limit
    "import os, time\n_children = []\nfor _ in range(4):\n    _pid = os.fork()\n    if _pid == 0:\n"
    "        _block = b'x' * (1536 << 20)\n        time.sleep(5)\n        os._exit(0)\n    _children.append(_pid)\n"
    "for _pid in _children:\n    os.waitpid(_pid, 0)"
)
TMPFS_FILL = (  # 2 GB into each of the three tmpfs folders: twice the 3 GB memory cap, in files of 128 MB
    "for _folder in ('/tmp', '/var/tmp', '/dev/shm'):\n    for _k in range(16):\n        try:\n"
    "            with open(f'{_folder}/filler{_k}', 'wb') as _f:\n                _f.write(b'x' * (128 << 20))\n"
    "        except OSError:\n            break"
)
UNINTERRUPTIBLE_LOOP = (
    "import signal\nfor _s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):\n"
    "    signal.signal(_s, signal.SIG_IGN)\nwhile True:\n    pass"
)


@dataclass
class CapsTiming:
    cap_kind: str
    total_bytes: int
    start_available_bytes: int
    least_available_bytes: int
    guard_tripped: bool
    rows: dict  # student -> (status, score, seconds, reason)
    loop_seconds: float
    loop_score: float
    loop_reason: str
    honest_alone_seconds: float
    limits: Limits

    @property
    def loop_budget_seconds(self) -> float:
        """The cell limit and its grace, plus the notebook twice (up to the hung cell, then again without it)."""
        return self.limits.cell_seconds + self.limits.hang_grace_seconds + 2 * self.honest_alone_seconds + 10


def write_submission(folder: Path, student: str, extra_cell: str | None) -> None:
    """Write the instructor's notebook as `student`'s, with `extra_cell` after zero_pad's test cell."""
    nb = nbformat.read(SOLUTIONS / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    if extra_cell is not None:
        index = next(
            k for k, c in enumerate(nb.cells) if (c.metadata.get("nbgrader") or {}).get("grade_id") == "test_zero_pad"
        )
        nb.cells.insert(index + 1, nbformat.v4.new_code_cell(extra_cell))
    (folder / student).mkdir(parents=True)
    nbformat.write(nb, folder / student / f"{ASSIGNMENT}.ipynb")


def describe(rows) -> dict:
    """Return {student: (status, score, seconds, reason)} of grading rows."""
    return {r.student_id: (r.status, r.score, r.seconds, r.reason) for r in rows}


def measure() -> CapsTiming:
    """Grade the attack batch, then the loop and an honest notebook alone; return what was measured."""
    limits = Limits()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # Sorted by name, the two attacks start together; the honest one starts as soon as either ends.
        write_submission(tmp / "batch", "attack1_memory_across_processes", MEMORY_ACROSS_PROCESSES)
        write_submission(tmp / "batch", "attack2_tmpfs_fill", TMPFS_FILL)
        write_submission(tmp / "batch", "honest", None)
        with MemoryGuard(floor_bytes=FLOOR_BYTES) as guard:
            batch = grade(ASSIGNMENT, tmp / "batch", tmp / "out", limits=limits, workers=WORKERS, progress=False)
        write_submission(tmp / "loop", "loop_that_ignores_interrupts", UNINTERRUPTIBLE_LOOP)
        (loop,) = grade(ASSIGNMENT, tmp / "loop", tmp / "out-loop", limits=limits, workers=1, progress=False)
        write_submission(tmp / "alone", "honest_alone", None)
        (alone,) = grade(ASSIGNMENT, tmp / "alone", tmp / "out-alone", limits=limits, workers=1, progress=False)
    return CapsTiming(
        cap_support().kind or f"none ({cap_support().reason})",
        psutil.virtual_memory().total,
        guard.start_available,
        guard.least_available,
        guard.tripped,
        describe(batch),
        loop.seconds,
        loop.score,
        loop.reason,
        alone.seconds,
        limits,
    )


def print_table(t: CapsTiming) -> bool:
    """Print the measures as Markdown tables; return whether one is over its budget."""
    honest = t.rows.get("honest", ("missing", 0.0, 0.0, ""))
    memory_over = t.least_available_bytes < KEPT_AVAILABLE_BYTES or t.guard_tripped
    honest_over = honest[:2] != ("graded", FULL_MARKS)
    loop_over = t.loop_score != FULL_MARKS or t.loop_seconds > t.loop_budget_seconds
    print(f"Caps: {t.cap_kind}; memory {t.limits.total_memory_bytes / GIB:g} GB per submission, {WORKERS} workers\n")
    print("| two resource attacks at once | measured | budget |\n|---|---|---|")
    print(
        f"| memory available when the batch started | {t.start_available_bytes / GIB:.1f} GB of "
        f"{t.total_bytes / GIB:.1f} GB | |"
    )
    print(
        f"| least memory available during the batch | {t.least_available_bytes / GIB:.1f} GB | "
        f"at least {KEPT_AVAILABLE_BYTES / GIB:g} GB{' OVER' if memory_over else ''} |"
    )
    print(
        f"| honest submission in the same batch | {honest[1]:g} / {FULL_MARKS:g} ({honest[0]}) | full marks"
        f"{' OVER' if honest_over else ''} |"
    )
    for student, (status, score, seconds, reason) in sorted(t.rows.items()):
        print(f"| {student} | {score:g} / {FULL_MARKS:g}, {status}, {seconds:.0f} s | {reason} |")
    print("\n| uninterruptible loop | measured | budget |\n|---|---|---|")
    print(
        f"| its notebook | {t.loop_seconds:.0f} s, {t.loop_score:g} / {FULL_MARKS:g} | at most "
        f"{t.loop_budget_seconds:.0f} s (cell limit {t.limits.cell_seconds} s + grace {t.limits.hang_grace_seconds} s "
        f"+ the notebook twice + 10 s), full marks; not the {t.limits.notebook_seconds} s per notebook"
        f"{' OVER' if loop_over else ''} |"
    )
    print(f"| the same notebook without the loop | {t.honest_alone_seconds:.0f} s | |")
    print(f"\nThe loop's row: {t.loop_reason}")
    return memory_over or honest_over or loop_over
