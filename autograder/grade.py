"""Grade a folder (or zip) of submissions for one assignment: gradebook, grades.csv, feedback and a class report.

    python -m autograder.grade ASSIGNMENT SUBMISSIONS [--out graded/ASSIGNMENT] [--workers N | --scheduler ADDRESS]

Each submission is graded by a worker (autograder.worker) in a sandboxed kernel: a pool of local
processes by default, or the workers of a Dask cluster when --scheduler names one. Every result is
saved as it arrives, so a grading run that is stopped picks up where it was when run again, without
grading anything twice. nbgrader keeps the books: its gradebook (SQLite in OUT, or the database at
--db) and its feedback, with the hidden tests left out.
"""
import argparse
import concurrent.futures as cf
import csv
import dataclasses
import hashlib
import importlib.metadata
import json
import multiprocessing
import os
import secrets
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from tqdm import tqdm

from autograder import worker
from autograder.class_report import write_report
from autograder.course import NBGRADER_CONFIG, REPO, SOLUTIONS, check_assignment, run_nbgrader
from autograder.feedback import render_feedback
from autograder.gradebook import grade_cells, read_scores, save_grades, save_zero_grades
from autograder.intake import collect
from autograder.judging import draw_cases, hidden_tests, rejudge_cell
from autograder.notebook_intake import read_notebook
from autograder.sandbox import Limits, bubblewrap
from autograder.similarity_report import report_saved_similarity, report_similarity

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


@dataclass(frozen=True)
class Workspace:
    """The folders of one grading run under OUT/.nbgrader (the instructor's, never a student's)."""
    out: Path
    db_url: str

    @property
    def root(self) -> Path:
        return self.out / ".nbgrader"

    @property
    def results(self) -> Path:
        return self.root / "results"

    def flags(self, db_url: str | None = None) -> list[str]:
        """Return the options of `nbgrader generate_assignment` (the only nbgrader command run) for this workspace."""
        return [f"--CourseDirectory.release_directory={self.root / 'release'}",
                f"--CourseDirectory.db_url={db_url or self.db_url}"]

    def autograded(self, student: str, assignment: str) -> Path:
        return self.root / "autograded" / student / assignment / f"{assignment}.ipynb"


# ------------------------------------------------------------------------------------------------
# The instructor notebook's gradebook, made once per version of that notebook.

GRADEBOOK_CACHE = REPO / "graded" / ".source-gradebooks"  # hidden from every kernel, as all of graded/ is


def source_key(assignment: str) -> str:
    """Return what the gradebook of generate_assignment depends on, hashed: the instructor notebook, the course's
    nbgrader configuration and nbgrader's version."""
    digest = hashlib.sha256()
    for part in ((SOLUTIONS / assignment / f"{assignment}.ipynb").read_bytes(), NBGRADER_CONFIG.read_bytes(),
                 importlib.metadata.version("nbgrader").encode()):
        digest.update(part + b"\0")
    return digest.hexdigest()[:16]


def cached_gradebook(assignment: str) -> Path:
    """Return where the gradebook of the current instructor notebook is kept (see generate_source_gradebook)."""
    return GRADEBOOK_CACHE / f"{assignment}-{source_key(assignment)}.db"


def coordinator_runs_nbgrader(assignment: str, out: Path, db_url: str | None) -> bool:
    """Return whether grade() will run nbgrader's generate_assignment (15 s or so) before handing out any work."""
    return db_url is not None or (out / "gradebook.db").exists() or not cached_gradebook(assignment).is_file()


def generate_source_gradebook(assignment: str, workspace: Workspace, target: Path) -> None:
    """Write the gradebook `nbgrader generate_assignment` makes from the instructor notebook to `target` (SQLite).

    nbgrader takes about 15 s for it (its own start-up and database migrations), and the result depends only on
    what source_key hashes, so it is kept in GRADEBOOK_CACHE (readable by this user only) and copied from there.
    """
    cached = cached_gradebook(assignment)
    if cached.is_file():
        shutil.copy(cached, target)
        return
    run_nbgrader("generate_assignment", assignment, "--force", *workspace.flags(f"sqlite:///{target}"))
    GRADEBOOK_CACHE.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = cached.with_name(f".{cached.name}.{os.getpid()}")  # renamed into place: a reader never sees half a file
    shutil.copy(target, partial)
    os.chmod(partial, 0o600)
    os.replace(partial, cached)
    for stale in GRADEBOOK_CACHE.glob(f"{assignment}-*.db"):  # earlier versions of the instructor notebook
        if stale != cached:
            stale.unlink(missing_ok=True)


