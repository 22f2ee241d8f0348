"""Every graded function of every assignment has a catalogue of at least five plausible mistakes and two correct
alternatives (tests/assignments/<id>/catalogue.py), which its hidden tests and visible checks are tested against.

A quiz has no functions: its catalogue is made from its bank (tests/support/quiz_answers.py): every graded
question has wrong answers with their causes (each wrong choice, or the bank's wrong_answers), right answers in
other accepted forms, and answers in forms it did not ask for."""

import importlib

import pytest

from autograder.course import assignment_names
from autograder.judging.cases import hidden_tests
from autograder.quizzes.banks import is_quiz, quiz_names
from autograder.quizzes.draws import graded_by_grade_id
from tests.support import quiz_answers, variants

GRADED = [(a, test.function) for a in assignment_names() if not is_quiz(a) for test in hidden_tests(a).values()]
QUESTIONS = [(quiz, gid, q) for quiz in quiz_names() for gid, q in graded_by_grade_id(quiz).items()]


@pytest.mark.parametrize("assignment, function", GRADED, ids=[f"{a}-{f}" for a, f in GRADED])
def test_catalogue_has_enough_variants(assignment, function):
    catalogue = importlib.import_module(f"tests.assignments.{assignment}.catalogue")
    assert len(variants.mistakes_for(catalogue, function)) >= 5
    assert len(variants.alternatives_for(catalogue, function)) >= 2


@pytest.mark.parametrize("quiz, grade_id, question", QUESTIONS, ids=[f"{a}-{g}" for a, g, _ in QUESTIONS])
def test_each_quiz_question_has_a_catalogue(quiz, grade_id, question):
    wrong = quiz_answers.wrong_answers(question)
    assert len(wrong) >= 2 and all(answer.what for answer in wrong)
    assert len({answer.source for answer in wrong}) == len(wrong), "two catalogued wrong answers are the same"
    assert quiz_answers.right_answers(question) and len(quiz_answers.odd_forms(question)) >= 2
