"""Shapes and parameter counts of convolutions in any number of dimensions: 1D signals, 2D images, 3D volumes.

A convolution with d spatial axes reads an input (n_1, ..., n_d, n_C_prev), channels-last like Keras's
Conv1D, Conv2D and Conv3D without the batch axis. Each of its n_C filters spans f_1 x ... x f_d
positions and all n_C_prev input channels; each spatial axis follows the output-size formula of
week 1, floor((n + 2p - f) / s) + 1, on its own.
"""
import numpy as np

from cnnbook.conv_arithmetic import output_size

__all__ = ["conv_nd_output_shape", "conv_nd_params", "conv_nd_multiplications"]


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


def conv_nd_multiplications(output_shape, f, n_C_prev):
    """Return the multiplications of a convolution's forward pass: one filter volume per output value."""
    d = len(output_shape) - 1
    return int(np.prod(output_shape)) * int(np.prod(_per_axis(f, d, "f"))) * n_C_prev
