"""The hidden tests of w1a1_conv_numpy are themselves tested against the mistake catalogue.

Every catalogued mistake must be rejected (for several seeds, also when pasted into the notebook),
every alternative, the reference and the notebook's own solutions must be accepted, and a mistake in
one function must not cost the points of another (isolation).
"""

import re

import numpy as np
import pytest

from autograder.assignments.w1a1_conv_numpy import hidden_tests, reference
from autograder.course import REPO
from autograder.judging.verdicts import judge_here
from tests.assignments.w1a1_conv_numpy import catalogue
from tests.support import variants
from tests.support.notebooks import check_notebook_structure, run_solution_cells, solution_sources  # noqa: E402

A = "w1a1_conv_numpy"

NOTEBOOK = REPO / "solutions" / "w1a1_conv_numpy" / "w1a1_conv_numpy.ipynb"
GRADED = hidden_tests.GRADED
SEEDS = (0, 1, 2, 3)
MISTAKES = variants.mistakes_for(catalogue)
ALTERNATIVES = variants.alternatives_for(catalogue)
POINTS = {
    "zero_pad": 1,
    "conv_single_step": 1,
    "conv_forward": 3,
    "pool_forward": 2,
    "conv_backward": 3,
    "create_mask_from_window": 1,
    "distribute_value": 1,
    "pool_backward": 2,
}


def hidden_test(function):
    return getattr(hidden_tests, f"test_{function}")


def assert_no_long_decimals(message):
    """The problem part of a failure message (before the line naming the case's inputs) prints no
    computed value such as 0.4187."""
    problem = message.split("\n  (hidden test case:")[0]
    assert not re.search(r"\d\.\d{3,}", problem), message


# ----------------------------------------------------------------------------------------------
# The catalogue and the notebook are complete
# ----------------------------------------------------------------------------------------------


def notebook_namespace(replacement=None):
    """Execute the solution cells in a fresh namespace; replacement=(function, source) swaps one cell."""
    return run_solution_cells(A, {"np": np, "__name__": "w1a1_notebook"}, dict([replacement]) if replacement else None)


def test_variant_source_defines_the_graded_name():
    variant = variants.mistakes_for(catalogue, "zero_pad")[0]
    text = variant.source()
    assert text.startswith("def zero_pad(")
    assert "@mistake" not in text
    namespace = {"np": np}
    exec(text, namespace)
    assert namespace["zero_pad"](np.ones((1, 2, 2, 1)), 1).shape != (1, 4, 4, 1)  # it is a mistake


def test_notebook_structure():
    check_notebook_structure(A, POINTS, list(GRADED))


