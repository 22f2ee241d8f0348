"""Hidden tests for w4a1_face_recognition: triplet_loss, verify and who_is_it against the reference.

Each ``test_<function>(func, seed=0)`` is a script of calls (autograder.judging.replay): it draws its
cases from a NumPy generator seeded with ``seed`` and raises
AssertionError with a message in the exercise's terms (never the expected values) at the first wrong result.

- triplet_loss is called through the "tensors" adapter (arrays in become tensors, the tensor out becomes
  an array): hand-made cases (the margin alone, every triplet clipped at zero, a mix that tells a sum from a
  mean and a per-triplet hinge from one on the total) and random triplets of several batch sizes, with the
  default margin and others.
- verify and who_is_it are called through the "w4a1_face_recognition.door" adapter, which sets THRESHOLD for
  the call and reports what the function printed. No photo or network exists in the kernel: the model is a
  token string and img_to_encoding(image_path, model) is answered by an oracle table keyed by (image path,
  model token). A function that encodes another path, or with another model (the notebook's FRmodel instead
  of its argument), misses the table and reaches the notebook's real img_to_encoding, which cannot find the
  file: the call fails. The encodings are drawn at chosen distances from the enrolled ones: well inside and
  well outside the course threshold, between THRESHOLD and its square root (a squared distance decides
  wrongly there), exactly at the threshold (dyadic numbers, so every correct way of computing the distance
  gives the same float), at other thresholds, in databases of 1 to 12 people with the nearest person first,
  in the middle or last.
"""

import numpy as np

from autograder.assignments.w4a1_face_recognition import reference
from autograder.judging.cases import oracle_table
from autograder.judging.replay import replayed
from autograder.judging.toolkit import call_student, fail
from cnnbook.assignments.w4a1_face_recognition.checks import NOT_IN_DATABASE, loss_value_problem, number_problem
from cnnbook.checks import exception_hint, shape_text
from cnnbook.data.faces import STAFF_NAMES
from cnnbook.grading.adapters import adapt
from cnnbook.grading.rebinding import with_globals
from cnnbook.models.face_embedding import ENCODING_SIZE, face_distance_threshold

__all__ = ["test_triplet_loss", "test_verify", "test_who_is_it", "HIDDEN_TESTS", "GRADED"]

GRADED = ("triplet_loss", "verify", "who_is_it")
DOOR_ADAPTER = "w4a1_face_recognition.door"
RTOL, ATOL = 1e-4, 1e-5
# Other people's names for the drawn databases (the staff are invented too)
EXTRA_NAMES = ("Mei Lin", "Omar Said", "Sofia Rossi", "Tomas Novak", "Yara Haddad", "Zane Cole")

# (image path, model token) -> encoding (1, n_e) float32: what the door camera "saw" in the drawn cases
_CAMERA: dict = {}


# ----------------------------------------------------------------------------------------------
# Plumbing
# ----------------------------------------------------------------------------------------------


def _encoding_hint(exc) -> str:
    """exception_hint, plus what to do when the function opened a photo it was not given."""
    hint = exception_hint(exc)
    text = str(exc)
    if "No such file" in text or "not find" in text or "FileNotFound" in type(exc).__name__:
        hint += (
            " Hint: encode the photo with img_to_encoding(image_path, model), using the image_path and "
            "the model that were passed to the function (not a global model or another path)."
        )
    return hint


def _close(got, want):
    return bool(np.isclose(got, want, rtol=RTOL, atol=ATOL))


def _unit(rng, n=ENCODING_SIZE):
    """A random unit vector (n,)."""
    v = rng.standard_normal(n)
    return v / np.linalg.norm(v)


def _at_distance(rng, u, d):
    """A unit vector at L2 distance d (0 < d < 2) from the unit vector u, in a random direction."""
    v = rng.standard_normal(u.size)
    v -= v.dot(u) * u
    v /= np.linalg.norm(v)
    theta = 2 * np.arcsin(d / 2)
    return np.cos(theta) * u + np.sin(theta) * v


def _dyadic(rng, n=ENCODING_SIZE):
    """A vector (n,) of multiples of 1/64 in [-1/4, 1/4]: its sums of squared differences are exact in float32."""
    return rng.integers(-16, 17, size=n) / 64.0


