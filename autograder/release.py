"""Regenerate the student notebooks (assignments/) from the instructor notebooks (solutions/) with nbgrader.

nbgrader strips the answers and the hidden tests; then each notebook's first cell is given the source of the
course package that _config.yml names (autograder.course_package), for kernels that lack it (Colab).

python -m autograder.release [ASSIGNMENT ...]          regenerate in place
python -m autograder.release --check [ASSIGNMENT ...]  exit 1 and name the files that are stale

A weekly quiz's instructor notebook is itself written from its bank and its draw (autograder.quizzes) first.
"""

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

from autograder.course import ASSIGNMENTS, JUPYTER_SESSION_FOLDERS, assignment_names, check_assignment, run_nbgrader
from autograder.course_package import launch_settings, package_source, stamp_notebook
from autograder.quizzes.banks import QuizBankError, is_quiz, quiz_names, relative
from autograder.quizzes.draws import draw_file, draw_text, fresh_draw
from autograder.quizzes.notebooks import notebook_path, notebook_text


def generate(assignment: str, release_root: Path) -> Path:
    """Write the student version of `assignment` to release_root/<assignment>/ and return that folder."""
    with tempfile.TemporaryDirectory() as scratch:
        # The gradebook that generate_assignment fills is not needed for a release: keep it out of the repo.
        run_nbgrader(
            "generate_assignment",
            assignment,
            "--force",
            f"--CourseDirectory.release_directory={release_root}",
            f"--CourseDirectory.db_url=sqlite:///{scratch}/release.db",
        )
    requirement = package_source(launch_settings())
    for path in sorted((release_root / assignment).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        stamp_notebook(nb, requirement)
        nbformat.write(nb, path)
    return release_root / assignment


def released_files(folder: Path) -> set[str]:
    """Return the files under `folder` (relative, POSIX), without the folders Jupyter writes next to notebooks."""
    if not folder.is_dir():
        return set()
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not JUPYTER_SESSION_FOLDERS.intersection(p.relative_to(folder).parts)
    }


def stale_files(assignment: str, released: Path = ASSIGNMENTS) -> list[str]:
    """Return the paths under released/<assignment>/ that differ from a fresh release, or are missing or extra.

    Files Jupyter writes next to a notebook it opened (JUPYTER_SESSION_FOLDERS) are git-ignored and not part of
    the release, so they never count as stale.
    """
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(assignment, Path(tmp))
        committed = released / assignment
        names = released_files(fresh) | released_files(committed)
        return sorted(
            f"assignments/{assignment}/{name}"
            for name in names
            if not (
                (fresh / name).is_file()
                and (committed / name).is_file()
                and filecmp.cmp(fresh / name, committed / name, shallow=False)
            )
        )


def write_quiz(quiz: str) -> None:
    """Write a quiz's draw (from its recorded seed) and its instructor notebook (from its bank and that draw); when
    the notebook cannot be written, the draw is put back as it was."""
    path = draw_file(quiz)
    recorded = path.read_text(encoding="utf-8")
    path.write_text(draw_text(fresh_draw(quiz)), encoding="utf-8")
    try:
        text = notebook_text(quiz)
    except Exception:
        path.write_text(recorded, encoding="utf-8")
        raise
    notebook_path(quiz).parent.mkdir(parents=True, exist_ok=True)
    notebook_path(quiz).write_text(text, encoding="utf-8")


def stale_quiz_files(quiz: str) -> list[str]:
    """Return a quiz's draw and instructor notebook when they differ from what its bank and seed make now."""
    wanted = {draw_file(quiz): draw_text(fresh_draw(quiz)), notebook_path(quiz): notebook_text(quiz)}
    return [
        relative(path)
        for path, text in wanted.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all in solutions/)")
    parser.add_argument("--check", action="store_true", help="compare with a fresh release instead of writing")
    args = parser.parse_args(argv)
    quizzes = [name for name in args.assignments if is_quiz(name)] if args.assignments else quiz_names()
    broken = []  # quizzes whose bank or draw cannot be used: named, and the other assignments still released
    stale = []
    for quiz in quizzes:  # before nbgrader, which releases the notebook written here
        try:
            if args.check:
                stale += stale_quiz_files(quiz)
            else:
                write_quiz(quiz)
        except QuizBankError as exc:
            print(f"error: {exc}", file=sys.stderr)
            broken.append(quiz)
    names = [name for name in args.assignments or assignment_names() if name not in broken]
    for name in names:
        check_assignment(name)
    if args.check:
        stale += [path for name in names for path in stale_files(name)]
        if stale:
            print("Generated notebooks are out of date (run `make assignments`):")
            print("\n".join(f"  {path}" for path in stale))
            return 1
        print(f"assignments/ is in sync with solutions/ ({len(names)} assignments).")
        if broken:
            print(f"Not checked, their bank or draw cannot be used (above): {', '.join(broken)}.")
        return 1 if broken else 0
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = generate(name, Path(tmp))
            shutil.rmtree(ASSIGNMENTS / name, ignore_errors=True)
            shutil.copytree(fresh, ASSIGNMENTS / name)
        print(f"released assignments/{name}/")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
