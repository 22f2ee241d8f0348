"""Tests of cnnbook.figures.unet_diagrams: the U-Net's shapes, computed by hand, and its diagram."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from cnnbook.figures.unet_diagrams import draw_unet, unet_shapes  # noqa: E402


def test_unet_shapes_of_the_course_unet():
    shapes = unet_shapes((96, 128), n_filters=32, depth=4, n_classes=12)
    assert shapes["down"] == [(96, 128, 32), (48, 64, 64), (24, 32, 128), (12, 16, 256)]
    assert shapes["bottleneck"] == (6, 8, 512)
    assert shapes["up"] == [(12, 16, 256), (24, 32, 128), (48, 64, 64), (96, 128, 32)]
    assert shapes["output"] == (96, 128, 12)


def test_unet_shapes_small():
    shapes = unet_shapes((8, 4), n_filters=2, depth=2, n_classes=3)
    assert shapes["down"] == [(8, 4, 2), (4, 2, 4)]
    assert shapes["bottleneck"] == (2, 1, 8)


def test_unet_shapes_refuse_sizes_that_pooling_cannot_halve():
    with pytest.raises(ValueError, match="divisible"):
        unet_shapes((100, 128), depth=4)  # 100 / 16 is not whole


def test_draw_unet_labels_every_level():
    ax = draw_unet((96, 128), 32, 4, 12)
    assert isinstance(ax, Axes)
    texts = {t.get_text() for t in ax.texts}
    assert {"96×128", "48×64", "24×32", "12×16", "6×8  bottleneck", "512", "12"} <= texts
    plt.close("all")


def test_draw_unet_draws_every_convolution_once():
    from matplotlib.colors import to_hex
    from matplotlib.patches import Rectangle

    from cnnbook.figures.unet_diagrams import CONV_COLOR, SKIP_COLOR, UP_COLOR

    ax = draw_unet((32, 32), 4, depth=2, n_classes=3)
    faces = [to_hex(p.get_facecolor()) for p in ax.patches if isinstance(p, Rectangle)]
    # two per down level (4), two in the bottleneck, two per up level (4), one before the 1 x 1 conv: 11
    assert faces.count(to_hex(CONV_COLOR)) == 11
    assert faces.count(to_hex(UP_COLOR)) == faces.count(to_hex(SKIP_COLOR)) == 2  # one per up level
    plt.close("all")
