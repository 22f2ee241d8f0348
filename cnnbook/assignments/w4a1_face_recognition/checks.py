"""Visible checks for w4a1_face_recognition: the triplet loss, face verification and face recognition.

``check_triplet_loss(triplet_loss)`` feeds hand-made triplets whose loss follows from a simple property (when
anchor, positive and negative are one encoding only the margin is left; a negative far away contributes
nothing; a positive 1.5 away and a negative 1.0 away differ in squared distance by 1.25).
``check_verify(verify)`` and ``check_who_is_it(who_is_it)`` run the student's function on a small made-up
database, with a stand-in for img_to_encoding that answers for the check's own photo names and model token
(no image is read) and with THRESHOLD set by the check. On a mistake a check raises ``CheckFailure`` with a
message in the exercise's terms; on success it prints one line. ``number_problem``, ``loss_value_problem``
and ``NOT_IN_DATABASE`` are shared with the hidden tests so both speak the same language.

Used by: solutions/w4a1_face_recognition/w4a1_face_recognition.ipynb, the grader
"""

import contextlib
import io
import types

import numpy as np

from cnnbook.checks import call_student, fail, report_success, shape_text, visible_check

__all__ = [
    "check_triplet_loss",
    "check_verify",
    "check_who_is_it",
    "number_problem",
    "loss_value_problem",
    "NOT_IN_DATABASE",
]

NOT_IN_DATABASE = "not in the database"  # who_is_it says this (any capitalisation) for a stranger
_ENCODING_SIZE = 128
_TOL = 1e-4


# ----------------------------------------------------------------------------------------------
# Diagnoses shared with the hidden tests
# ----------------------------------------------------------------------------------------------


def number_problem(what, value):
    """Explain why a returned distance `what` is not a single number; None if it is one (a 0-d array counts)."""
    if isinstance(value, (bool, np.bool_)):
        return f"{what} should be a distance (a number), but it is a bool."
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None
    if isinstance(value, np.ndarray):
        if value.ndim == 0 and np.issubdtype(value.dtype, np.number):
            return None
        if value.size == 1:
            return (
                f"{what} is an array of shape {value.shape}; return a single number. np.linalg.norm(x) without "
                f"an axis gives one number for the whole difference."
            )
        return (
            f"{what} is an array of shape {value.shape}; the distance between two encodings is ONE number, "
            f"the L2 norm of their whole difference."
        )
    return f"{what} should be a distance (a number), but it is {shape_text(value)}."


