"""Reference implementations of the graded functions of w3a1_yolo (car detection with YOLO), in TensorFlow.

Used only by the grader (hidden tests, oracles) and the catalogue tests; never imported by anything a
student's kernel runs. Corner boxes are (y1, x1, y2, x2) everywhere except in `iou`, which takes
(x1, y1, x2, y2) as the exercise states (the IoU of two boxes does not depend on which axis comes first).
"""
import tensorflow as tf

from cnnbook.yolo_decoding import scale_boxes, yolo_boxes_to_corners

__all__ = ["yolo_filter_boxes", "iou", "yolo_non_max_suppression", "yolo_eval"]


def yolo_filter_boxes(boxes, box_confidence, box_class_probs, threshold=.6):
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
    (k = number of kept boxes; in the order of the grid: row, column, anchor)
    """
    box_scores = box_confidence * box_class_probs  # (S, S, A, C)
    box_classes = tf.math.argmax(box_scores, axis=-1)  # (S, S, A)
    box_class_scores = tf.math.reduce_max(box_scores, axis=-1)  # (S, S, A)
    keep = box_class_scores >= threshold  # (S, S, A) bool
    return (tf.boolean_mask(box_class_scores, keep), tf.boolean_mask(boxes, keep),
            tf.boolean_mask(box_classes, keep))


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

    Arguments:
    scores -- (k,) box scores
    boxes -- (k, 4) corner boxes (y1, x1, y2, x2)
    classes -- (k,) class indices
    max_boxes -- at most this many boxes are kept
    iou_threshold -- a box whose IoU with a kept, better box is above this is dropped
    Returns:
    scores, boxes, classes -- (n,), (n, 4), (n,) the kept boxes (n <= max_boxes), best first
    """
    indices = tf.image.non_max_suppression(boxes, scores, max_boxes, iou_threshold=iou_threshold)  # (n,)
    return tf.gather(scores, indices), tf.gather(boxes, indices), tf.gather(classes, indices)


def yolo_eval(yolo_outputs, image_shape, max_boxes=10, score_threshold=.6, iou_threshold=.5):
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
    boxes = yolo_boxes_to_corners(box_xy, box_wh)  # (S, S, A, 4) fractions of the image
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    boxes = scale_boxes(boxes, image_shape)  # (k, 4) pixels
    return yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)
