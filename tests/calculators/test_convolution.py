"""Unit tests of cnnbook.calculators.convolution against hand-computed cases: 2-D sizes and counts, cross-correlation,
and shapes, parameter counts and multiply-adds of 1D, 2D and 3D convolutions."""

import numpy as np
import pytest

from cnnbook.calculators.convolution import (
    conv_layer_params,
    conv_multiply_adds,
    conv_nd_output_shape,
    conv_nd_params,
    conv_output_shape,
    convolve2d,
    cross_correlate2d,
    dense_layer_params,
    output_size,
    pool_output_shape,
    same_padding,
)


@pytest.mark.parametrize(
    "n, f, stride, pad, expected",
    [
        (6, 3, 1, 0, 4),  # the classic valid case: 6 - 3 + 1
        (6, 3, 1, 1, 6),  # "same" padding keeps the size
        (7, 3, 2, 0, 3),  # (7 - 3)/2 + 1
        (7, 3, 2, 1, 4),  # (7 + 2 - 3)/2 + 1
        (6, 3, 2, 0, 2),  # floor((6 - 3)/2) + 1 = 1 + 1: the floor matters
        (32, 5, 1, 0, 28),  # LeNet's first convolution
        (28, 2, 2, 0, 14),  # 2x2 pooling with stride 2
        (5, 5, 1, 0, 1),  # the window covers the whole input
        (1, 3, 1, 1, 1),
    ],
)
def test_output_size_hand_computed(n, f, stride, pad, expected):
    assert output_size(n, f, stride, pad) == expected


@pytest.mark.parametrize("args", [(3, 5, 1, 0), (6, 0, 1, 0), (6, 3, 0, 0), (6, 3, 1, -1), (6.5, 3, 1, 0)])
def test_output_size_rejects_impossible_arguments(args):
    with pytest.raises(ValueError):
        output_size(*args)


def test_same_padding():
    assert [same_padding(f) for f in (1, 3, 5, 7)] == [0, 1, 2, 3]
    for f in (1, 3, 5, 7):
        assert output_size(10, f, 1, same_padding(f)) == 10
    with pytest.raises(ValueError):
        same_padding(4)


def test_shapes_of_lenet_like_network():
    shape = conv_output_shape((32, 32, 3), f=5, n_C=6)
    assert shape == (28, 28, 6)
    shape = pool_output_shape(shape, f=2, stride=2)
    assert shape == (14, 14, 6)
    shape = conv_output_shape(shape, f=5, n_C=16)
    assert shape == (10, 10, 16)
    assert pool_output_shape(shape, f=2, stride=2) == (5, 5, 16)
    assert conv_output_shape((39, 39, 3), f=5, n_C=20, stride=2, pad=0) == (18, 18, 20)


def test_parameter_counts():
    assert conv_layer_params(3, 3, 10) == 280  # (3*3*3 + 1) * 10
    assert conv_layer_params(5, 3, 6) == 456  # LeNet-like CONV1
    assert conv_layer_params(5, 6, 16) == 2416
    assert conv_layer_params(3, 3, 10, bias=False) == 270
    assert dense_layer_params(400, 120) == 48120
    assert dense_layer_params(12288, 1000) == 12_289_000
    assert dense_layer_params(4, 2, bias=False) == 8


def test_cross_correlation_hand_computed():
    x = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    w = np.array([[1, 0], [0, -1]])
    # top-left window: 1*1 + 5*(-1) = -4, and every window gives -4 on this ramp
    np.testing.assert_array_equal(cross_correlate2d(x, w), [[-4, -4], [-4, -4]])
    # convolution flips the kernel: 1*(-1) + 5*1 = 4
    np.testing.assert_array_equal(convolve2d(x, w), [[4, 4], [4, 4]])


