"""The shape every instructor notebook of a Keras assignment must have (for its hidden-tests test module)."""
import json
from pathlib import Path

__all__ = ["check_notebook_structure"]


def check_notebook_structure(notebook: Path, assignment: str, points: dict[str, int], solutions: list[str]) -> dict:
    """Check the course kernel, unique cell ids, no outputs, locked cells, solution and hidden-test cells.

    points: {graded function: its test cell's points}; solutions: the graded functions whose solution cells
    the notebook holds, in notebook order. Returns {test grade_id: (points, source)} of the test cells.
    """
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "cnnbook"
    cells = nb["cells"]
    assert len({c["id"] for c in cells}) == len(cells)
    tests = {}
    found = []
    for cell in cells:
        meta = cell["metadata"]["nbgrader"]
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
        if meta["grade"]:
            assert meta["locked"] and not meta["solution"]
            tests[meta["grade_id"]] = (meta["points"], "".join(cell["source"]))
        elif meta["solution"]:
            source = "".join(cell["source"])
            assert not meta["locked"] and source.startswith(f"def {meta['grade_id']}(")
            assert source.index('"""') < source.index("### BEGIN SOLUTION") < source.index("### END SOLUTION")
            found.append(meta["grade_id"])
        else:
            assert meta["locked"]
    assert found == list(solutions)
    assert {name[len("test_"):]: p for name, (p, _) in tests.items()} == points
    for name, (_, source) in tests.items():
        function = name[len("test_"):]
        assert source.splitlines() == [f"check_{function}({function})", "### BEGIN HIDDEN TESTS",
                                       "from cnnbook.grading.probe import probe",
                                       f'probe("{assignment}", "test_{function}", {function})',
                                       "### END HIDDEN TESTS"]
    return tests
