"""Solution cells written for the similarity tests: copies in disguise, and answers written independently.

Each entry is the whole solution cell a student hands in for one graded function of w1a1_conv_numpy
(the def line, sometimes the docstring, the answer, and the given `return`). The students:

- `renamer` copied the instructor's answers, renamed every variable and reformatted the lines
  (quotes, spacing, wrapped expressions, comments of their own);
- `ana` wrote answers of her own (not the instructor's), and `ben` handed in ana's answers with the
  independent statements in another order, other names and other spacing;
- `carl` and `dana` wrote correct answers of their own, in styles of their own;
- for the short functions, everyone writes the same one-liner or three-liner: no one may be flagged.

The mistake catalogue's correct alternatives (tests/assignments/w1a1_conv_numpy/catalogue.py) are the other
independently written answers the tests use.
"""

RENAMER = {
    "conv_forward": """def conv_forward(A_prev, W, b, hparameters):
    # my implementation
    (batch, height_in, width_in,
     channels_in) = A_prev.shape
    k, k, channels_in, filters = W.shape
    s = hparameters['stride']
    p = hparameters['pad']

    height_out = (height_in + 2*p - k)//s + 1
    width_out = (width_in + 2*p - k)//s + 1
    out = np.zeros((batch, height_out, width_out, filters))

    padded = zero_pad(A_prev, p)
    for n in range(batch):
        one = padded[n]
        for y in range(height_out):
            y0 = y*s
            for x in range(width_out):
                x0 = x*s
                patch = one[y0:y0+k, x0:x0+k, :]
                for ch in range(filters):
                    out[n, y, x, ch] = conv_single_step(patch,
                                                        W[:, :, :, ch],
                                                        b[:, :, :, ch])
    Z = out
    cache = (A_prev, W, b, hparameters)
    return Z, cache
""",
    "pool_forward": """def pool_forward(A_prev, hparameters, mode="max"):
    if mode not in ('max', 'average'):
        raise ValueError(f"bad mode {mode!r}")
    batch, rows, cols, chans = A_prev.shape
    size = hparameters['f']
    step = hparameters['stride']

    out_rows = (rows - size)//step + 1
    out_cols = (cols - size)//step + 1
    A = np.zeros((batch, out_rows, out_cols, chans))

    for n in range(batch):
        for r in range(out_rows):
            r0 = r*step
            for q in range(out_cols):
                q0 = q*step
                patch = A_prev[n, r0:r0+size, q0:q0+size, :]  # the window
                if mode == 'max':
                    A[n, r, q, :] = np.max(patch, axis=(0, 1))
                else:
                    A[n, r, q, :] = np.mean(patch, axis=(0, 1))
    cache = (A_prev, hparameters)
    return A, cache
""",
    "conv_backward": """def conv_backward(dZ, cache):
    (prev, filt, bias, hp) = cache
    (num, h_in, w_in, c_in) = prev.shape
    (k, k, c_in, c_out) = filt.shape
    s = hp['stride']
    p = hp['pad']
    num, h_out, w_out, c_out = dZ.shape

    grad_in_pad = np.zeros((num, h_in + 2*p, w_in + 2*p, c_in))
    dW = np.zeros((k, k, c_in, c_out))
    db = np.zeros((1, 1, 1, c_out))
    prev_pad = zero_pad(prev, p)

    for n in range(num):
        for y in range(h_out):
            y0 = y*s
            for x in range(w_out):
                x0 = x*s
                patch = prev_pad[n, y0:y0+k, x0:x0+k, :]
                for ch in range(c_out):
                    grad = dZ[n, y, x, ch]
                    grad_in_pad[n, y0:y0+k, x0:x0+k, :] += grad*filt[:, :, :, ch]
                    dW[:, :, :, ch] += grad*patch
                    db[:, :, :, ch] += grad

    dA_prev = grad_in_pad[:, p:p+h_in, p:p+w_in, :]
    return dA_prev, dW, db
""",
    "zero_pad": """def zero_pad(X, pad):
    padded = np.pad(X, ((0,0), (pad,pad), (pad,pad), (0,0)), mode='constant', constant_values=0)
    X_pad = padded
    return X_pad
""",
    "distribute_value": """def distribute_value(dz, shape):
    rows, cols = shape
    each = dz / (rows*cols)
    a = np.ones(shape)*each
    return a
""",
}

