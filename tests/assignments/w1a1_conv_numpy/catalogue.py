"""Mistakes and alternative solutions for w1a1_conv_numpy (convolution and pooling in NumPy).

Every function is named ``<graded function>__<slug>``. Bodies use only ``np`` and the graded function
names, so ``Variant.source()`` can be pasted into the notebook's solution cell. Here the graded names
used inside the bodies are bound to the reference implementations, so the variants also run as they are.
"""

import numpy as np

from autograder.assignments.w1a1_conv_numpy.reference import (  # noqa: F401  (used by the variants' bodies)
    conv_single_step,
    create_mask_from_window,
    distribute_value,
    zero_pad,
)
from tests.support.variants import alternative, mistake

# ----------------------------------------------------------------------------------------------
# zero_pad
# ----------------------------------------------------------------------------------------------


@mistake("zero_pad")
def zero_pad__pads_channels_too(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (pad, pad)), mode="constant")


@mistake("zero_pad")
def zero_pad__pads_batch_axis(X, pad):
    return np.pad(X, ((pad, pad), (pad, pad), (pad, pad), (0, 0)), mode="constant")


@mistake("zero_pad")
def zero_pad__pads_one_side_only(X, pad):
    return np.pad(X, ((0, 0), (0, pad), (0, pad), (0, 0)), mode="constant")


@mistake("zero_pad")
def zero_pad__splits_pad_between_sides(X, pad):
    half = pad // 2
    return np.pad(X, ((0, 0), (half, pad - half), (half, pad - half), (0, 0)), mode="constant")


@mistake("zero_pad")
def zero_pad__pads_height_only(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (0, 0), (0, 0)), mode="constant")


@mistake("zero_pad")
def zero_pad__repeats_edge_values(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="edge")


@mistake("zero_pad")
def zero_pad__copies_into_top_left_corner(X, pad):
    m, n_H, n_W, n_C = X.shape
    X_pad = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C))
    X_pad[:, :n_H, :n_W, :] = X
    return X_pad


@alternative("zero_pad")
def zero_pad__copy_into_zeros(X, pad):
    m, n_H, n_W, n_C = X.shape
    X_pad = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C), dtype=X.dtype)
    X_pad[:, pad : pad + n_H, pad : pad + n_W, :] = X
    return X_pad


@alternative("zero_pad")
def zero_pad__concatenate_borders(X, pad):
    m, n_H, n_W, n_C = X.shape
    rows = np.zeros((m, pad, n_W, n_C), dtype=X.dtype)
    taller = np.concatenate([rows, X, rows], axis=1)  # (m, n_H + 2 pad, n_W, n_C)
    cols = np.zeros((m, n_H + 2 * pad, pad, n_C), dtype=X.dtype)
    return np.concatenate([cols, taller, cols], axis=2)  # (m, n_H + 2 pad, n_W + 2 pad, n_C)


@alternative("zero_pad")
def zero_pad__pad_with_list_and_constant(X, pad):
    return np.pad(X, [(0, 0), (pad, pad), (pad, pad), (0, 0)], "constant", constant_values=(0, 0))


# ----------------------------------------------------------------------------------------------
# conv_single_step
# ----------------------------------------------------------------------------------------------


@mistake("conv_single_step")
def conv_single_step__forgets_bias(a_slice_prev, W, b):
    return float(np.sum(a_slice_prev * W))


@mistake("conv_single_step")
def conv_single_step__returns_elementwise_products(a_slice_prev, W, b):
    return a_slice_prev * W + b


@mistake("conv_single_step")
def conv_single_step__returns_1x1x1_array(a_slice_prev, W, b):
    return np.sum(a_slice_prev * W) + b


@mistake("conv_single_step")
def conv_single_step__averages_products(a_slice_prev, W, b):
    return float(np.mean(a_slice_prev * W) + b.item())


@mistake("conv_single_step")
def conv_single_step__adds_bias_to_every_product(a_slice_prev, W, b):
    return float(np.sum(a_slice_prev * W + b))


@mistake("conv_single_step")
def conv_single_step__sums_channels_only(a_slice_prev, W, b):
    return np.sum(a_slice_prev * W, axis=-1) + b.item()


