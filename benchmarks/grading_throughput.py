"""Grading throughput: N copies of an assignment's solution, by stock `nbgrader autograde` and by the course's grader.

Stock nbgrader grades serially in one process, with the kernel unsandboxed and the hidden tests judged
inside it; the course's grader runs sandboxed kernels in a pool of workers (one, then one per core), each worker
starting its next submission's kernel ahead (autograder.grade.spare_kernel).

Issue 20's targets, per assignment: one worker grades a submission in at most PER_SUBMISSION_BUDGET seconds (its run
divided by the copies) and at least STOCK_SPEEDUP times faster than stock nbgrader on the same notebooks; the pool
of one worker per core (two here) is at least POOL_SPEEDUP times one worker.
"""

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.course import SOLUTIONS, nbgrader_command, nbgrader_env
from autograder.grade.coordinator import grade

PER_SUBMISSION_BUDGET = {"w1a1_conv_numpy": 5.0}  # seconds; NumPy only
DEFAULT_PER_SUBMISSION_BUDGET = 10.0  # seconds: the TensorFlow assignments
STOCK_SPEEDUP = 2.5
POOL_SPEEDUP = 1.85


@dataclass
class Throughput:
    assignment: str
    copies: int
    stock_seconds: float
    one_worker_seconds: float
    pool_seconds: float
    workers: int
    peak_kernel_mb: float

    @property
    def speedup_over_one_worker(self) -> float:
        return self.one_worker_seconds / self.pool_seconds

    @property
    def speedup_over_stock(self) -> float:
        """Stock nbgrader against one worker of the course's grader: one submission at a time each."""
        return self.stock_seconds / self.one_worker_seconds

    @property
    def per_submission(self) -> float:
        """One worker's seconds per submission."""
        return self.one_worker_seconds / self.copies

    @property
    def budget(self) -> float:
        return PER_SUBMISSION_BUDGET.get(self.assignment, DEFAULT_PER_SUBMISSION_BUDGET)

    @property
    def over(self) -> list[str]:
        """The targets this row misses, in words (none: within every target)."""
        missed = []
        if self.per_submission > self.budget:
            missed.append(f"over {self.budget:g} s per submission")
        if self.speedup_over_stock < STOCK_SPEEDUP:
            missed.append(f"under {STOCK_SPEEDUP}x stock")
        if self.speedup_over_one_worker < POOL_SPEEDUP:
            missed.append(f"pool under {POOL_SPEEDUP}x one worker")
        return missed


def make_copies(folder: Path, assignment: str, copies: int, nested: bool) -> None:
    """Write `copies` student folders holding the instructor notebook: in <student>/<assignment>/ when `nested`
    (nbgrader's submitted layout), else in <student>/ (the course's intake)."""
    for k in range(copies):
        target = folder / f"student{k:03d}" / (assignment if nested else "")
        target.mkdir(parents=True)
        shutil.copy(SOLUTIONS / assignment / f"{assignment}.ipynb", target / f"{assignment}.ipynb")


def time_stock_nbgrader(assignment: str, copies: int) -> float:
    """Return the seconds `nbgrader autograde` takes for `copies` submissions (one command, as instructors run it)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_copies(tmp / "submitted", assignment, copies, nested=True)
        flags = [
            f"--CourseDirectory.submitted_directory={tmp / 'submitted'}",
            f"--CourseDirectory.autograded_directory={tmp / 'autograded'}",
            f"--CourseDirectory.release_directory={tmp / 'release'}",
            f"--CourseDirectory.db_url=sqlite:///{tmp / 'gradebook.db'}",
        ]
        subprocess.run(
            nbgrader_command("generate_assignment", assignment, "--force", *flags),
            check=True,
            capture_output=True,
            env=nbgrader_env(),
        )
        started = time.perf_counter()
        subprocess.run(
            nbgrader_command("autograde", assignment, "--force", *flags),
            check=True,
            capture_output=True,
            env=nbgrader_env({"MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "3"}),
        )
        return time.perf_counter() - started


def time_course_grader(assignment: str, copies: int, workers: int) -> tuple[float, float]:
    """Return (seconds, peak kernel memory in MB) of the course's grader on `copies` submissions."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_copies(tmp / "subs", assignment, copies, nested=False)
        started = time.perf_counter()
        rows = grade(assignment, tmp / "subs", tmp / "out", workers=workers, progress=False)
        seconds = time.perf_counter() - started
        if any(r.status != "graded" for r in rows):
            raise RuntimeError(f"grading the {assignment} solution failed: {rows[0].reason}")
        peaks = [json.loads(p.read_text())["peak_mb"] for p in (tmp / "out" / ".nbgrader" / "results").glob("*.json")]
        return seconds, max(peaks)


def measure(assignment: str, copies: int = 24) -> Throughput:
    """Grade `copies` copies three ways and return the timings."""
    workers = os.cpu_count() or 1
    stock = time_stock_nbgrader(assignment, copies)
    one, _ = time_course_grader(assignment, copies, workers=1)
    pool, peak = time_course_grader(assignment, copies, workers=workers)
    return Throughput(assignment, copies, stock, one, pool, workers, peak)


def print_table(results: list[Throughput]) -> bool:
    """Print the scaling table; return whether any row misses a target (marked OVER)."""
    print(
        "| assignment | copies | stock nbgrader (s) | course grader, 1 worker (s) | 1 worker per submission (s) | "
        "1 worker vs stock | pool (s) | pool vs 1 worker | peak kernel memory (MB) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        mark = f" OVER: {', '.join(r.over)}" if r.over else ""
        print(
            f"| {r.assignment} | {r.copies} | {r.stock_seconds:.1f} ({r.copies / r.stock_seconds * 60:.0f}/min) | "
            f"{r.one_worker_seconds:.1f} ({r.copies / r.one_worker_seconds * 60:.0f}/min) | "
            f"{r.per_submission:.2f} (budget {r.budget:g}) | {r.speedup_over_stock:.2f}x | "
            f"{r.pool_seconds:.1f} with {r.workers} ({r.copies / r.pool_seconds * 60:.0f}/min) | "
            f"{r.speedup_over_one_worker:.2f}x | {r.peak_kernel_mb:.0f}{mark} |",
            flush=True,
        )
    return any(r.over for r in results)
