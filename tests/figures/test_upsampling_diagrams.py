"""Tests of cnnbook.figures.upsampling_diagrams: the stamps drawn are the ones the arithmetic gives."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnbook.figures.upsampling_diagrams import draw_transposed_convolution  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_stamp_panels_and_the_sum():
    x = np.array([[1, 2], [3, 4]])
    W = np.ones((3, 3))
    ax_input, stamps, ax_sum = draw_transposed_convolution(x, W, stride=2)
    assert stamps.shape == (2, 2)
    # the stamp of x[0, 1] = 2 fills rows 0-2 and columns 2-4 of the 5x5 output: 9 cells labelled 2
    assert [t.get_text() for t in stamps[0, 1].texts].count("2") == 9
    assert stamps[0, 1].get_title() == "x[0,1] = 2 times W"
    # the centre of the sum is covered by all four stamps: 1 + 2 + 3 + 4
    assert "10" in [t.get_text() for t in ax_sum.texts]
    assert ax_sum.get_title() == "sum: 5×5"


def test_padding_is_shown_as_a_crop():
    _, _, ax_sum = draw_transposed_convolution(np.ones((2, 2)), np.ones((4, 4)), stride=2, pad=1)
    assert ax_sum.get_title() == "sum, cropped by p = 1: 4×4"
    with pytest.raises(ValueError):
        draw_transposed_convolution(np.ones((2, 2)), np.ones((2, 2)), stride=1, pad=2)
