"""Visible checks for w3a1_yolo: filtering YOLO boxes by score, IoU, non-max suppression, and the whole evaluation.

Each ``check_<function>(func)`` runs the student's function on a few hand-built boxes whose fate follows
from the exercise's rules (a box whose best score equals the threshold is kept; a box nested in a better
one is suppressed; a box touching another one only along an edge does not overlap it). On a mistake it
raises ``CheckFailure`` with a message in the exercise's terms; on success it prints one line. The
``*_problem`` helpers describe a result of the wrong kind or shape; the hidden tests reuse them, so both
speak the same language.

Corner boxes are (y1, x1, y2, x2), except for ``iou``, which takes (x1, y1, x2, y2).

Used by: solutions/w3a1_yolo/w3a1_yolo.ipynb, the grader
"""

import numpy as np

from cnnbook.checks import (
    call_student,
    describe_case,
    fail,
    report_success,
    require_helpers_pass,
    shape_text,
    visible_check,
)

__all__ = [
    "check_yolo_filter_boxes",
    "check_iou",
    "check_yolo_non_max_suppression",
    "check_yolo_eval",
    "as_array",
    "detections_problem",
    "python_float_problem",
]

TRIPLE = "(scores, boxes, classes)"


# ----------------------------------------------------------------------------------------------
# Diagnoses of the result's kind and shape (shared with the hidden tests)
# ----------------------------------------------------------------------------------------------


def as_array(value):
    """Return a tensor or array as a NumPy array; None for anything else."""
    if isinstance(value, np.ndarray):
        return value
    if hasattr(value, "numpy") and callable(value.numpy):
        return np.asarray(value.numpy())
    return None


def _kind(value):
    """Describe a value for a message, tensors included."""
    if hasattr(value, "numpy") and hasattr(value, "shape") and not isinstance(value, np.ndarray):
        return f"a tensor of shape {tuple(value.shape)}"
    return shape_text(value)


def detections_problem(result):
    """Explain why `result` is not a triple (scores (k,), boxes (k, 4), classes (k,)); None when it is one."""
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        return f"it should return the tuple {TRIPLE}, but it returned {_kind(result)}."
    arrays = [as_array(v) for v in result]
    for value, array, what in zip(result, arrays, ("scores", "boxes", "classes")):
        if array is None:
            return f"{what} should be a tensor (or a NumPy array), but it is {_kind(value)}."
    scores, boxes, classes = arrays
    if scores.ndim != 1:
        hint = ""
        if scores.ndim >= 2:
            hint = (
                " It looks like one score per class was kept: a box's score is its BEST class score "
                "(the maximum over the last axis), one number per box."
            )
        return f"scores has shape {scores.shape}; it should have shape (k,), one number per kept box.{hint}"
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        return f"boxes has shape {boxes.shape}; it should have shape (k, 4), one corner box per kept box."
    if classes.ndim != 1:
        return f"classes has shape {classes.shape}; it should have shape (k,), one class index per kept box."
    if not scores.shape[0] == boxes.shape[0] == classes.shape[0]:
        return (
            f"scores, boxes and classes should describe the same boxes, but they hold {scores.shape[0]}, "
            f"{boxes.shape[0]} and {classes.shape[0]} entries; select all three with the same mask or indices."
        )
    if classes.size and not np.issubdtype(classes.dtype, np.integer) and not np.all(np.mod(classes, 1) == 0):
        return "classes should hold class indices (whole numbers, from an argmax), not scores or probabilities."
    return None


def python_float_problem(value):
    """Explain why `value` is not a Python float (as iou must return); None when it is one."""
    if isinstance(value, (float, np.floating)) and not isinstance(value, bool):
        return None
    if isinstance(value, np.ndarray) or (hasattr(value, "numpy") and hasattr(value, "shape")):
        return f"it returned {_kind(value)}; return a plain Python float, for example float(inter_area / union_area)."
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (
            "it returned an int; return a Python float in every case (also when the boxes do not overlap), "
            "for example float(inter_area / union_area)."
        )
    return f"it returned {_kind(value)}; it should return a Python float."