def _encoding(v):
    """An encoding as img_to_encoding returns it: (1, n_e) float32."""
    return np.asarray(v, np.float32).reshape(1, -1)


def _number(value):
    """A returned distance as a float: Python or NumPy number, or a 0-d array (a tensor); else None."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray) and value.ndim == 0 and np.issubdtype(value.dtype, np.number):
        return float(value)
    return None


# ----------------------------------------------------------------------------------------------
# triplet_loss
# ----------------------------------------------------------------------------------------------


def _triplets_at(rng, pos_sq, neg_sq):
    """Anchors, positives, negatives (m, n_e) of unit norm with the given squared distances (m,) from the anchors."""
    anchors = np.stack([_unit(rng) for _ in pos_sq])
    positives = np.stack([_at_distance(rng, a, np.sqrt(d)) for a, d in zip(anchors, pos_sq)])
    negatives = np.stack([_at_distance(rng, a, np.sqrt(d)) for a, d in zip(anchors, neg_sq)])
    return [x.astype(np.float32) for x in (anchors, positives, negatives)]


def _mixed_squared_distances(rng, m, alpha, positive_total=False):
    """Squared distances (m,) each where pos - neg + alpha is clearly positive or clearly negative, both kinds present.

    positive_total: the unclipped values also add up to more than 0.05, so that a hinge on the total and one over
    every axis give values that differ from each other and from the right loss.
    """
    while True:
        pos_sq = rng.uniform(0.1, 1.6, m)
        neg_sq = rng.uniform(0.1, 2.2, m)
        basic = pos_sq - neg_sq + alpha
        if (
            np.all(np.abs(basic) > 0.05)
            and (m == 1 or (np.any(basic > 0) and np.any(basic < 0)))
            and (not positive_total or basic.sum() > 0.05)
        ):
            return pos_sq, neg_sq


def _triplet_cases(rng):
    """(label, y_pred, alpha or None for the default) of the triplet_loss test."""
    cases = []
    # A mix first: it tells a mean from a sum and a per-triplet hinge from one on the total.
    alpha = 0.2
    cases.append(
        (
            "a batch of 6 triplets, some inside the margin and some beyond it",
            6,
            None,
            _mixed_squared_distances(rng, 6, alpha, positive_total=True),
        )
    )
    anchors = np.stack([_unit(rng) for _ in range(3)]).astype(np.float32)
    cases.append(
        (
            "3 triplets whose anchor, positive and negative are the same encoding (only the margin counts)",
            None,
            None,
            (anchors, anchors.copy(), anchors.copy()),
        )
    )
    anchors = np.stack([_unit(rng) for _ in range(4)]).astype(np.float32)
    cases.append(
        (
            "4 triplets whose negatives are far beyond the margin (every triplet clipped at zero)",
            None,
            0.3,
            (anchors, anchors.copy(), -anchors),
        )
    )
    cases.append(("a batch of 5 triplets, alpha=0.5", 5, 0.5, _mixed_squared_distances(rng, 5, 0.5)))
    for m in (1, 2, 16, int(rng.integers(3, 12))):
        alpha = float(rng.choice([0.2, 0.1, 0.35]))
        cases.append((f"{m} random triplets, alpha={alpha}", m, alpha, _mixed_squared_distances(rng, m, alpha)))
    made = []
    for label, m, alpha, data in cases:
        if m is not None:
            data = _triplets_at(rng, *data)
        made.append((label, tuple(data), alpha))
    return made


def test_triplet_loss(func, seed=0):
    """triplet_loss: a 0-d tensor, the sum over triplets of max(||a - p||^2 - ||a - n||^2 + alpha, 0)."""
    name = "triplet_loss"
    rng = np.random.default_rng(seed)
    for label, y_pred, alpha in _triplet_cases(rng):
        kwargs = {} if alpha is None else {"alpha": alpha}
        case = f"{label}; y_pred = (anchor, positive, negative), each of shape {y_pred[0].shape}" + (
            "" if alpha is not None else ", alpha not given (default 0.2)"
        )
        value = call_student(name, func, None, y_pred, case=case, **kwargs)
        problem = loss_value_problem(value, y_pred[0].shape[0])
        if problem:
            fail(name, problem, case)
        want = float(_reference_loss(None, y_pred, **kwargs))
        got = float(value)
        if _close(got, want):
            continue
        used_alpha = 0.2 if alpha is None else alpha
        fail(name, _triplet_loss_diagnosis(got, y_pred, used_alpha), case)


def _reference_loss(y_true, y_pred, **kwargs):
    """The reference loss as a 0-d array, called as the student's is (through the "tensors" adapter)."""
    return adapt("tensors", reference.triplet_loss)(y_true, y_pred, **kwargs)


