"""Mistakes and alternative solutions for w3a1_yolo (car detection with YOLO).

Every function is named ``<graded function>__<slug>``. Bodies use only ``np``, ``tf``, the provided
``yolo_boxes_to_corners`` and ``scale_boxes`` and the graded function names, so ``Variant.source()`` can be
pasted into the notebook's solution cell. Here the graded names used inside the bodies are bound to the
reference implementations, so the variants also run as they are.
"""

import numpy as np
import tensorflow as tf

from autograder.assignments.w3a1_yolo.reference import (  # noqa: F401  (used by the variants' bodies)
    yolo_filter_boxes,
    yolo_non_max_suppression,
)
from cnnbook.assignments.w3a1_yolo.yolo_decoding import scale_boxes, yolo_boxes_to_corners  # noqa: F401
from tests.support.variants import alternative, mistake

# ----------------------------------------------------------------------------------------------
# yolo_filter_boxes
# ----------------------------------------------------------------------------------------------


@mistake("yolo_filter_boxes")
def yolo_filter_boxes__strict_threshold(boxes, box_confidence, box_class_probs, threshold=0.6):
    box_scores = box_confidence * box_class_probs
    box_classes = tf.math.argmax(box_scores, axis=-1)
    box_class_scores = tf.math.reduce_max(box_scores, axis=-1)
    mask = box_class_scores > threshold
    return (tf.boolean_mask(box_class_scores, mask), tf.boolean_mask(boxes, mask), tf.boolean_mask(box_classes, mask))


@mistake("yolo_filter_boxes")
def yolo_filter_boxes__class_from_confidence(boxes, box_confidence, box_class_probs, threshold=0.6):
    box_scores = box_confidence * box_class_probs
    box_classes = tf.math.argmax(box_confidence, axis=-1)
    box_class_scores = tf.math.reduce_max(box_scores, axis=-1)
    mask = box_class_scores >= threshold
    return (tf.boolean_mask(box_class_scores, mask), tf.boolean_mask(boxes, mask), tf.boolean_mask(box_classes, mask))


@mistake("yolo_filter_boxes")
def yolo_filter_boxes__forgets_confidence(boxes, box_confidence, box_class_probs, threshold=0.6):
    box_classes = tf.math.argmax(box_class_probs, axis=-1)
    box_class_scores = tf.math.reduce_max(box_class_probs, axis=-1)
    mask = box_class_scores >= threshold
    return (tf.boolean_mask(box_class_scores, mask), tf.boolean_mask(boxes, mask), tf.boolean_mask(box_classes, mask))


@mistake("yolo_filter_boxes")
def yolo_filter_boxes__filters_on_confidence(boxes, box_confidence, box_class_probs, threshold=0.6):
    box_scores = box_confidence * box_class_probs
    box_classes = tf.math.argmax(box_scores, axis=-1)
    box_class_scores = tf.math.reduce_max(box_scores, axis=-1)
    mask = box_confidence[..., 0] >= threshold
    return (tf.boolean_mask(box_class_scores, mask), tf.boolean_mask(boxes, mask), tf.boolean_mask(box_classes, mask))


@mistake("yolo_filter_boxes")
def yolo_filter_boxes__ignores_threshold(boxes, box_confidence, box_class_probs, threshold=0.6):
    box_scores = box_confidence * box_class_probs
    box_classes = tf.math.argmax(box_scores, axis=-1)
    box_class_scores = tf.math.reduce_max(box_scores, axis=-1)
    mask = box_class_scores >= 0.6
    return (tf.boolean_mask(box_class_scores, mask), tf.boolean_mask(boxes, mask), tf.boolean_mask(box_classes, mask))


@mistake("yolo_filter_boxes")
def yolo_filter_boxes__keeps_every_class_score(boxes, box_confidence, box_class_probs, threshold=0.6):
    box_scores = box_confidence * box_class_probs
    box_classes = tf.math.argmax(box_scores, axis=-1)
    mask = tf.math.reduce_max(box_scores, axis=-1) >= threshold
    return tf.boolean_mask(box_scores, mask), tf.boolean_mask(boxes, mask), tf.boolean_mask(box_classes, mask)


@mistake("yolo_filter_boxes")
def yolo_filter_boxes__default_threshold_half(boxes, box_confidence, box_class_probs, threshold=0.5):
    box_scores = box_confidence * box_class_probs
    box_classes = tf.math.argmax(box_scores, axis=-1)
    box_class_scores = tf.math.reduce_max(box_scores, axis=-1)
    mask = box_class_scores >= threshold
    return (tf.boolean_mask(box_class_scores, mask), tf.boolean_mask(boxes, mask), tf.boolean_mask(box_classes, mask))


