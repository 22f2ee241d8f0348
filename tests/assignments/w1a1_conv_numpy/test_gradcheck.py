"""The numerical gradient check students run (cnnbook.assignments.w1a1_conv_numpy.gradcheck) passes right backward
functions and
flags wrong ones."""

import numpy as np
import pytest

from autograder.assignments.w1a1_conv_numpy import reference
from cnnbook.assignments.w1a1_conv_numpy import gradcheck
from tests.assignments.w1a1_conv_numpy import catalogue


def test_relative_error():
    assert gradcheck.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gradcheck.relative_error(np.arange(4.0), np.arange(4.0)) == 0.0
    assert gradcheck.relative_error(np.ones(3), -np.ones(3)) == pytest.approx(1.0)
    assert gradcheck.relative_error([1.0, 0.0], [1.0, 1e-3]) == pytest.approx(1e-3 / (1 + np.hypot(1, 1e-3)))


def test_numerical_gradient_of_a_quadratic_restores_its_input():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4))
    x_before = x.copy()
    M = rng.standard_normal((3, 4))
    grad = gradcheck.numerical_gradient(lambda: float(np.sum(M * x**2)), x)
    assert np.allclose(grad, 2 * M * x_before, atol=1e-6)
    assert np.array_equal(x, x_before)


def test_reference_layers_pass(capsys):
    errors = gradcheck.run_gradient_checks(
        reference.conv_forward, reference.conv_backward, reference.pool_forward, reference.pool_backward
    )
    assert set(errors) == {"conv", "max", "average"}
    assert set(errors["conv"]) == {"dA_prev", "dW", "db"}
    for found in errors.values():
        for error in found.values():
            assert error < gradcheck.PASS_THRESHOLD
    out = capsys.readouterr().out
    assert out.count("ok") == 5
    assert "Verdict: every gradient agrees" in out


@pytest.mark.parametrize("seed", [1, 2])
def test_loop_alternatives_pass(seed):
    errors = gradcheck.check_conv_gradients(
        catalogue.conv_forward__filters_outermost_batch_vectorised,
        catalogue.conv_backward__filters_outermost,
        seed=seed,
    )
    assert max(errors.values()) < gradcheck.PASS_THRESHOLD
    for mode in ("max", "average"):
        errors = gradcheck.check_pool_gradients(
            catalogue.pool_forward__batch_and_channels_vectorised,
            catalogue.pool_backward__route_to_argmax,
            mode=mode,
            seed=seed,
        )
        assert errors["dA_prev"] < gradcheck.PASS_THRESHOLD


def test_wrong_dW_is_flagged(capsys):
    errors = gradcheck.run_gradient_checks(
        reference.conv_forward,
        catalogue.conv_backward__averages_dW_over_batch,
        reference.pool_forward,
        reference.pool_backward,
    )
    assert errors["conv"]["dW"] > 1e-2
    assert errors["conv"]["dA_prev"] < gradcheck.PASS_THRESHOLD
    out = capsys.readouterr().out
    assert "DISAGREES" in out
    assert "conv dW" in out.splitlines()[-1]


@pytest.mark.parametrize(
    "mistake, mode",
    [
        (catalogue.pool_backward__average_without_dividing, "average"),
        (catalogue.pool_backward__max_spreads_to_whole_window, "max"),
        (catalogue.pool_backward__overwrites_instead_of_adding, "max"),  # the check's windows overlap
    ],
)
def test_wrong_pool_backward_is_flagged(mistake, mode):
    errors = gradcheck.check_pool_gradients(reference.pool_forward, mistake, mode=mode)
    assert errors["dA_prev"] > 1e-2


def test_wrong_shape_is_flagged(capsys):
    errors = gradcheck.check_conv_gradients(reference.conv_forward, catalogue.conv_backward__returns_padded_dA_prev)
    assert errors["dA_prev"] == float("inf")
    assert "must have shape" in capsys.readouterr().out