# ----------------------------------------------------------------------------------------------
# Small tools of the checks
# ----------------------------------------------------------------------------------------------


def _count(n):
    """'1 box', '3 boxes'."""
    return "1 box" if n == 1 else f"{n} boxes"


def _unpack(name, result, case):
    """Return the three results as NumPy arrays, or fail with what is wrong with their kind or shapes."""
    problem = detections_problem(result)
    if problem:
        fail(name, problem, case)
    return tuple(as_array(v) for v in result)


def _index_of(rows, row):
    """Return the index of `row` among the rows of `rows` (up to rounding), or None."""
    for i, candidate in enumerate(rows):
        if np.allclose(candidate, row, rtol=1e-5, atol=1e-4):
            return i
    return None


def _tensors(*arrays):
    import tensorflow as tf

    return tuple(
        tf.constant(a, dtype=tf.int64 if np.issubdtype(np.asarray(a).dtype, np.integer) else tf.float32) for a in arrays
    )


# ----------------------------------------------------------------------------------------------
# yolo_filter_boxes
# ----------------------------------------------------------------------------------------------


def _filter_case():
    """A 2 x 2 grid, 2 anchors, 3 classes: boxes with chosen confidences and class probabilities.

    Returns boxes (2, 2, 2, 4), box_confidence (2, 2, 2, 1), box_class_probs (2, 2, 2, 3) and, for each
    box, its best class score and class (values that are exact in float32).
    """
    confidence = np.full((2, 2, 2, 1), 0.25, np.float32)
    probs = np.full((2, 2, 2, 3), 1 / 3, np.float32)
    plan = {  # (row, col, anchor): (confidence, class probabilities)
        (0, 0, 0): (1.0, (0.25, 0.5, 0.25)),  # best score 0.5, class 1: exactly at a threshold of 0.5
        (0, 0, 1): (0.5, (0.75, 0.125, 0.125)),  # class probability 0.75, but score 0.375
        (0, 1, 0): (0.75, (0.125, 0.125, 0.75)),  # score 0.5625, class 2
        (1, 0, 1): (0.9, (0.25, 0.375, 0.375)),  # very confident box, no clear class: best score 0.3375
        (1, 1, 0): (1.0, (0.125, 0.125, 0.75)),  # score 0.75, class 2
    }
    for spot, (c, p) in plan.items():
        confidence[spot] = c
        probs[spot] = p
    rows, cols, anchors = np.meshgrid(np.arange(2), np.arange(2), np.arange(2), indexing="ij")
    # every box different: its corners say where it is in the grid
    boxes = np.stack(
        [rows * 0.5, cols * 0.5 + anchors * 0.1, rows * 0.5 + 0.4, cols * 0.5 + anchors * 0.1 + 0.3], axis=-1
    ).astype(np.float32)  # (2, 2, 2, 4)
    scores = (confidence * probs).max(axis=-1)
    classes = (confidence * probs).argmax(axis=-1)
    return boxes, confidence, probs, scores, classes


