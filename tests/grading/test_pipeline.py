"""End to end: a batch of submissions through `python -m autograder.grade`, as an instructor runs it.

One batch holds the instructor notebook, the untouched release, every catalogued mistake pasted into
its function's cell, and notebooks that raise, loop, crash their kernel or are not JSON.
"""

import csv
import hashlib
import json
import shutil
from html import unescape
from pathlib import Path

import nbformat
import pytest

from autograder.course import ASSIGNMENTS, SOLUTIONS
from autograder.grade.coordinator import grade
from autograder.grade.phase_timing import WORKER_PHASES
from tests.assignments.w1a1_conv_numpy import catalogue
from tests.support.grading import failure_message
from tests.support.variants import mistakes_for

pytestmark = pytest.mark.slow
A = "w1a1_conv_numpy"
CELL_TIMEOUT = 10
MISTAKES = mistakes_for(catalogue)
# A correct zero_pad that writes to stderr while defined and on every call, as TensorFlow and NumPy do.
WARNING_ZERO_PAD = """import sys, warnings
warnings.warn("a deprecation warning while defining zero_pad")
def zero_pad(X, pad):
    sys.stderr.write("a message on stderr\\n")
    warnings.warn("a runtime warning on every call", RuntimeWarning)
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
"""


def solution() -> nbformat.NotebookNode:
    return nbformat.read(SOLUTIONS / A / f"{A}.ipynb", as_version=4)


def points_per_test() -> dict[str, float]:
    meta = [c.metadata.get("nbgrader", {}) for c in solution().cells]
    return {m["grade_id"]: float(m["points"]) for m in meta if m.get("grade") and not m.get("solution")}


def with_cell(function: str, source: str) -> nbformat.NotebookNode:
    """Return the instructor notebook with the solution cell of `function` replaced by `source`."""
    nb = solution()
    matches = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == function]
    assert len(matches) == 1, f"no single solution cell for {function}"
    matches[0].source = source
    return nb


def put(nb: nbformat.NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("grading")
    subs = root / "submissions"
    put(solution(), subs / "instructor" / f"{A}.ipynb")
    shutil.copytree(ASSIGNMENTS / A, subs / "untouched")
    for variant in MISTAKES:
        put(
            with_cell(variant.function, variant.source()),
            subs / f"mistake-{variant.function}-{variant.name}" / f"{A}.ipynb",
        )
    put(with_cell("zero_pad", 'raise ValueError("a bug while defining zero_pad")'), subs / f"raises_{A}.ipynb")
    put(with_cell("distribute_value", "while True:\n    pass"), subs / "loops" / f"{A}.ipynb")
    put(with_cell("zero_pad", "import os\nos._exit(3)"), subs / "crashes" / f"{A}.ipynb")
    put(with_cell("zero_pad", WARNING_ZERO_PAD), subs / "warns" / f"{A}.ipynb")
    (subs / f"broken_{A}.ipynb").write_text('{"cells": [{"cell_type": "code", ')
    before = digest(subs)
    rows = grade(A, subs, root / "out", cell_timeout=CELL_TIMEOUT, notebook_timeout=600, progress=False)
    assert digest(subs) == before, "grading modified the original submissions"
    with (root / "out" / "grades.csv").open() as fh:
        table = {row["student_id"]: row for row in csv.DictReader(fh)}
    return {"rows": {r.student_id: r for r in rows}, "csv": table, "out": root / "out"}


def test_every_submission_has_one_row(graded):
    expected = {"instructor", "untouched", "raises", "loops", "crashes", "warns", "broken"}
    expected |= {f"mistake-{v.function}-{v.name}" for v in MISTAKES}
    assert set(graded["csv"]) == expected
    assert (graded["out"] / "gradebook.db").is_file()


def test_csv_has_the_fixed_columns_then_one_per_test_cell(graded):
    header = list(next(iter(graded["csv"].values())))
    assert header[:6] == ["student_id", "assignment", "score", "max_score", "status", "reason"]
    assert header[6:] == list(points_per_test())


def test_instructor_notebook_gets_full_marks(graded):
    row = graded["csv"]["instructor"]
    assert row["status"] == "graded"
    assert float(row["score"]) == float(row["max_score"]) == sum(points_per_test().values())


def test_warnings_on_stderr_cost_no_points(graded):
    row = graded["csv"]["warns"]
    assert row["status"] == "graded" and float(row["score"]) == sum(points_per_test().values()), row["reason"]


def test_the_class_report_shows_the_run(graded):
    html = (graded["out"] / "report.html").read_text()
    for section in (
        "Scores",
        "Graded functions",
        "Most common failure messages",
        "Grading time",
        "Submissions that could not be graded in full",
    ):
        assert f"<h2>{section}</h2>" in html, section
    assert html.count('src="data:image/png;base64,') >= 3
    assert "broken" in html and "not valid JSON" in html
    assert "HIDDEN TESTS" not in html


def test_untouched_release_gets_zero_without_crashing(graded):
    row = graded["csv"]["untouched"]
    assert row["status"] == "graded" and float(row["score"]) == 0
    assert "NotImplementedError" in row["reason"]


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: f"{v.function}-{v.name}")
def test_each_catalogued_mistake_loses_exactly_its_functions_points(graded, variant):
    row = graded["csv"][f"mistake-{variant.function}-{variant.name}"]
    points = points_per_test()
    assert row["status"] == "graded", row["reason"]
    lost = {name for name, full in points.items() if float(row[name]) < full}
    assert lost == {f"test_{variant.function}"}, row["reason"]
    assert float(row["score"]) == sum(points.values()) - points[f"test_{variant.function}"]


