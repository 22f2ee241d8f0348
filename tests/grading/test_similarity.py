"""The similarity report: disguised copies are flagged, independent answers and one-liners are not.

The class is made for the purpose (tests/grading/similarity_cases.py) plus three students who hand in the
mistake catalogue's correct alternatives, one alternative per function each. The slow test grades four of
these students through the real grader and checks the files a run writes, `--similarity-only` and
`--no-similarity`.
"""

import csv
import json
import re
import shutil

import nbformat
import pytest

from autograder import similarity
from autograder.course import ASSIGNMENTS, SOLUTIONS
from autograder.grade.__main__ import main
from autograder.grade.coordinator import grade
from autograder.similarity import INSTRUCTOR, Answer
from autograder.similarity_report import write_similarity
from tests.assignments.w1a1_conv_numpy import catalogue
from tests.support.similarity_cases import ANA, BEN, CARL, RENAMER, STUDENTS
from tests.support.variants import alternatives_for

A = "w1a1_conv_numpy"
PARTS = similarity.instructor_parts(A)
LONG = ["conv_forward", "pool_forward", "conv_backward", "pool_backward"]
SHORT = ["zero_pad", "conv_single_step", "create_mask_from_window", "distribute_value"]


def answers_of(cells: dict[str, str]) -> dict[str, Answer]:
    """Return {function: answer} of a student's solution cells."""
    found = {f: similarity.extract_answer(source, PARTS[f][0]) for f, source in cells.items()}
    return {f: a for f, a in found.items() if a.lines}


def class_answers() -> dict[str, dict[str, Answer]]:
    """Return the made-up class: the students of similarity_cases and three who hand in the catalogue's alternatives."""
    cells = {student: dict(own) for student, own in STUDENTS.items()}
    for function in PARTS:
        for k, variant in enumerate(alternatives_for(catalogue, function), start=1):
            cells.setdefault(f"alt{k}", {})[function] = variant.source()
    return {student: answers_of(own) for student, own in cells.items()}


@pytest.fixture(scope="module")
def results():
    return {r.function: r for r in similarity.compare_class(A, class_answers())}


def flagged(results) -> set[tuple[str, str, str]]:
    return {(m.function, m.student_a, m.student_b) for r in results.values() for m in r.matches}


# ------------------------------------------------------------------------------------------------
# Answers: what is compared.


def test_the_answer_is_the_code_the_student_wrote_not_the_given_code():
    answer = similarity.extract_answer(ANA["conv_forward"], PARTS["conv_forward"][0]).text
    assert "def conv_forward" not in answer and "return Z, cache" not in answer and "cache = " not in answer
    assert '"""' not in answer, "a docstring is not an answer"
    assert "weights = W.reshape(-1, n_C)" in answer and "for row in range(n_H):" in answer


def test_the_instructor_answer_is_the_solution_region():
    given, answer = PARTS["conv_forward"]
    assert "### BEGIN SOLUTION" not in answer.text and "def conv_forward" in given and "return Z, cache" in given
    assert "conv_single_step(a_slice_prev" in answer.text and "conv_single_step(a_slice_prev" not in given


def test_edited_given_lines_leave_the_rest_of_the_answer_alone():
    cell = RENAMER["pool_forward"].replace(
        "    cache = (A_prev, hparameters)\n", "    cache = A_prev, hparameters  # mine\n"
    )
    cell = cell.replace(
        'def pool_forward(A_prev, hparameters, mode="max"):', "def pool_forward(A_prev, hparameters, mode='max'):"
    )
    answer = similarity.extract_answer(cell, PARTS["pool_forward"][0])
    untouched = similarity.extract_answer(RENAMER["pool_forward"], PARTS["pool_forward"][0])
    assert {line for line in untouched.lines} <= set(answer.lines), "every line of the answer is still there"
    assert len(answer.lines) <= len(untouched.lines) + 2, "only the two edited given lines come in"


