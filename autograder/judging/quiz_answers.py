"""Hidden tests of a weekly quiz: each graded question's answer, judged against the bank in the grader's process.

A quiz's test cell hands the probe a function that returns the student's answer (`lambda: answer_q03`); the
probe calls it in the kernel and hands the value out, and the hidden test made here reads it with the same
readers as the visible check (cnnbook.quiz_checks: a letter, a set of letters, a number) and compares it with the
bank's key: the right letter, exactly the right set, a number within the tolerance the question states. The key
never leaves this process, and no message names it: a wrong answer is told it is wrong, an answer in another
form is told the form the question asks for.
"""

import math

import numpy as np

from autograder.judging.cases import Case, HiddenTest, Result
from autograder.quizzes.banks import choice_letters, correct_letters
from autograder.quizzes.draws import graded_by_grade_id
from cnnbook.quiz_checks import read_choice, read_choices, read_number

__all__ = ["judge_answer", "question_test", "quiz_hidden_tests", "within_tolerance"]

FLOAT_SLACK = 1e-9  # rounding error allowed on top of a stated tolerance, relative to the key


def within_tolerance(value: float, key: float, tolerance: float) -> bool:
    """Whether `value` is the key within the stated tolerance (and float rounding)."""
    return abs(value - key) <= tolerance + FLOAT_SLACK * max(1.0, abs(key))


def tolerance_words(question: dict) -> str:
    """Return how exact the question asks the answer to be, in words."""
    tolerance = question["tolerance"]
    return "exactly" if tolerance == 0 else f"within {tolerance:g} of the right value"


def judge_answer(question: dict, answer) -> str | None:
    """Return why `answer` does not answer `question` (its form, or that it is wrong), or None when it is right."""
    kind = question["kind"]
    if kind == "single":
        letter, problem = read_choice(answer, choice_letters(question))
        if problem:
            return problem
        return None if {letter} == correct_letters(question) else f"{letter} is not the right choice"
    if kind == "multiple":
        chosen, problem = read_choices(answer, choice_letters(question))
        if problem:
            return problem
        if chosen == correct_letters(question):
            return None
        return f"{{{', '.join(sorted(chosen))}}} is not the right set of choices (every right choice, and no other)"
    value, problem = read_number(answer)
    if problem:
        return problem
    if within_tolerance(value, float(question["answer"]), float(question["tolerance"])):
        return None
    shown = f"{value:g}" if math.isfinite(value) else str(value)
    return f"{shown} is not right (the question takes the answer {tolerance_words(question)})"


def read_error(variable: str, error: str) -> str:
    """Return the message for an answer that could not be read in the kernel (it raised)."""
    if error.startswith("NameError"):
        return f"{variable} is not defined: write your answer in its cell and run the notebook from the top"
    return f"reading {variable} raised {error[:200]}"


def question_test(grade_id: str, question: dict) -> HiddenTest:
    """Return the hidden test of one graded question: one case (no inputs), judged against the bank."""
    variable = f"answer_{grade_id}"

    def make_cases(rng: np.random.Generator) -> list[Case]:
        return [Case((), label=f"{grade_id} ({question['id']})")]

    def judge(cases: list[Case], results: list[Result]) -> str | None:
        result = results[0]
        problem = read_error(variable, result.error) if result.error else judge_answer(question, result.value)
        return f"{variable}: {problem}" if problem else None

    return HiddenTest(grade_id, make_cases, judge)


def quiz_hidden_tests(quiz: str) -> dict[str, HiddenTest]:
    """Return the hidden tests of a quiz, keyed by the grade_id of their test cell (test_q01, ...)."""
    return {f"test_{grade_id}": question_test(grade_id, q) for grade_id, q in graded_by_grade_id(quiz).items()}