def _triplet_loss_diagnosis(got, y_pred, alpha):
    """Words for a wrong loss: the first plausible mistake whose value it matches, else the formula."""
    a, p, n = (np.asarray(x, np.float64) for x in y_pred)
    m = a.shape[0]
    pos, neg = ((a - p) ** 2).sum(-1), ((a - n) ** 2).sum(-1)  # (m,) squared distances
    basic = pos - neg + alpha  # (m,)
    relu = lambda x: np.maximum(x, 0.0)  # noqa: E731
    candidates = [
        (
            relu(basic).mean() if m > 1 else None,
            "the per-triplet losses are averaged; the triplet loss adds them up (tf.reduce_sum, not tf.reduce_mean).",
        ),
        (
            basic.sum(),
            "negative per-triplet values were kept (the max(..., 0) is missing, or applied only once to the total): "
            "clip "
            "each triplet's value at zero, max(..., 0) (tf.maximum(..., 0.0) or tf.nn.relu), before adding them up, so "
            "a triplet that already satisfies the margin adds nothing.",
        ),
        (
            max(basic.sum(), 0.0),
            "max(..., 0) was applied once to the total; apply it to each triplet's value, then add them up.",
        ),
        (
            relu(((a - p) ** 2 - (a - n) ** 2).sum(0) + alpha).sum(),
            "the squared differences were summed over the batch axis; sum them over the last axis (axis=-1), one "
            "distance per triplet.",
        ),
        (
            max(pos.sum() - neg.sum() + alpha, 0.0),
            "the squared differences were summed over every axis at once; sum them over the last axis only "
            "(axis=-1), to get one distance per triplet, shape (m,).",
        ),
        (
            relu(np.sqrt(pos) - np.sqrt(neg) + alpha).sum(),
            "the distances must be SQUARED L2 distances: sum the squared differences (tf.square, tf.reduce_sum over "
            "axis=-1) without taking a square root.",
        ),
        (
            relu(np.abs(a - p).sum(-1) - np.abs(a - n).sum(-1) + alpha).sum(),
            "the distances add up absolute differences; the triplet loss uses squared differences (tf.square).",
        ),
        (relu(pos - neg - alpha).sum(), "the margin alpha is subtracted; add it: ||a - p||^2 - ||a - n||^2 + alpha."),
        (relu(pos - neg).sum(), "the margin alpha is missing: ||a - p||^2 - ||a - n||^2 + alpha."),
        (
            relu(neg - pos + alpha).sum(),
            "the positive and negative distances are swapped: ||anchor - positive||^2 comes first, minus "
            "||anchor - negative||^2.",
        ),
        (
            relu(pos - neg + 0.2).sum() if alpha != 0.2 else None,
            "the margin should be the argument alpha, not a fixed 0.2.",
        ),
    ]
    for value, message in candidates:
        if value is not None and _close(got, value):
            return message
    return (
        "the loss should be the sum over the m triplets of max(||a - p||^2 - ||a - n||^2 + alpha, 0), with the "
        "squared distances summed over the last axis (one per triplet)."
    )


# ----------------------------------------------------------------------------------------------
# verify and who_is_it: databases, photos and the camera table
# ----------------------------------------------------------------------------------------------


def _names(rng, n):
    """n different names, in a random order."""
    pool = list(STAFF_NAMES) + list(EXTRA_NAMES)
    return [pool[i] for i in rng.permutation(len(pool))[:n]]