def test_an_untouched_release_cell_has_no_answer():
    release = nbformat.read(ASSIGNMENTS / A / f"{A}.ipynb", as_version=4)
    assert similarity.answers_of_notebook(json.loads(nbformat.writes(release)), PARTS) == {}


def test_renaming_and_reformatting_give_the_same_statements():
    plain = Answer(
        (
            (1, "size = hparameters['f']"),
            (2, "out = np.zeros((m, size), dtype=float)"),
            (3, "total = (a + b)"),
            (4, "(r, c) = x.shape"),
        )
    )
    disguised = Answer(
        (
            (1, 'window = hparameters["f"]  # the window'),
            (2, "result = np.zeros("),
            (3, "    (m, window,), dtype=float,"),
            (4, ")"),
            (5, "s = a+b"),
            (6, "rows, cols = x.shape"),
        )
    )
    assert [s.tokens for s in similarity.statements(plain)] == [s.tokens for s in similarity.statements(disguised)]
    first = similarity.statements(plain)[1].tokens
    assert "zeros" in first and "dtype" in first and "float" in first, "attributes, keyword arguments, builtins stay"


def test_the_same_statements_in_another_order_have_the_same_fingerprints():
    ana = similarity.statements(answers_of(ANA)["conv_forward"])
    ben = similarity.statements(answers_of(BEN)["conv_forward"])
    assert [s.tokens for s in ana] != [s.tokens for s in ben], "ben's statements are in another order"
    assert similarity.fingerprints_of(ana) == similarity.fingerprints_of(ben)


# ------------------------------------------------------------------------------------------------
# Who is flagged.


@pytest.mark.parametrize("function", ["conv_forward", "pool_forward", "conv_backward"])
def test_an_instructor_answer_renamed_and_reformatted_is_flagged_against_the_instructor(results, function):
    assert (function, "renamer", INSTRUCTOR) in flagged(results)


@pytest.mark.parametrize("function", ["conv_forward", "pool_forward"])
def test_two_students_sharing_an_answer_in_another_order_are_flagged_as_a_pair(results, function):
    assert (function, "ana", "ben") in flagged(results)
    match = next(m for m in results[function].matches if (m.student_a, m.student_b) == ("ana", "ben"))
    assert (
        match.score == pytest.approx(1.0) and min(match.statements_a, match.statements_b) >= similarity.MIN_STATEMENTS
    )


def test_independent_answers_are_not_flagged(results):
    expected = {(f, "renamer", INSTRUCTOR) for f in ("conv_forward", "pool_forward", "conv_backward")}
    expected |= {(f, "ana", "ben") for f in ("conv_forward", "pool_forward")}
    assert flagged(results) == expected, "the catalogue's alternatives, carl and dana wrote their own answers"


@pytest.mark.parametrize("function", SHORT)
def test_short_answers_flag_no_one(results, function):
    assert results[function].matches == []


def test_one_line_answers_flag_no_one_even_when_identical():
    """Two students hand in the instructor's one-liners word for word; the others wrote their own."""
    cells = {"copy1": {}, "copy2": {}, "own": CARL}
    for function in SHORT:
        given, instructor = PARTS[function]
        whole = "\n".join(line for _, line in instructor.lines)
        cells["copy1"][function] = cells["copy2"][function] = f"def {function}(*args):\n{whole}\n"
    results = similarity.compare_class(A, {s: answers_of(own) for s, own in cells.items()})
    assert [m for r in results if r.function in SHORT for m in r.matches] == []


def test_code_many_students_write_or_the_notebook_gives_carries_no_weight():
    prints = {f"s{k}": {1, 2} for k in range(8)} | {"a": {1, 3}, "b": {3, 4}, INSTRUCTOR: {5}}
    p = similarity.Prepared("f", {}, {}, prints, given={4})
    weights = similarity.weights_by_commonness(p, {}, class_size=10)
    assert weights[1] == 0.0, "written by 9 of 10 students"
    assert weights[3] == 1.0, "written by two students only"
    assert weights[4] == 0.0, "given by the notebook"
    elsewhere = similarity.weights_by_commonness(p, {3: 9}, class_size=10)
    assert elsewhere[3] == 0.0, "written by most students in their answers to other functions"


