"""Grade one submission: sanitize it, run it in a sandboxed kernel, and judge its hidden tests.

`run(task)` is a plain function of plain data, so it runs the same in a local process pool and on a
Dask worker. It never touches the shared gradebook: it returns the executed, judged notebook, and the
coordinating process records the grades.
"""

import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.preprocessors import (
    IgnorePattern,
    LimitOutput,
)

from autograder.course import nbgrader_env
from autograder.feedback_pages import render_feedback
from autograder.grade.case_drawing import CaseDrawing, draw_quietly
from autograder.grade.execution import execute
from autograder.grade.phase_timing import KernelTimes, PhaseClock
from autograder.grade.sanitizing import sanitize
from autograder.grade.work_folder import prepare_data, prepare_work_dir, share_data
from autograder.gradebook import save_grades
from autograder.judging.verdicts import judge_notebook
from autograder.quizzes.banks import graded_unit
from autograder.sandbox.bubblewrap import bubblewrap
from autograder.sandbox.cgroups import cap_support
from autograder.sandbox.disk_cap import make_working_folder, remove_working_folder, unmount_stale
from autograder.sandbox.limits import Limits
from autograder.sandbox.processes import free_uid
from cnnbook.data.cache import data_dir
from cnnbook.grading.wire import PROBE_DIR_ENV

KERNEL_ENV = {
    "CNNBOOK_GRADING": "1",
    "MPLBACKEND": "Agg",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}


@dataclass
class Task:
    """Everything one worker needs to grade one submission."""

    assignment: str
    student_id: str
    notebook: str  # the submitted notebook, as JSON text
    gradebook: bytes  # the gradebook after generate_assignment (the instructor's cells, hidden tests included)
    seed: int
    limits: Limits = field(default_factory=Limits)
    hide: tuple[str, ...] = ()  # folders of this grading run the kernel must not see


@dataclass
class Outcome:
    """What grading one submission gave: the executed and judged notebook, or the reason there is none."""

    student_id: str
    status: str  # graded, timeout, crashed or error
    reason: str
    executed: str | None  # JSON text of the executed, judged notebook
    seconds: float
    peak_mb: float
    sandboxed: bool
    reports: dict = field(default_factory=dict)  # per judged test cell, its probe report (see judging.judge_notebook)
    feedback: str | None = None  # the HTML feedback page, rendered here so it is made in parallel too
    held: dict = field(default_factory=dict)  # the most it held, measured from outside: memory_bytes, processes, ...
    caps: str | None = None  # how its caps were held ("cgroup v1", "cgroup v2"), None: limits per process only
    phases: dict = field(default_factory=dict)  # seconds per phase (grade.phase_timing), adding up to `seconds`


def warm_up(assignment: str | None = None, seed: int | None = None) -> int:
    """Start a worker: submitted once per worker while the grader prepares, so the worker's start-up overlaps that
    work; with `assignment`, the hidden tests' cases are drawn in the background meanwhile (see CaseDrawing)."""
    if assignment is not None:
        threading.Thread(target=draw_quietly, args=(assignment, seed), name="early-case-drawing", daemon=True).start()
    return os.getpid()


