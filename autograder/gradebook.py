"""Recording grades in nbgrader's gradebook (SQLite or any database SQLAlchemy reaches) and reading them back."""

import warnings

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import SaveAutoGrades
from sqlalchemy.exc import SAWarning

# nbgrader's own queries make SQLAlchemy warn about autoflush; the warnings say nothing about the grades.
warnings.filterwarnings("ignore", category=SAWarning)


def save_grades(executed: nbformat.NotebookNode, db_url: str, assignment: str, student: str) -> None:
    """Record the grades of the executed, judged notebook of `student` (nbgrader's SaveAutoGrades)."""
    with Gradebook(db_url) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student)
    resources = {"nbgrader": {"db_url": db_url, "assignment": assignment, "notebook": assignment, "student": student}}
    SaveAutoGrades().preprocess(executed, resources)


def record_student(db_url: str, student: str, **details: str) -> None:
    """Create or update `student` in the gradebook with nbgrader's student fields (first_name, last_name, email,
    lms_user_id)."""
    with Gradebook(db_url) as gb:
        gb.update_or_create_student(student, **details)


def read_student(db_url: str, student: str) -> dict:
    """Return nbgrader's record of `student` (first_name, last_name, email, lms_user_id), empty when it has none."""
    with Gradebook(db_url) as gb:
        try:
            record = gb.find_student(student)
        except MissingEntry:
            return {}
        return {key: getattr(record, key) for key in ("first_name", "last_name", "email", "lms_user_id")}


def save_zero_grades(db_url: str, assignment: str, student: str) -> None:
    """Record zero for every test cell of `student`, whose submission could not be run."""
    with Gradebook(db_url) as gb:
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(assignment, student)
        for nb in submission.notebooks:
            for grade in nb.grades:
                grade.auto_score, grade.needs_manual_grade = 0, False
        gb.db.commit()


def read_scores(db_url: str, assignment: str, student: str) -> tuple[float, dict[str, float]]:
    """Return the student's total and points per grade cell."""
    with Gradebook(db_url) as gb:
        submission = gb.find_submission(assignment, student)
        points = {grade.name: float(grade.score) for nb in submission.notebooks for grade in nb.grades}
        return float(submission.score), points


def grade_cells(db_url: str, assignment: str) -> list[tuple[str, float]]:
    """Return (grade_id, points) for every graded test cell of the assignment, in notebook order."""
    with Gradebook(db_url) as gb:
        return [
            (cell.name, float(cell.max_score))
            for nb in gb.find_assignment(assignment).notebooks
            for cell in nb.grade_cells
        ]
