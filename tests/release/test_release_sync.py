"""The student notebooks in assignments/ are exactly what nbgrader generates from solutions/, and safe to hand out.

Comparing each assignment with a fresh release runs `nbgrader generate_assignment` on it, as `make assignments`
does: slow (`make test` runs it); the checks that read the committed notebooks are quick."""

import json
import shutil
from pathlib import Path

import pytest

from autograder.course import ASSIGNMENTS, SOLUTIONS, assignment_names
from autograder.release import stale_files

NAMES = assignment_names()


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def test_there_are_assignments():
    assert "w1a1_conv_numpy" in NAMES


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_released_notebooks_match_a_fresh_release(name):
    assert stale_files(name) == [], "run `make assignments` and commit assignments/"


def test_a_stale_release_is_detected_and_jupyters_own_files_are_not(tmp_path):
    name = NAMES[0]
    shutil.copytree(ASSIGNMENTS / name, tmp_path / name)
    notebook = tmp_path / name / f"{name}.ipynb"
    # What JupyterLab writes next to a notebook it opens (git ignores both): never a stale release.
    (tmp_path / name / ".ipynb_checkpoints").mkdir()
    shutil.copy(notebook, tmp_path / name / ".ipynb_checkpoints" / f"{name}-checkpoint.ipynb")
    (tmp_path / name / ".virtual_documents").mkdir()
    (tmp_path / name / ".virtual_documents" / f"{name}.ipynb").write_text("# the language server's copy")
    nb = json.loads(notebook.read_text())
    nb["cells"][0]["source"] = "An edit made in the release instead of the solution.\n"
    notebook.write_text(json.dumps(nb))
    (tmp_path / name / "stray.txt").write_text("extra")
    assert stale_files(name, released=tmp_path) == sorted(
        [f"assignments/{name}/{name}.ipynb", f"assignments/{name}/stray.txt"]
    )


@pytest.mark.parametrize("name", NAMES)
def test_released_notebooks_hold_no_solutions_hidden_tests_or_outputs(name):
    for notebook in (ASSIGNMENTS / name).rglob("*.ipynb"):
        for cell in cells(notebook):
            text = "".join(cell["source"])
            assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text, notebook
            assert "HIDDEN TESTS" not in text and "autograder" not in text, notebook
            assert not cell.get("outputs"), f"{notebook} holds outputs"
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and cell["cell_type"] == "code":
                assert "raise NotImplementedError()" in text, notebook


@pytest.mark.parametrize("name", NAMES)
def test_instructor_notebooks_are_committed_without_outputs(name):
    for cell in cells(SOLUTIONS / name / f"{name}.ipynb"):
        assert not cell.get("outputs") and cell.get("execution_count") in (None, ""), cell.get("id")


@pytest.mark.parametrize("name", NAMES)
def test_each_graded_function_has_its_own_test_cell_with_points(name):
    meta = [c["metadata"].get("nbgrader", {}) for c in cells(SOLUTIONS / name / f"{name}.ipynb")]
    solutions = [m["grade_id"] for m in meta if m.get("solution") and not m.get("grade")]
    tests = {m["grade_id"]: m.get("points", 0) for m in meta if m.get("grade") and not m.get("solution")}
    assert solutions, "no solution cells"
    for function in solutions:
        assert tests.get(f"test_{function}", 0) > 0, f"{function} has no test cell with points"
    ids = [m["grade_id"] for m in meta if m]
    assert len(ids) == len(set(ids)), "grade_ids must be unique"