def loss_value_problem(value, m):
    """Explain why `value` (a returned loss, tensors already turned into arrays) is not a 0-d tensor; None if it is."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return None
        if value.shape == (m,):
            return (
                f"the loss has shape {value.shape}, one value per triplet; add them up into a single number "
                f"(tf.reduce_sum), a tensor of shape ()."
            )
        return (
            f"the loss should be a single number, a tensor of shape (), but it has shape {value.shape}; "
            f"sum the squared differences over the last axis only (axis=-1), then add up the m triplets."
        )
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        return (
            "it returned a Python or NumPy number; return the TensorFlow tensor itself (for example the result "
            "of tf.reduce_sum), so that gradients can flow through the loss when a network is trained."
        )
    return f"it should return a tensor of shape (), but it returned {shape_text(value)}."


# ----------------------------------------------------------------------------------------------
# triplet_loss
# ----------------------------------------------------------------------------------------------


def _loss_of(triplet_loss, y_pred, case, **kwargs):
    """Call triplet_loss(None, y_pred as tensors) and return its value as a float, after checking it is a 0-d tensor."""
    import tensorflow as tf

    tensors = tuple(tf.constant(x, dtype=tf.float32) for x in y_pred)
    value = call_student("triplet_loss", triplet_loss, None, tensors, case=case, **kwargs)
    if isinstance(value, (tf.Tensor, tf.Variable)):
        value = np.asarray(value.numpy())
    elif isinstance(value, np.ndarray):
        fail(
            "triplet_loss",
            "it returned a NumPy array; stay with TensorFlow operations (tf.square, tf.reduce_sum, "
            "tf.maximum) and return the tensor.",
            case,
        )
    problem = loss_value_problem(value, y_pred[0].shape[0])
    if problem:
        fail("triplet_loss", problem, case)
    return float(value)


def _offsets(m, pos_offset, neg_offset):
    """Anchors (m, 128) of zeros, positives moved by pos_offset along entry 0, negatives by neg_offset along entry 1."""
    anchors = np.zeros((m, _ENCODING_SIZE), np.float32)
    positives, negatives = anchors.copy(), anchors.copy()
    positives[:, 0] = pos_offset
    negatives[:, 1] = neg_offset
    return anchors, positives, negatives


@visible_check
def check_triplet_loss(triplet_loss):
    """Check triplet_loss(y_true, y_pred, alpha=0.2) on hand-made triplets; raise CheckFailure on a mistake."""
    name = "triplet_loss"
    rng = np.random.default_rng(11)
    same = rng.standard_normal((3, _ENCODING_SIZE)).astype(np.float32)
    case = "3 triplets whose anchor, positive and negative are one and the same encoding, alpha not given"
    got = _loss_of(triplet_loss, (same, same, same), case)
    if abs(got - 3 * 0.2) > _TOL:
        if abs(got - 0.2) < _TOL:
            fail(
                name,
                "the loss equals ONE margin for three triplets: either the per-triplet losses are averaged "
                "(use tf.reduce_sum, not tf.reduce_mean) or the squared distances were summed over every axis "
                "at once (sum over the last axis only, axis=-1, to get one distance per triplet).",
                case,
            )
        if abs(got - _ENCODING_SIZE * 0.2) < _TOL:
            fail(
                name,
                "the margin was counted once per entry of the encoding: the squared distances were summed "
                "over the batch axis; sum over the last axis (axis=-1) instead.",
                case,
            )
        if abs(got) < _TOL:
            fail(
                name,
                "with all three encodings equal, both distances are 0 and each triplet's loss is the margin "
                "alpha; here the loss is 0, so the margin is missing or subtracted (add + alpha).",
                case,
            )
        fail(
            name,
            "with all three encodings equal, each triplet's loss is exactly the margin alpha (0.2 by "
            "default), and the loss adds the triplets up.",
            case,
        )
    case = "the same 3 triplets, alpha=0.5"
    got = _loss_of(triplet_loss, (same, same, same), case, alpha=0.5)
    if abs(got - 3 * 0.5) > _TOL:
        fail(name, "with alpha=0.5 the margin did not change: use the argument alpha, not a fixed number.", case)

    unit = same / np.linalg.norm(same, axis=1, keepdims=True)
    case = "3 triplets: positive = anchor, negative = -anchor (unit encodings, far beyond the margin)"
    got = _loss_of(triplet_loss, (unit, unit, -unit), case)
    if abs(got) > _TOL:
        if got < 0:
            fail(
                name,
                "the loss is negative: each triplet's value must be clipped at zero, max(..., 0) "
                "(tf.maximum(..., 0.0)), so a triplet that already satisfies the margin adds nothing.",
                case,
            )
        fail(
            name,
            "a triplet whose negative is much farther than its positive (beyond the margin) must add "
            "nothing to the loss.",
            case,
        )

    case = "1 triplet: the positive 1.5 away from the anchor, the negative 1.0 away, alpha=0.2"
    got = _loss_of(triplet_loss, _offsets(1, 1.5, 1.0), case)
    if abs(got - (1.5**2 - 1.0**2 + 0.2)) > _TOL:
        if abs(got - (1.5 - 1.0 + 0.2)) < _TOL:
            fail(
                name,
                "the distances must be SQUARED L2 distances: sum the squared differences (tf.square, then "
                "tf.reduce_sum over axis=-1), without a square root.",
                case,
            )
        if abs(got - (1.0**2 - 1.5**2 + 0.2)) < _TOL or abs(got) < _TOL:
            fail(
                name,
                "the positive distance comes first: ||anchor - positive||^2 - ||anchor - negative||^2 + alpha.",
                case,
            )
        if abs(got - (1.5**2 - 1.0**2 - 0.2)) < _TOL:
            fail(name, "the margin is subtracted; add it: ||a - p||^2 - ||a - n||^2 + alpha.", case)
        fail(
            name,
            "each triplet's loss is max(||anchor - positive||^2 - ||anchor - negative||^2 + alpha, 0), with "
            "squared L2 distances.",
            case,
        )

    anchors, positives, negatives = _offsets(2, 1.5, 1.0)
    positives[1, 0], negatives[1, 1] = 0.0, 2.0  # the second triplet is well beyond the margin
    case = "2 triplets: the one above, and one whose positive equals its anchor and whose negative is 2.0 away"
    got = _loss_of(triplet_loss, (anchors, positives, negatives), case)
    first = 1.5**2 - 1.0**2 + 0.2
    if abs(got - first) > _TOL:
        if abs(got - first / 2) < _TOL:
            fail(name, "the per-triplet losses are averaged; add them up (tf.reduce_sum, not tf.reduce_mean).", case)
        if abs(got - max(first - 4.0 + 0.2, 0.0)) < _TOL:
            fail(
                name, "max(..., 0) was applied to the total; apply it to each triplet's value, then add them up.", case
            )
        fail(
            name,
            "the loss of a batch is the sum over its triplets of each triplet's clipped value; the second "
            "triplet adds nothing.",
            case,
        )
    report_success(name)


# ----------------------------------------------------------------------------------------------
# verify and who_is_it
# ----------------------------------------------------------------------------------------------

_MODEL = "check-model"  # the model the checks pass: a token that only their stand-in camera knows


def _with_names(func, **names):
    """A copy of func whose global lookups of `names` find the given objects (func itself if it is not a plain def)."""
    if not isinstance(func, types.FunctionType):
        return func
    return types.FunctionType(
        func.__code__, {**func.__globals__, **names}, func.__name__, func.__defaults__, func.__closure__
    )


def _camera(function_name, photos, calls):
    """A stand-in for img_to_encoding answering for the photos {path: encoding (1, 128)} and the check's model token."""

    def img_to_encoding(image_path, model):
        calls.append(image_path)
        if not isinstance(image_path, str) or image_path not in photos:
            fail(
                function_name,
                f"it called img_to_encoding with {shape_text(image_path)} as the image path; pass "
                f"the image_path the function was given.",
            )
        if not (isinstance(model, str) and model == _MODEL):
            fail(
                function_name,
                "it called img_to_encoding with another model than the one it was given; pass its "
                "own model argument (not a global such as FRmodel).",
            )
        return photos[image_path]

    return img_to_encoding


