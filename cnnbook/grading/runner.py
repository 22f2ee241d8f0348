"""Run a graded function on encoded cases and encode what it did: the pure part of the probe.

The probe (cnnbook.grading.probe) runs this in the student's kernel during grading; the grader's in-process
judging (autograder.judging.verdicts.judge_here, used by the tests and the mistake catalogue) runs the same
code, so a function is called the same way in both. Nothing here knows the expected results.

Used by: cnnbook.grading.probe, the grader
"""

import numpy as np

from cnnbook.grading.adapters import adapt
from cnnbook.grading.rebinding import with_globals
from cnnbook.grading.wire import call_key, decode, encode

__all__ = ["run_cases", "with_oracles", "make_oracle", "alias_of", "MAX_MESSAGE"]

MAX_MESSAGE = 500


def make_oracle(name: str, oracle: dict, fallback):
    """Return a stand-in for the graded function `name` that answers the calls its oracle lists.

    oracle: {"params": the function's parameter names, "table": {call_key(args): encoded answer}}. A call
    that is not in the table goes to `fallback` (the student's own function), so a correct implementation
    that calls its helpers in another way still works.
    """
    params, table = oracle["params"], oracle["table"]

    def stand_in(*args, **kwargs):
        named = [kwargs[p] for p in params[len(args) :] if p in kwargs]
        if len(args) + len(named) == len(params) and len(named) == len(kwargs):
            hit = table.get(call_key(tuple(args) + tuple(named)))
            if hit is not None:
                return decode(hit)
        if fallback is None:
            raise NameError(f"name '{name}' is not defined")
        return fallback(*args, **kwargs)

    stand_in.__name__ = name
    return stand_in


def with_oracles(func, oracles: dict):
    """Return `func` with each graded function it calls by name replaced by its oracle (a copy; `func` is unchanged)."""
    if not oracles:
        return func
    stand_ins = {
        name: make_oracle(name, oracle, getattr(func, "__globals__", {}).get(name)) for name, oracle in oracles.items()
    }
    return with_globals(func, **stand_ins)


def alias_of(value, args: tuple) -> list:
    """Return, for the returned array (or each array of a returned tuple), the index of an argument it shares memory
    with."""

    def index(v):
        if isinstance(v, np.ndarray):
            for i, arg in enumerate(args):
                if isinstance(arg, np.ndarray) and np.shares_memory(v, arg):
                    return i
        return None

    return [index(v) for v in value] if isinstance(value, tuple) else [index(value)]


def run_cases(func, cases: list[dict]) -> list[dict]:
    """Call `func` on every encoded case and return one encoded result per case (the value or the error raised)."""
    results = []
    for case in cases:
        args, kwargs = decode(case["args"]), decode(case["kwargs"])
        target = with_oracles(func, case.get("oracles", {}))
        try:
            if case.get("adapter"):  # a TensorFlow function: tensors or Keras inputs in, plain data out
                target = adapt(str(case["adapter"]), target)
            value = target(*args, **kwargs)
        except Exception as exc:  # the student's error is a result to judge, not a crash of the probe
            results.append({"error": type(exc).__name__, "message": str(exc)[:MAX_MESSAGE]})
            continue
        # The arguments after the call show whether the function changed its inputs in place.
        results.append({"value": encode(value), "args_after": encode(args), "alias": alias_of(value, args)})
    return results
