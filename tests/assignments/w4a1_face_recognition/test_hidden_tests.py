"""The hidden tests of w4a1_face_recognition are themselves tested against the mistake catalogue.

Every catalogued mistake must be rejected (for several seeds, also when pasted into the notebook) with a
message in the exercise's terms; every alternative, the reference and the notebook's own solutions must be
accepted; a mistake in one function must not cost the points of another (isolation). The functions are
judged the way the grader judges them (judge_here: probe, adapters, oracles, replay), so what is tested
here is what a student's notebook gets.
"""

import re

import numpy as np
import pytest
import tensorflow as tf

from autograder.assignments.w4a1_face_recognition import hidden_tests, reference
from autograder.course import REPO
from autograder.judging.cases import Case, encode_cases
from autograder.judging.replay import apply_after
from autograder.judging.verdicts import judge_here, read_result
from cnnbook.grading.adapters import adapt
from cnnbook.grading.runner import run_cases
from tests.assignments.w4a1_face_recognition import catalogue
from tests.support import variants
from tests.support.notebooks import check_notebook_structure, notebook_cells, run_solution_cells, solution_sources  # noqa: E402

A = "w4a1_face_recognition"
NOTEBOOK = REPO / "solutions" / A / f"{A}.ipynb"
GRADED = hidden_tests.GRADED
SEEDS = (0, 1, 2)
MISTAKES = variants.mistakes_for(catalogue)
ALTERNATIVES = variants.alternatives_for(catalogue)
POINTS = {"triplet_loss": 3, "verify": 2, "who_is_it": 3}


def judge(function, func, seed=0):
    judge_here(A, f"test_{function}", func, seed=seed)


def assert_no_long_decimals(message):
    """The problem part of a failure message (before the case's inputs) prints no computed value such as 0.4187."""
    problem = message.split("\n  (hidden test case:")[0]
    assert not re.search(r"\d\.\d{3,}", problem), message


# ----------------------------------------------------------------------------------------------
# The catalogue and the notebook are complete
# ----------------------------------------------------------------------------------------------


def notebook_namespace(replacement=None, **names):
    """Execute the solution cells where the notebook's names exist; replacement=(function, source) swaps one cell."""
    namespace = {
        "np": np,
        "tf": tf,
        "THRESHOLD": catalogue.THRESHOLD,
        "img_to_encoding": catalogue.img_to_encoding,
        "FRmodel": catalogue.FRmodel,
        "__name__": "w4a1_notebook",
        **names,
    }
    return run_solution_cells(A, namespace, dict([replacement]) if replacement else None)


def test_notebook_structure():
    check_notebook_structure(A, POINTS, list(GRADED))


def test_the_notebook_uses_the_course_threshold_and_a_provided_img_to_encoding():
    text = "\n".join("".join(c["source"]) for c in notebook_cells(A) if c["cell_type"] == "code")
    assert "THRESHOLD = face_distance_threshold()" in text
    assert "def img_to_encoding(image_path, model):" in text
    assert "demo_steps(" in text  # demos shrink in grading runs


