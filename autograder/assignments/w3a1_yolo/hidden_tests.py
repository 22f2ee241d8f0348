"""Hidden tests for w3a1_yolo: the student's YOLO functions against the reference on randomised cases.

Each ``test_<function>(func, seed=0)`` is a script of calls (see autograder.judging.replay): it draws its
cases from a NumPy generator seeded with ``seed``, calls ``func`` on
plain data and raises AssertionError with a message in the exercise's terms (never the expected values).
In the student's kernel the TensorFlow functions are called through the "tensors" adapter: float arrays reach
them as float32 tensors and the tensors they return come back as arrays. The grader's side needs no
TensorFlow: the reference (autograder/assignments/w3a1_yolo/reference.py) is NumPy computing in float32 as TensorFlow
does. ``iou`` is called on tuples of Python numbers and must return a Python float.

What the cases cover: grids, anchor and class counts, thresholds, box counts, max_boxes and image shapes
other than the defaults (non-square images, given as floats and as ints), the defaults themselves, a best
score exactly at the threshold, nothing above the threshold, no box at all; for iou: overlapping, nested,
crossing, identical, touching (along an edge, at a corner) and separate boxes, ints and floats, both orders.
Random cases are drawn away from ambiguity: no score within a hair of the threshold, no IoU within 0.02 of
the IoU threshold, no two equal scores, so any correct implementation gives the same boxes.

Order: yolo_filter_boxes keeps boxes in the order of the grid and tf.image.non_max_suppression returns them
best first, but neither order is part of the exercise (the next step does not depend on it), so results are
judged as sets of (score, box, class) rows: each row must be right and belong together.

Isolation: yolo_eval's test answers the calls a correct yolo_eval makes to yolo_filter_boxes and
yolo_non_max_suppression from oracle tables (keyed by the arguments exactly as the student's kernel computes
them with the provided yolo_boxes_to_corners and scale_boxes), so a mistake in those two costs only their
own points. A call that is not in a table (another correct order of the steps is tabled too) goes to
the student's own function.
"""

import dataclasses
import inspect

import numpy as np

from autograder.assignments.w3a1_yolo import reference
from autograder.judging.cases import HiddenTest, oracle_table
from autograder.judging.replay import replayed
from autograder.judging.toolkit import call_student, fail, memoised
from cnnbook.assignments.w3a1_yolo.checks import as_array, detections_problem, python_float_problem
from cnnbook.checks import describe_case
from cnnbook.grading.wire import decode, encode

__all__ = ["test_yolo_filter_boxes", "test_iou", "test_yolo_non_max_suppression", "test_yolo_eval", "HIDDEN_TESTS"]

GRADED = ("yolo_filter_boxes", "iou", "yolo_non_max_suppression", "yolo_eval")
TENSOR_FUNCTIONS = ("yolo_filter_boxes", "yolo_non_max_suppression", "yolo_eval")
RTOL, ATOL = 1e-4, 1e-5
SCORE_MARGIN = 1e-3  # no random best score this close to the score threshold
IOU_MARGIN = 0.02  # no random pair of candidate boxes this close to the IoU threshold


# ----------------------------------------------------------------------------------------------
# Plumbing
# ----------------------------------------------------------------------------------------------


def _reference(name):
    """The reference `name` (NumPy: arrays in, arrays out, the same values a TensorFlow solution returns)."""
    return getattr(reference, name)


def _count(n, what="box"):
    """'1 box', '3 boxes'."""
    return f"{n} {what}" if n == 1 else f"{n} {what}es"


def _detections(name, result, case):
    """Return the student's (scores, boxes, classes) as NumPy arrays, or fail on their kind or shapes."""
    problem = detections_problem(result)
    if problem:
        fail(name, problem, case)
    scores, boxes, classes = (as_array(v) for v in result)
    return scores.astype(np.float64), boxes.astype(np.float64), classes.astype(np.float64)


def _rows(detections):
    """(k, 6) rows (score, y1, x1, y2, x2, class) of a detections triple."""
    scores, boxes, classes = (np.asarray(v, dtype=np.float64) for v in detections)
    return np.concatenate([scores.reshape(-1, 1), boxes.reshape(-1, 4), classes.reshape(-1, 1)], axis=1)


def _same_set(got, want, columns=slice(None)):
    """True when the two triples hold the same rows (in any order), comparing the given columns of each row."""
    got, want = _rows(got)[:, columns], _rows(want)[:, columns]
    if got.shape != want.shape:
        return False
    free = np.ones(len(got), bool)
    for row in want:
        close = free & np.all(np.isclose(got, row, rtol=RTOL, atol=ATOL), axis=1)
        if not close.any():
            return False
        free[np.argmax(close)] = False
    return True


BOXES, SCORES, CLASSES = slice(1, 5), slice(0, 1), slice(5, 6)


