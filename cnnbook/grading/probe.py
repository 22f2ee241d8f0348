"""The hidden part of a test cell: run a graded function on the grader's inputs and hand the results out.

In a grading run the grader writes each test's cases (inputs, and answers for the calls a correct
implementation makes to other graded functions) into the folder named by CNNBOOK_PROBE_DIR. The probe
calls the student's function on them and shows the results as one output of a private MIME type; the
grader's own process compares them with the reference and writes the verdict into the cell. Nothing
here knows the expected results, so nothing here can be patched to pass.

Outside a grading run (an instructor running the solution notebook), the probe judges in this process.
"""
import json
import os
import types
from pathlib import Path

import numpy as np

from cnnbook.grading.adapters import adapt
from cnnbook.grading.wire import call_key, decode, encode

PROBE_MIME = "application/vnd.cnnbook.probe+json"
PROBE_DIR_ENV = "CNNBOOK_PROBE_DIR"
MAX_MESSAGE = 500


def make_oracle(name: str, oracle: dict, fallback):
    """Return a stand-in for the graded function `name` that answers the calls its oracle lists.

    oracle: {"params": the function's parameter names, "table": {call_key(args): encoded answer}}. A call
    that is not in the table goes to `fallback` (the student's own function), so a correct implementation
    that calls its helpers in another way still works.
    """
    params, table = oracle["params"], oracle["table"]

    def stand_in(*args, **kwargs):
        named = [kwargs[p] for p in params[len(args):] if p in kwargs]
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
    if not oracles or not isinstance(func, types.FunctionType):
        return func
    scope = dict(func.__globals__)
    for name, oracle in oracles.items():
        scope[name] = make_oracle(name, oracle, func.__globals__.get(name))
    return types.FunctionType(func.__code__, scope, func.__name__, func.__defaults__, func.__closure__)


def alias_of(value, args: tuple) -> list:
    """Return, for the returned array (or each array of a returned tuple), the index of an argument it shares memory with."""
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


def probe(assignment: str, grade_id: str, func) -> None:
    """Run the hidden test `grade_id` of `assignment` on `func`: hand results to the grader, or judge here."""
    folder = os.environ.get(PROBE_DIR_ENV)
    if not folder:
        from autograder.judging import judge_here  # only instructors have the autograder package
        judge_here(assignment, grade_id, func)
        return
    if not callable(func):
        raise TypeError(f"{grade_id}: expected a function, got {type(func).__name__}")
    cases = json.loads((Path(folder) / f"{grade_id}.json").read_text())["cases"]
    payload = {"grade_id": grade_id, "results": run_cases(func, cases)}
    from IPython.display import display
    display({PROBE_MIME: payload, "text/plain": f"[{grade_id}: results handed to the grader]"}, raw=True)
