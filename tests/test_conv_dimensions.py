"""Unit tests of cnnbook.conv_dimensions: 1D, 2D and 3D shapes and parameter counts worked out by hand."""
import pytest

from cnnbook.conv_dimensions import conv_nd_multiplications, conv_nd_output_shape, conv_nd_params


@pytest.mark.parametrize("input_shape, f, n_C, stride, pad, expected", [
    ((14, 1), 5, 16, 1, 0, (10, 16)),                 # 1D: 14 - 5 + 1
    ((1000, 12), 7, 32, 2, 3, (500, 32)),             # 12-lead signal: floor((1000 + 6 - 7) / 2) + 1
    ((32, 32, 3), 5, 6, 1, 0, (28, 28, 6)),           # week 1's LeNet
    ((14, 14, 14, 1), 5, 16, 1, 0, (10, 10, 10, 16)),  # 3D: every axis 14 - 5 + 1
    ((16, 112, 112, 3), 3, 64, 1, 1, (16, 112, 112, 64)),   # C3D's first layer, "same"
    ((16, 64, 64, 3), (3, 7, 7), 8, (1, 2, 2), (1, 3, 3), (16, 32, 32, 8)),  # a different window per axis
])
def test_output_shapes_hand_computed(input_shape, f, n_C, stride, pad, expected):
    assert conv_nd_output_shape(input_shape, f, n_C, stride, pad) == expected


def test_output_shape_rejects_wrong_tuples():
    with pytest.raises(ValueError, match="one value per spatial axis"):
        conv_nd_output_shape((16, 16, 16, 1), (3, 3), 4)
    with pytest.raises(ValueError, match="at least one spatial axis"):
        conv_nd_output_shape((3,), 3, 4)


@pytest.mark.parametrize("f, n_C_prev, n_C, d, expected", [
    (5, 1, 16, 1, (5 * 1 + 1) * 16),           # 96
    (7, 12, 32, 1, (7 * 12 + 1) * 32),         # 2720
    (3, 3, 10, 2, (9 * 3 + 1) * 10),           # 280, as in week 1
    (5, 1, 16, 3, (125 + 1) * 16),             # 2016
    (3, 64, 128, 3, (27 * 64 + 1) * 128),      # 221312
    ((3, 7, 7), 3, 8, None, (147 * 3 + 1) * 8),  # 3536
])
def test_params_hand_computed(f, n_C_prev, n_C, d, expected):
    assert conv_nd_params(f, n_C_prev, n_C, d) == expected


def test_params_without_bias_and_bad_input():
    assert conv_nd_params(3, 2, 4, d=3, bias=False) == 27 * 2 * 4
    with pytest.raises(ValueError, match="spatial axes d"):
        conv_nd_params(3, 2, 4)
    with pytest.raises(ValueError, match="positive"):
        conv_nd_params((3, 0), 2, 4)


def test_multiplications_hand_computed():
    assert conv_nd_multiplications((10, 16), 5, 1) == 10 * 16 * 5           # 800
    assert conv_nd_multiplications((10, 10, 10, 16), 5, 1) == 16000 * 125   # 2,000,000
