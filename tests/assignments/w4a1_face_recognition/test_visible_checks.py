"""The visible checks of w4a1_face_recognition (cnnbook.assignments.w4a1_face_recognition.checks) accept right answers,
catch the
catalogued mistakes with a message in the exercise's terms, and never reveal the values a function should return."""

import json
import re

import numpy as np
import pytest
import tensorflow as tf

from autograder.assignments.w4a1_face_recognition import reference
from autograder.course import REPO
from cnnbook.assignments.w4a1_face_recognition import checks
from cnnbook.checks import CheckFailure
from tests.assignments.w4a1_face_recognition import catalogue
from tests.support import variants

NOTEBOOK = REPO / "solutions" / "w4a1_face_recognition" / "w4a1_face_recognition.ipynb"
GRADED = ("triplet_loss", "verify", "who_is_it")
MISTAKES = variants.mistakes_for(catalogue)
ALTERNATIVES = variants.alternatives_for(catalogue)

# Mistakes a visible check cannot reasonably see, with the reason. Every other mistake must be caught.
VISIBLE_BLIND_SPOTS: dict[str, str] = {}
# What the checks' own hand-made cases should give (they must never appear in a message): the triplet losses
# 3 * 0.2, 3 * 0.5, 1.5^2 - 1 + 0.2 and the distances of the made-up door photos.
EXPECTED_VALUES = ("0.6", "1.5", "1.45", "0.30", "0.78", "0.20", "0.75")


def check(function):
    return getattr(checks, f"check_{function}")


def notebook_namespace(replacement=None):
    """The notebook's solution cells, executed where the notebook's names exist; replacement=(function, source)."""
    namespace = {
        "np": np,
        "tf": tf,
        "THRESHOLD": catalogue.THRESHOLD,
        "img_to_encoding": catalogue.img_to_encoding,
        "FRmodel": catalogue.FRmodel,
    }
    for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]:
        meta = cell["metadata"]["nbgrader"]
        if cell["cell_type"] == "code" and meta.get("solution"):
            source = "".join(cell["source"])
            if replacement is not None and meta["grade_id"] == replacement[0]:
                source = replacement[1]
            exec(source, namespace)
    return namespace


@pytest.mark.parametrize("function", GRADED)
def test_reference_passes_with_one_line(function, capsys):
    assert check(function)(getattr(reference, function)) is None
    assert capsys.readouterr().out == f"{function}: all visible checks passed\n"


def test_notebook_solutions_pass_and_print_nothing_else(capsys):
    namespace = notebook_namespace()
    for function in GRADED:
        check(function)(namespace[function])
    assert capsys.readouterr().out.splitlines() == [f"{f}: all visible checks passed" for f in GRADED]


@pytest.mark.parametrize("variant", ALTERNATIVES, ids=lambda v: v.id)
def test_alternative_passes(variant):
    check(variant.function)(variant.impl)


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_is_caught_without_revealing_the_answer(variant):
    if variant.id in VISIBLE_BLIND_SPOTS:
        pytest.skip(VISIBLE_BLIND_SPOTS[variant.id])
    with pytest.raises(CheckFailure) as failure:
        check(variant.function)(variant.impl)
    message = str(failure.value)
    assert message.startswith(f"{variant.function}: ")
    assert isinstance(failure.value, AssertionError)  # nbgrader and pytest see a failed test
    problem = message.split("\n  (case:")[0]
    for value in EXPECTED_VALUES:
        assert not re.search(rf"(?<![\d.]){re.escape(value)}(?!\d)", problem), (value, message)
    assert not re.search(r"\d\.\d{3,}", problem), message


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_pasted_into_the_notebook_is_caught(variant):
    if variant.id in VISIBLE_BLIND_SPOTS:
        pytest.skip(VISIBLE_BLIND_SPOTS[variant.id])
    namespace = notebook_namespace((variant.function, variant.source()))
    with pytest.raises(CheckFailure):
        check(variant.function)(namespace[variant.function])


def test_most_mistakes_are_visible():
    assert len(VISIBLE_BLIND_SPOTS) <= len(MISTAKES) // 4


def test_the_untouched_exercise_is_reported():
    def verify(image_path, identity, database, model):
        raise NotImplementedError()

    with pytest.raises(CheckFailure, match=r"^verify: raised NotImplementedError"):
        checks.check_verify(verify)


def test_a_function_that_never_encodes_the_photo_is_told_so():
    def who_is_it(image_path, database, model):
        name = next(iter(database))
        return 0.0, name

    with pytest.raises(CheckFailure, match="never called img_to_encoding"):
        checks.check_who_is_it(who_is_it)


def test_encoding_another_path_is_named():
    def verify(image_path, identity, database, model):
        encoding = img_to_encoding(identity, model)  # noqa: F821  (bound by the check)
        dist = float(np.linalg.norm(encoding - database[identity]))
        return dist, dist < THRESHOLD  # noqa: F821

    with pytest.raises(CheckFailure, match="pass the image_path the function was given"):
        checks.check_verify(verify)


def test_a_missing_return_is_named():
    def triplet_loss(y_true, y_pred, alpha=0.2):
        tf.reduce_sum(y_pred[0])

    with pytest.raises(CheckFailure, match="forget the return statement"):
        checks.check_triplet_loss(triplet_loss)


def test_a_numpy_loss_is_refused():
    def triplet_loss(y_true, y_pred, alpha=0.2):
        a, p, n = (np.asarray(x) for x in y_pred)
        return np.asarray(np.sum(np.maximum(np.sum((a - p) ** 2, -1) - np.sum((a - n) ** 2, -1) + alpha, 0)))

    with pytest.raises(CheckFailure, match="NumPy array; stay with TensorFlow"):
        checks.check_triplet_loss(triplet_loss)


@pytest.mark.parametrize(
    "value, words",
    [
        (np.zeros(1), "shape (1,)"),
        (np.zeros((2, 3)), "ONE number"),
        (True, "bool"),
        ("0.3", "str"),
    ],
)
def test_number_diagnoses(value, words):
    assert words in checks.number_problem("dist", value)
    assert checks.number_problem("dist", np.float32(0.3)) is None
    assert checks.number_problem("dist", np.array(0.3)) is None


def test_loss_value_diagnoses():
    assert "one value per triplet" in checks.loss_value_problem(np.zeros(4), 4)
    assert "gradients can flow" in checks.loss_value_problem(1.5, 4)
    assert checks.loss_value_problem(np.array(1.5, np.float32), 4) is None


def test_in_grading_mode_a_failure_is_printed_not_raised(monkeypatch, capsys):
    monkeypatch.setenv("CNNBOOK_GRADING", "1")
    wrong = next(v for v in MISTAKES if v.id == "who_is_it__keeps_the_last_person")
    assert checks.check_who_is_it(wrong.impl) is None
    assert "visible check (not graded" in capsys.readouterr().out