def _call_at_door(function_name, func, photos, threshold, *args, case):
    """Call verify or who_is_it with the stand-in camera and THRESHOLD set; return (value, printed text)."""
    calls = []
    target = _with_names(func, img_to_encoding=_camera(function_name, photos, calls), THRESHOLD=threshold)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        value = call_student(function_name, target, *args, case=case)
    if not calls:
        fail(function_name, "it never called img_to_encoding(image_path, model): encode the photo with it.", case)
    return value, printed.getvalue()


def _unpack(function_name, value, names, case):
    if not isinstance(value, (tuple, list)) or len(value) != len(names):
        fail(
            function_name,
            f"it should return the tuple ({', '.join(names)}), but it returned {shape_text(value)}.",
            case,
        )
    return tuple(value)


def _as_float(function_name, what, value, case):
    """The returned distance as a float (tensors allowed), or a failure saying why it is not a number."""
    if hasattr(value, "numpy") and callable(value.numpy):
        value = np.asarray(value.numpy())
    problem = number_problem(what, value)
    if problem:
        fail(function_name, problem, case)
    return float(value)


def _staff(*distances):
    """A made-up database {name: (1, 128)} and a visitor's encoding: person k is distances[k] away from the visitor."""
    names = ["Ada Okafor", "Ben Keller", "Cleo Martin", "Dev Patel", "Eva Rossi"][: len(distances)]
    visitor = np.zeros((1, _ENCODING_SIZE), np.float32)
    visitor[0, :3] = (0.5, -0.25, 0.75)
    database = {}
    for k, (name, d) in enumerate(zip(names, distances)):
        enrolled = visitor.copy()
        enrolled[0, 10 + k] += d  # one entry moved by d: the L2 distance is d
        database[name] = enrolled
    return names, database, visitor


@visible_check
def check_verify(verify):
    """Check verify(image_path, identity, database, model) on a made-up database; raise CheckFailure on a mistake."""
    from cnnbook.models.face_embedding import face_distance_threshold

    name = "verify"
    T = face_distance_threshold()
    names, database, visitor = _staff(0.3, 1.2, 0.78, 0.5)
    photos = {"door/visitor.png": visitor}
    trials = [  # (identity, distance, THRESHOLD, what the case is)
        (names[0], 0.3, T, "a visitor 0.3 away from the claimed person"),
        (names[1], 1.2, T, "the same visitor claims to be someone 1.2 away"),
        (names[2], 0.78, T, "a visitor 0.78 away from the claimed person (above THRESHOLD, below its square root)"),
        (names[2], 0.78, 0.9, "the same visitor and claim with THRESHOLD set to 0.9"),
        (names[3], 0.5, 0.5, "a visitor exactly THRESHOLD away from the claimed person"),
    ]
    for identity, distance, threshold, what in trials:
        case = f"{what}; THRESHOLD={threshold:.4g}"
        value, _ = _call_at_door(
            name, verify, photos, threshold, "door/visitor.png", identity, database, _MODEL, case=case
        )
        dist, door_open = _unpack(name, value, ("dist", "door_open"), case)
        got = _as_float(name, "dist", dist, case)
        if abs(got - distance) > _TOL:
            if abs(got - distance**2) < _TOL:
                fail(
                    name,
                    "dist is the SQUARED distance; the threshold is on the L2 distance itself "
                    "(np.linalg.norm of the difference, the square root of the sum of squares).",
                    case,
                )
            fail(
                name,
                "dist should be the L2 distance between the photo's encoding and database[identity], the "
                "encoding of the person the visitor claims to be.",
                case,
            )
        if hasattr(door_open, "numpy") or isinstance(door_open, np.ndarray):
            fail(
                name,
                "door_open is a tensor or array; return a Python bool, True or False (for example "
                "bool(dist < THRESHOLD)).",
                case,
            )
        if not isinstance(door_open, (bool, np.bool_)):
            fail(name, f"door_open should be a Python bool, True or False, but it is {shape_text(door_open)}.", case)
        if bool(door_open) != (distance < threshold):
            if distance == threshold:
                fail(
                    name,
                    "a distance equal to THRESHOLD must keep the door shut: open it only when dist < THRESHOLD "
                    "(strictly smaller).",
                    case,
                )
            if threshold != T:
                fail(
                    name,
                    "door_open did not follow THRESHOLD when its value changed: compare dist with the global "
                    "THRESHOLD, not with a number written in the code.",
                    case,
                )
            fail(name, "the door should open exactly when dist < THRESHOLD.", case)
    report_success(name)