# ----------------------------------------------------------------------------------------------
# Correct implementations pass
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("function", GRADED)
def test_reference_passes(function, seed):
    judge(function, getattr(reference, function), seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_notebook_solutions_pass(seed):
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
    assert "went another way" not in message  # the first wrong result is the one explained
    assert MESSAGE_WORDS[variant.id] in message.split("\n  (hidden test case:")[0], message
    assert_no_long_decimals(message)


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_pasted_into_notebook_is_rejected(variant):
    namespace = notebook_namespace((variant.function, variant.source()))
    with pytest.raises(AssertionError, match=f"^{variant.function}: "):
        judge(variant.function, namespace[variant.function], seed=6)


MESSAGE_WORDS = dict(
    [
        ("triplet_loss__mean_instead_of_sum", "averaged"),
        ("triplet_loss__no_hinge", "clip each triplet's value at zero"),
        ("triplet_loss__hinge_on_the_total", "once to the total"),
        ("triplet_loss__distances_over_the_batch_axis", "batch axis"),
        ("triplet_loss__distances_over_every_axis", "every axis"),
        ("triplet_loss__plain_distances", "SQUARED"),
        ("triplet_loss__margin_subtracted", "subtracted"),
        ("triplet_loss__fixed_margin", "argument alpha"),
        ("triplet_loss__one_loss_per_triplet", "one value per triplet"),
        ("triplet_loss__python_number", "gradients can flow"),
        ("triplet_loss__positive_and_negative_swapped", "swapped"),
        ("verify__squared_distance", "SQUARED"),
        ("verify__comparison_reversed", "stayed shut for a distance below"),
        ("verify__opens_at_the_threshold", "equal to THRESHOLD"),
        ("verify__tensor_instead_of_bool", "Python bool"),
        ("verify__nearest_person_instead_of_the_claimed_one", "database[identity]"),
        ("verify__threshold_written_in_the_code", "global THRESHOLD"),
        ("verify__global_model_instead_of_the_argument", "the model that were passed"),
        ("verify__pair_in_the_wrong_order", "bool"),
        ("who_is_it__keeps_the_last_person", "LAST person"),
        ("who_is_it__keeps_the_last_below_threshold", "not the nearest"),
        ("who_is_it__squared_distance", "SQUARED"),
        ("who_is_it__match_at_the_threshold", "equal to THRESHOLD"),
        ("who_is_it__message_the_wrong_way_round", "below THRESHOLD"),
        ("who_is_it__no_name_for_a_stranger", "identity is None"),
        ("who_is_it__starts_min_dist_at_zero", "large number"),
        ("who_is_it__threshold_written_in_the_code", "global THRESHOLD"),
        ("who_is_it__keeps_the_farthest", "FARTHEST"),
    ]
)


def test_every_mistake_has_its_message_test():
    assert set(MESSAGE_WORDS) == {v.id for v in MISTAKES}


# ----------------------------------------------------------------------------------------------
# img_to_encoding is answered by the oracle, and only for the right call
# ----------------------------------------------------------------------------------------------


def test_a_correct_function_passes_whatever_the_notebook_helper_does():
    """The oracle answers img_to_encoding(image_path, model); the kernel's helper is never reached."""

    def broken(image_path, model):
        raise AssertionError("the notebook's img_to_encoding must not be called")

    namespace = notebook_namespace(img_to_encoding=broken)
    judge("verify", namespace["verify"], seed=3)
    judge("who_is_it", namespace["who_is_it"], seed=3)


@pytest.mark.parametrize(
    "call",
    [
        "img_to_encoding(identity, model)",
        "img_to_encoding(image_path, 'a-model')",
        "img_to_encoding(image_path, FRmodel)",
    ],
)
def test_encoding_with_other_arguments_misses_the_oracle(call):
    source = solution_sources(A)["verify"].replace("img_to_encoding(image_path, model)", call)
    assert call in source
    with pytest.raises(AssertionError, match="^verify: raised"):
        judge("verify", notebook_namespace(("verify", source))["verify"], seed=0)


def test_a_notebook_helper_that_would_answer_a_wrong_call_still_fails():
    """A real img_to_encoding could encode the global model's photo; the oracle only knows the passed token."""

    def helper(image_path, model):
        return np.zeros((1, 128), np.float32)

    source = solution_sources(A)["verify"].replace(
        "img_to_encoding(image_path, model)", "img_to_encoding(image_path, FRmodel)"
    )
    with pytest.raises(AssertionError, match="^verify: "):
        judge("verify", notebook_namespace(("verify", source), img_to_encoding=helper)["verify"], seed=0)


def test_the_model_is_a_token_and_the_database_plain_arrays():
    cases = hidden_tests.HIDDEN_TESTS["test_who_is_it"].make_cases(np.random.default_rng(0))
    for case in cases:
        (spec,) = case.args
        image_path, database, model = spec["args"]
        assert isinstance(model, str) and isinstance(image_path, str)
        assert all(
            isinstance(v, np.ndarray) and v.shape == (1, 128) and v.dtype == np.float32 for v in database.values()
        )
        assert set(case.oracles) == {"img_to_encoding"}
        assert case.adapter == hidden_tests.DOOR_ADAPTER


# ----------------------------------------------------------------------------------------------
# Isolation: a mistake in one function costs only that function's points
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_does_not_fail_other_functions(variant):
    namespace = notebook_namespace((variant.function, variant.source()))
    for other in GRADED:
        if other != variant.function:
            judge(other, namespace[other], seed=1)


# ----------------------------------------------------------------------------------------------
# The drawn cases cover what the exercise asks
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_cases_cover_the_tricky_situations(seed):
    T = hidden_tests.face_distance_threshold()
    triplets = hidden_tests._triplet_cases(np.random.default_rng(seed))
    sizes = {y_pred[0].shape[0] for _, y_pred, _ in triplets}
    assert 1 in sizes and max(sizes) >= 16 and len(sizes) >= 4
    assert any(alpha is None for *_, alpha in triplets) and any(alpha not in (None, 0.2) for *_, alpha in triplets)
    assert all(y_pred[0].shape[1] == 128 for _, y_pred, _ in triplets)

    verify_cases = hidden_tests._verify_cases(np.random.default_rng(seed))
    kinds = [kind for kind, _ in verify_cases]
    assert {"match", "impostor", "above", "other threshold", "boundary"} <= set(kinds)
    sizes = {len(spec["args"][2]) for _, spec in verify_cases}
    assert {1, 12} <= sizes
    between = [
        spec for kind, spec in verify_cases if kind == "above" and T < distance_of(spec, spec["args"][1]) < np.sqrt(T)
    ]
    assert between  # a squared distance would open the door
    for kind, spec in verify_cases:
        d = distance_of(spec, spec["args"][1])
        assert d == spec["threshold"] if kind == "boundary" else abs(d - spec["threshold"]) > 0.01

    who_cases = hidden_tests._who_cases(np.random.default_rng(seed))
    positions = set()
    for kind, spec in who_cases:
        database = spec["args"][1]
        distances = sorted(distance_of(spec, name) for name in database)
        nearest = min(database, key=lambda name: distance_of(spec, name))
        positions.add(
            "first" if nearest == next(iter(database)) else "last" if nearest == list(database)[-1] else "middle"
        )
        if len(distances) > 1:
            assert distances[1] - distances[0] > 0.01  # one nearest person, no near-tie
        if kind == "boundary":
            assert distances[0] == spec["threshold"]
    assert positions == {"first", "middle", "last"}
    assert any(
        distance_of(spec, min(spec["args"][1], key=lambda n: distance_of(spec, n))) >= T
        for kind, spec in who_cases
        if kind == "stranger"
    )


def distance_of(spec, name):
    """L2 distance of a case's photo to a person of its database (the database is spec["args"][-2])."""
    encoding = hidden_tests._camera_lookup(spec["args"][0], spec["args"][-1])
    return reference._distance(encoding, spec["args"][-2][name])


# ----------------------------------------------------------------------------------------------
# The door adapter and the replay of dict arguments
# ----------------------------------------------------------------------------------------------

THRESHOLD = "the module's own value, which the adapter must not change"


def test_door_adapter_sets_threshold_in_a_copy_and_reports_printing():
    def door(image_path, threshold_name):
        print("looking at", image_path)
        return THRESHOLD, tf.constant(2.0)

    report = adapt(hidden_tests.DOOR_ADAPTER, door)({"args": ["photo.png", "x"], "threshold": 0.25})
    assert report["returned"][0] == 0.25
    assert isinstance(report["returned"][1], np.ndarray) and report["returned"][1].shape == ()
    assert report["printed"] == "looking at photo.png\n"
    assert THRESHOLD.startswith("the module's own value")


def test_door_adapter_reports_an_error_as_the_functions_own():
    def door(image_path):
        raise KeyError("Nobody")

    results = run_cases(
        door, encode_cases([Case(({"args": ["p.png"], "threshold": 0.5},), adapter=hidden_tests.DOOR_ADAPTER)])
    )
    assert read_result(results[0]).error.startswith("KeyError")


def test_replay_applies_changes_to_dicts_that_hold_arrays():
    spec = {"args": ["p.png", {"Ada": np.zeros((1, 3))}], "threshold": 0.5, "n": 1}
    after = {"args": ["p.png", {"Ada": np.ones((1, 3))}], "threshold": 0.5, "n": 2}
    kept = spec["args"][1]["Ada"]
    apply_after(spec, after)
    assert spec["n"] == 2 and spec["args"][1]["Ada"] is kept and np.all(kept == 1)
    hparameters = {"stride": 1, "pad": 0}
    apply_after(hparameters, {"stride": 2, "pad": 0})
    assert hparameters == {"stride": 2, "pad": 0}
    apply_after(hparameters, {"f": 3})
    assert hparameters == {"f": 3}
