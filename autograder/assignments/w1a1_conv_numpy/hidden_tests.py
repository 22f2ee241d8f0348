"""Hidden tests for w1a1_conv_numpy: the student's functions against the reference on randomised cases.

Each ``test_<function>(func, seed=0)`` is a script of calls (autograder.judging.replay) that draws its
cases from a NumPy generator seeded with ``seed``. Every draw covers: pad 0 and pad > 0, stride 1 and stride > 1,
non-square inputs, a filter
and stride that do not tile the input, batches of more than one example, both pooling modes.

A failure raises AssertionError with a message in the exercise's terms (never the expected values).
Functions that call other graded functions get the reference's answers to those calls from oracle
tables (cnnbook.grading.runner), so a mistake in a helper costs only the helper's points. Backward
functions get caches made by the reference forward functions; forward functions' caches are checked
against what the reference backward functions need. Inputs must come back unchanged.
"""

import numpy as np

from autograder.assignments.w1a1_conv_numpy import reference
from autograder.judging.cases import oracle_table
from autograder.judging.replay import replayed
from autograder.judging.toolkit import call_student, fail
from cnnbook.assignments.w1a1_conv_numpy.checks import (
    conv_output_shape_problem,
    gradient_shape_problem,
    mask_problem,
    pool_output_shape_problem,
    scalar_problem,
    zero_pad_shape_problem,
)
from cnnbook.checks import describe_case, first_difference, shape_text

__all__ = [
    "test_zero_pad",
    "test_conv_single_step",
    "test_conv_forward",
    "test_pool_forward",
    "test_conv_backward",
    "test_create_mask_from_window",
    "test_distribute_value",
    "test_pool_backward",
]

GRADED = (
    "zero_pad",
    "conv_single_step",
    "conv_forward",
    "pool_forward",
    "conv_backward",
    "create_mask_from_window",
    "distribute_value",
    "pool_backward",
)
RTOL, ATOL = 1e-6, 1e-8


# ----------------------------------------------------------------------------------------------
# Plumbing
# ----------------------------------------------------------------------------------------------


def _close(got, want):
    got, want = np.asarray(got), np.asarray(want)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=RTOL, atol=ATOL))


def _where_wrong(got, want):
    """'k of n entries are wrong, the first at index (...)': where to look, without any value."""
    wrong = ~np.isclose(got, want, rtol=RTOL, atol=ATOL)
    return (
        f"{int(wrong.sum())} of {wrong.size} entries are wrong, the first at index "
        f"{first_difference(got, want, RTOL, ATOL)}"
    )


def _require_array(name, value, what, case):
    if not isinstance(value, np.ndarray):
        fail(name, f"{what} should be a NumPy array, but it is {shape_text(value)}.", case)


def _unpack(name, result, names, case):
    if not isinstance(result, (tuple, list)) or len(result) != len(names):
        fail(name, f"it should return the tuple ({', '.join(names)}), but it returned {shape_text(result)}.", case)
    return tuple(result)


def _require_unchanged(name, pairs, case):
    """pairs: (what, original copy, array after the call); fail if the call changed an input."""
    for what, before, after in pairs:
        if isinstance(before, dict):
            changed = before != after
        else:
            changed = np.shape(before) != np.shape(after) or not np.array_equal(before, after)
        if changed:
            fail(
                name,
                f"it modified its input {what} in place; work on new arrays (np.zeros, .copy()) "
                f"and leave the inputs as they were.",
                case,
            )


def _require_new_array(name, out, inputs, what, case):
    for label, array in inputs:
        if isinstance(out, np.ndarray) and np.shares_memory(out, array):
            fail(name, f"{what} shares its memory with {label}; return a new array instead.", case)


def _different_sizes(rng, low, high):
    """Two different integers in [low, high]: a non-square height and width."""
    n_H = int(rng.integers(low, high + 1))
    n_W = n_H
    while n_W == n_H:
        n_W = int(rng.integers(low, high + 1))
    return n_H, n_W


# ----------------------------------------------------------------------------------------------
# Case generators
# ----------------------------------------------------------------------------------------------


