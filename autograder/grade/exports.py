"""The grades of a run as the CSV files Canvas and Moodle import (`--export canvas`, `--export moodle`).

Written here because no maintained Python package writes either system's grade-import file; the csv module
does the quoting. Each file has one row per row of grades.csv; the scores are the gradebook's, and who the
student is comes from nbgrader's student record (name, e-mail, the LMS user id that Canvas's export of the
submissions names), with the course's student id where the record has nothing.

The rules followed, from each system's public documentation:

Canvas (Instructor Guide, "How do I import grades in the Gradebook?", and the gradebook CSV Canvas exports,
which the guide tells instructors to start from):
- the first row is the header; its first five columns say who the student is, in this order: Student (the
  name, last name first: "Last, First"), ID (the Canvas user id), SIS User ID, SIS Login ID, Section;
  Canvas finds the student from the ID, the SIS user id or the SIS login id;
- every further column is one assignment, headed by the assignment's name as Canvas shows it, followed for
  an existing assignment by its Canvas id in parentheses ("Convolution (12345)"); an unknown header makes
  a new assignment;
- the second row, whose first cell reads "Points Possible", gives each assignment's points;
- scores are plain numbers; the file is UTF-8, fields holding a comma or a quote are quoted and quotes doubled.

Moodle (MoodleDocs, "Grade import", importing a CSV file):
- a header row of column names, then one row per student; comma-separated and UTF-8, the import form's
  defaults;
- at import the teacher maps one column to identify users ("Map from" a column, "Map to" the user's
  username, e-mail address, ID number or id): this file has Username (the course's student id) and Email
  address;
- every other column is mapped to a grade item, or to the feedback of one; a grade is a number with a
  point for decimals, "-" or empty meaning no grade, never above the item's maximum grade;
- feedback is imported together with its grades (importing an item's feedback alone loses its grades), so
  the feedback column comes with the grade column.
"""

import csv
import io
from pathlib import Path

from autograder.grade.records import Row, points_text
from autograder.gradebook import read_student
from autograder.output_files import write_whole

FILES = {"canvas": "grades-canvas.csv", "moodle": "grades-moodle.csv"}  # in OUT
FORMATS = tuple(FILES)
CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_ROW = "Points Possible"
MOODLE_IDENTITY = ["First name", "Last name", "Username", "Email address"]


def check_formats(formats) -> None:
    """Raise ValueError naming the known formats when one of `formats` is not one of them."""
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown:
        raise ValueError(f"unknown export format {unknown[0]!r}: choose among {', '.join(FORMATS)}")


def export_path(out: Path, fmt: str) -> Path:
    """Return where the export in format `fmt` is written, in OUT."""
    return out / FILES[fmt]


def sortable_name(student: str, record: dict) -> str:
    """Return the student's name as Canvas writes it, "Last, First", or the student id when the gradebook has no
    name."""
    first, last = (record.get("first_name") or "").strip(), (record.get("last_name") or "").strip()
    if first and last:
        return f"{last}, {first}"
    return last or first or student


def feedback_text(row: Row, max_score: float, unit: str = "function") -> str:
    """Return the feedback comment of a row, in words: the score and the functions (a quiz's questions: `unit`) to
    look at again, or what kept the notebook from being graded."""
    score = f"{points_text(row.score)} / {points_text(max_score)}"
    if row.status != "graded":
        return f"{score}: {row.status}: {row.reason}"
    failed = row.failed_functions()
    if not failed:
        if unit == "question":
            return f"{score}: every answer is right."
        return f"{score}: every graded function passed its hidden tests."
    named = f"questions {', '.join(failed)}" if unit == "question" else ", ".join(failed)
    return f"{score}: look again at {named} (the feedback page says what is wrong)."


def canvas_rows(rows: list[Row], records: dict[str, dict], column: str, max_score: float) -> list[list[str]]:
    """Return the rows of Canvas's gradebook CSV: the header, the points row, one row per student."""
    table = [CANVAS_IDENTITY + [column], [CANVAS_POINTS_ROW, "", "", "", "", points_text(max_score)]]
    for row in rows:
        record = records[row.student_id]
        lms_id = record.get("lms_user_id") or ""
        table.append([sortable_name(row.student_id, record), lms_id, "", row.student_id, "", points_text(row.score)])
    return table


def moodle_rows(
    rows: list[Row], records: dict[str, dict], column: str, max_score: float, unit: str = "function"
) -> list[list[str]]:
    """Return the rows of a CSV for Moodle's grade import: the header, one row per student."""
    table = [MOODLE_IDENTITY + [column, f"{column} feedback"]]
    for row in rows:
        record = records[row.student_id]
        table.append(
            [
                (record.get("first_name") or "").strip(),
                (record.get("last_name") or "").strip(),
                row.student_id,
                (record.get("email") or "").strip(),
                points_text(row.score),
                feedback_text(row, max_score, unit),
            ]
        )
    return table


def write_export(
    fmt: str,
    rows: list[Row],
    db_url: str,
    cells: list[tuple[str, float]],
    out: Path,
    column: str,
    unit: str = "function",
) -> Path:
    """Write the grades of `rows` as the CSV file `fmt` ("canvas" or "moodle") imports; return its path.

    column: the header of the grade column (the assignment's name in the learning-management system); unit: what a
    test cell grades, "function" (an assignment) or "question" (a quiz), for Moodle's feedback comments.
    """
    check_formats([fmt])
    max_score = sum(points for _, points in cells)
    records = {row.student_id: read_student(db_url, row.student_id) for row in rows}
    if fmt == "canvas":
        table = canvas_rows(rows, records, column, max_score)
    else:
        table = moodle_rows(rows, records, column, max_score, unit)
    path = export_path(out, fmt)
    with io.StringIO(newline="") as fh:
        csv.writer(fh).writerows(table)
        write_whole(path, fh.getvalue())  # UTF-8
    return path
