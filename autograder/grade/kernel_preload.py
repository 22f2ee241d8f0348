"""The course's imports of an assignment, done by a grading kernel as it starts, before it answers.

A kernel started ahead (autograder.grade.spare_kernel) spends its first seconds importing what the notebook will
import (TensorFlow takes 3 to 4 s): done at start-up, that time passes while the worker grades the submission
before. The imports are those of the instructor notebook's imports cell (grade_id "imports") and the cells
before it, never the student's. Each becomes one of IPython's start-up lines, `__import__('<module>') and None`:
the module is loaded and nothing is bound in the student's namespace (a notebook that forgets an import must fail
as it would in JupyterLab) and nothing is displayed or stored as `_`.
"""

import ast
import functools
import json

from autograder.course import SOLUTIONS
from autograder.grade.phase_timing import IMPORTS_CELL

OPTION = "--IPKernelApp.exec_lines"


@functools.cache
def preloaded_modules(assignment: str) -> tuple[str, ...]:
    """Return the modules the instructor notebook of `assignment` imports up to its imports cell, in order (none if
    it has no such cell or it cannot be read)."""
    try:
        nb = json.loads((SOLUTIONS / assignment / f"{assignment}.ipynb").read_text())
    except (OSError, ValueError):
        return ()
    modules: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        modules += imported_modules("".join(cell.get("source", "")))
        if (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id") == IMPORTS_CELL:
            return tuple(dict.fromkeys(modules))
    return ()


def imported_modules(source: str) -> list[str]:
    """Return the absolute modules the top-level import statements of `source` load (IPython's magics and shell
    lines left out; a cell that does not parse gives none)."""
    python = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        tree = ast.parse(python)
    except SyntaxError:
        return []
    found = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
    return found


def preload_arguments(modules: tuple[str, ...]) -> list[str]:
    """Return the kernel's command-line options that import `modules` at its start (see the module's docstring)."""
    return [f"{OPTION}=__import__({module!r}) and None" for module in modules]