@visible_check
def check_yolo_filter_boxes(yolo_filter_boxes):
    """Check yolo_filter_boxes on hand-built boxes: the threshold (>=), the score, the class, the default, empty
    output."""
    name = "yolo_filter_boxes"
    boxes, confidence, probs, scores, classes = _filter_case()
    inputs = _tensors(boxes, confidence, probs)
    for threshold in (0.5, 0.3, None, 0.9):
        case = describe_case(
            boxes=boxes,
            box_confidence=confidence,
            box_class_probs=probs,
            threshold=threshold if threshold is not None else "not given (default .6)",
        )
        kwargs = {} if threshold is None else {"threshold": threshold}
        got_scores, got_boxes, got_classes = _unpack(
            name, call_student(name, yolo_filter_boxes, *inputs, case=case, **kwargs), case
        )
        limit = 0.6 if threshold is None else threshold
        keep = scores >= limit  # (2, 2, 2)
        if threshold is None and len(got_scores) != keep.sum():
            fail(
                name,
                f"without a threshold argument it kept {_count(len(got_scores))}; the default threshold "
                f"is .6 (threshold=.6 in the def line).",
                case,
            )
        if len(got_scores) != keep.sum():
            _explain_filter_count(name, got_scores, got_boxes, boxes, confidence, probs, scores, limit, case)
        for s, b, c in zip(got_scores, got_boxes, got_classes):
            spot = _index_of(boxes.reshape(-1, 4), b)
            if spot is None or not keep.ravel()[spot]:
                fail(
                    name,
                    "it returned a box that should have been filtered out (or a box changed on the way); "
                    "keep the boxes whose best class score is >= threshold, unchanged.",
                    case,
                )
            if not np.isclose(s, scores.ravel()[spot], rtol=1e-5, atol=1e-6):
                if np.isclose(s, probs.reshape(-1, 3).max(axis=-1)[spot], rtol=1e-5, atol=1e-6):
                    fail(
                        name,
                        "the scores are the class probabilities alone; a box's class score is "
                        "box_confidence * box_class_probs.",
                        case,
                    )
                fail(
                    name,
                    "a kept box has the wrong score: it should be the box's best class score, the maximum "
                    "over classes of box_confidence * box_class_probs.",
                    case,
                )
            if int(c) != classes.ravel()[spot]:
                fail(
                    name,
                    "a kept box has the wrong class: it is the index of its best class score "
                    "(argmax over the last axis of box_confidence * box_class_probs).",
                    case,
                )
    report_success(name)


def _explain_filter_count(name, got_scores, got_boxes, boxes, confidence, probs, scores, threshold, case):
    """Fail with the likely reason why the number of kept boxes is wrong."""
    kept = len(got_scores)
    if threshold != 0.6 and kept == np.sum(scores >= 0.6):
        fail(
            name,
            f"it kept {_count(kept)}, as many as have a best class score >= .6: the threshold argument is "
            f"not used; compare the scores with threshold.",
            case,
        )
    if kept == np.sum(scores > threshold) and np.any(scores == threshold):
        fail(
            name,
            "a box whose best score equals the threshold exactly was dropped; keep the boxes whose "
            "score is >= threshold (not >).",
            case,
        )
    if kept == np.sum(confidence[..., 0] >= threshold):
        fail(
            name,
            f"it kept {_count(kept)}, as many as have box_confidence >= threshold; filter on the best "
            f"CLASS score (box_confidence * box_class_probs, maximum over classes) instead.",
            case,
        )
    if kept == np.sum(probs.max(axis=-1) >= threshold):
        fail(
            name,
            f"it kept {_count(kept)}, as many as have a class probability >= threshold; the class score "
            f"is box_confidence * box_class_probs.",
            case,
        )
    fail(
        name,
        f"it kept {_count(kept)}, but {int(np.sum(scores >= threshold))} have a best class score >= "
        f"threshold ({threshold}).",
        case,
    )


# ----------------------------------------------------------------------------------------------
# iou
# ----------------------------------------------------------------------------------------------

# (box1, box2, IoU worked out by hand, what the case is)
IOU_CASES = [
    ((2, 1, 4, 3), (1, 2, 3, 4), 1 / 7, "boxes overlapping in a corner"),
    ((0, 0, 4, 4), (1, 1, 3, 3), 4 / 16, "a box nested in another"),
    ((0, 2, 6, 4), (2, 0, 4, 6), 4 / 20, "two boxes crossing each other"),
    ((1.5, 1.0, 3.5, 2.0), (1.5, 1.0, 3.5, 2.0), 1.0, "a box and itself"),
    ((0, 0, 2, 2), (2, 0, 4, 2), 0.0, "boxes touching along an edge"),
    ((0, 0, 2, 2), (2, 2, 4, 4), 0.0, "boxes touching at a corner"),
    ((0, 0, 1, 3), (2, 1, 3, 2), 0.0, "boxes side by side, apart"),
    ((0, 0, 1, 1), (2, 2, 4, 3), 0.0, "boxes apart along both axes"),
]


