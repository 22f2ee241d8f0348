"""nbgrader's own exchange in a temporary folder, used as an instructor and students use it: the instructor runs
nbgrader's commands with the course's configuration (autograder/nbgrader_config.py) in a course folder of the
test's own, as book/instructors/hosting.md shows; each student fetches and submits from a home folder of their own
with nbgrader's exchange classes, as the Assignments tab of JupyterLab does (in this process: a student's step
then takes a fraction of a second instead of an nbgrader start-up). Shared by the exchange round trip
(tests/grading/test_exchange.py) and the JupyterLab test's Assignments tab (tests/lab/test_jupyterlab.py).
"""

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange import ExchangeFactory
from traitlets.config import Config

from autograder.course import ASSIGNMENTS, NBGRADER_CONFIG, nbgrader_env

COURSE_ID = "cnn-course"  # autograder/nbgrader_config.py's CourseDirectory.course_id


@dataclass(frozen=True)
class Exchange:
    """The exchange (`root`), the instructor's course folder (`course`) and the students' homes (`homes`)."""

    root: Path
    course: Path
    homes: Path

    @classmethod
    def create(cls, folder: Path) -> "Exchange":
        """Make an empty exchange and course folder under `folder`, with the course's released notebooks."""
        exchange = cls(folder / "exchange", folder / "course", folder / "homes")
        exchange.root.mkdir(parents=True)
        exchange.root.chmod(0o777)  # as on a hub: every student writes to the exchange's inbound folder
        shutil.copytree(ASSIGNMENTS, exchange.course / "assignments")
        return exchange

    def instructor(self, *args: str) -> subprocess.CompletedProcess:
        """Run `nbgrader <args>` in the course folder with the course's configuration, as the instructor does."""
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "nbgrader",
                *args,
                f"--NbGrader.config_file={NBGRADER_CONFIG}",
                f"--CourseDirectory.root={self.course}",
                f"--CourseDirectory.db_url=sqlite:///{self.course / 'gradebook.db'}",
                f"--Exchange.root={self.root}",
            ],
            cwd=self.course,
            capture_output=True,
            text=True,
            env=nbgrader_env(),
            timeout=300,
        )
        assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
        return proc

    def student_config(self, student: str, assignment: str) -> Config:
        """Return the configuration of `student`'s exchange step on `assignment`, from their home folder."""
        config = Config()
        config.Exchange.root = str(self.root)
        config.Exchange.cache = str(self.homes / student / ".nbgrader_cache")
        config.Exchange.assignment_dir = str(self.homes / student)
        config.CourseDirectory.course_id = COURSE_ID
        config.CourseDirectory.assignment_id = assignment
        config.CourseDirectory.student_id = student
        return config

    def release(self, assignment: str) -> None:
        """The instructor releases `assignment` to the exchange (nbgrader release_assignment)."""
        self.instructor("release_assignment", assignment)

    def fetch(self, assignment: str, student: str) -> Path:
        """`student` fetches `assignment` into their home; return the notebook."""
        (self.homes / student).mkdir(parents=True, exist_ok=True)
        config = self.student_config(student, assignment)
        factory = ExchangeFactory(config=config)
        factory.FetchAssignment(
            coursedir=CourseDirectory(config=config), authenticator=Authenticator(config=config), config=config
        ).start()
        return self.homes / student / assignment / f"{assignment}.ipynb"

    def submit(self, assignment: str, student: str) -> None:
        """`student` submits the folder `assignment` of their home."""
        config = self.student_config(student, assignment)
        factory = ExchangeFactory(config=config)
        factory.Submit(
            coursedir=CourseDirectory(config=config), authenticator=Authenticator(config=config), config=config
        ).start()

    def collect(self, assignment: str) -> Path:
        """The instructor collects `assignment` (nbgrader collect); return the folder collect writes to."""
        self.instructor("collect", assignment)
        return self.course / "submitted"

    def listing_config(self, folder: Path) -> Path:
        """Write a Jupyter configuration folder that points nbgrader's Assignments tab at this exchange; return it."""
        folder.mkdir(parents=True, exist_ok=True)
        settings = {"Exchange": {"root": str(self.root)}, "CourseDirectory": {"course_id": COURSE_ID}}
        (folder / "nbgrader_config.json").write_text(json.dumps(settings))
        return folder


def paste_answers(notebook: Path, answers: dict[str, str]) -> None:
    """Replace the solution cell of each function of `answers` in the notebook file by its source, as a student
    writing the answer would."""
    nb = json.loads(notebook.read_text())
    for cell in nb["cells"]:
        function = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if cell["metadata"].get("nbgrader", {}).get("solution") and function in answers:
            cell["source"] = answers[function]
    notebook.write_text(json.dumps(nb, indent=1))


__all__ = ["COURSE_ID", "Exchange", "paste_answers"]
