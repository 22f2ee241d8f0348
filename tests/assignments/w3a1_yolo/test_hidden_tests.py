"""The hidden tests of w3a1_yolo are themselves tested against the mistake catalogue, on the grading path.

Every function is judged as the grader judges it (autograder.judging.judge_here: cases recorded with the
reference, the function called through the probe with its adapter and oracles, the script replayed on the
results). Every catalogued mistake must be rejected with a message in the exercise's terms, every
alternative, the reference and the notebook's own solutions accepted, and a mistake in yolo_filter_boxes or
yolo_non_max_suppression must not cost yolo_eval its points (the oracles' keys must match the calls).
"""

import re

import numpy as np
import pytest

from autograder.assignments.w3a1_yolo import hidden_tests, reference
from autograder.course import REPO
from autograder.judging.cases import hidden_tests as hidden_tests_of
from autograder.judging.verdicts import judge_here
from cnnbook.grading.wire import call_key
from tests.assignments.w3a1_yolo import catalogue
from tests.support import variants
from tests.support.notebooks import cell_source, check_notebook_structure, run_solution_cells, solution_sources  # noqa: E402

A = "w3a1_yolo"
NOTEBOOK = REPO / "solutions" / A / f"{A}.ipynb"
GRADED = hidden_tests.GRADED
SEEDS = (0, 1)
MISTAKES = variants.mistakes_for(catalogue)
ALTERNATIVES = variants.alternatives_for(catalogue)
POINTS = {"yolo_filter_boxes": 2, "iou": 2, "yolo_non_max_suppression": 2, "yolo_eval": 3}
HELPERS = ("yolo_filter_boxes", "yolo_non_max_suppression")  # the graded functions yolo_eval calls


def judge(function, func, seed=0):
    judge_here(A, f"test_{function}", func, seed=seed)


def assert_no_long_decimals(message):
    """The problem part of a failure message (before the line naming the case) prints no computed value."""
    problem = message.split("\n  (hidden test case:")[0]
    assert not re.search(r"\d\.\d{3,}", problem), message


# ----------------------------------------------------------------------------------------------
# The catalogue and the notebook are complete
# ----------------------------------------------------------------------------------------------


def notebook_namespace(*replacements):
    """Execute the imports and solution cells in a fresh namespace; each replacement (function, source) swaps a cell."""
    namespace = {"__name__": "w3a1_notebook"}
    exec(compile(cell_source(A, "imports"), "<cell imports>", "exec"), namespace)
    return run_solution_cells(A, namespace, dict(replacements))


def test_hidden_tests_are_registered_with_their_adapters():
    tests = hidden_tests_of(A)
    assert set(tests) == {f"test_{f}" for f in GRADED}
    cases = tests["test_yolo_eval"].make_cases(np.random.default_rng(0))
    assert cases and all(c.adapter == "tensors" and set(c.oracles) == set(HELPERS) for c in cases)
    assert all(c.adapter == "" for c in tests["test_iou"].make_cases(np.random.default_rng(0)))


def test_notebook_structure():
    check_notebook_structure(A, POINTS, list(GRADED))


def test_signatures_follow_the_exercise():
    import inspect

    namespace = notebook_namespace()
    for function in GRADED:
        assert inspect.signature(namespace[function]) == inspect.signature(getattr(reference, function)), function
    assert str(inspect.signature(reference.yolo_eval)) == (
        "(yolo_outputs, image_shape, max_boxes=10, score_threshold=0.6, iou_threshold=0.5)"
    )


# ----------------------------------------------------------------------------------------------
# Correct implementations pass
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("function", GRADED)
def test_reference_passes(function, seed):
    judge(function, getattr(reference, function), seed)


