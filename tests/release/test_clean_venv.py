"""The student release in a clean venv, as a student, a hub image, Binder or Colab gets it: no checkout.

One venv per session holds the student requirements (from the wheelhouse `make` fills; no network). Each test puts
the course package in the state it needs: absent (Colab's first cell installs it; Binder's postBuild installs it)
or installed from the wheel that `python -m autograder.dist` built (then every released notebook runs its visible
checks on the instructor's answers). Slow: the venv takes a few minutes, the notebooks a few more.
"""

import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from autograder.course import REPO, SOLUTIONS, assignment_names
from autograder.course_package import CELL_ID, stamp_notebook
from autograder.quizzes.banks import is_quiz
from cnnbook.data.cache import data_dir
from cnnbook.grading.mode import QUICK_DEMOS_ENV
from tests.support.clean_venv import WHEELHOUSE, kernel_env, make_venv, pip, read_notebook, run_notebook
from tests.support.clean_venv import venv_kernel_specs as kernel_specs

pytestmark = pytest.mark.slow
COURSE_KERNEL = {"display_name": "Python 3 (CNN course)", "language": "python"}


@pytest.fixture(scope="session")
def student_venv(tmp_path_factory) -> Path:
    """A venv with the student requirements and nothing of the course."""
    if not (WHEELHOUSE.is_dir() and any(WHEELHOUSE.glob("tensorflow_cpu-*.whl"))):
        pytest.fail(f"{WHEELHOUSE} lacks the student requirements: run `make install` (it downloads them there)")
    venv = make_venv(tmp_path_factory.mktemp("student") / "venv")
    pip(venv, "install", "--quiet", "-r", str(REPO / "requirements-student.txt"), home=venv.parent / "home")
    return venv


def course_installed(venv: Path) -> bool:
    """Return whether the course package is installed in the venv."""
    proc = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "show", "--quiet", "cnn-course"], env={})
    return proc.returncode == 0


@pytest.fixture
def without_course(student_venv) -> Path:
    """The session's venv with the course package (and so its kernel spec) uninstalled."""
    if course_installed(student_venv):
        pip(student_venv, "uninstall", "--quiet", "--yes", "cnn-course", home=student_venv.parent / "home")
    assert "cnnbook" not in kernel_specs(student_venv)
    return student_venv


@pytest.fixture
def with_course(student_venv, course_wheel) -> Path:
    """The session's venv with the course package installed from the release's wheel (its dependencies checked)."""
    home = student_venv.parent / "home"
    pip(student_venv, "install", "--quiet", str(course_wheel), home=home)
    pip(student_venv, "check", home=home)  # the wheel's dependencies are met by the student requirements
    return student_venv


def kernel_facts_cell() -> nbformat.NotebookNode:
    """A cell that prints where the kernel's interpreter and the course package live."""
    return nbformat.v4.new_code_cell("import sys, cnnbook\nprint(sys.prefix)\nprint(cnnbook.__file__)")


def printed(cell) -> str:
    """Return what a cell printed on stdout."""
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")


def test_the_colab_cell_installs_the_package_in_a_plain_kernel_and_then_does_nothing(
    without_course, course_wheel, release, tmp_path
):
    # The released w1a1 notebook's first cell, pointed at the local wheel (as the release points it at the student
    # repository), then its import cell, in the venv's plain "python3" kernel (Colab's kind).
    released = read_notebook(release / "student" / "assignments" / "w1a1_conv_numpy" / "w1a1_conv_numpy.ipynb")
    stamp_notebook(released, f"cnn-course @ {course_wheel.as_uri()}")
    first = released.cells[0]
    imports = next(c for c in released.cells if c.metadata["nbgrader"]["grade_id"] == "imports")
    nb = nbformat.v4.new_notebook(cells=[first, imports, kernel_facts_cell(), nbformat.v4.new_code_cell(first.source)])
    env = kernel_env(without_course, tmp_path / "home")
    run_notebook(nb, without_course, "python3", tmp_path, env)

    prefix, package = printed(nb.cells[2]).split()
    assert Path(prefix) == without_course and Path(package).is_relative_to(without_course)
    assert "cnnbook" in kernel_specs(without_course), "installing the package registers the course's kernel"
    assert kernel_specs(without_course)["cnnbook"]["display_name"] == COURSE_KERNEL["display_name"]
    assert nb.cells[3].outputs == [], "run again, the cell must do nothing"