@visible_check
def check_iou(iou):
    """Check iou on overlapping, nested, crossing, identical, touching and separate boxes; it returns a Python float."""
    name = "iou"
    for box1, box2, right, what in IOU_CASES:
        for first, second in ((box1, box2), (box2, box1)):
            case = f"{what}: box1={first}, box2={second}"
            value = call_student(name, iou, first, second, case=case)
            problem = python_float_problem(value)
            if problem:
                fail(name, problem, case)
            if np.isclose(value, right, rtol=1e-6, atol=1e-9):
                continue
            _explain_iou(name, float(value), first, second, right, case)
    report_success(name)


def _explain_iou(name, value, box1, box2, right, case):
    """Fail with the likely reason why iou(box1, box2) is wrong."""
    if value < 0:
        fail(
            name,
            "the IoU came out negative: when the boxes do not overlap, the intersection's width or height "
            "is negative; clip each of them at 0 (max(..., 0)) before multiplying.",
            case,
        )
    if right == 0 and value > 0:
        fail(
            name,
            "boxes that do not overlap (or only touch) must have IoU 0; clip the intersection's width and "
            "its height at 0 separately, before multiplying them (two negative sides make a positive "
            "product).",
            case,
        )
    areas = [(b[2] - b[0]) * (b[3] - b[1]) for b in (box1, box2)]
    inter = right * sum(areas) / (1 + right)  # from IoU = inter / (area1 + area2 - inter)
    if inter > 0 and np.isclose(value, inter / sum(areas)):
        fail(name, "the union counts the intersection twice: union = area1 + area2 - intersection.", case)
    if right == 1.0 or (value > 1):
        fail(
            name,
            "the IoU of a box with itself must be 1 and no IoU can exceed 1; check the intersection: its "
            "corners are the LARGER of the two x1 (and y1) and the SMALLER of the two x2 (and y2).",
            case,
        )
    fail(
        name,
        "the IoU is wrong: the intersection runs from max(x1) to min(x2) and from max(y1) to min(y2) "
        "(0 if either is negative); IoU = intersection / (area1 + area2 - intersection).",
        case,
    )


# ----------------------------------------------------------------------------------------------
# yolo_non_max_suppression
# ----------------------------------------------------------------------------------------------


def _nms_case():
    """Five boxes (y1, x1, y2, x2) with scores and classes, and which of them survive which settings.

    B sits almost on A (IoU 0.81) and belongs to another class; D overlaps A by IoU 1/3; C and E are
    alone.
    """
    boxes = np.array(
        [
            [0, 0, 10, 10],  # A
            [1, 1, 10, 10],  # B: IoU 0.81 with A
            [20, 20, 30, 30],  # C
            [0, 5, 10, 15],  # D: IoU 1/3 with A
            [40, 40, 45, 45],
        ],  # E
        np.float32,
    )
    scores = np.array([0.9, 0.8, 0.7, 0.65, 0.6], np.float32)
    classes = np.array([0, 1, 0, 2, 1], np.int64)
    return boxes, scores, classes