@pytest.mark.parametrize("seed", range(6))
def test_notebook_solutions_pass(seed):
    """The notebook's TensorFlow solutions agree with the NumPy reference the grader uses, on many draws."""
    namespace = notebook_namespace()
    for function in GRADED:
        judge(function, namespace[function], seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("variant", ALTERNATIVES, ids=lambda v: v.id)
def test_alternative_passes(variant, seed):
    judge(variant.function, variant.impl, seed)


@pytest.mark.parametrize("variant", ALTERNATIVES, ids=lambda v: v.id)
def test_alternative_pasted_into_notebook_passes(variant):
    namespace = notebook_namespace((variant.function, variant.source()))
    judge(variant.function, namespace[variant.function], seed=5)


def test_any_order_of_the_kept_boxes_is_accepted():
    import tensorflow as tf

    def reversed_filter(boxes, box_confidence, box_class_probs, threshold=0.6):
        return tuple(
            tf.reverse(t, axis=[0])
            for t in reference.yolo_filter_boxes(boxes, box_confidence, box_class_probs, threshold)
        )

    def shuffled_nms(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
        kept = reference.yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)
        order = np.random.default_rng(len(kept[0])).permutation(len(kept[0]))
        return tuple(tf.gather(t, order) for t in kept)

    judge("yolo_filter_boxes", reversed_filter, seed=3)
    judge("yolo_non_max_suppression", shuffled_nms, seed=3)


def test_iou_may_return_a_numpy_float_but_not_an_int():
    judge("iou", lambda box1, box2: np.float64(reference.iou(box1, box2)), seed=2)

    def iou_int_when_apart(box1, box2):
        value = reference.iou(box1, box2)
        return 0 if value == 0 else value

    with pytest.raises(AssertionError, match="Python float"):
        judge("iou", iou_int_when_apart, seed=2)


# ----------------------------------------------------------------------------------------------
# Mistakes fail, with a message in the exercise's terms
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_is_rejected(variant, seed):
    with pytest.raises(AssertionError) as failure:
        judge(variant.function, variant.impl, seed)
    message = str(failure.value)
    assert message.startswith(f"{variant.function}: ")
    assert "hidden test case" in message
    assert "raised" not in message.splitlines()[0], message  # every catalogued mistake returns something wrong
    assert_no_long_decimals(message)


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_pasted_into_notebook_is_rejected(variant):
    namespace = notebook_namespace((variant.function, variant.source()))
    with pytest.raises(AssertionError, match=f"^{variant.function}: "):
        judge(variant.function, namespace[variant.function], seed=6)


EXPECTED_DIAGNOSES = {  # a mistake and words its message must contain
    "yolo_filter_boxes__strict_threshold": ">=",
    "yolo_filter_boxes__filters_on_confidence": "filtered on box_confidence",
    "yolo_filter_boxes__forgets_confidence": "class probabilities alone",
    "yolo_filter_boxes__ignores_threshold": "threshold argument is not used",
    "iou__negative_overlap_not_clipped": "negative",
    "iou__clips_the_product_only": "SEPARATELY",
    "iou__union_keeps_intersection_twice": "twice",
    "iou__returns_an_array": "Python float",
    "yolo_non_max_suppression__ignores_max_boxes": "max_boxes",
    "yolo_non_max_suppression__ignores_iou_threshold": "iou_threshold is not used",
    "yolo_non_max_suppression__suppresses_within_each_class": "whatever their class",
    "yolo_eval__boxes_not_scaled": "scale_boxes",
    "yolo_eval__height_and_width_swapped": "swapped",
    "yolo_eval__max_boxes_not_passed": "max_boxes is not passed on",
    "yolo_eval__iou_threshold_not_passed": "iou_threshold is not passed on",
    "yolo_eval__score_threshold_not_passed": "score_threshold is not passed on",
    "yolo_eval__no_suppression": "without non-max suppression",
}


@pytest.mark.parametrize("variant_id, words", EXPECTED_DIAGNOSES.items())
def test_message_names_the_mistake(variant_id, words):
    variant = next(v for v in MISTAKES if v.id == variant_id)
    with pytest.raises(AssertionError) as failure:
        judge(variant.function, variant.impl, seed=1)
    assert words in str(failure.value).split("\n  (hidden test case:")[0], str(failure.value)


# ----------------------------------------------------------------------------------------------
# Isolation: yolo_eval is judged with oracles for the two graded functions it calls
# ----------------------------------------------------------------------------------------------


def test_solutions_call_their_helpers():
    namespace = notebook_namespace()
    calls = set(namespace["yolo_eval"].__code__.co_names)
    assert set(HELPERS) <= calls and "iou" not in calls
    for other in ("yolo_filter_boxes", "iou", "yolo_non_max_suppression"):
        assert not set(GRADED) & set(namespace[other].__code__.co_names) - {other}


def refuse(name):
    def broken(*args, **kwargs):
        raise RuntimeError(f"{name} was called instead of its oracle")

    return broken


@pytest.mark.parametrize(
    "order",
    [
        "yolo_eval",
        "yolo_eval__scale_before_filtering",
        "yolo_eval__scale_at_the_end",
        "yolo_eval__keywords_and_indexing",
    ],
)
@pytest.mark.parametrize("seed", SEEDS)
def test_oracles_answer_every_helper_call_of_a_correct_yolo_eval(order, seed):
    """With helpers that refuse to run, a correct yolo_eval (in each tabled order of the steps) still passes."""
    source = (
        solution_sources(A)["yolo_eval"]
        if order == "yolo_eval"
        else next(v for v in ALTERNATIVES if v.id == order).source()
    )
    namespace = notebook_namespace()
    for helper in HELPERS:
        namespace[helper] = refuse(helper)
    exec(source, namespace)
    judge("yolo_eval", namespace["yolo_eval"], seed)


def test_keys_of_the_tables_are_the_calls_the_kernel_makes():
    """Record what a correct yolo_eval passes to its helpers, the way the probe hands it the case, and look it up."""
    from autograder.judging.cases import encode_cases
    from cnnbook.grading.adapters import adapt
    from cnnbook.grading.runner import run_cases

    case = hidden_tests_of(A)["test_yolo_eval"].make_cases(np.random.default_rng(4))[0]
    seen = {}
    namespace = notebook_namespace()

    def recorder(name):
        real = namespace[name]

        def record(*args, **kwargs):
            seen.setdefault(name, []).append(call_key(args + tuple(kwargs.values())))
            return real(*args, **kwargs)

        return record

    for helper in HELPERS:
        namespace[helper] = recorder(helper)
    adapt("tensors", namespace["yolo_eval"])(*case.args, **case.kwargs)
    for helper in HELPERS:
        assert seen[helper][0] in case.oracles[helper]["table"], helper
    # and through the probe, the answers come from the tables (the recorders are never reached)
    seen.clear()
    results = run_cases(namespace["yolo_eval"], encode_cases([case]))
    assert "error" not in results[0] and seen == {}


def test_a_yolo_eval_whose_calls_are_not_tabled_falls_back_to_the_students_helpers():
    """Corners kept in float64 miss the tables (keyed by float32 corners); the student's own helpers answer then."""
    source = """
def yolo_eval(yolo_outputs, image_shape, max_boxes=10, score_threshold=.6, iou_threshold=.5):
    box_xy, box_wh, box_confidence, box_class_probs = (np.asarray(t, np.float64) for t in yolo_outputs)
    corners = np.concatenate([box_xy[..., ::-1] - box_wh[..., ::-1] / 2, box_xy[..., ::-1] + box_wh[..., ::-1] / 2],
                             axis=-1)
    scores, boxes, classes = yolo_filter_boxes(tf.constant(corners, tf.float64), box_confidence, box_class_probs,
                                               score_threshold)
    boxes = scale_boxes(boxes, image_shape)
    return yolo_non_max_suppression(tf.cast(scores, tf.float32), boxes, classes, max_boxes, iou_threshold)
"""
    namespace = notebook_namespace(("yolo_eval", source))
    judge("yolo_eval", namespace["yolo_eval"], seed=1)
    broken = next(v for v in MISTAKES if v.id == "yolo_filter_boxes__forgets_confidence")
    namespace = notebook_namespace(("yolo_eval", source), (broken.function, broken.source()))
    with pytest.raises(AssertionError, match="^yolo_eval: "):  # no table entry: the broken helper answers
        judge("yolo_eval", namespace["yolo_eval"], seed=1)


def test_isolation_is_needed():
    """Without oracles, yolo_eval would inherit a broken yolo_filter_boxes; the hidden test must not."""
    from cnnbook.grading.adapters import adapt

    broken = next(v for v in MISTAKES if v.id == "yolo_filter_boxes__class_from_confidence")
    namespace = notebook_namespace((broken.function, broken.source()))
    inherited = []
    for case in hidden_tests_of(A)["test_yolo_eval"].make_cases(np.random.default_rng(0)):
        got = adapt("tensors", namespace["yolo_eval"])(*case.args, **case.kwargs)
        right = adapt("tensors", reference.yolo_eval)(*case.args, **case.kwargs)
        inherited.append(not np.array_equal(np.sort(got[2]), np.sort(right[2])))
    assert any(inherited)
    judge("yolo_eval", namespace["yolo_eval"], seed=0)  # still full marks for yolo_eval


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_does_not_fail_other_functions(variant):
    namespace = notebook_namespace((variant.function, variant.source()))
    for other in GRADED:
        if other != variant.function:
            judge(other, namespace[other], seed=1)


# ----------------------------------------------------------------------------------------------
# Seeds and coverage of the random cases
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_random_cases_cover_the_tricky_situations(seed):
    rng = np.random.default_rng(seed)
    filters = hidden_tests._filter_cases(rng)
    thresholds = [t for *_, t, _ in filters]
    assert None in thresholds and any(t not in (None, 0.6) for t in thresholds)
    assert any(np.any((c * p).max(axis=-1) == t) for _, c, p, t, _ in filters if t is not None)  # a tie
    assert any(np.all((c * p).max(axis=-1) < t) for _, c, p, t, _ in filters if t is not None)  # nothing kept
    assert len({b.shape for b, *_ in filters}) >= 3 and any(p.shape[-1] != 4 for _, _, p, *_ in filters)

    nms = hidden_tests._nms_cases(rng)
    settings = [kwargs for *_, kwargs, _, _ in nms]
    assert {} in settings and any(k.get("max_boxes", 10) < 10 for k in settings)
    assert any(k.get("iou_threshold", 0.5) < 0.5 for k in settings) and any(
        k.get("iou_threshold", 0.5) > 0.5 for k in settings
    )
    assert any(len(s) == 0 for s, *_ in nms) and any(positional for *_, positional in nms)
    assert any(
        len(hidden_tests._greedy_nms(s.astype(float), b.astype(float), c, 10**6, k.get("iou_threshold", 0.5)))
        > k.get("max_boxes", 10)
        for s, b, c, k, _, _ in nms
    )  # max_boxes binds

    evals = hidden_tests._eval_cases(rng)
    shapes = [tuple(shape) for _, shape, _ in evals]
    assert all(h != w for h, w in shapes[:3]) and any(isinstance(h, int) for h, _ in shapes)
    assert {} in [kwargs for *_, kwargs in evals]
    for key, default in (("max_boxes", 10), ("score_threshold", 0.6), ("iou_threshold", 0.5)):
        assert any(kwargs.get(key, default) != default for *_, kwargs in evals)


def test_cases_are_clear_of_ambiguity():
    """No random best score near the threshold, no IoU of two candidate boxes near the IoU threshold."""
    for seed in range(4):
        rng = np.random.default_rng(seed)
        for scores, boxes, classes, kwargs, *_ in hidden_tests._nms_cases(rng):
            threshold = kwargs.get("iou_threshold", 0.5)
            for i in range(len(boxes)):
                others = np.delete(boxes, i, axis=0).astype(float)
                if len(others):
                    assert np.all(np.abs(hidden_tests._box_iou(boxes[i].astype(float), others) - threshold) > 0.02)
        for (xy, wh, confidence, probs), _, kwargs in hidden_tests._eval_cases(rng):
            best = (confidence * probs).max(axis=-1)
            assert np.all(np.abs(best - kwargs.get("score_threshold", 0.6)) > 1e-3)
