"""Grade a folder (or zip) of submissions for one assignment: gradebook, grades.csv, feedback and a class report.

    python -m autograder.grade ASSIGNMENT SUBMISSIONS [--out graded/ASSIGNMENT] [--workers N | --scheduler ADDRESS]

Each submission is graded by a worker (autograder.grade.worker) in a sandboxed kernel: a pool of local
processes by default, or the workers of a Dask cluster when --scheduler names one. Every result is
saved as it arrives, so a grading run that is stopped picks up where it was when run again, without
grading anything twice. nbgrader keeps the books: its gradebook (SQLite in OUT, or the database at
--db) and its feedback, with the hidden tests left out.
"""

import dataclasses
import os
import shutil
import time
from pathlib import Path

from tqdm import tqdm

from autograder.class_report import render_report
from autograder.course import check_assignment, run_nbgrader
from autograder.grade import worker
from autograder.grade.dispatch import run_dask, run_local, start_pool
from autograder.grade.exports import check_formats, write_export
from autograder.grade.phase_timing import PhaseClock
from autograder.grade.records import Row, record_outcome, write_csv
from autograder.grade.saved_results import fingerprint, load_outcome, rejudge_saved, save_outcome
from autograder.grade.workspace import (
    Workspace,
    coordinator_runs_nbgrader,
    generate_source_gradebook,
    gradebook_url,
    run_seed,
)
from autograder.gradebook import grade_cells, kept_open, patiently, record_student, save_zero_grades
from autograder.intake.layouts import collect
from autograder.intake.notebook_files import read_notebook
from autograder.output_files import naming_a_full_folder, write_whole
from autograder.quizzes.banks import graded_unit, is_quiz
from autograder.sandbox.bubblewrap import bubblewrap
from autograder.sandbox.cgroups import cap_support
from autograder.sandbox.disk_cap import can_mount
from autograder.sandbox.limits import Limits, in_words
from autograder.similarity_report import report_similarity


def grade(
    assignment: str,
    submissions: Path,
    out: Path,
    *,
    limits: Limits | None = None,
    cell_timeout: int | None = None,
    notebook_timeout: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    seed: int | None = None,
    regrade: tuple[str, ...] = (),
    regrade_question: str | None = None,
    db_url: str | None = None,
    exports: tuple[str, ...] = (),
    export_column: str | None = None,
    progress: bool = True,
    similarity: bool = True,
    timings: dict[str, float] | None = None,
) -> list[Row]:
    """Grade every submission in `submissions`; write the gradebook, OUT/grades.csv, OUT/feedback/ and OUT/report.html.

    seed: of the hidden tests' inputs; by default drawn at random when OUT is first used and kept there, so a
    student cannot know the inputs in advance and a resumed run uses the same ones.
    regrade: students to grade again from scratch; regrade_question: a test cell (grade_id) to judge again for
    every saved submission from its saved report, after its hidden test was corrected, without running anything.
    similarity: compare the students' answers afterwards (OUT/similarity.html and .csv, autograder.similarity_report).
    exports: formats of autograder.grade.exports ("canvas", "moodle") to write as OUT/grades-<format>.csv, with
    `export_column` (default: the assignment id) as the header of the grade column.
    timings: filled, when given, with the seconds of the coordinator's own steps (grade.phase_timing's
    COORDINATOR_PHASES; `make bench` prints them).
    """
    check_assignment(assignment)
    check_formats(exports)  # before any grading: a typo must not cost a run
    limits = limits or Limits()
    limits = dataclasses.replace(
        limits,
        cell_seconds=cell_timeout or limits.cell_seconds,
        notebook_seconds=notebook_timeout or limits.notebook_seconds,
    )
    out = out.resolve()
    clock = PhaseClock()
    # One connection to the gradebook for all the class's records: nbgrader's takes 0.1 s to open (see gradebook.py).
    with naming_a_full_folder(out), kept_open(gradebook_url(out, db_url)):
        rows = grade_in(
            assignment,
            submissions,
            out,
            limits,
            workers,
            scheduler,
            seed,
            regrade,
            regrade_question,
            db_url,
            exports,
            export_column,
            progress,
            similarity,
            clock,
        )
    if timings is not None:
        timings.update(clock.summary())
    return rows


