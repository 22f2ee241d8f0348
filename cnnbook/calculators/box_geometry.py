"""Bounding-box geometry: corner and centre formats, areas, intersection over union, and the YOLO grid.

The course writes a box in one of two formats, always on the last axis of an array (..., 4):

- **corner** boxes ``(y1, x1, y2, x2)``: the top-left and bottom-right corners, y down and x right, as
  the street-scene loaders (cnnbook.data.load_detection_scenes), the detector's decoded output and
  ``tf.image.non_max_suppression`` use them;
- **centre** boxes ``(b_x, b_y, b_w, b_h)``: the centre, the width and the height, as YOLO predicts them.

Coordinates are in any one unit (pixels or fractions of the image); the functions never mix units. A box
whose y2 < y1 or x2 < x1 is empty: its area is 0, never negative.

Used by: book/week3/01_localisation_and_landmarks.md, book/week3/02_sliding_windows.md,
book/week3/03_grid_and_iou.md, book/week3/04_nms_and_anchors.md, book/week3/05_yolo.md,
book/week3/06_region_proposals.md, and 1 module of cnnbook
"""

import numpy as np

__all__ = [
    "corners_to_centres",
    "centres_to_corners",
    "box_areas",
    "pairwise_intersections",
    "pairwise_iou",
    "centred_iou",
    "encode_on_grid",
]


def corners_to_centres(boxes):
    """Return centre boxes (..., 4) (b_x, b_y, b_w, b_h) of corner boxes (..., 4) (y1, x1, y2, x2)."""
    boxes = np.asarray(boxes, dtype=float)
    y1, x1, y2, x2 = np.moveaxis(boxes, -1, 0)  # each (...)
    return np.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], axis=-1)


def centres_to_corners(boxes):
    """Return corner boxes (..., 4) (y1, x1, y2, x2) of centre boxes (..., 4) (b_x, b_y, b_w, b_h)."""
    boxes = np.asarray(boxes, dtype=float)
    b_x, b_y, b_w, b_h = np.moveaxis(boxes, -1, 0)  # each (...)
    return np.stack([b_y - b_h / 2, b_x - b_w / 2, b_y + b_h / 2, b_x + b_w / 2], axis=-1)


def box_areas(boxes):
    """Return the areas (...) of corner boxes (..., 4); an empty box (y2 < y1 or x2 < x1) has area 0."""
    boxes = np.asarray(boxes, dtype=float)
    heights = np.maximum(boxes[..., 2] - boxes[..., 0], 0.0)
    widths = np.maximum(boxes[..., 3] - boxes[..., 1], 0.0)
    return heights * widths


def pairwise_intersections(boxes_a, boxes_b):
    """Return the areas (n, k) of the overlap of every corner box of boxes_a (n, 4) with every one of boxes_b (k, 4)."""
    a = np.asarray(boxes_a, dtype=float).reshape(-1, 1, 4)  # (n, 1, 4)
    b = np.asarray(boxes_b, dtype=float).reshape(1, -1, 4)  # (1, k, 4)
    # the overlap is itself a box: the larger of the top-left corners, the smaller of the bottom-right ones
    top_left = np.maximum(a[..., :2], b[..., :2])  # (n, k, 2)
    bottom_right = np.minimum(a[..., 2:], b[..., 2:])  # (n, k, 2)
    return box_areas(np.concatenate([top_left, bottom_right], axis=-1))


def pairwise_iou(boxes_a, boxes_b):
    """Return the intersection over union (n, k) of every corner box of boxes_a (n, 4) with every one of boxes_b (k, 4).

    Two boxes that do not overlap, or only touch along an edge or at a corner, have IoU 0; so do two
    empty boxes (their union has no area).
    """
    inter = pairwise_intersections(boxes_a, boxes_b)  # (n, k)
    areas_a = box_areas(np.asarray(boxes_a, dtype=float).reshape(-1, 4))[:, None]  # (n, 1)
    areas_b = box_areas(np.asarray(boxes_b, dtype=float).reshape(-1, 4))[None, :]  # (1, k)
    union = areas_a + areas_b - inter
    safe = np.where(union > 0, union, 1.0)  # 0 / 1 = 0 where the union is empty
    return np.where(union > 0, inter / safe, 0.0)


def centred_iou(sizes, anchors):
    """Return the IoU (n, k) of boxes of sizes (n, 2) (w, h) with anchors (k, 2) (w, h) when both share one centre.

    This is how an object is matched with an anchor box: only the shapes are compared, not the positions.
    """
    sizes = np.asarray(sizes, dtype=float).reshape(-1, 1, 2)  # (n, 1, 2)
    anchors = np.asarray(anchors, dtype=float).reshape(1, -1, 2)  # (1, k, 2)
    inter = np.prod(np.minimum(sizes, anchors), axis=-1)  # (n, k): nested at one centre, the overlap is min x min
    union = np.prod(sizes, axis=-1) + np.prod(anchors, axis=-1) - inter
    return inter / union


def encode_on_grid(boxes, image_height, image_width, S):
    """Say which cell of an S x S grid owns each corner box, and encode the box the way YOLO predicts it.

    Arguments:
    boxes -- (n, 4) corner boxes (y1, x1, y2, x2) in pixels
    image_height, image_width -- size of the image, pixels
    S -- number of grid cells along each side
    Returns:
    rows, cols -- (n,) int: the cell that contains the box's centre (a centre on the far border belongs to the last
    cell)
    encoded -- (n, 4) (b_x, b_y, b_w, b_h): the centre as offsets inside that cell (0 to 1, in cell widths and
               heights from its top-left corner), the width and height as fractions of the image (0 to 1)
    """
    centres = corners_to_centres(np.asarray(boxes, dtype=float).reshape(-1, 4))  # (n, 4) pixels
    x_cells = centres[:, 0] / image_width * S  # (n,) centre in grid units
    y_cells = centres[:, 1] / image_height * S
    cols = np.clip(np.floor(x_cells), 0, S - 1).astype(int)
    rows = np.clip(np.floor(y_cells), 0, S - 1).astype(int)
    encoded = np.stack(
        [x_cells - cols, y_cells - rows, centres[:, 2] / image_width, centres[:, 3] / image_height], axis=-1
    )
    return rows, cols, encoded
