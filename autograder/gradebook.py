"""Recording grades in nbgrader's gradebook (SQLite or any database SQLAlchemy reaches) and reading them back, and
waiting out a database server that restarts (patiently).

A grading run records every student of the class, and two costs per student were more than all the rest of it
(measured at 200 submissions, `make bench`'s coordinator overhead): nbgrader's Gradebook makes a new database engine
each time it is opened (it looks for its tables and compiles its queries again: 0.1 s), and SQLite syncs the disk
at every commit (three per student, 15 ms each on a virtual disk). So the coordinator keeps one gradebook open for
the whole run (kept_open), which every function here uses when it is kept (they open their own otherwise: a
worker's copy, a test); and a kept SQLite gradebook is written in write-ahead-log mode with its commits not synced,
which SQLite keeps consistent when the grader is killed (only a power cut can lose the last commits, and the next
run records them again from the saved results). The file is put back in SQLite's default mode when the run ends,
so it stays one file that nbgrader and any SQLite tool read.
"""

import time
import warnings
from contextlib import contextmanager

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import SaveAutoGrades
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SAWarning

# nbgrader's own queries make SQLAlchemy warn about autoflush; the warnings say nothing about the grades.
warnings.filterwarnings("ignore", category=SAWarning)

# The gradebooks kept open (kept_open), by database URL; None: kept, but not opened yet (or closed after an error).
# nbgrader's queries find a submission's notebooks and grades by their parent's id, which its schema does not index
# (it has only its unique constraints' indexes): each record would read the grades of the whole class, a cost that
# grows with every student recorded (12 ms a student at the start of a run of 5,000 fail-fast submissions, 20 ms at
# its end). A kept gradebook gets these indexes; their names cannot clash with nbgrader's own.
INDEXES = {
    "cnnbook_grade_notebook": ("grade", "notebook_id"),
    "cnnbook_comment_notebook": ("comment", "notebook_id"),
    "cnnbook_submitted_notebook_assignment": ("submitted_notebook", "assignment_id"),
}
_kept: dict[str, Gradebook | None] = {}


@contextmanager
def kept_open(db_url: str):
    """Keep one connection to the gradebook at `db_url` for the functions of this module while the block runs.

    It is opened at its first use, inside the caller's `patiently`, so a database that is away at that moment is
    waited for like any other; after an error it is closed, and the next use opens it again.
    """
    if db_url in _kept:  # kept by an enclosing block already
        yield
        return
    _kept[db_url] = None
    try:
        yield
    finally:
        close_kept(_kept.pop(db_url))


@contextmanager
def opened(db_url: str):
    """Yield nbgrader's Gradebook at `db_url`: the one kept open (its work committed when the block ends), else one
    opened and closed for the block."""
    if db_url not in _kept:
        with Gradebook(db_url) as gb:
            yield gb
        return
    gb = _kept[db_url] or open_kept(db_url)
    _kept[db_url] = gb
    try:
        yield gb
        gb.db.commit()  # ends the transaction: the next use reads what other connections (SaveAutoGrades) wrote
    except BaseException:
        _kept[db_url] = None  # a connection that failed midway is not trusted again
        close_kept(gb)
        raise


def open_kept(db_url: str) -> Gradebook:
    """Open the gradebook a run keeps, with INDEXES; SQLite's in write-ahead-log mode, its commits not synced (see the
    module's docstring)."""
    gb = Gradebook(db_url)
    with gb.engine.begin() as connection:
        for name, (table, column) in INDEXES.items():
            connection.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})")
    if gb.engine.dialect.name != "sqlite":
        return gb
    event.listen(gb.engine, "connect", write_without_syncs)
    gb.db.remove()
    gb.engine.dispose()  # the connection nbgrader opened is made again, with the setting
    with gb.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    return gb