def grade_in(
    assignment: str,
    submissions: Path,
    out: Path,
    limits: Limits,
    workers: int | None,
    scheduler: str | None,
    seed: int | None,
    regrade: tuple[str, ...],
    regrade_question: str | None,
    db_url: str | None,
    exports: tuple[str, ...],
    export_column: str | None,
    progress: bool,
    similarity: bool,
    clock: PhaseClock,
) -> list[Row]:
    """Do grade()'s work in the output folder `out` (absolute), counting its steps' time on `clock`."""
    workspace = Workspace(out, gradebook_url(out, db_url))
    workspace.root.mkdir(parents=True, exist_ok=True)
    seed = run_seed(workspace, seed)
    started = time.monotonic()
    with clock.phase("intake"):
        subs = collect(submissions, assignment, workspace.root)
    workers = workers or os.cpu_count() or 1
    rows: dict[str, Row] = {}
    outcomes: dict[str, worker.Outcome] = {}
    pending, keys = [], {}  # (student, notebook text) to grade; each submission's fingerprint
    begun = time.perf_counter()
    for sub in subs:
        if sub.notebook is None and sub.missing:
            rows[sub.student_id] = Row(sub.student_id, "missing", sub.problem or "no submission")
            continue
        if sub.notebook is None:
            rows[sub.student_id] = Row(sub.student_id, "invalid", sub.problem or "no notebook found")
            continue
        text, problem = read_notebook(sub.notebook)
        if text is None:
            rows[sub.student_id] = Row(sub.student_id, "invalid", problem)
            continue
        keys[sub.student_id] = fingerprint(text, assignment, seed, limits)
        saved = None if sub.student_id in regrade else load_outcome(workspace, sub.student_id, keys[sub.student_id])
        if saved is not None:
            outcomes[sub.student_id] = saved
        else:
            pending.append((sub.student_id, text))
    clock.add("intake", time.perf_counter() - begun)

    hide = (str(out), str(Path(submissions).resolve()))
    pool = None
    if pending and not scheduler:  # no pool when every notebook was graded before (a rerun) or none can run
        early = coordinator_runs_nbgrader(assignment, out, db_url)  # the workers would otherwise wait for us
        with clock.phase("workers_start"):
            # Each worker starts its first kernel meanwhile (autograder.grade.spare_kernel).
            pool = start_pool(
                min(workers, len(pending)), assignment if early else None, seed, (assignment, limits, hide)
            )

    # The workers restore locked cells from a gradebook of their own (a copy of this SQLite file).
    with clock.phase("source_gradebook"):
        source_db = workspace.root / "source.db"
        if source_db.exists():
            source_db.unlink()
        generate_source_gradebook(assignment, workspace, source_db)
        gradebook_file = out / "gradebook.db"
        if db_url is None and not gradebook_file.exists():
            shutil.copy(source_db, gradebook_file)  # a new gradebook starts as the same thing: no second nbgrader
        else:
            run_nbgrader("generate_assignment", assignment, "--force", *workspace.flags())
        gradebook_bytes = source_db.read_bytes()
    begun = time.perf_counter()
    for sub in subs:
        if sub.lms_user_id:
            patiently(
                lambda: record_student(workspace.db_url, sub.student_id, lms_user_id=sub.lms_user_id), workspace.db_url
            )
    clock.add("intake", time.perf_counter() - begun)
    ahead = starts_ahead(workers, scheduler)
    last = len(pending) - workers  # the tasks from here on are each some worker's last
    tasks = [
        worker.Task(assignment, student, text, gradebook_bytes, seed, limits, hide, ahead and k < last)
        for k, (student, text) in enumerate(pending)
    ]

    rejudged = (
        rejudge_saved(workspace, assignment, seed, regrade_question, outcomes, keys) if regrade_question else set()
    )
    recorded = set(outcomes)  # the students whose outcome recorded their grades (zeros included)
    for student, outcome in outcomes.items():  # saved earlier
        with clock.phase("recording"):
            rows[student] = patiently(
                lambda: record_outcome(workspace, assignment, outcome, limits, rerender=student in rejudged),
                workspace.db_url,
            )
    bar = tqdm(total=len(tasks), desc=f"grading {assignment}", unit="notebook", disable=not progress)
    failed = 0
    if tasks:
        stream = run_dask(tasks, scheduler) if scheduler else run_local(tasks, workers, pool)
    else:
        stream = ()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    try:
        waited = time.perf_counter()
        for outcome in stream:  # recorded as they arrive, while the workers go on
            clock.add("waiting", time.perf_counter() - waited)
            with clock.phase("recording"):
                save_outcome(workspace, keys[outcome.student_id], outcome)  # first: a rerun records what this could not
                rows[outcome.student_id] = patiently(
                    lambda: record_outcome(workspace, assignment, outcome, limits), workspace.db_url
                )
            recorded.add(outcome.student_id)
            waited = time.perf_counter()
            failed += outcome.status != "graded"
            bar.update(1)
            bar.set_postfix(done=bar.n - failed, failed=failed, left=bar.total - bar.n)
        clock.add("waiting", time.perf_counter() - waited)  # the end of the stream: the last worker stopping
    finally:
        if hasattr(stream, "close"):  # stopped by an error: the workers stop too (see run_local)
            stream.close()
    bar.close()
    with clock.phase("zero_grades"):
        for student in [s.student_id for s in subs if s.student_id not in recorded]:  # nothing run: zeros recorded too
            patiently(lambda: save_zero_grades(workspace.db_url, assignment, student), workspace.db_url)

    ordered = [rows[k] for k in sorted(rows)]
    with clock.phase("csv"):
        cells = patiently(lambda: grade_cells(workspace.db_url, assignment), workspace.db_url)
        write_csv(ordered, assignment, cells, out / "grades.csv")
        for fmt in exports:
            unit = graded_unit(assignment)
            write_export(fmt, ordered, workspace.db_url, cells, out, export_column or assignment, unit)
    with clock.phase("similarity"):
        notebooks = {sub.student_id: sub.notebook for sub in subs if sub.notebook}
        # A quiz's answers are plain values: every right answer looks like every other, so nothing to compare.
        alike = report_similarity(assignment, out, notebooks) if similarity and not is_quiz(assignment) else None
    with clock.phase("report"):
        report = render_report(
            assignment,
            ordered,
            cells,
            sandboxed=bubblewrap() is not None,
            wall_seconds=time.monotonic() - started,
            caps=describe_caps(limits),
            caps_off=cap_support().reason if cap_support().kind is None else "",
            similarity=alike,
            unit=graded_unit(assignment),
        )
        write_whole(out / "report.html", report)
    return ordered


def starts_ahead(workers: int, scheduler: str | None) -> bool:
    """Return whether each worker should start its next submission's kernel while it grades one (spare_kernel): only
    a local pool with a core to spare. Starting ahead moves the kernel's start and imports onto an idle core; with a
    worker per core there is none, and the kernels started ahead only compete with the ones running (measured on two
    cores, 8 copies of w2a1_resnets: one worker 129 s without, 106 s with; two workers 68 s without, 74 s with). A
    worker's first kernel is started ahead in any case, while the coordinator prepares (dispatch.start_pool)."""
    return scheduler is None and workers < (os.cpu_count() or 1)


def describe_caps(limits: Limits) -> str:
    """Return the caps per submission in words, with how they are held ("cgroup v1: 3 GB of memory, ...")."""
    return (
        f"{cap_support().kind}: {in_words(limits.total_memory_bytes)} of memory, {limits.processes} processes, "
        f"{limits.cpu_cores:g} CPU core{'s' if limits.cpu_cores != 1 else ''}, {in_words(limits.disk_bytes)} of disk"
        f" ({'a file system of its own' if can_mount() else 'measured: the grader cannot mount file systems'})"
    )
