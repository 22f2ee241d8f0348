"""Size and parameter arithmetic of convolutional, pooling and dense layers.

Conventions used throughout the book: a square input of side ``n``, a square window of side
``f``, stride ``stride`` (written s in the prose) and zero padding ``pad`` (written p).
"""

__all__ = [
    "output_size",
    "same_padding",
    "conv_output_shape",
    "pool_output_shape",
    "conv_layer_params",
    "dense_layer_params",
]


def _check_positive(name, value, minimum=1):
    # Reject floats that are not whole numbers and values below `minimum`.
    if int(value) != value or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def output_size(n, f, stride=1, pad=0):
    """Return the side floor((n + 2 pad - f) / stride) + 1 of a convolution or pooling output."""
    n = _check_positive("n", n)
    f = _check_positive("f", f)
    stride = _check_positive("stride", stride)
    pad = _check_positive("pad", pad, minimum=0)
    if f > n + 2 * pad:
        raise ValueError(f"a window of side f={f} does not fit in n + 2*pad = {n + 2 * pad}")
    return (n + 2 * pad - f) // stride + 1


def same_padding(f):
    """Return the padding p = (f - 1) / 2 that keeps the size unchanged at stride 1 (f odd)."""
    f = _check_positive("f", f)
    if f % 2 == 0:
        raise ValueError(f"'same' padding needs an odd filter size so that p is whole, got f={f}")
    return (f - 1) // 2


def conv_output_shape(input_shape, f, n_C, stride=1, pad=0):
    """Return the shape (n_H, n_W, n_C) of a convolution of input_shape (n_H_prev, n_W_prev, n_C_prev) with n_C filters."""
    n_H_prev, n_W_prev = input_shape[0], input_shape[1]
    return (output_size(n_H_prev, f, stride, pad), output_size(n_W_prev, f, stride, pad), n_C)


def pool_output_shape(input_shape, f, stride):
    """Return the shape (n_H, n_W, n_C) of pooling input_shape (n_H_prev, n_W_prev, n_C) with an f x f window."""
    n_H_prev, n_W_prev, n_C = input_shape
    return (output_size(n_H_prev, f, stride), output_size(n_W_prev, f, stride), n_C)


def conv_layer_params(f, n_C_prev, n_C, bias=True):
    """Return the number of learned values, (f * f * n_C_prev + 1) * n_C, of a conv layer with n_C filters."""
    f = _check_positive("f", f)
    n_C_prev = _check_positive("n_C_prev", n_C_prev)
    n_C = _check_positive("n_C", n_C)
    return (f * f * n_C_prev + int(bool(bias))) * n_C


def dense_layer_params(n_in, n_out, bias=True):
    """Return the number of learned values, (n_in + 1) * n_out, of a fully connected layer."""
    n_in = _check_positive("n_in", n_in)
    n_out = _check_positive("n_out", n_out)
    return (n_in + int(bool(bias))) * n_out