@alternative("conv_single_step")
def conv_single_step__einsum(a_slice_prev, W, b):
    return float(np.einsum("ijk,ijk->", a_slice_prev, W) + b.item())


@alternative("conv_single_step")
def conv_single_step__dot_of_flattened(a_slice_prev, W, b):
    return np.dot(a_slice_prev.ravel(), W.ravel()) + b[0, 0, 0]  # a NumPy scalar


@alternative("conv_single_step")
def conv_single_step__python_loop(a_slice_prev, W, b):
    total = 0.0
    for value, weight in zip(a_slice_prev.flat, W.flat):
        total += value * weight
    return total + float(np.squeeze(b))


# ----------------------------------------------------------------------------------------------
# conv_forward
# ----------------------------------------------------------------------------------------------


@mistake("conv_forward")
def conv_forward__forgets_bias(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_prev_pad = zero_pad(A_prev, pad)
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                a_slice = A_prev_pad[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = np.sum(a_slice * W[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)


@mistake("conv_forward")
def conv_forward__ignores_stride_in_window(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_prev_pad = zero_pad(A_prev, pad)
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice = A_prev_pad[i, h : h + f, w : w + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)


@mistake("conv_forward")
def conv_forward__size_without_plus_one(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride
    n_W = (n_W_prev + 2 * pad - f) // stride
    A_prev_pad = zero_pad(A_prev, pad)
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                a_slice = A_prev_pad[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)


@mistake("conv_forward")
def conv_forward__ignores_padding(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride = hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                a_slice = A_prev[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)


@mistake("conv_forward")
def conv_forward__caches_padded_input(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_prev_pad = zero_pad(A_prev, pad)
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                a_slice = A_prev_pad[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev_pad, W, b, hparameters)


@mistake("conv_forward")
def conv_forward__first_bias_for_every_filter(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_prev_pad = zero_pad(A_prev, pad)
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                a_slice = A_prev_pad[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, 0])
    return Z, (A_prev, W, b, hparameters)


@mistake("conv_forward")
def conv_forward__swaps_rows_and_columns(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_prev_pad = zero_pad(A_prev, pad)
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                a_slice = A_prev_pad[i, left : left + f, top : top + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)


@mistake("conv_forward")
def conv_forward__rounds_size_up(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = int(np.ceil((n_H_prev + 2 * pad - f) / stride)) + 1
    n_W = int(np.ceil((n_W_prev + 2 * pad - f) / stride)) + 1
    A_prev_pad = zero_pad(A_prev, pad)
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                a_slice = A_prev_pad[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)


@alternative("conv_forward")
def conv_forward__sliding_windows_einsum(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    A_prev_pad = zero_pad(A_prev, pad)
    windows = np.lib.stride_tricks.sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]  # (m, n_H, n_W, n_C_prev, f, f)
    Z = np.einsum("mhwkij,ijkc->mhwc", windows, W) + b.reshape(1, 1, 1, -1)
    return Z, (A_prev, W, b, hparameters)


@alternative("conv_forward")
def conv_forward__sum_over_filter_offsets(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_prev_pad = zero_pad(A_prev, pad)
    Z = np.zeros((m, n_H, n_W, n_C)) + b
    for i in range(f):
        for j in range(f):
            shifted = A_prev_pad[:, i : i + stride * n_H : stride, j : j + stride * n_W : stride, :]
            Z += shifted @ W[i, j]  # (m, n_H, n_W, n_C_prev) @ (n_C_prev, n_C)
    return Z, (A_prev, W, b, hparameters)


@alternative("conv_forward")
def conv_forward__filters_outermost_batch_vectorised(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = int((n_H_prev + 2 * pad - f) / stride) + 1
    n_W = int((n_W_prev + 2 * pad - f) / stride) + 1
    A_prev_pad = zero_pad(A_prev, pad)
    Z = np.empty((m, n_H, n_W, n_C))
    for c in range(n_C):
        for h in range(n_H):
            for w in range(n_W):
                block = A_prev_pad[:, h * stride : h * stride + f, w * stride : w * stride + f, :]
                Z[:, h, w, c] = np.sum(block * W[:, :, :, c], axis=(1, 2, 3)) + b[0, 0, 0, c]
    return Z, (A_prev, W, b, hparameters)


# ----------------------------------------------------------------------------------------------
# pool_forward
# ----------------------------------------------------------------------------------------------


@mistake("pool_forward")
def pool_forward__always_max(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                for c in range(n_C):
                    A[i, h, w, c] = np.max(A_prev[i, top : top + f, left : left + f, c])
    return A, (A_prev, hparameters)


@mistake("pool_forward")
def pool_forward__average_without_dividing(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                for c in range(n_C):
                    window = A_prev[i, top : top + f, left : left + f, c]
                    A[i, h, w, c] = np.max(window) if mode == "max" else np.sum(window)
    return A, (A_prev, hparameters)


@mistake("pool_forward")
def pool_forward__ignores_stride_in_window(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = A_prev[i, h : h + f, w : w + f, c]
                    A[i, h, w, c] = np.max(window) if mode == "max" else np.mean(window)
    return A, (A_prev, hparameters)


@mistake("pool_forward")
def pool_forward__size_without_plus_one(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = (n_H_prev - f) // stride
    n_W = (n_W_prev - f) // stride
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                for c in range(n_C):
                    window = A_prev[i, top : top + f, left : left + f, c]
                    A[i, h, w, c] = np.max(window) if mode == "max" else np.mean(window)
    return A, (A_prev, hparameters)


@mistake("pool_forward")
def pool_forward__pools_across_channels(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                window = A_prev[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    A[i, h, w, c] = np.max(window) if mode == "max" else np.mean(window)
    return A, (A_prev, hparameters)


@mistake("pool_forward")
def pool_forward__uses_f_as_stride(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f = hparameters["f"]
    n_H = (n_H_prev - f) // f + 1
    n_W = (n_W_prev - f) // f + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * f, w * f
                for c in range(n_C):
                    window = A_prev[i, top : top + f, left : left + f, c]
                    A[i, h, w, c] = np.max(window) if mode == "max" else np.mean(window)
    return A, (A_prev, hparameters)


@alternative("pool_forward")
def pool_forward__sliding_windows(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    reduce = np.max if mode == "max" else np.mean
    return reduce(windows, axis=(4, 5)), (A_prev, hparameters)


@alternative("pool_forward")
def pool_forward__batch_and_channels_vectorised(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = 1 + (n_H_prev - f) // stride
    n_W = 1 + (n_W_prev - f) // stride
    A = np.empty((m, n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            block = A_prev[:, h * stride : h * stride + f, w * stride : w * stride + f, :]
            A[:, h, w, :] = block.max(axis=(1, 2)) if mode == "max" else block.mean(axis=(1, 2))
    return A, (A_prev, hparameters)


@alternative("pool_forward")
def pool_forward__accumulate_over_offsets(A_prev, hparameters, mode="max"):
    _, n_H_prev, n_W_prev, _ = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    parts = [
        A_prev[:, i : i + stride * n_H : stride, j : j + stride * n_W : stride, :] for i in range(f) for j in range(f)
    ]  # f * f arrays (m, n_H, n_W, n_C)
    if mode == "max":
        return np.maximum.reduce(parts), (A_prev, hparameters)
    return sum(parts) / (f * f), (A_prev, hparameters)


# ----------------------------------------------------------------------------------------------
# conv_backward
# ----------------------------------------------------------------------------------------------


@mistake("conv_backward")
def conv_backward__db_sums_every_channel_together(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, _ = dZ.shape
    dA_prev = np.zeros(A_prev.shape)
    dW = np.zeros(W.shape)
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = zero_pad(dA_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                a_slice = A_prev_pad[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    dA_prev_pad[i, top : top + f, left : left + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
    dA_prev = dA_prev_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :]
    db = np.sum(dZ) * np.ones((1, 1, 1, n_C))
    return dA_prev, dW, db


@mistake("conv_backward")
def conv_backward__returns_padded_dA_prev(dZ, cache):
    A_prev, W, b, hparameters = cache
    m = A_prev.shape[0]
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, _ = dZ.shape
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                a_slice = A_prev_pad[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    dA_prev_pad[i, top : top + f, left : left + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    return dA_prev_pad, dW, db


@mistake("conv_backward")
def conv_backward__unpads_with_negative_end(dZ, cache):
    A_prev, W, b, hparameters = cache
    m = A_prev.shape[0]
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, _ = dZ.shape
    dA_prev = np.zeros(A_prev.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = zero_pad(dA_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                a_slice = A_prev_pad[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    dA_prev_pad[i, top : top + f, left : left + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    dA_prev = dA_prev_pad[:, pad:-pad, pad:-pad, :]
    return dA_prev, dW, db


@mistake("conv_backward")
def conv_backward__ignores_stride_in_window(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    pad = hparameters["pad"]
    _, n_H, n_W, _ = dZ.shape
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice = A_prev_pad[i, h : h + f, w : w + f, :]
                for c in range(n_C):
                    dA_prev_pad[i, h : h + f, w : w + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    return dA_prev_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :], dW, db


@mistake("conv_backward")
def conv_backward__dW_forgets_dZ(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, _ = dZ.shape
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                a_slice = A_prev_pad[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    dA_prev_pad[i, top : top + f, left : left + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice
                    db[:, :, :, c] += dZ[i, h, w, c]
    return dA_prev_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :], dW, db


@mistake("conv_backward")
def conv_backward__dA_from_input_window(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, _ = dZ.shape
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                a_slice = A_prev_pad[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    dA_prev_pad[i, top : top + f, left : left + f, :] += a_slice * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    return dA_prev_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :], dW, db


@mistake("conv_backward")
def conv_backward__averages_dW_over_batch(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, _ = dZ.shape
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                a_slice = A_prev_pad[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    dA_prev_pad[i, top : top + f, left : left + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    return dA_prev_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :], dW / m, db


@mistake("conv_backward")
def conv_backward__overwrites_instead_of_adding(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, _ = dZ.shape
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                a_slice = A_prev_pad[i, top : top + f, left : left + f, :]
                window_grad = np.zeros(a_slice.shape)
                for c in range(n_C):
                    window_grad += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
                dA_prev_pad[i, top : top + f, left : left + f, :] = window_grad
    return dA_prev_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :], dW, db


@alternative("conv_backward")
def conv_backward__offsets_with_matmul(dZ, cache):
    A_prev, W, b, hparameters = cache
    _, n_H_prev, n_W_prev, _ = A_prev.shape
    f = W.shape[0]
    stride, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, _ = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW = np.zeros(W.shape)
    for i in range(f):
        for j in range(f):
            rows = slice(i, i + stride * n_H, stride)
            cols = slice(j, j + stride * n_W, stride)
            shifted = A_prev_pad[:, rows, cols, :]  # (m, n_H, n_W, n_C_prev)
            dW[i, j] = np.tensordot(shifted, dZ, axes=([0, 1, 2], [0, 1, 2]))
            dA_prev_pad[:, rows, cols, :] += dZ @ W[i, j].T  # (m, n_H, n_W, n_C_prev)
    db = dZ.sum(axis=(0, 1, 2), keepdims=True)
    dA_prev = dA_prev_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :]
    return dA_prev, dW, db


@alternative("conv_backward")
def conv_backward__batch_vectorised_loops(dZ, cache):
    A_prev, W, b, hparameters = cache
    _, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, _ = dZ.shape
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    dA_prev_pad = np.zeros_like(A_prev_pad, dtype=float)
    dW = np.zeros_like(W, dtype=float)
    for h in range(n_H):
        for w in range(n_W):
            rows = slice(h * stride, h * stride + f)
            cols = slice(w * stride, w * stride + f)
            g = dZ[:, h, w, :]  # (m, n_C)
            dA_prev_pad[:, rows, cols, :] += np.einsum("ijkc,mc->mijk", W, g)
            dW += np.einsum("mijk,mc->ijkc", A_prev_pad[:, rows, cols, :], g)
    db = np.reshape(dZ.sum(axis=(0, 1, 2)), (1, 1, 1, n_C))
    return dA_prev_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :], dW, db


@alternative("conv_backward")
def conv_backward__filters_outermost(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H, n_W = dZ.shape[1], dZ.shape[2]
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW = np.zeros(W.shape)
    db = np.zeros((1, 1, 1, n_C))
    for c in range(n_C):
        db[0, 0, 0, c] = np.sum(dZ[:, :, :, c])
        for i in range(m):
            for h in range(n_H):
                for w in range(n_W):
                    g = dZ[i, h, w, c]
                    top, left = h * stride, w * stride
                    dA_prev_pad[i, top : top + f, left : left + f, :] += g * W[:, :, :, c]
                    dW[:, :, :, c] += g * A_prev_pad[i, top : top + f, left : left + f, :]
    return dA_prev_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :], dW, db


# ----------------------------------------------------------------------------------------------
# create_mask_from_window
# ----------------------------------------------------------------------------------------------


@mistake("create_mask_from_window")
def create_mask_from_window__marks_minimum(x):
    return x == np.min(x)


@mistake("create_mask_from_window")
def create_mask_from_window__keeps_max_value(x):
    return x * (x == np.max(x))


@mistake("create_mask_from_window")
def create_mask_from_window__marks_above_mean(x):
    return x > np.mean(x)


@mistake("create_mask_from_window")
def create_mask_from_window__returns_argmax_index(x):
    return np.argmax(x)


@mistake("create_mask_from_window")
def create_mask_from_window__columnwise_maximum(x):
    return x == np.max(x, axis=0)


@mistake("create_mask_from_window")
def create_mask_from_window__largest_magnitude(x):
    return np.abs(x) == np.max(np.abs(x))


@mistake("create_mask_from_window")
def create_mask_from_window__integer_mask(x):
    return (x == np.max(x)).astype(int)


@alternative("create_mask_from_window")
def create_mask_from_window__greater_equal_max(x):
    return x >= x.max()


@alternative("create_mask_from_window")
def create_mask_from_window__one_hot_argmax(x):
    # Marks one maximum only; equal to the comparison whenever the maximum is unique.
    mask = np.zeros(x.shape, dtype=bool)
    mask[np.unravel_index(np.argmax(x), x.shape)] = True
    return mask


@alternative("create_mask_from_window")
def create_mask_from_window__largest_after_sorting(x):
    return x == np.sort(x, axis=None)[-1]


# ----------------------------------------------------------------------------------------------
# distribute_value
# ----------------------------------------------------------------------------------------------


@mistake("distribute_value")
def distribute_value__forgets_to_divide(dz, shape):
    return np.ones(shape) * dz


@mistake("distribute_value")
def distribute_value__divides_by_sum_of_sides(dz, shape):
    n_H, n_W = shape
    return np.ones(shape) * dz / (n_H + n_W)


@mistake("distribute_value")
def distribute_value__divides_by_height_only(dz, shape):
    n_H, n_W = shape
    return np.ones(shape) * dz / n_H


@mistake("distribute_value")
def distribute_value__transposed_shape(dz, shape):
    n_H, n_W = shape
    return np.ones((n_W, n_H)) * dz / (n_H * n_W)


@mistake("distribute_value")
def distribute_value__returns_scalar(dz, shape):
    n_H, n_W = shape
    return dz / (n_H * n_W)


@mistake("distribute_value")
def distribute_value__floor_division(dz, shape):
    n_H, n_W = shape
    return np.ones(shape) * (dz // (n_H * n_W))


@alternative("distribute_value")
def distribute_value__full(dz, shape):
    n_H, n_W = shape
    return np.full((n_H, n_W), dz / (n_H * n_W))


@alternative("distribute_value")
def distribute_value__broadcast_view(dz, shape):
    return np.broadcast_to(dz / np.prod(shape), shape)  # a read-only view is fine for +=


@alternative("distribute_value")
def distribute_value__ones_times_average(dz, shape):
    average = dz / (shape[0] * shape[1])
    return average * np.ones(shape)


# ----------------------------------------------------------------------------------------------
# pool_backward
# ----------------------------------------------------------------------------------------------


@mistake("pool_backward")
def pool_backward__max_spreads_to_whole_window(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                for c in range(n_C):
                    if mode == "max":
                        dA_prev[i, top : top + f, left : left + f, c] += dA[i, h, w, c]
                    else:
                        dA_prev[i, top : top + f, left : left + f, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev


@mistake("pool_backward")
def pool_backward__average_without_dividing(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                for c in range(n_C):
                    if mode == "max":
                        mask = create_mask_from_window(A_prev[i, top : top + f, left : left + f, c])
                        dA_prev[i, top : top + f, left : left + f, c] += mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, top : top + f, left : left + f, c] += np.ones((f, f)) * dA[i, h, w, c]
    return dA_prev


@mistake("pool_backward")
def pool_backward__overwrites_instead_of_adding(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                for c in range(n_C):
                    if mode == "max":
                        mask = create_mask_from_window(A_prev[i, top : top + f, left : left + f, c])
                        dA_prev[i, top : top + f, left : left + f, c] = mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, top : top + f, left : left + f, c] = distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev


@mistake("pool_backward")
def pool_backward__ignores_stride_in_window(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f = hparameters["f"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    if mode == "max":
                        mask = create_mask_from_window(A_prev[i, h : h + f, w : w + f, c])
                        dA_prev[i, h : h + f, w : w + f, c] += mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, h : h + f, w : w + f, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev


@mistake("pool_backward")
def pool_backward__mask_over_all_channels(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                for c in range(n_C):
                    if mode == "max":
                        mask = create_mask_from_window(A_prev[i, top : top + f, left : left + f, :])
                        dA_prev[i, top : top + f, left : left + f, :] += mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, top : top + f, left : left + f, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev


@mistake("pool_backward")
def pool_backward__modes_swapped(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                for c in range(n_C):
                    if mode == "average":
                        mask = create_mask_from_window(A_prev[i, top : top + f, left : left + f, c])
                        dA_prev[i, top : top + f, left : left + f, c] += mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, top : top + f, left : left + f, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev


@mistake("pool_backward")
def pool_backward__reuses_the_cached_input(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    windows_of_A_prev = A_prev.copy()
    dA_prev = A_prev  # no copy: the cache is overwritten below
    dA_prev[...] = 0.0
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                for c in range(n_C):
                    if mode == "max":
                        mask = create_mask_from_window(windows_of_A_prev[i, top : top + f, left : left + f, c])
                        dA_prev[i, top : top + f, left : left + f, c] += mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, top : top + f, left : left + f, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev


@alternative("pool_backward")
def pool_backward__batch_and_channels_vectorised(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    _, n_H, n_W, _ = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for h in range(n_H):
        for w in range(n_W):
            rows = slice(h * stride, h * stride + f)
            cols = slice(w * stride, w * stride + f)
            g = dA[:, h : h + 1, w : w + 1, :]  # (m, 1, 1, n_C)
            if mode == "max":
                block = A_prev[:, rows, cols, :]
                dA_prev[:, rows, cols, :] += (block == block.max(axis=(1, 2), keepdims=True)) * g
            else:
                dA_prev[:, rows, cols, :] += g / (f * f)
    return dA_prev


@alternative("pool_backward")
def pool_backward__add_at_indices(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    i, h, w, c = np.meshgrid(np.arange(m), np.arange(n_H), np.arange(n_W), np.arange(n_C), indexing="ij")
    windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))
    window_max = windows[:, ::stride, ::stride].max(axis=(4, 5))  # (m, n_H, n_W, n_C)
    dA_prev = np.zeros(A_prev.shape)
    for u in range(f):
        for v in range(f):
            rows, cols = h * stride + u, w * stride + v  # where offset (u, v) lands
            if mode == "max":
                share = dA * (A_prev[i, rows, cols, c] == window_max)
            else:
                share = dA / (f * f)
            np.add.at(dA_prev, (i, rows, cols, c), share)
    return dA_prev


@alternative("pool_backward")
def pool_backward__route_to_argmax(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros_like(A_prev, dtype=float)
    for i in range(m):
        for c in range(n_C):
            for h in range(n_H):
                for w in range(n_W):
                    top, left = h * stride, w * stride
                    if mode == "max":
                        window = A_prev[i, top : top + f, left : left + f, c]
                        r, s = np.unravel_index(np.argmax(window), window.shape)
                        dA_prev[i, top + r, left + s, c] += dA[i, h, w, c]  # ties: the first maximum only
                    else:
                        dA_prev[i, top : top + f, left : left + f, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev
