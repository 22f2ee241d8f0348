"""The book for a class: built as `make book` builds it, and copied into dist/site.

The launch buttons of the assignment pages point where _config.yml says (`sphinx.config.assignment_launch`):
the student repository that dist/student is pushed to, and the class's hub.
"""

import shutil
import subprocess
import sys
from pathlib import Path

from autograder.course import REPO

__all__ = ["BUILT", "build_book", "copy_site", "placeholder_settings"]

BUILT = REPO / "_build" / "html"
PLACEHOLDERS = ("example-org", "example.org")


def placeholder_settings(settings: dict) -> list[str]:
    """Return the launch settings that still hold the example values of _config.yml."""
    return [key for key, value in settings.items() if isinstance(value, str) and any(p in value for p in PLACEHOLDERS)]


def build_book() -> None:
    """Build the book into _build/html (executed pages come from the cache when unchanged); RuntimeError on failure."""
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(REPO)]
    proc = subprocess.run(command + ["--warningiserror", "--keep-going", "--quiet"], cwd=REPO)
    if proc.returncode != 0:
        raise RuntimeError("the book build failed (its messages are above): fix the page it names, then run again")


def copy_site(target: Path) -> Path:
    """Copy the built book into `target` (replacing it) and return it."""
    if not (BUILT / "index.html").is_file():
        raise RuntimeError(f"{BUILT} holds no built book: run `make book` first")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(BUILT, target, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
    return target