def test_answers_that_are_the_instructors_are_named_whatever_the_weighting(results):
    assert results["conv_forward"].like_instructor == ["renamer"]
    assert "carl" in results["distribute_value"].like_instructor, "a three-liner everyone writes alike"


def test_a_student_named_instructor_is_a_student():
    answers = class_answers()
    answers["instructor"] = answers.pop("renamer")
    results = similarity.compare_class(A, answers)
    assert ("conv_forward", "instructor", INSTRUCTOR) in flagged({r.function: r for r in results})


def test_a_damaged_notebook_gives_what_can_be_read():
    cell = {
        "cell_type": "code",
        "metadata": {"nbgrader": {"solution": True, "grade_id": "conv_forward"}},
        "source": [ANA["conv_forward"], 7],
    }
    damaged = {"cells": ["not a cell", {"metadata": None}, {"cell_type": "code", "metadata": {"nbgrader": "x"}}, cell]}
    assert set(similarity.answers_of_notebook(damaged, PARTS)) == {"conv_forward"}
    assert similarity.answers_of_notebook({"cells": None}, PARTS) == {}
    broken = Answer(((1, "x = foo(1,"), (2, "y = 'unclosed")))
    assert len(similarity.statements(broken)) == 1, "code that does not tokenize to its end keeps what was read"


def test_statements_on_one_line_are_statements_of_their_own():
    found = similarity.statements(Answer(((1, "if x: y = 1; z = 2"), (2, "else: pass"))))
    assert [s.tokens for s in found] == [("if", "V", ":"), ("V", "=", "1"), ("V", "=", "2"), ("else", ":"), ("pass",)]


# ------------------------------------------------------------------------------------------------
# The report and the saved answers.


def test_the_report_is_self_contained_and_says_it_is_evidence_not_a_verdict(tmp_path):
    summary = write_similarity(tmp_path, A, class_answers())
    html = (tmp_path / "similarity.html").read_text()
    assert "evidence to look at, not a verdict" in html
    assert "<script" not in html and not re.search(r'(src|href)="(https?:)?//', html), "nothing from the network"
    assert html.index("conv_forward: ana and ben") < html.index("conv_forward: renamer and the instructor"), (
        "strongest first"
    )
    assert 'class="shared"' in html and 'class="sides"' in html
    assert summary.startswith("2 pairs of students and 3 matches")
    with (tmp_path / "similarity.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["function"], r["student_a"], r["student_b"]) for r in rows} == {
        ("conv_forward", "ana", "ben"),
        ("pool_forward", "ana", "ben"),
        ("conv_forward", "renamer", INSTRUCTOR),
        ("pool_forward", "renamer", INSTRUCTOR),
        ("conv_backward", "renamer", INSTRUCTOR),
    }
    row = next(r for r in rows if (r["function"], r["student_b"]) == ("conv_forward", "ben"))
    assert float(row["score"]) == pytest.approx(1.0) and row["lines_a"] and row["lines_b"]


def test_saved_answers_are_read_back_as_they_were(tmp_path):
    answers = class_answers()
    similarity.save_answers(tmp_path, A, answers)
    assert similarity.load_answers(tmp_path, A) == answers
    with pytest.raises(ValueError):
        similarity.load_answers(tmp_path, "w1a2_keras_apis")


def test_without_saved_answers_the_executed_notebooks_of_the_run_are_read(tmp_path):
    nb = nbformat.read(SOLUTIONS / A / f"{A}.ipynb", as_version=4)
    next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "conv_forward").source = ANA[
        "conv_forward"
    ]
    results = tmp_path / ".nbgrader" / "results"
    results.mkdir(parents=True)
    (results / "ana.json").write_text(json.dumps({"student_id": "ana", "executed": nbformat.writes(nb)}))
    (results / "lost.json").write_text(json.dumps({"student_id": "lost", "executed": None}))
    loaded = similarity.load_answers(tmp_path, A)
    assert list(loaded) == ["ana"] and loaded["ana"]["conv_forward"] == answers_of(ANA)["conv_forward"]