# ------------------------------------------------------------------------------------------------
# Saved results: what makes the run resumable.

def fingerprint(notebook_text: str, assignment: str, seed: int, limits: Limits) -> str:
    """Return the key of one grading: the submission, the instructor notebook, the seed and the limits."""
    digest = hashlib.sha256()
    for part in (notebook_text, (SOLUTIONS / assignment / f"{assignment}.ipynb").read_text(), assignment, str(seed),
                 json.dumps(dataclasses.asdict(limits), sort_keys=True)):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def save_outcome(workspace: Workspace, key: str, outcome: worker.Outcome) -> None:
    """Write one worker's outcome atomically (a run killed midway leaves either all of it or none)."""
    workspace.results.mkdir(parents=True, exist_ok=True)
    record = {"fingerprint": key, **dataclasses.asdict(outcome)}
    temporary = workspace.results / f".{outcome.student_id}.json.part"
    temporary.write_text(json.dumps(record))
    os.replace(temporary, workspace.results / f"{outcome.student_id}.json")


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


def run_seed(workspace: Workspace, seed: int | None) -> int:
    """Return the seed of this grading run: `seed` when given, else the one kept in OUT, else a new random one."""
    path = workspace.root / "seed"
    if seed is None and path.is_file():
        return int(path.read_text())
    seed = secrets.randbelow(2**31) if seed is None else seed
    path.write_text(str(seed))
    return seed


# ------------------------------------------------------------------------------------------------
# Running the workers.

def start_pool(workers: int, assignment: str | None = None, seed: int | None = None) -> cf.ProcessPoolExecutor:
    """Start `workers` local worker processes now: they import the grader and, given `assignment`, draw the hidden
    tests' cases of `assignment` for `seed` while the coordinator prepares (worth it only while the coordinator
    runs nbgrader: otherwise the drawing would slow the start of the first submission, which draws them anyway)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["autograder.worker"])  # imported once, then every worker is a fork of it
    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=context)
    for _ in range(workers):
        pool.submit(worker.warm_up, assignment, seed)
    return pool


def run_local(tasks: list[worker.Task], workers: int, pool: cf.ProcessPoolExecutor | None = None, retries: int = 2):
    """Yield the outcome of every task from a pool of `workers` local processes, as each finishes.

    A worker process that dies (killed, out of memory) breaks the pool: a new pool takes the tasks that
    were not finished, each at most `retries` more times, so one such submission cannot stop the batch.
    """
    pending, attempts = list(tasks), {task.student_id: 0 for task in tasks}
    while pending:
        broken = []
        with pool or start_pool(workers) as running:
            futures = {running.submit(worker.run, task): task for task in pending}
            for future in cf.as_completed(futures):
                task = futures[future]
                if isinstance(future.exception(), cf.process.BrokenProcessPool):
                    attempts[task.student_id] += 1
                    if attempts[task.student_id] <= retries:
                        broken.append(task)
                        continue
                yield outcome_of(future, task)
        pending, pool = broken, None


def run_dask(tasks: list[worker.Task], address: str):
    """Yield the outcome of every task from the Dask cluster whose scheduler is at `address`."""
    from distributed import Client, as_completed
    with Client(address, timeout="30s") as client:
        futures = {client.submit(worker.run, task, pure=False, key=f"grade-{task.student_id}-{os.getpid()}"): task
                   for task in tasks}
        for future in as_completed(futures):
            yield outcome_of(future, futures[future])


def outcome_of(future, task: worker.Task) -> worker.Outcome:
    """Return the future's outcome, or an error outcome when the worker itself failed."""
    try:
        return future.result()
    except Exception as exc:  # a worker that crashes must not stop the batch
        return worker.Outcome(task.student_id, "error", f"the grading worker failed ({type(exc).__name__}: {exc})",
                              None, 0.0, 0.0, bubblewrap() is not None)


def rejudge_saved(workspace: Workspace, assignment: str, seed: int, grade_id: str,
                  outcomes: dict[str, worker.Outcome], keys: dict[str, str]) -> set[str]:
    """Judge test cell `grade_id` of every saved outcome again (with the current hidden test); return who was judged."""
    if grade_id not in hidden_tests(assignment):
        raise ValueError(f"{grade_id} is not a test cell of {assignment}: choose one of {', '.join(hidden_tests(assignment))}")
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


# ------------------------------------------------------------------------------------------------
# Books: gradebook, rows, CSV, feedback.

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
        if not errors or timed_out and not is_test:
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
    target = out / "feedback" / student
    target.mkdir(parents=True, exist_ok=True)
    (target / f"{assignment}.html").write_text(html)


