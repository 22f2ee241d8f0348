"""Visible checks for w4a2_style_transfer: the content and style costs, the Gram matrix, the total cost and train_step.

Each ``check_<function>(func)`` runs the student's function on small activations built so that the right
answer follows from a property of the exercise's formula: an image costs nothing against itself; only the
last layer of the lists counts for the content; the Gram matrix of rows that never overlap has zeros off its
diagonal; moving the positions of a layer around leaves its style unchanged; a difference the same size at
every activation costs the same in a small and in a large layer; each layer's share of the style cost scales
with its weight. On a mistake it raises ``CheckFailure`` with a message in the exercise's terms; on success it
prints one line.

Activations are channels-last, (1, n_H, n_W, n_C); the lists of layer outputs hold the style layers first and
the content layer last.

Used by: solutions/w4a2_style_transfer/w4a2_style_transfer.ipynb
"""

import numpy as np

from cnnbook.checks import call_student, fail, report_success, require_helpers_pass, visible_check

__all__ = [
    "check_compute_content_cost",
    "check_gram_matrix",
    "check_compute_layer_style_cost",
    "check_compute_style_cost",
    "check_total_cost",
    "check_train_step",
]

CONTENT_FORMULA = "J_content = sum((a_C - a_G)^2) / (4 n_H n_W n_C)"
STYLE_FORMULA = "J_style_layer = sum((G_S - G_G)^2) / (4 n_C^2 (n_H n_W)^2)"


# ----------------------------------------------------------------------------------------------
# Small tools
# ----------------------------------------------------------------------------------------------


def _tensor(array):
    """A float32 tensor of a NumPy array (what the notebook's functions receive)."""
    import tensorflow as tf

    return tf.constant(np.asarray(array, np.float32))


def _number(name, value, what, case):
    """Return `value` as a float after checking it is one finite number (a 0-d tensor or a Python number)."""
    try:
        array = np.asarray(value.numpy() if hasattr(value, "numpy") else value, dtype=np.float64)
    except (TypeError, ValueError):
        fail(name, f"{what} should be a single number (a 0-d tensor), but it is a {type(value).__name__}.", case)
    if array.shape != ():
        fail(
            name,
            f"{what} should be a single number (a 0-d tensor), but it has shape {array.shape}: sum over "
            f"every axis (tf.reduce_sum without an axis argument).",
            case,
        )
    if not np.isfinite(array):
        fail(name, f"{what} is not a finite number.", case)
    return float(array)


def _close(a, b, rtol=1e-4, atol=1e-6):
    return bool(np.isclose(a, b, rtol=rtol, atol=atol))


def _activations(rng, shape):
    """Non-negative activations like a ReLU layer's."""
    return np.maximum(rng.normal(0.3, 0.6, size=shape), 0).astype(np.float32)


def _as_array(name, value, what, case):
    """Return a tensor or array result as a NumPy array."""
    try:
        return np.asarray(value.numpy() if hasattr(value, "numpy") else value, dtype=np.float64)
    except (TypeError, ValueError):
        fail(name, f"{what} should be a tensor, but it is a {type(value).__name__}.", case)


# ----------------------------------------------------------------------------------------------
# compute_content_cost
# ----------------------------------------------------------------------------------------------


@visible_check
def check_compute_content_cost(compute_content_cost):
    """Check compute_content_cost: one number, 0 for equal activations, only the last layer, squares, normalisation."""
    name = "compute_content_cost"
    rng = np.random.default_rng(41)
    early, content = (1, 8, 10, 2), (1, 4, 6, 3)
    a_C = [_activations(rng, early), _activations(rng, content)]
    a_G = [_activations(rng, early), a_C[1] + rng.normal(0, 0.5, content).astype(np.float32)]
    case = f"lists of two layer outputs, {early} and the content layer {content}"

    def cost(C, G, what="the content cost"):
        value = call_student(name, compute_content_cost, [_tensor(x) for x in C], [_tensor(x) for x in G], case=case)
        return _number(name, value, what, case)

    J = cost(a_C, a_G)
    if J < 0:
        fail(name, f"the cost is negative; it is a sum of squares ({CONTENT_FORMULA}).", case)
    if not _close(cost(a_C, [a_G[0], a_C[1]]), 0.0):
        fail(
            name,
            "when the content layer's activations are equal the content cost should be 0: it compares "
            "content_output[-1] with generated_output[-1] only.",
            case,
        )
    if not _close(cost(a_C, [a_G[0] + 1.0, a_G[1]]), J):
        fail(
            name,
            "changing an earlier layer changed the content cost: only the content layer, the LAST element of "
            "each list, enters it.",
            case,
        )
    doubled = [a_G[0], a_C[1] + 2 * (a_G[1] - a_C[1])]
    if not _close(cost(a_C, doubled), 4 * J, rtol=1e-3):
        fail(
            name,
            f"doubling every difference a_G - a_C should multiply the cost by 4: square each difference, then "
            f"sum ({CONTENT_FORMULA}).",
            case,
        )
    costs = []
    for shape in [(1, 2, 3, 2), (1, 5, 4, 6)]:
        C = [np.zeros(shape, np.float32)]
        costs.append(cost(C, [C[0] + 1.0]))
    if not _close(costs[0], costs[1]):
        fail(
            name,
            f"a difference of 1 at every activation costs differently in a layer of shape (1, 2, 3, 2) and "
            f"in one of shape (1, 5, 4, 6): divide the sum by 4 n_H n_W n_C, four times the number of "
            f"activations of the layer ({CONTENT_FORMULA}).",
            case,
        )
    if not _close(costs[0], 0.25):
        fail(
            name,
            f"with a_G = a_C + 1 at every activation the sum of squares is n_H n_W n_C: work out what the "
            f"formula gives and check the constant of the normalisation ({CONTENT_FORMULA}).",
            case,
        )
    report_success(name)


