"""Write what a class gets into dist/: the student repository, the course package's wheel and the book.

python -m autograder.dist [--out dist] [--no-site]

  dist/student/   the student repository (released notebooks, the course package, student requirements, Binder
                  configuration, README), refused when the leak check finds a line only the grader may have
  dist/wheels/    the course package's wheel, built from dist/student (for hub images: pip install it)
  dist/site/      the built book, its launch buttons pointing at the student repository of _config.yml

The released notebooks are taken from assignments/ as committed: `make dist` runs `make assignments` first.
"""

import argparse
import shutil
import sys
from pathlib import Path

from autograder.course import REPO
from autograder.course_package import launch_settings
from autograder.dist.book_site import build_book, copy_site, placeholder_settings
from autograder.dist.leak_check import describe, find_leaks
from autograder.dist.package_wheel import build_wheel
from autograder.dist.student_tree import SOURCES, write_student_tree


def make_student(out: Path, settings: dict) -> Path | None:
    """Write and leak-check out/student; return it, or None (after saying why) when the check refuses it.

    The tree is written beside its final place and renamed into it only once it passed, so dist/student is never
    a tree that failed; a refused one is kept as out/student.refused for inspection.
    """
    partial, final, refused = out / "student.partial", out / "student", out / "student.refused"
    for stale in (partial, refused):
        shutil.rmtree(stale, ignore_errors=True)
    write_student_tree(partial, settings)
    leaks = find_leaks(partial)
    if leaks:
        partial.rename(refused)
        print(
            f"The student release holds {len(leaks)} line(s) that only the grader may have; it was NOT written to "
            f"{final} (kept as {refused} to inspect):",
            file=sys.stderr,
        )
        for leak in leaks:
            print(f"  {describe(leak, SOURCES)}", file=sys.stderr)
        return None
    shutil.rmtree(final, ignore_errors=True)
    partial.rename(final)
    return final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "dist", help="folder to write into (default: dist/)")
    parser.add_argument(
        "--no-site", action="store_true", help="skip the book (dist/site): the student repository and the wheel only"
    )
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    try:
        settings = launch_settings()
        student = make_student(out, settings)
    except ValueError as exc:  # a stale release (StaleRelease) or an unreadable _config.yml
        print(f"make dist: {exc}", file=sys.stderr)
        return 2
    if student is None:
        return 1
    print(f"wrote {student} (leak check passed)")
    wheel = build_wheel(student, out / "wheels")
    print(f"wrote {wheel}")
    if not args.no_site:
        for key in placeholder_settings(settings):
            print(f"note: _config.yml, sphinx.config.assignment_launch.{key} still holds an example address", file=sys.stderr)
        build_book()
        print(f"wrote {copy_site(out / 'site')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