def _conv_cases(rng):
    """Cases (m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad) for the convolution tests."""
    plans = [(1, 0), (2, 1), (3, 2), (1, 2), (2, 0), (int(rng.integers(1, 4)), int(rng.integers(0, 3)))]
    cases = []
    for k, (stride, pad) in enumerate(plans):
        f = int(rng.integers(2, 5)) if k < 5 else int(rng.integers(1, 5))
        low = max(1, f - 2 * pad)
        n_H_prev, n_W_prev = _different_sizes(rng, low, low + 5)
        m = 2 if k == 0 else int(rng.integers(1, 4))
        n_C_prev = int(rng.integers(1, 4))
        n_C = 2 if k == 0 else int(rng.integers(1, 4))
        cases.append((m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad))
    untiled = any(s > 1 and ((h + 2 * p - f) % s or (w + 2 * p - f) % s) for _, h, w, _, f, _, s, p in cases)
    if not untiled:
        cases.append((2, 6, 5, 2, 2, 3, 3, 1))
    return cases


def _conv_inputs(rng, case):
    m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad = case
    A = rng.standard_normal((m, n_H_prev, n_W_prev, n_C_prev))
    W = rng.standard_normal((f, f, n_C_prev, n_C))
    b = rng.standard_normal((1, 1, 1, n_C))
    return A, W, b, {"stride": stride, "pad": pad}


def _pool_cases(rng):
    """Cases (m, n_H_prev, n_W_prev, n_C, f, stride) for the pooling tests."""
    plans = [(2, 2), (3, 1), (3, 2), (2, 1), (int(rng.integers(1, 5)), int(rng.integers(1, 4)))]
    cases = []
    for k, (f, stride) in enumerate(plans):
        n_H_prev, n_W_prev = _different_sizes(rng, f, f + 5)
        m = 2 if k == 0 else int(rng.integers(1, 4))
        n_C = 3 if k == 0 else int(rng.integers(1, 4))
        cases.append((m, n_H_prev, n_W_prev, n_C, f, stride))
    if not any(s > 1 and ((h - f) % s or (w - f) % s) for _, h, w, _, f, s in cases):
        cases.append((2, 7, 6, 2, 3, 2))
    return cases


# ----------------------------------------------------------------------------------------------
# zero_pad
# ----------------------------------------------------------------------------------------------


def test_zero_pad(func, seed=0):
    """zero_pad against the reference: pads 0 to 3, non-square inputs, several batch and channel sizes."""
    name = "zero_pad"
    rng = np.random.default_rng(seed)
    for pad in (0, 1, 2, 3, int(rng.integers(0, 4)), int(rng.integers(1, 4))):
        n_H, n_W = _different_sizes(rng, 1, 6)
        X = rng.standard_normal((int(rng.integers(1, 4)), n_H, n_W, int(rng.integers(1, 5))))
        X_before = X.copy()
        case = describe_case(X=X, pad=pad)
        out = call_student(name, func, X, pad, case=case)
        _require_array(name, out, "the padded array", case)
        problem = zero_pad_shape_problem(out.shape, X.shape, pad)
        if problem:
            fail(name, problem, case)
        _require_unchanged(name, [("X", X_before, X)], case)
        want = reference.zero_pad(X, pad)
        if _close(out, want):
            continue
        if not _close(out[:, pad : pad + n_H, pad : pad + n_W, :], X):
            fail(
                name,
                "the values of X should sit unchanged in the middle of the padded array, moved down and right by pad.",
                case,
            )
        fail(name, "the border added around X must contain only zeros.", case)


# ----------------------------------------------------------------------------------------------
# conv_single_step
# ----------------------------------------------------------------------------------------------


