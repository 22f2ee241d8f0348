"""Reference implementations of the w1a1_conv_numpy graded functions, for the hidden tests only.

They are vectorised (np.pad, sliding_window_view, einsum) and deliberately written differently from
the loop-based solutions in the instructor notebook, so the two check each other. Shapes are
channels-last: A (m, n_H, n_W, n_C), W (f, f, n_C_prev, n_C), b (1, 1, 1, n_C).
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = [
    "zero_pad",
    "conv_single_step",
    "conv_forward",
    "pool_forward",
    "conv_backward",
    "create_mask_from_window",
    "distribute_value",
    "pool_backward",
]

POOLING_MODES = ("max", "average")


def zero_pad(X, pad):
    """Pad X (m, n_H, n_W, n_C) with pad zeros on each side of height and width: (m, n_H + 2 pad, n_W + 2 pad, n_C)."""
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant")


def conv_single_step(a_slice_prev, W, b):
    """One filter on one window: sum of a_slice_prev * W (both (f, f, n_C_prev)) plus b (1, 1, 1), as a float."""
    return float(np.tensordot(a_slice_prev, W, axes=W.ndim) + np.sum(b))


def output_length(n_prev, f, stride, pad=0):
    """Number of window positions along one axis: floor((n_prev + 2 pad - f) / stride) + 1."""
    return (n_prev + 2 * pad - f) // stride + 1


def _windows(A, f, stride):
    """Every f x f window of A (m, n_H_prev, n_W_prev, n_C) at the stride: a view (m, n_H, n_W, n_C, f, f)."""
    return sliding_window_view(A, (f, f), axis=(1, 2))[:, ::stride, ::stride]


def _scatter_windows(contributions, out_shape, stride):
    """Add each window's (f, f) contribution back where the window came from.

    contributions: (m, n_H, n_W, n_C, f, f); returns an array of out_shape (m, n_H_in, n_W_in, n_C).
    """
    _, n_H, n_W, _, f, _ = contributions.shape
    out = np.zeros(out_shape)
    for i in range(f):  # f * f strided slices; inside each, windows never collide
        for j in range(f):
            out[:, i : i + stride * n_H : stride, j : j + stride * n_W : stride, :] += contributions[..., i, j]
    return out


def conv_forward(A_prev, W, b, hparameters):
    """Convolve A_prev (m, n_H_prev, n_W_prev, n_C_prev) with W (f, f, n_C_prev, n_C) plus b (1, 1, 1, n_C).

    Returns Z (m, n_H, n_W, n_C) and cache (A_prev, W, b, hparameters).
    """
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    windows = _windows(zero_pad(A_prev, pad), f, stride)  # (m, n_H, n_W, n_C_prev, f, f)
    Z = np.einsum("mhwkij,ijkc->mhwc", windows, W) + np.reshape(b, (1, 1, 1, -1))
    return Z, (A_prev, W, b, hparameters)


def pool_forward(A_prev, hparameters, mode="max"):
    """Max or average pooling of A_prev (m, n_H_prev, n_W_prev, n_C) with hparameters {"f", "stride"}.

    Returns A (m, n_H, n_W, n_C) and cache (A_prev, hparameters).
    """
    if mode not in POOLING_MODES:
        raise ValueError(f"mode must be one of {POOLING_MODES}, got {mode!r}")
    windows = _windows(A_prev, hparameters["f"], hparameters["stride"])  # (m, n_H, n_W, n_C, f, f)
    reduce = np.max if mode == "max" else np.mean
    return reduce(windows, axis=(-2, -1)), (A_prev, hparameters)


def conv_backward(dZ, cache):
    """Gradients of a convolution from dZ (m, n_H, n_W, n_C) and cache (A_prev, W, b, hparameters).

    Returns dA_prev (m, n_H_prev, n_W_prev, n_C_prev), dW (f, f, n_C_prev, n_C), db (1, 1, 1, n_C).
    """
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    A_pad = zero_pad(A_prev, pad)
    windows = _windows(A_pad, f, stride)  # (m, n_H, n_W, n_C_prev, f, f)
    dW = np.einsum("mhwkij,mhwc->ijkc", windows, dZ)
    db = np.sum(dZ, axis=(0, 1, 2)).reshape(1, 1, 1, -1)
    contributions = np.einsum("mhwc,ijkc->mhwkij", dZ, W)  # what each window sends back
    dA_pad = _scatter_windows(contributions, A_pad.shape, stride)
    dA_prev = dA_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :]
    return dA_prev, dW, db


def create_mask_from_window(x):
    """Boolean mask of x's shape, True where x equals its maximum."""
    return np.equal(x, np.max(x))


def distribute_value(dz, shape):
    """An array of the given shape (n_H, n_W) whose entries all equal dz / (n_H * n_W)."""
    return np.full(shape, dz / np.prod(shape), dtype=float)


def pool_backward(dA, cache, mode="max"):
    """Gradient of a pooling layer: dA (m, n_H, n_W, n_C) and cache (A_prev, hparameters) -> dA_prev like A_prev."""
    if mode not in POOLING_MODES:
        raise ValueError(f"mode must be one of {POOLING_MODES}, got {mode!r}")
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    windows = _windows(A_prev, f, stride)  # (m, n_H, n_W, n_C, f, f)
    upstream = dA[..., np.newaxis, np.newaxis]  # (m, n_H, n_W, n_C, 1, 1)
    if mode == "max":
        is_max = windows == windows.max(axis=(-2, -1), keepdims=True)
        contributions = is_max * upstream
    else:
        contributions = np.broadcast_to(upstream / (f * f), windows.shape)
    return _scatter_windows(contributions, A_prev.shape, stride)