ANA = {
    "conv_forward": '''def conv_forward(A_prev, W, b, hparameters):
    """Convolve every filter over the padded input."""
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    m = A_prev.shape[0]
    f = W.shape[0]
    n_C = W.shape[3]
    A_padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    n_H = 1 + (A_padded.shape[1] - f) // stride
    n_W = 1 + (A_padded.shape[2] - f) // stride
    Z = np.empty((m, n_H, n_W, n_C))
    weights = W.reshape(-1, n_C)                      # (f * f * n_C_prev, n_C)
    for row in range(n_H):
        for col in range(n_W):
            patch = A_padded[:, row * stride:row * stride + f, col * stride:col * stride + f, :]
            flat = patch.reshape(m, -1)                # (m, f * f * n_C_prev)
            Z[:, row, col, :] = flat @ weights + b.reshape(1, n_C)
    cache = (A_prev, W, b, hparameters)
    return Z, cache
''',
    "pool_forward": '''def pool_forward(A_prev, hparameters, mode="max"):
    """Pool each window of each channel."""
    stride = hparameters["stride"]
    f = hparameters["f"]
    m = A_prev.shape[0]
    n_C = A_prev.shape[3]
    reducer = {"max": np.amax, "average": np.average}[mode]
    n_H = 1 + (A_prev.shape[1] - f) // stride
    n_W = 1 + (A_prev.shape[2] - f) // stride
    A = np.empty((m, n_H, n_W, n_C))
    for row in range(n_H):
        for col in range(n_W):
            patch = A_prev[:, row * stride:row * stride + f, col * stride:col * stride + f, :]
            A[:, row, col, :] = reducer(patch, axis=(1, 2))
    cache = (A_prev, hparameters)
    return A, cache
''',
    "zero_pad": """def zero_pad(X, pad):
    X_pad = np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    return X_pad
""",
}

# ana's answers with the independent statements in another order, other names and other spacing.
BEN = {
    "conv_forward": """def conv_forward(A_prev, W, b, hparameters):
    count = A_prev.shape[0]
    n_filters = W.shape[3]
    size = W.shape[0]
    pad = hparameters['pad']
    step = hparameters['stride']
    padded = np.pad(A_prev, ((0,0),(pad,pad),(pad,pad),(0,0)))
    out_w = 1 + (padded.shape[2] - size)//step
    out_h = 1 + (padded.shape[1] - size)//step
    kernel = W.reshape(-1, n_filters)
    Z = np.empty((count, out_h, out_w, n_filters))
    for r in range(out_h):
        for q in range(out_w):
            window = padded[:, r*step:r*step + size, q*step:q*step + size, :]
            vec = window.reshape(count, -1)
            Z[:, r, q, :] = vec @ kernel + b.reshape(1, n_filters)
    cache = (A_prev, W, b, hparameters)
    return Z, cache
""",
    "pool_forward": """def pool_forward(A_prev, hparameters, mode="max"):
    size = hparameters['f']
    step = hparameters['stride']
    chans = A_prev.shape[3]
    count = A_prev.shape[0]
    out_w = 1 + (A_prev.shape[2] - size)//step
    out_h = 1 + (A_prev.shape[1] - size)//step
    op = {'max': np.amax, 'average': np.average}[mode]
    A = np.empty((count, out_h, out_w, chans))
    for r in range(out_h):
        for q in range(out_w):
            window = A_prev[:, r*step:r*step + size, q*step:q*step + size, :]
            A[:, r, q, :] = op(window, axis=(1, 2))
    cache = (A_prev, hparameters)
    return A, cache
""",
    "zero_pad": """def zero_pad(X, pad):
    X_pad = np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    return X_pad
""",
}

