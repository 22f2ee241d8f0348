"""Hidden tests written as a script of calls, judged out of the student's kernel by record and replay.

A script `script(func, seed)` draws inputs, calls `func`, and raises AssertionError with a message when
a result is wrong (see autograder/w1a1_conv_numpy/hidden_tests.py). To grade without the reference in
the student's kernel:

- record: the grader runs the script with a stand-in that answers every call with the reference and
  notes the call's arguments: those are the cases the probe runs in the kernel;
- replay: the grader runs the script again with a stand-in that answers call k with the student's
  k-th result (changing the arguments in place as the student's function did, raising what it raised),
  so every check and message of the script applies unchanged.
"""

import copy
from typing import Callable

import numpy as np

from autograder.judging.cases import Case, HiddenTest, Result
from cnnbook.grading.adapters import adapt


class ReplayMismatch(AssertionError):
    """The replayed script asked for a call that was not recorded (only after a wrong result changed its course)."""


def student_error(error: str) -> Exception:
    """Return an exception that looks like the one the student's function raised ("ValueError: message")."""
    name, _, message = error.partition(":")
    cls = type(name.strip() if name.strip().isidentifier() else "Error", (Exception,), {})
    return cls(message.strip())


def apply_after(arg, after) -> None:
    """Change `arg` in place to match `after`, the argument as the student's function left it."""
    if isinstance(arg, np.ndarray) and isinstance(after, np.ndarray) and arg.shape == after.shape:
        np.copyto(arg, after, casting="unsafe")
    elif isinstance(arg, dict) and isinstance(after, dict):
        if arg.keys() == after.keys():  # values may be arrays: compare and change them one by one
            for key in arg:
                if isinstance(arg[key], (np.ndarray, dict, list, tuple)):
                    apply_after(arg[key], after[key])
                elif arg[key] != after[key]:
                    arg[key] = after[key]
        else:
            arg.clear()
            arg.update(after)
    elif isinstance(arg, (tuple, list)) and isinstance(after, (tuple, list)) and len(arg) == len(after):
        for a, b in zip(arg, after):
            apply_after(a, b)


def same_value(a, b) -> bool:
    """Return True when two arguments are equal, arrays inside lists and dicts included (no ambiguous truth value)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.shape(a) == np.shape(b) and np.array_equal(a, b)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    return a == b


def same_call(case: Case, args: tuple, kwargs: dict) -> bool:
    """Return True when (args, kwargs) are the recorded call of `case`."""
    return same_value(tuple(case.args), tuple(args)) and same_value(case.kwargs, kwargs)


def aliased(value, args: tuple, alias: list | None):
    """Return `value` with each returned array that shared memory with an argument replaced by that argument."""
    if not alias:
        return value

    def pick(v, index):
        if (
            index is not None
            and 0 <= index < len(args)
            and isinstance(args[index], np.ndarray)
            and isinstance(v, np.ndarray)
            and args[index].shape == v.shape
        ):
            return args[index]
        return v

    if isinstance(value, tuple):
        return tuple(pick(v, i) for v, i in zip(value, alias))
    return pick(value, alias[0])


def replayed(
    function: str, script: Callable, reference: Callable, oracles: Callable | None = None, adapter: str = ""
) -> HiddenTest:
    """Return the HiddenTest of `function` made from `script` (see the module's docstring).

    reference: the reference implementation, answering calls while recording.
    oracles: (args, kwargs) -> the oracle tables for the graded helpers a correct `function` calls.
    adapter: the name of the adapter (cnnbook.grading.adapters) both the student's function and the reference
    are called through, for functions that take or return tensors or Keras models; the script then calls and
    sees the adapted function (plain data in and out).
    """
    if adapter:
        reference = adapt(adapter, reference)

    def make_cases(rng: np.random.Generator) -> list[Case]:
        seed = int(rng.integers(2**31))
        calls = []

        def record(*args, **kwargs):
            calls.append((copy.deepcopy(args), copy.deepcopy(kwargs)))
            return reference(*copy.deepcopy(args), **copy.deepcopy(kwargs))

        script(record, seed)  # with the reference it must pass; if it raises, the hidden test itself is wrong
        return [
            Case(
                args,
                kwargs,
                oracles(*args, **kwargs) if oracles else {},
                label=f"call {k + 1}",
                meta={"seed": seed},
                adapter=adapter,
            )
            for k, (args, kwargs) in enumerate(calls)
        ]

    def judge(cases: list[Case], results: list[Result]) -> str | None:
        seed = cases[0].meta["seed"] if cases else 0
        position = 0

        def answer(*args, **kwargs):
            nonlocal position
            if position >= len(cases) or not same_call(cases[position], args, kwargs):
                raise ReplayMismatch(f"{function}: an earlier result was wrong, so the hidden test went another way.")
            result = results[position]
            position += 1
            if result.error:
                raise student_error(result.error)
            for arg, after in zip(args, result.args_after):
                apply_after(arg, after)
            return aliased(copy.deepcopy(result.value), args, result.alias)

        try:
            script(answer, seed)
        except AssertionError as exc:
            return str(exc)
        except Exception as exc:  # a result of a shape the script did not foresee: wrong, never a crash of the grader
            return f"{function}: its result could not be judged ({type(exc).__name__}: {str(exc)[:300]})"
        return None

    return HiddenTest(function, make_cases, judge)
