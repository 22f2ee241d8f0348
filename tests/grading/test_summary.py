"""The summary `make grade` prints at the end: scores, failures per function, what was not graded, where the
report is (the command itself prints it in tests/grading/test_exchange.py)."""

from pathlib import Path

from autograder.grade.records import Row
from autograder.grade.summary import MAX_STUDENT_LINES, summarize

CELLS = [("test_zero_pad", 10.0), ("test_conv_forward", 40.0), ("test_pool_forward", 50.0)]
SHAPE = "test_conv_forward: AssertionError: conv_forward: the output should have 3 rows (hidden test case: m=2, f=3)"
ROWS = [
    Row("ana", "graded", "all tests ran", score=100.0),
    Row("ben", "graded", "test_conv_forward failed", score=60.0, failures=[SHAPE]),
    Row(
        "cara",
        "graded",
        "2 failed",
        score=10.0,
        failures=[SHAPE.replace("m=2", "m=5"), "test_pool_forward: NotImplementedError"],
    ),
    Row("dan", "missing", "no submission for w1a1_conv_numpy: dan/ holds only other assignments"),
    Row("eve", "invalid", "eve_w1a1_conv_numpy.ipynb is not valid JSON (line 1: Expecting value)"),
]


def test_the_summary_shows_scores_failures_what_was_not_graded_and_the_report():
    text = summarize("w1a1_conv_numpy", ROWS, CELLS, Path("graded/w1a1_conv_numpy"))
    lines = text.splitlines()
    assert lines[0] == "w1a1_conv_numpy: 5 submissions (3 graded, 1 invalid, 1 missing); mean score 34 / 100"
    students = {r.student_id for r in ROWS}
    row_of = {line.split()[0]: line for line in lines if line.split() and line.split()[0] in students}
    assert "100 / 100" in row_of["ana"] and "graded" in row_of["ana"]
    assert "60 / 100" in row_of["ben"] and row_of["ben"].rstrip().endswith("conv_forward")
    assert row_of["cara"].rstrip().endswith("conv_forward, pool_forward")
    failures = text.split("Failures per function:")[1].split("Not graded:")[0]
    conv = next(line for line in failures.splitlines() if line.startswith("conv_forward"))
    # Both students failed it with the same message: the hidden test's case details do not split them.
    assert "2 of 3" in conv and "the output should have 3 rows" in conv and "hidden test case" not in conv
    assert "pool_forward" in failures and "zero_pad" not in failures
    not_graded = text.split("Not graded:")[1]
    assert "dan" in not_graded and "missing" in not_graded and "eve" in not_graded and "not valid JSON" in not_graded
    assert "ana" not in not_graded
    assert "report:   graded/w1a1_conv_numpy/report.html" in lines
    assert len(lines) < 30


def test_a_regraded_student_s_failures_are_listed_with_their_messages():
    text = summarize("w1a1_conv_numpy", ROWS, CELLS, Path("out"), detail=("cara",))
    section = text.split("Failures of cara:")[1].split("\n\n")[0]
    assert "conv_forward  conv_forward: the output should have 3 rows" in section
    assert "pool_forward  NotImplementedError" in section
    assert "Failures of ben" not in text


def test_a_large_class_is_cut_and_says_where_the_rest_is():
    rows = [Row(f"s{i:03d}", "graded", "all tests ran", score=100.0) for i in range(MAX_STUDENT_LINES + 7)]
    text = summarize("w1a1_conv_numpy", rows, CELLS, Path("out"))
    assert "s000" in text and f"s{MAX_STUDENT_LINES - 1:03d}" in text and f"s{MAX_STUDENT_LINES:03d}" not in text
    assert "... and 7 more students (grades.csv has them all)" in text
    assert "Failures per function" not in text and "Not graded" not in text


def test_an_empty_run_says_so():
    text = summarize("w1a1_conv_numpy", [], CELLS, Path("out"))
    assert text.splitlines()[0] == "w1a1_conv_numpy: 0 submissions (); mean score 0 / 100"


def test_a_quiz_s_summary_speaks_of_questions():
    wrong = "test_q03: AssertionError: answer_q03: 'B' is not the right choice"
    rows = [
        Row("ana", "graded", "all tests ran", score=12.0),
        Row("ben", "graded", "1 failed", score=11.0, failures=[wrong]),
        Row("dan", "missing", "no submission for w1_quiz: only dan_w1a1_conv_numpy.ipynb"),
    ]
    cells = [(f"test_q{k:02d}", 1.0) for k in range(1, 13)]
    text = summarize("w1_quiz", rows, cells, Path("out"), detail=("ben",), unit="question")
    assert "Failures per question:" in text and "Failures per function" not in text
    failures = text.split("Failures per question:\n")[1].split("\n\n")[0]
    assert failures.splitlines()[0].split()[0] == "question"
    assert any(line.startswith("q03") and "1 of 2" in line for line in failures.splitlines())
    assert text.split("Failures of ben:")[1].split()[0] == "question"
    assert "dan" in text.split("Not graded:")[1] and "missing" in text.split("Not graded:")[1]
