"""Unit tests of cnnbook.calculators.receptive_fields against receptive fields worked out by hand."""

import pytest

from cnnbook.calculators.receptive_fields import LayerGeometry, input_patch, keras_layer_specs, receptive_fields

CONV3 = (3, 1, 1)  # f, stride, pad of VGG's convolutions
POOL2 = (2, 2, 0)


def test_two_3x3_convolutions_see_5x5():
    conv1, conv2 = receptive_fields([("c1", *CONV3), ("c2", *CONV3)])
    assert (conv1.r, conv1.jump, conv1.start) == (3, 1, 0.0)
    assert (conv2.r, conv2.jump, conv2.start) == (5, 1, 0.0)


def test_vgg_first_blocks_hand_computed():
    specs = [
        ("b1c1", *CONV3),
        ("b1c2", *CONV3),
        ("b1p", *POOL2),
        ("b2c1", *CONV3),
        ("b2c2", *CONV3),
        ("b2p", *POOL2),
        ("b3c1", *CONV3),
    ]
    got = [(g.r, g.jump, g.start) for g in receptive_fields(specs)]
    # pool1: 5 + 1 = 6, jump 2, unit 0 between pixels 0 and 1; b2c1: 6 + 2*2 = 10; b2c2: 14; pool2: 14 + 2 = 16,
    # jump 4, start 0.5 + 0.5 * 2 = 1.5; b3c1: 16 + 2*4 = 24
    assert got == [(3, 1, 0.0), (5, 1, 0.0), (6, 2, 0.5), (10, 2, 0.5), (14, 2, 0.5), (16, 4, 1.5), (24, 4, 1.5)]


def test_strided_valid_convolution():
    # a 7x7 stride-2 convolution without padding, then a 3x3 stride-2 one: r = 7 + 2*2 = 11, jump 4
    first, second = receptive_fields([("a", 7, 2, 0), ("b", 3, 2, 0)])
    assert (first.r, first.jump, first.start) == (7, 2, 3.0)  # unit 0 is centred on pixel 3
    assert (second.r, second.jump, second.start) == (11, 4, 5.0)  # on the centre of first-layer unit 1


def test_receptive_fields_rejects_bad_layers():
    with pytest.raises(ValueError, match="layer bad"):
        receptive_fields([("bad", 3, 0, 1)])


def test_input_patch_inside_and_at_the_border():
    pool1 = LayerGeometry("b1p", 6, 2, 0.5)
    assert input_patch(0, 0, pool1, 32, 32) == (0, 0, 4, 4)  # pixels -2..3, clipped to 0..3
    assert input_patch(5, 3, pool1, 32, 32) == (8, 4, 14, 10)  # centres 10.5 and 6.5: pixels 8..13, 4..9
    assert input_patch(15, 15, pool1, 32, 32) == (28, 28, 32, 32)  # pixels 28..33, clipped to 31


def test_keras_layer_specs_reads_windows_strides_and_padding():
    keras = pytest.importorskip("keras")
    model = keras.Sequential(
        [
            keras.Input((32, 32, 3)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Conv2D(4, 5, strides=2, padding="same", name="stem"),
            keras.layers.BatchNormalization(),
            keras.layers.Conv2D(4, 3, padding="same", name="conv"),
            keras.layers.MaxPooling2D(2, name="pool"),
            keras.layers.Conv2D(4, 3, padding="valid", name="valid"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(2),
        ]
    )
    assert keras_layer_specs(model) == [("stem", 5, 2, 1), ("conv", 3, 1, 1), ("pool", 2, 2, 0), ("valid", 3, 1, 0)]