def _box_iou(box, boxes):
    """IoU of one corner box (4,) with each of boxes (n, 4), in float64 (for drawing and diagnosing cases)."""
    top_left = np.maximum(box[:2], boxes[:, :2])
    bottom_right = np.minimum(box[2:], boxes[:, 2:])
    inter = np.prod(np.clip(bottom_right - top_left, 0, None), axis=1)
    areas = np.prod(boxes[:, 2:] - boxes[:, :2], axis=1)
    return inter / (np.prod(box[2:] - box[:2]) + areas - inter)


def _greedy_nms(scores, boxes, classes, max_boxes, iou_threshold, per_class=False):
    """Indices kept by greedy non-max suppression (float64), to draw discriminating cases and diagnose results."""
    order = list(np.argsort(-scores, kind="stable"))
    keep = []
    while order and len(keep) < max_boxes:
        best = order.pop(0)
        keep.append(best)
        if order:
            overlaps = _box_iou(boxes[best], boxes[order])
            same = classes[order] == classes[best] if per_class else np.ones(len(order), bool)
            order = [i for i, o, s in zip(order, overlaps, same) if not (s and o > iou_threshold)]
    return np.asarray(keep, np.int64)


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _random_corners(rng, shape, low, high):
    """Corner boxes (*shape, 4) (y1, x1, y2, x2) float32 with centres in 0..1 and sides between low and high."""
    centres = rng.uniform(0, 1, shape + (2,))  # (y, x)
    sides = rng.uniform(low, high, shape + (2,))
    return np.concatenate([centres - sides / 2, centres + sides / 2], axis=-1).astype(np.float32)


def _class_scores(confidence, probs):
    """Best class score and class of every box, computed in float32 as the exercise does: (...), (...)."""
    product = confidence * probs  # float32 (..., C)
    return product.max(axis=-1), product.argmax(axis=-1), np.sort(product, axis=-1)


def _clear_of(values, threshold, margin):
    """True when no value lies within `margin` of `threshold`."""
    return bool(np.all(np.abs(np.asarray(values, np.float64) - threshold) > margin))


def _distinct(values, gap=1e-5):
    """True when no two values are closer than `gap`."""
    values = np.sort(np.asarray(values, np.float64).ravel())
    return bool(np.all(np.diff(values) > gap))


# ----------------------------------------------------------------------------------------------
# yolo_filter_boxes
# ----------------------------------------------------------------------------------------------


def _filter_inputs(rng, S, A, C, threshold, want_kept=(1, None)):
    """Random boxes (S, S, A, 4), confidences (S, S, A, 1), class probabilities (S, S, A, C), clear of ambiguity."""
    low, high = want_kept
    for _ in range(1000):
        boxes = _random_corners(rng, (S, S, A), 0.05, 0.6)
        confidence = rng.uniform(0.05, 1.0, (S, S, A, 1)).astype(np.float32)
        probs = _softmax(rng.normal(0, 2.5, (S, S, A, C))).astype(np.float32)
        best, _, ranked = _class_scores(confidence, probs)
        kept = int(np.sum(best >= threshold))
        if (
            kept >= low
            and (high is None or kept <= high)
            and _clear_of(best, threshold, SCORE_MARGIN)
            and np.all(ranked[..., -1] - ranked[..., -2] > 1e-4)
            and _distinct(best)
        ):
            return boxes, confidence, probs
    raise RuntimeError("could not draw a clear yolo_filter_boxes case")  # never with the sizes used here


def _tie_inputs(rng, S, A):
    """Boxes whose best class scores are exact in float32, several of them exactly 0.375 (3 classes)."""
    confidences = np.array([0.5, 0.75, 1.0], np.float32)
    rows = np.array([[0.5, 0.25, 0.25], [0.75, 0.125, 0.125], [0.625, 0.25, 0.125], [0.375, 0.5, 0.125]], np.float32)
    while True:
        confidence = rng.choice(confidences, (S, S, A, 1))
        probs = rows[rng.integers(0, len(rows), (S, S, A))]  # (S, S, A, 3)
        probs = np.take_along_axis(probs, np.argsort(rng.random((S, S, A, 3)), axis=-1), axis=-1)  # classes shuffled
        best, _, _ = _class_scores(confidence, probs)
        if 2 <= np.sum(best == 0.375) and np.sum(best > 0.375) >= 2 and np.sum(best < 0.375) >= 2:
            return _random_corners(rng, (S, S, A), 0.05, 0.6), confidence, probs


def _filter_cases(rng):
    """The cases drawn from rng (made once per generator state; see _memo)."""
    return memoised(("_filter_cases", rng.bit_generator.state), lambda: _draw_filter_cases(rng))


