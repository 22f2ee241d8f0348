"""Saved results: each worker's outcome kept under OUT as it arrives, keyed by everything it depends on, so a
stopped run picks up where it was and a corrected hidden test can judge saved reports again."""

import dataclasses
import hashlib
import json

import nbformat

from autograder.course import SOLUTIONS
from autograder.grade import worker
from autograder.grade.workspace import Workspace
from autograder.judging.cases import draw_cases, hidden_tests
from autograder.judging.verdicts import rejudge_cell
from autograder.output_files import write_whole
from autograder.sandbox.limits import Limits


def fingerprint(notebook_text: str, assignment: str, seed: int, limits: Limits) -> str:
    """Return the key of one grading: the submission, the instructor notebook, the seed and the limits."""
    digest = hashlib.sha256()
    for part in (
        notebook_text,
        (SOLUTIONS / assignment / f"{assignment}.ipynb").read_text(),
        assignment,
        str(seed),
        json.dumps(dataclasses.asdict(limits), sort_keys=True),
    ):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def save_outcome(workspace: Workspace, key: str, outcome: worker.Outcome) -> None:
    """Write one worker's outcome atomically (a run killed midway leaves either all of it or none)."""
    record = {"fingerprint": key, **dataclasses.asdict(outcome)}
    write_whole(workspace.results / f"{outcome.student_id}.json", json.dumps(record))


def load_outcome(workspace: Workspace, student: str, key: str) -> worker.Outcome | None:
    """Return the saved outcome of `student` when it was made from the same inputs, else None."""
    path = workspace.results / f"{student}.json"
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if record.pop("fingerprint", None) != key:
        return None
    return worker.Outcome(**record)


def rejudge_saved(
    workspace: Workspace,
    assignment: str,
    seed: int,
    grade_id: str,
    outcomes: dict[str, worker.Outcome],
    keys: dict[str, str],
) -> set[str]:
    """Judge test cell `grade_id` of every saved outcome again (with the current hidden test); return who was judged."""
    if grade_id not in hidden_tests(assignment):
        raise ValueError(
            f"{grade_id} is not a test cell of {assignment}: choose one of {', '.join(hidden_tests(assignment))}"
        )
    cases = draw_cases(assignment, seed)[grade_id]
    judged = set()
    for student, outcome in outcomes.items():
        if not outcome.executed or grade_id not in outcome.reports:
            continue  # not graded, or the cell failed on its own: nothing to judge again
        executed = nbformat.reads(outcome.executed, as_version=4)
        outcome.reports[grade_id] = rejudge_cell(executed, assignment, grade_id, cases, outcome.reports[grade_id])
        outcome.executed, outcome.feedback = nbformat.writes(executed), None
        save_outcome(workspace, keys[student], outcome)
        judged.add(student)
    return judged
