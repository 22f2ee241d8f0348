"""Reference implementations of the graded functions of w3a1_yolo (car detection with YOLO), in NumPy.

Used only by the grader (hidden tests, oracles) and the catalogue tests; never imported by anything a
student's kernel runs. They take NumPy arrays or tensors and return NumPy arrays, and they compute in float32
exactly as the TensorFlow solution does (elementwise float32 arithmetic is the same in both), so the grader
needs no TensorFlow: grading a submission then pays TensorFlow's import only once, in the student's kernel.
That they agree with the notebook's TensorFlow solution is tested (tests/assignments/w3a1_yolo/test_hidden_tests.py).

Corner boxes are (y1, x1, y2, x2) everywhere except in `iou`, which takes (x1, y1, x2, y2) as the exercise
states (the IoU of two boxes does not depend on which axis comes first).
"""

import numpy as np

__all__ = ["yolo_filter_boxes", "iou", "yolo_non_max_suppression", "yolo_eval", "boxes_to_corners", "scale_to_image"]


def yolo_filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.6):
    """Keep the boxes whose best class score (confidence times class probability) reaches the threshold.

    Arguments:
    boxes -- (S, S, A, 4) corner boxes
    box_confidence -- (S, S, A, 1) probability that each box holds an object
    box_class_probs -- (S, S, A, C) class probabilities of each box
    threshold -- a box is kept when its best class score is >= threshold
    Returns:
    scores -- (k,) best class score of each kept box
    boxes -- (k, 4) the kept boxes
    classes -- (k,) int64 index of the best class of each kept box
    (k = number of kept boxes; in the order of the grid: row, column, anchor, as tf.boolean_mask keeps them)
    """
    box_scores = np.asarray(box_confidence) * np.asarray(box_class_probs)  # (S, S, A, C)
    box_classes = box_scores.argmax(axis=-1)  # (S, S, A), the first best class on a tie, as tf.math.argmax
    box_class_scores = box_scores.max(axis=-1)  # (S, S, A)
    keep = box_class_scores >= threshold  # (S, S, A); the threshold is compared in the scores' precision
    return box_class_scores[keep], np.asarray(boxes)[keep], box_classes[keep].astype(np.int64)


def iou(box1, box2):
    """Return the intersection over union of two corner boxes (x1, y1, x2, y2), as a Python float.

    Arguments:
    box1 -- (x1, y1, x2, y2), with x1 < x2 and y1 < y2
    box2 -- (x1, y1, x2, y2), the same
    Returns:
    iou -- float, area of the intersection / area of the union (0 when the boxes do not overlap)
    """
    b1_x1, b1_y1, b1_x2, b1_y2 = box1
    b2_x1, b2_y1, b2_x2, b2_y2 = box2
    inter_width = max(0, min(b1_x2, b2_x2) - max(b1_x1, b2_x1))
    inter_height = max(0, min(b1_y2, b2_y2) - max(b1_y1, b2_y1))
    inter_area = inter_width * inter_height
    union_area = (b1_x2 - b1_x1) * (b1_y2 - b1_y1) + (b2_x2 - b2_x1) * (b2_y2 - b2_y1) - inter_area
    return float(inter_area / union_area)


def yolo_non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    """Keep the best boxes, dropping every box that overlaps a better one too much (over all classes together).

    Greedy, as tf.image.non_max_suppression: the best remaining box is kept and the boxes whose IoU with it is
    above iou_threshold are dropped, until none remains or max_boxes are kept.

    Arguments:
    scores -- (k,) box scores
    boxes -- (k, 4) corner boxes (y1, x1, y2, x2)
    classes -- (k,) class indices
    max_boxes -- at most this many boxes are kept
    iou_threshold -- a box whose IoU with a kept, better box is above this is dropped
    Returns:
    scores, boxes, classes -- (n,), (n, 4), (n,) the kept boxes (n <= max_boxes), best first
    """
    scores, boxes, classes = np.asarray(scores), np.asarray(boxes).reshape(-1, 4), np.asarray(classes)
    corners = boxes.astype(np.float64)
    areas = (corners[:, 2] - corners[:, 0]) * (corners[:, 3] - corners[:, 1])  # (k,)
    order = np.argsort(-scores.astype(np.float64), kind="stable")  # best first
    keep = []
    while order.size and len(keep) < max_boxes:
        best, order = order[0], order[1:]
        keep.append(best)
        top_left = np.maximum(corners[best, :2], corners[order, :2])  # (r, 2) intersections with the rest
        bottom_right = np.minimum(corners[best, 2:], corners[order, 2:])
        inter = np.prod(np.clip(bottom_right - top_left, 0, None), axis=1)
        order = order[inter / (areas[best] + areas[order] - inter) <= iou_threshold]
    keep = np.asarray(keep, np.int64)
    return scores[keep], boxes[keep], classes[keep]


def boxes_to_corners(box_xy, box_wh):
    """Corner boxes (..., 4) (y1, x1, y2, x2) of centres and sizes (..., 2):
    cnnbook.assignments.w3a1_yolo.yolo_decoding's, in float32 NumPy."""
    box_xy, box_wh = np.asarray(box_xy, np.float32), np.asarray(box_wh, np.float32)
    top_left = box_xy - box_wh / np.float32(2.0)  # (..., 2): (x1, y1)
    bottom_right = box_xy + box_wh / np.float32(2.0)
    return np.concatenate(
        [top_left[..., 1:2], top_left[..., 0:1], bottom_right[..., 1:2], bottom_right[..., 0:1]], axis=-1
    )


def scale_to_image(boxes, image_shape):
    """Corner boxes (..., 4) in pixels of an image of shape (height, width):
    cnnbook.assignments.w3a1_yolo.yolo_decoding.scale_boxes, in NumPy."""
    height, width = np.float32(image_shape[0]), np.float32(image_shape[1])
    return np.asarray(boxes, np.float32) * np.array([height, width, height, width], np.float32)


def yolo_eval(yolo_outputs, image_shape, max_boxes=10, score_threshold=0.6, iou_threshold=0.5):
    """Turn the decoded detector output of one image into its final detections, in pixels.

    Arguments:
    yolo_outputs -- (box_xy (S, S, A, 2), box_wh (S, S, A, 2), box_confidence (S, S, A, 1),
                    box_class_probs (S, S, A, C)), as yolo_head returns them
    image_shape -- (height, width) of the image, pixels
    max_boxes -- at most this many detections
    score_threshold -- boxes whose best class score is below this are dropped
    iou_threshold -- non-max suppression drops boxes overlapping a better one by more than this
    Returns:
    scores -- (n,) scores of the detections
    boxes -- (n, 4) corner boxes (y1, x1, y2, x2) in pixels
    classes -- (n,) class indices
    """
    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    boxes = boxes_to_corners(box_xy, box_wh)  # (S, S, A, 4) fractions of the image
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    boxes = scale_to_image(boxes, image_shape)  # (k, 4) pixels
    return yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)
