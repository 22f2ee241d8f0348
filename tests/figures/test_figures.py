"""Smoke tests of the book's figure helpers: they return Axes and accept a range of shapes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from cnnbook.figures import draw_array_grid, draw_convolution_windows, draw_padding, draw_pooling  # noqa: E402
from cnnbook.figures.connection_diagrams import draw_connections  # noqa: E402
from cnnbook.figures.image_grids import show_feature_maps, show_images  # noqa: E402
from cnnbook.figures.volume_diagrams import draw_layer_stack, draw_volume_convolution  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("shape, pad", [((4, 4), 1), ((3, 5), 2), ((1, 1), 0), ((6, 6), 0)])
def test_draw_padding(shape, pad):
    ax = draw_padding(np.arange(np.prod(shape)).reshape(shape), pad)
    assert isinstance(ax, Axes)
    # one square per padded cell
    assert len(ax.patches) >= (shape[0] + 2 * pad) * (shape[1] + 2 * pad)


def test_draw_padding_on_given_axes_and_bad_input():
    _, given = plt.subplots()
    assert draw_padding(np.ones((2, 2)), 1, ax=given) is given
    with pytest.raises(ValueError):
        draw_padding(np.ones(4), 1)
    with pytest.raises(ValueError):
        draw_padding(np.ones((2, 2)), -1)


@pytest.mark.parametrize(
    "n, f, stride, pad", [(6, 3, 1, 0), (7, 3, 2, 1), (6, 3, 2, 0), (5, 5, 1, 0), (4, 1, 1, 0), (9, 2, 3, 2)]
)
def test_draw_convolution_windows(n, f, stride, pad):
    ax = draw_convolution_windows(n, f, stride=stride, pad=pad)
    assert isinstance(ax, Axes)
    n_out = (n + 2 * pad - f) // stride + 1
    assert f"= {n_out}$" in ax.get_title()


def test_draw_convolution_windows_rejects_a_window_that_does_not_fit():
    with pytest.raises(ValueError):
        draw_convolution_windows(3, 5)


@pytest.mark.parametrize(
    "shape, f, stride, mode",
    [
        ((4, 4), 2, 2, "max"),
        ((4, 4), 2, 2, "average"),
        ((5, 5), 3, 1, "max"),
        ((6, 4), 2, 1, "average"),
        ((5, 7), 3, 2, "max"),
        ((2, 2), 2, 2, "max"),
    ],
)
def test_draw_pooling(shape, f, stride, mode):
    x = np.random.default_rng(1).integers(0, 10, shape)
    axes = draw_pooling(x, f, stride, mode=mode)
    assert len(axes) == 2 and all(isinstance(ax, Axes) for ax in axes)
    assert mode in axes[1].get_title()


def test_draw_pooling_on_given_axes_and_bad_mode():
    _, pair = plt.subplots(1, 2)
    ax_in, ax_out = draw_pooling(np.ones((4, 4)), 2, 2, ax=pair)
    assert ax_in is pair[0] and ax_out is pair[1]
    with pytest.raises(ValueError):
        draw_pooling(np.ones((4, 4)), 2, 2, mode="median")


def test_draw_array_grid_with_colours():
    colors = np.full((2, 3), "#ff0000", dtype=object)
    ax = draw_array_grid(np.array([[1, 2.5, 3], [4, 5, 6]]), cell_colors=colors, title="t")
    assert isinstance(ax, Axes)
    assert [t.get_text() for t in ax.texts][:2] == ["1", "2.50"]


def test_show_images_and_feature_maps():
    rng = np.random.default_rng(2)
    axes = show_images(
        [rng.random((8, 8)), rng.random((8, 8, 3)), rng.normal(size=(6, 6))],
        titles=["a", "b", "c"],
        signed=[False, False, True],
        ncols=2,
    )
    assert len(axes) == 3 and all(isinstance(ax, Axes) for ax in axes)
    axes = show_feature_maps(rng.normal(size=(5, 5, 4)), signed=True)
    assert len(axes) == 4
    with pytest.raises(ValueError):
        show_feature_maps(rng.normal(size=(5, 5)))


def test_volume_diagrams():
    assert isinstance(draw_volume_convolution(6, 3, 3, 2), Axes)
    assert isinstance(draw_volume_convolution(5, 3, 1, 4), Axes)
    ax = draw_layer_stack([(32, 32, 3), (28, 28, 6), (400,), (10,)], ["in", "conv", "flat", "out"])
    assert isinstance(ax, Axes)
    with pytest.raises(ValueError):
        draw_layer_stack([(3, 3)])


@pytest.mark.parametrize("n_in, f", [(8, None), (8, 3), (5, 5), (1, 1)])
def test_draw_connections(n_in, f):
    assert isinstance(draw_connections(n_in, f), Axes)