class _Door:
    """Draws one test's database photos and visitors; every photo goes into the camera table under this run's model
    token."""

    def __init__(self, rng, kind):
        self.rng = rng
        self.token = f"face-net-{kind}-{int(rng.integers(16**8)):08x}"
        self.count = 0

    def photo(self, vector):
        """Register a visitor's encoding; return the path the function is given."""
        self.count += 1
        path = f"door_camera/visitor_{self.count:02d}.png"
        _CAMERA[(path, self.token)] = _encoding(vector)
        return path

    def around(self, names, distances, visitor=None):
        """A visitor (unit encoding) and a database whose person k is at distances[k] from the visitor."""
        visitor = _unit(self.rng) if visitor is None else visitor
        database = {n: _encoding(_at_distance(self.rng, visitor, d)) for n, d in zip(names, distances)}
        return visitor, database

    def exact(self, names, offsets):
        """A dyadic visitor and a database whose person k differs from it by offsets[k] (list of (index, amount))."""
        visitor = _dyadic(self.rng)
        database = {}
        for n, changes in zip(names, offsets):
            v = visitor.copy()
            for index, amount in changes:
                v[index] += amount
            database[n] = _encoding(v)
        return visitor, database


def _draw(rng, n, low, high):
    """n distances in [low, high], at least 0.02 apart and from the course threshold (no near-ties to judge)."""
    T = face_distance_threshold()
    while True:
        d = rng.uniform(low, high, n)
        gaps = np.diff(np.sort(np.append(d, T)))
        if n == 1 or gaps.min() > 0.02:
            if abs(d - T).min() > 0.02:
                return list(d)


def _far(rng, n, low):
    """n distances of strangers, at least `low` and below 2."""
    return _draw(rng, n, low, min(low + 0.5, 1.9))


def _camera_lookup(image_path, model):
    """The encoding the door camera table holds for (image_path, model)."""
    return _CAMERA[(image_path, model)]


def _door_oracles(spec):
    """Oracle for the one img_to_encoding call a correct verify or who_is_it makes."""
    image_path, model = spec["args"][0], spec["args"][-1]
    return {"img_to_encoding": oracle_table(_img_to_encoding, [(image_path, model)])}


def _img_to_encoding(image_path, model):
    """Answers of the oracle (its parameter names are the notebook helper's)."""
    return _camera_lookup(image_path, model)


def _describe(database, threshold, identity=None):
    text = f"a database of {len(database)} {'person' if len(database) == 1 else 'people'}"
    if identity is not None:
        text += f", the visitor claims to be {identity!r}"
    return text + f", THRESHOLD={threshold:.4g}"


def _unpack(name, value, names, case):
    if not isinstance(value, (tuple, list)) or len(value) != len(names):
        fail(name, f"it should return the tuple ({', '.join(names)}), but it returned {shape_text(value)}.", case)
    return tuple(value)


def _report(name, reported, case):
    """The adapter's report: (what the function returned, what it printed)."""
    if not isinstance(reported, dict) or "returned" not in reported:
        fail(name, "the hidden tests could not read what it returned.", case)
    return reported["returned"], str(reported.get("printed", ""))


# ----------------------------------------------------------------------------------------------
# verify
# ----------------------------------------------------------------------------------------------