@alternative("yolo_filter_boxes")
def yolo_filter_boxes__numpy(boxes, box_confidence, box_class_probs, threshold=0.6):
    box_scores = np.asarray(box_confidence) * np.asarray(box_class_probs)  # (S, S, A, C)
    best = box_scores.max(axis=-1)  # (S, S, A)
    mask = best >= threshold
    return best[mask], np.asarray(boxes)[mask], box_scores.argmax(axis=-1)[mask]


@alternative("yolo_filter_boxes")
def yolo_filter_boxes__where_and_gather(boxes, box_confidence, box_class_probs, threshold=0.6):
    box_scores = box_confidence * box_class_probs
    best = tf.reduce_max(box_scores, axis=-1)
    spots = tf.where(best >= threshold)  # (k, 3) grid positions
    return (
        tf.gather_nd(best, spots),
        tf.gather_nd(boxes, spots),
        tf.gather_nd(tf.argmax(box_scores, axis=-1, output_type=tf.int32), spots),
    )


@alternative("yolo_filter_boxes")
def yolo_filter_boxes__flatten_first(boxes, box_confidence, box_class_probs, threshold=0.6):
    n_classes = box_class_probs.shape[-1]
    scores = tf.reshape(box_confidence * box_class_probs, (-1, n_classes))  # (S * S * A, C)
    flat_boxes = tf.reshape(boxes, (-1, 4))
    best = tf.reduce_max(scores, axis=1)
    keep = tf.math.greater_equal(best, threshold)
    return (
        tf.boolean_mask(best, keep),
        tf.boolean_mask(flat_boxes, keep),
        tf.boolean_mask(tf.argmax(scores, axis=1), keep),
    )


# ----------------------------------------------------------------------------------------------
# iou
# ----------------------------------------------------------------------------------------------


@mistake("iou")
def iou__max_for_far_corner(box1, box2):
    xi1, yi1 = max(box1[0], box2[0]), max(box1[1], box2[1])
    xi2, yi2 = max(box1[2], box2[2]), max(box1[3], box2[3])
    inter = max(xi2 - xi1, 0) * max(yi2 - yi1, 0)
    union = (box1[2] - box1[0]) * (box1[3] - box1[1]) + (box2[2] - box2[0]) * (box2[3] - box2[1]) - inter
    return float(inter / union)


@mistake("iou")
def iou__negative_overlap_not_clipped(box1, box2):
    xi1, yi1 = max(box1[0], box2[0]), max(box1[1], box2[1])
    xi2, yi2 = min(box1[2], box2[2]), min(box1[3], box2[3])
    inter = (xi2 - xi1) * (yi2 - yi1)
    union = (box1[2] - box1[0]) * (box1[3] - box1[1]) + (box2[2] - box2[0]) * (box2[3] - box2[1]) - inter
    return float(inter / union)


@mistake("iou")
def iou__clips_the_product_only(box1, box2):
    xi1, yi1 = max(box1[0], box2[0]), max(box1[1], box2[1])
    xi2, yi2 = min(box1[2], box2[2]), min(box1[3], box2[3])
    inter = max((xi2 - xi1) * (yi2 - yi1), 0)
    union = (box1[2] - box1[0]) * (box1[3] - box1[1]) + (box2[2] - box2[0]) * (box2[3] - box2[1]) - inter
    return float(inter / union)


@mistake("iou")
def iou__union_keeps_intersection_twice(box1, box2):
    xi1, yi1 = max(box1[0], box2[0]), max(box1[1], box2[1])
    xi2, yi2 = min(box1[2], box2[2]), min(box1[3], box2[3])
    inter = max(xi2 - xi1, 0) * max(yi2 - yi1, 0)
    union = (box1[2] - box1[0]) * (box1[3] - box1[1]) + (box2[2] - box2[0]) * (box2[3] - box2[1])
    return float(inter / union)


@mistake("iou")
def iou__counts_pixels_inclusive(box1, box2):
    xi1, yi1 = max(box1[0], box2[0]), max(box1[1], box2[1])
    xi2, yi2 = min(box1[2], box2[2]), min(box1[3], box2[3])
    inter = max(xi2 - xi1 + 1, 0) * max(yi2 - yi1 + 1, 0)
    area1 = (box1[2] - box1[0] + 1) * (box1[3] - box1[1] + 1)
    area2 = (box2[2] - box2[0] + 1) * (box2[3] - box2[1] + 1)
    return float(inter / (area1 + area2 - inter))


