"""nbgrader's student tools with this course: Validate on a released notebook, and the exchange round trip (release,
fetch, submit, collect; the fixture is in conftest.py) followed by `make grade` on what collect wrote: every
submission graded, the student with only another assignment's notebook given a "missing" row, the summary printed,
the Canvas and Moodle files written."""

import subprocess
import sys

import pytest

from autograder.course import nbgrader_env
from tests.support.grading import points_per_test
from tests.support.lms_files import canvas_rule_violations, moodle_rule_violations

pytestmark = pytest.mark.slow
A, OTHER = "w1a1_conv_numpy", "w1a2_keras_apis"  # as in conftest.py's round trip


def test_collect_writes_nbgrader_s_layout_with_each_students_assignments_side_by_side(exchange_round_trip):
    submitted = exchange_round_trip.submitted
    assert (submitted / "ana" / A / f"{A}.ipynb").is_file() and (submitted / "ben" / A / f"{A}.ipynb").is_file()
    assert (submitted / "cara" / OTHER / f"{OTHER}.ipynb").is_file() and not (submitted / "cara" / A).exists()


def test_make_grade_grades_every_submission_collect_wrote(exchange_round_trip):
    grades, points = exchange_round_trip.grades, points_per_test(A)
    assert set(grades) == {"ana", "ben", "cara"}
    assert grades["ana"]["status"] == "graded" and float(grades["ana"]["score"]) == sum(points.values())
    ben = grades["ben"]
    assert ben["status"] == "graded", ben["reason"]
    assert {name for name in points if float(ben[name]) < points[name]} == {"test_conv_forward"}
    assert float(ben["score"]) == sum(points.values()) - points["test_conv_forward"]


def test_a_student_with_only_another_assignment_gets_a_missing_row(exchange_round_trip):
    cara = exchange_round_trip.grades["cara"]
    assert cara["status"] == "missing" and float(cara["score"]) == 0
    assert cara["reason"].startswith(f"no submission for {A}") and f"{OTHER}/{OTHER}.ipynb" in cara["reason"]
    assert not (exchange_round_trip.out / "feedback" / "cara").exists(), "nothing was graded, so no feedback page"


def test_make_grade_ends_with_the_summary(exchange_round_trip):
    out = exchange_round_trip.command.stdout
    total = sum(points_per_test(A).values())
    assert f"{A}: 3 submissions (2 graded, 1 missing)" in out
    lines = out.splitlines()
    assert any(line.startswith("ben") and "conv_forward" in line and "graded" in line for line in lines), out
    assert any(line.startswith("ana") and f"{total:g} / {total:g}" in line for line in lines), out
    failures = out.split("Failures per function:")[1].split("Not graded:")[0]
    assert "conv_forward" in failures and "1 of 2" in failures and "bias" in failures
    assert "cara" in out.split("Not graded:")[1] and "missing" in out.split("Not graded:")[1]
    assert f"report:   {exchange_round_trip.out / 'report.html'}" in lines
    assert f"canvas:  {exchange_round_trip.out / 'grades-canvas.csv'}" in lines


def test_the_exports_are_written_in_each_systems_shape(exchange_round_trip):
    out, total = exchange_round_trip.out, sum(points_per_test(A).values())
    canvas = (out / "grades-canvas.csv").read_bytes().decode("utf-8")
    moodle = (out / "grades-moodle.csv").read_bytes().decode("utf-8")
    assert canvas_rule_violations(canvas) == []
    assert moodle_rule_violations(moodle, A, total) == []
    for student in ("ana", "ben", "cara"):
        assert f",{student}," in canvas and f",{student}," in moodle


def test_validate_on_a_released_notebook_reports_the_visible_checks(exchange_round_trip):
    """nbgrader's Validate runs the student's notebook as it was released: the visible checks, no hidden part."""
    notebook = exchange_round_trip.exchange.homes / "ana" / A / f"{A}.ipynb"
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", "validate", str(notebook)],
        cwd=notebook.parent,
        capture_output=True,
        text=True,
        env=nbgrader_env(),
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Success! Your notebook passes all the tests." in proc.stdout, proc.stdout[-3000:]
    assert "probe" not in proc.stdout + proc.stderr and "autograder" not in proc.stdout + proc.stderr
