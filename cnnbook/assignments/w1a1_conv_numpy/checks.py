"""Visible checks for w1a1_conv_numpy: convolution and pooling, forward and backward, in NumPy.

Each ``check_<function>(func)`` runs the student's function on small inputs built so that the right
answer follows from a simple property (a filter that is 1 at one position copies a shifted input; a
ramp-shaped input has its maximum in a known corner of every window; a gradient is linear in the
upstream gradient). On a mistake it raises ``CheckFailure`` with a message in the exercise's terms;
on success it prints one line. The ``*_problem`` helpers describe a wrong shape; the hidden tests
reuse them so both speak the same language.

Shapes are channels-last: A (m, n_H, n_W, n_C), W (f, f, n_C_prev, n_C), b (1, 1, 1, n_C).

Used by: solutions/w1a1_conv_numpy/w1a1_conv_numpy.ipynb, the grader
"""

import itertools

import numpy as np

from cnnbook.checks import (
    call_student,
    describe_case,
    fail,
    report_success,
    require_array,
    require_helpers_pass,
    require_unchanged,
    same_values,
    shape_text,
    visible_check,
)

__all__ = [
    "check_zero_pad",
    "check_conv_single_step",
    "check_conv_forward",
    "check_pool_forward",
    "check_conv_backward",
    "check_create_mask_from_window",
    "check_distribute_value",
    "check_pool_backward",
    "zero_pad_shape_problem",
    "conv_output_shape_problem",
    "pool_output_shape_problem",
    "gradient_shape_problem",
    "scalar_problem",
    "mask_problem",
]

CONV_SIZE_FORMULA = "n_H = floor((n_H_prev + 2 * pad - f) / stride) + 1, and the same for n_W"
POOL_SIZE_FORMULA = "n_H = floor((n_H_prev - f) / stride) + 1, and the same for n_W"


# ----------------------------------------------------------------------------------------------
# Shape diagnoses (shared with the hidden tests)
# ----------------------------------------------------------------------------------------------


def _output_length(n_prev, f, stride, pad=0):
    """Number of window positions along one axis of length n_prev."""
    return (n_prev + 2 * pad - f) // stride + 1


def zero_pad_shape_problem(got_shape, X_shape, pad):
    """Explain why got_shape is not the shape zero_pad(X, pad) should return; None if it is right."""
    m, n_H, n_W, n_C = X_shape
    right = (m, n_H + 2 * pad, n_W + 2 * pad, n_C)
    got_shape = tuple(got_shape)
    if got_shape == right:
        return None
    intro = (
        f"the padded array has shape {got_shape}; for X of shape {tuple(X_shape)} and pad={pad} "
        f"it should be (m, n_H + 2*pad, n_W + 2*pad, n_C) = {right}."
    )
    if len(got_shape) != 4:
        return intro + " Keep the four axes of X and pad only axes 1 and 2."
    hints = []
    if got_shape[0] != m:
        hints.append("the batch axis (axis 0) was padded: the number of examples m must not change")
    if got_shape[3] != n_C:
        hints.append(
            "the channel axis (axis 3) was padded: only height (axis 1) and width (axis 2) "
            "get zeros, so give axis 3 the padding (0, 0)"
        )
    for axis_name, got, n in (("height", got_shape[1], n_H), ("width", got_shape[2], n_W)):
        if got == n + 2 * pad:
            continue
        if got == n:
            hints.append(f"the {axis_name} was not padded")
        elif got == n + pad:
            hints.append(
                f"the {axis_name} was padded on one side only: pad zeros go on BOTH sides, so it grows by 2 * pad"
            )
        else:
            hints.append(f"the {axis_name} should grow by exactly 2 * pad (pad zeros on each side)")
    return intro + (" Problem: " + "; ".join(hints) + "." if hints else "")


def _spatial_hint(got_hw, right_hw, sizes, candidates):
    """Name the wrong size formulas that explain got_hw, trying each (hint, length function); None if none does."""
    hints = []
    for hint, length in candidates:
        guess = tuple(length(n) for n in sizes)
        if guess == tuple(got_hw) and guess != tuple(right_hw):
            hints.append(hint)
    return ", or ".join(hints) or None


