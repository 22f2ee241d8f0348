"""Find each student's notebook in a folder or zip of submissions, whatever shape the folder has.

The shapes: a sub-folder per student (nbgrader's `collect` writes `<student>/<assignment>/<notebook>.ipynb`,
with the student's other assignments beside it), flat files `<student>_<assignment>.ipynb`, and the
exports of Moodle and Canvas. A notebook of another assignment of the course is never graded in place of
this one: a student who has only those gets a row saying there is no submission.
"""

import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from autograder.course import JUPYTER_SESSION_FOLDERS, assignment_names


@dataclass(frozen=True)
class Submission:
    """One student's submission: the notebook to grade, or the reason there is none.

    missing: the student handed in nothing for this assignment (their row's status is "missing", not
    "invalid"); lms_user_id: the student's id in the learning-management system, when its export names it.
    """

    student_id: str
    notebook: Path | None
    problem: str | None = None
    missing: bool = False
    lms_user_id: str | None = None


# Learning-management systems name what they export: Moodle a folder per submission
# ("Ana Ruiz_1234_assignsubmission_file_"), Canvas a flat file ("ruizana_1234_5678_my notebook.ipynb",
# with "_LATE" after the name when late).
MOODLE_FOLDER = re.compile(r"^(?P<student>.+?)_\d+_assignsubmission_\w+?_?$")
# Canvas's numbers are the student's Canvas user id, then the file's.
CANVAS_FILE = re.compile(r"^(?P<student>[A-Za-z0-9-]+?)(?:_LATE)?_(?P<user>\d+)_\d+_(?P<name>.+)$")


def student_of_folder(name: str) -> str:
    """Return the student id of a submission folder (a plain name, or a Moodle export folder)."""
    match = MOODLE_FOLDER.match(name)
    return clean_student_id(match["student"] if match else name)


def read_file_name(stem: str, assignment: str) -> tuple[str, str | None, str | None]:
    """Return (student id, Canvas user id or None, the other assignment it is named after or None) of a flat
    notebook file: `<student>_<assignment>`, a Canvas export name, or `<student>`."""
    canvas = CANVAS_FILE.match(stem)
    base = re.sub(r"-\d+$", "", canvas["name"] if canvas else stem)  # Canvas numbers a file handed in again: name-1
    other = next((o for o in sorted(other_assignments(assignment)) if base == o or base.endswith(f"_{o}")), None)
    if canvas:
        return clean_student_id(canvas["student"]), canvas["user"], other
    for named in (assignment, other):
        if named and stem != named and stem.endswith(f"_{named}"):
            return clean_student_id(stem.removesuffix(f"_{named}")), None, other
    return clean_student_id(stem), None, other


def other_assignments(assignment: str) -> set[str]:
    """Return the ids of the course's assignments other than `assignment`."""
    return set(assignment_names()) - {assignment}


def belongs_elsewhere(relative: Path, assignment: str) -> bool:
    """Return whether a notebook at `relative` (inside a student's folder) is another assignment's: in a folder
    named after one, or named after one itself."""
    others = other_assignments(assignment)
    return bool(others.intersection(relative.parts[:-1])) or relative.stem in others


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


def notebooks_in(folder: Path) -> list[Path]:
    """Return the notebooks under `folder`, sorted, without the copies Jupyter keeps next to them."""
    return sorted(
        p for p in folder.rglob("*.ipynb") if not JUPYTER_SESSION_FOLDERS.intersection(p.relative_to(folder).parts)
    )


def pick_notebook(folder: Path, assignment: str) -> tuple[Path | None, str | None, bool]:
    """Return (notebook, None, False) for the student's notebook in `folder`, or (None, reason, missing) when there
    is not exactly one; missing: there is none for this assignment at all.

    nbgrader's layout (`<student>/<assignment>/`) is read first; notebooks of the course's other assignments are
    never picked.
    """
    if (folder / assignment).is_dir():  # nbgrader's collect: one folder per assignment the student submitted
        folder_notebooks = notebooks_in(folder / assignment)
    else:
        folder_notebooks = notebooks_in(folder)
    notebooks = [p for p in folder_notebooks if not belongs_elsewhere(p.relative_to(folder), assignment)]
    exact = [p for p in notebooks if p.name == f"{assignment}.ipynb"]
    if len(exact) == 1:
        return exact[0], None, False
    if len(notebooks) == 1:
        return notebooks[0], None, False
    if not notebooks:
        if folder_notebooks:
            held = [p.relative_to(folder).as_posix() for p in folder_notebooks]
            listed = ", ".join(held[:3]) + (f" and {len(held) - 3} more" if len(held) > 3 else "")
            return None, f"no submission for {assignment}: {folder.name}/ holds only other assignments ({listed})", True
        return None, f"no submission for {assignment}: no notebook (.ipynb) in the folder {folder.name}/", True
    names = ", ".join(p.relative_to(folder).as_posix() for p in notebooks)
    return None, f"several notebooks ({names}) and none is named {assignment}.ipynb; keep one and grade again", False


def collect(source: Path, assignment: str, scratch: Path) -> list[Submission]:
    """Return one Submission per student found in `source` (a folder or a zip), sorted by student id.

    A sub-folder is one student (its name is the id); a flat file `<student>_<assignment>.ipynb` (or
    `<student>.ipynb`) is one student too. Files of other kinds are ignored, and so are flat files of the
    course's other assignments, except that their student gets a "missing" row when nothing else is theirs.
    """
    if not source.exists():
        raise FileNotFoundError(f"Submissions not found: {source} does not exist (give a folder or a .zip).")
    if source.is_file():
        if not zipfile.is_zipfile(source):
            raise ValueError(f"{source} is neither a folder nor a zip archive of submissions.")
        shutil.rmtree(scratch / "unzipped", ignore_errors=True)
        source = unpack_zip(source, scratch / "unzipped")
    found: dict[str, Submission] = {}
    elsewhere: dict[str, list[str]] = {}  # flat files of other assignments, by student
    for entry in sorted(source.iterdir()):
        if entry.name.startswith(".") or entry.name == "__MACOSX":
            continue
        if entry.is_dir():
            student = student_of_folder(entry.name)
            sub = Submission(student, *pick_notebook(entry, assignment))
        elif entry.suffix == ".ipynb":
            student, lms_user_id, other = read_file_name(entry.stem, assignment)
            if other is not None:  # another assignment's notebook: never graded for this one
                if entry.stem != other:  # a file named only after an assignment names no student
                    elsewhere.setdefault(student, []).append(entry.name)
                continue
            sub = Submission(student, entry, lms_user_id=lms_user_id)
        else:
            continue
        if student in found:
            problem = f"two submissions for student {student} ({entry.name} and another); keep one and grade again"
            sub = Submission(student, None, problem)
        found[student] = sub
    for student, names in elsewhere.items():
        if student not in found:
            found[student] = Submission(
                student, None, f"no submission for {assignment}: only {', '.join(names)}", missing=True
            )
    return [found[k] for k in sorted(found)]
