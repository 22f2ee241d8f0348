"""The convolution and its arithmetic: output sizes, padding, parameter counts and costs in any number of
dimensions, and the 2-D cross-correlation and convolution themselves, in NumPy.

Conventions used throughout the book: a square input of side ``n``, a square window of side ``f``,
stride ``stride`` (written s in the prose) and zero padding ``pad`` (written p). A convolution with d
spatial axes reads an input (n_1, ..., n_d, n_C_prev), channels-last like Keras's Conv1D, Conv2D and
Conv3D without the batch axis; each spatial axis follows floor((n + 2p - f) / s) + 1 on its own.
Deep-learning "convolution" is ``cross_correlate2d``; ``convolve2d`` flips the kernel first, as the
mathematical definition does.

Used by: book/week1/01_why_convolutions.md, book/week1/02_edge_detection.md, book/week1/03_padding_and_stride.md,
book/week1/04_volumes_and_layers.md, book/week1/05_pooling.md, book/week1/06_simple_cnn.md,
book/week1/07_why_convolutions_work.md, book/week2/03_one_by_one_convolutions.md, book/week2/05_mobilenet.md,
book/week3/02_sliding_windows.md, book/week3/08_unet.md, book/week4/09_conv_1d_3d.md, and 7 modules of cnnbook
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = [
    "require_whole",
    "output_size",
    "same_padding",
    "conv_output_shape",
    "pool_output_shape",
    "conv_layer_params",
    "dense_layer_params",
    "conv_nd_output_shape",
    "conv_nd_params",
    "conv_multiply_adds",
    "cross_correlate2d",
    "convolve2d",
]


def require_whole(name, value, minimum=1):
    """Return `value` as an int, or raise ValueError when it is not a whole number of at least `minimum` (or a bool)."""
    if isinstance(value, bool) or int(value) != value or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def output_size(n, f, stride=1, pad=0):
    """Return the side floor((n + 2 pad - f) / stride) + 1 of a convolution or pooling output."""
    n = require_whole("n", n)
    f = require_whole("f", f)
    stride = require_whole("stride", stride)
    pad = require_whole("pad", pad, minimum=0)
    if f > n + 2 * pad:
        raise ValueError(f"a window of side f={f} does not fit in n + 2*pad = {n + 2 * pad}")
    return (n + 2 * pad - f) // stride + 1


def same_padding(f):
    """Return the padding p = (f - 1) / 2 that keeps the size unchanged at stride 1 (f odd)."""
    f = require_whole("f", f)
    if f % 2 == 0:
        raise ValueError(f"'same' padding needs an odd filter size so that p is whole, got f={f}")
    return (f - 1) // 2


def conv_output_shape(input_shape, f, n_C, stride=1, pad=0):
    """Return the shape (n_H, n_W, n_C) of a convolution of input_shape (n_H_prev, n_W_prev, n_C_prev) with n_C
    filters."""
    n_H_prev, n_W_prev = input_shape[0], input_shape[1]
    return (output_size(n_H_prev, f, stride, pad), output_size(n_W_prev, f, stride, pad), n_C)


def pool_output_shape(input_shape, f, stride):
    """Return the shape (n_H, n_W, n_C) of pooling input_shape (n_H_prev, n_W_prev, n_C) with an f x f window."""
    n_H_prev, n_W_prev, n_C = input_shape
    return (output_size(n_H_prev, f, stride), output_size(n_W_prev, f, stride), n_C)


def conv_layer_params(f, n_C_prev, n_C, bias=True):
    """Return the number of learned values, (f * f * n_C_prev + 1) * n_C, of a conv layer with n_C filters."""
    f = require_whole("f", f)
    n_C_prev = require_whole("n_C_prev", n_C_prev)
    n_C = require_whole("n_C", n_C)
    return (f * f * n_C_prev + int(bool(bias))) * n_C


def dense_layer_params(n_in, n_out, bias=True):
    """Return the number of learned values, (n_in + 1) * n_out, of a fully connected layer."""
    n_in = require_whole("n_in", n_in)
    n_out = require_whole("n_out", n_out)
    return (n_in + int(bool(bias))) * n_out


def _per_axis(value, d, name):
    """Return value as a tuple of d integers (one number is used for every axis)."""
    values = tuple(np.broadcast_to(np.asarray(value, int), (d,)).tolist()) if np.ndim(value) == 0 else tuple(value)
    if len(values) != d:
        raise ValueError(f"{name} needs one value per spatial axis ({d}), got {value!r}")
    return values


def conv_nd_output_shape(input_shape, f, n_C, stride=1, pad=0):
    """Return the output shape of a convolution with n_C filters.

    Arguments:
    input_shape -- (n_1, ..., n_d, n_C_prev): d spatial axes, then the channels
    f, stride, pad -- an int for every axis, or a tuple of d ints
    n_C -- number of filters
    Returns:
    shape -- (floor((n_1 + 2 p_1 - f_1) / s_1) + 1, ..., n_C)
    """
    d = len(input_shape) - 1
    if d < 1:
        raise ValueError(f"input_shape needs at least one spatial axis and the channels, got {input_shape!r}")
    f, stride, pad = _per_axis(f, d, "f"), _per_axis(stride, d, "stride"), _per_axis(pad, d, "pad")
    return tuple(output_size(n, f_k, s_k, p_k) for n, f_k, s_k, p_k in zip(input_shape[:-1], f, stride, pad)) + (n_C,)


def conv_nd_params(f, n_C_prev, n_C, d=None, bias=True):
    """Return (f_1 * ... * f_d * n_C_prev + 1) * n_C, the learned values of a d-dimensional convolutional layer.

    f is an int with d given (a cube f x ... x f), or a tuple of d ints.
    """
    if np.ndim(f) == 0:
        if d is None:
            raise ValueError("give the number of spatial axes d when f is a single number")
        f = _per_axis(f, d, "f")
    if min(f) < 1 or n_C_prev < 1 or n_C < 1:
        raise ValueError(f"need positive sizes, got f={f}, n_C_prev={n_C_prev}, n_C={n_C}")
    return (int(np.prod(f)) * n_C_prev + int(bool(bias))) * n_C


def conv_multiply_adds(output_shape, f, n_C_prev):
    """Return the multiply-adds of a convolution's forward pass, one filter volume per output value: for an output
    (n_H, n_W, n_C), n_H * n_W * n_C * f * f * n_C_prev; in d dimensions, f is an int or a tuple of d ints."""
    d = len(output_shape) - 1
    if d < 1:
        raise ValueError(f"output_shape needs at least one spatial axis and the channels, got {tuple(output_shape)!r}")
    sizes = [require_whole("output_shape", n) for n in output_shape]
    windows = [require_whole("f", f_k) for f_k in _per_axis(f, d, "f")]
    return int(np.prod(sizes)) * int(np.prod(windows)) * require_whole("n_C_prev", n_C_prev)


def cross_correlate2d(x, w, stride=1, pad=0):
    """Slide w (f_H, f_W) over x (n_H, n_W) zero-padded by pad; return Z (n_H_out, n_W_out) of window sums x * w."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.ndim != 2 or w.ndim != 2:
        raise ValueError(f"expected 2-D image and kernel, got shapes {x.shape} and {w.shape}")
    n_H_out = output_size(x.shape[0], w.shape[0], stride, pad)  # also checks that w fits
    n_W_out = output_size(x.shape[1], w.shape[1], stride, pad)
    x_pad = np.pad(x, pad)  # (n_H + 2 pad, n_W + 2 pad)
    windows = sliding_window_view(x_pad, w.shape)  # (n_H + 2p - f_H + 1, ..., f_H, f_W)
    windows = windows[::stride, ::stride][:n_H_out, :n_W_out]  # (n_H_out, n_W_out, f_H, f_W)
    return np.einsum("ijuv,uv->ij", windows, w)


def convolve2d(x, w, stride=1, pad=0):
    """Convolve x (n_H, n_W) with w (f_H, f_W) in the mathematical sense: cross-correlate with w flipped in both
    axes."""
    return cross_correlate2d(x, np.asarray(w)[::-1, ::-1], stride=stride, pad=pad)
