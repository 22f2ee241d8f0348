"""Verdicts: the results a probe hands out of the student's kernel, judged in the grader's own process.

A test cell passes only with exactly one probe report for its own grade_id, judged right by its
HiddenTest (autograder.judging.cases), and no error. The verdict replaces the report in the cell, so
nbgrader reads it as a passed or failed test; a saved report can be judged again later.
"""

import nbformat

from autograder.judging.cases import Case, Result, case_generator, encode_cases, hidden_tests
from cnnbook.grading.runner import run_cases
from cnnbook.grading.wire import PROBE_MIME, decode


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
        return (
            f"{test.function}: the hidden tests' results were incomplete; run the notebook from the top and try again."
        )
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
    return {
        "output_type": "error",
        "ename": "AssertionError",
        "evalue": message,
        "traceback": [f"AssertionError: {message}"],
    }


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
        payloads = [
            o for o in cell.outputs if o.get("output_type") == "display_data" and PROBE_MIME in o.get("data", {})
        ]
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
        return (
            f"{grade_id}: the hidden tests did not report exactly once for this cell "
            f"({count} reports); the cell or the tools it uses were changed"
        )
    return judge_results(assignment, grade_id, cases, report.get("results"))


def rejudge_cell(nb, assignment: str, grade_id: str, cases: list[Case], record: dict) -> dict:
    """Judge test cell `grade_id` of an executed, judged notebook again from its saved report; return the new record."""
    cell = next(c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)
    kept = cell.outputs[1:] if record["verdict"] else cell.outputs
    verdict = verdict_of(assignment, grade_id, cases, record["payload"], record["reports"])
    cell.outputs = ([nbformat.from_dict(error_output(verdict))] if verdict else []) + list(kept)
    return {**record, "verdict": bool(verdict)}