# ----------------------------------------------------------------------------------------------
# gram_matrix
# ----------------------------------------------------------------------------------------------


@visible_check
def check_gram_matrix(gram_matrix):
    """Check gram_matrix: shape (n_C, n_C), symmetric, the rows' squared lengths on the diagonal, zeros for disjoint
    rows."""
    name = "gram_matrix"
    n_C, n_HW = 3, 8
    A = np.zeros((n_C, n_HW), np.float32)  # rows that never overlap: row i lives on its own positions
    A[0, 0:2] = [1, 2]
    A[1, 2:5] = [3, 1, 1]
    A[2, 5:8] = [2, 2, 1]
    case = f"A of shape {A.shape} (n_C = {n_C} channels, n_H*n_W = {n_HW} positions), rows without common positions"
    G = _as_array(name, call_student(name, gram_matrix, _tensor(A), case=case), "G", case)
    if G.shape == (n_HW, n_HW):
        fail(
            name,
            f"G has shape {G.shape}, (n_H*n_W, n_H*n_W): that is A^T A, which compares positions. The Gram "
            f"matrix compares channels, the ROWS of A: G = A A^T, of shape (n_C, n_C).",
            case,
        )
    if G.shape != (n_C, n_C):
        fail(
            name,
            f"G has shape {G.shape}; G = A A^T should have shape (n_C, n_C) = {(n_C, n_C)}: a matrix product "
            f"(tf.matmul) of A with its transpose.",
            case,
        )
    if not np.allclose(G, G.T):
        fail(name, "G should be symmetric: G[i, j] and G[j, i] are both the dot product of rows i and j.", case)
    if not np.allclose(np.diag(G), np.sum(A.astype(np.float64) ** 2, axis=1)):
        fail(name, "the diagonal entry G[i, i] should be the sum of the squares of row i of A (no averaging).", case)
    if not np.allclose(G - np.diag(np.diag(G)), 0):
        fail(
            name,
            "rows of A that share no position should give 0 off the diagonal: G[i, j] is the dot product of "
            "rows i and j.",
            case,
        )
    B = np.tile(np.array([[1, 2, 0, 1, 3]], np.float32), (2, 1))  # two equal rows: every entry the same
    G = _as_array(name, call_student(name, gram_matrix, _tensor(B), case="A with two equal rows"), "G", case)
    if G.shape != (2, 2) or not np.allclose(G, G[0, 0]):
        fail(
            name,
            "for A with two equal rows every entry of G should be the same: G[i, j] is the dot product of "
            "rows i and j.",
            "A with two equal rows of length 5",
        )
    report_success(name)


# ----------------------------------------------------------------------------------------------
# compute_layer_style_cost
# ----------------------------------------------------------------------------------------------


