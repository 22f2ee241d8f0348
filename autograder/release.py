"""Regenerate the student notebooks (assignments/) from the instructor notebooks (solutions/) with nbgrader.

nbgrader strips the answers and the hidden tests; then each notebook's first cell is given the source of the
course package that _config.yml names (autograder.course_package), for kernels that lack it (Colab).

python -m autograder.release [ASSIGNMENT ...]          regenerate in place
python -m autograder.release --check [ASSIGNMENT ...]  exit 1 and name the files that are stale
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all in solutions/)")
    parser.add_argument("--check", action="store_true", help="compare with a fresh release instead of writing")
    args = parser.parse_args(argv)
    names = args.assignments or assignment_names()
    for name in names:
        check_assignment(name)
    if args.check:
        stale = [path for name in names for path in stale_files(name)]
        if stale:
            print("Released notebooks are out of date with solutions/ (run `make assignments`):")
            print("\n".join(f"  {path}" for path in stale))
            return 1
        print(f"assignments/ is in sync with solutions/ ({len(names)} assignments).")
        return 0
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = generate(name, Path(tmp))
            shutil.rmtree(ASSIGNMENTS / name, ignore_errors=True)
            shutil.copytree(fresh, ASSIGNMENTS / name)
        print(f"released assignments/{name}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
