"""The hidden tests of the quizzes (autograder.judging.quiz_answers), judged in this process as the grader judges
them: the key passes, each catalogued wrong answer fails with a message that never names the key, other forms
fail with the form's message, and an answer that could not be read says why."""

import pytest

from autograder.judging.cases import Case, Result, hidden_tests
from autograder.judging.quiz_answers import judge_answer, within_tolerance
from autograder.judging.verdicts import judge_here
from autograder.quizzes.banks import quiz_names
from autograder.quizzes.draws import graded_by_grade_id
from tests.support.quiz_answers import key_answer, odd_forms, right_answers, wrong_answers

GRADED = [(quiz, gid, q) for quiz in quiz_names() for gid, q in graded_by_grade_id(quiz).items()]
IDS = [f"{quiz}-{gid}-{q['id']}" for quiz, gid, q in GRADED]


def value_of(question: dict, source: str):
    """Return the value an answer cell's source gives (a code question's code runs after its setup)."""
    namespace = {}
    if question["kind"] == "code":
        exec(question["setup"], namespace)
        exec(source, namespace)
        return namespace["answer"]
    return eval(source, namespace)


def judged(quiz: str, gid: str, value) -> str | None:
    """Return the verdict of the hidden test of question `gid` on `value`, through the probe's runner."""
    try:
        judge_here(quiz, f"test_{gid}", lambda: value)
    except AssertionError as failure:
        return str(failure)
    return None


def test_every_quiz_has_one_hidden_test_per_graded_question():
    for quiz in quiz_names():
        assert list(hidden_tests(quiz)) == [f"test_{gid}" for gid in graded_by_grade_id(quiz)]


@pytest.mark.parametrize("quiz, gid, question", GRADED, ids=IDS)
def test_the_key_and_its_other_forms_pass(quiz, gid, question):
    for answer in [key_answer(question), *right_answers(question)]:
        assert judged(quiz, gid, value_of(question, answer.source)) is None, answer.what


@pytest.mark.parametrize("quiz, gid, question", GRADED, ids=IDS)
def test_each_wrong_answer_fails_without_naming_the_key(quiz, gid, question):
    for answer in wrong_answers(question):
        value = value_of(question, answer.source)
        message = judged(quiz, gid, value)
        assert message is not None and message.startswith(f"answer_{gid}: "), answer.what
        if question["kind"] == "single":
            assert message == f"answer_{gid}: {value} is not the right choice"
        elif question["kind"] == "multiple":
            assert message.startswith(f"answer_{gid}: {{{', '.join(sorted(value))}}} is not the right set")
        else:
            words = "exactly" if question["tolerance"] == 0 else f"within {question['tolerance']:g} of the right value"
            assert message == f"answer_{gid}: {value:g} is not right (the question takes the answer {words})"


@pytest.mark.parametrize("quiz, gid, question", GRADED, ids=IDS)
def test_an_answer_in_another_form_fails_with_the_form_it_must_take(quiz, gid, question):
    for answer in odd_forms(question):
        message = judged(quiz, gid, value_of(question, answer.source))
        assert message is not None and answer.message in message, (answer.what, message)


def test_an_answer_that_raised_or_is_missing_is_named():
    quiz = quiz_names()[0]
    test = hidden_tests(quiz)["test_q01"]
    case = [Case(())]
    missing = test.judge(case, [Result(error="NameError: name 'answer_q01' is not defined")])
    assert (
        missing
        == "answer_q01: answer_q01 is not defined: write your answer in its cell and run the notebook from the top"
    )
    assert "raised ValueError" in test.judge(case, [Result(error="ValueError: boom")])


def test_a_number_is_right_within_the_stated_tolerance_only():
    question = {"kind": "number", "answer": 0.786436, "tolerance": 0.005}
    assert judge_answer(question, 0.79) is None and judge_answer(question, 0.7815) is None
    assert judge_answer(question, 0.7915) is not None and judge_answer(question, 0.78) is not None
    assert within_tolerance(0.1 + 0.2, 0.3, 0) and not within_tolerance(260101, 260100, 0)
