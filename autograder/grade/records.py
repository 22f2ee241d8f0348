"""Record each outcome: the gradebook, the graded notebook and feedback page, and the row of grades.csv."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.feedback_pages import render_feedback
from autograder.grade import worker
from autograder.grade.workspace import Workspace
from autograder.gradebook import read_scores, save_grades, save_zero_grades
from autograder.output_files import write_whole
from autograder.quizzes.banks import graded_unit
from autograder.sandbox.limits import Limits

CSV_COLUMNS = ["student_id", "assignment", "score", "max_score", "status", "reason"]


@dataclass
class Row:
    """One line of the gradebook CSV: a student's total, status, the reason in words, and points per test cell."""

    student_id: str
    status: str  # graded, invalid, timeout or error
    reason: str
    score: float = 0.0
    points: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)  # "grade_id: message" for each failed test cell

    def failed_functions(self) -> list[str]:
        """Return the graded functions whose test cells failed, in notebook order (test_conv_forward ->
        conv_forward)."""
        names = dict.fromkeys(failure.split(":", 1)[0] for failure in self.failures)
        return [name.removeprefix("test_") for name in names]


def points_text(value: float) -> str:
    """Return points as a plain number: a point for decimals, at most two of them, no thousands separator."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def describe_cells(executed: nbformat.NotebookNode, cell_seconds: int) -> tuple[list[str], list[str]]:
    """Return (problems in words for the instructor, "grade_id: message" per failed test cell)."""
    problems, failures, raised = [], [], []
    for index, cell in enumerate(executed.cells, start=1):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        is_test = meta.get("grade") and not meta.get("solution")
        name = meta.get("grade_id") if is_test else f"cell {index}"
        timed_out = any(o.get("ename") == "CellTimeoutError" for o in errors)
        if timed_out:
            problems.append(f"{name} ran past the {cell_seconds} s limit per cell and was stopped")
        if timed_out and not is_test:  # said above; a cap the cell reached before it was stopped is still named
            errors = [o for o in errors if o.get("ename") != "CellTimeoutError"]
        if not errors:
            continue
        first = (errors[0].get("evalue") or "").strip().splitlines()
        message = f"{errors[0].get('ename')}: {first[0][:160] if first else ''}".rstrip(": ")
        if is_test:
            failures.append(f"{name}: {message}")
            if not timed_out:
                problems.append(f"{name} failed ({message})")
        else:
            raised.append((index, message))
    if raised:
        kinds = list(dict.fromkeys(message for _, message in raised))
        cells = ", ".join(str(i) for i, _ in raised)
        detail = "; ".join(kinds[:2]) + (f"; and {len(kinds) - 2} more" if len(kinds) > 2 else "")
        problems.insert(0, f"cell{'s' if len(raised) > 1 else ''} {cells} raised an error ({detail})")
    return problems, failures


def write_feedback(out: Path, assignment: str, student: str, html: str) -> None:
    """Write one student's feedback page to OUT/feedback/<student>/<assignment>.html."""
    write_whole(out / "feedback" / student / f"{assignment}.html", html)


def record_outcome(
    workspace: Workspace, assignment: str, outcome: worker.Outcome, limits: Limits, rerender: bool = False
) -> Row:
    """Record one outcome in the gradebook and the feedback folder, and return its row of the CSV."""
    student = outcome.student_id
    row = Row(student, outcome.status, outcome.reason, seconds=outcome.seconds)
    if not outcome.executed:
        save_zero_grades(workspace.db_url, assignment, student)
        return row
    executed = nbformat.reads(outcome.executed, as_version=4)
    save_grades(executed, workspace.db_url, assignment, student)
    target = workspace.autograded(student, assignment)
    write_whole(target, nbformat.writes(executed))
    if rerender or not outcome.feedback:  # after a question was judged again, the page shows the new grades
        outcome.feedback = render_feedback(
            executed, workspace.db_url, assignment, student, unit=graded_unit(assignment)
        )
    write_feedback(workspace.out, assignment, student, outcome.feedback)
    row.score, row.points = read_scores(workspace.db_url, assignment, student)
    problems, row.failures = describe_cells(executed, limits.cell_seconds)
    row.reason = "; ".join([p for p in [outcome.reason, *problems] if p]) or "all tests ran"
    return row


def write_csv(rows: list[Row], assignment: str, cells: list[tuple[str, float]], path: Path) -> None:
    """Write grades.csv: the fixed columns, then one column per graded test cell with the points earned."""
    max_score = sum(points for _, points in cells)
    with io.StringIO(newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS + [name for name, _ in cells])
        for row in rows:
            writer.writerow(
                [row.student_id, assignment, f"{row.score:g}", f"{max_score:g}", row.status, row.reason]
                + [f"{row.points.get(name, 0.0):g}" for name, _ in cells]
            )
        write_whole(path, fh.getvalue())
