"""`make bench`: where one submission's grading time goes, phase by phase, per assignment (issue 20's "before" for
kernels started ahead).

Each assignment's instructor notebook is graded COPIES times by one worker, through the real grader. The worker's
column is the last submission's phases (from its saved result: Outcome.phases, autograder.grade.phase_timing):
a submission in the steady state of a class, whose kernel the worker started, and which did the course's imports,
while it graded the one before (autograder.grade.spare_kernel), and whose hidden tests' cases were drawn for the
first. The coordinator's rows are its steps of the whole run (grade()'s timings) divided by COPIES, its share
per submission; "in all" is the run's wall time divided by COPIES.

    python -m benchmarks.grading_phases [ASSIGNMENT ...]    (default: every assignment and quiz)
"""

import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.course import SOLUTIONS, assignment_names
from autograder.grade.coordinator import grade

COPIES = 3  # the submissions graded per assignment: the last is in the steady state

# The rows of the table: the worker's phases (phase_timing.WORKER_PHASES) in their order, in words.
WORKER_ROWS = {
    "sanitize": "sanitize (nbgrader's steps)",
    "prepare": "prepare the data and the working folder",
    "next_kernel": "launch the next submission's kernel",
    "kernel_start": "start the sandboxed kernel until it answers",
    "imports": "the course's imports (first cells)",
    "given_cells": "the notebook's own cells (data, figures, demos)",
    "student_cells": "the student's cells",
    "test_cells": "the test cells (visible checks, hidden part)",
    "cases_wait": "waiting for the hidden tests' cases",
    "kernel_rest": "the kernel's messages between cells, runs again",
    "kernel_stop": "stop the kernel and its cgroup",
    "judging": "judge the hidden tests",
    "gradebook": "the worker's gradebook",
    "feedback": "render the feedback page",
    "other": "the rest of the worker",
}
# The coordinator's steps (phase_timing.COORDINATOR_PHASES), grouped: the recording of the outcome (its gradebook and
# files), the CSV and the report, and the start (the workers, the source gradebook, intake); its waiting is the
# worker's time above.
COORDINATOR_ROWS = {
    "recording": ("record the outcome (gradebook, notebook, feedback)", ("recording", "zero_grades")),
    "csv": ("grades.csv and the class report", ("csv", "report", "similarity")),
    "start": ("start the run (workers, source gradebook, intake)", ("intake", "workers_start", "source_gradebook")),
}


@dataclass
class Phases:
    """Where one submission's grading time went."""

    assignment: str
    seconds: float  # grade()'s wall time
    worker_seconds: float  # the outcome's own total
    worker: dict[str, float]  # the worker's phases
    coordinator: dict[str, float]  # the coordinator's steps

    def coordinator_row(self, key: str) -> float:
        """Return the seconds of one of COORDINATOR_ROWS."""
        return sum(self.coordinator.get(name, 0.0) for name in COORDINATOR_ROWS[key][1])

    @property
    def coordinator_rest(self) -> float:
        """What grade() took beyond the worker's total and the named steps (waiting for the worker to start, its
        result on its way back, the pool stopping)."""
        named = sum(self.coordinator_row(key) for key in COORDINATOR_ROWS)
        return max(self.seconds - self.worker_seconds - named, 0.0)


def measure(assignment: str, copies: int = COPIES) -> Phases:
    """Grade `copies` copies of the instructor notebook of `assignment` with one worker and return the phases (see
    the module's docstring)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for k in range(copies):
            folder = tmp / "subs" / f"student{k}"
            folder.mkdir(parents=True)
            shutil.copy(SOLUTIONS / assignment / f"{assignment}.ipynb", folder / f"{assignment}.ipynb")
        timings: dict[str, float] = {}
        started = time.perf_counter()
        rows = grade(assignment, tmp / "subs", tmp / "out", workers=1, progress=False, timings=timings)
        seconds = time.perf_counter() - started
        if any(row.status != "graded" for row in rows):
            raise RuntimeError(f"grading the {assignment} solution failed: {rows[0].reason}")
        # One worker grades them in turn, and each is saved as it arrives: the newest file is the last graded.
        newest = max((tmp / "out" / ".nbgrader" / "results").glob("*.json"), key=lambda path: path.stat().st_mtime_ns)
        last = json.loads(newest.read_text())
    share = {name: value / copies for name, value in timings.items()}
    return Phases(assignment, seconds / copies, last["seconds"], last["phases"], share)


def short_name(assignment: str) -> str:
    """Return the column name of an assignment: its week and number (w2a1_resnets -> w2a1, w2_quiz -> w2 quiz)."""
    week_and_number, _, rest = assignment.partition("_")
    return f"{week_and_number} quiz" if rest == "quiz" else week_and_number


def print_table(results: list[Phases]) -> None:
    """Print the phases as rows and the assignments as columns, in seconds."""
    print("| phase (s) | " + " | ".join(short_name(r.assignment) for r in results) + " |")
    print("|---|" + "---|" * len(results))

    def row(label: str, values) -> None:
        print(f"| {label} | " + " | ".join(f"{value:.2f}" for value in values) + " |")

    for key, label in WORKER_ROWS.items():
        row(label, [r.worker.get(key, 0.0) for r in results])
    row("**the worker, in all**", [r.worker_seconds for r in results])
    for key, (label, _) in COORDINATOR_ROWS.items():
        row(f"coordinator: {label}", [r.coordinator_row(key) for r in results])
    row("coordinator: the rest", [r.coordinator_rest for r in results])
    row("**grading one submission, in all**", [r.seconds for r in results])
    sys.stdout.flush()


def measure_all(assignments: list[str]) -> list[Phases]:
    """Measure each assignment in turn."""
    return [measure(assignment) for assignment in assignments]


if __name__ == "__main__":
    chosen = sys.argv[1:] or assignment_names()
    print_table(measure_all(chosen))
