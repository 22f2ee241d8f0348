"""Find each student's notebook in a folder or zip of submissions, whatever shape the folder has."""

import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Submission:
    """One student's submission: the notebook to grade, or the reason there is none."""

    student_id: str
    notebook: Path | None
    problem: str | None = None


# Learning-management systems name what they export: Moodle a folder per submission
# ("Ana Ruiz_1234_assignsubmission_file_"), Canvas a flat file ("ruizana_1234_5678_my notebook.ipynb",
# with "_LATE" after the name when late).
MOODLE_FOLDER = re.compile(r"^(?P<student>.+?)_\d+_assignsubmission_\w+?_?$")
CANVAS_FILE = re.compile(r"^(?P<student>[A-Za-z0-9-]+?)(?:_LATE)?_\d+_\d+_(?P<name>.+)$")


def student_of_folder(name: str) -> str:
    """Return the student id of a submission folder (a plain name, or a Moodle export folder)."""
    match = MOODLE_FOLDER.match(name)
    return clean_student_id(match["student"] if match else name)


def student_of_file(stem: str, assignment: str) -> str:
    """Return the student id of a flat notebook file: `<student>_<assignment>`, a Canvas export name, or `<student>`."""
    if stem != assignment and stem.endswith(f"_{assignment}"):
        return clean_student_id(stem.removesuffix(f"_{assignment}"))
    match = CANVAS_FILE.match(stem)
    return clean_student_id(match["student"] if match else stem)


def clean_student_id(raw: str) -> str:
    """Return `raw` reduced to the characters nbgrader and file systems accept in a student id."""
    return re.sub(r"[^A-Za-z0-9_.@-]+", "_", raw.strip()).strip("._") or "unnamed"


def unpack_zip(archive: Path, into: Path) -> Path:
    """Extract `archive` into `into` (refusing paths that escape it) and return the folder that holds the
    submissions."""
    into.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as zf:
        for member in zf.infolist():
            target = (into / member.filename).resolve()
            if not target.is_relative_to(into.resolve()):
                raise ValueError(f"{archive}: refusing {member.filename!r}, which would be written outside the folder")
        zf.extractall(into)
    entries = [p for p in into.iterdir() if p.name != "__MACOSX"]
    # A zip of one folder that holds everything: descend into it.
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else into


def pick_notebook(folder: Path, assignment: str) -> tuple[Path | None, str | None]:
    """Return (notebook, None) for the student's notebook in `folder`, or (None, reason) when there is not exactly
    one."""
    notebooks = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    exact = [p for p in notebooks if p.name == f"{assignment}.ipynb"]
    if len(exact) == 1:
        return exact[0], None
    if len(notebooks) == 1:
        return notebooks[0], None
    if not notebooks:
        return None, f"no notebook (.ipynb) in the student's folder {folder.name}/"
    names = ", ".join(p.relative_to(folder).as_posix() for p in notebooks)
    return None, f"several notebooks ({names}) and none is named {assignment}.ipynb; keep one and grade again"


def collect(source: Path, assignment: str, scratch: Path) -> list[Submission]:
    """Return one Submission per student found in `source` (a folder or a zip), sorted by student id.

    A sub-folder is one student (its name is the id); a flat file `<student>_<assignment>.ipynb` (or
    `<student>.ipynb`) is one student too. Files of other kinds are ignored.
    """
    if not source.exists():
        raise FileNotFoundError(f"Submissions not found: {source} does not exist (give a folder or a .zip).")
    if source.is_file():
        if not zipfile.is_zipfile(source):
            raise ValueError(f"{source} is neither a folder nor a zip archive of submissions.")
        shutil.rmtree(scratch / "unzipped", ignore_errors=True)
        source = unpack_zip(source, scratch / "unzipped")
    found: dict[str, Submission] = {}
    for entry in sorted(source.iterdir()):
        if entry.name.startswith(".") or entry.name == "__MACOSX":
            continue
        if entry.is_dir():
            student = student_of_folder(entry.name)
            notebook, problem = pick_notebook(entry, assignment)
        elif entry.suffix == ".ipynb":
            student, notebook, problem = student_of_file(entry.stem, assignment), entry, None
        else:
            continue
        if student in found:
            problem = f"two submissions for student {student} ({entry.name} and another); keep one and grade again"
            notebook = None
        found[student] = Submission(student, notebook, problem)
    return [found[k] for k in sorted(found)]