def test_in_the_course_kernel_the_first_cell_does_nothing(with_course, release, tmp_path):
    # Pointed at a package that does not exist, the cell would fail if it tried to install anything.
    released = read_notebook(release / "student" / "assignments" / "w3a1_yolo" / "w3a1_yolo.ipynb")
    stamp_notebook(released, f"cnn-course @ {(tmp_path / 'missing.whl').as_uri()}")
    nb = nbformat.v4.new_notebook(cells=[released.cells[0], kernel_facts_cell()])
    run_notebook(nb, with_course, "cnnbook", tmp_path, kernel_env(with_course, tmp_path / "home"))
    assert nb.cells[0].outputs == []
    assert Path(printed(nb.cells[1]).split()[1]).is_relative_to(with_course)


def instructor_answers(assignment: str) -> dict[str, str]:
    """Return {grade_id: source} of the instructor notebook's solution cells, without nbgrader's markers."""
    nb = json.loads((SOLUTIONS / assignment / f"{assignment}.ipynb").read_text())
    return {
        c["metadata"]["nbgrader"]["grade_id"]: "".join(
            line for line in c["source"] if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
        )
        for c in nb["cells"]
        if c["metadata"]["nbgrader"].get("solution")
    }


@pytest.mark.parametrize("assignment", assignment_names())
def test_released_notebooks_pass_their_visible_checks_with_the_instructors_answers(
    assignment, with_course, release, tmp_path
):
    folder = tmp_path / assignment
    shutil.copytree(release / "student" / "assignments" / assignment, folder)
    nb = read_notebook(folder / f"{assignment}.ipynb")
    answers = instructor_answers(assignment)
    graded = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            assert "raise NotImplementedError()" in cell.source  # the student's version, until answered
            cell.source = answers[meta["grade_id"]]
        elif meta.get("grade"):
            graded.append(cell)
    assert nb.metadata.kernelspec.name == "cnnbook" and graded
    env = kernel_env(with_course, tmp_path / "home", {"CNNBOOK_DATA_DIR": str(data_dir()), QUICK_DEMOS_ENV: "1"})
    run_notebook(nb, with_course, nb.metadata.kernelspec.name, folder, env, timeout=900)
    assert nb.cells[0].metadata["nbgrader"]["grade_id"] == CELL_ID and nb.cells[0].outputs == []
    for cell in graded:
        function = cell.metadata["nbgrader"]["grade_id"].removeprefix("test_")
        # a quiz's check can only say that the answer has the right form: whether it is right is the grader's
        passed = f"{function}: all visible checks passed"
        if is_quiz(assignment):
            passed = f"answer_{function}: an answer of the right form"
        assert passed in printed(cell), (function, cell.outputs)


def test_binder_post_build_installs_the_package_and_registers_the_course_kernel(without_course, release, tmp_path):
    repository = shutil.copytree(release / "student", tmp_path / "student")
    env = kernel_env(without_course, tmp_path / "home")
    # repo2docker runs binder/requirements.txt (here: the session's venv has them), then postBuild, in the repository.
    proc = subprocess.run(
        [str(repository / "binder" / "postBuild")], cwd=repository, env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    spec = kernel_specs(without_course)["cnnbook"]
    assert {k: spec[k] for k in COURSE_KERNEL} == COURSE_KERNEL and spec["argv"][0] == "python"
    listed = subprocess.run(
        [str(without_course / "bin" / "jupyter"), "kernelspec", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(json.loads(listed.stdout)["kernelspecs"]["cnnbook"]["resource_dir"]).is_relative_to(without_course)
