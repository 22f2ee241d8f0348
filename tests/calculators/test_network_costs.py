"""Unit tests of cnnbook.calculators.network_costs: hand-computed costs of layers and blocks, published totals of
classic networks, and Keras's own counts for two of them."""

import os

import pytest

from cnnbook.calculators.convolution import conv_multiply_adds
from cnnbook.calculators.network_costs import (
    ALEXNET,
    LENET5,
    VGG16,
    Conv,
    Dense,
    Flatten,
    Pool,
    bottleneck_cost,
    compound_scaling,
    conv_cost,
    dense_cost,
    depthwise_conv_cost,
    inception_module_cost,
    inverted_residual_cost,
    make_divisible,
    padded_output_size,
    pool_cost,
    scaled_cost_factor,
    separable_conv_cost,
    separable_cost_ratio,
    total_cost,
    trace_mobilenet_v2,
    trace_network,
)


@pytest.mark.parametrize(
    "n, f, stride, padding, expected",
    [
        (6, 3, 1, "valid", 4),
        (6, 3, 1, "same", 6),
        (7, 3, 2, "same", 4),  # ceil(7 / 2)
        (224, 3, 2, "same", 112),
        (227, 11, 4, "valid", 55),  # (227 - 11) / 4 + 1
        (7, 3, 2, 1, 4),  # a number of pixels: the output-size formula
    ],
)
def test_padded_output_size(n, f, stride, padding, expected):
    assert padded_output_size(n, f, stride, padding) == expected


def test_padded_output_size_rejects_unknown_padding():
    with pytest.raises(ValueError, match="padding"):
        padded_output_size(6, 3, 1, "full")


def test_conv_cost_hand_computed():
    # 28x28x192 -> 32 filters 5x5 "same": 28*28*32 outputs, each 5*5*192 multiply-adds
    cost = conv_cost((28, 28, 192), 5, 32, padding="same")
    assert cost.output_shape == (28, 28, 32)
    assert cost.multiply_adds == 120_422_400
    assert cost.params == (5 * 5 * 192 + 1) * 32 == 153_632
    assert conv_multiply_adds((4, 4, 5), 3, 3) == 2160
    assert conv_cost((6, 6, 3), 3, 5, bias=False).params == 135
    with pytest.raises(ValueError):
        conv_cost((28, 28), 3, 8)


def test_bottleneck_cost_hand_computed():
    # 1x1 down to 16 channels: 28*28*16*192 = 2,408,448; then 5x5 to 32: 28*28*32*25*16 = 10,035,200
    cost = bottleneck_cost((28, 28, 192), 16, 5, 32)
    assert cost.output_shape == (28, 28, 32)
    assert cost.multiply_adds == 12_443_648
    assert cost.params == (192 + 1) * 16 + (25 * 16 + 1) * 32 == 15_920


def test_depthwise_and_separable_costs_hand_computed():
    # 6x6x3 input, 3x3 filters, 5 output channels, no padding: output 4x4x5
    depthwise = depthwise_conv_cost((6, 6, 3), 3, padding="valid", bias=False)
    assert depthwise.output_shape == (4, 4, 3)
    assert depthwise.multiply_adds == 4 * 4 * 3 * 9 == 432
    assert depthwise.params == 27
    separable = separable_conv_cost((6, 6, 3), 3, 5, padding="valid", bias=False)
    assert separable.output_shape == (4, 4, 5)
    assert separable.multiply_adds == 432 + 4 * 4 * 5 * 3 == 672
    assert separable.params == 27 + 15
    assert depthwise_conv_cost((8, 8, 4), 3, stride=2).params == (9 + 1) * 4


@pytest.mark.parametrize("input_shape, f, n_C", [((6, 6, 3), 3, 5), ((56, 56, 64), 3, 128), ((14, 14, 512), 5, 512)])
def test_separable_cost_ratio_matches_the_counts(input_shape, f, n_C):
    normal = conv_cost(input_shape, f, n_C, padding="same", bias=False).multiply_adds
    separable = separable_conv_cost(input_shape, f, n_C, padding="same", bias=False).multiply_adds
    assert separable / normal == pytest.approx(separable_cost_ratio(f, n_C))


