"""End to end, per assignment: submissions through the real grader (autograder.grade.coordinator), as an
instructor runs it.

One batch per assignment, graded once per test session: the instructor notebook, the untouched release, the
mistake rounds of its catalogue (round k pastes the k-th mistake of EVERY graded function at once; one mistake
costs only its own function's points, so each function's column of grades.csv is checked on its own), rounds of
correct alternatives, and the assignment's own extra submissions. `make test` grades the first and last mistake
rounds; `make test-catalogue` (CNNBOOK_CATALOGUE_ROUNDS=all) grades every round.

w1a1_conv_numpy is graded end to end, each mistake in a submission of its own, by tests/grading/test_pipeline.py.

The weekly quizzes have no functions to get wrong: their batch (tests/support/quiz_answers.py) holds the key, the
untouched release, the rounds of their catalogue of wrong answers (round k gives every question its k-th wrong
answer; the first and last in `make test`, every one in `make test-catalogue`), rounds of right answers in the
other forms the readers accept, rounds of answers in forms the question did not ask for, and a student who handed
in only an assignment (a 'missing' row); it is exported for Canvas and Moodle, and one feedback page is read in
headless Chromium (tests/support/browser.py).
"""

import csv
import importlib
import io
from dataclasses import dataclass, field
from html import unescape
from typing import Callable

import pytest

from autograder.quizzes.banks import quiz_names
from autograder.quizzes.draws import graded_by_grade_id
from tests.support.browser import OfflineBrowser, chromium_browser, serve
from tests.support.grading import failure_message, grade_catalogue, points_per_test, with_cells
from tests.support.lms_files import canvas_rule_violations, moodle_rule_violations
from tests.support.quiz_answers import grade_quiz
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


# --- The weekly quizzes ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=quiz_names())
def graded_quiz(request, tmp_path_factory):
    quiz = request.param
    batch = grade_quiz(quiz, tmp_path_factory.mktemp(f"grading-{quiz}"))
    for row in batch["rows"].values():  # shown with pytest -s: the grading time of each submission
        print(f"{quiz} {row.student_id}: {row.status}, {row.score} points, {row.seconds:.1f} s")
    return {**batch, "quiz": quiz, "points": points_per_test(quiz), "questions": graded_by_grade_id(quiz)}


def test_quiz_batch_has_one_row_per_submission(graded_quiz):
    expected = {"instructor", "untouched", "absent"} | {
        f"{name}-{k}" for name in ("wrong", "right", "odd") for k in graded_quiz[name]
    }
    assert set(graded_quiz["csv"]) == expected


def test_quiz_key_gets_full_marks_and_the_release_zero(graded_quiz):
    key, untouched = graded_quiz["csv"]["instructor"], graded_quiz["csv"]["untouched"]
    assert key["status"] == "graded" and float(key["score"]) == float(key["max_score"]), key["reason"]
    assert float(key["max_score"]) == sum(q["points"] for q in graded_quiz["questions"].values())
    assert untouched["status"] == "graded" and float(untouched["score"]) == 0, untouched["reason"]
    assert "NotImplementedError" in untouched["reason"]


def test_a_student_without_the_quiz_gets_a_missing_row(graded_quiz):
    absent = graded_quiz["csv"]["absent"]
    assert absent["status"] == "missing" and float(absent["score"]) == 0, absent
    assert (
        absent["reason"].startswith(f"no submission for {graded_quiz['quiz']}")
        and "w1a1_conv_numpy" in absent["reason"]
    )
    assert not (graded_quiz["out"] / "feedback" / "absent").exists()