# ----------------------------------------------------------------------------------------------
# Correct implementations pass
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("function", GRADED)
def test_reference_passes(function, seed):
    hidden_test(function)(getattr(reference, function), seed=seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_notebook_solutions_pass(seed):
    namespace = notebook_namespace()
    for function in GRADED:
        hidden_test(function)(namespace[function], seed=seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("variant", ALTERNATIVES, ids=lambda v: v.id)
def test_alternative_passes(variant, seed):
    hidden_test(variant.function)(variant.impl, seed=seed)


@pytest.mark.parametrize("variant", ALTERNATIVES, ids=lambda v: v.id)
def test_alternative_pasted_into_notebook_passes(variant):
    namespace = notebook_namespace((variant.function, variant.source()))
    hidden_test(variant.function)(namespace[variant.function], seed=5)


# ----------------------------------------------------------------------------------------------
# Mistakes fail, with a message in the exercise's terms
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_is_rejected(variant, seed):
    with pytest.raises(AssertionError) as failure:
        hidden_test(variant.function)(variant.impl, seed=seed)
    message = str(failure.value)
    assert message.startswith(f"{variant.function}: ")
    assert "hidden test case" in message
    assert_no_long_decimals(message)


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_pasted_into_notebook_is_rejected(variant):
    namespace = notebook_namespace((variant.function, variant.source()))
    with pytest.raises(AssertionError):
        hidden_test(variant.function)(namespace[variant.function], seed=6)


def test_mutating_an_input_is_rejected():
    def conv_forward(A_prev, W, b, hparameters):
        Z, cache = reference.conv_forward(A_prev.copy(), W, b, hparameters)
        A_prev *= 0.5  # right output, but the caller's array is damaged
        return Z, (A_prev, W, b, hparameters)

    with pytest.raises(AssertionError, match="modified its input A_prev"):
        hidden_tests.test_conv_forward(conv_forward)


# ----------------------------------------------------------------------------------------------
# Isolation: a mistake in one function costs only that function's points
# ----------------------------------------------------------------------------------------------


def dependents(function, namespace):
    """The graded functions whose notebook solution calls `function` by name."""
    return [other for other in GRADED if other != function and function in namespace[other].__code__.co_names]


def test_solutions_call_their_helpers():
    namespace = notebook_namespace()
    assert set(dependents("zero_pad", namespace)) == {"conv_forward", "conv_backward"}
    assert dependents("conv_single_step", namespace) == ["conv_forward"]
    assert dependents("create_mask_from_window", namespace) == ["pool_backward"]
    assert dependents("distribute_value", namespace) == ["pool_backward"]


def test_isolation_is_needed():
    """Without isolation, conv_forward would inherit a broken zero_pad; the hidden test must not."""
    broken = variants.mistakes_for(catalogue, "zero_pad")[0]
    namespace = notebook_namespace((broken.function, broken.source()))
    rng = np.random.default_rng(0)
    A, W, b = rng.standard_normal((1, 4, 5, 2)), rng.standard_normal((3, 3, 2, 2)), rng.standard_normal((1, 1, 1, 2))
    hparameters = {"stride": 1, "pad": 1}
    try:
        Z, _ = namespace["conv_forward"](A, W, b, hparameters)
        inherited = not np.allclose(Z, reference.conv_forward(A, W, b, hparameters)[0])
    except Exception:  # the channel-padded windows no longer match the filters
        inherited = True
    assert inherited
    judge_here("w1a1_conv_numpy", "test_conv_forward", namespace["conv_forward"])  # still full marks for conv_forward


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_does_not_fail_other_functions(variant):
    """The hidden tests answer a function's calls to the other graded functions from oracle tables."""
    namespace = notebook_namespace((variant.function, variant.source()))
    for other in GRADED:
        if other != variant.function:
            judge_here(A, f"test_{other}", namespace[other], seed=1)


# ----------------------------------------------------------------------------------------------
# Seeds and coverage of the random cases
# ----------------------------------------------------------------------------------------------


def recorded_inputs(test, seed=0):
    """The X arrays that test_zero_pad passes to the function under test."""
    seen = []

    def zero_pad(X, pad):
        seen.append((X.copy(), pad))
        return reference.zero_pad(X, pad)

    test(zero_pad, seed=seed)
    return seen


def same_inputs(first, second):
    return len(first) == len(second) and all(
        p == q and x.shape == y.shape and np.array_equal(x, y) for (x, p), (y, q) in zip(first, second)
    )


def test_the_seed_decides_the_cases():
    default = recorded_inputs(hidden_tests.test_zero_pad)
    assert same_inputs(default, recorded_inputs(hidden_tests.test_zero_pad, seed=0))
    assert not same_inputs(recorded_inputs(hidden_tests.test_zero_pad, seed=7), default)


@pytest.mark.parametrize("seed", range(20))
def test_random_cases_cover_the_tricky_situations(seed):
    rng = np.random.default_rng(seed)
    conv = hidden_tests._conv_cases(rng)
    assert any(pad == 0 for *_, pad in conv)
    assert any(stride > 1 for *_, stride, _ in conv)
    assert any(stride < f for _, _, _, _, f, _, stride, _ in conv)  # overlapping windows
    assert any(m > 1 for m, *_ in conv)
    assert all(h != w for _, h, w, *_ in conv)  # non-square inputs
    assert any(s > 1 and ((h + 2 * p - f) % s or (w + 2 * p - f) % s) for _, h, w, _, f, _, s, p in conv)
    pool = hidden_tests._pool_cases(rng)
    assert any(s > 1 and ((h - f) % s or (w - f) % s) for _, h, w, _, f, s in pool)
    assert any(s < f for *_, f, s in pool) and any(s != f for *_, f, s in pool)
    assert any(n_C > 1 for _, _, _, n_C, _, _ in pool) and any(m > 1 for m, *_ in pool)


# ----------------------------------------------------------------------------------------------
# The grading path: the probe runs the function on recorded cases (helpers answered by oracles)
# and the judge replays the scripted tests on the results, out of the student's kernel.
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("variant", MISTAKES + ALTERNATIVES, ids=lambda v: f"{v.function}-{v.name}")
def test_the_grading_path_gives_the_same_verdict(variant, seed):

    if variant.correct:
        judge_here("w1a1_conv_numpy", f"test_{variant.function}", variant.impl, seed=seed)
    else:
        with pytest.raises(AssertionError, match=variant.function):
            judge_here("w1a1_conv_numpy", f"test_{variant.function}", variant.impl, seed=seed)


def test_oracles_answer_a_correct_callers_helper_calls():
    """With broken helpers in its namespace, a correct conv_forward still passes: every call it makes is answered."""

    namespace = {"np": np, "zero_pad": lambda X, pad: X * 0, "conv_single_step": lambda a, W, b: 0.0}
    exec(solution_sources(A)["conv_forward"], namespace)
    judge_here("w1a1_conv_numpy", "test_conv_forward", namespace["conv_forward"], seed=5)
