"""`make bench`: the coordinator's own cost per submission as the class grows, at 200 and 2,000 submissions (issue 20:
under 50 ms per submission at 2,000, and no more per submission at 2,000 than at 200).

The class is made of submissions that fail fast, so the run is the grader's bookkeeping rather than kernels:

- "not JSON": a damaged file, turned away at intake. The run is the coordinator alone: intake, each student's
  zeros in the gradebook, grades.csv and the class report (and the pool of workers started and stopped unused).
- "newer metadata": the released notebook with one cell's nbgrader metadata in a newer schema than this nbgrader's
  (what a newer nbgrader would write), turned away by the worker's sanitizing before any kernel starts. The run
  goes the whole way of a graded submission but the kernel: the pool, the saved result, the outcome recorded.
  The workers' nbgrader steps (about 0.2 s of CPU a notebook) keep both cores busy meanwhile, so this run's wall
  time is the workers', and the coordinator's own wall time says as much about how it shared the cores as about
  its work.

The budget holds, per kind, the coordinator's own cost per submission: its wall time less its waiting for the
workers for "not JSON" (it runs alone), its CPU time (all its threads, not the workers) for "newer metadata".
Under BUDGET_MS at 2,000, and "flat": at 2,000 at most FLAT_MARGIN (10 %) more than at 200, which leaves room
for the machine's noise and none for a cost that grows with the class (a query per row that reads every row, the
CSV written per row, every saved result read again: each would double it or more). The similarity report is off:
comparing every pair of students grows with the square of the class by nature and has its own bench
(BENCH_ONLY=similarity). Each run is timed through the real autograder.grade.coordinator.grade().

    python -m benchmarks.coordinator_overhead [SIZE ...]    (default: 200 2000)
"""

import json
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import ASSIGNMENTS
from autograder.grade.coordinator import grade

ASSIGNMENT = "w1a1_conv_numpy"
SIZES = (200, 2000)
BUDGET_MS = 50.0  # the coordinator's own cost per submission at the largest size
FLAT_MARGIN = 0.10
KINDS = ("not JSON", "newer metadata")
CHARGED_BY_CPU = {"newer metadata"}  # the kinds whose budget holds the coordinator's CPU time (see the docstring)
DAMAGED = '{"cells": [{"cell_type": "code", '  # a notebook cut short, as a failed upload leaves it


@dataclass
class Overhead:
    """One timed run: `submissions` fail-fast submissions of one kind."""

    kind: str
    submissions: int
    seconds: float  # grade()'s wall time
    phases: dict[str, float]  # the coordinator's steps (grade's timings)
    statuses: Counter = field(default_factory=Counter)  # status -> rows, from grades.csv's rows
    cpu_seconds: float = 0.0  # the coordinator process's CPU time during grade() (its threads, not its workers)

    @property
    def rows(self) -> int:
        return sum(self.statuses.values())

    @property
    def per_submission_ms(self) -> float:
        return 1000 * self.seconds / self.submissions

    @property
    def own_ms(self) -> float:
        """The coordinator's own time per submission: the wall time less its waiting for the workers."""
        return 1000 * (self.seconds - self.phases.get("waiting", 0.0)) / self.submissions

    @property
    def cpu_ms(self) -> float:
        """The coordinator's CPU time per submission."""
        return 1000 * self.cpu_seconds / self.submissions

    @property
    def charged_ms(self) -> float:
        """The cost per submission the budget holds: cpu_ms or own_ms, by kind (see the module's docstring)."""
        return self.cpu_ms if self.kind in CHARGED_BY_CPU else self.own_ms

    @property
    def per_row_ms(self) -> float:
        """The steps repeated per submission alone (intake, recording, zeros), per submission."""
        repeated = sum(self.phases.get(name, 0.0) for name in ("intake", "recording", "zero_grades"))
        return 1000 * repeated / self.submissions


def newer_metadata_notebook(assignment: str = ASSIGNMENT) -> str:
    """Return the released notebook with its first solution cell's nbgrader metadata in a newer schema, as JSON."""
    nb = json.loads((ASSIGNMENTS / assignment / f"{assignment}.ipynb").read_text())
    cell = next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    cell["metadata"]["nbgrader"]["schema_version"] = 99
    return json.dumps(nb)


