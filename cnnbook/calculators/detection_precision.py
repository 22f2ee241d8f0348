"""Average precision (AP) of a detector on one class: how well its detections, best score first, find the true boxes.

Go through the detections of every image from the highest score down. A detection is a true positive when its
IoU with a true box of its image is at least ``iou_threshold`` (0.5 for "AP@0.5") and that true box has not
been found by a better detection yet; otherwise it is a false positive. After each detection, precision is
the share of detections so far that were right and recall the share of true boxes found so far. AP is the
area under the precision-recall curve, with precision made non-increasing from the right (as in PASCAL VOC
from 2010 on): 1.0 means every true box found before any false detection.

The IoU function is passed in (the assignment's ``iou``, which takes boxes as (x1, y1, x2, y2)); the boxes
here are corner boxes (y1, x1, y2, x2) in pixels, as the street scenes and ``yolo_eval`` give them.

Used by: solutions/w3a1_yolo/w3a1_yolo.ipynb
"""

import numpy as np

__all__ = ["match_detections", "precision_recall", "average_precision"]


def _as_xy(box):
    """Return a corner box (y1, x1, y2, x2) as the tuple (x1, y1, x2, y2) of Python floats."""
    y1, x1, y2, x2 = (float(v) for v in box)
    return (x1, y1, x2, y2)


def match_detections(detections, truths, iou, iou_threshold=0.5):
    """Mark every detection of one class as a true or a false positive, best score first.

    Arguments:
    detections -- list over images of (boxes (k_i, 4), scores (k_i,)), corner boxes (y1, x1, y2, x2)
    truths -- list over images of the true boxes (t_i, 4) of the same class
    iou -- function iou(box1, box2) of two boxes (x1, y1, x2, y2), returning a float
    iou_threshold -- the least IoU with a true box that counts as finding it
    Returns:
    scores -- (n,) the scores of all n detections, in decreasing order
    hits -- (n,) bool, True for a true positive
    n_true -- the number of true boxes
    """
    if len(detections) != len(truths):
        raise ValueError(f"got detections for {len(detections)} images and true boxes for {len(truths)}")
    found = [np.zeros(len(t), bool) for t in truths]  # which true boxes a better detection already found
    ranked = sorted(
        (
            (float(s), i, b)
            for i, (boxes, scores) in enumerate(detections)
            for b, s in zip(np.asarray(boxes).reshape(-1, 4), np.asarray(scores).reshape(-1))
        ),
        key=lambda item: -item[0],
    )
    hits = np.zeros(len(ranked), bool)
    for j, (_, i, box) in enumerate(ranked):
        overlaps = [iou(_as_xy(box), _as_xy(t)) for t in np.asarray(truths[i]).reshape(-1, 4)]
        if overlaps:
            best = int(np.argmax(overlaps))
            if overlaps[best] >= iou_threshold and not found[i][best]:
                found[i][best] = True
                hits[j] = True
    n_true = sum(len(np.asarray(t).reshape(-1, 4)) for t in truths)
    return np.array([r[0] for r in ranked]), hits, n_true


def precision_recall(detections, truths, iou, iou_threshold=0.5):
    """Return recall (n,) and precision (n,) after each of the n detections, best score first (arguments as above)."""
    _, hits, n_true = match_detections(detections, truths, iou, iou_threshold)
    true_positives = np.cumsum(hits)
    recall = true_positives / max(n_true, 1)
    precision = true_positives / np.arange(1, len(hits) + 1)
    return recall, precision


def average_precision(detections, truths, iou, iou_threshold=0.5):
    """Return the average precision (0..1) of one class's detections (arguments as match_detections); nan if no true
    box."""
    if sum(len(np.asarray(t).reshape(-1, 4)) for t in truths) == 0:
        return float("nan")
    recall, precision = precision_recall(detections, truths, iou, iou_threshold)
    # precision envelope: at each recall, the best precision reached at that recall or beyond
    envelope = np.maximum.accumulate(np.concatenate([precision, [0.0]])[::-1])[::-1]  # (n + 1,)
    steps = np.diff(np.concatenate([[0.0], recall]))  # (n,) recall gained by each detection
    return float(np.sum(steps * envelope[:-1]))
