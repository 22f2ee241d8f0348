"""Unit tests of cnnbook.calculators.box_geometry against hand-computed boxes."""

import numpy as np
import pytest

from cnnbook.calculators.box_geometry import (
    box_areas,
    centred_iou,
    centres_to_corners,
    corners_to_centres,
    encode_on_grid,
    pairwise_intersections,
    pairwise_iou,
)


def test_corners_to_centres_hand_computed():
    # y from 10 to 30, x from 20 to 60: centre (40, 20), width 40, height 20
    np.testing.assert_allclose(corners_to_centres([10, 20, 30, 60]), [40, 20, 40, 20])
    np.testing.assert_allclose(corners_to_centres([[0, 0, 1, 1], [2, 4, 6, 5]]), [[0.5, 0.5, 1, 1], [4.5, 4, 1, 4]])


def test_centres_to_corners_hand_computed():
    # centre (x=5, y=3), width 4, height 2: x from 3 to 7, y from 2 to 4
    np.testing.assert_allclose(centres_to_corners([5, 3, 4, 2]), [2, 3, 4, 7])


def test_conversions_round_trip_and_keep_leading_axes():
    boxes = np.random.default_rng(0).uniform(0, 1, (3, 5, 4))
    boxes[..., 2:] += boxes[..., :2]  # make every box proper
    assert corners_to_centres(boxes).shape == (3, 5, 4)
    np.testing.assert_allclose(centres_to_corners(corners_to_centres(boxes)), boxes)


def test_areas_of_proper_degenerate_and_inverted_boxes():
    np.testing.assert_allclose(box_areas([[0, 0, 2, 3], [1, 1, 1, 5], [4, 4, 2, 6]]), [6, 0, 0])


@pytest.mark.parametrize(
    "box_a, box_b, expected",
    [
        ([0, 0, 2, 2], [1, 1, 3, 3], 1 / 7),  # overlap 1 x 1; union 4 + 4 - 1
        ([0, 0, 2, 2], [0, 0, 2, 2], 1.0),  # identical
        ([0, 0, 4, 4], [1, 1, 3, 3], 4 / 16),  # nested: the small box's area over the large one's
        ([1, 1, 3, 3], [0, 0, 4, 4], 4 / 16),  # nested, the other way round
        ([0, 0, 2, 2], [0, 2, 2, 4], 0.0),  # touching along an edge
        ([0, 0, 2, 2], [2, 2, 4, 4], 0.0),  # touching at a corner
        ([0, 0, 1, 1], [5, 5, 6, 6], 0.0),  # disjoint
        ([0, 0, 2, 4], [1, 0, 3, 4], 4 / 12),  # half of each: overlap 1 x 4, union 8 + 8 - 4
        ([0, 0, 2, 2], [1, 1, 1, 1], 0.0),  # an empty box overlaps nothing
        ([1, 1, 1, 1], [1, 1, 1, 1], 0.0),  # two empty boxes: an empty union, IoU 0 and no warning
    ],
)
def test_iou_hand_computed(box_a, box_b, expected):
    with np.errstate(all="raise"):
        assert pairwise_iou([box_a], [box_b])[0, 0] == pytest.approx(expected)


def test_iou_is_pairwise_and_symmetric():
    a = [[0, 0, 2, 2], [0, 0, 4, 4]]
    b = [[1, 1, 3, 3], [0, 0, 2, 2], [10, 10, 11, 11]]
    iou = pairwise_iou(a, b)
    assert iou.shape == (2, 3)
    np.testing.assert_allclose(iou, [[1 / 7, 1, 0], [4 / 16, 4 / 16, 0]])  # both of b nest in a[1]
    np.testing.assert_allclose(pairwise_iou(b, a), iou.T)
    np.testing.assert_allclose(pairwise_intersections(a, b), [[1, 4, 0], [4, 4, 0]])


def test_centred_iou_compares_shapes_only():
    # 2 x 1 against 1 x 2 on one centre: overlap 1 x 1, union 2 + 2 - 1
    np.testing.assert_allclose(centred_iou([[2, 1]], [[1, 2], [2, 1], [4, 2]]), [[1 / 3, 1, 2 / 8]])


def test_encode_on_grid_hand_computed():
    # a 100 x 200 image (height x width) on a 4 x 4 grid: cells are 25 high and 50 wide
    boxes = [
        [10, 60, 40, 140],  # centre (x 100, y 25): on the corner of cells, so row 1, col 2, offsets 0
        [0, 0, 20, 30],  # centre (15, 10): cell (0, 0), offsets (0.3, 0.4)
        [80, 190, 100, 200],
    ]  # centre (195, 90): cell (3, 3), offsets (0.9, 0.6)
    rows, cols, encoded = encode_on_grid(boxes, 100, 200, 4)
    np.testing.assert_array_equal(rows, [1, 0, 3])
    np.testing.assert_array_equal(cols, [2, 0, 3])
    np.testing.assert_allclose(encoded, [[0, 0, 0.4, 0.3], [0.3, 0.4, 0.15, 0.2], [0.9, 0.6, 0.05, 0.2]])


def test_encode_on_grid_puts_a_centre_on_the_far_border_in_the_last_cell():
    rows, cols, encoded = encode_on_grid([[90, 90, 110, 110]], 100, 100, 5)  # centre exactly at (100, 100)
    assert (rows[0], cols[0]) == (4, 4)
    np.testing.assert_allclose(encoded[0, :2], [1.0, 1.0])
