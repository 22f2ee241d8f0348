"""Tests of cnnbook.figures.detection_diagrams: what each helper draws, checked on the Axes it returns."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from cnnbook.figures.detection_diagrams import (  # noqa: E402
    CLASS_COLORS,
    class_color,
    draw_anchor_boxes,
    draw_box_parameters,
    draw_grid,
    draw_labelled_boxes,
    draw_overlap,
    draw_window_outputs,
    show_detections,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def outlines(ax):
    """The unfilled rectangles on ax, as (x, y, width, height) tuples."""
    return [
        (p.get_x(), p.get_y(), p.get_width(), p.get_height())
        for p in ax.patches
        if isinstance(p, Rectangle) and not p.get_fill()
    ]


def test_labelled_boxes_are_placed_from_corner_boxes():
    _, ax = plt.subplots()
    boxes = np.array([[10, 20, 30, 60], [0, 0, 5, 5]])  # (y1, x1, y2, x2)
    draw_labelled_boxes(ax, boxes, classes=[1, 0], class_names=["car", "bus"], scores=[0.876, 0.5])
    # Rectangle takes (x, y) of its corner, then width and height: the (y, x) order must be swapped
    assert outlines(ax) == [(20, 10, 40, 20), (0, 0, 5, 5)]
    assert [t.get_text() for t in ax.texts] == ["bus 0.88", "car 0.50"]
    edge = ax.patches[0].get_edgecolor()
    assert mcolors.to_hex(edge) == mcolors.to_hex(CLASS_COLORS[1])


def test_tags_name_the_class_index_without_names_and_can_be_switched_off():
    _, ax = plt.subplots()
    draw_labelled_boxes(ax, [[0, 0, 1, 1]], classes=[9])
    assert ax.texts[0].get_text() == "9"
    assert class_color(9) == CLASS_COLORS[9 % len(CLASS_COLORS)]
    _, ax = plt.subplots()
    draw_labelled_boxes(ax, [[0, 0, 1, 1]], classes=[0], scores=[1.0], tags=False)
    assert not ax.texts and len(outlines(ax)) == 1


def test_per_box_alpha_and_colours():
    _, ax = plt.subplots()
    draw_labelled_boxes(ax, [[0, 0, 1, 1], [0, 0, 2, 2]], alpha=[0.2, 0.9], colors=["red", "blue"])
    assert [p.get_alpha() for p in ax.patches] == [0.2, 0.9]
    assert mcolors.to_hex(ax.patches[1].get_edgecolor()) == mcolors.to_hex("blue")


def test_mismatched_lengths_are_refused():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="classes"):
        draw_labelled_boxes(ax, [[0, 0, 1, 1]], classes=[0, 1])
    with pytest.raises(ValueError, match="scores"):
        draw_labelled_boxes(ax, [[0, 0, 1, 1]], scores=[0.1, 0.2])
    with pytest.raises(ValueError, match="alpha"):
        draw_labelled_boxes(ax, [[0, 0, 1, 1]], alpha=[0.1, 0.2])


def test_show_detections_shows_the_image_and_clips_to_it():
    image = np.zeros((40, 60, 3), np.uint8)
    ax = show_detections(image, [[-5, -5, 50, 70]], [0], ["car"], [0.7], title="t")
    assert len(ax.images) == 1
    assert ax.get_xlim() == (-0.5, 59.5) and ax.get_ylim() == (39.5, -0.5)  # y down, as in the image
    assert ax.get_title() == "t"
    assert ax.texts[0].get_text() == "car 0.70"
    with pytest.raises(ValueError):
        show_detections(np.zeros(5), [])


def test_show_detections_with_no_boxes():
    ax = show_detections(np.zeros((8, 8, 3)), np.zeros((0, 4)))
    assert outlines(ax) == []


def test_grid_has_S_minus_one_lines_each_way():
    _, ax = plt.subplots()
    draw_grid(ax, 128, 64, 4)
    assert len(ax.lines) == 6
    horizontal = sorted(line.get_ydata()[0] for line in ax.lines if line.get_ydata()[0] == line.get_ydata()[1])
    assert horizontal == [31.5, 63.5, 95.5]  # every 32 pixels, on pixel edges


def test_anchor_boxes_share_the_centre():
    _, ax = plt.subplots()
    draw_anchor_boxes(ax, (10, 20), [[4, 2], [2, 6]], labels=["a", "b"])
    assert outlines(ax) == [(8, 19, 4, 2), (9, 17, 2, 6)]
    assert [t.get_text() for t in ax.texts] == ["a", "b"]


@pytest.mark.parametrize(
    "box_a, box_b, expected, shaded",
    [
        ([0, 0, 2, 2], [1, 1, 3, 3], 1 / 7, True),
        ([0, 0, 2, 2], [0, 2, 2, 4], 0.0, False),  # touching edges: no intersection to shade
        ([0, 0, 4, 4], [1, 1, 3, 3], 0.25, True),
    ],
)
def test_overlap_returns_the_iou_and_shades_the_intersection(box_a, box_b, expected, shaded):
    _, ax = plt.subplots()
    assert draw_overlap(ax, box_a, box_b) == pytest.approx(expected)
    assert len(ax.patches) == 2 + shaded
    assert f"IoU = {expected:.3f}" in ax.get_title()


def test_box_parameters_returns_the_centre_box():
    _, ax = plt.subplots()
    np.testing.assert_allclose(draw_box_parameters(ax, [10, 20, 30, 60]), [40, 20, 40, 20])
    assert {"$(b_x, b_y)$", "$b_w$", "$b_h$"} <= {t.get_text() for t in ax.texts}


@pytest.mark.parametrize("n, f, stride, n_out", [(16, 14, 2, 2), (28, 14, 2, 8), (6, 3, 3, 2)])
def test_window_outputs_draw_one_window_and_one_cell_per_output(n, f, stride, n_out):
    _, (ax_in, ax_out) = plt.subplots(1, 2)
    assert draw_window_outputs(ax_in, ax_out, n, f, stride) == n_out
    windows = outlines(ax_in)
    assert len(windows) == n_out * n_out
    # the window of output (i, j) starts at (j s, i s) (plus a small inset) and is about f wide
    x, y, w, _ = windows[-1]
    assert x == pytest.approx((n_out - 1) * stride, abs=0.5) and y == pytest.approx((n_out - 1) * stride, abs=0.5)
    assert f - 1 <= w <= f
    assert len(ax_out.patches) == n_out * n_out