def run(task: Task) -> Outcome:
    """Grade one submission (see the module's docstring)."""
    clock = PhaseClock()  # its total is the outcome's seconds, its phases the outcome's phases
    deadline = time.monotonic() + task.limits.notebook_seconds
    os.environ["PATH"] = nbgrader_env()["PATH"]  # nbgrader's gradebook runs `alembic` from this interpreter's bin/
    sandboxed = bubblewrap() is not None
    unmount_stale()  # the capped folders of a worker killed mid-submission, which nothing else would unmount
    with tempfile.TemporaryDirectory(prefix=f"grade-{task.student_id}-") as tmp:
        tmp = Path(tmp)
        db = tmp / "gradebook.db"
        db.write_bytes(task.gradebook)
        resources = {
            "nbgrader": {
                "db_url": f"sqlite:///{db}",
                "assignment": task.assignment,
                "notebook": task.assignment,
                "student": task.student_id,
            }
        }
        try:
            with clock.phase("sanitize"):
                nb = sanitize(nbformat.reads(task.notebook, as_version=4), resources)
        except Exception as exc:  # nbgrader refuses notebooks whose locked cells' metadata was tampered with
            seconds = clock.elapsed()
            return Outcome(
                task.student_id,
                "invalid",
                f"the notebook's grading metadata was changed ({exc}); give "
                f"the student a fresh copy of the notebook to paste their answers into",
                None,
                seconds,
                0.0,
                sandboxed,
                phases=clock.summary(seconds),
            )
        with clock.phase("prepare"):
            prepare_data(task.assignment)
            grader_cache = data_dir()
            uid = free_uid()
            folder = make_working_folder(task.student_id, task.limits.disk_bytes)
            work = folder.path
        kernel, executed, drawing = None, None, None
        try:
            with clock.phase("prepare"):
                prepare_work_dir(work, task.assignment, uid)
                shared = share_data(folder, grader_cache, uid)  # after prepare_work_dir, so the data stay the grader's
                drawing = CaseDrawing(task.assignment, task.seed, work / ".probe")
                os.environ.update({**KERNEL_ENV, PROBE_DIR_ENV: str(work / ".probe"), "CNNBOOK_DATA_DIR": str(shared)})
            kernel = KernelTimes()
            executed, watchdog, skipped, held = execute(
                nb,
                work,
                task.limits,
                task.hide,
                deadline,
                uid,
                kernel.on_ready(drawing.start_once),
                kernel.on_wait(drawing.wait),
                folder.capped,
            )
        except RuntimeError as exc:  # the kernel did not start (nbclient says so with a RuntimeError)
            if kernel is not None:
                kernel.end()
                clock.add_all(kernel.phases())
            seconds = clock.elapsed()
            return Outcome(
                task.student_id,
                "error",
                f"the notebook's kernel could not start: {exc}",
                None,
                seconds,
                0.0,
                sandboxed,
                phases=clock.summary(seconds),
            )
        finally:
            if kernel is not None:
                kernel.end()
            os.environ["CNNBOOK_DATA_DIR"] = str(grader_cache)  # this process keeps using its own cache
            if drawing is not None:
                drawing.finish()  # before its folder goes
            remove_working_folder(folder)
        clock.add_all(kernel.phases(executed))
        seconds, peak_mb = clock.elapsed(), watchdog.peak_bytes / 1024**2
        caps = cap_support().kind
        if executed is None:
            if watchdog.fired:
                return Outcome(
                    task.student_id,
                    "timeout",
                    f"grading stopped after the {task.limits.notebook_seconds} s limit per notebook; "
                    f"look for a loop that never ends or very slow code",
                    None,
                    seconds,
                    peak_mb,
                    sandboxed,
                    held=held,
                    caps=caps,
                    phases=clock.summary(seconds),
                )
            return Outcome(
                task.student_id,
                "crashed",
                "the kernel was stopped again and again; nothing could be graded: "
                + "; ".join(f"cell {cell.index + 1} {cell.cause}" for cell in skipped),
                None,
                seconds,
                peak_mb,
                sandboxed,
                held=held,
                caps=caps,
                phases=clock.summary(seconds),
            )
        with clock.phase("judging"):
            cases = drawing.result()  # the kernel ran, so the drawing started
            executed, _ = IgnorePattern(enabled=True, pattern="^").preprocess(executed, {})
            reports = judge_notebook(executed, task.assignment, cases)
        with clock.phase("gradebook"):
            executed, _ = LimitOutput(max_lines=1000, max_traceback=100).preprocess(executed, {})
            # This worker's own copy of the gradebook scores the notebook for its feedback page.
            save_grades(executed, resources["nbgrader"]["db_url"], task.assignment, task.student_id)
        with clock.phase("feedback"):
            feedback = render_feedback(
                executed,
                resources["nbgrader"]["db_url"],
                task.assignment,
                task.student_id,
                unit=graded_unit(task.assignment),
            )
        reason = "; ".join(f"cell {cell.index + 1} {cell.cause}; it was skipped" for cell in skipped)
        text = nbformat.writes(executed)
        seconds = clock.elapsed()
        return Outcome(
            task.student_id,
            "graded",
            reason,
            text,
            seconds,
            peak_mb,
            sandboxed,
            reports,
            feedback,
            held,
            caps,
            clock.summary(seconds),
        )