def record_outcome(workspace: Workspace, assignment: str, outcome: worker.Outcome, limits: Limits,
                   rerender: bool = False) -> Row:
    """Record one outcome in the gradebook and the feedback folder, and return its row of the CSV."""
    student = outcome.student_id
    row = Row(student, outcome.status, outcome.reason, seconds=outcome.seconds)
    if not outcome.executed:
        save_zero_grades(workspace.db_url, assignment, student)
        return row
    executed = nbformat.reads(outcome.executed, as_version=4)
    save_grades(executed, workspace.db_url, assignment, student)
    target = workspace.autograded(student, assignment)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, target)
    if rerender or not outcome.feedback:  # after a question was judged again, the page shows the new grades
        outcome.feedback = render_feedback(executed, workspace.db_url, assignment, student)
    write_feedback(workspace.out, assignment, student, outcome.feedback)
    row.score, row.points = read_scores(workspace.db_url, assignment, student)
    problems, row.failures = describe_cells(executed, limits.cell_seconds)
    row.reason = "; ".join([p for p in [outcome.reason, *problems] if p]) or "all tests ran"
    return row


def write_csv(rows: list[Row], assignment: str, cells: list[tuple[str, float]], path: Path) -> None:
    """Write grades.csv: the fixed columns, then one column per graded test cell with the points earned."""
    max_score = sum(points for _, points in cells)
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS + [name for name, _ in cells])
        for row in rows:
            writer.writerow([row.student_id, assignment, f"{row.score:g}", f"{max_score:g}", row.status, row.reason]
                            + [f"{row.points.get(name, 0.0):g}" for name, _ in cells])


