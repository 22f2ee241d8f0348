"""The quizzes' instructor notebooks (autograder.quizzes.notebooks): in sync with their bank and draw, in the course's
form (a question, an answer cell and a test cell per graded question), light (no TensorFlow), passing their own
visible checks, and released without their key."""

import json
import re
import shutil

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

import autograder.quizzes.banks as banks
import autograder.release as release
from autograder.course import ASSIGNMENTS, SOLUTIONS
from autograder.course_package import CELL_ID, CELL_SOURCE
from autograder.quizzes.banks import load_bank, quiz_names
from autograder.quizzes.draws import graded_by_grade_id
from autograder.quizzes.notebooks import notebook_text
from tests.support.quiz_answers import key_answer

QUIZZES = quiz_names()
KERNELSPEC = {"name": "cnnbook", "display_name": "Python 3 (CNN course)", "language": "python"}


def cells(folder, quiz: str) -> list[dict]:
    """Return the cells of a quiz's notebook in `folder` (solutions/ or assignments/), as JSON."""
    return json.loads((folder / quiz / f"{quiz}.ipynb").read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("quiz", QUIZZES)
def test_the_instructor_notebook_is_what_the_bank_and_draw_make(quiz):
    assert release.stale_quiz_files(quiz) == [], "run `make assignments` and commit solutions/ and assignments/"


def test_a_stale_quiz_notebook_is_named(tmp_path, monkeypatch):
    stale = tmp_path / "w1_quiz.ipynb"
    stale.write_text(notebook_text("w1_quiz").replace("Question 1", "Question one"))
    monkeypatch.setattr(release, "notebook_path", lambda quiz: stale)
    assert release.stale_quiz_files("w1_quiz") == [str(stale)]


def test_a_quiz_that_cannot_be_used_is_named_and_the_others_go_on(tmp_path, monkeypatch, capsys):
    shutil.copytree(banks.quiz_folder("w1_quiz"), tmp_path / "w1_quiz")
    shutil.copytree(banks.quiz_folder("w2_quiz"), tmp_path / "w2_quiz")
    (tmp_path / "w1_quiz" / "bank.yaml").write_text("questions: [\n")
    monkeypatch.setattr(banks, "ASSIGNMENTS_FOLDER", tmp_path)
    assert release.main(["--check", "w1_quiz", "w2_quiz"]) == 1
    out, err = capsys.readouterr()
    assert "w1_quiz/bank.yaml is not valid YAML" in err and "Not checked" in out and "w1_quiz" in out
    assert "(1 assignments)" in out  # w2_quiz was checked


@pytest.mark.parametrize("quiz", QUIZZES)
def test_each_graded_question_has_its_question_answer_and_test_cell(quiz):
    nb = json.loads((SOLUTIONS / quiz / f"{quiz}.ipynb").read_text(encoding="utf-8"))
    assert (nb["nbformat"], nb["nbformat_minor"]) == (4, 5) and nb["metadata"]["kernelspec"] == KERNELSPEC
    meta = [c["metadata"]["nbgrader"] for c in nb["cells"]]
    ids = [m["grade_id"] for m in meta]
    questions = graded_by_grade_id(quiz)
    triples = [[f"{gid}_question", gid, f"test_{gid}"] for gid in questions]
    assert ids == [CELL_ID, "intro", "imports", *sum(triples, []), "closing"]
    assert [c["id"] for c in nb["cells"]] == ids
    assert "".join(nb["cells"][0]["source"]) == CELL_SOURCE, "the course-package cell differs from course_package"
    for cell, m in zip(nb["cells"], meta):
        assert m["schema_version"] == 3 and m["locked"] != m["solution"]
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    for gid, question in questions.items():
        test = next(c for c, m in zip(nb["cells"], meta) if m["grade_id"] == f"test_{gid}")
        assert test["metadata"]["nbgrader"]["points"] == question["points"] and test["metadata"]["nbgrader"]["grade"]
        source = "".join(test["source"]).splitlines()
        assert re.fullmatch(
            rf'check_(choice|choices|number)\(answer_{gid}(, "[A-H]+")?, name="answer_{gid}"\)', source[0]
        )
        assert source[1:] == [
            "### BEGIN HIDDEN TESTS",
            "from cnnbook.grading.probe import probe",
            f'probe("{quiz}", "test_{gid}", lambda: answer_{gid})',
            "### END HIDDEN TESTS",
        ]


@pytest.mark.parametrize("quiz", QUIZZES)
def test_the_instructor_notebook_runs_without_tensorflow_and_passes_its_checks(quiz, capsys, monkeypatch):
    monkeypatch.delenv("CNNBOOK_PROBE_DIR", raising=False)
    namespace: dict = {}
    for cell in nbformat.read(SOLUTIONS / quiz / f"{quiz}.ipynb", as_version=4).cells:
        if cell.cell_type == "code":
            assert not re.search(r"\b(tensorflow|keras)\b", cell.source)
            # As IPython reads it: the course-package cell's %pip line (never reached here, cnnbook is installed).
            exec(compile(TransformerManager().transform_cell(cell.source), cell.id, "exec"), namespace)
    out = capsys.readouterr().out
    assert out.count("an answer of the right form") == len(graded_by_grade_id(quiz))


@pytest.mark.parametrize("quiz", QUIZZES)
def test_the_release_holds_no_key(quiz):
    released = "\n".join("".join(c["source"]) for c in cells(ASSIGNMENTS, quiz))
    for gid, question in graded_by_grade_id(quiz).items():
        key = key_answer(question).source
        assert f"answer_{gid} = {key}" not in released
        if question["kind"] == "code":
            assert question["solution"].strip() not in released
    answers = [c for c in cells(ASSIGNMENTS, quiz) if c["metadata"]["nbgrader"].get("solution")]
    assert answers and all("raise NotImplementedError()" in "".join(c["source"]) for c in answers)


@pytest.mark.parametrize("quiz", QUIZZES)
def test_the_introduction_lists_every_objective_with_its_questions(quiz):
    intro = next("".join(c["source"]) for c in cells(SOLUTIONS, quiz) if c["id"] == "intro")
    objectives = re.findall(r"^- .*\(questions? (\d+(?:, \d+)*)\)$", intro, flags=re.M)
    assert len(objectives) == len(load_bank(quiz)["objectives"])