@visible_check
def check_compute_layer_style_cost(compute_layer_style_cost):
    """Check compute_layer_style_cost: one number, blind to where things are, normalised by the layer's size."""
    name = "compute_layer_style_cost"
    require_helpers_pass(name, compute_layer_style_cost, {"gram_matrix": check_gram_matrix.__wrapped__})
    rng = np.random.default_rng(43)
    shape = (1, 3, 4, 5)
    a_S, a_G = _activations(rng, shape), _activations(rng, shape)
    case = f"a_S and a_G of shape {shape}"

    def cost(S, G, case=case):
        value = call_student(name, compute_layer_style_cost, _tensor(S), _tensor(G), case=case)
        return _number(name, value, "the layer's style cost", case)

    J = cost(a_S, a_G)
    if J <= 0:
        fail(name, f"the cost of two different styles should be positive ({STYLE_FORMULA}).", case)
    if not _close(cost(a_S, a_S), 0.0):
        fail(name, "the style cost of a layer with itself should be 0.", case)
    moved = a_S.reshape(-1, shape[-1])[rng.permutation(shape[1] * shape[2])].reshape(shape)
    if not _close(cost(a_S, moved), 0.0):
        fail(
            name,
            "moving the positions of a_S around (the same way for every channel) changed its style: the style "
            "cost must not care WHERE features are. Unroll each activation volume to (n_C, n_H*n_W) with one "
            "row per channel: reshape to (n_H*n_W, n_C), then transpose.",
            case + ", a_G = a_S with its positions shuffled",
        )
    order = rng.permutation(shape[-1])
    if not _close(cost(a_S[..., order], a_G[..., order]), J, rtol=1e-3):
        fail(
            name,
            "listing the channels of both volumes in another order changed the cost: compare the Gram "
            "matrices of the unrolled activations (one row per channel).",
            case,
        )
    costs = []
    for size in [(1, 2, 3, 2), (1, 4, 5, 3)]:
        costs.append(
            cost(
                np.ones(size, np.float32),
                np.full(size, 2.0, np.float32),
                case=f"a_S of ones and a_G of twos, of shape {size}",
            )
        )
    if not _close(costs[0], costs[1]):
        fail(
            name,
            f"a_S of ones and a_G of twos cost differently in layers of shape (1, 2, 3, 2) and (1, 4, 5, 3): "
            f"the normalisation should make it independent of the layer's size ({STYLE_FORMULA}; both n_C and "
            f"n_H n_W squared).",
            "a_S of ones, a_G of twos",
        )
    if not _close(costs[0], 9 / 4):
        fail(
            name,
            f"for a_S of ones and a_G of twos every entry of G_S is n_H n_W and every entry of G_G is "
            f"4 n_H n_W: work out what the formula gives and check the constant of the normalisation "
            f"({STYLE_FORMULA}).",
            "a_S of ones, a_G of twos",
        )
    report_success(name)


# ----------------------------------------------------------------------------------------------
# compute_style_cost
# ----------------------------------------------------------------------------------------------


@visible_check
def check_compute_style_cost(compute_style_cost):
    """Check compute_style_cost: the weighted sum of the style layers' costs, without the last (content) layer."""
    name = "compute_style_cost"
    require_helpers_pass(
        name, compute_style_cost, {"compute_layer_style_cost": check_compute_layer_style_cost.__wrapped__}
    )
    rng = np.random.default_rng(44)
    shapes = [(1, 6, 8, 2), (1, 3, 4, 4), (1, 2, 2, 6)]  # two style layers, then the content layer
    S = [_activations(rng, s) for s in shapes]
    G = [_activations(rng, s) for s in shapes]
    layers = [("block1_conv1", 0.3), ("block2_conv1", 0.9)]
    case = f"STYLE_LAYERS = {layers}, lists of outputs of shapes {shapes} (the last is the content layer)"

    def cost(S_, G_, layers_):
        value = call_student(
            name, compute_style_cost, [_tensor(x) for x in S_], [_tensor(x) for x in G_], layers_, case=case
        )
        return _number(name, value, "the style cost", case)

    J = cost(S, G, layers)
    if not _close(cost(S, S, layers), 0.0):
        fail(name, "the style cost of an image with itself should be 0.", case)
    if not _close(cost(S, G[:2] + [S[2]], layers), J):
        fail(
            name,
            "changing the last layer of the lists changed the style cost: the last element is the content "
            "layer, which the style cost leaves out (use the lists without it, [:-1]).",
            case,
        )
    first = cost(S, G, [("block1_conv1", 0.3), ("block2_conv1", 0.0)])
    second = cost(S, G, [("block1_conv1", 0.0), ("block2_conv1", 0.9)])
    if _close(first, 0.0) or _close(second, 0.0):
        fail(
            name,
            "with one layer's weight set to 0 the other layer's cost should remain: pair the k-th (name, "
            "weight) of STYLE_LAYERS with the k-th element of each list.",
            case,
        )
    if not _close(first + second, J, rtol=1e-3):
        fail(
            name,
            "the style cost should be the SUM over the layers of weight * layer cost; the parts do not add "
            "up to the whole.",
            case,
        )
    if not _close(cost(S, G, [("block1_conv1", 0.6), ("block2_conv1", 0.0)]), 2 * first, rtol=1e-3):
        fail(
            name,
            "doubling a layer's weight should double its share of the cost: multiply each layer's cost by its "
            "weight from STYLE_LAYERS.",
            case,
        )
    helper = getattr(compute_style_cost, "__globals__", {}).get("compute_layer_style_cost")
    if helper is not None:
        alone = _number(name, helper(_tensor(S[0]), _tensor(G[0])), "compute_layer_style_cost", case)
        if not _close(first, 0.3 * alone, rtol=1e-3):
            fail(
                name,
                "with weights (0.3, 0) the style cost should be 0.3 times compute_layer_style_cost of the "
                "FIRST elements of the lists.",
                case,
            )
    report_success(name)


