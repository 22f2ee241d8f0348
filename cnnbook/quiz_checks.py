"""The visible checks of a quiz's answers: the FORM of an answer (one letter among the choices, a set of letters, a
finite number), never whether it is right, which only the grader knows.

A quiz's answers are plain values in answer cells (`answer_q03 = "B"`). The readers here turn what a student wrote
into the answer the question asked for, or say in a sentence what form it must take; the grader reads a
submitted answer with the same readers before it judges it, so an answer that passes its visible check is never
refused by the grader for its form, and one in another form gets the same message there, not a crash.
Spelling is forgiven (a lower-case letter, spaces, "A, C" for a set of letters); a different form is not.

Used by: solutions/w1_quiz/w1_quiz.ipynb, solutions/w2_quiz/w2_quiz.ipynb, solutions/w3_quiz/w3_quiz.ipynb,
solutions/w4_quiz/w4_quiz.ipynb, the grader
"""

import math
import numbers
import re

import numpy as np

from cnnbook.checks import CheckFailure
from cnnbook.grading import is_grading

__all__ = ["read_choice", "read_choices", "read_number", "check_choice", "check_choices", "check_number"]

LONG_TEXT = 24  # characters of an answer quoted in a message; a longer string is not a list of letters
LETTER_LIST = re.compile(r"^[A-Za-z]([\s,;]*[A-Za-z])*$")  # "AC", "A, C", "a c"


def listed(letters: str) -> str:
    """Return the letters for a sentence: "A, B, C or D"."""
    return ", ".join(letters[:-1]) + f" or {letters[-1]}" if len(letters) > 1 else letters


def is_missing(answer) -> bool:
    """Whether an answer was not given yet: None, ..., or an empty text or collection."""
    if answer is None or answer is Ellipsis:
        return True
    return isinstance(answer, (str, set, frozenset, list, tuple)) and len(answer) == 0


def letter_problem(text: str, letters: str) -> str | None:
    """Return why `text` is not one of `letters` (spelling forgiven), or None."""
    stripped = text.strip()
    if len(stripped) == 1 and stripped.upper() in letters:
        return None
    shown = stripped if len(stripped) <= LONG_TEXT else stripped[:LONG_TEXT] + "..."
    return f"{shown!r} is not one of the letters {listed(letters)}: answer with the letter of a choice, not its text"


def read_choice(answer, letters: str) -> tuple[str | None, str | None]:
    """Return (the letter, None) of a one-choice answer, or (None, what form it must take)."""
    form = f'one of the letters {listed(letters)}, in quotes: answer = "<letter>"'
    if is_missing(answer):
        return None, f"no answer yet: write {form}"
    if isinstance(answer, (set, frozenset, list, tuple)):
        return None, f"this question has one right choice: give {form}, not a {type(answer).__name__}"
    if isinstance(answer, (bool, numbers.Number, np.generic)):
        return None, f"give the letter of your choice in quotes, not a number: {form}"
    if not isinstance(answer, str):
        return None, f"give {form}, not {type(answer).__name__}"
    text = answer.strip()
    if len(text) > 1 and LETTER_LIST.match(text) and set(text.upper()) - set(" ,;") <= set(letters):
        return None, f"this question has one right choice: give {form}"
    problem = letter_problem(answer, letters)
    return (None, problem) if problem else (answer.strip().upper(), None)


def read_choices(answer, letters: str) -> tuple[frozenset[str] | None, str | None]:
    """Return (the set of letters, None) of a several-choice answer, or (None, what form it must take)."""
    form = f'the set of the letters you choose among {listed(letters)}: answer = {{"<letter>", "<letter>", ...}}'
    if is_missing(answer):
        return None, f"no answer yet: write {form}"
    if isinstance(answer, str):
        if len(answer.strip()) > LONG_TEXT or not LETTER_LIST.match(answer.strip()):
            return None, f"give {form}"
        answer = re.findall(r"[A-Za-z]", answer)
    if not isinstance(answer, (set, frozenset, list, tuple)):
        return None, f"give {form}, not {'a number' if isinstance(answer, numbers.Number) else type(answer).__name__}"
    chosen = set()
    for item in answer:
        if not isinstance(item, str):
            return None, f"each choice is a letter in quotes: give {form}"
        problem = letter_problem(item, letters)
        if problem:
            return None, problem
        chosen.add(item.strip().upper())
    return frozenset(chosen), None


def read_number(answer) -> tuple[float | None, str | None]:
    """Return (the number, None) of a numeric answer, or (None, what form it must take)."""
    if is_missing(answer):
        return None, "no answer yet: write the number itself, answer = <number>"
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        answer = answer.reshape(()).item()
    if isinstance(answer, (bool, np.bool_)):
        return None, "give a number, not True or False"
    if isinstance(answer, str):
        return None, "give the number itself, without quotes"
    if not isinstance(answer, (numbers.Real, np.integer, np.floating)):
        return None, f"give one number, not {type(answer).__name__}"
    value = float(answer)
    if not math.isfinite(value):
        return None, f"give a finite number, not {value}"
    return value, None


def require_form(name: str, problem: str | None) -> None:
    """Raise CheckFailure with the form the answer `name` must take; print that the form is right otherwise."""
    if problem:
        raise CheckFailure(f"{name}: {problem.replace('answer = ', f'{name} = ')}")
    if not is_grading():  # in the graded notebook, the verdict under it says the rest
        print(f"{name}: an answer of the right form. Whether it is right is known once the quiz is graded.")


def check_choice(answer, letters: str, name: str = "answer") -> None:
    """Check that a one-choice answer is one of `letters`."""
    require_form(name, read_choice(answer, letters)[1])


def check_choices(answer, letters: str, name: str = "answer") -> None:
    """Check that a several-choice answer is a set of some of `letters`."""
    require_form(name, read_choices(answer, letters)[1])


def check_number(answer, name: str = "answer") -> None:
    """Check that a numeric answer is one finite number."""
    require_form(name, read_number(answer)[1])