@visible_check
def check_who_is_it(who_is_it):
    """Check who_is_it(image_path, database, model) on a made-up database; raise CheckFailure on a mistake."""
    from cnnbook.models.face_embedding import face_distance_threshold

    name = "who_is_it"
    T = face_distance_threshold()
    trials = [  # (distances of the people, THRESHOLD, what the case is)
        ((1.1, 0.2, 1.3, 0.5), T, "the second of 4 people is nearest; the last one is near too"),
        ((1.4, 0.9, 1.2, 1.0), T, "a stranger: everyone is farther than THRESHOLD"),
        ((1.2, 0.75, 1.3), T, "the nearest person is 0.75 away (above THRESHOLD, below its square root)"),
        ((1.4, 0.9, 1.2, 1.0), 0.95, "the stranger above with THRESHOLD set to 0.95"),
        ((1.1, 0.5, 1.3), 0.5, "the nearest person is exactly THRESHOLD away"),
    ]
    for distances, threshold, what in trials:
        case = f"{what}; THRESHOLD={threshold:.4g}"
        names, database, visitor = _staff(*distances)
        value, printed = _call_at_door(
            name, who_is_it, {"door/visitor.png": visitor}, threshold, "door/visitor.png", database, _MODEL, case=case
        )
        min_dist, identity = _unpack(name, value, ("min_dist", "identity"), case)
        got = _as_float(name, "min_dist", min_dist, case)
        nearest = int(np.argmin(distances))
        if identity is None:
            fail(
                name,
                "identity is None: start min_dist at a large number (for example 100) and keep the name of "
                "the nearest person, also when that person is farther than THRESHOLD.",
                case,
            )
        if identity != names[nearest] or abs(got - distances[nearest]) > _TOL:
            if abs(got - distances[nearest] ** 2) < _TOL:
                fail(name, "min_dist is a SQUARED distance; use the L2 distance itself (np.linalg.norm).", case)
            if identity == names[-1]:
                fail(
                    name,
                    "it kept the LAST person of the database rather than the nearest: update min_dist and "
                    "identity only when the new distance is smaller than min_dist.",
                    case,
                )
            fail(
                name, "(min_dist, identity) should be the smallest distance and the name of that nearest person.", case
            )
        known = distances[nearest] < threshold
        says_unknown = NOT_IN_DATABASE in printed.casefold()
        if known and (says_unknown or identity not in printed):
            if threshold != T:
                fail(
                    name,
                    "the message did not follow THRESHOLD when its value changed: compare min_dist with the "
                    "global THRESHOLD, not with a number written in the code.",
                    case,
                )
            fail(
                name,
                'the nearest person is closer than THRESHOLD: print who it is (with their name), not "Not in '
                'the database."',
                case,
            )
        if not known and not says_unknown:
            if distances[nearest] == threshold:
                fail(
                    name,
                    'a distance equal to THRESHOLD is not a match: print "Not in the database." unless '
                    "min_dist < THRESHOLD (strictly smaller).",
                    case,
                )
            if threshold != T:
                fail(
                    name,
                    "the message did not follow THRESHOLD when its value changed: compare min_dist with the "
                    "global THRESHOLD, not with a number written in the code.",
                    case,
                )
            fail(
                name,
                'everyone is at THRESHOLD or farther: print "Not in the database." (and still return the '
                "nearest name).",
                case,
            )
    report_success(name)