def _draw_filter_cases(rng):
    """Cases (boxes, box_confidence, box_class_probs, threshold or None for the default, note)."""
    cases = []
    for S, A, C, threshold in [
        (3, 2, 4, 0.3),
        (4, 3, 3, 0.45),
        (5, 5, 4, None),
        (2, 3, 2, 0.2),
        (
            int(rng.integers(2, 7)),
            int(rng.integers(1, 6)),
            int(rng.integers(2, 7)),
            round(float(rng.uniform(0.2, 0.7)), 2),
        ),
    ]:
        limit = 0.6 if threshold is None else threshold
        cases.append((*_filter_inputs(rng, S, A, C, limit, want_kept=(2, None)), threshold, ""))
    cases.append((*_tie_inputs(rng, 3, 2), 0.375, "several boxes have a best score exactly equal to the threshold"))
    boxes, confidence, probs = _filter_inputs(rng, 3, 3, 3, 0.95, want_kept=(0, 0))
    cases.append((boxes, confidence, probs, 0.95, "no box reaches the threshold"))
    return cases


def test_yolo_filter_boxes(func, seed=0):
    """yolo_filter_boxes against the reference: several grids, anchors, classes and thresholds, ties, nothing kept."""
    name = "yolo_filter_boxes"
    rng = np.random.default_rng(seed)
    for boxes, confidence, probs, threshold, note in _filter_cases(rng):
        kwargs = {} if threshold is None else {"threshold": threshold}
        case = describe_case(
            boxes=boxes,
            box_confidence=confidence,
            box_class_probs=probs,
            threshold=threshold if threshold is not None else "not given (default .6)",
        )
        if note:
            case += f"; {note}"
        got = _detections(name, call_student(name, func, boxes, confidence, probs, case=case, **kwargs), case)
        want = _reference(name)(boxes, confidence, probs, **kwargs)
        if not _same_set(got, want):
            _explain_filter(
                name,
                got,
                want,
                boxes,
                confidence,
                probs,
                0.6 if threshold is None else threshold,
                threshold is None,
                case,
            )


def _filter_variant(boxes, confidence, probs, threshold, strict=False, score_of="product", keep_on="score"):
    """A (wrong or right) filtering of the boxes, for diagnoses: (scores, boxes, classes) as arrays."""
    best, classes, _ = _class_scores(confidence, probs)
    scores = probs.max(axis=-1) if score_of == "probs" else best
    measure = {"score": scores, "confidence": confidence[..., 0]}[keep_on]
    keep = measure > threshold if strict else measure >= threshold
    return scores[keep], boxes[keep], classes[keep]


def _explain_filter(name, got, want, boxes, confidence, probs, threshold, default, case):
    """Fail with the likely reason why the kept boxes, their scores or their classes are wrong."""

    def like(**variant):
        return _same_set(got, _filter_variant(boxes, confidence, probs, threshold, **variant))

    if default and not _same_set(got, _filter_variant(boxes, confidence, probs, 0.6)):
        for other in (0.5, 0.3, 0.0):
            if _same_set(got, _filter_variant(boxes, confidence, probs, other)):
                fail(
                    name,
                    "without a threshold argument the default threshold must be .6 (threshold=.6 in the def line).",
                    case,
                )
    if not default and _same_set(got, _filter_variant(boxes, confidence, probs, 0.6)):
        fail(
            name,
            "the threshold argument is not used (the boxes were filtered at .6); compare the scores with threshold.",
            case,
        )
    if like(strict=True):
        fail(
            name,
            "a box whose best score equals the threshold exactly was dropped; keep the boxes with "
            "score >= threshold (not >).",
            case,
        )
    on_confidence = _filter_variant(boxes, confidence, probs, threshold, keep_on="confidence")
    if like(keep_on="confidence") or (not _same_set(got, want, BOXES) and _same_set(got, on_confidence, BOXES)):
        fail(
            name,
            "the boxes were filtered on box_confidence; filter on each box's best CLASS score, the maximum "
            "over classes of box_confidence * box_class_probs.",
            case,
        )
    on_probs = _filter_variant(boxes, confidence, probs, threshold, score_of="probs")
    if like(score_of="probs") or (not _same_set(got, want, BOXES) and _same_set(got, on_probs, BOXES)):
        fail(
            name,
            "the scores are the class probabilities alone; a box's class score is box_confidence * box_class_probs.",
            case,
        )
    got_rows, want_rows = _rows(got), _rows(want)
    if len(got_rows) != len(want_rows):
        fail(
            name, f"it kept {_count(len(got_rows))} where {len(want_rows)} have a best class score >= threshold.", case
        )
    if not _same_set(got, want, BOXES):
        fail(
            name,
            "the kept boxes are not the ones whose best class score is >= threshold (or they were "
            "changed); apply the same mask to boxes.",
            case,
        )
    if not _same_set(got, want, slice(0, 5)):
        fail(
            name,
            "the kept boxes are right but their scores are not: each is the box's best class score "
            "(reduce_max over the last axis of box_confidence * box_class_probs), masked like the boxes.",
            case,
        )
    if np.all(got[2] == 0) and np.any(want[2] != 0):
        fail(
            name,
            "every class index is 0: take the argmax over the last axis of the class SCORES "
            "(box_confidence * box_class_probs), not of box_confidence (which has one entry).",
            case,
        )
    fail(
        name,
        "the kept boxes and scores are right but their classes are not: each is the index of the box's "
        "best class score (argmax over the last axis), masked like the boxes.",
        case,
    )


