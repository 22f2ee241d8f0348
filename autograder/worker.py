"""Grade one submission: sanitize it, run it in a sandboxed kernel, and judge its hidden tests.

`run(task)` is a plain function of plain data, so it runs the same in a local process pool and on a
Dask worker. It never touches the shared gradebook: it returns the executed, judged notebook, and the
coordinating process records the grades.
"""
import asyncio
import importlib
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.api import Gradebook
from nbgrader.preprocessors import (CheckCellMetadata, ClearOutput, DeduplicateIds, Execute, IgnorePattern,
                                    LimitOutput, OverwriteCells, OverwriteKernelspec)

from autograder.course import SOLUTIONS, nbgrader_env
from autograder.feedback import render_feedback
from autograder.gradebook import save_grades
from autograder.judging import draw_cases, encode_cases, judge_notebook
from autograder.sandbox import Limits, bubblewrap, free_uid, kill_strays, kill_user_processes
from autograder.sandboxed_kernel import SandboxedKernelManager
from cnnbook.data.cache import data_dir
from cnnbook.grading.probe import PROBE_DIR_ENV, PROBE_MIME

CRASH_RETRIES = 3
PROBE_OUTPUT_BYTES = 64 * 1024**2  # what the hidden tests of one cell may hand to the grader
KERNEL_ENV = {"CNNBOOK_GRADING": "1", "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONHASHSEED": "0",
              "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "TF_NUM_INTRAOP_THREADS": "1",
              "TF_NUM_INTEROP_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}


@dataclass
class Task:
    """Everything one worker needs to grade one submission."""
    assignment: str
    student_id: str
    notebook: str          # the submitted notebook, as JSON text
    gradebook: bytes       # the gradebook after generate_assignment (the instructor's cells, hidden tests included)
    seed: int
    limits: Limits = field(default_factory=Limits)
    hide: tuple[str, ...] = ()  # folders of this grading run the kernel must not see


@dataclass
class Outcome:
    """What grading one submission gave: the executed and judged notebook, or the reason there is none."""
    student_id: str
    status: str            # graded, timeout, crashed or error
    reason: str
    executed: str | None   # JSON text of the executed, judged notebook
    seconds: float
    peak_mb: float
    sandboxed: bool
    reports: dict = field(default_factory=dict)  # per judged test cell, its probe report (see judging.judge_notebook)
    feedback: str | None = None  # the HTML feedback page, rendered here so it is made in parallel too


class CourseExecute(Execute):
    """nbgrader's Execute, in the sandbox, remembering the running cell and capping what a notebook may print."""

    def __init__(self, *args, output_limit: int, uid: int | None = None, kernel_ready=None, before_tests=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.kernel_ready = kernel_ready  # called once the kernel answers, before the first cell
        self.before_tests = before_tests  # called (it may wait) before each test cell runs
        self.uid = uid  # the kernel's user: what else runs as it after a cell is a stray
        self.strays = 0
        self.current_cell = None
        self.output_limit = output_limit
        self.output_seen = 0
        self.probe_seen = 0
        self.interrupted = False

    def on_notebook_start(self, **kwargs):
        if self.kernel_ready is not None:
            self.kernel_ready()

    def on_cell_execute(self, **kwargs):
        self.current_cell = kwargs.get("cell_index")
        cell = kwargs.get("cell")
        if self.before_tests is not None and cell is not None and (cell.metadata.get("nbgrader") or {}).get("grade"):
            self.before_tests()
        self.output_seen, self.probe_seen, self.interrupted = 0, 0, False  # the limits are per cell

    def on_cell_executed(self, cell=None, **kwargs):
        super().on_cell_executed(cell=cell, **kwargs)  # nbgrader's: a timed-out cell gets its CellTimeoutError
        if self.uid is None:
            return
        strays = kill_strays(self.uid)  # a fork bomb's copies would eat the CPU the next cells need
        self.strays += strays
        if strays and cell is not None:  # the copies may have answered for the kernel: say plainly what happened
            cell.outputs.append(nbformat.v4.new_output(
                "error", ename="ProcessesStopped", traceback=[], evalue=(
                    f"this cell left {strays} processes running (os.fork in a loop?); the grader stopped them")))

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(json.dumps(content, default=str))
        # A hidden test's results (a U-Net's output maps, say) are the grader's, not printing: a larger allowance.
        if PROBE_MIME in (content.get("data") or {}) and self.probe_seen + size <= PROBE_OUTPUT_BYTES:
            self.probe_seen += size
            return super().output(outs, msg, display_id, cell_index)
        self.output_seen += size
        if self.output_seen > self.output_limit:
            if not self.interrupted:  # stop a cell that prints without end instead of storing it all
                self.interrupted = True
                asyncio.ensure_future(self.km.interrupt_kernel())
                outs.append(nbformat.v4.new_output("stream", name="stdout", text=(
                    f"\n[The grader stopped this cell: it printed more than {self.output_limit} bytes.]\n")))
            return None
        return super().output(outs, msg, display_id, cell_index)


class Watchdog(threading.Thread):
    """Kill the kernel when the notebook's time is up, and sample the kernel's memory meanwhile."""

    def __init__(self, executor: CourseExecute, deadline: float):
        super().__init__(daemon=True)
        self.executor, self.deadline = executor, deadline
        self.fired, self.peak_bytes = False, 0
        self.done = threading.Event()

    def kernel_processes(self) -> list[psutil.Process]:
        km = getattr(self.executor, "km", None)
        pid = getattr(getattr(km, "provisioner", None), "pid", None) if km else None
        if not pid:
            return []
        try:
            root = psutil.Process(pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    def run(self):
        while not self.done.wait(0.25):
            processes = self.kernel_processes()
            rss = 0
            for proc in processes:
                try:
                    rss += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak_bytes = max(self.peak_bytes, rss)
            if time.monotonic() > self.deadline:
                self.fired = True
                for proc in reversed(processes):
                    try:
                        proc.send_signal(signal.SIGKILL)
                    except psutil.Error:
                        pass
                return


def forget_unknown_cells(nb, resources: dict) -> None:
    """Strip nbgrader metadata from cells whose grade_id the instructor's notebook does not have (a student made it up).

    They become ordinary cells, and the instructor's own cells are put back in their place.
    """
    info = resources["nbgrader"]
    with Gradebook(info["db_url"]) as gb:
        known = {cell.name for cell in gb.find_notebook(info["notebook"], info["assignment"]).source_cells}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if isinstance(meta, dict) and meta.get("grade_id") not in known:
            del cell.metadata["nbgrader"]


def sanitize(nb, resources: dict):
    """Apply nbgrader's sanitizing steps: clear outputs, restore the instructor's locked and test cells."""
    forget_unknown_cells(nb, resources)
    # add_missing_cells puts back test cells a student deleted; DeduplicateIds strips duplicated ones of their
    # nbgrader metadata, leaving an empty dict that later steps would stumble on: it is removed.
    for step in (ClearOutput(), DeduplicateIds(), OverwriteKernelspec(), OverwriteCells(add_missing_cells=True),
                 CheckCellMetadata()):
        nb, resources = step.preprocess(nb, resources)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader") == {}:
                del cell.metadata["nbgrader"]
    return nb


def prepare_work_dir(work: Path, assignment: str, uid: int) -> None:
    """Fill the kernel's working folder with the assignment's data files (owned by `uid`), and make the empty
    folder .probe/ for the hidden tests' inputs (the grader's: the kernel may read it, not write in it)."""
    source = SOLUTIONS / assignment
    for path in source.rglob("*"):
        if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in path.parts:
            target = work / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    for path in [work, *work.rglob("*")]:
        if os.geteuid() == 0:
            os.chown(path, uid, uid)  # the kernel runs as this uid and may write in its own folder only
    (work / ".probe").mkdir(mode=0o755)


class CaseDrawing(threading.Thread):
    """Draw the hidden tests' cases and write them into .probe/ while the kernel runs the first cells.

    Drawing builds reference models (5 to 10 s, once per worker process); the kernel spends about as long
    importing TensorFlow, so on two cores the two overlap. The thread starts once the kernel answers
    (CourseExecute.kernel_ready): started earlier, its imports would hold this process's interpreter while
    it prepares the work folder and starts the kernel (about 2 s more per submission, measured). The
    executor waits for it before the first test cell (CourseExecute.before_tests), outside that cell's
    time limit. Files are written through a descriptor of the folder opened now, before the kernel starts,
    so a kernel that renames or replaces .probe/ meanwhile cannot make the grader write anywhere else.
    """

    def __init__(self, assignment: str, seed: int, probes: Path):
        super().__init__(name="case-drawing", daemon=True)
        self.assignment, self.seed = assignment, seed
        self.folder = os.open(probes, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        self.cases: dict | None = None
        self.error: BaseException | None = None

    def run(self):
        try:
            cases = cases_of(self.assignment, self.seed)
            for grade_id, drawn in cases.items():
                fd = os.open(f"{grade_id}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644,
                             dir_fd=self.folder)
                with os.fdopen(fd, "w") as file:
                    json.dump({"cases": encode_cases(drawn)}, file)
            self.cases = cases
        except BaseException as exc:  # handed to the caller by result()
            self.error = exc
        finally:
            os.close(self.folder)

    def start_once(self) -> None:
        """Start drawing, unless it started already (a kernel that crashed is started again)."""
        if self.ident is None:
            self.start()

    def wait(self) -> None:
        """Wait until the cases are in .probe/ (starting the drawing if the kernel has not said it is ready)."""
        self.start_once()
        self.join()

    def finish(self) -> None:
        """Wait for a started drawing, or give up the folder of one that never started; before the folder goes."""
        if self.ident is not None:
            self.join()
        else:
            os.close(self.folder)

    def result(self) -> dict:
        """Return the cases (raise what drawing them raised); only after the drawing started."""
        if self.ident is None:
            raise RuntimeError("the hidden tests' cases were not drawn: the kernel never started")
        self.join()
        if self.error is not None:
            raise self.error
        return self.cases


def prepare_data(assignment: str) -> None:
    """Build the course data sets the assignment's notebook loads, in this process's cache, unless they are there.

    autograder/<assignment>/__init__.py may define prepare_data(); loading from a warm cache takes a fraction
    of a second, so this runs before every submission (also on a Dask worker with a cache of its own).
    """
    prepare = getattr(importlib.import_module(f"autograder.{assignment}"), "prepare_data", None)
    if prepare is not None:
        prepare()


def share_data_cache(source: Path, work: Path, uid: int) -> Path:
    """Give the kernel (user `uid`) the grader's cached data sets under `work` and return that folder.

    Files are hard links (copies across file systems): the kernel's user can read them but not change the
    grader's copy, since they stay the grader's files; a data set the kernel rebuilds replaces only its link.
    """
    target = work / ".cache" / "cnnbook"
    folders = [work / ".cache", target]
    for path in source.rglob("*") if source.is_dir() else ():
        relative = path.relative_to(source)
        if any(part.startswith(".") for part in relative.parts):  # a build in progress
            continue
        destination = target / relative
        if path.is_dir():
            folders.append(destination)
        elif path.is_file():
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, destination)
            except OSError:
                shutil.copy(path, destination)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            os.chown(folder, uid, uid)  # the kernel may rebuild a data set in its own copy of the folder
    return target


def neutralise(nb, index: int) -> None:
    """Replace cell `index` (which killed the kernel) by one that raises, so the rest can still be graded."""
    nb.cells[index].source = ("raise RuntimeError('While grading, this cell made the kernel die (for example '\n"
                              "                   'os._exit, a crash in native code or too much memory); it was skipped.')")


def execute(nb, work: Path, limits: Limits, hide: tuple[str, ...], deadline: float, uid: int, kernel_ready=None,
            before_tests=None):
    """Run `nb` in a sandboxed kernel as `uid`, calling `kernel_ready()` when the kernel answers and `before_tests()`
    before each test cell; return (executed nb, watchdog, crashed cell indices)."""
    crashed: list[int] = []
    while True:
        attempt = nbformat.from_dict(json.loads(json.dumps(nb)))
        for index in crashed:
            neutralise(attempt, index)
        executor = CourseExecute(timeout=limits.cell_seconds, kernel_name="cnnbook", output_limit=limits.output_bytes,
                                 uid=uid if bubblewrap() is not None else None, kernel_ready=kernel_ready,
                                 before_tests=before_tests,
                                 allow_errors=True, raise_on_iopub_timeout=False,
                                 extra_arguments=["--HistoryManager.enabled=False"])
        km = SandboxedKernelManager(kernel_name="cnnbook", work_dir=str(work), limits=limits, hide=hide, uid=uid)
        executor.km = km
        watchdog = Watchdog(executor, deadline)
        watchdog.start()
        try:
            executed, _ = executor.preprocess(attempt, {"metadata": {"path": str(work)}}, km=km)
            return executed, watchdog, crashed
        except (DeadKernelError, CellTimeoutError):  # the kernel died, or stopped answering (a fork bomb's copies)
            if watchdog.fired or executor.current_cell is None or len(crashed) >= CRASH_RETRIES:
                return None, watchdog, crashed + ([executor.current_cell] if executor.current_cell is not None else [])
            crashed.append(executor.current_cell)
        except RuntimeError:  # (after DeadKernelError, which is one too) the kernel did not start: time up, or not
            if watchdog.fired:
                return None, watchdog, crashed
            raise
        finally:
            watchdog.done.set()
            kill_user_processes(uid)  # what the notebook left running (a fork bomb's children, say)


_drawn: dict[tuple[str, int], dict] = {}
_drawing_lock = threading.Lock()


def cases_of(assignment: str, seed: int) -> dict:
    """Return draw_cases(assignment, seed), drawn once per worker process (it builds reference models: seconds);
    a second caller waits for the first rather than drawing again."""
    with _drawing_lock:
        if (assignment, seed) not in _drawn:
            _drawn.clear()  # one grading run's cases at a time
            _drawn[assignment, seed] = draw_cases(assignment, seed)
        return _drawn[assignment, seed]


def draw_quietly(assignment: str, seed: int) -> None:
    """Draw the cases ahead of the first submission; a failure is left for that submission's own call to report."""
    try:
        cases_of(assignment, seed)
    except Exception:
        pass


def warm_up(assignment: str | None = None, seed: int | None = None) -> int:
    """Start a worker: submitted once per worker while the grader prepares, so the worker's start-up overlaps that
    work; with `assignment`, the hidden tests' cases are drawn in the background meanwhile (see CaseDrawing)."""
    if assignment is not None:
        threading.Thread(target=draw_quietly, args=(assignment, seed), name="early-case-drawing", daemon=True).start()
    return os.getpid()


def run(task: Task) -> Outcome:
    """Grade one submission (see the module's docstring)."""
    started = time.monotonic()
    deadline = started + task.limits.notebook_seconds
    os.environ["PATH"] = nbgrader_env()["PATH"]  # nbgrader's gradebook runs `alembic` from this interpreter's bin/
    sandboxed = bubblewrap() is not None
    with tempfile.TemporaryDirectory(prefix=f"grade-{task.student_id}-") as tmp:
        tmp = Path(tmp)
        db = tmp / "gradebook.db"
        db.write_bytes(task.gradebook)
        resources = {"nbgrader": {"db_url": f"sqlite:///{db}", "assignment": task.assignment,
                                  "notebook": task.assignment, "student": task.student_id}}
        try:
            nb = sanitize(nbformat.reads(task.notebook, as_version=4), resources)
        except Exception as exc:  # nbgrader refuses notebooks whose locked cells' metadata was tampered with
            return Outcome(task.student_id, "invalid", f"the notebook's grading metadata was changed ({exc}); give "
                           f"the student a fresh copy of the notebook to paste their answers into",
                           None, time.monotonic() - started, 0.0, sandboxed)
        prepare_data(task.assignment)
        grader_cache = data_dir()
        # Directly under the temporary folder, so the kernel's user can reach it inside the sandbox.
        work = Path(tempfile.mkdtemp(prefix=f"cnnbook-work-{task.student_id}-"))
        uid = free_uid()
        prepare_work_dir(work, task.assignment, uid)
        drawing = CaseDrawing(task.assignment, task.seed, work / ".probe")
        shared = share_data_cache(grader_cache, work, uid)  # after prepare_work_dir, so the links stay the grader's
        os.environ.update({**KERNEL_ENV, PROBE_DIR_ENV: str(work / ".probe"), "CNNBOOK_DATA_DIR": str(shared)})
        try:
            executed, watchdog, crashed = execute(nb, work, task.limits, task.hide, deadline, uid, drawing.start_once,
                                                  drawing.wait)
        except RuntimeError as exc:  # the kernel did not start (nbclient says so with a RuntimeError)
            return Outcome(task.student_id, "error", f"the notebook's kernel could not start: {exc}",
                           None, time.monotonic() - started, 0.0, sandboxed)
        finally:
            os.environ["CNNBOOK_DATA_DIR"] = str(grader_cache)  # this process keeps using its own cache
            drawing.finish()  # before its folder goes
            shutil.rmtree(work, ignore_errors=True)
        seconds, peak_mb = time.monotonic() - started, watchdog.peak_bytes / 1024**2
        if executed is None:
            if watchdog.fired:
                return Outcome(task.student_id, "timeout",
                               f"grading stopped after the {task.limits.notebook_seconds} s limit per notebook; "
                               f"look for a loop that never ends or very slow code", None, seconds, peak_mb, sandboxed)
            return Outcome(task.student_id, "crashed", f"the kernel died again and again, in cells "
                           f"{', '.join(str(i + 1) for i in crashed)}; nothing could be graded",
                           None, seconds, peak_mb, sandboxed)
        cases = drawing.result()  # the kernel ran, so the drawing started
        executed, _ = IgnorePattern(enabled=True, pattern="^").preprocess(executed, {})
        reports = judge_notebook(executed, task.assignment, cases)
        executed, _ = LimitOutput(max_lines=1000, max_traceback=100).preprocess(executed, {})
        # This worker's own copy of the gradebook scores the notebook for its feedback page.
        save_grades(executed, resources["nbgrader"]["db_url"], task.assignment, task.student_id)
        feedback = render_feedback(executed, resources["nbgrader"]["db_url"], task.assignment, task.student_id)
        reason = "; ".join(f"cell {i + 1} made the kernel die and was skipped" for i in crashed)
        return Outcome(task.student_id, "graded", reason, nbformat.writes(executed), time.monotonic() - started, peak_mb,
                       sandboxed, reports, feedback)