def test_separable_cost_ratio_hand_computed():
    assert separable_cost_ratio(3, 5) == pytest.approx(1 / 5 + 1 / 9)
    assert separable_cost_ratio(3, 256) == pytest.approx(0.11502, abs=1e-5)


def test_dense_and_pool_costs():
    assert dense_cost(400, 120) == ((120,), 48_120, 48_000)
    assert pool_cost((28, 28, 6), 2, 2) == ((14, 14, 6), 0, 0)
    assert pool_cost((55, 55, 96), 3, 2).output_shape == (27, 27, 96)


def test_lenet5_hand_computed():
    rows = trace_network((32, 32, 1), LENET5)
    shapes = [cost.output_shape for _, cost in rows]
    assert shapes == [(28, 28, 6), (14, 14, 6), (10, 10, 16), (5, 5, 16), (400,), (120,), (84,), (10,)]
    assert [cost.params for _, cost in rows] == [156, 0, 2416, 0, 0, 48_120, 10_164, 850]
    # 28*28*6*25 + 10*10*16*150 + 400*120 + 120*84 + 84*10
    assert total_cost(rows) == (61_706, 117_600 + 240_000 + 48_000 + 10_080 + 840)


def test_alexnet_hand_computed():
    rows = dict(trace_network((227, 227, 3), ALEXNET))
    assert rows["conv1 11x11/4"].output_shape == (55, 55, 96)
    assert rows["conv1 11x11/4"].params == (11 * 11 * 3 + 1) * 96 == 34_944
    assert rows["flatten"].output_shape == (6 * 6 * 256,)
    assert rows["fc6"].params == (9216 + 1) * 4096
    params, multiply_adds = total_cost(trace_network((227, 227, 3), ALEXNET))
    assert params == 62_378_344  # the "about 60 million" of the paper, one tower
    assert 1.0e9 < multiply_adds < 1.2e9


def test_vgg16_published_counts():
    rows = trace_network((224, 224, 3), VGG16)
    named = dict(rows)
    assert named["block1_conv1"].multiply_adds == 224 * 224 * 64 * 27
    assert named["block5_pool"].output_shape == (7, 7, 512)
    assert named["fc1"].params == (25_088 + 1) * 4096
    params, multiply_adds = total_cost(rows)
    assert params == 138_357_544  # Simonyan and Zisserman; Keras's VGG16
    assert multiply_adds == pytest.approx(15.5e9, rel=0.01)
    assert len([r for r in VGG16 if isinstance(r, (Conv, Dense))]) == 16


def test_trace_network_errors_are_clear():
    with pytest.raises(ValueError, match="Flatten"):
        trace_network((8, 8, 3), [Conv(4, 3), Dense(10)])
    with pytest.raises(TypeError, match="unknown layer"):
        trace_network((8, 8, 3), ["conv"])
    assert trace_network((8, 8, 3), [Pool(2, 2), Flatten()])[-1][1].output_shape == (48,)


def test_inception_module_hand_computed():
    # GoogLeNet's module 3a on 28x28x192
    module = inception_module_cost((28, 28, 192), 64, 128, 32, n_3x3_reduce=96, n_5x5_reduce=16, n_pool_proj=32)
    assert module["total"].output_shape == (28, 28, 256)
    assert module["1x1"].multiply_adds == 784 * 64 * 192
    assert module["3x3"].multiply_adds == 784 * 96 * 192 + 784 * 128 * 9 * 96
    assert module["pool"].multiply_adds == 784 * 32 * 192
    assert module["total"].multiply_adds == 128_049_152
    assert module["total"].params == 12_352 + 18_528 + 110_720 + 3_088 + 12_832 + 6_176
    naive = inception_module_cost((28, 28, 192), 64, 128, 32)
    assert naive["total"].output_shape == (28, 28, 64 + 128 + 32 + 192)  # pooling keeps 192 channels
    assert naive["pool"].params == 0
    assert naive["total"].multiply_adds == 9_633_792 + 173_408_256 + 120_422_400


def test_make_divisible():
    assert [make_divisible(v) for v in (32, 16, 11.2, 5.6, 44.8, 1280)] == [32, 16, 16, 8, 48, 1280]
    assert make_divisible(0.75 * 24) == 24  # 18 -> 16 would lose more than 10%