def grade(assignment: str, submissions: Path, out: Path, *, limits: Limits | None = None, cell_timeout: int | None = None,
          notebook_timeout: int | None = None, workers: int | None = None, scheduler: str | None = None,
          seed: int | None = None, regrade: tuple[str, ...] = (), regrade_question: str | None = None,
          db_url: str | None = None, progress: bool = True, similarity: bool = True) -> list[Row]:
    """Grade every submission in `submissions`; write the gradebook, OUT/grades.csv, OUT/feedback/ and OUT/report.html.

    seed: of the hidden tests' inputs; by default drawn at random when OUT is first used and kept there, so a
    student cannot know the inputs in advance and a resumed run uses the same ones.
    regrade: students to grade again from scratch; regrade_question: a test cell (grade_id) to judge again for
    every saved submission from its saved report, after its hidden test was corrected, without running anything.
    similarity: compare the students' answers afterwards (OUT/similarity.html and .csv, autograder.similarity_report).
    """
    check_assignment(assignment)
    limits = limits or Limits()
    limits = dataclasses.replace(limits, cell_seconds=cell_timeout or limits.cell_seconds,
                                 notebook_seconds=notebook_timeout or limits.notebook_seconds)
    out = out.resolve()
    workspace = Workspace(out, db_url or f"sqlite:///{out / 'gradebook.db'}")
    workspace.root.mkdir(parents=True, exist_ok=True)
    seed = run_seed(workspace, seed)
    started = time.monotonic()
    subs = collect(submissions, assignment, workspace.root)
    workers = workers or os.cpu_count() or 1
    pool = None
    if subs and not scheduler:
        early = coordinator_runs_nbgrader(assignment, out, db_url)  # the workers would otherwise wait for us
        pool = start_pool(min(workers, len(subs)), assignment if early else None, seed)

    # The workers restore locked cells from a gradebook of their own (a copy of this SQLite file).
    source_db = workspace.root / "source.db"
    if source_db.exists():
        source_db.unlink()
    generate_source_gradebook(assignment, workspace, source_db)
    gradebook_file = out / "gradebook.db"
    if db_url is None and not gradebook_file.exists():
        shutil.copy(source_db, gradebook_file)  # a new gradebook starts as the same thing: no second run of nbgrader
    else:
        run_nbgrader("generate_assignment", assignment, "--force", *workspace.flags())
    gradebook_bytes = source_db.read_bytes()

    rows: dict[str, Row] = {}
    outcomes: dict[str, worker.Outcome] = {}
    tasks, keys = [], {}
    hide = (str(out), str(Path(submissions).resolve()))
    for sub in subs:
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
            tasks.append(worker.Task(assignment, sub.student_id, text, gradebook_bytes, seed, limits, hide))

    rejudged = rejudge_saved(workspace, assignment, seed, regrade_question, outcomes, keys) if regrade_question else set()
    for student, outcome in outcomes.items():  # saved earlier
        rows[student] = record_outcome(workspace, assignment, outcome, limits, rerender=student in rejudged)
    bar = tqdm(total=len(tasks), desc=f"grading {assignment}", unit="notebook", disable=not progress)
    failed = 0
    if tasks:
        stream = run_dask(tasks, scheduler) if scheduler else run_local(tasks, workers, pool)
    else:
        stream = ()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    for outcome in stream:  # recorded as they arrive, while the workers go on
        save_outcome(workspace, keys[outcome.student_id], outcome)
        rows[outcome.student_id] = record_outcome(workspace, assignment, outcome, limits)
        failed += outcome.status != "graded"
        bar.update(1)
        bar.set_postfix(done=bar.n - failed, failed=failed, left=bar.total - bar.n)
    bar.close()
    for student in [s.student_id for s in subs if s.student_id not in rows or rows[s.student_id].status == "invalid"]:
        save_zero_grades(workspace.db_url, assignment, student)  # not a notebook at all: zeros in the gradebook too

    ordered = [rows[k] for k in sorted(rows)]
    cells = grade_cells(workspace.db_url, assignment)
    write_csv(ordered, assignment, cells, out / "grades.csv")
    notebooks = {sub.student_id: sub.notebook for sub in subs if sub.notebook}
    alike = report_similarity(assignment, out, notebooks) if similarity else None
    write_report(out / "report.html", assignment, ordered, cells, sandboxed=bubblewrap() is not None,
                 wall_seconds=time.monotonic() - started, similarity=alike)
    return ordered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", help="assignment id, e.g. w1a1_conv_numpy")
    parser.add_argument("submissions", type=Path, nargs="?",
                        help="folder with a sub-folder or a file per student, or a zip (not needed with --similarity-only)")
    parser.add_argument("--out", type=Path, help="output folder (default: graded/ASSIGNMENT)")
    parser.add_argument("--workers", type=int, help="local worker processes (default: one per core)")
    parser.add_argument("--scheduler", help="address of a Dask scheduler, e.g. tcp://10.0.0.5:8786, to grade on its workers")
    parser.add_argument("--db", help="gradebook database URL (default: SQLite in OUT), e.g. postgresql://user@host/course")
    parser.add_argument("--regrade", action="append", default=[], metavar="STUDENT",
                        help="grade this student again even if a result is saved (repeat for several)")
    parser.add_argument("--regrade-question", metavar="GRADE_ID",
                        help="judge this test cell again for every saved submission (after its hidden test was corrected)")
    parser.add_argument("--cell-timeout", type=int, help=f"seconds one cell may run (default {Limits.cell_seconds})")
    parser.add_argument("--notebook-timeout", type=int, help=f"seconds one notebook may run (default {Limits.notebook_seconds})")
    parser.add_argument("--seed", type=int, help="seed of the hidden tests' inputs (default: random, kept in OUT)")
    alike = parser.add_mutually_exclusive_group()
    alike.add_argument("--no-similarity", action="store_true",
                       help="do not compare the students' answers (writes no OUT/similarity.html nor OUT/similarity.csv)")
    alike.add_argument("--similarity-only", action="store_true",
                       help="grade nothing: compare the answers an earlier run saved in OUT and write "
                            "OUT/similarity.html and OUT/similarity.csv again")
    args = parser.parse_args(argv)
    out = args.out or Path("graded") / args.assignment
    if args.similarity_only:
        check_assignment(args.assignment)
        try:
            found = report_saved_similarity(args.assignment, out.resolve())
        except (FileNotFoundError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"similarity: {out / 'similarity.html'} ({found}; evidence to look at, not a verdict)")
        return 0
    if args.submissions is None:
        parser.error("the folder or zip of submissions is required (unless --similarity-only)")
    if bubblewrap() is None:
        print("WARNING: bubblewrap (bwrap) is not available: student code runs WITHOUT isolation, with resource "
              "limits only. Install it (apt-get install bubblewrap) before grading untrusted work.", file=sys.stderr)
    try:
        rows = grade(args.assignment, args.submissions, out, cell_timeout=args.cell_timeout,
                     notebook_timeout=args.notebook_timeout, workers=args.workers, scheduler=args.scheduler,
                     seed=args.seed, regrade=tuple(args.regrade), regrade_question=args.regrade_question,
                     db_url=args.db, similarity=not args.no_similarity)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    counts = {status: sum(r.status == status for r in rows) for status in sorted({r.status for r in rows})}
    print(f"{len(rows)} submissions: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    print(f"grades:   {out / 'grades.csv'}\nfeedback: {out / 'feedback'}/\nreport:   {out / 'report.html'}")
    if not args.no_similarity:
        print(f"similarity: {out / 'similarity.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