def test_conv_single_step(func, seed=0):
    """conv_single_step against the reference on windows of several sizes and depths."""
    name = "conv_single_step"
    rng = np.random.default_rng(seed)
    for f, n_C_prev in [(3, 2), (2, 4), (1, 1)] + [tuple(int(v) for v in rng.integers(1, 6, size=2)) for _ in range(4)]:
        a = rng.standard_normal((f, f, n_C_prev))
        W = rng.standard_normal((f, f, n_C_prev))
        b = rng.standard_normal((1, 1, 1))
        before = [("a_slice_prev", a.copy(), a), ("W", W.copy(), W), ("b", b.copy(), b)]
        case = describe_case(a_slice_prev=a, W=W, b=b)
        value = call_student(name, func, a, W, b, case=case)
        problem = scalar_problem(value)
        if problem:
            fail(name, problem, case)
        _require_unchanged(name, before, case)
        value = float(value)
        want = reference.conv_single_step(a, W, b)
        if _close(value, want):
            continue
        bias = float(b.ravel()[0])
        if _close(value, want - bias):
            fail(name, "the bias b is missing: add it once, after summing the products.", case)
        if _close(value, want + (a.size - 1) * bias):
            fail(name, "the bias is added to every product; add b only once, after the sum.", case)
        if _close(value, (want - bias) / a.size + bias):
            fail(name, "the products are averaged; add them up instead (np.sum, not np.mean).", case)
        fail(name, "the result must be the sum over all f * f * n_C_prev positions of a_slice_prev * W, plus b.", case)


# ----------------------------------------------------------------------------------------------
# conv_forward
# ----------------------------------------------------------------------------------------------


def test_conv_forward(func, seed=0):
    """conv_forward (with the reference zero_pad and conv_single_step) against the reference."""
    name = "conv_forward"
    rng = np.random.default_rng(seed)
    conv_forward = func
    for spec in _conv_cases(rng):
        A, W, b, hparameters = _conv_inputs(rng, spec)
        stride, pad = hparameters["stride"], hparameters["pad"]
        before = [
            ("A_prev", A.copy(), A),
            ("W", W.copy(), W),
            ("b", b.copy(), b),
            ("hparameters", dict(hparameters), hparameters),
        ]
        case = describe_case(A_prev=A, W=W, b=b, stride=stride, pad=pad)
        result = call_student(name, conv_forward, A, W, b, hparameters, case=case)
        Z, cache = _unpack(name, result, ("Z", "cache"), case)
        _require_array(name, Z, "Z", case)
        problem = conv_output_shape_problem(Z.shape, A.shape, W.shape, stride, pad)
        if problem:
            fail(name, problem, case)
        _require_unchanged(name, before, case)
        _require_new_array(name, Z, [("A_prev", A), ("W", W)], "Z", case)
        want, want_cache = reference.conv_forward(A, W, b, hparameters)
        if not _close(Z, want):
            _explain_conv_forward(name, Z, want, A, W, b, hparameters, case)
        _check_conv_cache(name, cache, want_cache, rng, want.shape, case)


def _explain_conv_forward(name, Z, want, A, W, b, hparameters, case):
    stride, pad = hparameters["stride"], hparameters["pad"]
    if _close(Z + b, want):
        fail(name, "the bias is missing: every Z[i, h, w, c] gets b[0, 0, 0, c] added.", case)
    if W.shape[3] > 1 and _close(Z, want - b + b[..., :1]):
        fail(name, "every filter used the bias of filter 0; filter c has its own bias b[:, :, :, c].", case)
    if stride > 1:
        unstrided, _ = reference.conv_forward(A, W, b, {"stride": 1, "pad": pad})
        if _close(Z, unstrided[:, : Z.shape[1], : Z.shape[2], :]):
            fail(
                name,
                "the window of output (h, w) must start at row h * stride and column w * stride of the "
                "padded input; the stride is missing from the window position.",
                case,
            )
    fail(
        name,
        f"Z[i, h, w, c] must be the sum of the window of the PADDED input that starts at row "
        f"h * stride and column w * stride (f x f, all channels) times W[:, :, :, c], plus "
        f"b[0, 0, 0, c]; {_where_wrong(Z, want)}.",
        case,
    )


def _check_conv_cache(name, cache, want_cache, rng, Z_shape, case):
    cache = _unpack(name, cache, ("A_prev", "W", "b", "hparameters"), case)
    for got, want, what in zip(cache[:3], want_cache[:3], ("A_prev", "W", "b")):
        if not isinstance(got, np.ndarray) or got.shape != want.shape or not np.array_equal(got, want):
            extra = ""
            if what == "A_prev" and isinstance(got, np.ndarray) and got.ndim == 4 and got.shape[1] > want.shape[1]:
                extra = " It looks padded: keep the original A_prev; conv_backward pads it itself."
            fail(
                name,
                f"the cache should be (A_prev, W, b, hparameters), holding the {what} that was passed in.{extra}",
                case,
            )
    if cache[3] != want_cache[3]:
        fail(name, "the cache should end with the hparameters dictionary that was passed in.", case)
    dZ = rng.standard_normal(Z_shape)
    try:
        grads = reference.conv_backward(dZ, cache)
    except Exception as exc:
        fail(
            name,
            f"conv_backward cannot use the cache it returns ({type(exc).__name__}); it should be the "
            f"tuple (A_prev, W, b, hparameters).",
            case,
        )
    if not all(_close(g, w) for g, w in zip(grads, reference.conv_backward(dZ, want_cache))):
        fail(name, "the cache does not give conv_backward what it needs: (A_prev, W, b, hparameters).", case)


