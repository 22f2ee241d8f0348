"""The grade exports for Canvas and Moodle: the files the course writes are checked against examples written
from each system's public documentation of its grade import (the rules are listed in
autograder/grade/exports.py), and against those rules read as checks (tests/support/lms_files.py)."""

import pytest
from nbgrader.api import Gradebook

from autograder.course import nbgrader_env
from autograder.grade.exports import check_formats, write_export
from autograder.grade.records import Row
from autograder.gradebook import read_student, record_student
from tests.support.lms_files import canvas_rule_violations, moodle_rule_violations

CELLS = [("test_zero_pad", 10.0), ("test_conv_forward", 40.0), ("test_pool_forward", 50.0)]
ROWS = [
    Row("ana", "graded", "all tests ran", score=60.0, failures=["test_conv_forward: AssertionError: the shape"]),
    Row("ben", "missing", "no submission for w1a1_conv_numpy: ben/ holds only other assignments"),
    Row("o_brien", "graded", "all tests ran", score=87.5),
]

# Canvas, Instructor Guide "How do I import grades in the Gradebook?": the five columns that say who the student
# is, in order, then one column per assignment (its name and Canvas id), then a "Points Possible" row. Names are
# "Last, First"; a field with a comma or a quote is quoted, quotes doubled (RFC 4180, CRLF line ends).
CANVAS_EXAMPLE = (
    "Student,ID,SIS User ID,SIS Login ID,Section,Convolution (12345)\r\n"
    "Points Possible,,,,,100\r\n"
    '"Ruiz, Ana",5522,,ana,,60\r\n'
    "ben,,,ben,,0\r\n"
    '"O\'Brien ""Liam"", Aoife",,,o_brien,,87.5\r\n'
)
# Moodle, MoodleDocs "Grade import" (CSV): a header row, a column to map users from (here Username, mapped to
# the username; Email address is the other choice), a grade column and the feedback column of the same grade item.
MOODLE_EXAMPLE = (
    "First name,Last name,Username,Email address,Convolution (12345),Convolution (12345) feedback\r\n"
    "Ana,Ruiz,ana,ana.ruiz@example.edu,60,60 / 100: look again at conv_forward (the feedback page says what is"
    " wrong).\r\n"
    ",,ben,,0,0 / 100: missing: no submission for w1a1_conv_numpy: ben/ holds only other assignments\r\n"
    'Aoife,"O\'Brien ""Liam""",o_brien,,87.5,87.5 / 100: every graded function passed its hidden tests.\r\n'
)


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory):
    """A gradebook that knows Ana (name, e-mail and Canvas id) and Aoife O'Brien (a name only), not Ben."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('exports') / 'gradebook.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", nbgrader_env()["PATH"])  # a new gradebook runs `alembic` from this interpreter's bin/
        with Gradebook(db_url):
            pass
    record_student(db_url, "ana", first_name="Ana", last_name="Ruiz", email="ana.ruiz@example.edu", lms_user_id="5522")
    record_student(db_url, "o_brien", first_name="Aoife", last_name='O\'Brien "Liam"')
    return db_url


def test_the_documentation_examples_follow_the_documented_rules():
    assert canvas_rule_violations(CANVAS_EXAMPLE) == []
    assert moodle_rule_violations(MOODLE_EXAMPLE, "Convolution (12345)", 100) == []


def test_the_rule_checks_catch_broken_files():
    broken_canvas = "Student,ID,Section,SIS Login ID,A\r\nana,,,,5\r\n"
    assert len(canvas_rule_violations(broken_canvas)) >= 3  # column order, no points row, nothing to find ana by
    broken_moodle = 'Username,A,Username\r\nana,"7,5",x\r\n'
    assert moodle_rule_violations(broken_moodle, "A", 10) != []
    assert moodle_rule_violations("Username,A,A feedback\r\nana,12,good\r\n", "A", 10) != []


def test_canvas_export_is_the_documented_file(gradebook, tmp_path):
    path = write_export("canvas", ROWS, gradebook, CELLS, tmp_path, "Convolution (12345)")
    assert path == tmp_path / "grades-canvas.csv"
    text = path.read_bytes().decode("utf-8")
    assert text == CANVAS_EXAMPLE
    assert canvas_rule_violations(text) == []


def test_moodle_export_is_the_documented_file(gradebook, tmp_path):
    path = write_export("moodle", ROWS, gradebook, CELLS, tmp_path, "Convolution (12345)")
    assert path == tmp_path / "grades-moodle.csv"
    text = path.read_bytes().decode("utf-8")
    assert text == MOODLE_EXAMPLE
    assert moodle_rule_violations(text, "Convolution (12345)", 100) == []


def test_a_student_the_gradebook_does_not_know_is_exported_by_id(gradebook):
    assert read_student(gradebook, "nobody") == {}
    assert read_student(gradebook, "ana")["lms_user_id"] == "5522"


def test_an_unknown_format_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="canvas, moodle"):
        check_formats(["blackboard"])
    check_formats(["canvas", "moodle"])


def test_a_quiz_s_moodle_feedback_speaks_of_questions(gradebook, tmp_path):
    rows = [
        Row("ana", "graded", "all tests ran", score=13.0),
        Row("ben", "missing", "no submission for w1_quiz: only ben_w1a1_conv_numpy.ipynb"),
        Row("o_brien", "graded", "2 failed", score=11.0, failures=["test_q02: AssertionError: x", "test_q07: y"]),
    ]
    cells = [(f"test_q{k:02d}", 2.0 if k == 12 else 1.0) for k in range(1, 13)]
    text = write_export("moodle", rows, gradebook, cells, tmp_path, "Week 1 quiz", unit="question").read_text()
    assert moodle_rule_violations(text, "Week 1 quiz", 13) == []
    lines = text.splitlines()
    assert lines[1].endswith("13 / 13: every answer is right.")
    assert lines[2].endswith("0 / 13: missing: no submission for w1_quiz: only ben_w1a1_conv_numpy.ipynb")
    assert "11 / 13: look again at questions q02, q07 (the feedback page says what is wrong)." in lines[3]
    canvas = write_export("canvas", rows, gradebook, cells, tmp_path, "Week 1 quiz", unit="question").read_text()
    assert canvas_rule_violations(canvas) == [] and canvas.splitlines()[1].endswith(",13")
