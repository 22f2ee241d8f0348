"""What a hidden test is: the cases it draws for one grading run, and how they are handed to the probe.

Each assignment's `autograder/assignments/<id>/hidden_tests.py` defines HIDDEN_TESTS: {grade_id: HiddenTest}.
A HiddenTest draws its cases from a generator (inputs, and oracle answers for the graded helpers a
correct implementation calls) and judges the results of all its cases (autograder.judging.verdicts). The
reference stays in the grader's process: the kernel only ever sees inputs. (autograder.judging.replay
makes HiddenTests from scripted tests; autograder.judging.toolkit holds what those scripts share.)
"""

import importlib
import inspect
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from cnnbook.grading.wire import call_key, encode


@dataclass
class Case:
    """One call of the graded function: its arguments and the oracle answers for the helpers it may call."""

    args: tuple
    kwargs: dict = field(default_factory=dict)
    oracles: dict[str, dict] = field(default_factory=dict)  # helper name -> oracle_table(...)
    label: str = ""  # words for messages
    meta: dict = field(default_factory=dict)  # what the judge needs to know of how the case was drawn
    adapter: str = ""  # how the probe calls the function (cnnbook.grading.adapters); "" for a plain call


@dataclass
class Result:
    """What the student's function did with one case: its value and its arguments afterwards, or the error it raised."""

    value: Any = None
    args_after: tuple = ()
    error: str | None = None  # "ValueError: message" when it raised
    alias: list | None = None  # per returned array, the index of the argument it shares memory with (or None)


@dataclass(frozen=True)
class HiddenTest:
    """The hidden test of one graded function."""

    function: str
    make_cases: Callable[[np.random.Generator], list[Case]]
    judge: Callable[[list[Case], list[Result]], str | None]  # a message in the exercise's terms when wrong


def oracle_table(helper: Callable, calls: list[tuple]) -> dict[str, Any]:
    """Return the oracle of `helper` for the calls a correct implementation makes: its parameter names and answers."""
    params = list(inspect.signature(helper).parameters)
    return {"params": params, "table": {call_key(args): encode(helper(*args)) for args in calls}}


def hidden_tests(assignment: str) -> dict[str, HiddenTest]:
    """Return the hidden tests of `assignment`, keyed by the grade_id of their test cell."""
    return importlib.import_module(f"autograder.assignments.{assignment}.hidden_tests").HIDDEN_TESTS


def case_generator(seed: int, grade_id: str) -> np.random.Generator:
    """Return the generator of one test's cases: a stream of its own for every (seed, grade_id)."""
    return np.random.default_rng([seed, zlib.crc32(grade_id.encode())])


def draw_cases(assignment: str, seed: int) -> dict[str, list[Case]]:
    """Return every hidden test's cases for a grading run with `seed`."""
    return {
        grade_id: test.make_cases(case_generator(seed, grade_id)) for grade_id, test in hidden_tests(assignment).items()
    }


def encode_cases(cases: list[Case]) -> list[dict]:
    """Return cases in the form the probe reads (no oracle answers are decoded here)."""
    return [
        {
            "args": encode(c.args),
            "kwargs": encode(c.kwargs),
            "oracles": c.oracles,
            **({"adapter": c.adapter} if c.adapter else {}),
        }
        for c in cases
    ]