def make_class(
    folder: Path, kind: str, submissions: int, assignment: str = ASSIGNMENT, prefix: str = "student"
) -> None:
    """Write `submissions` student folders (`prefix` and a number), each with one notebook of `kind` (see the
    module's docstring)."""
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not a kind of fail-fast submission; choose from {', '.join(KINDS)}")
    text = DAMAGED if kind == "not JSON" else newer_metadata_notebook(assignment)
    for k in range(submissions):
        student = folder / f"{prefix}{k:05d}"
        student.mkdir(parents=True)
        (student / f"{assignment}.ipynb").write_text(text)


def measure(kind: str, submissions: int, assignment: str = ASSIGNMENT) -> Overhead:
    """Grade `submissions` fail-fast submissions of `kind` in a fresh output folder and return the timing."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_class(tmp / "subs", kind, submissions, assignment)
        timings: dict[str, float] = {}
        cpu, started = cpu_time(), time.perf_counter()
        rows = grade(assignment, tmp / "subs", tmp / "out", progress=False, similarity=False, timings=timings)
        seconds, cpu = time.perf_counter() - started, cpu_time() - cpu
        return Overhead(kind, submissions, seconds, timings, Counter(row.status for row in rows), cpu)


def cpu_time() -> float:
    """Return the CPU seconds this process (all its threads, none of its children) has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def flat(small: Overhead, large: Overhead) -> bool:
    """Return whether the coordinator's cost per submission did not grow from `small` to `large` (FLAT_MARGIN)."""
    return large.charged_ms <= small.charged_ms * (1 + FLAT_MARGIN)


def over_budget(runs: list[Overhead]) -> list[str]:
    """Return what is over budget in `runs` (per kind: the largest class over BUDGET_MS, or a cost that grew), in
    words."""
    problems = []
    for kind in dict.fromkeys(run.kind for run in runs):
        ordered = sorted((run for run in runs if run.kind == kind), key=lambda run: run.submissions)
        smallest, largest = ordered[0], ordered[-1]
        if largest.charged_ms > BUDGET_MS:
            problems.append(f"{kind}: {largest.charged_ms:.1f} ms per submission at {largest.submissions}")
        if len(ordered) > 1 and not flat(smallest, largest):
            problems.append(
                f"{kind}: {largest.charged_ms:.1f} ms per submission at {largest.submissions}, more than "
                f"{smallest.charged_ms:.1f} ms at {smallest.submissions} plus {FLAT_MARGIN:.0%}"
            )
        missing = [run for run in ordered if run.rows != run.submissions]
        problems += [f"{kind}: {run.rows} rows for {run.submissions} submissions" for run in missing]
    return problems


def print_table(runs: list[Overhead]) -> bool:
    """Print one row per run and what is over budget; return whether anything is."""
    print(
        "| fail-fast kind | submissions | wall (s) | per submission (ms) | coordinator's own, wall (ms) | "
        "coordinator's CPU (ms) | repeated steps, wall (ms) | intake / recording / zeros / CSV / report (s) | "
        "statuses |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        steps = " / ".join(
            f"{run.phases.get(name, 0.0):.1f}" for name in ("intake", "recording", "zero_grades", "csv", "report")
        )
        statuses = ", ".join(f"{n} {status}" for status, n in sorted(run.statuses.items()))
        by_cpu = run.kind in CHARGED_BY_CPU  # the budget's measure is starred
        print(
            f"| {run.kind} | {run.submissions} | {run.seconds:.1f} | {run.per_submission_ms:.1f} | "
            f"{run.own_ms:.1f}{'' if by_cpu else '*'} | {run.cpu_ms:.1f}{'*' if by_cpu else ''} | "
            f"{run.per_row_ms:.1f} | {steps} | {statuses} |",
            flush=True,
        )
    problems = over_budget(runs)
    print(
        f"\nBudget (the starred figures): the coordinator's own cost under {BUDGET_MS:g} ms per submission at the "
        f"largest class, and at most {FLAT_MARGIN:.0%} more per submission than at the smallest. "
        + ("OVER: " + "; ".join(problems) if problems else "Within budget."),
        flush=True,
    )
    return bool(problems)


def measure_all(sizes=SIZES, kinds=KINDS) -> list[Overhead]:
    """Time every kind at every size, printing nothing."""
    return [measure(kind, size) for kind in kinds for size in sizes]


if __name__ == "__main__":
    chosen = tuple(int(arg) for arg in sys.argv[1:]) or SIZES
    sys.exit(1 if print_table(measure_all(chosen)) else 0)
