"""The hidden tests of w4a2_style_transfer are themselves tested against the mistake catalogue.

Every catalogued mistake must be rejected with a message that names the function, and every alternative, the
reference and the notebook's own solutions accepted, on the grading path (the probe calls the function
through its adapter, answers a correct implementation's helper calls from the oracle tables, and the judge
compares with the reference). A mistake in gram_matrix or compute_layer_style_cost must not cost the
functions that call them. Cases are drawn once per test and seed (drawing train_step's runs the reference
train_step), then every variant is run and judged on them.
"""

import functools
import re

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from autograder.assignments.w4a2_style_transfer import hidden_tests, reference  # noqa: E402
from autograder.judging.cases import case_generator, encode_cases  # noqa: E402
from autograder.judging.verdicts import read_result  # noqa: E402
from cnnbook.grading.runner import run_cases  # noqa: E402
from cnnbook.grading.wire import encode  # noqa: E402
from tests.assignments.w4a2_style_transfer import catalogue  # noqa: E402
from tests.assignments.w4a2_style_transfer.notebook import GRADED, A, notebook_function  # noqa: E402
from tests.support import variants  # noqa: E402
from tests.support.notebooks import check_notebook_structure  # noqa: E402

POINTS = {
    "compute_content_cost": 2,
    "gram_matrix": 1,
    "compute_layer_style_cost": 2,
    "compute_style_cost": 2,
    "total_cost": 1,
    "train_step": 2,
}
MISTAKES = variants.mistakes_for(catalogue)
ALTERNATIVES = variants.alternatives_for(catalogue)


@functools.lru_cache(maxsize=None)
def cases_for(function, seed):
    """The hidden test's cases for one seed, drawn once (as a grading run draws them once for every submission)."""
    test = hidden_tests.HIDDEN_TESTS[f"test_{function}"]
    return test.make_cases(case_generator(seed, f"test_{function}"))


def judge(function, func, seed):
    """Run `func` on the cases the way the probe does, and return the judge's message (None when right)."""
    cases = cases_for(function, seed)
    results = [read_result(raw) for raw in run_cases(func, encode_cases(cases))]
    return hidden_tests.HIDDEN_TESTS[f"test_{function}"].judge(cases, results)


def test_notebook_structure():
    check_notebook_structure(A, POINTS, list(GRADED))


@pytest.mark.parametrize("function", GRADED)
def test_reference_and_notebook_solutions_pass(function):
    assert judge(function, getattr(reference, function), seed=1) is None
    assert judge(function, notebook_function(function), seed=1) is None


@pytest.mark.parametrize("variant", ALTERNATIVES, ids=lambda v: v.id)
def test_alternative_passes(variant):
    assert judge(variant.function, notebook_function(variant.function, variant.source()), seed=1) is None


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_is_rejected_with_a_message_that_names_the_function(variant):
    message = judge(variant.function, notebook_function(variant.function, variant.source()), seed=1)
    assert message is not None, f"{variant.id} was accepted"
    assert message.startswith(f"{variant.function}: "), message
    assert "hidden test case" in message and "could not be judged" not in message


@pytest.mark.parametrize(
    "variant", [v for v in MISTAKES if v.function in ("gram_matrix", "compute_layer_style_cost")], ids=lambda v: v.id
)
def test_a_wrong_helper_costs_only_its_own_points(variant):
    """compute_style_cost does not depend on compute_layer_style_cost, nor compute_layer_style_cost on gram_matrix."""
    broken = {variant.function: variant.source()}
    callers = {
        "gram_matrix": ("compute_layer_style_cost", "compute_style_cost"),
        "compute_layer_style_cost": ("compute_style_cost",),
    }[variant.function]
    for caller in callers:
        assert judge(caller, notebook_function(caller, others=broken), seed=1) is None, caller


@pytest.mark.parametrize(
    "function, helper",
    [("compute_style_cost", "compute_layer_style_cost"), ("compute_layer_style_cost", "gram_matrix")],
)
def test_every_helper_call_of_a_correct_implementation_is_answered_by_the_oracle(function, helper):
    """The oracle's keys, computed in the grader from arrays, match the tensors a correct caller passes in the kernel.

    The oracle's answers are replaced by sentinels and the helper by a function that raises: a correct caller
    then returns exactly what the sentinels make, which it can only do if every one of its calls hit the table.
    """
    broken = {helper: f"def {helper}(*args, **kwargs):\n    raise RuntimeError('not to be called')\n"}
    func = notebook_function(function, others=broken)
    for case in cases_for(function, seed=2):
        table = case.oracles[helper]["table"]
        sentinels = {key: (k + 1) * 1000.0 for k, key in enumerate(table)}
        answer = {
            key: encode(
                np.float32(v) if helper != "gram_matrix" else np.full((case.args[0].shape[-1],) * 2, v, np.float32)
            )
            for key, v in sentinels.items()
        }
        rigged = [{**encode_cases([case])[0], "oracles": {helper: {**case.oracles[helper], "table": answer}}}]
        (raw,) = run_cases(func, rigged)
        assert "error" not in raw, raw
        value = float(read_result(raw).value)
        if helper == "compute_layer_style_cost":
            weights = [w for _, w in case.args[2]]
            assert value == pytest.approx(sum(w * s for w, s in zip(weights, sentinels.values())), rel=1e-5)
        else:  # two Gram matrices filled with s1 and s2: the cost is (s1 - s2)^2 n_C^2 / (4 n_C^2 (n_H n_W)^2)
            _, n_H, n_W, _ = case.args[0].shape
            s1, s2 = sentinels.values()
            assert value == pytest.approx((s1 - s2) ** 2 / (4 * (n_H * n_W) ** 2), rel=1e-5)


def test_messages_speak_of_the_exercise():
    by_id = {v.id: v for v in MISTAKES}
    expectations = {
        "gram_matrix__wrong_orientation": "A^T A",
        "compute_layer_style_cost__plain_reshape": "plain reshape",
        "compute_content_cost__first_layer_instead_of_last": "LAST element",
        "compute_style_cost__content_layer_included": "includes the content layer",
        "compute_style_cost__equal_weights": "same weight",
        "total_cost__alpha_and_beta_swapped": "swapped",
        "train_step__no_clipping": "outside [0, 1]",
        "train_step__gradient_ascent": "rose instead of falling",
        "train_step__content_and_style_activations_swapped": "the content cost from a_C",
    }
    for variant_id, words in expectations.items():
        variant = by_id[variant_id]
        message = judge(variant.function, notebook_function(variant.function, variant.source()), seed=1)
        assert words in message, (variant_id, message)
        assert not re.search(r"\d\.\d{3,}", message.split("(hidden test case")[0]), message  # no computed values


def test_cases_differ_between_grading_runs():
    """Other seeds draw other shapes and other train_step runs, so the inputs cannot be known in advance."""
    shapes = {tuple(c.args[0].shape for c in cases_for("compute_layer_style_cost", seed)) for seed in range(3)}
    assert len(shapes) == 3
    runs = [hidden_tests._train_spec(np.random.default_rng(seed)) for seed in range(3)]
    assert len({spec["fill_seed"] for spec in runs}) == 3