def conv_output_shape_problem(got_shape, A_shape, W_shape, stride, pad):
    """Explain why got_shape is not the shape of conv_forward's Z; None if it is right."""
    m, n_H_prev, n_W_prev, n_C_prev = A_shape
    f, n_C = W_shape[0], W_shape[3]
    right = (m, _output_length(n_H_prev, f, stride, pad), _output_length(n_W_prev, f, stride, pad), n_C)
    got_shape = tuple(got_shape)
    if got_shape == right:
        return None
    intro = f"Z has shape {got_shape}; it should be (m, n_H, n_W, n_C) = {right} with {CONV_SIZE_FORMULA}."
    if len(got_shape) != 4:
        return intro
    hints = []
    if got_shape[0] != m:
        hints.append("axis 0 must keep one entry per example (m)")
    if got_shape[3] != n_C:
        if got_shape[3] == n_C_prev:
            hints.append(
                "the last axis needs one entry per filter, n_C = W.shape[3], not the number of input channels n_C_prev"
            )
        else:
            hints.append("the last axis needs one entry per filter, n_C = W.shape[3]")
    if got_shape[1:3] != right[1:3]:
        candidates = [
            ("the output-size formula is missing the + 1", lambda n: (n + 2 * pad - f) // stride),
            ("the output size ignores the stride (divide by stride before adding 1)", lambda n: n + 2 * pad - f + 1),
            (
                "the output size ignores the padding (add 2 * pad to n_H_prev and n_W_prev)",
                lambda n: (n - f) // stride + 1,
            ),
            (
                "the padding is counted on one side only: the padded input has n_H_prev + 2 * pad rows",
                lambda n: (n + pad - f) // stride + 1,
            ),
            (
                "the division was rounded up: round it down (floor, or integer division //)",
                lambda n: -(-(n + 2 * pad - f) // stride) + 1,
            ),
        ]
        hint = _spatial_hint(got_shape[1:3], right[1:3], (n_H_prev, n_W_prev), candidates)
        hints.append(hint or "the height and width do not follow the output-size formula")
    return intro + " Problem: " + "; ".join(hints) + "."


def pool_output_shape_problem(got_shape, A_shape, f, stride):
    """Explain why got_shape is not the shape of pool_forward's A; None if it is right."""
    m, n_H_prev, n_W_prev, n_C = A_shape
    right = (m, _output_length(n_H_prev, f, stride), _output_length(n_W_prev, f, stride), n_C)
    got_shape = tuple(got_shape)
    if got_shape == right:
        return None
    intro = (
        f"A has shape {got_shape}; it should be (m, n_H, n_W, n_C) = {right} "
        f"with {POOL_SIZE_FORMULA} (pooling uses no padding and keeps the number of channels)."
    )
    if len(got_shape) != 4:
        return intro
    hints = []
    if got_shape[0] != m:
        hints.append("axis 0 must keep one entry per example (m)")
    if got_shape[3] != n_C:
        hints.append("pooling works on each channel separately, so the number of channels n_C does not change")
    if got_shape[1:3] != right[1:3]:
        candidates = [
            ("the output-size formula is missing the + 1", lambda n: (n - f) // stride),
            ("the output size ignores the stride", lambda n: n - f + 1),
            ("the output size uses f as the stride; use hparameters['stride']", lambda n: (n - f) // f + 1),
            (
                "the division was rounded up: round it down (floor, or integer division //)",
                lambda n: -(-(n - f) // stride) + 1,
            ),
        ]
        hint = _spatial_hint(got_shape[1:3], right[1:3], (n_H_prev, n_W_prev), candidates)
        hints.append(hint or "the height and width do not follow the output-size formula")
    return intro + " Problem: " + "; ".join(hints) + "."


def gradient_shape_problem(name, got, right_shape, pad=0):
    """Explain why the gradient `name` (dA_prev, dW, db) does not have right_shape; None if it does."""
    if not isinstance(got, np.ndarray):
        return f"{name} should be a NumPy array of shape {tuple(right_shape)}, but it is {shape_text(got)}."
    got_shape, right_shape = tuple(got.shape), tuple(right_shape)
    if got_shape == right_shape:
        return None
    intro = f"{name} has shape {got_shape}; it must have the shape of {name[1:]}, {right_shape}."
    if name == "dA_prev" and len(got_shape) == 4:
        padded = (right_shape[0], right_shape[1] + 2 * pad, right_shape[2] + 2 * pad, right_shape[3])
        if pad > 0 and got_shape == padded:
            return intro + (
                " It still contains the padding: remove pad rows and pad columns from each side "
                "of the padded gradient before returning it."
            )
        if pad == 0 and 0 in got_shape[1:3]:
            return intro + (
                " With pad = 0 a slice such as [pad:-pad] is empty; cut the padding with explicit "
                "ends, from pad to pad + n_H_prev (and pad + n_W_prev)."
            )
    if name == "db":
        if got.size == right_shape[-1]:
            return intro + " Keep the shape of b, (1, 1, 1, n_C): one entry per filter."
        if got.size == 1:
            return intro + " db has one entry per filter: sum dZ over every axis except the last."
    return intro


def scalar_problem(value):
    """Explain why value is not a single real number; None if it is one."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return None
        if value.size == 1:
            return (
                f"it returned an array of shape {value.shape}; return a single number instead. Adding b, "
                f"an array of shape (1, 1, 1), keeps an array: use b.item() (or b[0, 0, 0]) for its number."
            )
        return (
            f"it returned an array of shape {value.shape}; the result is one number: "
            f"sum all the products (np.sum) and add the bias."
        )
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return f"it should return a single number, but it returned {shape_text(value)}."
    return None


def mask_problem(mask, x, right):
    """Explain why mask is not `right`, the boolean mask of x's (unique) maximum; None if it is."""
    if not isinstance(mask, np.ndarray) or mask.shape != x.shape:
        return (
            f"the mask should be an array with the shape of x, {x.shape}, but it is {shape_text(mask)}. "
            f"(np.argmax gives a position, not a mask: compare x with its maximum instead.)"
        )
    if mask.dtype != bool:
        return (
            f"the mask should be boolean (True/False), the result of comparing x with its maximum, "
            f"but its dtype is {mask.dtype}."
        )
    if np.array_equal(mask, right):
        return None
    by_magnitude = np.array_equal(mask, np.abs(x) == np.max(np.abs(x)))
    if np.array_equal(mask, x == np.min(x)):
        if by_magnitude:
            return (
                "the mask marks the most negative value (the minimum, here also the largest in size); it "
                "should be True where x itself equals its MAXIMUM."
            )
        return "the mask marks the minimum; it should be True where x equals its MAXIMUM."
    if by_magnitude:
        return "the mask marks the value of largest magnitude; compare x itself (not np.abs(x)) with its maximum."
    if mask.sum() > 1:
        return (
            "the mask has more than one True: it should be True only where x equals the maximum of the "
            "WHOLE window (np.max(x), without an axis)."
        )
    return "the mask should be True exactly where x equals its maximum and False everywhere else."


# ----------------------------------------------------------------------------------------------
# Small input builders
# ----------------------------------------------------------------------------------------------


def _pad_hw(A, pad):
    """Reference-free zero padding of height and width, used to state what a window should see."""
    return np.pad(A, ((0, 0), (pad, pad), (pad, pad), (0, 0)))


def _ramp(m, n_H, n_W, n_C):
    """An input whose every f x f window (f <= 6) has its unique maximum at its bottom-left corner.

    Value 1000 i + 100 c + 7 h - w: rows dominate columns, channels and examples stay far apart.
    """
    i, h, w, c = np.meshgrid(np.arange(m), np.arange(n_H), np.arange(n_W), np.arange(n_C), indexing="ij")
    return (1000.0 * i + 100.0 * c + 7.0 * h - w).astype(float)


def _one_hot(shape, index, value=1.0):
    """An array of zeros with `value` at `index`."""
    out = np.zeros(shape)
    out[index] = value
    return out


def _unpack(function_name, result, names, case):
    """Check that a function returned a tuple of len(names) items and return it as a tuple."""
    if not isinstance(result, (tuple, list)) or len(result) != len(names):
        fail(
            function_name,
            f"it should return the tuple ({', '.join(names)}), but it returned {shape_text(result)}.",
            case,
        )
    return tuple(result)


def _close(a, b):
    return bool(np.isclose(a, b, rtol=1e-6, atol=1e-9))


def _looks_overwritten(got, want):
    """True when got is want with some entries lost (zero): what assigning (=) instead of adding (+=) leaves."""
    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape or np.allclose(got, want):
        return False
    kept = np.isclose(got, want, rtol=1e-6, atol=1e-9) | np.isclose(got, 0.0, atol=1e-12)
    return bool(np.all(kept))


OVERWRITE_HINT = (
    "part of the gradient was lost: windows overlap when stride < f, and a later window "
    "overwrote what an earlier one had put there. Add (+=) each window's share instead of "
    "assigning it (=)."
)


# ----------------------------------------------------------------------------------------------
# zero_pad
# ----------------------------------------------------------------------------------------------


@visible_check
def check_zero_pad(zero_pad):
    """Check zero_pad(X, pad): shape, original values in the middle, a border of zeros, X untouched."""
    name = "zero_pad"
    rng = np.random.default_rng(11)
    for shape, pad in [((2, 3, 4, 2), 2), ((1, 4, 2, 3), 1), ((3, 2, 5, 1), 0)]:
        X = rng.uniform(0.5, 1.5, size=shape) * rng.choice([-1.0, 1.0], size=shape)
        X_before = X.copy()
        case = describe_case(X=X, pad=pad)
        out = call_student(name, zero_pad, X, pad, case=case)
        require_array(out, name, "the padded array", case)
        problem = zero_pad_shape_problem(out.shape, X.shape, pad)
        if problem:
            fail(name, problem, case)
        require_unchanged(X_before, X, name, "X", case)
        _, n_H, n_W, _ = shape
        if not same_values(out[:, pad : pad + n_H, pad : pad + n_W, :], X):
            fail(
                name,
                "the values of X should sit unchanged in the middle of the padded array, moved "
                "down and right by pad: out[:, pad:pad + n_H, pad:pad + n_W, :] must equal X.",
                case,
            )
        border = out.copy()
        border[:, pad : pad + n_H, pad : pad + n_W, :] = 0
        if np.any(border != 0):
            edge = np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="edge")
            if same_values(out, edge):
                fail(
                    name,
                    "the border repeats the edge values of X; it must be zeros "
                    "(np.pad with mode='constant' and constant_values=0).",
                    case,
                )
            fail(name, "the added border must contain only zeros.", case)
    report_success(name)


# ----------------------------------------------------------------------------------------------
# conv_single_step
# ----------------------------------------------------------------------------------------------


@visible_check
def check_conv_single_step(conv_single_step):
    """Check conv_single_step(a_slice_prev, W, b): one number, the bias added once, every product summed."""
    name = "conv_single_step"
    rng = np.random.default_rng(12)
    for f, n_C_prev in [(3, 2), (2, 4), (1, 1)]:
        a = rng.uniform(-1, 1, size=(f, f, n_C_prev))
        W = rng.uniform(-1, 1, size=(f, f, n_C_prev))
        b = rng.uniform(0.5, 1.5, size=(1, 1, 1))
        inputs_before = (a.copy(), W.copy(), b.copy())
        case = describe_case(a_slice_prev=a, W=W, b=b)

        def run(a_, W_, b_):
            value = call_student(name, conv_single_step, a_, W_, b_, case=case)
            problem = scalar_problem(value)
            if problem:
                fail(name, problem, case)
            return float(value)

        z = run(a, W, b)
        for before, after, what in zip(inputs_before, (a, W, b), ("a_slice_prev", "W", "b")):
            require_unchanged(before, after, name, what, case)
        bias = float(b.ravel()[0])
        z_bias_only = run(a, np.zeros_like(W), b)
        if not _close(z_bias_only, bias):
            if _close(z_bias_only, 0.0):
                fail(name, "the bias b is missing: add it once, after summing the products.", case)
            if _close(z_bias_only, bias * W.size):
                fail(name, "the bias is added to every product; add b only once, after the sum.", case)
            fail(name, "with a filter W of zeros the result should be exactly the bias b.", case)
        no_bias = np.zeros_like(b)
        for index in sorted({(0, 0, 0), (f - 1, f - 1, n_C_prev - 1), (f // 2, 0, n_C_prev // 2)}):
            z_probe = run(a, _one_hot(W.shape, index), no_bias)
            if not _close(z_probe, a[index]):
                if _close(z_probe, a[index] / W.size):
                    fail(name, "the products are averaged; add them up instead (np.sum, not np.mean).", case)
                fail(
                    name,
                    "with b = 0 and a filter W that is 1 at one position and 0 elsewhere, the result "
                    "should be the input value at that position: multiply a_slice_prev and W element "
                    "by element, then sum over all f * f * n_C_prev products.",
                    case,
                )
        # Linear in W: the general result is the weighted sum of the one-position answers, plus b.
        if not _close(z, float(np.sum(a * W)) + bias):
            fail(
                name,
                "for a general filter the result must be the sum over all positions of a_slice_prev * W, plus b.",
                case,
            )
    report_success(name)


# ----------------------------------------------------------------------------------------------
# conv_forward
# ----------------------------------------------------------------------------------------------

CONV_CASES = [  # (m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad)
    (2, 5, 7, 3, 3, 2, 2, 1),
    (1, 4, 3, 2, 2, 3, 1, 0),
    (2, 6, 5, 1, 3, 2, 3, 2),  # f and stride do not tile the padded height
]


def _conv_inputs(rng, m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad):
    A = rng.uniform(-1, 1, size=(m, n_H_prev, n_W_prev, n_C_prev))
    W = rng.uniform(-1, 1, size=(f, f, n_C_prev, n_C))
    b = rng.permutation(np.linspace(0.5, 1.5, n_C)).reshape(1, 1, 1, n_C)  # a distinct bias per filter
    return A, W, b, {"stride": stride, "pad": pad}


def _strided(A_pad, i, j, n_H, n_W, stride):
    """A_pad[:, h * stride + i, w * stride + j, :] for every output position (h, w)."""
    return A_pad[:, i : i + stride * (n_H - 1) + 1 : stride, j : j + stride * (n_W - 1) + 1 : stride, :]


def _check_conv_cache(name, cache, A, W, b, hparameters, case):
    cache = _unpack(name, cache, ("A_prev", "W", "b", "hparameters"), case)
    for got, want, what in zip(cache, (A, W, b), ("A_prev", "W", "b")):
        if not isinstance(got, np.ndarray) or got.shape != want.shape or not np.array_equal(got, want):
            extra = ""
            if what == "A_prev" and isinstance(got, np.ndarray) and got.ndim == 4 and got.shape[1] > want.shape[1]:
                extra = " It looks padded: keep the original A_prev; conv_backward pads it again itself."
            fail(
                name,
                f"the cache should be (A_prev, W, b, hparameters), holding the {what} that was passed in.{extra}",
                case,
            )
    if cache[3] != hparameters:
        fail(name, "the cache should end with the hparameters dictionary that was passed in.", case)


@visible_check
def check_conv_forward(conv_forward):
    """Check conv_forward(A_prev, W, b, hparameters): output size, cache, bias, window positions, linearity."""
    name = "conv_forward"
    require_helpers_pass(
        name,
        conv_forward,
        {"zero_pad": check_zero_pad.__wrapped__, "conv_single_step": check_conv_single_step.__wrapped__},
    )
    rng = np.random.default_rng(13)
    for m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad in CONV_CASES:
        A, W, b, hparameters = _conv_inputs(rng, m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad)
        before = (A.copy(), W.copy(), b.copy(), dict(hparameters))
        case = describe_case(A_prev=A, W=W, b=b, stride=stride, pad=pad)

        def run(W_, b_):
            result = call_student(name, conv_forward, A, W_, b_, hparameters, case=case)
            Z, cache = _unpack(name, result, ("Z", "cache"), case)
            require_array(Z, name, "Z", case)
            problem = conv_output_shape_problem(Z.shape, A.shape, W_.shape, stride, pad)
            if problem:
                fail(name, problem, case)
            return Z, cache

        Z, cache = run(W, b)
        for old, new, what in zip(before[:3], (A, W, b), ("A_prev", "W", "b")):
            require_unchanged(old, new, name, what, case)
        if hparameters != before[3]:
            fail(name, "it changed the hparameters dictionary; only read it.", case)
        _check_conv_cache(name, cache, A, W, b, hparameters, case)

        # With all-zero weights every output of filter c is its bias.
        Z_bias, _ = run(np.zeros_like(W), b)
        if not same_values(Z_bias, np.broadcast_to(b, Z_bias.shape)):
            if np.allclose(Z_bias, 0):
                fail(name, "the bias is missing: every Z[i, h, w, c] gets b[0, 0, 0, c] added.", case)
            fail(
                name,
                "with all-zero weights every Z[i, h, w, c] should equal the bias of filter c, "
                "b[0, 0, 0, c]: give each filter its own bias.",
                case,
            )

        # A filter that is 1 at (i, j, k) copies the padded input, shifted by (i, j), every stride pixels.
        A_pad = _pad_hw(A, pad)
        n_H, n_W = Z.shape[1:3]
        no_bias = np.zeros_like(b)
        responses = {}
        for i, j, k, c in itertools.product(range(f), range(f), range(n_C_prev), range(n_C)):
            Z_probe, _ = run(_one_hot(W.shape, (i, j, k, c)), no_bias)
            want = np.zeros(Z.shape)
            want[..., c] = _strided(A_pad, i, j, n_H, n_W, stride)[..., k]
            if not same_values(Z_probe, want):
                _explain_conv_probe(name, Z_probe, want, A_pad, (i, j, k, c), stride, case)
            responses[i, j, k, c] = Z_probe

        # Linearity: the answer for any W is the weighted sum of the one-position answers, plus b.
        combined = sum(W[key] * response for key, response in responses.items()) + b
        if not same_values(Z, combined):
            fail(
                name,
                "for a general filter bank Z[i, h, w, c] must be the sum of the window times "
                "W[:, :, :, c] plus b[0, 0, 0, c]; each filter position taken alone is right, so "
                "check how the products are combined.",
                case,
            )
    report_success(name)


def _explain_conv_probe(name, got, want, A_pad, index, stride, case):
    i, j, k, c = index
    n_H, n_W = want.shape[1:3]
    other_channels = np.delete(got, c, axis=3)
    if other_channels.size and np.any(other_channels != 0):
        fail(
            name,
            "filter c must only produce output channel c: use W[:, :, :, c] and b[:, :, :, c] for Z[:, :, :, c].",
            case,
        )
    if stride > 1:
        unstrided = A_pad[:, i : i + n_H, j : j + n_W, k]
        if same_values(got[..., c], unstrided):
            fail(
                name,
                "the window of output (h, w) must start at row h * stride and column w * stride "
                "of the padded input; the stride is missing from the window position.",
                case,
            )
    fail(
        name,
        "a filter that is 1 at one position (i, j, k) and 0 elsewhere should copy "
        "A_prev_pad[:, h * stride + i, w * stride + j, k] into Z[:, h, w, c]. Take the window of "
        "output (h, w) from the PADDED input, rows h * stride to h * stride + f and columns "
        "w * stride to w * stride + f, all channels.",
        case,
    )


# ----------------------------------------------------------------------------------------------
# pool_forward
# ----------------------------------------------------------------------------------------------

POOL_CASES = [  # (m, n_H_prev, n_W_prev, n_C, f, stride)
    (2, 5, 7, 3, 2, 2),  # neither height nor width is tiled exactly
    (1, 6, 4, 2, 3, 1),  # overlapping windows
    (2, 7, 6, 2, 3, 2),
]


def _pool_expected(m, n_C, f, stride, mode, shape_hw):
    """Pooled ramp: its max sits at the window's bottom-left corner, its mean at the window's centre."""
    i, h, w, c = np.meshgrid(
        np.arange(m), np.arange(shape_hw[0]), np.arange(shape_hw[1]), np.arange(n_C), indexing="ij"
    )
    top, left = h * stride, w * stride
    if mode == "max":
        row, col = top + f - 1, left
    else:
        row, col = top + (f - 1) / 2, left + (f - 1) / 2
    return 1000.0 * i + 100.0 * c + 7.0 * row - col


@visible_check
def check_pool_forward(pool_forward):
    """Check pool_forward(A_prev, hparameters, mode): output size, cache, both modes, stride, channels."""
    name = "pool_forward"
    for m, n_H_prev, n_W_prev, n_C, f, stride in POOL_CASES:
        A = _ramp(m, n_H_prev, n_W_prev, n_C)
        A_before = A.copy()
        hparameters = {"f": f, "stride": stride}
        n_H, n_W = _output_length(n_H_prev, f, stride), _output_length(n_W_prev, f, stride)
        results = {}
        for mode in ("max", "average"):
            case = describe_case(A_prev=A, f=f, stride=stride, mode=mode)
            result = call_student(name, pool_forward, A, hparameters, mode=mode, case=case)
            out, cache = _unpack(name, result, ("A", "cache"), case)
            require_array(out, name, "the pooled output A", case)
            problem = pool_output_shape_problem(out.shape, A.shape, f, stride)
            if problem:
                fail(name, problem, case)
            require_unchanged(A_before, A, name, "A_prev", case)
            cache = _unpack(name, cache, ("A_prev", "hparameters"), case)
            if not (isinstance(cache[0], np.ndarray) and np.array_equal(cache[0], A)) or cache[1] != hparameters:
                fail(name, "the cache should be the tuple (A_prev, hparameters) that was passed in.", case)
            want = _pool_expected(m, n_C, f, stride, mode, (n_H, n_W))
            if not same_values(out, want):
                _explain_pool(name, out, m, n_C, f, stride, mode, (n_H, n_W), case)
            results[mode] = out
        case = describe_case(A_prev=A, f=f, stride=stride)
        default = _unpack(name, call_student(name, pool_forward, A, hparameters, case=case), ("A", "cache"), case)[0]
        if not same_values(default, results["max"]):
            fail(name, "when mode is not given, pool_forward should do max pooling (mode='max' by default).", case)
    report_success(name)


def _explain_pool(name, got, m, n_C, f, stride, mode, shape_hw, case):
    other = "average" if mode == "max" else "max"
    if same_values(got, _pool_expected(m, n_C, f, stride, other, shape_hw)):
        fail(
            name,
            f"with mode='{mode}' it computed {other} pooling; check how the mode argument is used "
            f"(max takes np.max of the window, average takes np.mean).",
            case,
        )
    if mode == "average" and same_values(got, f * f * _pool_expected(m, n_C, f, stride, mode, shape_hw)):
        fail(name, "average pooling must divide the sum of the window by its f * f entries (np.mean).", case)
    if stride > 1 and same_values(got, _pool_expected(m, n_C, f, 1, mode, shape_hw)):
        fail(
            name,
            "the window of output (h, w) must start at row h * stride and column w * stride; the "
            "stride is missing from the window position.",
            case,
        )
    if n_C > 1 and np.allclose(got, got[..., :1]):
        fail(
            name,
            "every channel got the same value: pool each channel c on its own, over the window "
            "A_prev[i, rows, columns, c].",
            case,
        )
    fail(
        name,
        f"A[i, h, w, c] should be the {mode} of A_prev[i, h*stride : h*stride + f, w*stride : w*stride + f, c].",
        case,
    )


# ----------------------------------------------------------------------------------------------
# conv_backward
# ----------------------------------------------------------------------------------------------

CONV_BACKWARD_CASES = [  # (m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad)
    (2, 4, 5, 2, 3, 2, 2, 1),
    (1, 4, 4, 2, 2, 2, 1, 0),  # pad 0 and overlapping windows
    (1, 3, 4, 1, 3, 1, 1, 2),  # padding wider than the overlap
]


@visible_check
def check_conv_backward(conv_backward):
    """Check conv_backward(dZ, cache): shapes, db, each output's share of dA_prev and dW, accumulation."""
    name = "conv_backward"
    require_helpers_pass(name, conv_backward, {"zero_pad": check_zero_pad.__wrapped__})
    rng = np.random.default_rng(14)
    for m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad in CONV_BACKWARD_CASES:
        A, W, b, hparameters = _conv_inputs(rng, m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad)
        cache = (A, W, b, hparameters)
        n_H, n_W = _output_length(n_H_prev, f, stride, pad), _output_length(n_W_prev, f, stride, pad)
        A_pad = _pad_hw(A, pad)
        before = (A.copy(), W.copy(), b.copy())
        case = describe_case(A_prev=A, W=W, stride=stride, pad=pad)

        def run(dZ):
            dZ_before = dZ.copy()
            result = call_student(name, conv_backward, dZ, cache, case=case)
            grads = _unpack(name, result, ("dA_prev", "dW", "db"), case)
            for got, right, what in zip(grads, (A.shape, W.shape, b.shape), ("dA_prev", "dW", "db")):
                problem = gradient_shape_problem(what, got, right, pad)
                if problem:
                    fail(name, problem, case)
            require_unchanged(dZ_before, dZ, name, "dZ", case)
            for old, new, what in zip(before, (A, W, b), ("A_prev (in the cache)", "W (in the cache)", "b")):
                require_unchanged(old, new, name, what, case)
            return grads

        # One output at a time: dZ = 1 at (i, h, w, c) and 0 elsewhere.
        responses = {}
        for i, h, w, c in itertools.product(range(m), range(n_H), range(n_W), range(n_C)):
            dZ = _one_hot((m, n_H, n_W, n_C), (i, h, w, c))
            dA_prev, dW, db = run(dZ)
            top, left = h * stride, w * stride
            want_dA_pad = np.zeros(A_pad.shape)
            want_dA_pad[i, top : top + f, left : left + f, :] = W[:, :, :, c]
            want_dA = want_dA_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :]
            want_dW = np.zeros(W.shape)
            want_dW[:, :, :, c] = A_pad[i, top : top + f, left : left + f, :]
            want_db = _one_hot(b.shape, (0, 0, 0, c))
            where = f"for dZ equal to 1 at (i, h, w, c) = {(i, h, w, c)} and 0 elsewhere"
            if not same_values(db, want_db):
                if _close(np.sum(db), 1.0 / (m * n_H * n_W)):
                    fail(name, "db must be the sum of dZ over the examples and positions, not the mean.", case)
                fail(
                    name,
                    f"db is wrong {where}: db[0, 0, 0, c] is the sum of dZ[:, :, :, c] over examples "
                    f"and positions (axes 0, 1, 2), one entry per filter.",
                    case,
                )
            if not same_values(dW, want_dW):
                if m > 1 and same_values(dW * m, want_dW):
                    fail(name, "dW is divided by m: add the contributions of the examples, do not average them.", case)
                if stride > 1 and same_values(dW[..., c], A_pad[i, h : h + f, w : w + f, :]):
                    fail(
                        name,
                        "the window for output (h, w) starts at row h * stride and column w * stride; "
                        "the stride is missing from the window position in the backward pass.",
                        case,
                    )
                fail(
                    name,
                    f"dW is wrong {where}: dW[:, :, :, c] must receive the window of the PADDED input "
                    f"that produced Z[i, h, w, c], times dZ[i, h, w, c].",
                    case,
                )
            if not same_values(dA_prev, want_dA):
                if stride < f and _looks_overwritten(dA_prev, want_dA):
                    fail(name, f"dA_prev is wrong {where}: {OVERWRITE_HINT}", case)
                fail(
                    name,
                    f"dA_prev is wrong {where}: the window of the padded gradient that produced "
                    f"Z[i, h, w, c] must receive W[:, :, :, c] times dZ[i, h, w, c], and the padding "
                    f"must then be cut off (pad rows and columns on each side).",
                    case,
                )
            responses[i, h, w, c] = (dA_prev, dW, db)

        # Any dZ: the gradients add up over every output (windows overlap when stride < f).
        dZ = rng.uniform(-1, 1, size=(m, n_H, n_W, n_C))
        got = run(dZ)
        for k, what in enumerate(("dA_prev", "dW", "db")):
            combined = sum(dZ[key] * response[k] for key, response in responses.items())
            if not same_values(got[k], combined):
                fail(
                    name,
                    f"{what} is right for a single output but not for a full dZ: add (+=) the "
                    f"contribution of every example, position and filter instead of overwriting it "
                    f"(windows overlap when stride < f).",
                    case,
                )
    report_success(name)


# ----------------------------------------------------------------------------------------------
# create_mask_from_window and distribute_value
# ----------------------------------------------------------------------------------------------


@visible_check
def check_create_mask_from_window(create_mask_from_window):
    """Check create_mask_from_window(x): a boolean array of x's shape, True only at x's maximum."""
    name = "create_mask_from_window"
    rng = np.random.default_rng(15)
    # (shape, position of the maximum, lowest value): with -3.0 the minimum is larger in size than the maximum.
    for shape, where, low in [
        ((3, 3), (1, 2), -3.0),
        ((2, 4), (0, 3), -0.5),
        ((4, 2), (3, 0), -3.0),
        ((1, 1), (0, 0), -1.0),
    ]:
        x = rng.uniform(low, -0.1, size=shape)
        x[where] = rng.uniform(0.6, 0.9)
        x_before = x.copy()
        case = describe_case(x=x)
        mask = call_student(name, create_mask_from_window, x, case=case)
        problem = mask_problem(mask, x, _one_hot(shape, where).astype(bool))
        require_unchanged(x_before, x, name, "x", case)
        if problem:
            fail(name, problem, case)
    report_success(name)


@visible_check
def check_distribute_value(distribute_value):
    """Check distribute_value(dz, shape): an array of that shape, all entries equal, adding up to dz."""
    name = "distribute_value"
    for dz, shape in [(2.0, (2, 2)), (-3.0, (2, 3)), (1.5, (3, 1)), (3, (2, 2)), (np.float64(0.7), (3, 3))]:
        case = describe_case(dz=dz, shape=shape)
        out = call_student(name, distribute_value, dz, shape, case=case)
        if not isinstance(out, np.ndarray):
            fail(
                name,
                f"it should return an array of shape (n_H, n_W) = {shape} holding the same value "
                f"everywhere, but it returned {shape_text(out)}.",
                case,
            )
        if out.shape != tuple(shape):
            hint = " The height n_H comes first, then the width n_W." if out.shape == tuple(shape)[::-1] else ""
            fail(
                name,
                f"the result has shape {out.shape}; it should have the given shape (n_H, n_W) = {tuple(shape)}.{hint}",
                case,
            )
        n_H, n_W = shape
        if not np.allclose(out, out.flat[0]):
            fail(
                name,
                "every entry should hold the same value: each position of an average-pooling window "
                "contributed equally to the output.",
                case,
            )
        total = float(np.sum(out))
        if not _close(total, dz):
            if _close(total, dz * n_H * n_W):
                fail(
                    name,
                    "each entry holds all of dz; divide dz by the number of entries n_H * n_W so "
                    "that the entries add up to dz.",
                    case,
                )
            if _close(out.flat[0], dz / (n_H + n_W)):
                fail(name, "dz is divided by n_H + n_W; the window has n_H * n_W entries.", case)
            fail(
                name,
                "the entries should add up to dz: each one is dz divided by the number of entries "
                "n_H * n_W (use true division /, not //).",
                case,
            )
    report_success(name)


# ----------------------------------------------------------------------------------------------
# pool_backward
# ----------------------------------------------------------------------------------------------

POOL_BACKWARD_CASES = [  # (m, n_H_prev, n_W_prev, n_C, f, stride, spike position or None)
    (2, 5, 7, 2, 2, 2, None),  # no overlap, the input is not tiled exactly
    (1, 5, 5, 2, 3, 1, (0, 2, 2, 1)),  # overlapping windows that share their maximum
    (1, 6, 5, 1, 2, 1, (0, 3, 1, 0)),
]


def _max_position(top, left, f, spike_hw):
    """Where the maximum of the window at (top, left) is: the spike if the window holds it, else bottom-left."""
    if spike_hw is not None and top <= spike_hw[0] < top + f and left <= spike_hw[1] < left + f:
        return spike_hw
    return top + f - 1, left


@visible_check
def check_pool_backward(pool_backward):
    """Check pool_backward(dA, cache, mode): shape, where each window's gradient goes, accumulation."""
    name = "pool_backward"
    require_helpers_pass(
        name,
        pool_backward,
        {
            "create_mask_from_window": check_create_mask_from_window.__wrapped__,
            "distribute_value": check_distribute_value.__wrapped__,
        },
    )
    rng = np.random.default_rng(16)
    for m, n_H_prev, n_W_prev, n_C, f, stride, spike in POOL_BACKWARD_CASES:
        A = _ramp(m, n_H_prev, n_W_prev, n_C)
        if spike is not None:
            A[spike] += 500.0
        hparameters = {"f": f, "stride": stride}
        cache = (A, hparameters)
        A_before = A.copy()
        n_H, n_W = _output_length(n_H_prev, f, stride), _output_length(n_W_prev, f, stride)
        for mode in ("max", "average"):
            case = describe_case(A_prev=A, f=f, stride=stride, mode=mode)

            def run(dA):
                dA_before = dA.copy()
                dA_prev = call_student(name, pool_backward, dA, cache, mode=mode, case=case)
                problem = gradient_shape_problem("dA_prev", dA_prev, A.shape)
                if problem:
                    fail(name, problem, case)
                require_unchanged(dA_before, dA, name, "dA", case)
                require_unchanged(A_before, A, name, "A_prev (in the cache)", case)
                return dA_prev

            responses = {}
            for i, h, w, c in itertools.product(range(m), range(n_H), range(n_W), range(n_C)):
                dA_prev = run(_one_hot((m, n_H, n_W, n_C), (i, h, w, c)))
                top, left = h * stride, w * stride
                spike_hw = spike[1:3] if spike is not None and spike[0] == i and spike[3] == c else None
                want = np.zeros(A.shape)
                if mode == "max":
                    want[(i, *_max_position(top, left, f, spike_hw), c)] = 1.0
                else:
                    want[i, top : top + f, left : left + f, c] = 1.0 / (f * f)
                if not same_values(dA_prev, want):
                    _explain_pool_backward(name, dA_prev, (i, h, w, c), f, stride, mode, case)
                responses[i, h, w, c] = dA_prev

            dA = rng.uniform(-1, 1, size=(m, n_H, n_W, n_C))
            combined = sum(dA[key] * response for key, response in responses.items())
            if not same_values(run(dA), combined):
                fail(
                    name,
                    "the gradient is right for one window at a time but not for a full dA: add (+=) "
                    "each window's share into dA_prev instead of overwriting it (windows overlap "
                    "when stride < f).",
                    case,
                )
        case = describe_case(A_prev=A, f=f, stride=stride)
        dA = rng.uniform(-1, 1, size=(m, n_H, n_W, n_C))
        default = call_student(name, pool_backward, dA, cache, case=case)
        explicit = call_student(name, pool_backward, dA, cache, mode="max", case=case)
        if not same_values(default, explicit):
            fail(name, "when mode is not given, pool_backward should use max pooling (mode='max' by default).", case)
    report_success(name)


def _explain_pool_backward(name, got, index, f, stride, mode, case):
    i, h, w, c = index
    top, left = h * stride, w * stride
    window = got[i, top : top + f, left : left + f, c]
    outside = got.copy()
    outside[i, top : top + f, left : left + f, c] = 0
    where = f"for dA equal to 1 at (i, h, w, c) = {(i, h, w, c)} and 0 elsewhere"
    if np.any(outside != 0):
        if stride > 1 and np.any(got[i, h : h + f, w : w + f, c] != 0):
            fail(
                name,
                f"the gradient landed in the wrong place {where}: the window of output (h, w) starts "
                f"at row h * stride and column w * stride of A_prev.",
                case,
            )
        fail(
            name,
            f"the gradient landed outside the window that produced A[i, h, w, c] {where}: it belongs "
            f"in dA_prev[i, h*stride : h*stride + f, w*stride : w*stride + f, c].",
            case,
        )
    if stride < f:  # overlapping windows: was this window's share overwritten by a later one?
        if mode == "max":
            lost = np.count_nonzero(window) == 0
        else:
            want = np.zeros(got.shape)
            want[i, top : top + f, left : left + f, c] = 1.0 / (f * f)
            lost = _looks_overwritten(got, want)
        if lost:
            fail(name, f"wrong {where}: {OVERWRITE_HINT}", case)
    if mode == "max":
        if np.count_nonzero(window) > 1:
            fail(
                name,
                "in max mode only the position of the window's maximum receives the gradient: "
                "multiply dA[i, h, w, c] by the mask of the window of A_prev "
                "(create_mask_from_window).",
                case,
            )
        fail(
            name,
            f"in max mode the whole of dA[i, h, w, c] goes to the position of the maximum of the "
            f"window of A_prev (wrong {where}).",
            case,
        )
    if np.allclose(window, 1.0):
        fail(
            name,
            "in average mode dA[i, h, w, c] is shared equally by the f * f positions of the window: "
            "each gets dA[i, h, w, c] / (f * f) (distribute_value).",
            case,
        )
    if np.count_nonzero(window) == 1:
        fail(
            name,
            "in average mode every position of the window receives an equal share of the gradient, "
            "not only the maximum; check how the mode argument is used.",
            case,
        )
    fail(
        name,
        f"in average mode each of the f * f positions of the window gets an equal share of "
        f"dA[i, h, w, c] (wrong {where}).",
        case,
    )