def test_quiz_exports_follow_canvas_and_moodle_rules(graded_quiz):
    out, quiz, table = graded_quiz["out"], graded_quiz["quiz"], graded_quiz["csv"]
    max_score = float(table["instructor"]["max_score"])
    canvas = (out / "grades-canvas.csv").read_text(encoding="utf-8")
    assert canvas_rule_violations(canvas) == []
    canvas_rows = list(csv.reader(io.StringIO(canvas, newline="")))
    assert canvas_rows[0][-1] == quiz and float(canvas_rows[1][-1]) == max_score
    assert {row[3]: float(row[-1]) for row in canvas_rows[2:]} == {s: float(r["score"]) for s, r in table.items()}
    moodle = (out / "grades-moodle.csv").read_text(encoding="utf-8")
    assert moodle_rule_violations(moodle, quiz, max_score) == []
    feedback = {row["Username"]: row[f"{quiz} feedback"] for row in csv.DictReader(io.StringIO(moodle, newline=""))}
    assert set(feedback) == set(table)
    assert feedback["instructor"].endswith("every answer is right.")
    assert "look again at questions q" in feedback["wrong-0"] and "missing: no submission" in feedback["absent"]


def test_quiz_feedback_page_typesets_its_math_offline(graded_quiz):
    """The questions' formulas are typeset by the MathJax inlined in the page; nothing is left as raw TeX."""
    root = graded_quiz["out"] / "feedback"
    page = f"instructor/{graded_quiz['quiz']}.html"
    assert "$" in (root / page).read_text(), "the quiz's questions hold no formula to check"
    with chromium_browser() as chromium, serve(root) as base:
        browser = OfflineBrowser(chromium, base, root=root)
        report = browser.visit(page, wait_for="mjx-container")
        headers = browser.page.locator("header.feedback-summary th").all_inner_texts()
        browser.close()
    assert report.problems == [], report.problems
    assert report.math >= 1 and headers == ["question", "points", "grader"]


def test_quiz_report_counts_questions_and_compares_no_answers(graded_quiz):
    report = (graded_quiz["out"] / "report.html").read_text()
    assert "Graded questions" in report and "Graded functions" not in report
    assert not (graded_quiz["out"] / "similarity.html").exists()


def lost_questions(graded_quiz, student: str) -> set[str]:
    """Return the grade_ids of the questions a submission did not get full points for."""
    row = graded_quiz["csv"][student]
    assert row["status"] == "graded", row["reason"]
    return {
        f"test_{gid}"
        for gid in graded_quiz["questions"]
        if float(row[f"test_{gid}"]) < graded_quiz["points"][f"test_{gid}"]
    }


def test_each_wrong_answer_costs_exactly_its_questions_points(graded_quiz):
    points = graded_quiz["points"]
    for k, answers in graded_quiz["wrong"].items():
        row = graded_quiz["csv"][f"wrong-{k}"]
        wrong = {f"test_{gid}" for gid in answers}
        assert lost_questions(graded_quiz, f"wrong-{k}") == wrong, {g: a.what for g, a in answers.items()}
        assert all(float(row[name]) == 0 for name in wrong), row["reason"]
        assert float(row["score"]) == sum(points.values()) - sum(points[name] for name in wrong)


def test_right_answers_in_other_forms_get_full_marks(graded_quiz):
    for k, answers in graded_quiz["right"].items():
        assert lost_questions(graded_quiz, f"right-{k}") == set(), {g: a.what for g, a in answers.items()}


def test_answers_in_another_form_cost_their_question_with_a_message(graded_quiz):
    for k, answers in graded_quiz["odd"].items():
        student = f"odd-{k}"
        assert lost_questions(graded_quiz, student) == {f"test_{gid}" for gid in answers}
        failures = "\n".join(graded_quiz["rows"][student].failures)
        for gid, answer in answers.items():
            assert answer.message in failures, (gid, answer.what, failures)
        page = unescape((graded_quiz["out"] / "feedback" / student / f"{graded_quiz['quiz']}.html").read_text())
        assert all(answer.message in page for answer in answers.values())


def test_quiz_feedback_says_what_is_wrong_without_the_key(graded_quiz):
    page = unescape((graded_quiz["out"] / "feedback" / "wrong-0" / f"{graded_quiz['quiz']}.html").read_text())
    assert "is not right" in page or "is not the right" in page
    assert "HIDDEN TESTS" not in page and "autograder" not in page and "bank.yaml" not in page
    for message in graded_quiz["rows"]["wrong-0"].failures:
        gid = message.split(":")[0].removeprefix("test_")
        question = graded_quiz["questions"][gid]
        if question["kind"] in ("number", "code"):
            assert f"{float(question['answer']):g}" not in message.split("is not right")[-1], message
