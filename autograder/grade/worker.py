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
from autograder.grade.spare_kernel import close, prepare_kernel, start_next, take_kernel
from autograder.gradebook import save_grades
from autograder.judging.verdicts import judge_notebook
from autograder.quizzes.banks import graded_unit
from autograder.sandbox.bubblewrap import bubblewrap
from autograder.sandbox.cgroups import cap_support
from autograder.sandbox.disk_cap import unmount_stale
from autograder.sandbox.limits import Limits
from cnnbook.data.cache import data_dir


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
    ahead: bool = False  # start this worker's next kernel while grading this one (see coordinator.starts_ahead)


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


def warm_up(
    assignment: str | None = None, seed: int | None = None, ahead: tuple[str, Limits, tuple[str, ...]] | None = None
) -> int:
    """Start a worker: submitted once per worker while the grader prepares, so the worker's start-up overlaps that
    work; with `assignment`, the hidden tests' cases are drawn in the background meanwhile (see CaseDrawing); with
    `ahead` (assignment, limits, hidden folders), the first submission's kernel is started (see spare_kernel)."""
    if ahead is not None:
        os.environ["PATH"] = nbgrader_env()["PATH"]
        start_next(*ahead)  # first: the thread below would hold the interpreter with its imports
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
            kernel = take_kernel(task.assignment, task.limits, task.hide)
            grader_cache = data_dir()
        times, executed, drawing = None, None, None
        try:
            if kernel is None:  # none was started ahead (the first of a run, or another setting): start one now
                with clock.phase("prepare"):
                    kernel = prepare_kernel(task.assignment, task.limits, task.hide, task.student_id)
            if task.ahead:
                # While this one runs; before its variables are set below, so the next shares the grader's data cache.
                with clock.phase("next_kernel"):
                    start_next(task.assignment, task.limits, task.hide)
            with clock.phase("prepare"):
                drawing = CaseDrawing(task.assignment, task.seed, kernel.folder.path / ".probe")
                os.environ.update(kernel.env)  # a kernel started again after a crash starts with these
            times = KernelTimes()
            executed, watchdog, skipped, held = execute(
                nb,
                kernel,
                deadline,
                times.on_ready(drawing.start_once),
                times.on_wait(drawing.wait),
            )
        except RuntimeError as exc:  # the kernel did not start (nbclient says so with a RuntimeError)
            if times is not None:
                times.end()
                clock.add_all(times.phases())
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
            if times is not None:
                times.end()
            os.environ["CNNBOOK_DATA_DIR"] = str(grader_cache)  # this process keeps using its own cache
            if drawing is not None:
                drawing.finish()  # before its folder goes
            close(kernel)
        clock.add_all(times.phases(executed))
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
