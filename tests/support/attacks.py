"""What the attack suites share (tests/grading/adversarial/): an attack, the registry each suite fills, and the small
edits attacks make to a notebook's cells.

Each attack edits a base notebook and states the score the result deserves; tests/grading/test_adversarial.py grades
every suite in one batch per assignment and checks each attack got exactly that.
"""

from dataclasses import dataclass
from typing import Callable

__all__ = ["Context", "Attack", "registrar", "cell", "append"]


@dataclass(frozen=True)
class Context:
    """What an attack may know of the grading run: the folder the grader writes to."""

    out: str


@dataclass(frozen=True)
class Attack:
    name: str
    base: str  # the notebook it edits: "release", "solution", or a base its suite defines
    expected: float
    edit: Callable  # (notebook, context) -> notebook, or -> str for a file that is not a notebook
    what: str


def registrar(attacks: list[Attack]) -> Callable:
    """Return the decorator `attack(base, expected)` that registers an edit as an attack into `attacks`."""

    def attack(base: str, expected: float):
        def register(edit):
            attacks.append(Attack(edit.__name__, base, expected, edit, (edit.__doc__ or "").strip()))
            return edit

        return register

    return attack


def cell(nb, grade_id: str):
    """Return the cell of `nb` with nbgrader grade_id `grade_id`."""
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def append(nb, grade_id: str, code: str):
    """Append `code` to the cell `grade_id` of `nb` and return `nb`."""
    cell(nb, grade_id).source += "\n" + code
    return nb
