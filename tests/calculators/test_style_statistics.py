"""Unit tests of cnnbook.calculators.style_statistics on a 2x2x2 volume worked out by hand."""

import numpy as np
import pytest

from cnnbook.calculators.style_statistics import (
    content_cost,
    layer_style_cost,
    style_matrix,
    unroll_positions,
    weighted_style_cost,
)

# positions (0,0): [1, 2], (0,1): [0, 1], (1,0): [3, 0], (1,1): [1, 1]
A = np.array([[[1.0, 2.0], [0.0, 1.0]], [[3.0, 0.0], [1.0, 1.0]]])


def test_unroll_positions_keeps_channels_in_columns():
    np.testing.assert_array_equal(unroll_positions(A), [[1, 2], [0, 1], [3, 0], [1, 1]])


def test_style_matrix_hand_computed():
    # G00 = 1 + 0 + 9 + 1, G01 = 1*2 + 0*1 + 3*0 + 1*1, G11 = 4 + 1 + 0 + 1
    np.testing.assert_array_equal(style_matrix(A), [[11, 3], [3, 6]])


def test_style_matrix_ignores_where_features_are():
    rng = np.random.default_rng(0)
    a = rng.random((4, 5, 3))
    shuffled = unroll_positions(a)[rng.permutation(20)].reshape(5, 4, 3)  # same positions, new order and shape
    np.testing.assert_allclose(style_matrix(shuffled), style_matrix(a))
    assert not np.allclose(style_matrix(a), style_matrix(a * [1, 2, 1]))  # but a channel's strength matters


def test_content_cost_hand_computed():
    # the squares of A add up to 17; 4 n_H n_W n_C = 32
    assert content_cost(A, np.zeros_like(A)) == pytest.approx(17 / 32)
    assert content_cost(A, A) == 0.0
    assert content_cost(A, A + 1) == pytest.approx(8 / 32)


def test_content_cost_rejects_mismatched_layers():
    with pytest.raises(ValueError, match="same layer"):
        content_cost(A, np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match="one activation volume"):
        content_cost(A[None], A[None])


def test_layer_style_cost_hand_computed():
    # G_S = [[11, 3], [3, 6]], G_G = 0: sum of squares 121 + 9 + 9 + 36 = 175; 4 n_C^2 (n_H n_W)^2 = 4 * 4 * 16
    assert layer_style_cost(A, np.zeros_like(A)) == pytest.approx(175 / 256)
    # doubling the activations multiplies G by 4: the difference is 3 G_S
    assert layer_style_cost(A, 2 * A) == pytest.approx(9 * 175 / 256)
    assert layer_style_cost(A, A[::-1, ::-1]) == pytest.approx(0.0)  # flipped: same statistics


def test_weighted_style_cost_hand_computed():
    assert weighted_style_cost([1.0, 2.0, 3.0], [0.2, 0.3, 0.5]) == pytest.approx(2.3)
    with pytest.raises(ValueError, match="weights"):
        weighted_style_cost([1.0, 2.0], [1.0])