def write_without_syncs(dbapi_connection, _record) -> None:
    """Set a new SQLite connection not to sync at each commit (safe in write-ahead-log mode)."""
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def close_kept(gb: Gradebook | None) -> None:
    """Close a kept gradebook; put SQLite's back in its default mode (one file), if no one else has it open."""
    if gb is not None and gb.engine.dialect.name == "sqlite":
        try:
            gb.db.remove()
            with gb.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=DELETE")
        except Exception:  # another connection has it (or its disk is full): SQLite reads it in either mode
            pass
    close_quietly(gb)


def close_quietly(gb: Gradebook | None) -> None:
    """Close `gb` (if any), ignoring a connection that is already gone."""
    if gb is None:
        return
    try:
        gb.close()
    except Exception:  # the server went away: there is nothing left to close
        pass


def save_grades(executed: nbformat.NotebookNode, db_url: str, assignment: str, student: str) -> None:
    """Record the grades of the executed, judged notebook of `student` (nbgrader's SaveAutoGrades)."""
    with opened(db_url) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student)
    resources = {"nbgrader": {"db_url": db_url, "assignment": assignment, "notebook": assignment, "student": student}}
    SaveAutoGrades().preprocess(executed, resources)


def record_student(db_url: str, student: str, **details: str) -> None:
    """Create or update `student` in the gradebook with nbgrader's student fields (first_name, last_name, email,
    lms_user_id)."""
    with opened(db_url) as gb:
        gb.update_or_create_student(student, **details)


def read_student(db_url: str, student: str) -> dict:
    """Return nbgrader's record of `student` (first_name, last_name, email, lms_user_id), empty when it has none."""
    with opened(db_url) as gb:
        try:
            record = gb.find_student(student)
        except MissingEntry:
            return {}
        return {key: getattr(record, key) for key in ("first_name", "last_name", "email", "lms_user_id")}


def save_zero_grades(db_url: str, assignment: str, student: str) -> None:
    """Record zero for every test cell of `student`, whose submission could not be run."""
    with opened(db_url) as gb:
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(assignment, student)
        for nb in submission.notebooks:
            for grade in nb.grades:
                grade.auto_score, grade.needs_manual_grade = 0, False
        gb.db.commit()


def read_scores(db_url: str, assignment: str, student: str) -> tuple[float, dict[str, float]]:
    """Return the student's total and points per grade cell."""
    with opened(db_url) as gb:
        submission = gb.find_submission(assignment, student)
        points = {grade.name: float(grade.score) for nb in submission.notebooks for grade in nb.grades}
        return float(submission.score), points


def grade_cells(db_url: str, assignment: str) -> list[tuple[str, float]]:
    """Return (grade_id, points) for every graded test cell of the assignment, in notebook order."""
    with opened(db_url) as gb:
        return [
            (cell.name, float(cell.max_score))
            for nb in gb.find_assignment(assignment).notebooks
            for cell in nb.grade_cells
        ]


class GradebookUnavailable(RuntimeError):
    """The gradebook's database server could not be reached for a while: the message names it and says what to do."""


def patiently(action, db_url: str, seconds: float = 60.0):
    """Return `action()`; while the database server cannot be reached (restarting, say), try again for up to
    `seconds`, then raise GradebookUnavailable. Every recording is an update-or-create, so a try that failed
    midway and is made again leaves one row per student, never two."""
    deadline, delay = time.monotonic() + seconds, 0.5
    while True:
        try:
            return action()
        except DBAPIError as exc:
            if db_url.startswith("sqlite") or not connection_failed(exc):
                raise
            if time.monotonic() + delay > deadline:
                first = (
                    str(exc.orig or exc).strip().splitlines()[0] if str(exc.orig or exc).strip() else type(exc).__name__
                )
                raise GradebookUnavailable(
                    f"the gradebook database {make_url(db_url).render_as_string(hide_password=True)} could not be "
                    f"reached for {seconds:g} s ({first}): start it, then run the same command again; the results "
                    f"graded so far are saved and will be recorded without grading them again"
                ) from exc
            time.sleep(delay)
            delay = min(2 * delay, 5.0)


def connection_failed(exc: DBAPIError) -> bool:
    """Return whether `exc` is the database connection failing (not a query's own error)."""
    return exc.connection_invalidated or isinstance(exc, (OperationalError, InterfaceError))
