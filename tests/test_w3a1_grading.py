"""w3a1_yolo end to end through `autograder.grade.grade`, as an instructor runs it: sandboxed kernels, TensorFlow.

Batched to keep the run short: submission k pastes the k-th catalogued mistake of EVERY graded function at
once (a function with fewer mistakes keeps its solution), and each function's column of grades.csv must show
exactly its own loss. One more submission pastes an alternative of each function, one breaks only the two helpers of
yolo_eval (whose points must survive: the oracles' keys must match what the real kernel passes).
"""
import csv
import shutil

import nbformat
import pytest

from autograder.course import ASSIGNMENTS
from autograder.grade import grade
from tests.assignment_grading import solution, points_per_test, with_cells, round_indices
from tests.catalogue import w3a1_yolo as catalogue
from tests.catalogue.variants import alternatives_for, mistakes_for

pytestmark = pytest.mark.slow
A = "w3a1_yolo"
GRADED = ("yolo_filter_boxes", "iou", "yolo_non_max_suppression", "yolo_eval")
MISTAKES = {f: mistakes_for(catalogue, f) for f in GRADED}
ALTERNATIVES = {f: alternatives_for(catalogue, f) for f in GRADED}
MISTAKE_BATCHES = max(len(v) for v in MISTAKES.values())
ALTERNATIVE_BATCHES = 1  # the in-process tests run every alternative through the same probe and adapter


def put(nb: nbformat.NotebookNode, folder) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{A}.ipynb")


def mistake_batch(k: int) -> dict[str, object]:
    """The k-th mistake of every function that has one: {function: variant}."""
    return {f: v[k] for f, v in MISTAKES.items() if k < len(v)}


def helpers_broken() -> dict[str, str]:
    """Mistakes in yolo_filter_boxes and yolo_non_max_suppression only; yolo_eval in another tabled order."""
    scale_at_the_end = next(v for v in ALTERNATIVES["yolo_eval"] if v.name == "scale_at_the_end")
    return {"yolo_filter_boxes": MISTAKES["yolo_filter_boxes"][-1].source(),
            "yolo_non_max_suppression": MISTAKES["yolo_non_max_suppression"][-1].source(),
            "yolo_eval": scale_at_the_end.source()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("grading")
    subs = root / "submissions"
    put(solution(A), subs / "instructor")
    shutil.copytree(ASSIGNMENTS / A, subs / "untouched")
    for k in round_indices(MISTAKE_BATCHES):
        put(with_cells(A, {f: v.source() for f, v in mistake_batch(k).items()}), subs / f"mistakes-{k}")
    for k in range(ALTERNATIVE_BATCHES):
        put(with_cells(A, {f: v[k].source() for f, v in ALTERNATIVES.items()}), subs / f"alternatives-{k}")
    put(with_cells(A, helpers_broken()), subs / "helpers-broken")
    grade(A, subs, root / "out", notebook_timeout=600, progress=False)
    with (root / "out" / "grades.csv").open() as fh:
        return {row["student_id"]: row for row in csv.DictReader(fh)}


def test_instructor_notebook_gets_full_marks(graded):
    row = graded["instructor"]
    assert row["status"] == "graded", row["reason"]
    assert float(row["score"]) == float(row["max_score"]) == sum(points_per_test(A).values()) == 9


def test_untouched_release_gets_zero(graded):
    row = graded["untouched"]
    assert row["status"] == "graded" and float(row["score"]) == 0, row["reason"]
    assert "NotImplementedError" in row["reason"]


@pytest.mark.parametrize("k", round_indices(MISTAKE_BATCHES))
def test_each_mistake_costs_exactly_its_functions_points(graded, k):
    row = graded[f"mistakes-{k}"]
    assert row["status"] == "graded", row["reason"]
    points = points_per_test(A)
    broken = {f"test_{f}" for f in mistake_batch(k)}
    lost = {name for name, full in points.items() if float(row[name]) < full}
    assert lost == broken, (k, {f: v.name for f, v in mistake_batch(k).items()}, row["reason"])
    assert all(float(row[name]) == 0 for name in broken)
    assert float(row["score"]) == sum(points.values()) - sum(points[name] for name in broken)


@pytest.mark.parametrize("k", range(ALTERNATIVE_BATCHES))
def test_alternatives_get_full_marks(graded, k):
    row = graded[f"alternatives-{k}"]
    assert row["status"] == "graded" and float(row["score"]) == float(row["max_score"]), row["reason"]


def test_broken_helpers_cost_yolo_eval_nothing(graded):
    row = graded["helpers-broken"]
    points = points_per_test(A)
    assert row["status"] == "graded", row["reason"]
    assert float(row["test_yolo_eval"]) == points["test_yolo_eval"], row["reason"]
    assert float(row["test_yolo_filter_boxes"]) == 0 and float(row["test_yolo_non_max_suppression"]) == 0
    assert float(row["score"]) == points["test_yolo_eval"] + points["test_iou"]
