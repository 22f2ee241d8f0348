"""`make bench`: time and memory of every assignment's solution notebook, grading, and the book build.

Budgets (2 cores, no GPU) are the issues' targets; a row over budget is marked OVER and the run exits 1.
BENCH_COPIES (default 24) sets how many submissions the grading-throughput table grades three ways, and the Dask
table two ways;
BENCH_ONLY (a comma-separated list of assignment ids) times those assignments only (no book or loader tables);
BENCH_ONLY=similarity times the similarity report alone (300 made-up submissions of w1a1_conv_numpy);
BENCH_ONLY=caps measures the caps per submission alone (two resource attacks at once, an uninterruptible loop);
BENCH_ONLY=phases prints where one submission's grading time goes, phase by phase, for every assignment and quiz
(or those named beside it: BENCH_ONLY=phases,w2a1_resnets);
BENCH_ONLY=throughput grades BENCH_COPIES copies of every assignment (or those named beside it) by stock nbgrader,
one worker and the pool, against issue 20's targets (benchmarks/grading_throughput.py);
BENCH_ONLY=overhead times the coordinator's own cost per submission at 200 and 2,000 fail-fast submissions;
BENCH_ONLY=dask grades BENCH_COPIES copies of w1a1_conv_numpy (or the assignment named beside it) through a local
Dask cluster of two workers and with the local pool of two.
These sections combine (BENCH_ONLY=phases,overhead,dask); a full run (no BENCH_ONLY) measures them all.

The weekly quizzes are timed in the first table against their own budget (a few seconds: plain values, no
TensorFlow); the throughput table compares pools of workers on the assignments' notebooks, whose kernels work
for seconds to minutes, and leaves the quizzes out: a quiz is over before a pool or a sandbox pays off.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.course import REPO, SOLUTIONS, assignment_names
from autograder.quizzes.banks import is_quiz
from benchmarks import (
    coordinator_overhead,
    data_loaders,
    distributed_grading,
    grading_phases,
    grading_throughput,
    resource_attacks,
)
from benchmarks import similarity as similarity_bench

# assignment id -> (seconds to execute the solution notebook, seconds to grade one submission)
BUDGETS = {"w1a1_conv_numpy": (60, 20)}
DEFAULT_BUDGET = (180, 30)
# A quiz's notebook runs, and grades, in a few seconds (grading one submission is a whole grading run: its fixed
# set-up, the gradebook, a worker and the sandbox, is most of it).
QUIZ_BUDGET = (10, 10)


EXECUTED = REPO / "_build" / "bench"  # the executed notebooks, to read the full demos' accuracies from


def run_notebook(path: Path) -> dict:
    """Execute `path` in a fresh process (saving it executed under _build/bench/) and return {"seconds", "peak_mb"}."""
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.execute_notebook", str(path), str(EXECUTED / path.name)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def time_book_builds() -> tuple[float, float]:
    """Return the seconds of a cold build (empty output and execution cache) and of a warm rebuild."""
    with tempfile.TemporaryDirectory() as tmp:
        times = []
        for _ in range(2):
            started = time.perf_counter()
            subprocess.run(
                [
                    str(Path(sys.executable).parent / "jupyter-book"),
                    "build",
                    str(REPO),
                    "--path-output",
                    tmp,
                    "--warningiserror",
                    "--keep-going",
                    "--quiet",
                ],
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - started)
    return times[0], times[1]


# What BENCH_ONLY may name besides assignments.
SECTIONS = ("similarity", "caps", "phases", "throughput", "overhead", "dask")


def bench_only() -> tuple[list[str], list[str]]:
    """Return (the sections, the assignment ids) BENCH_ONLY names, in SECTIONS' and the course's order (an unknown
    name is an error)."""
    names = assignment_names()
    only = [name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()]
    unknown = sorted(set(only) - set(names) - set(SECTIONS))
    if unknown:
        raise SystemExit(
            f"BENCH_ONLY names {', '.join(unknown)}, which are neither assignments nor sections; choose from "
            f"{', '.join(names)} or {', '.join(SECTIONS)}"
        )
    return [name for name in SECTIONS if name in only], [name for name in names if name in only]


def chosen_assignments() -> list[str]:
    """Return the assignments to time: all of them, or those BENCH_ONLY names."""
    return bench_only()[1] or assignment_names()


def time_similarity() -> bool:
    """Print the similarity report's timing table; return whether it is over budget."""
    print(
        f"\nSimilarity report ({similarity_bench.COPIES} made-up submissions of {similarity_bench.ASSIGNMENT}; "
        f"budget {similarity_bench.BUDGET_SECONDS:g} s)\n"
    )
    return similarity_bench.print_table(similarity_bench.measure())


def measure_caps() -> bool:
    """Print the caps' table (issue 16: the machine keeps its memory, a hang costs one cell); return whether it is
    over budget."""
    print("\nCaps per submission (w1a1_conv_numpy at the default limits)\n")
    return resource_attacks.print_table(resource_attacks.measure())


