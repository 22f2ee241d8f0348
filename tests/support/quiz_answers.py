"""Answers to a quiz's graded questions as students write them, and a batch of quiz notebooks graded end to end.

For every graded question (autograder.quizzes.draws): the key; the catalogue of wrong answers (each wrong choice,
the right set with a wrong choice added or a right one left out, each of the bank's `wrong_answers` with its
cause); right answers in the other forms the readers accept (a lower-case letter, a list or a string of
letters, a number inside the tolerance, a float for an int); and answers in forms the question did not ask
for, which must cost that question's points with a message and break nothing else.
"""

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.course import ASSIGNMENTS
from autograder.grade.coordinator import grade
from autograder.quizzes.banks import choice_letters, correct_letters
from autograder.quizzes.draws import graded_by_grade_id
from tests.support.grading import round_indices, solution, with_cells

__all__ = [
    "Answer",
    "key_answer",
    "wrong_answers",
    "right_answers",
    "odd_forms",
    "answer_cell",
    "answer_rounds",
    "grade_quiz",
]


@dataclass(frozen=True)
class Answer:
    """One answer to one question: the Python that sets it, and in words what it is."""

    source: str  # a literal (`"B"`, `{"A", "C"}`, `0.79`), or for a code question the code that sets `answer`
    what: str
    message: str = ""  # for an answer in another form: words its message must contain


def number_source(value) -> str:
    """Return a number as Python source."""
    return repr(value)


def key_answer(question: dict) -> Answer:
    """Return the key of a question as a student would write it."""
    if question["kind"] == "single":
        return Answer(repr(next(iter(correct_letters(question)))), "the key")
    if question["kind"] == "multiple":
        return Answer(repr(set(sorted(correct_letters(question)))), "the key")
    if question["kind"] == "code":
        return Answer(question["solution"].rstrip(), "the bank's solution")
    return Answer(number_source(question["answer"]), "the key")


def as_code(question: dict, literal: str) -> str:
    """Return an answer's literal as a code question's answer: code that sets `answer` to it."""
    return f"answer = {literal}" if question["kind"] == "code" else literal


def wrong_answers(question: dict) -> list[Answer]:
    """Return the catalogue of wrong answers of a question, each with its cause."""
    if question["kind"] in ("number", "code"):
        return [Answer(as_code(question, number_source(w["value"])), w["why"]) for w in question["wrong_answers"]]
    letters, right = choice_letters(question), correct_letters(question)
    wrong = [letter for letter in letters if letter not in right]
    if question["kind"] == "single":
        return [Answer(repr(letter), f"chose {letter}") for letter in wrong]
    added = [Answer(repr(set(sorted(right | {w}))), f"ticked the wrong choice {w} too") for w in wrong]
    left_out = [Answer(repr(set(sorted(right - {r}))), f"left the right choice {r} out") for r in sorted(right)]
    return added + left_out


def right_answers(question: dict) -> list[Answer]:
    """Return the key in the other forms the readers accept."""
    kind = question["kind"]
    if kind == "single":
        letter = next(iter(correct_letters(question)))
        return [Answer(repr(f" {letter.lower()} "), "the letter in lower case, with spaces")]
    if kind == "multiple":
        right = sorted(correct_letters(question))
        return [
            Answer(repr(right), "a list of letters"),
            Answer(repr(", ".join(r.lower() for r in right)), "a string of letters"),
        ]
    key, tolerance = float(question["answer"]), float(question["tolerance"])
    inside = key + 0.8 * tolerance if tolerance else key
    forms = [Answer(as_code(question, repr(inside)), "a float inside the tolerance")]
    if kind == "code":
        forms.append(Answer(question["solution"].rstrip() + "\nanswer = float(answer)", "the solution, as a float"))
    return forms


def odd_forms(question: dict) -> list[Answer]:
    """Return answers in a form the question did not ask for, each with words its message must contain."""
    kind = question["kind"]
    if kind == "single":
        text = question["choices"][0]["text"]
        return [
            Answer(repr(text), "the text of a choice", "is not one of the letters"),
            Answer(repr(set(choice_letters(question)[:2])), "a set of two letters", "one right choice"),
        ]
    if kind == "multiple":
        return [
            Answer("3", "a number", "the set of the letters"),
            Answer('"Z"', "a letter not among the choices", "is not one of"),
        ]
    return [
        Answer(as_code(question, repr(str(question["answer"]))), "the number in quotes", "without quotes"),
        Answer(as_code(question, "[1, 2]"), "a list", "give one number"),
    ]


def answer_cell(grade_id: str, question: dict, answer: Answer) -> str:
    """Return the source of an answer cell holding `answer`, as the released cell frames it."""
    variable = f"answer_{grade_id}"
    if question["kind"] != "code":
        return f"{variable} = {answer.source}"
    return f"{question['setup'].rstrip()}\nanswer = None\n{answer.source}\n{variable} = answer"


def answer_rounds(quiz: str, catalogue) -> list[dict[str, Answer]]:
    """Return rounds of answers: round k gives every question its k-th answer of `catalogue(question)` (if any)."""
    by_id = {gid: catalogue(q) for gid, q in graded_by_grade_id(quiz).items()}
    rounds = max(len(answers) for answers in by_id.values())
    return [{gid: answers[k] for gid, answers in by_id.items() if k < len(answers)} for k in range(rounds)]


def submission(quiz: str, answers: dict[str, Answer]):
    """Return the instructor notebook with the answer cells of `answers` ({grade_id: Answer}) replaced."""
    questions = graded_by_grade_id(quiz)
    return with_cells(quiz, {gid: answer_cell(gid, questions[gid], a) for gid, a in answers.items()})


def grade_quiz(quiz: str, root: Path) -> dict:
    """Grade, in one batch: the instructor notebook, the untouched release, the rounds of wrong answers that
    round_indices chooses (the first and the last; every round with CNNBOOK_CATALOGUE_ROUNDS=all), the rounds of
    right answers in other forms, the rounds of answers in other forms, and a student ("absent") who handed in only
    an assignment, not the quiz; with both exports (Canvas, Moodle).

    Returns {"csv": {student: row}, "rows": {student: Row}, "wrong": {k: round}, "right": {k: round},
    "odd": {k: round}, "out": the output folder}.
    """
    subs = root / "submissions"
    notebooks = {"instructor": solution(quiz)}
    wrong = answer_rounds(quiz, wrong_answers)
    batches = {
        "wrong": {k: wrong[k] for k in round_indices(len(wrong))},
        "right": dict(enumerate(answer_rounds(quiz, right_answers))),
        "odd": dict(enumerate(answer_rounds(quiz, odd_forms))),
    }
    for name, rounds in batches.items():
        for k, answers in rounds.items():
            notebooks[f"{name}-{k}"] = submission(quiz, answers)
    for student, nb in notebooks.items():
        (subs / student).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, subs / student / f"{quiz}.ipynb")
    shutil.copytree(ASSIGNMENTS / quiz, subs / "untouched")
    shutil.copytree(ASSIGNMENTS / "w1a1_conv_numpy", subs / "absent" / "w1a1_conv_numpy")  # nbgrader's collect layout
    rows = grade(quiz, subs, root / "out", progress=False, exports=("canvas", "moodle"))
    with (root / "out" / "grades.csv").open() as fh:
        table = {row["student_id"]: row for row in csv.DictReader(fh)}
    return {"csv": table, "rows": {r.student_id: r for r in rows}, **batches, "out": root / "out"}