def _verify_cases(rng):
    """(kind, spec) of the verify test; kinds name what a wrong result means."""
    T = face_distance_threshold()
    door = _Door(rng, "verify")
    cases = []

    def add(kind, visitor, identity, database, threshold=T):
        cases.append((kind, {"args": [door.photo(visitor), identity, database, door.token], "threshold": threshold}))

    names = _names(rng, 12)
    k = int(rng.integers(0, 11))  # never the last person
    distances = _far(rng, 12, 1.0)
    distances[k] = rng.uniform(0.15, 0.45)
    visitor, database = door.around(names, distances)
    add("match", visitor, names[k], database)
    # The same visitor claims to be someone else: measure against the claimed person, not the nearest.
    add("impostor", visitor, names[(k + 1 + int(rng.integers(0, 10))) % 12], database)
    # Between THRESHOLD and its square root: a squared distance would open the door.
    distances = _far(rng, 12, 1.0)
    j = int(rng.integers(0, 12))
    distances[j] = rng.uniform(T + 0.04, np.sqrt(T) - 0.03)
    visitor, database = door.around(names, distances)
    add("above", visitor, names[j], database)
    # A stranger far from everyone.
    names3 = _names(rng, 3)
    visitor, database = door.around(names3, _far(rng, 3, 1.1))
    add("above", visitor, names3[int(rng.integers(0, 3))], database)
    # Just inside the threshold, in a database of 3.
    distances = _far(rng, 3, 1.0)
    distances[1] = T - rng.uniform(0.02, 0.05)
    visitor, database = door.around(names3, distances)
    add("match", visitor, names3[1], database)
    # One person only.
    one = _names(rng, 1)
    visitor, database = door.around(one, [rng.uniform(0.1, 0.4)])
    add("match", visitor, one[0], database)
    # Other thresholds: the global THRESHOLD decides, not a number written in the code.
    names5 = _names(rng, 5)
    distances = _far(rng, 5, 1.2)
    distances[2] = rng.uniform(0.8, 0.9)
    visitor, database = door.around(names5, distances)
    add("other threshold", visitor, names5[2], database, threshold=0.95)
    distances = _far(rng, 5, 1.2)
    distances[4] = rng.uniform(0.5, 0.6)
    visitor, database = door.around(names5, distances)
    add("other threshold", visitor, names5[4], database, threshold=0.45)
    # Exactly at the threshold (0.5, exact in float32 and float64): the door stays shut.
    names4 = _names(rng, 4)
    index = int(rng.integers(0, ENCODING_SIZE))
    offsets = [[(index, 0.5)], [(0, 1.0), (1, 0.75)], [(2, -1.0), (3, 0.75)], [(4, 1.0), (5, -1.0)]]
    order = rng.permutation(4)
    visitor, database = door.exact([names4[i] for i in order], [offsets[i] for i in order])
    add("boundary", visitor, names4[0], database, threshold=0.5)  # names4[0] has the 0.5 offset
    return cases


def test_verify(func, seed=0):
    """verify: (dist, door_open) with dist the L2 distance to database[identity], door_open = dist < THRESHOLD (a
    bool)."""
    name = "verify"
    rng = np.random.default_rng(seed)
    for kind, spec in _verify_cases(rng):
        image_path, identity, database, model = spec["args"]
        threshold = spec["threshold"]
        case = _describe(database, threshold, identity)
        returned, _ = _report(name, call_student(name, func, spec, case=case, hint_for=_encoding_hint), case)
        dist, door_open = _unpack(name, returned, ("dist", "door_open"), case)
        problem = number_problem("dist", dist)
        if problem:
            fail(name, problem, case)
        encoding = _camera_lookup(image_path, model)
        want = reference._distance(encoding, database[identity])
        got = _number(dist)
        if not _close(got, want):
            fail(name, _verify_distance_diagnosis(got, want, encoding, identity, database), case)
        if isinstance(door_open, np.ndarray):
            fail(
                name,
                f"door_open is a tensor or array ({shape_text(door_open)}); return a Python bool, True or "
                f"False (for example bool(dist < THRESHOLD)).",
                case,
            )
        if not isinstance(door_open, bool):
            fail(name, f"door_open should be a Python bool, True or False, but it is {shape_text(door_open)}.", case)
        if door_open == (want < threshold):
            continue
        if kind == "boundary":
            fail(
                name,
                "a distance equal to THRESHOLD must keep the door shut: open it only when dist < THRESHOLD "
                "(strictly smaller).",
                case,
            )
        if kind == "other threshold":
            fail(
                name,
                "door_open did not follow THRESHOLD when its value changed: compare dist with the global "
                "THRESHOLD, not with a number written in the code.",
                case,
            )
        if door_open:
            fail(
                name, "the door opened for a distance above THRESHOLD: it should open only when dist < THRESHOLD.", case
            )
        fail(
            name,
            "the door stayed shut for a distance below THRESHOLD: door_open should be True exactly when "
            "dist < THRESHOLD.",
            case,
        )


