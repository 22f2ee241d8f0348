"""Tests of cnnbook.figures.segmentation_maps."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnbook.data import SEGMENTATION_CLASSES  # noqa: E402
from cnnbook.figures.segmentation_maps import STREET_PALETTE, class_legend_handles, colorize_mask, show_segmentation  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_palette_has_one_distinct_colour_per_street_class():
    assert STREET_PALETTE.shape == (len(SEGMENTATION_CLASSES), 3)
    assert len({tuple(c) for c in STREET_PALETTE}) == len(SEGMENTATION_CLASSES)


def test_colorize_mask_paints_each_pixel_by_its_class():
    palette = np.array([[0, 0, 0], [255, 0, 0], [0, 0, 255]], np.uint8)
    rgb = colorize_mask(np.array([[0, 1], [2, 1]]), palette)
    assert rgb.shape == (2, 2, 3) and rgb.dtype == np.uint8
    np.testing.assert_array_equal(rgb, [[[0, 0, 0], [255, 0, 0]], [[0, 0, 255], [255, 0, 0]]])


def test_colorize_mask_names_the_fix_for_an_unknown_class():
    with pytest.raises(ValueError, match="palette"):
        colorize_mask(np.array([[0, 12]]))
    with pytest.raises(ValueError, match="n_H, n_W"):
        colorize_mask(np.zeros((2, 2, 1), int))


def test_legend_lists_only_the_classes_present():
    handles = class_legend_handles(SEGMENTATION_CLASSES, present=np.array([[4, 4], [0, 6]]))
    assert [h.get_label() for h in handles] == ["sky", "road", "car"]
    assert len(class_legend_handles(SEGMENTATION_CLASSES)) == 12


def test_show_segmentation_draws_image_and_masks():
    image = np.zeros((6, 8, 3), np.uint8)
    mask = np.zeros((6, 8), np.uint8)
    mask[3:, :] = 4
    axes = show_segmentation(image, [mask, mask], SEGMENTATION_CLASSES, titles=["a", "b", "c"])
    assert [ax.get_title() for ax in axes] == ["a", "b", "c"]
    np.testing.assert_array_equal(axes[1].images[0].get_array()[5, 0], STREET_PALETTE[4])
    assert len(show_segmentation(image, mask, SEGMENTATION_CLASSES)) == 2  # a single mask is accepted
    with pytest.raises(ValueError, match="titles"):
        show_segmentation(image, mask, SEGMENTATION_CLASSES, titles=["only one"])
