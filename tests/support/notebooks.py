"""The instructor notebooks as the tests read them: their cells, their solution cells run in a namespace of the
test's making, and the shape every instructor notebook must have."""

import json

from autograder.course import SOLUTIONS
from autograder.course_package import CELL_ID, CELL_SOURCE

__all__ = ["notebook_cells", "cell_source", "solution_sources", "run_solution_cells", "check_notebook_structure"]


def check_notebook_structure(assignment: str, points: dict[str, int], solutions: list[str]) -> dict:
    """Check the instructor notebook of `assignment`: nbformat 4.5, the course kernel, unique cell ids and grade ids,
    nbgrader's schema 3, no outputs, locked cells, the course-package cell first (it installs the package where the
    course's kernel is missing), and each solution cell and test cell in the course's form.

    points: {graded function: its test cell's points}; solutions: the graded functions whose solution cells
    the notebook holds, in notebook order. Returns {test grade_id: (points, source)} of the test cells.
    """
    nb = json.loads((SOLUTIONS / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    assert (nb["nbformat"], nb["nbformat_minor"]) == (4, 5)
    assert nb["metadata"]["kernelspec"] == {
        "name": "cnnbook",
        "display_name": "Python 3 (CNN course)",
        "language": "python",
    }
    cells = nb["cells"]
    first = cells[0]
    assert (first["id"], first["cell_type"], first["metadata"]["nbgrader"]["grade_id"]) == (CELL_ID, "code", CELL_ID)
    assert "".join(first["source"]) == CELL_SOURCE, "the course-package cell differs from autograder.course_package"
    grade_ids = [c["metadata"]["nbgrader"]["grade_id"] for c in cells]
    assert len({c["id"] for c in cells}) == len(cells) and len(set(grade_ids)) == len(grade_ids)
    tests = {}
    found = []
    for cell in cells:
        meta = cell["metadata"]["nbgrader"]
        assert meta["schema_version"] == 3
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
        if meta["grade"]:
            assert meta["locked"] and not meta["solution"]
            tests[meta["grade_id"]] = (meta["points"], "".join(cell["source"]))
        elif meta["solution"]:
            source = "".join(cell["source"])
            definition = source.removeprefix("@tf.function()\n")  # a training step may be compiled by TensorFlow
            assert not meta["locked"] and definition.startswith(f"def {meta['grade_id']}(")
            assert source.index('"""') < source.index("### BEGIN SOLUTION") < source.index("### END SOLUTION")
            found.append(meta["grade_id"])
        else:
            assert meta["locked"]
    assert found == list(solutions)
    assert {name[len("test_") :]: p for name, (p, _) in tests.items()} == points
    for name, (_, source) in tests.items():
        function = name[len("test_") :]
        assert source.splitlines() == [
            f"check_{function}({function})",
            "### BEGIN HIDDEN TESTS",
            "from cnnbook.grading.probe import probe",
            f'probe("{assignment}", "test_{function}", {function})',
            "### END HIDDEN TESTS",
        ]
    return tests


def notebook_cells(assignment: str) -> list[dict]:
    """Return the cells of the instructor notebook of `assignment`, as JSON."""
    return json.loads((SOLUTIONS / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))["cells"]


def cell_source(assignment: str, grade_id: str) -> str:
    """Return the source of the instructor notebook's cell `grade_id`."""
    return next(
        "".join(c["source"]) for c in notebook_cells(assignment) if c["metadata"]["nbgrader"]["grade_id"] == grade_id
    )


def solution_sources(assignment: str) -> dict[str, str]:
    """Return {graded function: source of its solution cell} of the instructor notebook, in notebook order."""
    return {
        c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"])
        for c in notebook_cells(assignment)
        if c["cell_type"] == "code" and c["metadata"]["nbgrader"].get("solution")
    }


def run_solution_cells(assignment: str, namespace: dict, replacements: dict[str, str] | None = None) -> dict:
    """Run every solution cell (or its replacement, {function: source}) in `namespace`, in order; return it."""
    for function, source in solution_sources(assignment).items():
        source = (replacements or {}).get(function, source)
        exec(compile(source, f"<cell {function}>", "exec"), namespace)
    return namespace
