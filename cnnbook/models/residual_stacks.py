"""Deep stacks of dense ReLU layers, plain or residual, in NumPy: Week 2's experiment on depth.

A stack maps inputs X (m, n_in) to a hidden width by one dense ReLU layer, passes them through
n_blocks blocks of two dense layers each, and ends with a dense layer to n_classes logits. A block
turns its input a into

    plain:     relu(W2 relu(W1 a + b1) + b2)
    residual:  relu(a + W2 relu(W1 a + b1) + b2)

The two kinds have exactly the same parameters; only the skip connection differs. NumPy keeps the
experiment fast on a CPU (no framework overhead per layer) and shows every step of backpropagation.

Used by: book/week2/02_residual_networks.md
"""

import numpy as np

__all__ = [
    "init_stack",
    "stack_forward",
    "stack_backward",
    "softmax_cross_entropy",
    "layer_gradient_norms",
    "train_stack",
]


def init_stack(n_in, width, n_blocks, n_classes, seed=0, init="glorot", dtype=np.float64):
    """Return a stack's parameters, a list of (W, b) with W (n_prev, n) drawn uniformly and b zero.

    The list holds 2 + 2 * n_blocks layers: the input layer, two per block, the output layer.
    init "glorot" (Keras's default) draws W within +-sqrt(6 / (n_prev + n)); "he" within +-sqrt(6 / n_prev),
    which keeps the size of a signal through ReLU layers at the start of training.
    """
    if init not in ("glorot", "he"):
        raise ValueError(f'init must be "glorot" or "he", got {init!r}')
    rng = np.random.default_rng(seed)
    sizes = [n_in] + [width] * (2 * n_blocks + 1) + [n_classes]
    params = []
    for n_prev, n in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6.0 / (n_prev + n)) if init == "glorot" else np.sqrt(6.0 / n_prev)
        params.append((rng.uniform(-limit, limit, (n_prev, n)).astype(dtype), np.zeros(n, dtype)))
    return params


def _relu(z):
    return np.maximum(z, 0.0)


def stack_forward(X, params, residual):
    """Return (logits, cache): logits (m, n_classes) of the stack on X (m, n_in); cache for stack_backward."""
    n_blocks = (len(params) - 2) // 2
    W, b = params[0]
    Z0 = X @ W + b  # (m, width)
    A = _relu(Z0)
    cache = {"X": X, "Z0": Z0, "blocks": [], "residual": residual, "params": params}
    for k in range(n_blocks):
        (W1, b1), (W2, b2) = params[1 + 2 * k], params[2 + 2 * k]
        Z1 = A @ W1 + b1  # (m, width)
        H = _relu(Z1)
        Z2 = H @ W2 + b2
        if residual:
            Z2 = Z2 + A  # the skip connection
        cache["blocks"].append((A, Z1, H, Z2))
        A = _relu(Z2)
    W, b = params[-1]
    cache["A_last"] = A
    return A @ W + b, cache


def stack_backward(dlogits, cache):
    """Return the gradients [(dW, db), ...] of a loss whose gradient with respect to the logits is dlogits (m,
    n_classes)."""
    params = cache["params"]
    grads = [None] * len(params)
    W, _ = params[-1]
    grads[-1] = (cache["A_last"].T @ dlogits, dlogits.sum(axis=0))
    dA = dlogits @ W.T  # (m, width)
    for k in reversed(range(len(cache["blocks"]))):
        A_in, Z1, H, Z2 = cache["blocks"][k]
        (W1, _), (W2, _) = params[1 + 2 * k], params[2 + 2 * k]
        dZ2 = dA * (Z2 > 0)
        grads[2 + 2 * k] = (H.T @ dZ2, dZ2.sum(axis=0))
        dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
        grads[1 + 2 * k] = (A_in.T @ dZ1, dZ1.sum(axis=0))
        dA = dZ1 @ W1.T
        if cache["residual"]:
            dA = dA + dZ2  # the gradient also flows through the skip
    dZ0 = dA * (cache["Z0"] > 0)
    grads[0] = (cache["X"].T @ dZ0, dZ0.sum(axis=0))
    return grads


def softmax_cross_entropy(logits, y):
    """Return (loss, dlogits): the mean cross-entropy of logits (m, n_classes) for integer labels y (m,), and its
    gradient."""
    shifted = logits - logits.max(axis=1, keepdims=True)  # avoids overflow in exp
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    m = len(y)
    loss = -log_probs[np.arange(m), y].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(m), y] -= 1.0
    return float(loss), dlogits / m


def layer_gradient_norms(X, y, params, residual):
    """Return the Euclidean norm of each layer's weight gradient, input layer first, for one batch X (m, n_in), y
    (m,)."""
    logits, cache = stack_forward(X, params, residual)
    _, dlogits = softmax_cross_entropy(logits, y)
    return np.array([np.linalg.norm(dW) for dW, _ in stack_backward(dlogits, cache)])


def train_stack(X, y, params, residual, epochs=10, learning_rate=1e-3, batch_size=64, seed=0):
    """Train params in place with Adam on mini-batches of X (m, n_in), y (m,); return the training loss after each
    epoch."""
    rng = np.random.default_rng(seed)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    moments = [[np.zeros_like(p) for p in layer] for layer in params]
    squares = [[np.zeros_like(p) for p in layer] for layer in params]
    step = 0
    losses = []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            logits, cache = stack_forward(X[batch], params, residual)
            _, dlogits = softmax_cross_entropy(logits, y[batch])
            step += 1
            for layer, grad, m1, m2 in zip(params, stack_backward(dlogits, cache), moments, squares):
                for p, g, v, s in zip(layer, grad, m1, m2):
                    v *= beta1
                    v += (1 - beta1) * g
                    s *= beta2
                    s += (1 - beta2) * g * g
                    # bias-corrected Adam step, written in place so params keeps its arrays
                    p -= learning_rate * (v / (1 - beta1**step)) / (np.sqrt(s / (1 - beta2**step)) + eps)
        losses.append(softmax_cross_entropy(stack_forward(X, params, residual)[0], y)[0])
    return losses