def test_inverted_residual_hand_computed():
    # 56x56x24 -> 24 channels, expansion 6, stride 1 (MobileNetV2's block 2)
    cost = inverted_residual_cost((56, 56, 24), 24, 6)
    assert cost.output_shape == (56, 56, 24)
    # expand 24*144 + BN 4*144, depthwise 9*144 + BN 4*144, project 144*24 + BN 4*24
    assert cost.params == 3456 + 576 + 1296 + 576 + 3456 + 96
    assert cost.multiply_adds == 56 * 56 * 144 * 24 * 2 + 56 * 56 * 144 * 9
    # no expansion layer when t = 1 (block 0): depthwise 9*32 + 128, project 32*16 + 64
    first = inverted_residual_cost((112, 112, 32), 16, 1)
    assert first.params == 288 + 128 + 512 + 64
    assert inverted_residual_cost((56, 56, 24), 32, 6, stride=2).output_shape == (28, 28, 32)
    assert inverted_residual_cost((56, 56, 24), 24, 6, batch_norm=False).params == 3456 + 1296 + 3456


def test_mobilenet_v2_published_counts():
    # Keras's MobileNetV2(weights=None) at alpha 1: 3,538,984 with the top, 2,257,984 without
    assert total_cost(trace_mobilenet_v2())[0] == 3_538_984
    assert total_cost(trace_mobilenet_v2((160, 160, 3), include_top=False))[0] == 2_257_984
    rows = trace_mobilenet_v2()
    assert len(rows) == 1 + 17 + 3
    assert rows[-3][1].output_shape == (7, 7, 1280)
    assert total_cost(rows)[1] == pytest.approx(300e6, rel=0.02)  # "300M multiply-adds" (Sandler et al.)


def test_scaling_factors():
    depth, width, resolution = compound_scaling(1)
    assert (depth, width, resolution) == pytest.approx((1.2, 1.1, 1.15))
    assert scaled_cost_factor(depth, width, resolution) == pytest.approx(1.2 * 1.21 * 1.3225)
    assert compound_scaling(0) == (1.0, 1.0, 1.0)
    assert scaled_cost_factor(2, 1, 1) == 2 and scaled_cost_factor(1, 2, 1) == 4 and scaled_cost_factor(1, 1, 2) == 4
    with pytest.raises(ValueError):
        scaled_cost_factor(width=0)


def test_scaled_cost_factor_predicts_a_traced_network():
    # Doubling the width of every layer but the input quadruples the middle layers' cost.
    def stack(width):
        return [Conv(16 * width, 3, padding="same"), Conv(16 * width, 3, padding="same")]

    base, wide = (trace_network((32, 32, 3), stack(w)) for w in (1, 2))
    assert wide[1][1].multiply_adds == scaled_cost_factor(width=2) * base[1][1].multiply_adds
    assert wide[0][1].multiply_adds == 2 * base[0][1].multiply_adds  # the input keeps its 3 channels


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def test_lenet5_matches_keras(keras):
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input((32, 32, 1)),
            layers.Conv2D(6, 5),
            layers.AveragePooling2D(2),
            layers.Conv2D(16, 5),
            layers.AveragePooling2D(2),
            layers.Flatten(),
            layers.Dense(120),
            layers.Dense(84),
            layers.Dense(10),
        ]
    )
    rows = trace_network((32, 32, 1), LENET5)
    assert [layer.count_params() for layer in model.layers] == [cost.params for _, cost in rows]
    assert [tuple(layer.output.shape[1:]) for layer in model.layers] == [cost.output_shape for _, cost in rows]


@pytest.mark.parametrize("input_shape, alpha, include_top", [((96, 96, 3), 0.35, False), ((64, 64, 3), 0.5, True)])
def test_mobilenet_v2_matches_keras(keras, input_shape, alpha, include_top):
    model = keras.applications.MobileNetV2(
        input_shape=input_shape, alpha=alpha, include_top=include_top, weights=None, classes=6
    )
    rows = trace_mobilenet_v2(input_shape, alpha=alpha, include_top=include_top, classes=6)
    assert total_cost(rows)[0] == model.count_params()
    assert tuple(model.output.shape[1:]) == rows[-1][1].output_shape
