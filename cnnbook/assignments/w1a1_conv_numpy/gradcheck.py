"""Numerical gradient checks: does a backward function agree with its forward function?

Each check feeds small random inputs through the student's forward function, takes the scalar loss
L = sum(out * G) for a fixed random G (so dL/dout = G), estimates dL/dinput by centred differences

    dL/dx[k] ~ (L(x + eps e_k) - L(x - eps e_k)) / (2 eps),

and compares the estimate with what the student's backward function returns for dout = G, by the
relative error |num - ana| / (|num| + |ana|) (Euclidean norms). The forward functions are the
student's own, so the check says whether the two halves of a layer are consistent; the visible
checks say whether each half is right.

Used by: solutions/w1a1_conv_numpy/w1a1_conv_numpy.ipynb
"""

import numpy as np

__all__ = [
    "relative_error",
    "numerical_gradient",
    "check_conv_gradients",
    "check_pool_gradients",
    "run_gradient_checks",
    "PASS_THRESHOLD",
]

PASS_THRESHOLD = 1e-6  # loop and vectorised float64 code lands near 1e-9 or below


def relative_error(numerical, analytic):
    """|numerical - analytic| / (|numerical| + |analytic|) with Euclidean norms; 0 when both are zero."""
    numerical, analytic = np.asarray(numerical, dtype=float), np.asarray(analytic, dtype=float)
    scale = np.linalg.norm(numerical) + np.linalg.norm(analytic)
    if scale == 0:
        return 0.0
    return float(np.linalg.norm(numerical - analytic) / scale)


def numerical_gradient(loss, x, eps=1e-6):
    """Centred-difference gradient of loss() (a scalar) with respect to every entry of the array x.

    x: float array of any shape, nudged in place and restored; loss: a function of no argument that
    reads x. Returns an array of x's shape.
    """
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        above = loss()
        x[index] = original - eps
        below = loss()
        x[index] = original
        grad[index] = (above - below) / (2 * eps)
    return grad


def _compare(label, name, numerical, analytic):
    """Relative error of one gradient, or inf (with the reason printed) if the shapes disagree."""
    analytic = np.asarray(analytic) if analytic is not None else None
    if analytic is None or analytic.shape != numerical.shape:
        got = "None" if analytic is None else f"shape {analytic.shape}"
        print(f"{label:<16}{name:<9}has {got}, but it must have shape {numerical.shape}")
        return float("inf")
    error = relative_error(numerical, analytic)
    verdict = "ok" if error < PASS_THRESHOLD else "DISAGREES"
    print(f"{label:<16}{name:<9}relative error {error:.1e}   {verdict}")
    return error


def check_conv_gradients(conv_forward, conv_backward, seed=0, eps=1e-6):
    """Compare conv_backward with centred differences of conv_forward on a small strided, padded layer.

    Inputs: A_prev (2, 5, 4, 3), W (3, 3, 3, 2), b (1, 1, 1, 2), stride 2, pad 1, so Z is (2, 3, 2, 2).
    Returns {"dA_prev": error, "dW": error, "db": error}, the relative errors, and prints them.
    """
    rng = np.random.default_rng(seed)
    A_prev = rng.standard_normal((2, 5, 4, 3))
    W = rng.standard_normal((3, 3, 3, 2))
    b = rng.standard_normal((1, 1, 1, 2))
    hparameters = {"stride": 2, "pad": 1}
    Z, cache = conv_forward(A_prev, W, b, hparameters)
    G = rng.standard_normal(np.shape(Z))  # dL/dZ for L = sum(Z * G)

    def loss():
        return float(np.sum(conv_forward(A_prev, W, b, hparameters)[0] * G))

    dA_prev, dW, db = conv_backward(G, cache)
    label = "conv layer"
    return {
        "dA_prev": _compare(label, "dA_prev", numerical_gradient(loss, A_prev, eps), dA_prev),
        "dW": _compare(label, "dW", numerical_gradient(loss, W, eps), dW),
        "db": _compare(label, "db", numerical_gradient(loss, b, eps), db),
    }


def check_pool_gradients(pool_forward, pool_backward, mode="max", seed=0, eps=1e-6):
    """Compare pool_backward with centred differences of pool_forward (f=2, stride 1: windows overlap).

    Input: A_prev (2, 4, 5, 2) with well-separated values, so a nudge of eps never changes which entry
    of a window is the maximum. Returns {"dA_prev": error} and prints it.
    """
    rng = np.random.default_rng(seed)
    shape = (2, 4, 5, 2)
    A_prev = 0.1 * rng.permutation(np.prod(shape)).reshape(shape).astype(float)  # distinct, 0.1 apart
    hparameters = {"f": 2, "stride": 1}
    out, cache = pool_forward(A_prev, hparameters, mode=mode)
    G = rng.standard_normal(np.shape(out))

    def loss():
        return float(np.sum(pool_forward(A_prev, hparameters, mode=mode)[0] * G))

    dA_prev = pool_backward(G, cache, mode=mode)
    return {"dA_prev": _compare(f"{mode} pooling", "dA_prev", numerical_gradient(loss, A_prev, eps), dA_prev)}


def run_gradient_checks(conv_forward, conv_backward, pool_forward, pool_backward, seed=0):
    """Run the convolution check and both pooling checks, print each relative error and a verdict.

    Returns {"conv": {...}, "max": {...}, "average": {...}}, the relative errors by gradient.
    """
    errors = {
        "conv": check_conv_gradients(conv_forward, conv_backward, seed=seed),
        "max": check_pool_gradients(pool_forward, pool_backward, mode="max", seed=seed),
        "average": check_pool_gradients(pool_forward, pool_backward, mode="average", seed=seed),
    }
    failing = [
        f"{layer} {name}"
        for layer, found in errors.items()
        for name, error in found.items()
        if not error < PASS_THRESHOLD
    ]
    if failing:
        print(
            f"Verdict: these gradients disagree with the forward pass (relative error above "
            f"{PASS_THRESHOLD:.0e}): {', '.join(failing)}. Look again at the backward function behind each."
        )
    else:
        print(f"Verdict: every gradient agrees with its forward pass (relative errors below {PASS_THRESHOLD:.0e}).")
    return errors