def test_a_cell_that_raises_costs_only_its_function(graded):
    row = graded["csv"]["raises"]
    assert row["status"] == "graded"
    assert float(row["test_zero_pad"]) == 0 and "test_zero_pad failed" in row["reason"]
    assert float(row["score"]) == sum(points_per_test().values()) - points_per_test()["test_zero_pad"]


def test_an_endless_loop_is_stopped_by_the_cell_limit(graded):
    row = graded["csv"]["loops"]
    assert row["status"] == "graded"
    assert f"ran past the {CELL_TIMEOUT} s limit per cell" in row["reason"]
    assert float(row["test_distribute_value"]) == 0


def test_a_cell_that_kills_the_kernel_costs_only_its_function(graded):
    row = graded["csv"]["crashes"]
    assert row["status"] == "graded" and "made the kernel die" in row["reason"], row["reason"]
    assert "it was skipped" in row["reason"]
    points = points_per_test()
    assert float(row["test_zero_pad"]) == 0
    assert float(row["score"]) == sum(points.values()) - points["test_zero_pad"]


def saved_outcomes(out: Path) -> dict[str, dict]:
    """Return the outcomes the run saved, by student."""
    return {path.stem: json.loads(path.read_text()) for path in (out / ".nbgrader" / "results").glob("*.json")}


def test_each_outcome_says_where_its_time_went(graded):
    saved = saved_outcomes(graded["out"])
    assert set(saved) == set(graded["csv"]) - {"broken"}  # every notebook that reached a worker
    for student, outcome in saved.items():
        phases = outcome["phases"]
        assert list(phases) == [name for name in WORKER_PHASES if name in phases], student  # in the grader's order
        assert all(seconds >= 0 for seconds in phases.values()), (student, phases)
        assert sum(phases.values()) <= outcome["seconds"] + 1e-6, (student, phases, outcome["seconds"])
        # each step ran, the kernel's cells too (timed by the kernel's own messages), even where a cell was stopped
        ran = ("sanitize", "prepare", "kernel_start", "imports", "student_cells", "test_cells", "judging", "feedback")
        assert all(phases[name] > 0 for name in ran), (student, phases)


def test_a_file_that_is_not_json_gets_an_invalid_row(graded):
    row = graded["csv"]["broken"]
    assert row["status"] == "invalid" and "not valid JSON" in row["reason"]


def test_feedback_never_shows_hidden_tests(graded):
    pages = sorted((graded["out"] / "feedback").glob(f"*/{A}.html"))
    graded_students = {s for s, r in graded["csv"].items() if r["status"] == "graded"}
    assert {p.parent.name for p in pages} == graded_students
    for page in pages:
        html = page.read_text()
        assert "HIDDEN TESTS" not in html and "autograder" not in html and "hidden_tests" not in html, page


def test_feedback_shows_the_failure_message_to_the_student(graded):
    variant = MISTAKES[0]
    student = f"mistake-{variant.function}-{variant.name}"
    html = unescape((graded["out"] / "feedback" / student / f"{A}.html").read_text())
    failures = graded["rows"][student].failures
    assert [f.split(":")[0] for f in failures] == [f"test_{variant.function}"]
    assert failure_message(failures[0]) in html, failures[0]


def test_a_notebook_over_its_time_limit_gets_a_timeout_row(tmp_path):
    put(solution(), tmp_path / "subs" / "slow" / f"{A}.ipynb")
    rows = grade(A, tmp_path / "subs", tmp_path / "out", notebook_timeout=1, progress=False)
    assert [(r.student_id, r.status) for r in rows] == [("slow", "timeout")]
    assert "limit per notebook" in rows[0].reason
    outcome = saved_outcomes(tmp_path / "out")["slow"]  # stopped midway: the time is the kernel's, in part or whole
    assert sum(outcome["phases"].values()) <= outcome["seconds"] + 1e-6
    assert outcome["phases"]["kernel_start"] + outcome["phases"]["kernel_rest"] > 0
    with (tmp_path / "out" / "grades.csv").open() as fh:
        assert [r["status"] for r in csv.DictReader(fh)] == ["timeout"]


def test_unknown_assignment_names_the_known_ones(tmp_path):
    with pytest.raises(SystemExit, match="w1a1_conv_numpy"):
        grade("w9_nothing", tmp_path, tmp_path / "out", progress=False)
