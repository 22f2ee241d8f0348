"""Grade a folder (or zip) of submissions for one assignment: gradebook, grades.csv and per-student feedback.

    python -m autograder.grade ASSIGNMENT SUBMISSIONS [--out graded/ASSIGNMENT]

nbgrader does the bookkeeping (its gradebook, autograde, feedback); this module runs it one student at a
time in its own process with a time limit, so a submission that loops, crashes its kernel or is not a
notebook gets a row with the reason and the batch goes on.
"""
import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from tqdm import tqdm

from autograder.course import check_assignment, nbgrader_command, nbgrader_env, run_nbgrader
from autograder.intake import Submission, collect

CSV_COLUMNS = ["student_id", "assignment", "score", "max_score", "status", "reason"]


@dataclass
class Row:
    """One line of the gradebook CSV: a student's total, status, the reason in words, and points per test cell."""
    student_id: str
    status: str  # graded, invalid, timeout, crashed or error
    reason: str
    score: float = 0.0
    points: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass(frozen=True)
class Workspace:
    """The nbgrader folders of one grading run, kept under OUT/.nbgrader (the instructor's, never a student's)."""
    out: Path

    @property
    def root(self) -> Path:
        return self.out / ".nbgrader"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.out / 'gradebook.db'}"

    def flags(self) -> list[str]:
        """Return the nbgrader options that point every folder of the course at this workspace."""
        return [f"--CourseDirectory.release_directory={self.root / 'release'}",
                f"--CourseDirectory.submitted_directory={self.root / 'submitted'}",
                f"--CourseDirectory.autograded_directory={self.root / 'autograded'}",
                f"--CourseDirectory.feedback_directory={self.root / 'feedback'}",
                f"--CourseDirectory.db_url={self.db_url}"]

    def submitted(self, student: str, assignment: str) -> Path:
        return self.root / "submitted" / student / assignment / f"{assignment}.ipynb"

    def autograded(self, student: str, assignment: str) -> Path:
        return self.root / "autograded" / student / assignment / f"{assignment}.ipynb"


def read_notebook(path: Path) -> tuple[nbformat.NotebookNode | None, str | None]:
    """Return (notebook, None) when `path` is a valid notebook, else (None, what is wrong with it in a sentence)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"{path.name} is not UTF-8 text ({exc.reason} at byte {exc.start}); re-save it from Jupyter"
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"{path.name} is not valid JSON (line {exc.lineno}: {exc.msg}); the file is damaged, ask for a re-export"
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat's validation and reader errors share no base class
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"{path.name} is not a valid Jupyter notebook ({first[:200]})"
    return nb, None


def cell_problems(graded: Path, cell_timeout: int) -> list[str]:
    """Return what went wrong in the executed notebook, test cell by test cell, in words for the instructor."""
    nb = nbformat.read(graded, as_version=4)
    problems = []
    for index, cell in enumerate(nb.cells, start=1):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        is_test = meta.get("grade") and not meta.get("solution")
        name = meta.get("grade_id") if is_test else f"cell {index}"
        if any(o.get("ename") == "CellTimeoutError" for o in errors):
            problems.append(f"{name} ran past the {cell_timeout} s limit per cell and was stopped")
        elif errors and is_test:
            message = (errors[0].get("evalue") or "").strip().splitlines()
            problems.append(f"{name} failed ({errors[0].get('ename')}: {message[0][:160] if message else ''})")
    return problems


def read_scores(workspace: Workspace, assignment: str, student: str) -> tuple[float, dict[str, float]]:
    """Return the student's total and points per grade cell from the gradebook."""
    with Gradebook(workspace.db_url) as gb:
        submission = gb.find_submission(assignment, student)
        points = {grade.name: float(grade.score) for nb in submission.notebooks for grade in nb.grades}
        return float(submission.score), points


