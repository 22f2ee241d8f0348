"""`python -m autograder.dist`: the student tree it writes, the wheel it builds from it, and the leak check that
refuses a tree holding a line only the grader may have (planted solution lines, hidden tests, references,
catalogue lines, a quiz's key and its bank are caught; the real release passes)."""

import json
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from autograder.course import REPO, assignment_names
from autograder.course_package import launch_settings, package_source, source_line
from autograder.dist import __main__ as dist_command
from autograder.dist import student_tree
from autograder.dist.leak_check import find_leaks, secret_lines
from autograder.quizzes.banks import quiz_names

sys.path.insert(0, str(REPO / "book" / "_ext"))
import assignment_launch as launch  # noqa: E402

EXPECTED_TOP = {"assignments", "cnnbook", "share", "pyproject.toml", "requirements.txt", "binder", "README.md"}


@pytest.fixture(scope="module")
def secrets():
    return secret_lines()


def files(tree: Path) -> set[str]:
    return {p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file()}


def test_the_student_tree_holds_what_students_may_have_and_nothing_else(release):
    student = release / "student"
    assert {p.name for p in student.iterdir()} == EXPECTED_TOP
    names = files(student)
    assert not [n for n in names if n.split("/")[0] in ("solutions", "autograder", "tests", "training")]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    for name in assignment_names():
        released = f"assignments/{name}/{name}.ipynb"
        assert (student / released).read_bytes() == (REPO / released).read_bytes()
    # The package, its weights with their checksums, and the kernel spec, exactly as in the checkout.
    package = {p.relative_to(REPO).as_posix() for p in (REPO / "cnnbook").rglob("*") if p.is_file()}
    package = {n for n in package if "__pycache__" not in n}
    assert package <= names and "cnnbook/models/weights/checksums.json" in names
    assert "share/jupyter/kernels/cnnbook/kernel.json" in names
    assert (student / "requirements.txt").read_text() == (REPO / "requirements-student.txt").read_text()


def test_the_weekly_quizzes_are_released_with_the_assignments(release):
    quizzes = quiz_names()
    assert len(quizzes) == 4 and set(quizzes) <= set(assignment_names())
    for quiz in quizzes:
        released = f"assignments/{quiz}/{quiz}.ipynb"
        assert (release / "student" / released).read_bytes() == (REPO / released).read_bytes()
    assert "weekly quizzes" in (release / "student" / "README.md").read_text()


def test_the_student_pyproject_keeps_only_the_package_tables(release):
    course = tomllib.loads((REPO / "pyproject.toml").read_text())
    student = tomllib.loads((release / "student" / "pyproject.toml").read_text())
    assert set(student) == {"build-system", "project", "tool"} and set(student["tool"]) == {"hatch"}
    assert student["project"] == course["project"] and student["build-system"] == course["build-system"]
    assert student["tool"]["hatch"] == course["tool"]["hatch"]


def test_the_notebooks_install_the_package_from_the_configured_student_repository(release):
    requirement = package_source(launch_settings())
    settings = launch.read_settings(launch_settings())
    assert requirement.endswith(f"git+{settings['repository_url']}@{settings['branch']}")
    for name in assignment_names():
        path = f"assignments/{name}/{name}.ipynb"
        first = "".join(json.loads((release / "student" / path).read_text())["cells"][0]["source"])
        assert source_line(requirement) in first.splitlines()
        # Every launch link opens a path the student repository has.
        assert (release / "student" / launch.released_notebook(name)).is_file()


def test_the_wheel_is_the_kernel_side_with_its_weights_checksums_and_kernel_spec(course_wheel):
    with zipfile.ZipFile(course_wheel) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"cnnbook", "cnn_course-1.0.0.dist-info", "cnn_course-1.0.0.data"}
    assert {
        "cnnbook/data/faces.py",
        "cnnbook/models/weights/checksums.json",
        "cnnbook/models/weights/yolo_detector.weights.h5",
        "cnn_course-1.0.0.data/data/share/jupyter/kernels/cnnbook/kernel.json",
    } <= names
    weights = json.loads((REPO / "cnnbook" / "models" / "weights" / "checksums.json").read_text())
    assert all(f"cnnbook/models/weights/{name}" in names for name in weights)
    assert "Requires-Dist: numpy>=2.0" in metadata and "Provides-Extra: cpu" in metadata