# ----------------------------------------------------------------------------------------------
# iou
# ----------------------------------------------------------------------------------------------

# (box1, box2, what the case is); ints as in the exercise's examples, floats as real coordinates are
IOU_FIXED = [
    ((2, 1, 4, 3), (1, 2, 3, 4), "boxes overlapping in a corner"),
    ((1, 1, 7, 6), (2, 3, 5, 5), "a box nested in another"),
    ((0, 3, 8, 5), (3, 0, 5, 9), "two boxes crossing each other"),
    ((0.5, 1.5, 4.0, 3.25), (0.5, 1.5, 4.0, 3.25), "a box and itself"),
    ((1, 1, 3, 4), (3, 2, 6, 5), "boxes touching along an edge"),
    ((1.0, 1.0, 2.5, 2.0), (2.5, 2.0, 4.0, 3.5), "boxes touching at a corner"),
    ((0, 0, 2, 5), (3, 1, 5, 4), "boxes side by side, apart (they overlap in y only)"),
    ((0, 0, 2, 2), (3, 4, 6, 7), "boxes apart along both axes"),
    ((10, 20, 110, 70), (60, 45, 210, 95), "boxes in pixels, overlapping"),
]


def _iou_cases(rng):
    """Cases (box1, box2, what): the fixed ones, both orders, and random overlapping float boxes."""
    cases = []
    for box1, box2, what in IOU_FIXED:
        cases += [(box1, box2, what), (box2, box1, what + ", the other way round")]
    for _ in range(4):
        x1, y1 = (float(v) for v in np.round(rng.uniform(0, 50, 2), 3))
        w1, h1, w2, h2 = (float(v) for v in np.round(rng.uniform(5, 40, 4), 3))
        x2, y2 = (float(v) for v in np.round([x1 + rng.uniform(-0.6, 0.6) * w1, y1 + rng.uniform(-0.6, 0.6) * h1], 3))
        cases.append(
            (
                (x1, y1, round(x1 + w1, 3), round(y1 + h1, 3)),
                (x2, y2, round(x2 + w2, 3), round(y2 + h2, 3)),
                "random boxes",
            )
        )
    return cases


def test_iou(func, seed=0):
    """iou against the reference: overlapping, nested, crossing, identical, touching and separate boxes."""
    name = "iou"
    rng = np.random.default_rng(seed)
    for box1, box2, what in _iou_cases(rng):
        case = f"{what}: box1={box1}, box2={box2}"
        value = call_student(name, func, box1, box2, case=case)
        problem = python_float_problem(value)
        if problem:
            fail(name, problem, case)
        want = reference.iou(box1, box2)
        if not np.isclose(value, want, rtol=1e-5, atol=1e-7):
            _explain_iou(name, float(value), box1, box2, want, case)


def _explain_iou(name, value, box1, box2, want, case):
    """Fail with the likely reason why iou(box1, box2) is wrong."""
    (ax1, ay1, ax2, ay2), (bx1, by1, bx2, by2) = box1, box2
    width, height = min(ax2, bx2) - max(ax1, bx1), min(ay2, by2) - max(ay1, by1)
    areas = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1)
    if value < 0:
        fail(
            name,
            "the IoU came out negative: for boxes that do not overlap, the intersection's width or height is "
            "negative; clip each at 0 (max(..., 0)) before multiplying.",
            case,
        )
    if want == 0 and value > 0 and width < 0 and height < 0:
        fail(
            name,
            "boxes apart along both axes got an IoU above 0: clip the intersection's width and height at 0 "
            "SEPARATELY, before multiplying (two negative sides make a positive area).",
            case,
        )
    if want == 0 and value > 0:
        fail(name, "boxes that do not overlap, or only touch, must have IoU 0.", case)
    inter = max(width, 0) * max(height, 0)
    if inter > 0 and np.isclose(value, inter / areas, rtol=1e-5):
        fail(name, "the union counts the intersection twice: union = area1 + area2 - intersection.", case)
    if value == 0 and 0 < want < 1:
        fail(name, "overlapping boxes got IoU 0; if the intersection is right, divide with / (not //).", case)
    if value == 1 and want < 1:
        fail(
            name,
            "two different boxes got IoU 1: the intersection came out as large as the union. The "
            "intersection's corners are the LARGER x1 and y1 and the SMALLER x2 and y2.",
            case,
        )
    if value > 1 + 1e-9:
        fail(
            name,
            "no IoU can exceed 1; check the intersection: from the LARGER x1 to the SMALLER x2, and the same for y.",
            case,
        )
    fail(
        name,
        "the IoU is wrong: the intersection runs from max(x1) to min(x2) and from max(y1) to min(y2) (a side "
        "below 0 counts as 0); a box's area is (x2 - x1) * (y2 - y1); IoU = intersection / (area1 + area2 "
        "- intersection).",
        case,
    )


