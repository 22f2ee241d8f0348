"""Hidden tests judged in the grader's own process, from the results a probe hands out of the student's kernel.

Each assignment's `autograder/<id>/hidden_tests.py` defines HIDDEN_TESTS: {grade_id: HiddenTest}. A
HiddenTest draws its cases from a generator (inputs, and oracle answers for the graded helpers a correct
implementation calls) and judges the results of all its cases. The reference stays in this process: the
kernel only ever sees inputs. (autograder.replayed_tests makes HiddenTests from scripted tests.)
"""
import importlib
import inspect
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable

import nbformat
import numpy as np

from cnnbook.grading.probe import PROBE_MIME, run_cases
from cnnbook.grading.wire import call_key, decode, encode


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
    return importlib.import_module(f"autograder.{assignment}.hidden_tests").HIDDEN_TESTS


def case_generator(seed: int, grade_id: str) -> np.random.Generator:
    """Return the generator of one test's cases: a stream of its own for every (seed, grade_id)."""
    return np.random.default_rng([seed, zlib.crc32(grade_id.encode())])


def draw_cases(assignment: str, seed: int) -> dict[str, list[Case]]:
    """Return every hidden test's cases for a grading run with `seed`."""
    return {grade_id: test.make_cases(case_generator(seed, grade_id))
            for grade_id, test in hidden_tests(assignment).items()}


def encode_cases(cases: list[Case]) -> list[dict]:
    """Return cases in the form the probe reads (no oracle answers are decoded here)."""
    return [{"args": encode(c.args), "kwargs": encode(c.kwargs), "oracles": c.oracles,
             **({"adapter": c.adapter} if c.adapter else {})} for c in cases]


def read_result(raw: dict) -> Result:
    """Return the Result of one encoded probe result; a malformed one becomes an error result."""
    try:
        if "error" in raw:
            return Result(error=f"{raw['error']}: {raw.get('message', '')}".strip())
        alias = raw.get("alias")
        alias = [a if isinstance(a, int) else None for a in alias] if isinstance(alias, list) else None
        return Result(value=decode(raw["value"]), args_after=decode(raw["args_after"]), alias=alias)
    except (KeyError, TypeError, ValueError) as exc:
        return Result(error=f"unreadable result ({exc})")


def judge_results(assignment: str, grade_id: str, cases: list[Case], raw_results: list) -> str | None:
    """Return the failure message of the hidden test over all its cases, or None when every result is right."""
    test = hidden_tests(assignment)[grade_id]
    if not isinstance(raw_results, list) or len(raw_results) != len(cases):
        return f"{test.function}: the hidden tests' results were incomplete; run the notebook from the top and try again."
    results = [read_result(raw) if isinstance(raw, dict) else Result(error="unreadable result") for raw in raw_results]
    return test.judge(cases, results)


def judge_here(assignment: str, grade_id: str, func, seed: int = 0) -> None:
    """Run and judge one hidden test in this process (instructors, catalogue tests); raise AssertionError on failure."""
    cases = hidden_tests(assignment)[grade_id].make_cases(case_generator(seed, grade_id))
    message = judge_results(assignment, grade_id, cases, run_cases(func, encode_cases(cases)))
    if message:
        raise AssertionError(message)


def error_output(message: str) -> dict:
    """Return a notebook error output carrying `message` (what nbgrader counts as a failed test)."""
    return {"output_type": "error", "ename": "AssertionError", "evalue": message, "traceback": [f"AssertionError: {message}"]}


def judge_notebook(nb, assignment: str, cases: dict[str, list[Case]]) -> dict[str, dict]:
    """Replace the probe outputs of every test cell of the executed notebook `nb` by the verdict, in place.

    A test cell passes only with exactly one probe result for its own grade_id, judged right, and no error.
    Values the student's code showed as cell results are removed, since nbgrader would read a number
    there as partial credit. Returns, per judged cell, its report and whether a verdict was added, so a
    question can be judged again later (rejudge_cell) without running the notebook again.
    """
    reports = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if cell.cell_type != "code" or not meta.get("grade") or grade_id not in cases:
            continue
        payloads = [o for o in cell.outputs if o.get("output_type") == "display_data" and PROBE_MIME in o.get("data", {})]
        kept = [o for o in cell.outputs if o not in payloads and o.get("output_type") != "execute_result"]
        mine = [p["data"][PROBE_MIME] for p in payloads]
        if any(o.get("output_type") == "error" for o in kept):
            cell.outputs = kept  # the cell already failed on its own
            continue
        report = mine[0] if len(mine) == 1 else None
        verdict = verdict_of(assignment, grade_id, cases[grade_id], report, len(mine))
        cell.outputs = ([nbformat.from_dict(error_output(verdict))] if verdict else []) + kept
        reports[grade_id] = {"payload": report, "reports": len(mine), "verdict": bool(verdict)}
    return reports


def verdict_of(assignment: str, grade_id: str, cases: list[Case], report, count: int) -> str | None:
    """Return the failure message for a test cell with `count` probe reports (`report` when there is one), or None."""
    if count != 1 or not isinstance(report, dict) or report.get("grade_id") != grade_id:
        return (f"{grade_id}: the hidden tests did not report exactly once for this cell "
                f"({count} reports); the cell or the tools it uses were changed")
    return judge_results(assignment, grade_id, cases, report.get("results"))


def rejudge_cell(nb, assignment: str, grade_id: str, cases: list[Case], record: dict) -> dict:
    """Judge test cell `grade_id` of an executed, judged notebook again from its saved report; return the new record."""
    cell = next(c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)
    kept = cell.outputs[1:] if record["verdict"] else cell.outputs
    verdict = verdict_of(assignment, grade_id, cases, record["payload"], record["reports"])
    cell.outputs = ([nbformat.from_dict(error_output(verdict))] if verdict else []) + list(kept)
    return {**record, "verdict": bool(verdict)}
