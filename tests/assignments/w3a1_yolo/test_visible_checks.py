"""The visible checks of w3a1_yolo (cnnbook.assignments.w3a1_yolo.checks) accept right answers, catch the catalogued
mistakes,
speak of the exercise, and never print the scores or boxes the function should have returned."""

import re

import numpy as np
import pytest

from autograder.assignments.w3a1_yolo import reference
from cnnbook.assignments.w3a1_yolo import checks
from cnnbook.checks import CheckFailure
from tests.assignments.w3a1_yolo import catalogue
from tests.assignments.w3a1_yolo.test_hidden_tests import notebook_namespace
from tests.support import variants

GRADED = ("yolo_filter_boxes", "iou", "yolo_non_max_suppression", "yolo_eval")
MISTAKES = variants.mistakes_for(catalogue)
ALTERNATIVES = variants.alternatives_for(catalogue)

# Mistakes a visible check cannot reasonably see, with the reason. Every other mistake must be caught.
VISIBLE_BLIND_SPOTS: dict[str, str] = {}


def check(function):
    return getattr(checks, f"check_{function}")


@pytest.mark.parametrize("function", GRADED)
def test_reference_passes(function, capsys):
    check(function)(getattr(reference, function))
    assert capsys.readouterr().out.strip() == f"{function}: all visible checks passed"


def test_notebook_solutions_pass(capsys):
    namespace = notebook_namespace()
    for function in GRADED:
        check(function)(namespace[function])
    assert capsys.readouterr().out.count("all visible checks passed") == len(GRADED)


@pytest.mark.parametrize("variant", ALTERNATIVES, ids=lambda v: v.id)
def test_alternative_passes(variant):
    check(variant.function)(variant.impl)


@pytest.mark.parametrize("variant", [v for v in MISTAKES if v.id not in VISIBLE_BLIND_SPOTS], ids=lambda v: v.id)
def test_mistake_is_caught(variant):
    with pytest.raises(CheckFailure) as failure:
        check(variant.function)(variant.impl)
    message = str(failure.value)
    assert message.startswith(f"{variant.function}: ")
    assert "raised" not in message.splitlines()[0], message


def test_messages_never_show_computed_scores_or_boxes():
    """The checks know their right answers by construction; their messages must not print them."""
    for variant in MISTAKES:
        try:
            check(variant.function)(variant.impl)
        except CheckFailure as failure:
            problem = str(failure).split("\n  (case:")[0]
            assert not re.search(r"\d\.\d{3,}", problem), problem


def test_unimplemented_function_gets_a_clear_message():
    def yolo_filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.6):
        raise NotImplementedError()

    with pytest.raises(CheckFailure, match="raised NotImplementedError"):
        check("yolo_filter_boxes")(yolo_filter_boxes)


def test_a_result_that_is_not_a_triple_is_explained():
    with pytest.raises(CheckFailure, match=r"tuple \(scores, boxes, classes\)"):
        check("yolo_non_max_suppression")(lambda scores, boxes, classes, max_boxes=10, iou_threshold=0.5: boxes)
    with pytest.raises(CheckFailure, match="Python float"):
        check("iou")(lambda box1, box2: np.array(0.5))


def test_yolo_eval_check_names_a_failing_helper_first():
    broken = next(v for v in MISTAKES if v.id == "yolo_filter_boxes__strict_threshold")
    namespace = notebook_namespace((broken.function, broken.source()))
    with pytest.raises(CheckFailure, match="calls your yolo_filter_boxes, which does not pass its own check"):
        check("yolo_eval")(namespace["yolo_eval"])


def test_in_grading_mode_a_failed_check_is_printed_not_raised(monkeypatch, capsys):
    monkeypatch.setenv("CNNBOOK_GRADING", "1")
    broken = next(v for v in MISTAKES if v.function == "iou")
    check("iou")(broken.impl)
    assert "visible check (not graded, the hidden tests decide)" in capsys.readouterr().out


def test_detections_problem_diagnoses_shapes():
    good = (np.zeros(3), np.zeros((3, 4)), np.zeros(3, np.int64))
    assert checks.detections_problem(good) is None
    assert "one score per class" in checks.detections_problem((np.zeros((3, 4)), np.zeros((3, 4)), np.zeros(3)))
    assert "(k, 4)" in checks.detections_problem((np.zeros(3), np.zeros((3, 2)), np.zeros(3)))
    assert "same boxes" in checks.detections_problem((np.zeros(3), np.zeros((2, 4)), np.zeros(3)))
    assert "class indices" in checks.detections_problem((np.zeros(2), np.zeros((2, 4)), np.array([0.5, 1.2])))
    assert "tensor" in checks.detections_problem((np.zeros(2), [1, 2], np.zeros(2)))
    assert checks.python_float_problem(0.25) is None and checks.python_float_problem(np.float32(0.25)) is None
    assert "int" in checks.python_float_problem(0)
    assert "Python float" in checks.python_float_problem(np.array(0.5))
