"""Judging the detector: decode its raw output into boxes, suppress duplicates, and measure average precision.

These are the instructor's own NumPy versions, used to train and report on cnnbook.models.yolo_detector;
the students write theirs (yolo_filter_boxes, iou, yolo_non_max_suppression, yolo_eval) in the
car-detection assignment, so nothing here is exported by cnnbook.
"""

import numpy as np


def sigmoid(x):
    """Return the logistic function of x, elementwise."""
    return 1.0 / (1.0 + np.exp(-x))


def decode_output(raw, anchors, image_size):
    """Turn the detector's raw output into corner boxes in pixels and per-class scores.

    Arguments:
    raw -- raw network output of one image, (S, S, A, 5 + C)
    anchors -- (A, 2) anchor (width, height) in grid cells
    image_size -- side of the square image, pixels
    Returns:
    boxes -- (S * S * A, 4) corners (y1, x1, y2, x2) in pixels
    scores -- (S * S * A, C) box confidence times class probability
    """
    S = raw.shape[0]
    rows, cols = np.meshgrid(np.arange(S), np.arange(S), indexing="ij")  # (S, S) each
    b_x = (cols[..., None] + sigmoid(raw[..., 0])) / S  # (S, S, A)
    b_y = (rows[..., None] + sigmoid(raw[..., 1])) / S
    b_w = anchors[:, 0] * np.exp(np.minimum(raw[..., 2], 10)) / S
    b_h = anchors[:, 1] * np.exp(np.minimum(raw[..., 3], 10)) / S
    boxes = np.stack([b_y - b_h / 2, b_x - b_w / 2, b_y + b_h / 2, b_x + b_w / 2], axis=-1) * image_size
    logits = raw[..., 5:] - raw[..., 5:].max(axis=-1, keepdims=True)
    probs = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)  # (S, S, A, C)
    scores = sigmoid(raw[..., 4:5]) * probs
    return boxes.reshape(-1, 4), scores.reshape(-1, scores.shape[-1])


def box_iou(box, boxes):
    """Return the intersection over union of one corner box (4,) with each of boxes (n, 4): (n,)."""
    y1 = np.maximum(box[0], boxes[:, 0])
    x1 = np.maximum(box[1], boxes[:, 1])
    y2 = np.minimum(box[2], boxes[:, 2])
    x2 = np.minimum(box[3], boxes[:, 3])
    inter = np.clip(y2 - y1, 0, None) * np.clip(x2 - x1, 0, None)
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    return inter / np.maximum(area + areas - inter, 1e-9)


def non_max_suppression(boxes, scores, iou_threshold=0.45, max_boxes=100):
    """Return the indices of the boxes kept by greedy non-max suppression, best score first.

    Arguments:
    boxes -- (n, 4) corner boxes
    scores -- (n,) their scores
    """
    order = np.argsort(-scores)
    keep = []
    while order.size and len(keep) < max_boxes:
        best, order = order[0], order[1:]
        keep.append(best)
        order = order[box_iou(boxes[best], boxes[order]) <= iou_threshold]
    return np.asarray(keep, np.int64)


def detect(raw, anchors, image_size, score_threshold=0.005, iou_threshold=0.45, max_boxes=100):
    """Return the detections of one image: boxes (k, 4) corners in pixels, scores (k,), classes (k,).

    Each class is suppressed on its own, so a car box does not hide a person standing in front of it.
    """
    boxes, scores = decode_output(raw, anchors, image_size)
    kept_boxes, kept_scores, kept_classes = [], [], []
    for k in range(scores.shape[1]):
        candidates = np.flatnonzero(scores[:, k] > score_threshold)
        keep = candidates[non_max_suppression(boxes[candidates], scores[candidates, k], iou_threshold, max_boxes)]
        kept_boxes.append(boxes[keep])
        kept_scores.append(scores[keep, k])
        kept_classes.append(np.full(len(keep), k, np.int64))
    return np.concatenate(kept_boxes), np.concatenate(kept_scores), np.concatenate(kept_classes)


def average_precision(detections, truths, iou_threshold=0.5):
    """Return the average precision of one class (area under the interpolated precision-recall curve).

    Arguments:
    detections -- list over images of (boxes (k, 4), scores (k,)) of this class
    truths -- list over images of true boxes (t, 4) of this class
    Returns:
    ap -- float in 0..1, or nan when the class has no true box
    """
    n_true = sum(len(t) for t in truths)
    if n_true == 0:
        return float("nan")
    records = []  # (score, image index, box)
    for i, (boxes, scores) in enumerate(detections):
        records += [(s, i, b) for b, s in zip(boxes, scores)]
    records.sort(key=lambda r: -r[0])
    matched = [np.zeros(len(t), bool) for t in truths]
    hits = np.zeros(len(records))
    for j, (_, i, box) in enumerate(records):
        if len(truths[i]):
            overlaps = box_iou(box, truths[i])
            best = int(np.argmax(overlaps))
            if overlaps[best] >= iou_threshold and not matched[i][best]:
                matched[i][best] = True
                hits[j] = 1
    true_pos = np.cumsum(hits)
    recall = true_pos / n_true
    precision = true_pos / np.arange(1, len(records) + 1)
    # precision envelope, then the area under the step curve (every point, as in PASCAL VOC 2010+)
    recall = np.concatenate([[0.0], recall, [recall[-1] if len(recall) else 0.0]])
    precision = np.concatenate([[0.0], precision, [0.0]])
    precision = np.maximum.accumulate(precision[::-1])[::-1]
    steps = np.flatnonzero(recall[1:] != recall[:-1])
    return float(np.sum((recall[steps + 1] - recall[steps]) * precision[steps + 1]))


def mean_average_precision(raw_outputs, true_boxes, true_classes, anchors, image_size, n_classes, iou_threshold=0.5):
    """Return the AP at `iou_threshold` of every class over a set of images, as a list of C floats.

    Arguments:
    raw_outputs -- (m, S, S, A, 5 + C) raw detector outputs
    true_boxes -- list of m arrays (t_i, 4) of true corner boxes (y1, x1, y2, x2) in pixels
    true_classes -- list of m arrays (t_i,) of their class indices
    """
    per_image = [detect(raw, anchors, image_size) for raw in raw_outputs]
    aps = []
    for k in range(n_classes):
        detections = [(b[c == k], s[c == k]) for b, s, c in per_image]
        truths = [tb[tc == k] for tb, tc in zip(true_boxes, true_classes)]
        aps.append(average_precision(detections, truths, iou_threshold))
    return aps