def test_cross_correlation_detects_a_vertical_edge():
    x = np.array([[10, 10, 10, 0, 0, 0]] * 6)
    w = np.array([[1, 0, -1]] * 3)
    out = cross_correlate2d(x, w)
    assert out.shape == (4, 4)
    np.testing.assert_array_equal(out, [[0, 30, 30, 0]] * 4)


def test_cross_correlation_stride_and_padding_shapes():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(7, 9))
    for f, stride, pad in [(3, 1, 0), (3, 2, 1), (2, 2, 0), (5, 3, 2)]:
        out = cross_correlate2d(x, np.ones((f, f)), stride=stride, pad=pad)
        assert out.shape == (output_size(7, f, stride, pad), output_size(9, f, stride, pad))
    # with a 1x1 kernel, stride 2 keeps every other pixel
    np.testing.assert_allclose(cross_correlate2d(x, [[2.0]], stride=2), 2 * x[::2, ::2])
    # padding adds zeros: the top-left output of a padded all-ones sum sees only 4 real pixels
    ones = np.ones((4, 4))
    assert cross_correlate2d(ones, np.ones((3, 3)), pad=1)[0, 0] == 4


@pytest.mark.parametrize(
    "input_shape, f, n_C, stride, pad, expected",
    [
        ((14, 1), 5, 16, 1, 0, (10, 16)),  # 1D: 14 - 5 + 1
        ((1000, 12), 7, 32, 2, 3, (500, 32)),  # 12-lead signal: floor((1000 + 6 - 7) / 2) + 1
        ((32, 32, 3), 5, 6, 1, 0, (28, 28, 6)),  # week 1's LeNet
        ((14, 14, 14, 1), 5, 16, 1, 0, (10, 10, 10, 16)),  # 3D: every axis 14 - 5 + 1
        ((16, 112, 112, 3), 3, 64, 1, 1, (16, 112, 112, 64)),  # C3D's first layer, "same"
        ((16, 64, 64, 3), (3, 7, 7), 8, (1, 2, 2), (1, 3, 3), (16, 32, 32, 8)),  # a different window per axis
    ],
)
def test_output_shapes_hand_computed(input_shape, f, n_C, stride, pad, expected):
    assert conv_nd_output_shape(input_shape, f, n_C, stride, pad) == expected


def test_output_shape_rejects_wrong_tuples():
    with pytest.raises(ValueError, match="one value per spatial axis"):
        conv_nd_output_shape((16, 16, 16, 1), (3, 3), 4)
    with pytest.raises(ValueError, match="at least one spatial axis"):
        conv_nd_output_shape((3,), 3, 4)


@pytest.mark.parametrize(
    "f, n_C_prev, n_C, d, expected",
    [
        (5, 1, 16, 1, (5 * 1 + 1) * 16),  # 96
        (7, 12, 32, 1, (7 * 12 + 1) * 32),  # 2720
        (3, 3, 10, 2, (9 * 3 + 1) * 10),  # 280, as in week 1
        (5, 1, 16, 3, (125 + 1) * 16),  # 2016
        (3, 64, 128, 3, (27 * 64 + 1) * 128),  # 221312
        ((3, 7, 7), 3, 8, None, (147 * 3 + 1) * 8),  # 3536
    ],
)
def test_params_hand_computed(f, n_C_prev, n_C, d, expected):
    assert conv_nd_params(f, n_C_prev, n_C, d) == expected


def test_params_without_bias_and_bad_input():
    assert conv_nd_params(3, 2, 4, d=3, bias=False) == 27 * 2 * 4
    with pytest.raises(ValueError, match="spatial axes d"):
        conv_nd_params(3, 2, 4)
    with pytest.raises(ValueError, match="positive"):
        conv_nd_params((3, 0), 2, 4)


def test_multiplications_hand_computed():
    assert conv_multiply_adds((10, 16), 5, 1) == 10 * 16 * 5  # 800
    assert conv_multiply_adds((10, 10, 10, 16), 5, 1) == 16000 * 125  # 2,000,000