def _verify_distance_diagnosis(got, want, encoding, identity, database):
    """Words for a wrong verify distance."""
    if _close(got, want**2):
        return (
            "dist is the SQUARED distance; the threshold is on the L2 distance itself, "
            "np.linalg.norm(encoding - database[identity]) (the square root of the sum of squares)."
        )
    others = [n for n in database if n != identity]
    if any(_close(got, reference._distance(encoding, database[n])) for n in others):
        return (
            "dist was measured to another person of the database; measure it to database[identity], the "
            "person the visitor claims to be."
        )
    diff = np.asarray(encoding, np.float64) - np.asarray(database[identity], np.float64)
    if _close(got, float(np.abs(diff).sum())):
        return "dist adds up absolute differences (an L1 distance); use the L2 distance, np.linalg.norm."
    if _close(got, float(np.abs(diff).max())):
        return "dist is the largest absolute difference; use the L2 distance over all entries, np.linalg.norm."
    return (
        "dist should be the L2 distance between the encoding of image_path (img_to_encoding(image_path, model)) "
        "and database[identity]."
    )


# ----------------------------------------------------------------------------------------------
# who_is_it
# ----------------------------------------------------------------------------------------------


def _who_cases(rng):
    """(kind, spec) of the who_is_it test."""
    T = face_distance_threshold()
    door = _Door(rng, "who")
    cases = []

    def add(kind, visitor, database, threshold=T):
        cases.append((kind, {"args": [door.photo(visitor), database, door.token], "threshold": threshold}))

    names = _names(rng, 12)
    # A staff member in the middle of the database; someone else near too (below THRESHOLD), later in the order.
    distances = _far(rng, 12, 1.0)
    k = int(rng.integers(1, 6))
    distances[k] = rng.uniform(0.15, 0.3)
    distances[int(rng.integers(7, 11))] = rng.uniform(0.45, T - 0.05)
    if np.argmax(distances) == 11:  # the farthest in the middle, so "last" and "farthest" differ
        distances[6], distances[11] = distances[11], distances[6]
    add("match", *door.around(names, distances))
    # A stranger: everyone above THRESHOLD; the nearest is neither first nor last.
    distances = _far(rng, 12, T + 0.25)
    distances[int(rng.integers(1, 11))] = rng.uniform(T + 0.05, T + 0.2)
    add("stranger", *door.around(names, distances))
    # The nearest is the first person; the distances grow along the database (the last is the farthest).
    names6 = _names(rng, 6)
    add("match", *door.around(names6, sorted(_draw(rng, 6, 0.2, 1.4))))
    # The nearest is the last person; the distances shrink along the database.
    add("match", *door.around(names6, sorted(_draw(rng, 6, 0.2, 1.4), reverse=True)))
    # Between THRESHOLD and its square root: a squared distance would call the stranger known.
    distances = _far(rng, 6, 1.0)
    distances[int(rng.integers(0, 5))] = rng.uniform(T + 0.04, np.sqrt(T) - 0.03)
    add("stranger", *door.around(names6, distances))
    # One person only: known, then a stranger.
    one = _names(rng, 1)
    add("match", *door.around(one, [rng.uniform(0.1, 0.4)]))
    add("stranger", *door.around(one, [rng.uniform(1.0, 1.5)]))
    # Other thresholds.
    names4 = _names(rng, 4)
    distances = _far(rng, 4, 1.3)
    distances[1] = rng.uniform(0.95, 1.1)
    add("other threshold", *door.around(names4, distances), threshold=1.2)
    distances = _far(rng, 4, 1.0)
    distances[2] = rng.uniform(0.45, 0.55)
    add("other threshold", *door.around(names4, distances), threshold=0.35)
    # Exactly at the threshold (0.5): not a match.
    index = int(rng.integers(0, ENCODING_SIZE))
    offsets = [[(index, -0.5)], [(0, 1.0), (1, 0.75)], [(2, -1.0), (3, 0.75)], [(4, 1.0), (5, -1.0)]]
    order = rng.permutation(4)
    add("boundary", *door.exact([names4[i] for i in order], [offsets[i] for i in order]), threshold=0.5)
    return cases


