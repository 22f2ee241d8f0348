"""What the assignments' hidden tests are written with: failing a case in words, calling the student's function,
and building costly cases and reference reports once.

A hidden test is a script of calls (autograder.judging.replay): it draws its cases from a seed, calls the
function it is given and raises AssertionError with a message in the exercise's terms. These helpers
keep every assignment's messages in one shape, "<function>: <problem>\n  (hidden test case: <case>)",
and leave each assignment's module with only its cases, its diagnoses and its reference.
"""

import copy
import hashlib
import json
from collections import OrderedDict
from typing import Callable

from cnnbook.checks import exception_hint
from cnnbook.grading.adapters import adapt
from cnnbook.grading.wire import encode

__all__ = ["fail", "reject", "call_student", "student_report", "memoised", "reference_report"]

MESSAGE_CHARACTERS = 300  # of an error the student's function raised, quoted in the verdict
MEMO_SIZE = 256


def fail(function: str, problem: str, case) -> None:
    """Raise the verdict of a failed case: the problem in the exercise's terms, then the case in words."""
    raise AssertionError(f"{function}: {problem}\n  (hidden test case: {case})")


def reject(problem: str, case) -> None:
    """Raise the verdict of a failed case whose problem names the function already (as graph comparisons do)."""
    raise AssertionError(f"{problem}\n  (hidden test case: {case})")


def call_student(
    function: str,
    func: Callable,
    *args,
    case,
    hint_for: Callable | None = exception_hint,
    limit: int = MESSAGE_CHARACTERS,
    **kwargs,
):
    """Return func(*args, **kwargs); an exception it raises becomes a failure that names it and the case.

    An AssertionError passes through unchanged: inside a script it is a verdict already (a failed check, or
    replay's report that an earlier wrong result changed the script's course). hint_for(exc) adds a hint.
    """
    try:
        return func(*args, **kwargs)
    except AssertionError:
        raise
    except Exception as exc:
        text = str(exc)
        if len(text) > limit:
            text = text[:limit] + " ..."
        hint = hint_for(exc) if hint_for else ""
        raise AssertionError(
            f"{function}: raised {type(exc).__name__}: {text}{hint}\n  (hidden test case: {case})"
        ) from exc


def student_report(function: str, func: Callable, spec: dict, case, key: str = "graph") -> dict:
    """Return what the adapter wrapped around the student's `func` reports on `spec` (a Keras model's graph and
    outputs, say), or fail with what the function did instead (the adapter's own errors say when it returned None)."""
    result = call_student(function, func, spec, case=case, hint_for=None, limit=400)
    if not isinstance(result, dict) or key not in result:
        fail(function, "its result could not be examined (a Keras model or layer output was expected)", case)
    return result


_MEMO: OrderedDict = OrderedDict()


def memoised(key, build: Callable):
    """Return a copy of build()'s value, computed once per key (plain data) in this process.

    A hidden test runs its script twice (record, then replay), and a grader process grades many submissions
    with the same seed: cases that are costly to draw (drawn away from ambiguity by rejection) are drawn once.
    """
    digest = hashlib.sha256(json.dumps(encode(key), sort_keys=True).encode()).hexdigest()
    if digest not in _MEMO:
        _MEMO[digest] = build()
        if len(_MEMO) > MEMO_SIZE:
            _MEMO.popitem(last=False)
    return copy.deepcopy(_MEMO[digest])


def reference_report(adapter: str, reference: Callable, spec: dict):
    """Return what the adapter `adapter` reports of the reference on `spec` (a Keras model's graph and outputs, say),
    built once per distinct spec in this process: each script runs twice per submission, with the same cases."""
    return memoised(
        ("reference report", adapter, reference.__module__, reference.__qualname__, spec),
        lambda: adapt(adapter, reference)(spec),
    )
