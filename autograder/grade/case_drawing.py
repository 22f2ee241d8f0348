"""The hidden tests' cases of a grading run: drawn once per worker process, written into the kernel's .probe/ folder
while the kernel starts."""

import json
import os
import threading
from pathlib import Path

from autograder.judging.cases import draw_cases, encode_cases

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
                fd = os.open(
                    f"{grade_id}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=self.folder
                )
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