CARL = {
    "conv_forward": """def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    n_C = W.shape[-1]
    s, p = hparameters["stride"], hparameters["pad"]
    n_H = int(np.floor((n_H_prev - f + 2 * p) / s)) + 1
    n_W = int(np.floor((n_W_prev - f + 2 * p) / s)) + 1
    padded = zero_pad(A_prev, p)
    Z = np.zeros((m, n_H, n_W, n_C))
    for c in range(n_C):
        kernel = W[..., c]
        for h in range(n_H):
            for w in range(n_W):
                region = padded[:, h * s:h * s + f, w * s:w * s + f, :]
                Z[:, h, w, c] = (region * kernel).sum(axis=(1, 2, 3))
        Z[..., c] += b[0, 0, 0, c]
    cache = (A_prev, W, b, hparameters)
    return Z, cache
""",
    "pool_forward": """def pool_forward(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    m, height, width, n_C = A_prev.shape
    n_H, n_W = (height - f) // stride + 1, (width - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    pick = np.max if mode == "max" else np.mean
    for i in range(m):
        for c in range(n_C):
            for h in range(n_H):
                for w in range(n_W):
                    A[i, h, w, c] = pick(A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, c])
    cache = (A_prev, hparameters)
    return A, cache
""",
    "conv_backward": """def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    m, n_H, n_W, n_C = dZ.shape
    padded = zero_pad(A_prev, pad)
    grad_padded = np.zeros_like(padded, dtype=float)
    dW = np.zeros_like(W, dtype=float)
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, n_C)
    for h in range(n_H):
        for w in range(n_W):
            window = padded[:, h * stride:h * stride + f, w * stride:w * stride + f, :]   # (m, f, f, n_C_prev)
            grad = dZ[:, h, w, :]                                                          # (m, n_C)
            dW += np.tensordot(window, grad, axes=([0], [0]))
            grad_padded[:, h * stride:h * stride + f,
                        w * stride:w * stride + f, :] += np.tensordot(grad, W, axes=([1], [3]))
    dA_prev = grad_padded[:, pad:grad_padded.shape[1] - pad, pad:grad_padded.shape[2] - pad, :]
    return dA_prev, dW, db
""",
    "zero_pad": """def zero_pad(X, pad):
    widths = ((0, 0), (pad, pad), (pad, pad), (0, 0))
    X_pad = np.pad(X, widths, mode="constant")
    return X_pad
""",
    "distribute_value": """def distribute_value(dz, shape):
    n_H, n_W = shape
    average = dz / (n_H * n_W)
    a = np.ones(shape) * average
    return a
""",
}

DANA = {
    "conv_forward": """def conv_forward(A_prev, W, b, hparameters):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    n_H = int((n_H_prev - f + 2 * pad) / stride) + 1
    n_W = int((n_W_prev - f + 2 * pad) / stride) + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            vert_start = stride * h
            vert_end = vert_start + f
            for w in range(n_W):
                horiz_start = stride * w
                horiz_end = horiz_start + f
                for c in range(n_C):
                    a_slice_prev = A_prev_pad[i, vert_start:vert_end, horiz_start:horiz_end, :]
                    Z[i, h, w, c] = conv_single_step(a_slice_prev, W[..., c], b[..., c])
    cache = (A_prev, W, b, hparameters)
    return Z, cache
""",
    "pool_forward": """def pool_forward(A_prev, hparameters, mode="max"):
    (m, n_H_prev, n_W_prev, n_C) = A_prev.shape
    f = hparameters["f"]
    stride = hparameters["stride"]
    n_H = int(1 + (n_H_prev - f) / stride)
    n_W = int(1 + (n_W_prev - f) / stride)
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            vert_start = h * stride
            vert_end = vert_start + f
            for w in range(n_W):
                horiz_start = w * stride
                horiz_end = horiz_start + f
                for c in range(n_C):
                    a_prev_slice = A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]
                    if mode == "max":
                        A[i, h, w, c] = np.max(a_prev_slice)
                    elif mode == "average":
                        A[i, h, w, c] = np.mean(a_prev_slice)
    cache = (A_prev, hparameters)
    return A, cache
""",
    "conv_backward": """def conv_backward(dZ, cache):
    (A_prev, W, b, hparameters) = cache
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    (m, n_H, n_W, n_C) = dZ.shape
    dA_prev = np.zeros(A_prev.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = zero_pad(dA_prev, pad)
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        da_prev_pad = dA_prev_pad[i]
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vert_start = stride * h
                    vert_end = vert_start + f
                    horiz_start = stride * w
                    horiz_end = horiz_start + f
                    a_slice = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
                    da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
        dA_prev[i, :, :, :] = da_prev_pad[pad:-pad, pad:-pad, :] if pad else da_prev_pad
    return dA_prev, dW, db
""",
    "zero_pad": """def zero_pad(X, pad):
    X_pad = np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=(0, 0))
    return X_pad
""",
    "distribute_value": """def distribute_value(dz, shape):
    (n_H, n_W) = shape
    average = dz / (n_H * n_W)
    a = np.ones(shape) * average
    return a
""",
}

STUDENTS = {"renamer": RENAMER, "ana": ANA, "ben": BEN, "carl": CARL, "dana": DANA}
