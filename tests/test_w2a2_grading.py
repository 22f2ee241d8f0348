"""End to end: w2a2_transfer_learning through `autograder.grade` in the sandbox, with every catalogued mistake."""
import pytest

from tests.assignment_grading import grade_catalogue, points_per_test
from tests.catalogue import w2a2_transfer_learning as catalogue

pytestmark = pytest.mark.slow
A = "w2a2_transfer_learning"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grade_catalogue(A, catalogue, tmp_path_factory.mktemp("grading"))


def test_instructor_notebook_gets_full_marks(graded):
    row = graded["csv"]["instructor"]
    assert row["status"] == "graded", row["reason"]
    assert float(row["score"]) == float(row["max_score"]) == sum(points_per_test(A).values())


def test_untouched_release_gets_zero(graded):
    row = graded["csv"]["untouched"]
    assert row["status"] == "graded" and float(row["score"]) == 0
    assert "NotImplementedError" in row["reason"]


def test_each_round_of_mistakes_loses_exactly_the_points_of_the_functions_it_breaks(graded):
    points = points_per_test(A)
    for k, chosen in graded["rounds"].items():
        row = graded["csv"][f"round-{k}"]
        assert row["status"] == "graded", row["reason"]
        lost = {name for name, full in points.items() if float(row[name]) < full}
        assert lost == {f"test_{f}" for f in chosen}, (k, {f: v.name for f, v in chosen.items()}, row["reason"])


def test_feedback_says_what_is_wrong_without_the_hidden_tests(graded):
    html = (graded["out"] / "feedback" / "round-0" / f"{A}.html").read_text()
    assert "should have mode=&#x27;horizontal&#x27;" in html or "should have mode='horizontal'" in html
    assert "the base should be frozen" in html and "HIDDEN TESTS" not in html
