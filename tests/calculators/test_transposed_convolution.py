"""Unit tests of cnnbook.calculators.transposed_convolution against hand-computed stamps."""

import numpy as np
import pytest

from cnnbook.calculators.convolution import output_size
from cnnbook.calculators.transposed_convolution import transposed_conv2d, transposed_output_size, transposed_stamps


@pytest.mark.parametrize(
    "n, f, stride, pad, expected",
    [
        (2, 3, 2, 0, 5),  # (2 - 1) * 2 + 3
        (2, 4, 2, 1, 4),  # (2 - 1) * 2 - 2 + 4: the 2x2 -> 4x4 example of the book
        (2, 2, 2, 0, 4),  # stamps side by side, no overlap
        (3, 3, 1, 1, 3),  # stride 1 and p = 1 keep the size, as a same convolution does
        (6, 3, 2, 0, 13),
        (1, 5, 3, 0, 5),  # a single value stamps the filter once
    ],
)
def test_output_size_hand_computed(n, f, stride, pad, expected):
    assert transposed_output_size(n, f, stride, pad) == expected


def test_output_size_undoes_the_shape_of_a_convolution():
    # a convolution maps a side of m to n; the transposed convolution with the same f, s, p maps n back to m
    for m, f, s, p in [(4, 4, 2, 1), (7, 3, 2, 0), (5, 3, 1, 1), (9, 5, 2, 2)]:
        n = output_size(m, f, s, p)
        assert transposed_output_size(n, f, s, p) == m


@pytest.mark.parametrize("args", [(0, 3, 1, 0), (2, 3, 0, 0), (2, 3, 2, -1), (2, 2, 1, 2), (2.5, 3, 1, 0)])
def test_output_size_rejects_impossible_arguments(args):
    with pytest.raises(ValueError):
        transposed_output_size(*args)


def test_stamps_are_scaled_filters_at_stride_offsets():
    x = np.array([[1, 2], [3, 4]])
    W = np.array([[1, 0], [0, 1]])
    stamps = transposed_stamps(x, W, stride=1)
    assert stamps.shape == (2, 2, 3, 3)
    np.testing.assert_array_equal(stamps[0, 1], [[0, 2, 0], [0, 0, 2], [0, 0, 0]])
    np.testing.assert_array_equal(stamps[1, 0], [[0, 0, 0], [3, 0, 0], [0, 3, 0]])


def test_transposed_conv_hand_computed_with_overlap():
    # 2x2 input, 3x3 filter of ones, stride 2: the stamps overlap on the middle row and column
    x = np.array([[1, 2], [3, 4]])
    out = transposed_conv2d(x, np.ones((3, 3)), stride=2)
    np.testing.assert_array_equal(
        out, [[1, 1, 3, 2, 2], [1, 1, 3, 2, 2], [4, 4, 10, 6, 6], [3, 3, 7, 4, 4], [3, 3, 7, 4, 4]]
    )
    # p = 1 crops one ring: the middle 3 x 3
    np.testing.assert_array_equal(transposed_conv2d(x, np.ones((3, 3)), stride=2, pad=1), out[1:4, 1:4])


def test_transposed_conv_without_overlap_repeats_scaled_filters():
    x = np.array([[1, -1], [2, 0]])
    W = np.array([[1, 2], [3, 4]])
    np.testing.assert_array_equal(
        transposed_conv2d(x, W, stride=2), [[1, 2, -1, -2], [3, 4, -3, -4], [2, 4, 0, 0], [6, 8, 0, 0]]
    )


def test_transposed_conv_is_the_transpose_of_the_convolution_matrix():
    # <conv(a), y> = <a, conv_transpose(y)> for every a and y: the defining property of a transpose
    rng = np.random.default_rng(3)
    W = rng.normal(size=(3, 3))
    a, y = rng.normal(size=(5, 5)), rng.normal(size=(2, 2))
    conv = np.array([[np.sum(a[i * 2 : i * 2 + 3, j * 2 : j * 2 + 3] * W) for j in range(2)] for i in range(2)])
    assert np.sum(conv * y) == pytest.approx(np.sum(a * transposed_conv2d(y, W, stride=2)))


def test_rejects_bad_shapes():
    with pytest.raises(ValueError):
        transposed_stamps(np.ones(3), np.ones((2, 2)))
    with pytest.raises(ValueError):
        transposed_stamps(np.ones((2, 2)), np.ones((2, 3)))