def kill_group(proc: subprocess.Popen) -> None:
    """Kill `proc` and everything it started (the kernel included)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def grade_one(sub: Submission, assignment: str, workspace: Workspace, cell_timeout: int,
              notebook_timeout: int, seed: int) -> Row:
    """Autograde one submission in its own nbgrader process and return its row."""
    started = time.monotonic()
    if sub.notebook is None:
        return Row(sub.student_id, "invalid", sub.problem or "no notebook found")
    nb, problem = read_notebook(sub.notebook)
    if nb is None:
        return Row(sub.student_id, "invalid", problem)
    target = workspace.submitted(sub.student_id, assignment)
    shutil.rmtree(target.parent, ignore_errors=True)
    target.parent.mkdir(parents=True)
    nbformat.write(nb, target)  # a copy: the student's original file is never touched

    env = nbgrader_env({"CNNBOOK_GRADING": "1", "CNNBOOK_GRADING_SEED": str(seed), "MPLBACKEND": "Agg",
                        "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONHASHSEED": "0"})
    cmd = nbgrader_command("autograde", assignment, f"--student={sub.student_id}", "--force",
                           f"--Execute.timeout={cell_timeout}", *workspace.flags())
    # A session of its own, so a timeout kills nbgrader and the student's kernel together.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True, env=env)
    try:
        log, _ = proc.communicate(timeout=notebook_timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        return Row(sub.student_id, "timeout",
                   f"grading stopped after the {notebook_timeout} s limit per notebook; look for a loop that never "
                   f"ends or very slow code", seconds=time.monotonic() - started)
    seconds = time.monotonic() - started
    graded = workspace.autograded(sub.student_id, assignment)
    if proc.returncode != 0 or not graded.is_file():
        if "DeadKernelError" in log or "Kernel died" in log or "kernel died" in log.lower():
            return Row(sub.student_id, "crashed", "the notebook's kernel died while it ran (for example os._exit, "
                       "a crash in native code or running out of memory); no test could be scored", seconds=seconds)
        last = [line for line in log.strip().splitlines() if line.strip()][-1:] or ["no output"]
        return Row(sub.student_id, "error", f"nbgrader could not grade this notebook: {last[0][:300]}", seconds=seconds)
    score, points = read_scores(workspace, assignment, sub.student_id)
    problems = cell_problems(graded, cell_timeout)
    return Row(sub.student_id, "graded", "; ".join(problems) or "all tests ran", score, points, seconds)


def grade_cells(workspace: Workspace, assignment: str) -> list[tuple[str, float]]:
    """Return (grade_id, points) for every graded test cell of the assignment, in notebook order."""
    with Gradebook(workspace.db_url) as gb:
        cells = [(cell.name, float(cell.max_score)) for nb in gb.find_assignment(assignment).notebooks
                 for cell in nb.grade_cells]
    return cells


def write_csv(rows: list[Row], assignment: str, cells: list[tuple[str, float]], path: Path) -> None:
    """Write grades.csv: the fixed columns, then one column per graded test cell with the points earned."""
    max_score = sum(points for _, points in cells)
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS + [name for name, _ in cells])
        for row in rows:
            writer.writerow([row.student_id, assignment, f"{row.score:g}", f"{max_score:g}", row.status, row.reason]
                            + [f"{row.points.get(name, 0.0):g}" for name, _ in cells])


def write_feedback(workspace: Workspace, assignment: str, rows: list[Row], out: Path) -> None:
    """Generate nbgrader feedback for the graded students and copy it to OUT/feedback/<student>/."""
    graded = [row.student_id for row in rows if row.status == "graded"]
    if not graded:
        return
    run_nbgrader("generate_feedback", assignment, "--force", *workspace.flags())
    for student in graded:
        source = workspace.root / "feedback" / student / assignment
        target = out / "feedback" / student
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for html in source.glob("*.html"):
            shutil.copy(html, target / html.name)


def grade(assignment: str, submissions: Path, out: Path, cell_timeout: int = 120, notebook_timeout: int = 900,
          seed: int = 0, progress: bool = True) -> list[Row]:
    """Grade every submission in `submissions` and write OUT/gradebook.db, OUT/grades.csv and OUT/feedback/."""
    check_assignment(assignment)
    workspace = Workspace(out.resolve())
    workspace.root.mkdir(parents=True, exist_ok=True)
    subs = collect(submissions, assignment, workspace.root)
    # generate_assignment records the instructor notebook (hidden tests included) in the gradebook.
    run_nbgrader("generate_assignment", assignment, "--force", *workspace.flags())
    rows: list[Row] = []
    bar = tqdm(subs, desc=f"grading {assignment}", unit="notebook", disable=not progress)
    for sub in bar:
        rows.append(grade_one(sub, assignment, workspace, cell_timeout, notebook_timeout, seed))
        bar.set_postfix(graded=sum(r.status == "graded" for r in rows),
                        failed=sum(r.status != "graded" for r in rows))
    write_feedback(workspace, assignment, rows, workspace.out)
    write_csv(rows, assignment, grade_cells(workspace, assignment), workspace.out / "grades.csv")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", help="assignment id, e.g. w1a1_conv_numpy")
    parser.add_argument("submissions", type=Path, help="folder with a sub-folder or a file per student, or a zip")
    parser.add_argument("--out", type=Path, help="output folder (default: graded/ASSIGNMENT)")
    parser.add_argument("--cell-timeout", type=int, default=120, help="seconds one cell may run (default 120)")
    parser.add_argument("--notebook-timeout", type=int, default=900, help="seconds one notebook may run (default 900)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the hidden tests' random inputs")
    args = parser.parse_args(argv)
    out = args.out or Path("graded") / args.assignment
    try:
        rows = grade(args.assignment, args.submissions, out, args.cell_timeout, args.notebook_timeout, args.seed)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    counts = {status: sum(r.status == status for r in rows) for status in sorted({r.status for r in rows})}
    print(f"{len(rows)} submissions: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    print(f"gradebook: {out / 'gradebook.db'}\ngrades:    {out / 'grades.csv'}\nfeedback:  {out / 'feedback'}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