def print_phases(assignments: list[str]) -> bool:
    """Print where one submission's grading time goes, per assignment (no budget: the "before" of issue 20's next
    step); return False."""
    print("\nWhere one submission's grading time goes (the instructor notebook, graded alone by one worker)\n")
    grading_phases.print_table(grading_phases.measure_all(assignments))
    return False


def measure_throughput(assignments: list[str], copies: int) -> bool:
    """Print the scaling table of the assignments (the quizzes left out); return whether a row misses a target."""
    pooled = [name for name in assignments if not is_quiz(name)]
    print(
        f"\nGrading throughput ({copies} copies of each solution; targets: one worker at most "
        f"{grading_throughput.DEFAULT_PER_SUBMISSION_BUDGET:g} s per submission (w1a1 "
        f"{grading_throughput.PER_SUBMISSION_BUDGET['w1a1_conv_numpy']:g} s) and {grading_throughput.STOCK_SPEEDUP}x "
        f"faster than stock nbgrader, the pool {grading_throughput.POOL_SPEEDUP}x one worker)\n"
    )
    return grading_throughput.print_table([grading_throughput.measure(name, copies) for name in pooled])


def measure_overhead() -> bool:
    """Print the coordinator's overhead table; return whether it is over budget."""
    print(
        f"\nCoordinator overhead ({coordinator_overhead.ASSIGNMENT}, fail-fast submissions, "
        f"{' and '.join(f'{n:,}' for n in coordinator_overhead.SIZES)} of each kind)\n"
    )
    return coordinator_overhead.print_table(coordinator_overhead.measure_all())


def compare_dask(assignment: str, copies: int) -> bool:
    """Print the Dask-against-pool row; return whether Dask is over budget."""
    margin = distributed_grading.DASK_MARGIN
    print(f"\nThe distributed path ({copies} copies of {assignment}; budget: Dask within {margin:.0%} of the pool)\n")
    return distributed_grading.print_table(distributed_grading.measure(assignment, copies))


def run_sections(sections: list[str], assignments: list[str]) -> bool:
    """Measure the named sections (for `assignments` where a section takes them); return whether any is over
    budget."""
    copies = int(os.environ.get("BENCH_COPIES", "24"))
    measures = {
        "similarity": time_similarity,
        "caps": measure_caps,
        "phases": lambda: print_phases(assignments or assignment_names()),
        "throughput": lambda: measure_throughput(assignments or assignment_names(), copies),
        "overhead": measure_overhead,
        "dask": lambda: compare_dask(assignments[0] if assignments else distributed_grading.ASSIGNMENT, copies),
    }
    over = False
    for section in sections:
        over |= measures[section]()
    return over


def main() -> int:
    sections, named = bench_only()
    if sections:
        return 1 if run_sections(sections, named) else 0
    over = False
    names = chosen_assignments()
    print("| assignment | solution notebook (s) | peak memory (MB) | grade one submission (s) | budget (s) |")
    print("|---|---|---|---|---|")
    for name in names:
        run_budget, grade_budget = QUIZ_BUDGET if is_quiz(name) else BUDGETS.get(name, DEFAULT_BUDGET)
        run = run_notebook(SOLUTIONS / name / f"{name}.ipynb")
        graded, _ = grading_throughput.time_course_grader(name, copies=1, workers=1)
        flags = [run["seconds"] > run_budget, graded > grade_budget]
        over |= any(flags)
        mark = " OVER" if any(flags) else ""
        print(
            f"| {name} | {run['seconds']:.1f} | {run['peak_mb']:.0f} | {graded:.1f} | "
            f"{run_budget} / {grade_budget}{mark} |",
            flush=True,
        )
    print(f"\nThe executed notebooks (full demos, with their accuracies) are in {EXECUTED.relative_to(REPO)}/.")
    over |= measure_throughput(names, int(os.environ.get("BENCH_COPIES", "24")))
    if similarity_bench.ASSIGNMENT in names:
        over |= time_similarity()
    if os.environ.get("BENCH_ONLY"):  # one issue's rows: the book, the loaders and the caps are measured in a full run
        return 1 if over else 0
    over |= run_sections(["caps", "phases", "overhead", "dask"], [])
    cold, warm = time_book_builds()
    print(f"\n| book build | cold (s) | warm (s) |\n|---|---|---|\n| jupyter-book | {cold:.1f} | {warm:.1f} |")
    print("\n| data loader | empty cache (s) | warm cache (s) |\n|---|---|---|")
    for name, cold_s, warm_s in data_loaders.measure_loaders():
        over |= cold_s > 10
        print(f"| {name} | {cold_s:.2f}{' OVER' if cold_s > 10 else ''} | {warm_s:.3f} |", flush=True)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