# ----------------------------------------------------------------------------------------------
# pool_forward
# ----------------------------------------------------------------------------------------------


def test_pool_forward(func, seed=0):
    """pool_forward in both modes (and the default mode) against the reference."""
    name = "pool_forward"
    rng = np.random.default_rng(seed)
    pool_forward = func
    for k, (m, n_H_prev, n_W_prev, n_C, f, stride) in enumerate(_pool_cases(rng)):
        A = rng.standard_normal((m, n_H_prev, n_W_prev, n_C))
        hparameters = {"f": f, "stride": stride}
        modes = ("max", "average", None) if k == 0 else ("max", "average")
        for mode in modes:
            before = [("A_prev", A.copy(), A), ("hparameters", dict(hparameters), hparameters)]
            case = describe_case(A_prev=A, f=f, stride=stride, mode=mode or "not given (default)")
            kwargs = {} if mode is None else {"mode": mode}
            result = call_student(name, pool_forward, A, hparameters, case=case, **kwargs)
            out, cache = _unpack(name, result, ("A", "cache"), case)
            _require_array(name, out, "the pooled output A", case)
            problem = pool_output_shape_problem(out.shape, A.shape, f, stride)
            if problem:
                fail(name, problem, case)
            _require_unchanged(name, before, case)
            _require_new_array(name, out, [("A_prev", A)], "the pooled output", case)
            want, want_cache = reference.pool_forward(A, hparameters, mode=mode or "max")
            if not _close(out, want):
                if mode is None:
                    fail(
                        name,
                        "when mode is not given, pool_forward should do max pooling (mode='max' by default).",
                        case,
                    )
                _explain_pool_forward(name, out, want, A, hparameters, mode, case)
            cache = _unpack(name, cache, ("A_prev", "hparameters"), case)
            if (
                not (isinstance(cache[0], np.ndarray) and cache[0].shape == A.shape and np.array_equal(cache[0], A))
                or cache[1] != hparameters
            ):
                fail(name, "the cache should be the tuple (A_prev, hparameters) that was passed in.", case)
            dA = rng.standard_normal(want.shape)
            if not _close(
                reference.pool_backward(dA, cache, mode or "max"),
                reference.pool_backward(dA, want_cache, mode or "max"),
            ):
                fail(name, "the cache does not give pool_backward what it needs: (A_prev, hparameters).", case)


def _explain_pool_forward(name, out, want, A, hparameters, mode, case):
    f, stride = hparameters["f"], hparameters["stride"]
    other = "average" if mode == "max" else "max"
    if _close(out, reference.pool_forward(A, hparameters, mode=other)[0]):
        fail(
            name,
            f"with mode='{mode}' it computed {other} pooling; check how the mode argument is used "
            f"(max takes np.max of the window, average takes np.mean).",
            case,
        )
    if mode == "average" and _close(out, want * f * f):
        fail(name, "average pooling must divide the sum of the window by its f * f entries (np.mean).", case)
    if stride > 1:
        unstrided = reference.pool_forward(A, {"f": f, "stride": 1}, mode=mode)[0]
        if _close(out, unstrided[:, : out.shape[1], : out.shape[2], :]):
            fail(
                name,
                "the window of output (h, w) must start at row h * stride and column w * stride; the "
                "stride is missing from the window position.",
                case,
            )
    if out.shape[3] > 1 and np.allclose(out, out[..., :1]):
        fail(name, "every channel got the same value: pool each channel c on its own.", case)
    fail(
        name,
        f"A[i, h, w, c] should be the {mode} of A_prev[i, h*stride : h*stride + f, "
        f"w*stride : w*stride + f, c]; {_where_wrong(out, want)}.",
        case,
    )