@visible_check
def check_yolo_non_max_suppression(yolo_non_max_suppression):
    """Check yolo_non_max_suppression on five boxes: suppression over all classes, iou_threshold and max_boxes."""
    name = "yolo_non_max_suppression"
    boxes, scores, classes = _nms_case()
    inputs = _tensors(scores, boxes, classes)
    plans = [
        ({}, "ACDE"),
        ({"iou_threshold": 0.3}, "ACE"),
        ({"max_boxes": 2}, "AC"),
        ({"max_boxes": 3, "iou_threshold": 0.9}, "ABC"),
    ]
    for kwargs, survivors in plans:
        settings = ", ".join(f"{k}={v}" for k, v in kwargs.items()) or "default max_boxes and iou_threshold"
        case = (
            f"5 boxes A to E in decreasing order of score, B on top of A (IoU 0.81), D overlapping A "
            f"(IoU 1/3); {settings}"
        )
        got_scores, got_boxes, got_classes = _unpack(
            name, call_student(name, yolo_non_max_suppression, *inputs, case=case, **kwargs), case
        )
        picked = []
        for s, b, c in zip(got_scores, got_boxes, got_classes):
            spot = _index_of(boxes, b)
            if spot is None:
                fail(
                    name,
                    "it returned a box that is not one of the input boxes; select boxes, do not change them.",
                    case,
                )
            if not np.isclose(s, scores[spot]) or int(c) != classes[spot]:
                fail(
                    name,
                    "a kept box came back with the score or class of another box; gather scores, boxes "
                    "and classes with the same indices.",
                    case,
                )
            picked.append("ABCDE"[spot])
        if sorted(picked) == sorted(survivors):
            continue
        _explain_nms(name, picked, survivors, kwargs, case)
    report_success(name)


def _explain_nms(name, picked, survivors, kwargs, case):
    """Fail with the likely reason why the wrong boxes survived."""
    picked = "".join(sorted(picked))
    if "max_boxes" in kwargs and len(picked) > kwargs["max_boxes"]:
        fail(
            name,
            f"it kept {_count(len(picked))} with max_boxes={kwargs['max_boxes']}; pass max_boxes on to "
            f"tf.image.non_max_suppression.",
            case,
        )
    if "B" in picked and "B" not in survivors:
        fail(
            name,
            "box B, which almost covers the better box A, was kept: suppression runs over all boxes together, "
            "whatever their class (one call of tf.image.non_max_suppression).",
            case,
        )
    if kwargs.get("iou_threshold") == 0.3 and "D" in picked:
        fail(
            name,
            "with iou_threshold=0.3 box D (IoU 1/3 with the better box A) should be removed; pass "
            "iou_threshold on to tf.image.non_max_suppression.",
            case,
        )
    if "A" not in picked:
        fail(name, "the best box A was removed; the box with the highest score is always kept.", case)
    fail(
        name,
        f"it kept the boxes {', '.join(picked) or 'none'}; that does not follow the rule: keep the best box, "
        f"drop the boxes overlapping it by more than iou_threshold, repeat, at most max_boxes boxes.",
        case,
    )


# ----------------------------------------------------------------------------------------------
# yolo_eval
# ----------------------------------------------------------------------------------------------


def _eval_case():
    """Decoded outputs of a 2 x 2 grid with 2 anchors and 3 classes, with three boxes worth finding.

    P and Q are nearly the same box (class 1; P scores 0.81, Q 0.72); R is elsewhere (class 2, 0.76);
    every other box scores at most 0.25.
    """
    box_xy = np.full((2, 2, 2, 2), 0.5, np.float32)
    box_wh = np.full((2, 2, 2, 2), 0.2, np.float32)
    confidence = np.full((2, 2, 2, 1), 0.25, np.float32)
    probs = np.full((2, 2, 2, 3), 1 / 3, np.float32)
    plan = {  # spot: (centre x, y), (width, height), confidence, class probabilities
        (0, 0, 0): ((0.25, 0.25), (0.3, 0.2), 0.9, (0.05, 0.9, 0.05)),  # P
        (0, 0, 1): ((0.26, 0.25), (0.3, 0.2), 0.8, (0.05, 0.9, 0.05)),  # Q
        (1, 1, 0): ((0.75, 0.6), (0.2, 0.4), 0.95, (0.1, 0.1, 0.8)),  # R
    }
    for spot, (xy, wh, c, p) in plan.items():
        box_xy[spot], box_wh[spot], confidence[spot], probs[spot] = xy, wh, c, p
    return box_xy, box_wh, confidence, probs


