"""Tests of cnnbook.figures.embedding_plots: each figure draws what it is given, on given or new Axes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from cnnbook.figures.embedding_plots import (  # noqa: E402
    draw_distance_histograms,
    draw_embedding_map,
    draw_roc_curve,
    draw_siamese_diagram,
    draw_triplet_hinge,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_triplet_hinge_is_zero_left_of_minus_alpha_and_linear_after():
    ax = draw_triplet_hinge(alpha=0.2)
    x, y = ax.lines[0].get_data()
    np.testing.assert_allclose(y[x <= -0.2], 0.0)
    right = x > -0.2
    np.testing.assert_allclose(y[right], x[right] + 0.2)  # slope 1, crossing zero at -alpha


def test_distance_histograms_have_unit_area_and_the_threshold_line():
    rng = np.random.default_rng(0)
    _, ax = plt.subplots()
    assert draw_distance_histograms(rng.uniform(0, 0.8, 300), rng.uniform(0.6, 2, 500), threshold=0.7, ax=ax) is ax
    for container in ax.containers:  # one bar container per histogram
        widths = np.array([bar.get_width() for bar in container])
        heights = np.array([bar.get_height() for bar in container])
        assert np.sum(widths * heights) == pytest.approx(1.0)
    assert [line.get_xdata()[0] for line in ax.lines] == [0.7]
    assert "300 pairs" in ax.get_legend().get_texts()[0].get_text()


def test_roc_curve_draws_the_points_and_marks_the_operating_point():
    far, tar = np.array([0, 0.1, 0.5, 1]), np.array([0, 0.8, 0.95, 1])
    ax = draw_roc_curve(far, tar, label="model", point=(0.1, 0.8))
    curve, diagonal, point = ax.lines
    np.testing.assert_array_equal(curve.get_xdata(), far)
    np.testing.assert_array_equal(curve.get_ydata(), tar)
    np.testing.assert_array_equal(diagonal.get_xdata(), [0, 1])
    assert (point.get_xdata()[0], point.get_ydata()[0]) == (0.1, 0.8)


def test_roc_curve_on_a_log_axis_drops_zero_rates():
    ax = draw_roc_curve([0, 0.01, 1], [0, 0.5, 1], log_x=True)
    assert ax.get_xscale() == "log"
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0.01, 1])


def test_embedding_map_colours_each_label_and_checks_shapes():
    points = np.array([[0, 0], [1, 1], [5, 5], [6, 5]])
    ax = draw_embedding_map(points, np.array([3, 3, 8, 8]))
    assert len(ax.collections) == 2  # one scatter per person
    np.testing.assert_array_equal(ax.collections[1].get_offsets(), [[5, 5], [6, 5]])
    with pytest.raises(ValueError, match="points"):
        draw_embedding_map(points[:, :1], np.zeros(4))


def test_embedding_map_with_thumbnails():
    images = np.zeros((4, 8, 8, 3))
    ax = draw_embedding_map(np.random.default_rng(0).random((4, 2)), np.arange(4), images=images)
    assert len(ax.artists) == 4


def test_siamese_diagram_shows_both_faces_and_the_distance():
    faces = np.zeros((2, 12, 12, 3))
    encodings = np.random.default_rng(0).normal(size=(2, 16))
    ax = draw_siamese_diagram(faces[0], faces[1], encodings[0], encodings[1], distance=0.42)
    assert isinstance(ax, Axes) and len(ax.images) == 2
    assert any("0.42" in text.get_text() for text in ax.texts)
