"""The student repository that `make dist` writes into dist/student: what students may have, and nothing else.

It holds the released notebooks (assignments/, which the release generated from solutions/ without answers or
hidden tests), the course package (cnnbook/ and the kernel spec share/jupyter/kernels/cnnbook/, with a
pyproject.toml that keeps only the package's tables), the student requirements, a Binder configuration that
installs the package and so registers the course's kernel, and a README. Everything is copied from a list of
what may go (never by deleting what must not), so a new folder of the checkout stays out until it is named here.
The notebook paths are the checkout's, so the launch links of the book work against either.
"""

import json
import re
import shutil
from pathlib import Path

from autograder.course import ASSIGNMENTS, REPO, assignment_names
from autograder.course_package import CELL_ID, package_source, source_line

__all__ = ["write_student_tree", "student_pyproject", "check_released_notebooks", "StaleRelease", "SOURCES"]

# Where each top-level entry of the student tree comes from in the checkout (for the leak check's messages).
SOURCES = {
    "assignments": "assignments/ (made from solutions/ by `make assignments`)",
    "cnnbook": "cnnbook/",
    "share": "share/jupyter/kernels/cnnbook/",
    "pyproject.toml": "pyproject.toml ([build-system], [project] and [tool.hatch] tables)",
    "requirements.txt": "requirements-student.txt",
    "binder": "autograder/dist/student_tree.py (BINDER_POSTBUILD) and requirements-student.txt",
    "README.md": "autograder/dist/student_tree.py (STUDENT_README)",
}
KERNEL_SPEC = Path("share/jupyter/kernels/cnnbook")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", ".DS_Store")
PACKAGE_TABLES = re.compile(r"^\[(build-system|project(\.[\w-]+)*|tool\.hatch(\.[\w\".\-/]+)*)\]$")

# repo2docker runs binder/requirements.txt first (a cached layer), then postBuild in the repository's folder.
# Installing the package also installs its shared data: the kernel spec "Python 3 (CNN course)", whose "python"
# is the environment's own (Python 3.11: repo2docker's notebook and kernel environment are then one).
BINDER_POSTBUILD = """\
#!/bin/bash
# Binder: install the course package (cnnbook and the kernel spec "Python 3 (CNN course)") into the image's
# environment; binder/requirements.txt already installed what it needs.
set -euo pipefail
python -m pip install --no-cache-dir --no-deps .
"""
BINDER_RUNTIME = "python-3.11\n"

STUDENT_README = """\
# Convolutional Neural Networks: the assignments

The notebooks of the course's eight assignments and four weekly quizzes, and the course package `cnnbook` that they
import (its checks, figures, data and small pretrained models). Read the course in its book; each assignment page
and each week's quiz page there has buttons that open the notebook on your course's JupyterHub, on Binder or in
Colab.

## On your own computer

With Python 3.11:

```shell
python3.11 -m venv .venv
.venv/bin/python -m pip install -r requirements.txt . jupyterlab
.venv/bin/jupyter lab assignments/
```

Open the week's notebook with the kernel **Python 3 (CNN course)** (installing the package registers it), run it
from the top, and replace each `raise NotImplementedError()` with your code. The check cell under each exercise
says in plain words what is still wrong. Hand in the saved notebook under its own name.

## Elsewhere

- **JupyterHub**: the course's link pulls this repository into your home folder (your edits are kept when it
  updates) and opens the notebook.
- **Binder**: `binder/` installs the requirements and the package; the notebook opens in the course's kernel.
- **Colab**: the first cell of every notebook installs the course package from this repository when the kernel
  does not have it; run it first.

Nothing needs the network after the install: the data sets are drawn on your computer and the models ship with the
package.
"""


class StaleRelease(ValueError):
    """A released notebook does not match what the student release needs (run `make assignments`)."""


def student_pyproject(text: str) -> str:
    """Return the course's pyproject.toml reduced to the package's tables (build system, project, hatch)."""
    kept, keep = [], False
    for line in text.splitlines():
        if line.startswith("["):
            keep = bool(PACKAGE_TABLES.match(line.strip()))
            if keep and kept:
                kept.append("")
        if keep and line.strip() and not line.lstrip().startswith("#"):
            kept.append(line)
    header = "# The course package, cnnbook, as the course's release builds it (written by `make dist`).\n\n"
    return header + "\n".join(kept) + "\n"


def check_released_notebooks(requirement: str | None) -> list[Path]:
    """Return the released notebooks; StaleRelease when one is missing or names another course package source."""
    notebooks = []
    expected = source_line(requirement)
    for name in assignment_names():
        path = ASSIGNMENTS / name / f"{name}.ipynb"
        if not path.is_file():
            raise StaleRelease(f"{path.relative_to(REPO)} is missing: run `make assignments`.")
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        first = "".join(cells[0]["source"]) if cells and cells[0].get("id") == CELL_ID else ""
        if expected not in first.splitlines():
            raise StaleRelease(
                f"{path.relative_to(REPO)}: its first cell does not install the course package from the repository "
                f"that _config.yml names ({requirement or 'none'}): run `make assignments`, then `make dist` again."
            )
        notebooks.append(path)
    return notebooks


def write_student_tree(target: Path, settings: dict) -> Path:
    """Write the student repository into `target` (which must not exist yet) and return it."""
    requirements = (REPO / "requirements-student.txt").read_text(encoding="utf-8")
    for notebook in check_released_notebooks(package_source(settings)):
        relative = notebook.relative_to(REPO)
        (target / relative.parent).mkdir(parents=True, exist_ok=True)
        shutil.copy2(notebook, target / relative)
    shutil.copytree(REPO / "cnnbook", target / "cnnbook", ignore=IGNORED)
    shutil.copytree(REPO / KERNEL_SPEC, target / KERNEL_SPEC, ignore=IGNORED)
    (target / "pyproject.toml").write_text(student_pyproject((REPO / "pyproject.toml").read_text(encoding="utf-8")))
    (target / "requirements.txt").write_text(requirements)
    (target / "README.md").write_text(STUDENT_README)
    binder = target / "binder"
    binder.mkdir()
    (binder / "requirements.txt").write_text(requirements)
    (binder / "runtime.txt").write_text(BINDER_RUNTIME)
    (binder / "postBuild").write_text(BINDER_POSTBUILD)
    (binder / "postBuild").chmod(0o755)
    return target
