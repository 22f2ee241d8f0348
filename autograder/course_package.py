"""The first cell of every notebook: it installs the course package where the course's kernel is missing (Colab).

In the course's own kernel, "Python 3 (CNN course)", `cnnbook` is importable and the cell does nothing. Anywhere
else it runs `%pip install` on COURSE_PACKAGE. The instructor notebooks leave that name unset; the release
(autograder.release) writes into each student notebook the student repository that _config.yml names for the
launch buttons (`sphinx.config.assignment_launch`: repository_url and branch), so a notebook that Colab opened from
the student repository installs the package from that same repository, and changing the address is one edit of
_config.yml and `make assignments`.
"""

import re
from pathlib import Path

import yaml
from nbgrader.utils import compute_checksum

from autograder.course import REPO

__all__ = [
    "CELL_ID",
    "CELL_SOURCE",
    "DISTRIBUTION",
    "UNSET",
    "launch_settings",
    "package_source",
    "source_line",
    "stamp_notebook",
]

CELL_ID = "course-package"
DISTRIBUTION = "cnn-course"  # [project] name in pyproject.toml
UNSET = "COURSE_PACKAGE = None  # the student release names the package's source here"
SOURCE_LINE = re.compile(r"^COURSE_PACKAGE = .*$", re.MULTILINE)

# The cell as every instructor notebook holds it, first (tests/support/notebooks.py checks it). `%pip` installs into
# the kernel's own environment; the import at the end fails the cell at once if the install did not bring cnnbook.
CELL_SOURCE = f"""\
# The course's package, cnnbook: the course's kernel, "Python 3 (CNN course)", has it and this
# cell does nothing there. In any other kernel (Colab, a plain Python 3) it installs it, once.
import importlib
import importlib.util

{UNSET}
if importlib.util.find_spec("cnnbook") is None:
    if COURSE_PACKAGE is None:
        raise RuntimeError(
            "This kernel lacks the course package cnnbook: choose the kernel 'Python 3 (CNN course)',"
            " or open the notebook from the course's student repository."
        )
    %pip install --quiet "{{COURSE_PACKAGE}}"
    importlib.invalidate_caches()  # so that the package installed a moment ago is found
    importlib.import_module("cnnbook")"""


def launch_settings(config: Path = REPO / "_config.yml") -> dict:
    """Return the book's launch settings (`sphinx.config.assignment_launch` of _config.yml); {} when absent;
    ValueError naming the file when it cannot be read."""
    try:
        book = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        settings = ((book.get("sphinx") or {}).get("config") or {}).get("assignment_launch") or {}
    except (yaml.YAMLError, AttributeError) as exc:
        raise ValueError(f"{config} cannot be read as the book's configuration ({exc}); fix it and run again") from exc
    if not isinstance(settings, dict):
        raise ValueError(f"{config}: sphinx.config.assignment_launch must be a mapping of settings")
    return settings


def package_source(settings: dict) -> str | None:
    """Return the pip requirement that installs the course package from the student repository, or None if unset."""
    repository = (settings.get("repository_url") or "").strip()
    if not repository:
        return None
    branch = settings.get("branch") or "main"
    return f"{DISTRIBUTION} @ git+{repository}@{branch}"


def source_line(requirement: str | None) -> str:
    """Return the cell's COURSE_PACKAGE line for a pip requirement (the unset line for None)."""
    if requirement is None:
        return UNSET
    if '"' in requirement or "\n" in requirement:
        raise ValueError(f"a course package source cannot hold a quote or a line break: {requirement!r}")
    return f'COURSE_PACKAGE = "{requirement}"  # from _config.yml, by the release'


def stamp_notebook(nb, requirement: str | None) -> None:
    """Write `requirement` into the notebook's course-package cell (an nbformat NotebookNode) and its checksum."""
    cell = next((c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == CELL_ID), None)
    if cell is None:
        raise ValueError(f"the notebook has no {CELL_ID!r} cell: add it first in solutions/ (see authoring.md)")
    source, count = SOURCE_LINE.subn(source_line(requirement), cell.source)
    if count != 1:
        raise ValueError(f"the {CELL_ID!r} cell must hold exactly one line 'COURSE_PACKAGE = ...', not {count}")
    cell.source = source
    if "checksum" in cell.metadata.nbgrader:  # nbgrader checks released locked cells against it
        cell.metadata.nbgrader["checksum"] = compute_checksum(cell)
