"""How a graded notebook's cells are told in a row of grades.csv (autograder.grade.records.describe_cells)."""

import nbformat

from autograder.grade.records import describe_cells


def error(ename: str, evalue: str = "") -> nbformat.NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[])


def notebook(*cells) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=list(cells))


def code_cell(*outputs, grade_id: str | None = None) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("pass")
    cell.outputs = list(outputs)
    if grade_id:
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": grade_id, "points": 1}
    return cell


def test_a_cap_reached_by_a_cell_that_then_timed_out_is_named_with_the_timeout():
    reached = "this cell tried to run more than 256 processes and threads at once; 3 were refused"
    problems, failures = describe_cells(
        notebook(code_cell(error("ProcessCapReached", reached), error("CellTimeoutError"))), cell_seconds=15
    )
    assert problems == [
        f"cell 1 raised an error (ProcessCapReached: {reached})",
        "cell 1 ran past the 15 s limit per cell and was stopped",
    ]
    assert failures == []


def test_a_cell_that_only_timed_out_is_told_once():
    problems, _ = describe_cells(notebook(code_cell(error("CellTimeoutError"))), cell_seconds=15)
    assert problems == ["cell 1 ran past the 15 s limit per cell and was stopped"]


def test_a_test_cell_that_timed_out_fails_its_function():
    problems, failures = describe_cells(
        notebook(code_cell(error("CellTimeoutError", "timed out"), grade_id="test_zero_pad")), cell_seconds=15
    )
    assert problems == ["test_zero_pad ran past the 15 s limit per cell and was stopped"]
    assert failures == ["test_zero_pad: CellTimeoutError: timed out"]