# ----------------------------------------------------------------------------------------------
# total_cost
# ----------------------------------------------------------------------------------------------


@visible_check
def check_total_cost(total_cost):
    """Check total_cost: alpha weights the content cost, beta the style cost, defaults 10 and 40."""
    name = "total_cost"
    for J_content, J_style, kwargs, words in [
        (1.0, 0.0, {}, "alpha (default 10) multiplies J_content"),
        (0.0, 1.0, {}, "beta (default 40) multiplies J_style"),
        (2.0, 3.0, {"alpha": 0.5, "beta": 2.0}, "use the alpha and beta it is given"),
    ]:
        case = f"J_content = {J_content}, J_style = {J_style}" + (
            f", {kwargs}" if kwargs else ", default alpha and beta"
        )
        a, b = kwargs.get("alpha", 10), kwargs.get("beta", 40)
        for convert, form in [(float, "numbers"), (_tensor, "0-d tensors")]:
            value = call_student(name, total_cost, convert(J_content), convert(J_style), case=case, **kwargs)
            J = _number(name, value, "the total cost", f"{case}, as {form}")
            if not _close(J, a * J_content + b * J_style):
                fail(name, f"J = alpha J_content + beta J_style: {words}.", f"{case}, as {form}")
    report_success(name)


# ----------------------------------------------------------------------------------------------
# train_step
# ----------------------------------------------------------------------------------------------


def _small_run(steps=3):
    """A tiny style transfer problem for train_step (see cnnbook.assignments.w4a2_style_transfer.adapter)."""
    rng = np.random.default_rng(45)
    n_H, n_W = 12, 16
    yy, xx = np.mgrid[0:n_H, 0:n_W] / n_W
    content = np.stack([xx, yy, 1 - xx], axis=-1)[None].astype(np.float32)  # a smooth colour ramp
    style = (0.5 + 0.5 * np.sin(12 * xx + 9 * yy))[..., None] * np.array([0.9, 0.3, 0.1])
    generated = np.clip(content + rng.uniform(-0.3, 0.3, content.shape), 0, 1).astype(np.float32)
    # five style layers, as many as the notebook's STYLE_LAYERS (compute_style_cost may use its default)
    return {
        "size": [n_H, n_W],
        "blocks": [[4, 4], [6, 6], [8, 8]],
        "content_layer": "block3_conv2",
        "style_layers": [
            [name, 0.2] for name in ("block1_conv1", "block1_conv2", "block2_conv1", "block2_conv2", "block3_conv1")
        ],
        "fill_seed": 7,
        "content": content,
        "style": style[None].astype(np.float32),
        "generated": generated,
        "learning_rate": 0.03,
        "steps": steps,
    }


@visible_check
def check_train_step(train_step):
    """Check train_step for a few steps on a tiny network: J is one number and falls, the image changes and stays in [0,
    1]."""
    from cnnbook.grading.adapters import adapt

    name = "train_step"
    plain = getattr(train_step, "python_function", train_step)  # run eagerly: quicker for three steps
    require_helpers_pass(
        name,
        plain,
        {
            "compute_content_cost": check_compute_content_cost.__wrapped__,
            "compute_style_cost": check_compute_style_cost.__wrapped__,
            "total_cost": check_total_cost.__wrapped__,
        },
    )
    spec = _small_run()
    case = (
        f"{spec['steps']} calls of train_step on a {spec['size'][0]} x {spec['size'][1]} image with a tiny "
        f"network in place of vgg_model_outputs"
    )
    report = call_student(name, adapt("w4a2_style_transfer.train_step", plain), spec, case=case)
    J = [_number(name, value, "the J it returns", case) for value in report["J"]]
    image = report["image"]
    if image.min() < -1e-6 or image.max() > 1 + 1e-6:
        fail(
            name,
            "after a step the image has values outside [0, 1]: once the gradient is applied, clip it "
            "(generated_image.assign(clip_0_1(generated_image))).",
            case,
        )
    if np.max(np.abs(image - spec["generated"])) < 1e-6:
        fail(
            name,
            "the image did not change: apply the gradient of J to it with "
            "optimizer.apply_gradients([(grad, generated_image)]).",
            case,
        )
    if not J[-1] < J[0]:
        fail(
            name,
            "the cost J did not fall over the steps: take the gradient of J with respect to the image inside "
            "the GradientTape and let the optimiser go DOWN it (pass the gradient itself, not its negative).",
            case,
        )
    report_success(name)
