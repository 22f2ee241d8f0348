"""Transposed convolution of a single-channel 2-D array, written as stamping, with its output size.

Each input value x[i, j] stamps a copy of the filter, scaled by x[i, j], onto the output with its
top-left corner at (i * stride, j * stride); overlapping stamps add up. The full result has side
(n - 1) * stride + f; padding p then crops p rows and columns from every border, which gives the
output side (n - 1) * stride - 2 p + f. This is what keras.layers.Conv2DTranspose computes
(padding="valid" is p = 0; see the book's Week 3 for padding="same").

Used by: book/week3/07_semantic_segmentation.md, and 1 module of cnnbook
"""

import numpy as np

from cnnbook.calculators.convolution import require_whole

__all__ = ["transposed_output_size", "transposed_stamps", "transposed_conv2d"]


def transposed_output_size(n, f, stride=1, pad=0):
    """Return the side (n - 1) * stride - 2 pad + f of a transposed convolution's output."""
    n = require_whole("n", n, 1)
    f = require_whole("f", f, 1)
    stride = require_whole("stride", stride, 1)
    pad = require_whole("pad", pad, 0)
    size = (n - 1) * stride - 2 * pad + f
    if size < 1:
        raise ValueError(f"padding pad={pad} crops away the whole output of side {(n - 1) * stride + f}")
    return size


def transposed_stamps(x, W, stride=1):
    """Return each input value's scaled copy of the filter, placed on the uncropped output.

    Arguments:
    x -- input, (n_H, n_W)
    W -- filter, (f, f)
    stride -- step between the stamps of neighbouring input values on the output
    Returns:
    stamps -- (n_H, n_W, N_H, N_W) with N = (n - 1) * stride + f: stamps[i, j] is zero except for
              x[i, j] * W in rows i * stride .. i * stride + f - 1 and the matching columns
    """
    x, W = np.asarray(x, dtype=float), np.asarray(W, dtype=float)
    if x.ndim != 2 or W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"expected a 2-D input and a square 2-D filter, got shapes {x.shape} and {W.shape}")
    n_H, n_W = x.shape
    f = W.shape[0]
    N_H = transposed_output_size(n_H, f, stride)
    N_W = transposed_output_size(n_W, f, stride)
    stamps = np.zeros((n_H, n_W, N_H, N_W))
    for i in range(n_H):
        for j in range(n_W):
            stamps[i, j, i * stride : i * stride + f, j * stride : j * stride + f] = x[i, j] * W
    return stamps


def transposed_conv2d(x, W, stride=1, pad=0):
    """Return the transposed convolution of x (n_H, n_W) with W (f, f): the sum of the stamps, cropped by pad.

    Returns:
    out -- ((n_H - 1) * stride - 2 pad + f, (n_W - 1) * stride - 2 pad + f)
    """
    x = np.asarray(x, dtype=float)
    f = np.asarray(W).shape[0]
    transposed_output_size(min(x.shape), f, stride, pad)  # validates pad against the output size
    full = transposed_stamps(x, W, stride).sum(axis=(0, 1))  # (N_H, N_W)
    return full[pad : full.shape[0] - pad, pad : full.shape[1] - pad]