def test_the_real_release_passes_the_leak_check(release, secrets):
    assert len(secrets) > 1000  # every assignment's regions, hidden tests, references and catalogue
    assert find_leaks(release / "student", secrets) == []


def planted_copy(release: Path, tmp_path: Path) -> Path:
    return shutil.copytree(release / "student", tmp_path / "student")


def solution_line(assignment: str) -> str:
    """Return a line from the middle of the first solution region of an instructor notebook."""
    cells = json.loads((REPO / "solutions" / assignment / f"{assignment}.ipynb").read_text())["cells"]
    source = next("".join(c["source"]) for c in cells if c["metadata"]["nbgrader"].get("solution"))
    region = source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
    return max(region.splitlines(), key=len)


def test_a_solution_line_planted_in_a_released_notebook_is_caught(release, tmp_path, secrets):
    tree = planted_copy(release, tmp_path)
    path = tree / "assignments" / "w1a1_conv_numpy" / "w1a1_conv_numpy.ipynb"
    nb = json.loads(path.read_text())
    solution = next(c for c in nb["cells"] if c["metadata"]["nbgrader"].get("solution"))
    line = solution_line("w1a1_conv_numpy")
    solution["source"] = "".join(solution["source"]).replace("raise NotImplementedError()", line.strip())
    path.write_text(json.dumps(nb))
    (leak,) = find_leaks(tree, secrets)
    assert leak.path == "assignments/w1a1_conv_numpy/w1a1_conv_numpy.ipynb" and leak.text == line.strip()
    assert leak.secret.origin == "solutions/w1a1_conv_numpy/w1a1_conv_numpy.ipynb" and "solution" in leak.secret.kind


def test_a_quiz_key_planted_in_its_released_notebook_is_caught(release, tmp_path, secrets):
    tree = planted_copy(release, tmp_path)
    path = tree / "assignments" / "w2_quiz" / "w2_quiz.ipynb"
    nb = json.loads(path.read_text())
    answer = next(c for c in nb["cells"] if c["metadata"]["nbgrader"].get("solution"))
    key = solution_line("w2_quiz").strip()  # answer_qNN = <the key>
    answer["source"] = "".join(answer["source"]).replace("raise NotImplementedError()", key)
    path.write_text(json.dumps(nb))
    (leak,) = find_leaks(tree, secrets)
    assert leak.path == "assignments/w2_quiz/w2_quiz.ipynb" and leak.text == key
    assert leak.secret.origin == "solutions/w2_quiz/w2_quiz.ipynb" and "solution" in leak.secret.kind


def test_a_quiz_bank_planted_anywhere_is_caught(release, tmp_path, secrets):
    tree = planted_copy(release, tmp_path)
    shutil.copy(REPO / "autograder" / "assignments" / "w3_quiz" / "bank.yaml", tree / "binder" / "bank.yaml")
    leaks = find_leaks(tree, secrets)
    assert leaks and {leak.path for leak in leaks} == {"binder/bank.yaml"}
    origins = {(leak.secret.origin, leak.secret.kind) for leak in leaks}
    assert ("autograder/assignments/w3_quiz/bank.yaml", "quiz bank") in origins
    # A line the banks share is named after the first bank that has it; a graded code question's solution is in the
    # bank and, first, in the instructor notebook's solution region.
    assert all(
        origin.endswith("_quiz/bank.yaml") or origin == "solutions/w3_quiz/w3_quiz.ipynb" for origin, _ in origins
    )


def test_a_hidden_test_planted_in_a_notebook_or_the_package_is_caught(release, tmp_path, secrets):
    tree = planted_copy(release, tmp_path)
    path = tree / "assignments" / "w3a1_yolo" / "w3a1_yolo.ipynb"
    nb = json.loads(path.read_text())
    test_cell = next(c for c in nb["cells"] if c["metadata"]["nbgrader"].get("grade"))
    grade_id = test_cell["metadata"]["nbgrader"]["grade_id"]
    test_cell["source"] += f'\nprobe("w3a1_yolo", "{grade_id}", {grade_id.removeprefix("test_")})'
    path.write_text(json.dumps(nb))
    shutil.copy(REPO / "autograder" / "assignments" / "w2a1_resnets" / "hidden_tests.py", tree / "cnnbook" / "extra.py")
    leaks = find_leaks(tree, secrets)
    kinds = {(leak.path, leak.secret.kind.split(" of ")[0]) for leak in leaks}
    assert ("assignments/w3a1_yolo/w3a1_yolo.ipynb", "hidden test region") in kinds
    assert ("cnnbook/extra.py", "hidden tests") in kinds
    origins = {leak.secret.origin for leak in leaks if leak.path == "cnnbook/extra.py"}
    assert "autograder/assignments/w2a1_resnets/hidden_tests.py" in origins


@pytest.mark.parametrize(
    "planted, origin",
    [
        ("w4a2_style_transfer/reference.py", "autograder/assignments/w4a2_style_transfer/reference.py"),
        ("catalogue.py", "tests/assignments/w1a1_conv_numpy/catalogue.py"),
    ],
)
def test_a_reference_or_catalogue_file_planted_anywhere_is_caught(release, tmp_path, secrets, planted, origin):
    tree = planted_copy(release, tmp_path)
    target = tree / "binder" / "notes" / Path(planted).name
    target.parent.mkdir(parents=True)
    shutil.copy(REPO / origin, target)
    leaks = find_leaks(tree, secrets)
    assert leaks and {leak.path for leak in leaks} == {f"binder/notes/{Path(planted).name}"}
    assert any(leak.secret.origin == origin for leak in leaks)


def test_a_reference_inside_an_archive_is_caught(release, tmp_path, secrets):
    tree = planted_copy(release, tmp_path)
    with zipfile.ZipFile(tree / "extras.whl", "w") as archive:
        archive.write(REPO / "autograder" / "assignments" / "w1a1_conv_numpy" / "reference.py", "pkg/reference.py")
    leaks = find_leaks(tree, secrets)
    assert leaks and {leak.path for leak in leaks} == {"extras.whl"}
    assert all(leak.where.startswith("pkg/reference.py in the archive") for leak in leaks)


def test_the_command_refuses_a_leaking_tree_names_the_line_and_keeps_the_last_good_one(tmp_path, monkeypatch, capsys):
    (tmp_path / "student").mkdir()
    (tmp_path / "student" / "marker").write_text("the last release that passed")
    writer = student_tree.write_student_tree
    line = solution_line("w2a1_resnets")

    def leaky(target, settings):
        writer(target, settings)
        (target / "cnnbook" / "answers.py").write_text(f"def f():\n    {line.strip()}\n")

    monkeypatch.setattr(dist_command, "write_student_tree", leaky)
    assert dist_command.main(["--no-site", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "cnnbook/answers.py (line 2)" in err and "solutions/w2a1_resnets/w2a1_resnets.ipynb" in err
    assert "remove it from cnnbook/" in err
    assert (tmp_path / "student" / "marker").is_file() and (tmp_path / "student.refused").is_dir()
    assert not (tmp_path / "wheels").exists()


def test_a_release_made_for_another_repository_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(
        dist_command, "launch_settings", lambda: {"repository_url": "https://github.com/other/repo", "branch": "main"}
    )
    assert dist_command.main(["--no-site", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    first = assignment_names()[0]  # the first released notebook checked (a quiz's or an assignment's)
    assert f"assignments/{first}/{first}.ipynb" in err and "make assignments" in err
    assert not (tmp_path / "student").exists()


def test_the_command_documents_every_option():
    proc = subprocess.run([sys.executable, "-m", "autograder.dist", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "--out" in proc.stdout and "--no-site" in proc.stdout
    assert "dist/student" in proc.stdout and "leak check" in proc.stdout