def test_who_is_it(func, seed=0):
    """who_is_it: (min_dist, identity) of the nearest person; 'not in the database' printed unless min_dist <
    THRESHOLD."""
    name = "who_is_it"
    rng = np.random.default_rng(seed)
    for kind, spec in _who_cases(rng):
        image_path, database, model = spec["args"]
        threshold = spec["threshold"]
        case = _describe(database, threshold)
        returned, printed = _report(name, call_student(name, func, spec, case=case, hint_for=_encoding_hint), case)
        min_dist, identity = _unpack(name, returned, ("min_dist", "identity"), case)
        problem = number_problem("min_dist", min_dist)
        if problem:
            if isinstance(min_dist, str) and not isinstance(identity, str):
                problem += " (Is the order of the returned pair swapped? It is (min_dist, identity).)"
            fail(name, problem, case)
        encoding = _camera_lookup(image_path, model)
        names = list(database)
        distances = [reference._distance(encoding, database[n]) for n in names]
        nearest = int(np.argmin(distances))
        want, want_name = distances[nearest], names[nearest]
        got = _number(min_dist)
        if identity is None:
            fail(
                name,
                "identity is None; who_is_it always returns the name of the nearest person (a key of the "
                'database), also when that person is at THRESHOLD or farther (then it only prints "Not in '
                'the database."). Start min_dist at a large number (for example 100), so that the first '
                "distance is smaller.",
                case,
            )
        if not _close(got, want) or identity != want_name:
            fail(name, _who_diagnosis(got, identity, distances, names, nearest), case)
        known = want < threshold
        says_unknown = NOT_IN_DATABASE in printed.casefold()
        if known and says_unknown:
            if kind == "other threshold":
                fail(
                    name,
                    "the message did not follow THRESHOLD when its value changed: compare min_dist with the "
                    "global THRESHOLD, not with a number written in the code.",
                    case,
                )
            fail(name, "it printed that the person is not in the database, although min_dist is below THRESHOLD.", case)
        if known and identity not in printed:
            fail(name, "when min_dist is below THRESHOLD, print who it is: the message should name the person.", case)
        if not known and not says_unknown:
            if kind == "boundary":
                fail(
                    name,
                    'a distance equal to THRESHOLD is not a match: print "Not in the database." unless '
                    "min_dist < THRESHOLD (strictly smaller).",
                    case,
                )
            if kind == "other threshold":
                fail(
                    name,
                    "the message did not follow THRESHOLD when its value changed: compare min_dist with the "
                    "global THRESHOLD, not with a number written in the code.",
                    case,
                )
            fail(
                name,
                'when min_dist is not below THRESHOLD, print "Not in the database." (the nearest name is '
                "still returned).",
                case,
            )


def _who_diagnosis(got, identity, distances, names, nearest):
    """Words for a wrong (min_dist, identity)."""
    want = distances[nearest]
    last = len(names) - 1
    if _close(got, want**2):
        return (
            "min_dist is a SQUARED distance; use the L2 distance itself, np.linalg.norm(encoding - db_enc), the "
            "square root of the sum of squares."
        )
    if nearest != last and (identity == names[last] or _close(got, distances[last])):
        return (
            "it kept the LAST person of the database rather than the nearest: update min_dist and identity only "
            "when the new distance is smaller than min_dist."
        )
    farthest = int(np.argmax(distances))
    if identity == names[farthest] and farthest != nearest:
        return "it kept the FARTHEST person; keep the one with the smallest distance (dist < min_dist)."
    if identity in names and _close(got, distances[names.index(identity)]):
        return (
            "identity and min_dist belong to a person who is not the nearest: compare every distance with "
            "min_dist and keep the smallest."
        )
    if identity in names:
        return (
            "min_dist should be the distance to the returned person, and that person the nearest one; check that "
            "min_dist and identity are updated together."
        )
    return (
        f"identity should be a name of the database (one of its keys), the nearest person, but it is "
        f"{shape_text(identity) if not isinstance(identity, str) else repr(identity)}."
    )


# ----------------------------------------------------------------------------------------------
# Grading out of the student's kernel
# ----------------------------------------------------------------------------------------------

_DOOR_REFERENCE = {
    name: with_globals(getattr(reference, name), img_to_encoding=_camera_lookup) for name in ("verify", "who_is_it")
}

HIDDEN_TESTS = {
    "test_triplet_loss": replayed("triplet_loss", test_triplet_loss, reference.triplet_loss, adapter="tensors"),
    "test_verify": replayed("verify", test_verify, _DOOR_REFERENCE["verify"], _door_oracles, adapter=DOOR_ADAPTER),
    "test_who_is_it": replayed(
        "who_is_it", test_who_is_it, _DOOR_REFERENCE["who_is_it"], _door_oracles, adapter=DOOR_ADAPTER
    ),
}