# ----------------------------------------------------------------------------------------------
# conv_backward
# ----------------------------------------------------------------------------------------------


def test_conv_backward(func, seed=0):
    """conv_backward (with the reference zero_pad) on caches made by the reference conv_forward."""
    name = "conv_backward"
    rng = np.random.default_rng(seed)
    conv_backward = func
    for spec in _conv_cases(rng):
        A, W, b, hparameters = _conv_inputs(rng, spec)
        Z, cache = reference.conv_forward(A, W, b, hparameters)
        dZ = rng.standard_normal(Z.shape)
        pad = hparameters["pad"]
        before = [
            ("dZ", dZ.copy(), dZ),
            ("A_prev (in the cache)", A.copy(), A),
            ("W (in the cache)", W.copy(), W),
            ("b (in the cache)", b.copy(), b),
            ("hparameters", dict(hparameters), hparameters),
        ]
        case = describe_case(A_prev=A, W=W, dZ=dZ, stride=hparameters["stride"], pad=pad)
        result = call_student(name, conv_backward, dZ, cache, case=case)
        grads = _unpack(name, result, ("dA_prev", "dW", "db"), case)
        for got, right, what in zip(grads, (A.shape, W.shape, b.shape), ("dA_prev", "dW", "db")):
            problem = gradient_shape_problem(what, got, right, pad)
            if problem:
                fail(name, problem, case)
        _require_unchanged(name, before, case)
        for got, what in zip(grads, ("dA_prev", "dW", "db")):
            _require_new_array(name, got, [("A_prev", A), ("W", W), ("dZ", dZ)], what, case)
        dA_prev, dW, db = grads
        want_dA, want_dW, want_db = reference.conv_backward(dZ, cache)
        m = A.shape[0]
        if not _close(db, want_db):
            if _close(db, np.full(db.shape, dZ.sum())):
                fail(name, "db[0, 0, 0, c] must sum dZ[:, :, :, c] only (axes 0, 1 and 2), not every channel.", case)
            if _close(db * (dZ.size // dZ.shape[3]), want_db):
                fail(name, "db must be the sum of dZ over examples and positions, not the mean.", case)
            fail(
                name,
                f"db[0, 0, 0, c] is the sum of dZ[:, :, :, c] over examples and positions; "
                f"{_where_wrong(db, want_db)}.",
                case,
            )
        if not _close(dW, want_dW):
            if m > 1 and _close(dW * m, want_dW):
                fail(name, "dW is divided by m: add the contributions of the examples, do not average them.", case)
            fail(
                name,
                f"dW[:, :, :, c] must add up, over every example i and output position (h, w), the "
                f"window of the PADDED input that produced Z[i, h, w, c] times dZ[i, h, w, c] "
                f"(use += so overlapping windows add up); {_where_wrong(dW, want_dW)}.",
                case,
            )
        if not _close(dA_prev, want_dA):
            fail(
                name,
                f"dA_prev: each window of the padded gradient must receive W[:, :, :, c] times "
                f"dZ[i, h, w, c], added (+=) over all outputs, and the padding must then be cut off "
                f"(pad rows and columns on each side); {_where_wrong(dA_prev, want_dA)}.",
                case,
            )


# ----------------------------------------------------------------------------------------------
# create_mask_from_window and distribute_value
# ----------------------------------------------------------------------------------------------


def _mask_windows(rng):
    """Windows with a unique maximum (ties are not graded): square, non-square, 1 x 1, mostly negative."""
    shapes = [(2, 2), (3, 3), (4, 4), (2, 3), (4, 1), (1, 1), tuple(int(v) for v in rng.integers(2, 5, size=2))]
    windows = [rng.standard_normal(shape) for shape in shapes]
    # Mostly negative, with negatives larger in size than the maximum: catches comparing magnitudes.
    x = -rng.uniform(0.1, 3.0, size=(3, 3))
    x.flat[int(rng.integers(0, 9))] = float(rng.uniform(0.0, 0.09))
    x.flat[np.argmin(x)] = -3.5
    windows.append(x)
    return windows


def test_create_mask_from_window(func, seed=0):
    """create_mask_from_window: a boolean array of x's shape, True exactly at x's (unique) maximum."""
    name = "create_mask_from_window"
    rng = np.random.default_rng(seed)
    for x in _mask_windows(rng):
        x_before = x.copy()
        case = describe_case(x=x)
        mask = call_student(name, func, x, case=case)
        _require_unchanged(name, [("x", x_before, x)], case)
        problem = mask_problem(mask, x, reference.create_mask_from_window(x))
        if problem:
            fail(name, problem, case)


def test_distribute_value(func, seed=0):
    """distribute_value: the given shape, every entry dz / (n_H * n_W), for float and NumPy dz."""
    name = "distribute_value"
    rng = np.random.default_rng(seed)
    shapes = [(2, 3), (3, 2), (2, 2), (1, 1), (4, 1)] + [
        tuple(int(v) for v in rng.integers(1, 5, size=2)) for _ in range(2)
    ]
    for k, shape in enumerate(shapes):
        dz = float(rng.normal(0.0, 2.0))
        if k % 2:
            dz = np.float64(dz)
        case = describe_case(dz=dz, shape=shape)
        out = call_student(name, func, dz, shape, case=case)
        if not isinstance(out, np.ndarray):
            fail(
                name,
                f"it should return an array of shape (n_H, n_W) holding the same value everywhere, "
                f"but it returned {shape_text(out)}.",
                case,
            )
        if out.shape != shape:
            hint = " The height n_H comes first, then the width n_W." if out.shape == shape[::-1] else ""
            fail(
                name,
                f"the result has shape {out.shape}; it should have the given shape (n_H, n_W) = {shape}.{hint}",
                case,
            )
        want = reference.distribute_value(dz, shape)
        if _close(out, want):
            continue
        n_H, n_W = shape
        if not np.allclose(out, out.flat[0]):
            fail(
                name,
                "every entry should hold the same value: each position of an average-pooling window "
                "contributed equally.",
                case,
            )
        if _close(out, want * n_H * n_W):
            fail(name, "each entry holds all of dz; divide dz by the number of entries n_H * n_W.", case)
        if _close(out, np.full(shape, dz / (n_H + n_W))):
            fail(name, "dz is divided by n_H + n_W; the window has n_H * n_W entries.", case)
        fail(name, "every entry should be dz divided by the number of entries n_H * n_W (true division /).", case)


# ----------------------------------------------------------------------------------------------
# pool_backward
# ----------------------------------------------------------------------------------------------


def test_pool_backward(func, seed=0):
    """pool_backward in both modes (with the reference mask and distribute helpers) on reference caches."""
    name = "pool_backward"
    rng = np.random.default_rng(seed)
    pool_backward = func
    for k, (m, n_H_prev, n_W_prev, n_C, f, stride) in enumerate(_pool_cases(rng)):
        A = rng.standard_normal((m, n_H_prev, n_W_prev, n_C))
        hparameters = {"f": f, "stride": stride}
        modes = ("max", "average", None) if k == 0 else ("max", "average")
        for mode in modes:
            out, cache = reference.pool_forward(A, hparameters, mode=mode or "max")
            dA = rng.standard_normal(out.shape)
            before = [
                ("dA", dA.copy(), dA),
                ("A_prev (in the cache)", A.copy(), A),
                ("hparameters", dict(hparameters), hparameters),
            ]
            case = describe_case(A_prev=A, dA=dA, f=f, stride=stride, mode=mode or "not given (default)")
            kwargs = {} if mode is None else {"mode": mode}
            dA_prev = call_student(name, pool_backward, dA, cache, case=case, **kwargs)
            problem = gradient_shape_problem("dA_prev", dA_prev, A.shape)
            if problem:
                fail(name, problem, case)
            _require_unchanged(name, before, case)
            _require_new_array(name, dA_prev, [("A_prev", A), ("dA", dA)], "dA_prev", case)
            want = reference.pool_backward(dA, cache, mode=mode or "max")
            if _close(dA_prev, want):
                continue
            if mode is None:
                fail(
                    name, "when mode is not given, pool_backward should use max pooling (mode='max' by default).", case
                )
            _explain_pool_backward(name, dA_prev, want, dA, cache, mode, case)


def _explain_pool_backward(name, got, want, dA, cache, mode, case):
    f = cache[1]["f"]
    other = "average" if mode == "max" else "max"
    average = reference.pool_backward(dA, cache, mode="average")
    if _close(got, reference.pool_backward(dA, cache, mode=other)):
        fail(
            name,
            f"with mode='{mode}' it computed the {other}-pooling gradient; check how the mode argument is used.",
            case,
        )
    if mode == "max" and _close(got, average * f * f):
        fail(
            name,
            "in max mode only the position of each window's maximum receives the gradient: multiply "
            "dA[i, h, w, c] by the mask of the window of A_prev (create_mask_from_window).",
            case,
        )
    if mode == "average" and _close(got, average * f * f):
        fail(
            name,
            "in average mode each of the f * f positions of a window gets dA[i, h, w, c] / (f * f) "
            "(distribute_value), not all of it.",
            case,
        )
    share = (
        "the mask of the window of A_prev times dA[i, h, w, c]"
        if mode == "max"
        else "dA[i, h, w, c] / (f * f) at each of its positions"
    )
    fail(
        name,
        f"dA_prev: every window dA_prev[i, h*stride : h*stride + f, w*stride : w*stride + f, c] must "
        f"receive (+=) {share}, and overlapping windows add up; {_where_wrong(got, want)}.",
        case,
    )


# ----------------------------------------------------------------------------------------------
# Grading out of the student's kernel: the scripts above become cases and judges (record and
# replay), and a graded helper called by a student's function is answered by an oracle built here.
# ----------------------------------------------------------------------------------------------


def _windows(n_H, n_W, f, stride):
    """(h, w, rows, cols) of every window, in the order a loop over output positions visits them."""
    return [
        (h, w, slice(h * stride, h * stride + f), slice(w * stride, w * stride + f))
        for h in range(n_H)
        for w in range(n_W)
    ]


def _conv_forward_oracles(A_prev, W, b, hparameters):
    """Oracles for the zero_pad and conv_single_step calls a correct conv_forward makes."""
    stride, pad, f = hparameters["stride"], hparameters["pad"], W.shape[0]
    A_pad = reference.zero_pad(A_prev, pad)
    n_H = (A_prev.shape[1] + 2 * pad - f) // stride + 1
    n_W = (A_prev.shape[2] + 2 * pad - f) // stride + 1
    singles = [
        (A_pad[i, rows, cols, :], W[..., c], b[..., c])
        for i in range(A_prev.shape[0])
        for _, _, rows, cols in _windows(n_H, n_W, f, stride)
        for c in range(W.shape[3])
    ]
    return {
        "zero_pad": oracle_table(reference.zero_pad, [(A_prev, pad)]),
        "conv_single_step": oracle_table(reference.conv_single_step, singles),
    }


def _conv_backward_oracles(dZ, cache):
    """Oracles for the zero_pad calls a correct conv_backward makes (the input and the zero gradient)."""
    A_prev, _, _, hparameters = cache
    pad = hparameters["pad"]
    return {"zero_pad": oracle_table(reference.zero_pad, [(A_prev, pad), (np.zeros_like(A_prev), pad)])}


def _pool_backward_oracles(dA, cache, mode="max"):
    """Oracles for the create_mask_from_window or distribute_value calls a correct pool_backward makes."""
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    spots = [
        (i, h, w, rows, cols, c)
        for i in range(m)
        for h, w, rows, cols in _windows(n_H, n_W, f, stride)
        for c in range(n_C)
    ]
    if mode == "average":
        return {
            "distribute_value": oracle_table(
                reference.distribute_value, [(dA[i, h, w, c], (f, f)) for i, h, w, _, _, c in spots]
            )
        }
    return {
        "create_mask_from_window": oracle_table(
            reference.create_mask_from_window, [(A_prev[i, rows, cols, c],) for i, _, _, rows, cols, c in spots]
        )
    }


_ORACLES = {
    "conv_forward": _conv_forward_oracles,
    "conv_backward": _conv_backward_oracles,
    "pool_backward": _pool_backward_oracles,
}

HIDDEN_TESTS = {
    f"test_{name}": replayed(name, globals()[f"test_{name}"], getattr(reference, name), _ORACLES.get(name))
    for name in GRADED
}