@mistake("iou")
def iou__returns_an_array(box1, box2):
    top_left = np.maximum(box1[:2], box2[:2])
    bottom_right = np.minimum(box1[2:], box2[2:])
    inter = np.prod(np.maximum(bottom_right - top_left, 0))
    area1 = np.prod(np.subtract(box1[2:], box1[:2]))
    area2 = np.prod(np.subtract(box2[2:], box2[:2]))
    return np.array([inter / (area1 + area2 - inter)])


@mistake("iou")
def iou__integer_division(box1, box2):
    xi1, yi1 = max(box1[0], box2[0]), max(box1[1], box2[1])
    xi2, yi2 = min(box1[2], box2[2]), min(box1[3], box2[3])
    inter = max(xi2 - xi1, 0) * max(yi2 - yi1, 0)
    union = (box1[2] - box1[0]) * (box1[3] - box1[1]) + (box2[2] - box2[0]) * (box2[3] - box2[1]) - inter
    return float(inter // union)


@mistake("iou")
def iou__area_mixes_axes(box1, box2):
    xi1, yi1 = max(box1[0], box2[0]), max(box1[1], box2[1])
    xi2, yi2 = min(box1[2], box2[2]), min(box1[3], box2[3])
    inter = max(xi2 - xi1, 0) * max(yi2 - yi1, 0)
    area1 = (box1[2] - box1[0]) * (box1[3] - box1[0])
    area2 = (box2[2] - box2[0]) * (box2[3] - box2[0])
    return float(inter / (area1 + area2 - inter))


@alternative("iou")
def iou__numpy_vectorised(box1, box2):
    box1, box2 = np.asarray(box1, dtype=float), np.asarray(box2, dtype=float)
    top_left = np.maximum(box1[:2], box2[:2])  # (x, y) of the intersection's first corner
    bottom_right = np.minimum(box1[2:], box2[2:])
    inter = np.prod(np.clip(bottom_right - top_left, 0, None))
    union = np.prod(box1[2:] - box1[:2]) + np.prod(box2[2:] - box2[:2]) - inter
    return float(inter / union)


@alternative("iou")
def iou__overlap_test_first(box1, box2):
    (ax1, ay1, ax2, ay2), (bx1, by1, bx2, by2) = box1, box2
    area1 = (ax2 - ax1) * (ay2 - ay1)
    area2 = (bx2 - bx1) * (by2 - by1)
    if ax2 <= bx1 or bx2 <= ax1 or ay2 <= by1 or by2 <= ay1:
        return 0.0
    inter = (min(ax2, bx2) - max(ax1, bx1)) * (min(ay2, by2) - max(ay1, by1))
    return inter / (area1 + area2 - inter)


@alternative("iou")
def iou__tensorflow_ops(box1, box2):
    a, b = tf.constant(box1, tf.float64), tf.constant(box2, tf.float64)
    sides = tf.nn.relu(tf.minimum(a[2:], b[2:]) - tf.maximum(a[:2], b[:2]))
    inter = sides[0] * sides[1]
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float((inter / union).numpy())


# ----------------------------------------------------------------------------------------------
# yolo_non_max_suppression
# ----------------------------------------------------------------------------------------------


@mistake("yolo_non_max_suppression")
def yolo_non_max_suppression__ignores_max_boxes(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    indices = tf.image.non_max_suppression(boxes, scores, 10, iou_threshold=iou_threshold)
    return tf.gather(scores, indices), tf.gather(boxes, indices), tf.gather(classes, indices)


@mistake("yolo_non_max_suppression")
def yolo_non_max_suppression__ignores_iou_threshold(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    indices = tf.image.non_max_suppression(boxes, scores, max_boxes)
    return tf.gather(scores, indices), tf.gather(boxes, indices), tf.gather(classes, indices)


@mistake("yolo_non_max_suppression")
def yolo_non_max_suppression__suppresses_within_each_class(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    kept = []
    for c in np.unique(np.asarray(classes)):
        of_class = tf.reshape(tf.where(tf.equal(classes, c)), [-1])
        chosen = tf.image.non_max_suppression(
            tf.gather(boxes, of_class), tf.gather(scores, of_class), max_boxes, iou_threshold
        )
        kept.append(tf.gather(of_class, chosen))
    indices = tf.concat(kept, axis=0) if kept else tf.zeros([0], tf.int64)
    best = tf.argsort(tf.gather(scores, indices), direction="DESCENDING")[:max_boxes]
    indices = tf.gather(indices, best)
    return tf.gather(scores, indices), tf.gather(boxes, indices), tf.gather(classes, indices)


@mistake("yolo_non_max_suppression")
def yolo_non_max_suppression__classes_not_gathered(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    indices = tf.image.non_max_suppression(boxes, scores, max_boxes, iou_threshold)
    return tf.gather(scores, indices), tf.gather(boxes, indices), classes[: len(indices)]


@mistake("yolo_non_max_suppression")
def yolo_non_max_suppression__keeps_low_overlaps_out(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    # greedy, but it drops the boxes that overlap LITTLE with the best one
    scores_np, boxes_np = np.asarray(scores), np.asarray(boxes)
    order = list(np.argsort(-scores_np))
    keep = []
    while order and len(keep) < max_boxes:
        best = order.pop(0)
        keep.append(best)
        rest = boxes_np[order]
        sides = np.clip(
            np.minimum(boxes_np[best, 2:], rest[:, 2:]) - np.maximum(boxes_np[best, :2], rest[:, :2]), 0, None
        )
        inter = sides[:, 0] * sides[:, 1]
        union = np.prod(boxes_np[best, 2:] - boxes_np[best, :2]) + np.prod(rest[:, 2:] - rest[:, :2], axis=1) - inter
        order = [i for i, overlap in zip(order, inter / union) if overlap > iou_threshold]
    keep = np.asarray(keep, np.int64)
    return tf.gather(scores, keep), tf.gather(boxes, keep), tf.gather(classes, keep)


@mistake("yolo_non_max_suppression")
def yolo_non_max_suppression__no_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    indices = tf.argsort(scores, direction="DESCENDING")[:max_boxes]
    return tf.gather(scores, indices), tf.gather(boxes, indices), tf.gather(classes, indices)


@alternative("yolo_non_max_suppression")
def yolo_non_max_suppression__hand_written_greedy(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    scores_np, boxes_np, classes_np = np.asarray(scores), np.asarray(boxes).reshape(-1, 4), np.asarray(classes)
    areas = (boxes_np[:, 2] - boxes_np[:, 0]) * (boxes_np[:, 3] - boxes_np[:, 1])
    order = np.argsort(-scores_np)
    keep = []
    while order.size and len(keep) < max_boxes:
        best, order = order[0], order[1:]
        keep.append(best)
        top_left = np.maximum(boxes_np[best, :2], boxes_np[order, :2])  # (n, 2)
        bottom_right = np.minimum(boxes_np[best, 2:], boxes_np[order, 2:])
        inter = np.prod(np.clip(bottom_right - top_left, 0, None), axis=1)
        order = order[inter / (areas[best] + areas[order] - inter) <= iou_threshold]
    keep = np.asarray(keep, np.int64)
    return scores_np[keep], boxes_np[keep], classes_np[keep]


@alternative("yolo_non_max_suppression")
def yolo_non_max_suppression__with_scores(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    indices, kept_scores = tf.image.non_max_suppression_with_scores(
        boxes, scores, max_boxes, iou_threshold=iou_threshold
    )
    return kept_scores, tf.gather(boxes, indices), tf.gather(classes, indices)


@alternative("yolo_non_max_suppression")
def yolo_non_max_suppression__combined(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    if scores.shape[0] == 0:
        return scores, boxes, classes
    # one "class" for all boxes makes combined_non_max_suppression suppress over all boxes together
    kept_boxes, kept_scores, _, valid = tf.image.combined_non_max_suppression(
        tf.reshape(boxes, (1, -1, 1, 4)),
        tf.reshape(scores, (1, -1, 1)),
        max_boxes,
        max_boxes,
        iou_threshold=iou_threshold,
        clip_boxes=False,
    )
    n = int(valid[0])
    kept_scores, kept_boxes = kept_scores[0, :n], kept_boxes[0, :n]
    # each kept score is one of the input scores: find which, to pick its class
    which = tf.argmax(tf.cast(tf.equal(kept_scores[:, None], scores[None, :]), tf.int32), axis=1)
    return kept_scores, kept_boxes, tf.gather(classes, which)


@alternative("yolo_non_max_suppression")
def yolo_non_max_suppression__kept_in_input_order(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    indices = tf.sort(tf.image.non_max_suppression(boxes, scores, max_boxes, iou_threshold))
    return tf.gather(scores, indices), tf.gather(boxes, indices), tf.gather(classes, indices)


# ----------------------------------------------------------------------------------------------
# yolo_eval
# ----------------------------------------------------------------------------------------------


@mistake("yolo_eval")
def yolo_eval__boxes_not_scaled(yolo_outputs, image_shape, max_boxes=10, score_threshold=0.6, iou_threshold=0.5):
    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    boxes = yolo_boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    return yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)


@mistake("yolo_eval")
def yolo_eval__height_and_width_swapped(
    yolo_outputs, image_shape, max_boxes=10, score_threshold=0.6, iou_threshold=0.5
):
    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    boxes = yolo_boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    boxes = scale_boxes(boxes, (image_shape[1], image_shape[0]))
    return yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)


@mistake("yolo_eval")
def yolo_eval__score_threshold_not_passed(
    yolo_outputs, image_shape, max_boxes=10, score_threshold=0.6, iou_threshold=0.5
):
    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    boxes = yolo_boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs)
    boxes = scale_boxes(boxes, image_shape)
    return yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)


@mistake("yolo_eval")
def yolo_eval__max_boxes_not_passed(yolo_outputs, image_shape, max_boxes=10, score_threshold=0.6, iou_threshold=0.5):
    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    boxes = yolo_boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    boxes = scale_boxes(boxes, image_shape)
    return yolo_non_max_suppression(scores, boxes, classes, iou_threshold=iou_threshold)


@mistake("yolo_eval")
def yolo_eval__iou_threshold_not_passed(
    yolo_outputs, image_shape, max_boxes=10, score_threshold=0.6, iou_threshold=0.5
):
    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    boxes = yolo_boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    boxes = scale_boxes(boxes, image_shape)
    return yolo_non_max_suppression(scores, boxes, classes, max_boxes=max_boxes)


@mistake("yolo_eval")
def yolo_eval__suppression_before_filtering(
    yolo_outputs, image_shape, max_boxes=10, score_threshold=0.6, iou_threshold=0.5
):
    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    boxes = tf.reshape(scale_boxes(yolo_boxes_to_corners(box_xy, box_wh), image_shape), (-1, 4))
    confidence = tf.reshape(box_confidence, (-1,))
    n_classes = box_class_probs.shape[-1]
    chosen = tf.image.non_max_suppression(boxes, confidence, max_boxes, iou_threshold)  # before any score
    return yolo_filter_boxes(
        tf.gather(boxes, chosen),
        tf.gather(tf.reshape(box_confidence, (-1, 1)), chosen),
        tf.gather(tf.reshape(box_class_probs, (-1, n_classes)), chosen),
        score_threshold,
    )


@mistake("yolo_eval")
def yolo_eval__centres_and_sizes_swapped(
    yolo_outputs, image_shape, max_boxes=10, score_threshold=0.6, iou_threshold=0.5
):
    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    boxes = yolo_boxes_to_corners(box_wh, box_xy)
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    boxes = scale_boxes(boxes, image_shape)
    return yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)


@mistake("yolo_eval")
def yolo_eval__no_suppression(yolo_outputs, image_shape, max_boxes=10, score_threshold=0.6, iou_threshold=0.5):
    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    boxes = yolo_boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    return scores, scale_boxes(boxes, image_shape), classes


@alternative("yolo_eval")
def yolo_eval__keywords_and_indexing(yolo_outputs, image_shape, max_boxes=10, score_threshold=0.6, iou_threshold=0.5):
    boxes = yolo_boxes_to_corners(box_xy=yolo_outputs[0], box_wh=yolo_outputs[1])
    scores, boxes, classes = yolo_filter_boxes(boxes, yolo_outputs[2], yolo_outputs[3], threshold=score_threshold)
    boxes = scale_boxes(boxes, image_shape)
    return yolo_non_max_suppression(scores, boxes, classes, max_boxes=max_boxes, iou_threshold=iou_threshold)


@alternative("yolo_eval")
def yolo_eval__scale_before_filtering(yolo_outputs, image_shape, max_boxes=10, score_threshold=0.6, iou_threshold=0.5):
    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    boxes = scale_boxes(yolo_boxes_to_corners(box_xy, box_wh), image_shape)  # (S, S, A, 4) pixels
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    return yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)


@alternative("yolo_eval")
def yolo_eval__scale_at_the_end(yolo_outputs, image_shape, max_boxes=10, score_threshold=0.6, iou_threshold=0.5):
    box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
    boxes = yolo_boxes_to_corners(box_xy, box_wh)
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    # IoU does not change when both axes are scaled, so suppression may come before scaling
    scores, boxes, classes = yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)
    return scores, scale_boxes(boxes, image_shape), classes
