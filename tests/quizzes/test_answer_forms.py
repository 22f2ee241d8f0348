"""The readers and visible checks of a quiz's answers (cnnbook.quiz_checks): each form a question asks for is read,
spelling is forgiven, and every other form gets a sentence that says what to write, never a crash."""

import math

import numpy as np
import pytest

from cnnbook.checks import CheckFailure
from cnnbook.quiz_checks import check_choice, check_choices, check_number, read_choice, read_choices, read_number


class EqualToEverything:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


@pytest.mark.parametrize("answer, letter", [("B", "B"), ("b", "B"), (" c ", "C"), ("D\n", "D")])
def test_one_letter_is_read_whatever_its_case_and_spaces(answer, letter):
    assert read_choice(answer, "ABCD") == (letter, None)


@pytest.mark.parametrize(
    "answer, words",
    [
        (None, "no answer yet"),
        ("", "no answer yet"),
        (..., "no answer yet"),
        ("E", "'E' is not one of the letters A, B, C or D"),
        ("It runs unchanged, because the same weights", "not its text"),
        ({"A", "B"}, "one right choice"),
        (["A"], "one right choice"),
        ("A, C", "one right choice"),
        (2, "not a number"),
        (True, "not a number"),
        (np.int64(1), "not a number"),
        (EqualToEverything(), "not EqualToEverything"),
    ],
)
def test_any_other_form_of_a_one_choice_answer_says_what_to_write(answer, words):
    letter, problem = read_choice(answer, "ABCD")
    assert letter is None and words in problem


@pytest.mark.parametrize(
    "answer",
    [{"A", "C"}, frozenset({"a", "C"}), ["C", "A"], ("A", "C", "A"), "AC", "a, c", "C; A", " A C "],
)
def test_a_set_of_letters_is_read_from_a_set_a_list_or_a_string(answer):
    assert read_choices(answer, "ABCD") == (frozenset({"A", "C"}), None)


@pytest.mark.parametrize(
    "answer, words",
    [
        (set(), "no answer yet"),
        ([], "no answer yet"),
        (3, "not a number"),
        ({"A", "F"}, "'F' is not one of the letters"),
        ({"A", 1}, "each choice is a letter in quotes"),
        ("A and C", "is not one of the letters"),
        ("the first and the third choices", "the set of the letters you choose"),
        ({"A": True}, "not dict"),
    ],
)
def test_any_other_form_of_a_set_of_letters_says_what_to_write(answer, words):
    chosen, problem = read_choices(answer, "ABCD")
    assert chosen is None and words in problem


@pytest.mark.parametrize(
    "answer, value",
    [(12, 12.0), (0.25, 0.25), (-3, -3.0), (np.float32(0.5), 0.5), (np.int64(7), 7.0), (np.array(2.5), 2.5)],
)
def test_a_number_is_read_from_any_real_number_type(answer, value):
    assert read_number(answer) == (value, None)


@pytest.mark.parametrize(
    "answer, words",
    [
        (None, "no answer yet"),
        ("0.79", "without quotes"),
        (True, "not True or False"),
        (math.nan, "a finite number"),
        (math.inf, "a finite number"),
        ([1, 2], "one number, not list"),
        (np.array([1.0, 2.0]), "one number, not ndarray"),
        (1 + 2j, "one number, not complex"),
    ],
)
def test_any_other_form_of_a_number_says_what_to_write(answer, words):
    value, problem = read_number(answer)
    assert value is None and words in problem


def test_a_visible_check_names_the_answer_and_fails_only_on_its_form(capsys):
    check_choice("b", "ABCD", name="answer_q01")
    check_choices(["A", "D"], "ABCD", name="answer_q02")
    check_number(0.3, name="answer_q03")
    out = capsys.readouterr().out
    assert out.count("an answer of the right form") == 3 and "answer_q02" in out
    with pytest.raises(CheckFailure, match=r'^answer_q01: .*answer_q01 = "<letter>"'):
        check_choice(None, "ABCD", name="answer_q01")
    with pytest.raises(CheckFailure, match="answer_q03: give the number itself, without quotes"):
        check_number("12", name="answer_q03")