def test_similarity_only_writes_the_report_from_a_saved_run(tmp_path, capsys):
    similarity.save_answers(tmp_path, A, class_answers())
    assert main([A, "--similarity-only", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "similarity.html").is_file() and (tmp_path / "similarity.csv").is_file()
    assert "2 pairs of students" in capsys.readouterr().out
    assert not (tmp_path / "grades.csv").exists(), "nothing is graded"


def test_similarity_only_without_a_saved_run_says_so(tmp_path, capsys):
    assert main([A, "--similarity-only", "--out", str(tmp_path / "empty")]) == 2
    assert "grade the submissions into it first" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------------
# Through the real grader: four students, from the release with their own cells.

FLAGGED = {
    ("conv_forward", "ana", "ben"),
    ("pool_forward", "ana", "ben"),
    ("conv_forward", "renamer", INSTRUCTOR),
    ("pool_forward", "renamer", INSTRUCTOR),
    ("conv_backward", "renamer", INSTRUCTOR),
}


def write_submissions(folder) -> None:
    """Write renamer's, ana's, ben's and carl's notebooks: the release with their solution cells."""
    for student in ("renamer", "ana", "ben", "carl"):
        nb = nbformat.read(ASSIGNMENTS / A / f"{A}.ipynb", as_version=4)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") and meta.get("grade_id") in STUDENTS[student]:
                cell.source = STUDENTS[student][meta["grade_id"]]
        (folder / student).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / student / f"{A}.ipynb")


def pairs_in(path) -> set[tuple[str, str, str]]:
    with path.open() as fh:
        return {(r["function"], r["student_a"], r["student_b"]) for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("similarity")
    write_submissions(root / "subs")
    grade(A, root / "subs", root / "out", workers=2, seed=3, progress=False)
    return root


@pytest.mark.slow
def test_a_grading_run_writes_the_report_and_touches_no_grade(graded):
    out = graded / "out"
    assert pairs_in(out / "similarity.csv") == FLAGGED
    assert 'href="similarity.html"' in (out / "report.html").read_text()
    assert (out / ".nbgrader" / "answers.json").is_file()
    assert "similar" not in (out / "grades.csv").read_text().splitlines()[0].lower()
    pages = list((out / "feedback").glob(f"*/{A}.html"))
    assert len(pages) == 4
    assert not any(word in page.read_text() for page in pages for word in ("similarity.html", "not a verdict"))


@pytest.mark.slow
def test_similarity_only_writes_the_same_report_from_the_saved_answers(graded):
    out = graded / "out"
    expected = (out / "similarity.csv").read_text()
    shutil.rmtree(graded / "subs")  # the submissions are not needed
    (out / "similarity.csv").unlink()
    (out / "similarity.html").unlink()
    assert main([A, "--similarity-only", "--out", str(out)]) == 0
    assert (out / "similarity.csv").read_text() == expected and (out / "similarity.html").is_file()


@pytest.mark.slow
def test_no_similarity_writes_nothing_and_similarity_only_then_reads_the_graded_notebooks(graded):
    out = graded / "out"
    for name in ("similarity.csv", "similarity.html", ".nbgrader/answers.json"):
        (out / name).unlink(missing_ok=True)
    write_submissions(graded / "again")  # the same notebooks: their saved outcomes are used, nothing runs
    grade(A, graded / "again", out, workers=2, seed=3, progress=False, similarity=False)
    assert not (out / "similarity.html").exists() and not (out / "similarity.csv").exists()
    assert not (out / ".nbgrader" / "answers.json").exists()
    assert "similarity.html" not in (out / "report.html").read_text()
    assert main([A, "--similarity-only", "--out", str(out)]) == 0
    assert pairs_in(out / "similarity.csv") == FLAGGED
