"""Two-dimensional cross-correlation and convolution of a single-channel image, in NumPy.

Deep-learning "convolution" is the cross-correlation here; ``convolve2d`` flips the kernel first,
as the mathematical definition does. Both return the "valid" part unless ``pad`` is given.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cnnbook.conv_arithmetic import output_size

__all__ = ["cross_correlate2d", "convolve2d"]


def cross_correlate2d(x, w, stride=1, pad=0):
    """Slide w (f_H, f_W) over x (n_H, n_W) zero-padded by pad; return Z (n_H_out, n_W_out) of window sums x * w."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.ndim != 2 or w.ndim != 2:
        raise ValueError(f"expected 2-D image and kernel, got shapes {x.shape} and {w.shape}")
    n_H_out = output_size(x.shape[0], w.shape[0], stride, pad)  # also checks that w fits
    n_W_out = output_size(x.shape[1], w.shape[1], stride, pad)
    x_pad = np.pad(x, pad)                                   # (n_H + 2 pad, n_W + 2 pad)
    windows = sliding_window_view(x_pad, w.shape)            # (n_H + 2p - f_H + 1, ..., f_H, f_W)
    windows = windows[::stride, ::stride][:n_H_out, :n_W_out]  # (n_H_out, n_W_out, f_H, f_W)
    return np.einsum("ijuv,uv->ij", windows, w)


def convolve2d(x, w, stride=1, pad=0):
    """Convolve x (n_H, n_W) with w (f_H, f_W) in the mathematical sense: cross-correlate with w flipped in both axes."""
    return cross_correlate2d(x, np.asarray(w)[::-1, ::-1], stride=stride, pad=pad)
