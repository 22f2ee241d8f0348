"""w4a1_face_recognition end to end through the real grader (`autograder.grade.grade`), as an instructor runs it.

The instructor notebook gets full marks, the untouched release 0, and every catalogued mistake costs exactly
its function's points. To keep the run short the mistakes are batched: submission k pastes the k-th mistake
of EVERY graded function at once (a function with fewer mistakes keeps its solution), and each function's
column of grades.csv is checked on its own.
"""
import csv
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.course import ASSIGNMENTS
from autograder.grade import grade
from tests.assignment_grading import solution, points_per_test, round_indices
from tests.catalogue import w4a1_face_recognition as catalogue
from tests.catalogue.variants import mistakes_for

pytestmark = pytest.mark.slow
A = "w4a1_face_recognition"
GRADED = ("triplet_loss", "verify", "who_is_it")
MISTAKES = {function: mistakes_for(catalogue, function) for function in GRADED}
BATCHES = max(len(found) for found in MISTAKES.values())


def batch(k: int) -> dict[str, str]:
    """{graded function: name of its k-th mistake}, for the functions that have one."""
    return {function: found[k].name for function, found in MISTAKES.items() if k < len(found)}


def with_mistakes(k: int) -> nbformat.NotebookNode:
    """The instructor notebook with the k-th mistake of every graded function pasted into its solution cell."""
    nb = solution(A)
    for function, variant in ((f, MISTAKES[f][k]) for f in batch(k)):
        matches = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == function]
        assert len(matches) == 1, f"no single solution cell for {function}"
        matches[0].source = variant.source()
    return nb


def put(nb: nbformat.NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("grading_w4a1")
    subs = root / "submissions"
    put(solution(A), subs / "instructor" / f"{A}.ipynb")
    shutil.copytree(ASSIGNMENTS / A, subs / "untouched")
    for k in round_indices(BATCHES):
        put(with_mistakes(k), subs / f"mistakes-{k}" / f"{A}.ipynb")
    rows = grade(A, subs, root / "out", notebook_timeout=600, progress=False)
    with (root / "out" / "grades.csv").open() as fh:
        table = {row["student_id"]: row for row in csv.DictReader(fh)}
    return {"rows": {r.student_id: r for r in rows}, "csv": table, "out": root / "out"}


def test_every_submission_has_one_row(graded):
    assert set(graded["csv"]) == {"instructor", "untouched"} | {f"mistakes-{k}" for k in round_indices(BATCHES)}


def test_instructor_notebook_gets_full_marks(graded):
    row = graded["csv"]["instructor"]
    assert row["status"] == "graded", row["reason"]
    assert float(row["score"]) == float(row["max_score"]) == sum(points_per_test(A).values()), row["reason"]


def test_untouched_release_gets_zero_without_crashing(graded):
    row = graded["csv"]["untouched"]
    assert row["status"] == "graded" and float(row["score"]) == 0
    assert "NotImplementedError" in row["reason"]


@pytest.mark.parametrize("k", round_indices(BATCHES))
def test_each_catalogued_mistake_loses_exactly_its_functions_points(graded, k):
    row = graded["csv"][f"mistakes-{k}"]
    points = points_per_test(A)
    assert row["status"] == "graded", row["reason"]
    lost = {name for name, full in points.items() if float(row[name]) < full}
    assert lost == {f"test_{function}" for function in batch(k)}, (batch(k), row["reason"])
    for function in batch(k):
        assert float(row[f"test_{function}"]) == 0, (function, row["reason"])
    assert float(row["score"]) == sum(points.values()) - sum(points[f"test_{f}"] for f in batch(k))


def test_failure_messages_reach_the_feedback_without_the_hidden_tests(graded):
    html = (graded["out"] / "feedback" / "mistakes-0" / f"{A}.html").read_text()
    assert "AssertionError" in html and "hidden test case" in html
    assert "HIDDEN TESTS" not in html and "autograder" not in html and "hidden_tests" not in html

