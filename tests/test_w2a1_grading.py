"""End to end for w2a1_resnets: submissions through the real grader (`autograder.grade.grade`), as an instructor runs it.

To keep the run short, the catalogue is batched: submission k pastes the k-th mistake of EVERY graded
function at once (a function with fewer mistakes keeps its right solution), and each function's column of
grades.csv must show exactly that function's loss. The stand-in blocks make this possible: ResNet50's
grade does not depend on the (broken) blocks of the same submission.
"""
import csv
from pathlib import Path

import nbformat
import pytest

from autograder.course import ASSIGNMENTS
from autograder.grade import grade
from tests.assignment_grading import solution, points_per_test, with_cells, round_indices
from tests.catalogue import w2a1_resnets as catalogue
from tests.catalogue.variants import alternatives_for, mistakes_for

pytestmark = pytest.mark.slow
A = "w2a1_resnets"
GRADED = ("identity_block", "convolutional_block", "ResNet50")
BATCHES = max(len(mistakes_for(catalogue, f)) for f in GRADED)


def mistake_batch(k: int) -> dict[str, str]:
    """The k-th mistake of every graded function that has one: {function: source}."""
    batch = {}
    for function in GRADED:
        wrong = mistakes_for(catalogue, function)
        if k < len(wrong):
            batch[function] = wrong[k].source()
    return batch


def put(nb: nbformat.NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("grading")
    subs = root / "submissions"
    put(solution(A), subs / "instructor" / f"{A}.ipynb")
    put(nbformat.read(ASSIGNMENTS / A / f"{A}.ipynb", as_version=4), subs / "untouched" / f"{A}.ipynb")
    for k in round_indices(BATCHES):
        put(with_cells(A, mistake_batch(k)), subs / f"mistakes-{k}" / f"{A}.ipynb")
    for k in range(2):
        put(with_cells(A, {f: alternatives_for(catalogue, f)[k].source() for f in GRADED}), subs / f"alternatives-{k}" / f"{A}.ipynb")
    rows = grade(A, subs, root / "out", notebook_timeout=900, progress=False)
    for row in rows:   # shown with pytest -s: the grading time of each submission
        print(f"{row.student_id}: {row.status}, {row.score} points, {row.seconds:.0f} s")
    with (root / "out" / "grades.csv").open() as fh:
        table = {row["student_id"]: row for row in csv.DictReader(fh)}
    return {"rows": {r.student_id: r for r in rows}, "csv": table, "out": root / "out"}


def test_instructor_notebook_gets_full_marks(graded):
    row = graded["csv"]["instructor"]
    assert row["status"] == "graded", row["reason"]
    assert float(row["score"]) == float(row["max_score"]) == sum(points_per_test(A).values()) == 10


def test_untouched_release_gets_zero(graded):
    row = graded["csv"]["untouched"]
    assert row["status"] == "graded" and float(row["score"]) == 0, row["reason"]
    assert "NotImplementedError" in row["reason"]


@pytest.mark.parametrize("k", range(2))
def test_alternatives_get_full_marks(graded, k):
    row = graded["csv"][f"alternatives-{k}"]
    assert row["status"] == "graded" and float(row["score"]) == 10, row["reason"]


@pytest.mark.parametrize("k", round_indices(BATCHES))
def test_each_batch_of_mistakes_costs_exactly_its_functions_points(graded, k):
    row = graded["csv"][f"mistakes-{k}"]
    points = points_per_test(A)
    assert row["status"] == "graded", row["reason"]
    lost = {name for name, full in points.items() if float(row[name]) < full}
    assert lost == {f"test_{f}" for f in mistake_batch(k)}, row["reason"]
    assert all(float(row[name]) == 0 for name in lost), row
    assert float(row["score"]) == sum(points.values()) - sum(points[name] for name in lost)


def test_feedback_shows_messages_but_no_hidden_tests(graded):
    html = (graded["out"] / "feedback" / "mistakes-0" / f"{A}.html").read_text()
    assert "identity_block" in html and "HIDDEN TESTS" not in html and "autograder" not in html