# ----------------------------------------------------------------------------------------------
# yolo_non_max_suppression
# ----------------------------------------------------------------------------------------------


def _nms_inputs(rng, k, n_classes, image, iou_threshold, accept):
    """Random scores (k,), pixel boxes (k, 4) in clusters, classes (k,), clear of ambiguity and accepted by `accept`."""
    height, width = image
    for attempt in range(300):
        # clusters of boxes around an object: similar sizes and centres, so IoUs spread over 0.2 .. 0.9
        n_clusters = max(1, k // 4)
        centres = rng.uniform(0.15, 0.85, (n_clusters, 2)) * (height, width)
        object_sides = rng.uniform(0.1, 0.3, (n_clusters, 2)) * (height, width)
        boxes = []
        while len(boxes) < k:  # a box that would make an IoU ambiguous is drawn again
            j = rng.integers(n_clusters)
            sides = object_sides[j] * rng.uniform(0.75, 1.3, 2)
            middle = centres[j] + rng.normal(0, 0.15, 2) * sides
            box = np.concatenate([middle - sides / 2, middle + sides / 2]).astype(np.float32)
            if not boxes or _clear_of(
                _box_iou(box.astype(np.float64), np.array(boxes, np.float64)), iou_threshold, IOU_MARGIN
            ):
                boxes.append(box)
        boxes = np.array(boxes, np.float32).reshape(-1, 4)
        scores = rng.uniform(0.3, 1.0, k).astype(np.float32)
        classes = rng.integers(0, n_classes, k).astype(np.int64)
        # after many refusals, a clear case that tells less is better than no case at all
        if _distinct(scores) and (accept(scores, boxes, classes) or attempt >= 250):
            return scores, boxes, classes
    raise RuntimeError("could not draw a clear yolo_non_max_suppression case")


def _nms_cases(rng):
    """The cases drawn from rng (made once per generator state; see _memo)."""
    return memoised(("_nms_cases", rng.bit_generator.state), lambda: _draw_nms_cases(rng))


def _draw_nms_cases(rng):
    """Cases (scores, boxes, classes, kwargs, note, positional), each drawn so that it tells the mistakes it targets."""

    def kept(scores, boxes, classes, settings):
        chosen = _greedy_nms(
            scores.astype(np.float64),
            boxes.astype(np.float64),
            classes,
            settings.get("max_boxes", 10),
            settings.get("threshold", 0.5),
            settings.get("per_class"),
        )
        return set(chosen.tolist())

    def telling(settings, pairs):
        """Accept a draw where suppression matters and every pair of (changed settings) keeps other boxes."""

        def accept(scores, boxes, classes):
            if not pairs:  # a free random case
                return True
            right = kept(scores, boxes, classes, settings)
            unsuppressed = kept(scores, boxes, classes, {**settings, "threshold": np.inf})
            return (
                len(right) >= 2
                and right != unsuppressed
                and all(
                    kept(scores, boxes, classes, {**settings, **one})
                    != kept(scores, boxes, classes, {**settings, **two})
                    for one, two in pairs
                )
            )

        return accept

    no_suppression = {"threshold": np.inf}
    plans = [  # (k, classes, image, settings as _greedy_nms takes them, pairs of changed settings that must differ)
        (24, 3, (120.0, 200.0), {}, [({}, {"per_class": True}), ({"per_class": True}, no_suppression)]),
        (30, 4, (300.0, 180.0), {"max_boxes": 4}, [({}, {"max_boxes": 10})]),
        (26, 2, (96.0, 160.0), {"threshold": 0.3, "max_boxes": 20}, [({}, {"threshold": 0.5})]),
        (20, 3, (200.0, 200.0), {"threshold": 0.7, "max_boxes": 6}, [({}, {"threshold": 0.5})]),
        (
            int(rng.integers(8, 31)),
            int(rng.integers(1, 5)),
            (float(rng.integers(64, 400)), float(rng.integers(64, 400))),
            {"threshold": round(float(rng.uniform(0.3, 0.75)), 2), "max_boxes": int(rng.integers(2, 13))},
            [],
        ),
    ]
    cases = []
    for k, n_classes, image, settings, pairs in plans:
        scores, boxes, classes = _nms_inputs(
            rng, k, n_classes, image, settings.get("threshold", 0.5), telling(settings, pairs)
        )
        kwargs = {("iou_threshold" if key == "threshold" else key): v for key, v in settings.items()}
        cases.append((scores, boxes, classes, kwargs, "", k == 30))
    one = _nms_inputs(rng, 1, 2, (100.0, 100.0), 0.5, lambda *a: True)
    cases.append((*one, {"max_boxes": 3}, "a single box", False))
    empty = (np.zeros(0, np.float32), np.zeros((0, 4), np.float32), np.zeros(0, np.int64))
    cases.append((*empty, {"max_boxes": 5, "iou_threshold": 0.4}, "no box at all", False))
    return cases


def test_yolo_non_max_suppression(func, seed=0):
    """yolo_non_max_suppression against the reference: clusters of boxes, max_boxes and iou_threshold, defaults,
    edges."""
    name = "yolo_non_max_suppression"
    rng = np.random.default_rng(seed)
    for scores, boxes, classes, kwargs, note, positional in _nms_cases(rng):
        settings = {"max_boxes": "not given (default 10)", "iou_threshold": "not given (default .5)", **kwargs}
        case = describe_case(scores=scores, boxes=boxes, classes=classes, **settings)
        if note:
            case += f"; {note}"
        if positional:  # max_boxes and iou_threshold given by position, as yolo_eval may pass them
            args, call_kwargs = (scores, boxes, classes, kwargs["max_boxes"], kwargs.get("iou_threshold", 0.5)), {}
        else:
            args, call_kwargs = (scores, boxes, classes), kwargs
        got = _detections(name, call_student(name, func, *args, case=case, **call_kwargs), case)
        want = _reference(name)(*args, **call_kwargs)
        if not _same_set(got, want):
            max_boxes = kwargs.get("max_boxes", 10)
            threshold = kwargs.get("iou_threshold", 0.5)
            _explain_nms(name, got, want, scores, boxes, classes, max_boxes, threshold, case)


def _explain_nms(name, got, want, scores, boxes, classes, max_boxes, threshold, case):
    """Fail with the likely reason why the kept boxes are wrong."""

    def like(max_boxes=max_boxes, threshold=threshold, per_class=False):
        keep = _greedy_nms(
            scores.astype(np.float64), boxes.astype(np.float64), classes, max_boxes, threshold, per_class
        )
        return _same_set(got, (scores[keep], boxes[keep], classes[keep]), BOXES)

    if not _same_set(got, want, BOXES):
        if len(got[0]) > max_boxes:
            fail(
                name,
                f"it kept {_count(len(got[0]))} with max_boxes={max_boxes}; pass max_boxes on "
                f"(tf.image.non_max_suppression's max_output_size).",
                case,
            )
        if max_boxes != 10 and like(max_boxes=10):
            fail(
                name, "max_boxes is not used (10 boxes were allowed); pass it on to tf.image.non_max_suppression.", case
            )
        if threshold != 0.5 and like(threshold=0.5):
            fail(
                name,
                "iou_threshold is not used (the boxes were suppressed at .5); pass it on to "
                "tf.image.non_max_suppression.",
                case,
            )
        if like(threshold=np.inf):
            fail(
                name,
                "no box was suppressed: drop every box whose IoU with a better, kept box is above iou_threshold.",
                case,
            )
        if like(per_class=True):
            fail(
                name,
                "boxes were only suppressed by better boxes of their own class; suppression runs over all "
                "boxes together, whatever their class.",
                case,
            )
        fail(
            name,
            f"it kept {_count(len(got[0]))}, not the right ones: keep the best box, drop the boxes that "
            f"overlap it by more than iou_threshold, repeat with the best remaining box, at most max_boxes "
            f"boxes.",
            case,
        )
    fail(
        name,
        "the right boxes were kept, but with the scores or classes of other boxes; select scores, boxes and "
        "classes with the same indices (tf.gather with the indices non-max suppression returns).",
        case,
    )


# ----------------------------------------------------------------------------------------------
# yolo_eval
# ----------------------------------------------------------------------------------------------


def _eval_inputs(rng, S, A, C, settings, accept):
    """Random decoded outputs (box_xy, box_wh, box_confidence, box_class_probs) of an S x S grid, clear of ambiguity.

    The boxes gather around a few objects, with similar sizes, as a detector's neighbouring cells and anchors
    propose them, so that their IoUs spread over 0.2 .. 0.9. Box by box: a box whose best class score is
    within a hair of score_threshold, whose two best classes nearly tie, or which would pass the threshold
    with an IoU near iou_threshold (or a score equal to another's) with a box already passing, is drawn again.
    """
    score_threshold, iou_threshold = settings["score_threshold"], settings["iou_threshold"]
    for attempt in range(300):
        n_objects = int(rng.integers(2, 5))
        object_xy = rng.uniform(0.15, 0.85, (n_objects, 2))
        object_wh = rng.uniform(0.1, 0.4, (n_objects, 2))
        box_xy = np.zeros((S, S, A, 2), np.float32)
        box_wh = np.zeros((S, S, A, 2), np.float32)
        confidence = np.zeros((S, S, A, 1), np.float32)
        probs = np.zeros((S, S, A, C), np.float32)
        passing, passing_scores = [], []  # corners (y1, x1, y2, x2) in fractions and scores of the boxes that pass
        for spot in np.ndindex(S, S, A):
            while True:
                j = rng.integers(n_objects)
                wh = (object_wh[j] * rng.uniform(0.75, 1.3, 2)).astype(np.float32)
                xy = (object_xy[j] + rng.normal(0, 0.15, 2) * wh).astype(np.float32)
                c = rng.uniform(0.3, 1.0, 1).astype(np.float32)
                p = _softmax(rng.normal(0, 3.0, C)).astype(np.float32)
                best, _, ranked = _class_scores(c, p)
                if not _clear_of(best, score_threshold, SCORE_MARGIN) or ranked[-1] - ranked[-2] <= 1e-4:
                    continue
                if best >= score_threshold:
                    corner = np.concatenate([xy[::-1] - wh[::-1] / 2, xy[::-1] + wh[::-1] / 2]).astype(np.float64)
                    if passing and not (
                        _clear_of(_box_iou(corner, np.array(passing)), iou_threshold, IOU_MARGIN)
                        and _clear_of(passing_scores, best, 1e-5)
                    ):
                        continue
                    passing.append(corner)
                    passing_scores.append(float(best))
                break
            box_xy[spot], box_wh[spot], confidence[spot], probs[spot] = xy, wh, c, p
        scores = np.array(passing_scores)
        if len(passing) >= 3 and (accept(scores, np.array(passing)) or attempt >= 250):
            return box_xy, box_wh, confidence, probs
    raise RuntimeError("could not draw a clear yolo_eval case")


def _eval_cases(rng):
    """The cases drawn from rng (made once per generator state; see _memo)."""
    return memoised(("_eval_cases", rng.bit_generator.state), lambda: _draw_eval_cases(rng))


def _draw_eval_cases(rng):
    """Cases (yolo_outputs, image_shape, kwargs): settings other than the defaults, and the defaults."""

    def kept(scores, corners, max_boxes, iou_threshold, score_threshold=0.0):
        """The passing boxes (indices) that survive; score_threshold drops some first (a mistake's default)."""
        high = np.flatnonzero(scores >= score_threshold)
        chosen = _greedy_nms(
            scores[high].astype(np.float64), corners[high], np.zeros(len(high)), max_boxes, iou_threshold
        )
        return set(high[chosen].tolist())

    def differ(*settings_pairs):
        """Accept the draw when each pair of settings keeps different boxes."""
        return lambda s, c: all(kept(s, c, *one) != kept(s, c, *two) for one, two in settings_pairs)

    plans = [  # (S, A, C, image_shape, kwargs, accept(scores, corners) of the boxes above the score threshold)
        (
            4,
            3,
            3,
            (96, 160),
            {"max_boxes": 4, "score_threshold": 0.4, "iou_threshold": 0.45},
            differ(((4, 0.45), (10, 0.45))),
        ),
        (
            3,
            4,
            4,
            (300.0, 200.0),
            {"max_boxes": 15, "score_threshold": 0.35, "iou_threshold": 0.3},
            differ(((15, 0.3), (15, 0.5)), ((15, 0.3), (15, 0.3, 0.6))),
        ),
        (
            5,
            2,
            2,
            (64.0, 256.0),
            {"max_boxes": 6, "score_threshold": 0.5, "iou_threshold": 0.65},
            differ(((6, 0.65), (6, 0.5))),
        ),
        (4, 3, 5, (720.0, 1280.0), {}, differ(((10, 0.5), (10**6, 1.0)))),
        (
            int(rng.integers(3, 6)),
            int(rng.integers(2, 5)),
            int(rng.integers(2, 6)),
            (float(rng.integers(50, 500)), float(rng.integers(50, 500))),
            {
                "max_boxes": int(rng.integers(3, 12)),
                "score_threshold": round(float(rng.uniform(0.3, 0.55)), 2),
                "iou_threshold": round(float(rng.uniform(0.3, 0.7)), 2),
            },
            lambda s, c: True,
        ),
    ]
    cases = []
    for S, A, C, image_shape, kwargs, accept in plans:
        settings = {"max_boxes": 10, "score_threshold": 0.6, "iou_threshold": 0.5, **kwargs}
        cases.append((_eval_inputs(rng, S, A, C, settings, accept), image_shape, kwargs))
    return cases


def test_yolo_eval(func, seed=0):
    """yolo_eval against the reference: grids, image shapes, thresholds and max_boxes other than the defaults, and
    them."""
    name = "yolo_eval"
    rng = np.random.default_rng(seed)
    for yolo_outputs, image_shape, kwargs in _eval_cases(rng):
        box_xy, box_wh, confidence, probs = yolo_outputs
        settings = {
            "max_boxes": "not given (default 10)",
            "score_threshold": "not given (default .6)",
            "iou_threshold": "not given (default .5)",
            **kwargs,
        }
        case = describe_case(
            box_xy=box_xy,
            box_wh=box_wh,
            box_confidence=confidence,
            box_class_probs=probs,
            image_shape=image_shape,
            **settings,
        )
        got = _detections(name, call_student(name, func, yolo_outputs, image_shape, case=case, **kwargs), case)
        want = _reference(name)(yolo_outputs, image_shape, **kwargs)
        if not _same_set(got, want):
            _explain_eval(name, got, want, yolo_outputs, image_shape, kwargs, case)


def _explain_eval(name, got, want, yolo_outputs, image_shape, kwargs, case):
    """Fail with the likely reason why the detections are wrong."""
    settings = {"max_boxes": 10, "score_threshold": 0.6, "iou_threshold": 0.5, **kwargs}
    ref = _reference(name)

    def like(outputs=yolo_outputs, shape=image_shape, columns=slice(None), **changed):
        return _same_set(got, ref(outputs, shape, **{**settings, **changed}), columns)

    if like(shape=(1.0, 1.0)):
        fail(
            name,
            "the boxes are still fractions of the image; scale them to pixels with scale_boxes(boxes, "
            "image_shape) before non-max suppression.",
            case,
        )
    if like(shape=tuple(image_shape)[::-1]):
        fail(
            name,
            "the boxes were scaled with height and width swapped; pass image_shape, which is (height, "
            "width), to scale_boxes as it is.",
            case,
        )
    box_xy, box_wh, confidence, probs = yolo_outputs
    if like(outputs=(box_wh, box_xy, confidence, probs)):
        fail(
            name,
            "box_xy and box_wh were swapped: yolo_outputs is (box_xy, box_wh, box_confidence, "
            "box_class_probs), and yolo_boxes_to_corners takes (box_xy, box_wh).",
            case,
        )
    for key, default in (("score_threshold", 0.6), ("max_boxes", 10), ("iou_threshold", 0.5)):
        if settings[key] != default and like(**{key: default}):
            fail(
                name,
                f"{key} is not passed on (its default was used); hand every setting of yolo_eval to the "
                f"step that needs it.",
                case,
            )
    if like(iou_threshold=1.0, max_boxes=10**6):
        fail(
            name,
            "the filtered boxes were returned without non-max suppression; finish with "
            "yolo_non_max_suppression on the scaled boxes.",
            case,
        )
    if like(columns=BOXES):
        fail(
            name,
            "the right boxes were found, but their scores or classes do not belong to them; keep the scores, "
            "boxes and classes that each step returns together.",
            case,
        )
    fail(
        name,
        f"it returned {_count(len(got[0]))}, not the right ones; the steps are: corners from (box_xy, box_wh), "
        f"filter by score_threshold, scale to image_shape, non-max suppression with max_boxes and "
        f"iou_threshold.",
        case,
    )


# ----------------------------------------------------------------------------------------------
# Oracles: the calls a correct yolo_eval makes to the two other graded functions, answered by the reference
# ----------------------------------------------------------------------------------------------


def _yolo_eval_oracles(*args, **kwargs):
    """Oracles for the yolo_filter_boxes and yolo_non_max_suppression calls a correct yolo_eval makes.

    The arguments are computed as the student's kernel computes them: corners as the provided
    yolo_boxes_to_corners makes them from the float32 tensors of the case, the filter's answer read back from
    the wire (NumPy arrays), scaled as the provided scale_boxes does (the reference's float32 twins of those
    two give the same bits; tested). Tabled orders of the steps: filter then scale (the exercise's), scale
    then filter, and non-max suppression before scaling.
    """
    bound = inspect.signature(reference.yolo_eval).bind(*args, **kwargs)
    bound.apply_defaults()
    a = bound.arguments
    box_xy, box_wh, confidence, probs = a["yolo_outputs"]
    image_shape, threshold = a["image_shape"], a["score_threshold"]
    corners = reference.boxes_to_corners(box_xy, box_wh)  # (S, S, A, 4) float32, fractions
    filter_calls = [
        (corners, confidence, probs, threshold),
        (reference.scale_to_image(corners, image_shape), confidence, probs, threshold),
    ]
    scores, boxes, classes = decode(encode(reference.yolo_filter_boxes(*filter_calls[0])))
    nms_calls = [
        (scores, boxes_, classes, a["max_boxes"], a["iou_threshold"])
        for boxes_ in (reference.scale_to_image(boxes, image_shape), boxes)
    ]
    return {
        "yolo_filter_boxes": oracle_table(reference.yolo_filter_boxes, filter_calls),
        "yolo_non_max_suppression": oracle_table(reference.yolo_non_max_suppression, nms_calls),
    }


def _called_with_tensors(test):
    """The hidden test with its cases run through the "tensors" adapter in the kernel.

    The grader's reference is NumPy (no TensorFlow in the grader), so the adapter is only needed on the
    student's side: arrays in the cases become float32 tensors there, and returned tensors come back as arrays.
    """

    def make_cases(rng):
        return [dataclasses.replace(case, adapter="tensors") for case in test.make_cases(rng)]

    return HiddenTest(test.function, make_cases, test.judge)


def _hidden_test(name):
    test = replayed(
        name,
        globals()[f"test_{name}"],
        getattr(reference, name),
        oracles=_yolo_eval_oracles if name == "yolo_eval" else None,
    )
    return _called_with_tensors(test) if name in TENSOR_FUNCTIONS else test


HIDDEN_TESTS = {f"test_{name}": _hidden_test(name) for name in GRADED}
