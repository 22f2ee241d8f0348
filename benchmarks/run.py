"""`make bench`: time and memory of every assignment's solution notebook, grading, and the book build.

Budgets (2 cores, no GPU) are the issues' targets; a row over budget is marked OVER and the run exits 1.
BENCH_COPIES (default 24) sets how many submissions the grading-throughput table grades three ways;
BENCH_ONLY (a comma-separated list of assignment ids) times those assignments only (no book or loader tables);
BENCH_ONLY=similarity times the similarity report alone (300 made-up submissions of w1a1_conv_numpy);
BENCH_ONLY=caps measures the caps per submission alone (two resource attacks at once, an uninterruptible loop).

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
from benchmarks import data_loaders, grading_throughput, resource_attacks
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


def chosen_assignments() -> list[str]:
    """Return the assignments to time: all of them, or those BENCH_ONLY names (an unknown name is an error)."""
    names = assignment_names()
    only = [name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()]
    unknown = sorted(set(only) - set(names))
    if unknown:
        raise SystemExit(
            f"BENCH_ONLY names {', '.join(unknown)}, which are not assignments; choose from {', '.join(names)}"
        )
    return [name for name in names if name in only] if only else names


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


def main() -> int:
    if os.environ.get("BENCH_ONLY", "").strip() == "similarity":
        return 1 if time_similarity() else 0
    if os.environ.get("BENCH_ONLY", "").strip() == "caps":
        return 1 if measure_caps() else 0
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
    copies = int(os.environ.get("BENCH_COPIES", "24"))
    pooled = [name for name in names if not is_quiz(name)]
    if pooled:
        print(
            f"\nGrading throughput ({copies} copies of each solution; budget: the pool at least 1.8x one worker, "
            f"and faster than stock nbgrader)\n"
        )
    results = [grading_throughput.measure(name, copies) for name in pooled]
    if results:
        grading_throughput.print_table(results)
    over |= any(r.speedup_over_one_worker < 1.8 or r.speedup_over_stock <= 1 for r in results)
    if similarity_bench.ASSIGNMENT in names:
        over |= time_similarity()
    if os.environ.get("BENCH_ONLY"):  # one issue's rows: the book, the loaders and the caps are measured in a full run
        return 1 if over else 0
    over |= measure_caps()
    cold, warm = time_book_builds()
    print(f"\n| book build | cold (s) | warm (s) |\n|---|---|---|\n| jupyter-book | {cold:.1f} | {warm:.1f} |")
    print("\n| data loader | empty cache (s) | warm cache (s) |\n|---|---|---|")
    for name, cold_s, warm_s in data_loaders.measure_loaders():
        over |= cold_s > 10
        print(f"| {name} | {cold_s:.2f}{' OVER' if cold_s > 10 else ''} | {warm_s:.3f} |", flush=True)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
