"""Grade an assignment's catalogue through the real grader, the way an instructor runs it (for the slow tests).

One batch holds the instructor notebook, the untouched release, and one submission per "round" of the
mistake catalogue: round k pastes the k-th mistake of EVERY graded function into its solution cell at
once. Since one mistake costs only its own function's points (the hidden tests are isolated), each
round checks every function's column, and the batch stays small however long the catalogue is.

`make test` grades the first and the last round (every function's first mistake, and the late mistakes of
the longest catalogues), to keep the suite within its time; each mistake's message is checked without a
kernel by tests/assignments/<assignment>/test_hidden_tests.py. `make test-catalogue` (CNNBOOK_CATALOGUE_ROUNDS=all)
grades every round.
"""

import csv
import os
import shutil
from pathlib import Path

import nbformat

from autograder.course import ASSIGNMENTS, SOLUTIONS
from autograder.grade.coordinator import grade
from tests.support.variants import alternatives_for, mistakes_for

__all__ = [
    "solution",
    "with_cells",
    "points_per_test",
    "mistake_rounds",
    "alternative_rounds",
    "round_indices",
    "grade_catalogue",
    "failure_message",
]


def solution(assignment: str) -> nbformat.NotebookNode:
    """Return the instructor notebook of `assignment`."""
    return nbformat.read(SOLUTIONS / assignment / f"{assignment}.ipynb", as_version=4)


def with_cells(assignment: str, sources: dict[str, str]) -> nbformat.NotebookNode:
    """Return the instructor notebook with the solution cell of each function in `sources` replaced by its source."""
    nb = solution(assignment)
    for function, source in sources.items():
        matches = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == function]
        assert len(matches) == 1, f"no single solution cell for {function}"
        matches[0].source = source
    return nb


def points_per_test(assignment: str) -> dict[str, float]:
    """Return {test cell grade_id: points} of the instructor notebook, in notebook order."""
    meta = [c.metadata.get("nbgrader", {}) for c in solution(assignment).cells]
    return {m["grade_id"]: float(m["points"]) for m in meta if m.get("grade") and not m.get("solution")}


def mistake_rounds(catalogue) -> list[dict]:
    """Return the rounds of mistakes: round k maps each function with a k-th mistake to that mistake (a Variant)."""
    by_function: dict[str, list] = {}
    for variant in mistakes_for(catalogue):
        by_function.setdefault(variant.function, []).append(variant)
    n_rounds = max((len(v) for v in by_function.values()), default=0)
    return [{f: vs[k] for f, vs in by_function.items() if k < len(vs)} for k in range(n_rounds)]


def round_indices(n_rounds: int) -> list[int]:
    """Return the indices of the mistake rounds to grade: all with CNNBOOK_CATALOGUE_ROUNDS=all, else the first and
    last."""
    if os.environ.get("CNNBOOK_CATALOGUE_ROUNDS", "").lower() == "all" or n_rounds <= 2:
        return list(range(n_rounds))
    return [0, n_rounds - 1]


def alternative_rounds(catalogue, count: int) -> list[dict]:
    """Return `count` rounds of correct alternatives: round k maps each function to its k-th alternative (or its
    last)."""
    by_function: dict[str, list] = {}
    for variant in alternatives_for(catalogue):
        by_function.setdefault(variant.function, []).append(variant)
    return [{f: vs[min(k, len(vs) - 1)] for f, vs in by_function.items()} for k in range(count)]


def grade_catalogue(
    assignment: str, catalogue, root: Path, extra: dict | None = None, alternatives: int = 0, **options
) -> dict:
    """Grade the instructor notebook, the untouched release, the mistake rounds chosen by round_indices,
    `alternatives` rounds of correct alternatives and `extra` submissions, in one batch.

    extra: {student id: notebook} of further submissions. Returns {"csv": {student: row}, "rounds": {k: round k}
    for the rounds graded, "alternatives": {k: round k}, "rows": {student: Row}, "out": the output folder}.
    """
    subs = root / "submissions"
    notebooks = {"instructor": solution(assignment)}
    every_round = mistake_rounds(catalogue)
    rounds = {k: every_round[k] for k in round_indices(len(every_round))}
    for k, chosen in rounds.items():
        notebooks[f"round-{k}"] = with_cells(assignment, {f: v.source() for f, v in chosen.items()})
    correct = dict(enumerate(alternative_rounds(catalogue, alternatives)))
    for k, chosen in correct.items():
        notebooks[f"alternatives-{k}"] = with_cells(assignment, {f: v.source() for f, v in chosen.items()})
    notebooks.update(extra or {})
    for student, nb in notebooks.items():
        (subs / student).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, subs / student / f"{assignment}.ipynb")
    shutil.copytree(ASSIGNMENTS / assignment, subs / "untouched")
    rows = grade(assignment, subs, root / "out", progress=False, **options)
    with (root / "out" / "grades.csv").open() as fh:
        table = {row["student_id"]: row for row in csv.DictReader(fh)}
    return {
        "csv": table,
        "rounds": rounds,
        "alternatives": correct,
        "rows": {r.student_id: r for r in rows},
        "out": root / "out",
    }


def failure_message(failure: str) -> str:
    """Return the message of a row's failure ("test_x: AssertionError: message") as the feedback page words it: a
    hidden test's verdict without its exception's name, any other error with it."""
    return failure.split(": ", 1)[1].removeprefix("AssertionError: ")