@visible_check
def check_yolo_eval(yolo_eval):
    """Check yolo_eval on three hand-built boxes: scaling to the image, each setting passed on, suppression."""
    name = "yolo_eval"
    require_helpers_pass(
        name,
        yolo_eval,
        {
            "yolo_filter_boxes": check_yolo_filter_boxes.__wrapped__,
            "yolo_non_max_suppression": check_yolo_non_max_suppression.__wrapped__,
        },
    )
    outputs = _tensors(*_eval_case())
    height, width = 100.0, 200.0
    # P and R in pixels (y1, x1, y2, x2), worked out from their centres and sizes
    P = np.array([15, 20, 35, 80], np.float32)
    R = np.array([40, 130, 80, 170], np.float32)
    plans = [
        ({}, [P, R]),
        ({"max_boxes": 1}, [P]),
        ({"score_threshold": 0.78}, [P]),
        ({"iou_threshold": 0.95}, [P, R, None]),
    ]
    for kwargs, wanted in plans:
        settings = ", ".join(f"{k}={v}" for k, v in kwargs.items()) or "default settings"
        case = (
            f"a 2 x 2 grid with 2 anchors and 3 classes, two nearly identical boxes and a third one elsewhere, "
            f"image_shape=({height}, {width}); {settings}"
        )
        got_scores, got_boxes, got_classes = _unpack(
            name, call_student(name, yolo_eval, outputs, (height, width), case=case, **kwargs), case
        )
        if len(got_boxes) and np.all(np.abs(got_boxes) <= 1.0):
            fail(
                name,
                "the boxes are still fractions of the image; scale them to pixels with "
                "scale_boxes(boxes, image_shape).",
                case,
            )
        # the same boxes scaled with (width, height): y grows by width / height, x by height / width
        swapped = [b * np.array([width / height, height / width] * 2, np.float32) for b in wanted if b is not None]
        if swapped and all(_index_of(got_boxes, b) is not None for b in swapped):
            fail(
                name,
                "the boxes were scaled with height and width swapped; image_shape is (height, width), and "
                "scale_boxes takes it as it is.",
                case,
            )
        if len(got_boxes) != len(wanted):
            _explain_eval_count(name, len(got_boxes), kwargs, case)
        for b in wanted:
            if b is not None and _index_of(got_boxes, b) is None:
                fail(
                    name,
                    "a box that should be detected is missing or misplaced; turn (box_xy, box_wh) into corners "
                    "with yolo_boxes_to_corners(box_xy, box_wh), then filter, scale and suppress.",
                    case,
                )
    report_success(name)


def _explain_eval_count(name, count, kwargs, case):
    """Fail with the likely reason why yolo_eval returned the wrong number of boxes."""
    if "max_boxes" in kwargs:
        fail(
            name,
            f"with max_boxes={kwargs['max_boxes']} it returned {_count(count)}; pass max_boxes on to "
            f"yolo_non_max_suppression.",
            case,
        )
    if "score_threshold" in kwargs:
        fail(
            name,
            f"with score_threshold={kwargs['score_threshold']} it returned {_count(count)}; pass "
            f"score_threshold on to yolo_filter_boxes.",
            case,
        )
    if "iou_threshold" in kwargs:
        fail(
            name,
            f"with iou_threshold={kwargs['iou_threshold']} the two nearly identical boxes should both stay; "
            f"pass iou_threshold on to yolo_non_max_suppression.",
            case,
        )
    if count == 3:
        fail(
            name,
            "two nearly identical boxes were both kept; run yolo_non_max_suppression on the filtered, scaled boxes.",
            case,
        )
    fail(
        name,
        f"it returned {_count(count)}; follow the steps: corners, filter by score_threshold, scale to the "
        f"image, non-max suppression.",
        case,
    )
