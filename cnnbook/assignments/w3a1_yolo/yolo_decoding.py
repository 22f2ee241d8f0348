"""Turning the YOLO detector's raw output into boxes: the provided steps of the car-detection assignment.

The course's detector (cnnbook.models.yolo_detector) returns, for every cell of an S x S grid and every one
of A anchor boxes, 5 + C raw numbers (t_x, t_y, t_w, t_h, t_o, then C class scores). These functions do
what the student does not write in w3a1_yolo:

- ``yolo_head`` decodes the raw numbers into box centres and sizes (fractions of the image), box
  confidences and class probabilities;
- ``yolo_boxes_to_corners`` turns centres and sizes into corner boxes (y1, x1, y2, x2), the order
  ``tf.image.non_max_suppression`` expects;
- ``scale_boxes`` turns corner boxes in fractions of the image into pixels.

All three take NumPy arrays or tensors and return float32 tensors. Shapes are channels-last; a leading batch
axis is optional (the "..." below).

Used by: solutions/w3a1_yolo/w3a1_yolo.ipynb
"""

import numpy as np

__all__ = ["yolo_head", "yolo_boxes_to_corners", "scale_boxes"]

MAX_LOG_SIZE = 10.0  # t_w, t_h above this would only overflow exp(); no real box is e^10 anchors wide


def yolo_head(feats, anchors, num_classes):
    """Decode the detector's raw output into box centres, box sizes, box confidences and class probabilities.

    For the cell in row r, column c and anchor a, with anchor size (p_w, p_h) in grid cells:
    b_x = (c + sigmoid(t_x)) / S, b_y = (r + sigmoid(t_y)) / S, b_w = p_w exp(t_w) / S, b_h = p_h exp(t_h) / S,
    confidence = sigmoid(t_o), class probabilities = softmax of the C class scores.

    Arguments:
    feats -- raw detector output, (..., S, S, A, 5 + C): one image (S, S, A, 5 + C) or a batch (m, S, S, A, 5 + C)
    anchors -- anchor boxes (A, 2): (width, height) in grid cells (cnnbook.models.yolo_detector.read_anchors())
    num_classes -- C, the number of classes
    Returns:
    box_xy -- (..., S, S, A, 2) box centres (b_x, b_y), fractions of the image width and height
    box_wh -- (..., S, S, A, 2) box sizes (b_w, b_h), fractions of the image width and height
    box_confidence -- (..., S, S, A, 1) probability that the box holds an object
    box_class_probs -- (..., S, S, A, C) probability of each class, if the box holds an object
    """
    import tensorflow as tf

    feats = tf.cast(feats, tf.float32)
    anchors = np.asarray(anchors, dtype=np.float32).reshape(-1, 2)  # (A, 2)
    shape = tuple(feats.shape)
    if len(shape) < 4 or shape[-1] != 5 + num_classes or shape[-2] != len(anchors):
        raise ValueError(
            f"yolo_head: feats has shape {shape}; with {len(anchors)} anchors and {num_classes} classes "
            f"it should be (..., S, S, {len(anchors)}, {5 + num_classes}). Pass the detector's output for "
            f"one image (S, S, A, 5 + C) or a batch, read_anchors() and len(read_class_names())."
        )
    n_rows, n_cols = shape[-4], shape[-3]
    rows, cols = np.meshgrid(np.arange(n_rows), np.arange(n_cols), indexing="ij")  # (S, S) each
    cell_xy = np.stack([cols, rows], axis=-1)[:, :, None, :].astype(np.float32)  # (S, S, 1, 2): (column, row)
    grid_size = np.array([n_cols, n_rows], np.float32)  # divides x by the number of columns, y by the rows

    box_xy = (cell_xy + tf.sigmoid(feats[..., 0:2])) / grid_size  # (..., S, S, A, 2)
    box_wh = anchors * tf.exp(tf.minimum(feats[..., 2:4], MAX_LOG_SIZE)) / grid_size  # (..., S, S, A, 2)
    box_confidence = tf.sigmoid(feats[..., 4:5])  # (..., S, S, A, 1)
    box_class_probs = tf.nn.softmax(feats[..., 5:], axis=-1)  # (..., S, S, A, C)
    return box_xy, box_wh, box_confidence, box_class_probs


def yolo_boxes_to_corners(box_xy, box_wh):
    """Turn boxes given by centre and size into corner boxes (y1, x1, y2, x2).

    Arguments:
    box_xy -- (..., 2) box centres (b_x, b_y)
    box_wh -- (..., 2) box sizes (b_w, b_h), in the same unit
    Returns:
    boxes -- (..., 4) corner boxes (y1, x1, y2, x2) = (b_y - b_h / 2, b_x - b_w / 2, b_y + b_h / 2, b_x + b_w / 2)
    """
    import tensorflow as tf

    box_xy, box_wh = tf.cast(box_xy, tf.float32), tf.cast(box_wh, tf.float32)
    top_left = box_xy - box_wh / 2.0  # (..., 2): (x1, y1)
    bottom_right = box_xy + box_wh / 2.0  # (..., 2): (x2, y2)
    # y before x in each corner, as tf.image.non_max_suppression reads boxes
    return tf.concat([top_left[..., 1:2], top_left[..., 0:1], bottom_right[..., 1:2], bottom_right[..., 0:1]], axis=-1)


def scale_boxes(boxes, image_shape):
    """Turn corner boxes in fractions of the image into pixels of an image of the given shape.

    Arguments:
    boxes -- (..., 4) corner boxes (y1, x1, y2, x2), fractions of the image height (y) and width (x)
    image_shape -- (height, width) of the image, pixels (numbers, a tuple or a tensor of two)
    Returns:
    boxes -- (..., 4) the same boxes in pixels: (y1 * height, x1 * width, y2 * height, x2 * width)
    """
    import tensorflow as tf

    if len(image_shape) != 2:
        raise ValueError(f"scale_boxes: image_shape should be (height, width), got {image_shape!r}")
    height, width = tf.cast(image_shape[0], tf.float32), tf.cast(image_shape[1], tf.float32)
    image_dims = tf.stack([height, width, height, width])  # (4,), broadcast over the boxes
    return tf.cast(boxes, tf.float32) * image_dims
