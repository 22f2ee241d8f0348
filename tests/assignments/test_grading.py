"""End to end, per assignment: submissions through the real grader (autograder.grade.coordinator), as an
instructor runs it.

One batch per assignment, graded once per test session: the instructor notebook, the untouched release, the
mistake rounds of its catalogue (round k pastes the k-th mistake of EVERY graded function at once; one mistake
costs only its own function's points, so each function's column of grades.csv is checked on its own), rounds of
correct alternatives, and the assignment's own extra submissions. `make test` grades the first and last mistake
rounds; `make test-catalogue` (CNNBOOK_CATALOGUE_ROUNDS=all) grades every round.

w1a1_conv_numpy is graded end to end, each mistake in a submission of its own, by tests/grading/test_pipeline.py.
"""

import importlib
from dataclasses import dataclass, field
from html import unescape
from typing import Callable

import pytest

from tests.support.grading import failure_message, grade_catalogue, points_per_test, with_cells
from tests.support.variants import alternatives_for, mistakes_for

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class EndToEnd:
    """What one assignment's batch holds beyond the common submissions, and what its feedback must say."""

    feedback: tuple[str, ...]  # phrases round 0's feedback page shows (the hidden tests' messages, in words)
    alternatives: int = 0  # rounds of correct alternatives in the batch (the in-process tests run every one)
    notebook_timeout: int | None = None
    # further submissions: {student: (sources by function, {test cell: "full" or points expected})}
    extra: Callable[[object], dict[str, tuple[dict[str, str], dict[str, object]]]] = field(default=lambda c: {})


def w3a1_helpers_broken(catalogue) -> dict:
    """yolo_eval's two helpers broken, yolo_eval written in another order: its oracles must still give it its points."""
    scale_at_the_end = next(v for v in alternatives_for(catalogue, "yolo_eval") if v.name == "scale_at_the_end")
    sources = {
        "yolo_filter_boxes": mistakes_for(catalogue, "yolo_filter_boxes")[-1].source(),
        "yolo_non_max_suppression": mistakes_for(catalogue, "yolo_non_max_suppression")[-1].source(),
        "yolo_eval": scale_at_the_end.source(),
    }
    expected = {
        "test_yolo_eval": "full",
        "test_iou": "full",
        "test_yolo_filter_boxes": 0,
        "test_yolo_non_max_suppression": 0,
    }
    return {"helpers-broken": (sources, expected)}


END_TO_END = {
    "w1a2_keras_apis": EndToEnd(feedback=("should be a BatchNormalization",)),
    "w2a1_resnets": EndToEnd(feedback=("identity_block",), alternatives=2, notebook_timeout=900),
    "w2a2_transfer_learning": EndToEnd(feedback=("should have mode='horizontal'", "the base should be frozen")),
    "w3a1_yolo": EndToEnd(
        feedback=("hidden test case",), alternatives=1, notebook_timeout=600, extra=w3a1_helpers_broken
    ),
    "w3a2_unet": EndToEnd(feedback=("the concatenation takes the skip connection",)),
    "w4a1_face_recognition": EndToEnd(feedback=("hidden test case",), notebook_timeout=600),
    "w4a2_style_transfer": EndToEnd(feedback=("tf.reduce_mean already divides",)),
}


@pytest.fixture(scope="module", params=sorted(END_TO_END))
def graded(request, tmp_path_factory):
    assignment = request.param
    expect = END_TO_END[assignment]
    catalogue = importlib.import_module(f"tests.assignments.{assignment}.catalogue")
    extra = expect.extra(catalogue)
    batch = grade_catalogue(
        assignment,
        catalogue,
        tmp_path_factory.mktemp(f"grading-{assignment}"),
        extra={student: with_cells(assignment, sources) for student, (sources, _) in extra.items()},
        alternatives=expect.alternatives,
        **({"notebook_timeout": expect.notebook_timeout} if expect.notebook_timeout else {}),
    )
    for row in batch["rows"].values():  # shown with pytest -s: the grading time of each submission
        print(f"{assignment} {row.student_id}: {row.status}, {row.score} points, {row.seconds:.0f} s")
    return {**batch, "assignment": assignment, "expect": expect, "extra": extra, "points": points_per_test(assignment)}


def test_every_submission_has_one_row(graded):
    expected = {"instructor", "untouched", *graded["extra"]}
    expected |= {f"round-{k}" for k in graded["rounds"]} | {f"alternatives-{k}" for k in graded["alternatives"]}
    assert set(graded["csv"]) == expected


def test_instructor_notebook_gets_full_marks(graded):
    row = graded["csv"]["instructor"]
    assert row["status"] == "graded", row["reason"]
    assert float(row["score"]) == float(row["max_score"]) == sum(graded["points"].values()), row["reason"]


def test_untouched_release_gets_zero(graded):
    row = graded["csv"]["untouched"]
    assert row["status"] == "graded" and float(row["score"]) == 0, row["reason"]
    assert "NotImplementedError" in row["reason"]


def test_each_round_of_mistakes_loses_exactly_the_points_of_the_functions_it_breaks(graded):
    points = graded["points"]
    for k, chosen in graded["rounds"].items():
        row = graded["csv"][f"round-{k}"]
        assert row["status"] == "graded", row["reason"]
        broken = {f"test_{f}" for f in chosen}
        lost = {name for name, full in points.items() if float(row[name]) < full}
        assert lost == broken, (k, {f: v.name for f, v in chosen.items()}, row["reason"])
        assert all(float(row[name]) == 0 for name in broken), row["reason"]
        assert float(row["score"]) == sum(points.values()) - sum(points[name] for name in broken)


def test_alternatives_get_full_marks(graded):
    for k in graded["alternatives"]:
        row = graded["csv"][f"alternatives-{k}"]
        assert row["status"] == "graded" and float(row["score"]) == float(row["max_score"]), row["reason"]


def test_extra_submissions_get_the_points_they_deserve(graded):
    for student, (_, expected) in graded["extra"].items():
        row = graded["csv"][student]
        assert row["status"] == "graded", row["reason"]
        for cell, points in expected.items():
            want = graded["points"][cell] if points == "full" else points
            assert float(row[cell]) == want, (student, cell, row["reason"])


def test_feedback_says_what_is_wrong_without_the_hidden_tests(graded):
    page = (graded["out"] / "feedback" / "round-0" / f"{graded['assignment']}.html").read_text()
    html = unescape(page)
    for phrase in graded["expect"].feedback:
        assert phrase in html, phrase
    failures = graded["rows"]["round-0"].failures
    assert failures, "round 0 holds a mistake in every graded function"
    for failure in failures:  # each failed test's message, in words, as grades.csv's reason quotes it
        assert failure_message(failure) in html, failure
    assert "HIDDEN TESTS" not in html and "autograder" not in html and "hidden_tests" not in html
