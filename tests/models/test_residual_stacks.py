"""Tests of cnnbook.models.residual_stacks: gradients agree with finite differences, a residual block with zero
weights is the identity, the loss is right, and training lowers it."""

import numpy as np
import pytest

from cnnbook.assignments.w1a1_conv_numpy.gradcheck import numerical_gradient, relative_error
from cnnbook.models.residual_stacks import (
    init_stack,
    layer_gradient_norms,
    softmax_cross_entropy,
    stack_backward,
    stack_forward,
    train_stack,
)


def small_problem(seed=0, m=7, n_in=5):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(m, n_in)), rng.integers(0, 3, m)


def test_init_stack_shapes_and_scale():
    params = init_stack(10, 8, 3, 4, seed=1)
    assert len(params) == 2 + 2 * 3
    assert [W.shape for W, _ in params] == [(10, 8)] + [(8, 8)] * 6 + [(8, 4)]
    assert all(np.all(b == 0) for _, b in params)
    # Glorot uniform: |W| <= sqrt(6 / (n_prev + n))
    assert np.abs(params[0][0]).max() <= np.sqrt(6 / 18)
    assert np.abs(params[1][0]).max() <= np.sqrt(6 / 16)
    assert np.array_equal(init_stack(10, 8, 3, 4, seed=1)[2][0], params[2][0])


def test_softmax_cross_entropy_hand_computed():
    loss, dlogits = softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 2]))
    assert loss == pytest.approx(np.log(3))
    np.testing.assert_allclose(dlogits, np.array([[1 / 3 - 1, 1 / 3, 1 / 3], [1 / 3, 1 / 3, 1 / 3 - 1]]) / 2)
    # a confident right answer costs almost nothing, and huge logits do not overflow
    loss, _ = softmax_cross_entropy(np.array([[1000.0, 0.0, 0.0]]), np.array([0]))
    assert loss == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("residual", [False, True])
def test_backward_matches_finite_differences(residual):
    X, y = small_problem()
    params = init_stack(5, 4, 2, 3, seed=2)
    params = [(W, b + 0.05) for W, b in params]  # non-zero biases keep ReLUs away from their kink

    def loss():
        return softmax_cross_entropy(stack_forward(X, params, residual)[0], y)[0]

    logits, cache = stack_forward(X, params, residual)
    grads = stack_backward(softmax_cross_entropy(logits, y)[1], cache)
    for (W, b), (dW, db) in zip(params, grads):
        assert relative_error(numerical_gradient(loss, W), dW) < 1e-6
        assert relative_error(numerical_gradient(loss, b), db) < 1e-6


def test_residual_block_with_zero_weights_is_the_identity():
    X, _ = small_problem(m=4)
    deep = init_stack(5, 6, 3, 3, seed=3)
    for k in range(3):  # zero the second layer of every block
        W2, b2 = deep[2 + 2 * k]
        deep[2 + 2 * k] = (np.zeros_like(W2), np.zeros_like(b2))
    shallow = [deep[0], deep[-1]]  # the same stack without its blocks
    np.testing.assert_allclose(stack_forward(X, deep, residual=True)[0], stack_forward(X, shallow, residual=True)[0])
    # a plain stack with the same weights outputs only its biases: zero weights block the signal
    plain = stack_forward(X, deep, residual=False)[0]
    np.testing.assert_allclose(plain, np.broadcast_to(plain[0], plain.shape))


def test_gradients_vanish_in_a_deep_plain_stack_but_not_with_skips():
    X, y = small_problem(m=32, n_in=20)
    params = init_stack(20, 32, 20, 3, seed=4)
    plain = layer_gradient_norms(X, y, params, residual=False)
    residual = layer_gradient_norms(X, y, params, residual=True)
    assert plain.shape == residual.shape == (42,)
    # Glorot weights halve the signal's variance at each ReLU layer: after 40 of them nothing is left to learn from
    assert plain.max() < 1e-3 * residual.min()
    he = layer_gradient_norms(X, y, init_stack(20, 32, 20, 3, seed=4, init="he"), residual=False)
    assert he.min() > 1e3 * plain.max()


def test_he_initialisation_scale():
    W = init_stack(50, 50, 1, 2, seed=8, init="he", dtype=np.float32)[1][0]
    assert W.dtype == np.float32
    assert np.abs(W).max() <= np.sqrt(6 / 50) and np.abs(W).max() > np.sqrt(6 / 100)
    with pytest.raises(ValueError, match="init"):
        init_stack(5, 5, 1, 2, init="zeros")


def test_train_stack_lowers_the_loss_and_is_repeatable():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(120, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 1).astype(int)  # three classes
    runs = []
    for _ in range(2):
        params = init_stack(4, 16, 2, 3, seed=6)
        runs.append(train_stack(X, y, params, residual=True, epochs=30, learning_rate=1e-2, batch_size=32, seed=7))
    losses = runs[0]
    assert len(losses) == 30
    assert losses[-1] < 0.5 * losses[0]
    assert runs[0] == runs[1]
