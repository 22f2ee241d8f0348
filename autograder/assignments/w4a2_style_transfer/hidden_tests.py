"""Hidden tests for w4a2_style_transfer: the student's costs and training step against the reference.

The cost functions take lists of activations or tensors: the probe calls them through the "tensors"
adapter (arrays in become float32 tensors, tensors out come back as arrays) on random activations drawn
for this run: non-square layers, several channel counts, lists of several lengths, STYLE_LAYERS of several
lengths with unequal weights. A correct compute_style_cost gets its compute_layer_style_cost calls answered
by an oracle, and a correct compute_layer_style_cost its gram_matrix calls, so a mistake in a helper costs
only the helper's points.

train_step runs in the kernel through the "w4a2_style_transfer.train_step" adapter: a small VGG-like
network with fixed weights, a_C and a_S from a content and a style image drawn here, Adam with a given
learning rate, ten steps from a noisy start. The costs it calls are the student's own, so the judge measures
the returned image with the REFERENCE costs: the total cost must fall by at least FALL_FRACTION of what the
reference train_step achieves in as many steps and end at most END_FACTOR times as high, the image must stay in [0, 1],
and each returned J must be
one number that falls. This is the one test that is not isolated from the other functions: a cost function
that is wrong only by a constant factor leaves train_step's result unchanged (Adam does not see the scale of
J), but one that changes the balance between the content and the style terms by a large factor (a style cost
that shrinks towards zero, say) changes the image train_step makes, and can cost train_step's points too.

A failure raises AssertionError with a message in the exercise's terms (never the expected values).
"""

import functools

import numpy as np

from autograder.assignments.w4a2_style_transfer import reference
from autograder.judging.cases import oracle_table
from autograder.judging.replay import replayed
from autograder.judging.toolkit import call_student, fail
from cnnbook.assignments.w4a2_style_transfer.adapter import build_feature_model
from cnnbook.checks import shape_text
from cnnbook.grading.adapters import adapt

GRADED = (
    "compute_content_cost",
    "gram_matrix",
    "compute_layer_style_cost",
    "compute_style_cost",
    "total_cost",
    "train_step",
)
TRAIN_STEP_ADAPTER = "w4a2_style_transfer.train_step"
RTOL, ATOL = 2e-4, 1e-6
FALL_FRACTION = 0.4  # the share of the reference's cost fall a student's train_step must reach
END_FACTOR = 2.0  # and its final total cost may be at most this many times the reference train_step's
TRAIN_STEPS = 10
CONTENT_FORMULA = "J_content = sum((a_C - a_G)^2) / (4 n_H n_W n_C), over every activation of the content layer"
STYLE_FORMULA = "J_style_layer = sum((G_S - G_G)^2) / (4 n_C^2 (n_H n_W)^2)"


# ----------------------------------------------------------------------------------------------
# Plumbing
# ----------------------------------------------------------------------------------------------


def _scalar(name, value, what, case):
    """Return the student's result as a float after checking it is one finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating, np.ndarray)):
        fail(name, f"{what} should be a single number (a 0-d tensor), but it is {shape_text(value)}.", case)
    array = np.asarray(value)
    if array.shape != ():
        fail(
            name,
            f"{what} should be a single number (a 0-d tensor), but it has shape {array.shape}: "
            f"sum over every axis (tf.reduce_sum without an axis argument).",
            case,
        )
    if not np.issubdtype(array.dtype, np.number) or not np.isfinite(array):
        fail(name, f"{what} is not a finite number.", case)
    return float(array)


def _close(got, want, rtol=RTOL):
    return bool(np.isclose(got, want, rtol=rtol, atol=ATOL))


def _reference(name):
    """The reference function `name`, called as the probe calls the student's (arrays in, arrays out)."""
    return adapt("tensors", getattr(reference, name))


def _distinct_sizes(rng, low, high):
    """Two different integers in [low, high]: a non-square layer's height and width."""
    n_H = int(rng.integers(low, high + 1))
    n_W = n_H
    while n_W == n_H:
        n_W = int(rng.integers(low, high + 1))
    return n_H, n_W


def _layer_shapes(rng, count):
    """`count` different non-square layer shapes (1, n_H, n_W, n_C), n_C >= 2 and never n_H * n_W."""
    shapes = []
    while len(shapes) < count:
        n_H, n_W = _distinct_sizes(rng, 2, 7)
        n_C = int(rng.integers(2, 9))
        shape = (1, n_H, n_W, n_C)
        if n_C != n_H * n_W and shape not in shapes:
            shapes.append(shape)
    return shapes


def _activations(rng, shape):
    """Non-negative activations, like a ReLU layer's, as float32 (what the kernel's tensors hold)."""
    return np.maximum(rng.normal(0.3, 0.6, size=shape), 0).astype(np.float32)


def _describe_lists(outputs):
    return "lists of " + str(len(outputs)) + " layer outputs of shapes " + ", ".join(str(a.shape) for a in outputs)


def _ratio_is(got, want, factor):
    return want != 0 and _close(got / want, factor, rtol=1e-3)


# ----------------------------------------------------------------------------------------------
# compute_content_cost
# ----------------------------------------------------------------------------------------------


def test_compute_content_cost(func, seed):
    """compute_content_cost on lists of 1 to 4 layer outputs of non-square shapes; the last one is the content layer."""
    name = "compute_content_cost"
    rng = np.random.default_rng(seed)
    cost = _reference(name)
    for length in (3, 2, 1, 4, int(rng.integers(2, 5))):
        shapes = _layer_shapes(rng, length)
        content = [_activations(rng, s) for s in shapes]
        generated = [_activations(rng, s) for s in shapes]
        case = f"{_describe_lists(content)}; the content layer is the last, {shapes[-1]}"
        got = _scalar(name, call_student(name, func, content, generated, case=case), "the content cost", case)
        want = float(cost(content, generated))
        if _close(got, want):
            continue
        _, n_H, n_W, n_C = shapes[-1]
        squares = float(np.sum((content[-1].astype(np.float64) - generated[-1]) ** 2))
        for k in range(length - 1):
            if _close(got, float(cost(content[: k + 1], generated[: k + 1]))):
                fail(
                    name,
                    "it uses another layer than the content layer: the content layer is the LAST element "
                    "of each list (content_output[-1], generated_output[-1]).",
                    case,
                )
        if _ratio_is(got, want, 1 / (n_H * n_W * n_C)):
            fail(
                name,
                "tf.reduce_mean already divides by the number of activations, and the formula divides by "
                f"4 n_H n_W n_C as well: take the SUM of the squared differences ({CONTENT_FORMULA}).",
                case,
            )
        if _close(got, np.sqrt(squares) / (4 * n_H * n_W * n_C), rtol=1e-3):
            fail(
                name,
                "it divides the norm of a_C - a_G, the square root of the sum of squares, where the formula "
                f"needs the sum of squares itself ({CONTENT_FORMULA}).",
                case,
            )
        if any(_ratio_is(got, want, f) for f in (4, 1 / 4, 1 / n_C, n_C, 1 / (n_H * n_W), 2, 1 / 2)):
            fail(
                name,
                f"its value is off by a constant factor: check the normalisation ({CONTENT_FORMULA}; "
                f"n_H, n_W, n_C of the content layer).",
                case,
            )
        fail(name, f"its value is wrong: {CONTENT_FORMULA}.", case)


# ----------------------------------------------------------------------------------------------
# gram_matrix
# ----------------------------------------------------------------------------------------------


def test_gram_matrix(func, seed):
    """gram_matrix on unrolled activations (n_C, n_H*n_W) with fewer and with more channels than positions."""
    name = "gram_matrix"
    rng = np.random.default_rng(seed)
    gram = _reference(name)
    plans = [
        (3, int(rng.integers(6, 13))),
        (int(rng.integers(6, 10)), 4),
        (int(rng.integers(2, 6)), int(rng.integers(7, 21))),
    ]
    for n_C, n_HW in plans:
        A = rng.normal(0, 1, size=(n_C, n_HW)).astype(np.float32)
        case = f"A of shape {A.shape} (n_C = {n_C} channels, n_H*n_W = {n_HW} positions)"
        got = call_student(name, func, A, case=case)
        if not isinstance(got, np.ndarray) or got.ndim == 0:
            fail(
                name,
                f"it should return the matrix G of shape (n_C, n_C) = {(n_C, n_C)}, but it returned {shape_text(got)}.",
                case,
            )
        if got.shape == (n_HW, n_HW):
            fail(
                name,
                f"it returns a matrix of shape {got.shape}, (n_H*n_W, n_H*n_W): that is A^T A, which compares "
                f"positions. The Gram matrix compares the channels, the ROWS of A: G = A A^T, of shape "
                f"(n_C, n_C).",
                case,
            )
        if got.shape == A.shape:
            fail(
                name,
                f"it returns an array of A's shape {A.shape}: an element-wise product. G = A A^T is a matrix "
                f"product (tf.matmul) of A with its transpose, of shape (n_C, n_C).",
                case,
            )
        if got.shape != (n_C, n_C):
            fail(
                name,
                f"it returns an array of shape {got.shape}; G = A A^T should have shape (n_C, n_C) = {(n_C, n_C)}.",
                case,
            )
        want = np.asarray(gram(A))
        if np.allclose(got, want, rtol=RTOL, atol=1e-4):
            continue
        if np.allclose(got * n_HW, want, rtol=1e-3, atol=1e-4):
            fail(
                name,
                "it divides by the number of positions: here the Gram matrix is the plain product A A^T "
                "(the style cost does the normalising).",
                case,
            )
        fail(
            name, "its entries are wrong: G[i, j] should be the dot product of row i and row j of A (G = A A^T).", case
        )


# ----------------------------------------------------------------------------------------------
# compute_layer_style_cost
# ----------------------------------------------------------------------------------------------


def _unrolled(a):
    """(1, n_H, n_W, n_C) -> (n_C, n_H*n_W), one row per channel (a correct implementation's unrolling)."""
    return np.ascontiguousarray(a.reshape(-1, a.shape[-1]).T)


def _style_cost_of(G_S, G_G, n_H, n_W, n_C):
    return float(np.sum((G_S.astype(np.float64) - G_G) ** 2) / (4 * n_C**2 * (n_H * n_W) ** 2))


def test_compute_layer_style_cost(func, seed):
    """compute_layer_style_cost on non-square layers with several channel counts."""
    name = "compute_layer_style_cost"
    rng = np.random.default_rng(seed)
    cost = _reference(name)
    for shape in _layer_shapes(rng, 4):
        _, n_H, n_W, n_C = shape
        a_S, a_G = _activations(rng, shape), _activations(rng, shape)
        case = f"a_S and a_G of shape {shape}"
        got = _scalar(name, call_student(name, func, a_S, a_G, case=case), "the layer's style cost", case)
        want = float(cost(a_S, a_G))
        if _close(got, want):
            continue
        S, G = a_S.astype(np.float64), a_G.astype(np.float64)
        plain_S, plain_G = S.reshape(n_C, n_H * n_W), G.reshape(n_C, n_H * n_W)
        if _close(got, _style_cost_of(plain_S @ plain_S.T, plain_G @ plain_G.T, n_H, n_W, n_C), rtol=1e-3):
            fail(
                name,
                "it unrolls the activations with a plain reshape to (n_C, n_H*n_W), which mixes the channels "
                "(the channel axis is the last one, so a reshape reads the values of one position before the "
                "next). Reshape to (n_H*n_W, n_C) first, then transpose to (n_C, n_H*n_W).",
                case,
            )
        rows_S, rows_G = S.reshape(-1, n_C), G.reshape(-1, n_C)
        if _close(got, _style_cost_of(rows_S @ rows_S.T, rows_G @ rows_G.T, n_H, n_W, n_C), rtol=1e-3):
            fail(
                name,
                "it compares matrices of shape (n_H*n_W, n_H*n_W), which compare positions: give gram_matrix "
                "the unrolled activations of shape (n_C, n_H*n_W) (reshape to (n_H*n_W, n_C), then "
                "transpose), so the Gram matrices are (n_C, n_C).",
                case,
            )
        if _close(got, float(np.sum((S - G) ** 2)) / (4 * n_C**2 * (n_H * n_W) ** 2), rtol=1e-3):
            fail(
                name,
                "it compares the activations themselves; the style cost compares their Gram matrices "
                f"G_S and G_G ({STYLE_FORMULA}).",
                case,
            )
        if _ratio_is(got, want, 1 / n_C**2):
            fail(
                name,
                "tf.reduce_mean divides by the n_C^2 entries of the Gram matrices, on top of the formula's "
                f"normalisation: take the SUM of the squared differences ({STYLE_FORMULA}).",
                case,
            )
        if any(_ratio_is(got, want, f) for f in (4, 1 / 4, n_H * n_W, n_C, 1 / n_C, 2, 1 / 2, 16, (n_H * n_W) ** 2)):
            fail(
                name,
                f"its value is off by a constant factor: check the normalisation ({STYLE_FORMULA}; "
                f"both n_C and n_H n_W are squared).",
                case,
            )
        fail(name, f"its value is wrong: {STYLE_FORMULA}, with G = A A^T of the unrolled activations.", case)


def _oracle_layer_style_cost(a_S, a_G):
    """The reference layer style cost on arrays, as an array (what the oracle answers a correct caller)."""
    return np.asarray(_reference("compute_layer_style_cost")(a_S, a_G))


def _oracle_gram_matrix(A):
    """The reference Gram matrix of an array, as an array."""
    return np.asarray(_reference("gram_matrix")(A))


def _layer_style_cost_oracles(a_S, a_G):
    """Oracle for the two gram_matrix calls a correct compute_layer_style_cost makes (on the unrolled activations)."""
    return {"gram_matrix": oracle_table(_oracle_gram_matrix, [(_unrolled(a_S),), (_unrolled(a_G),)])}


# ----------------------------------------------------------------------------------------------
# compute_style_cost
# ----------------------------------------------------------------------------------------------


def _style_layers(rng, count):
    """STYLE_LAYERS of `count` layers with unequal weights that need not add up to 1."""
    weights = rng.permutation(np.round(np.linspace(0.1, 0.1 + 0.3 * count, count) * rng.uniform(0.8, 1.2), 3))
    return [(f"block{i + 1}_conv1", float(w)) for i, w in enumerate(weights)]


def test_compute_style_cost(func, seed):
    """compute_style_cost with STYLE_LAYERS of 1 to 5 layers, unequal weights, and the content layer last in each
    list."""
    name = "compute_style_cost"
    rng = np.random.default_rng(seed)
    cost = _reference(name)
    for count in (2, 3, 1, 5, int(rng.integers(2, 5))):
        layers = _style_layers(rng, count)
        shapes = _layer_shapes(rng, count + 1)
        style = [_activations(rng, s) for s in shapes]
        generated = [_activations(rng, s) for s in shapes]
        case = f"STYLE_LAYERS = {layers}; {_describe_lists(style)} (the last is the content layer)"
        got = _scalar(name, call_student(name, func, style, generated, layers, case=case), "the style cost", case)
        want = float(cost(style, generated, layers))
        if _close(got, want):
            continue
        weights = np.array([w for _, w in layers])
        layer_costs = np.array([float(_oracle_layer_style_cost(s, g)) for s, g in zip(style, generated)])  # count + 1
        style_costs, content_layer_cost = layer_costs[:-1], layer_costs[-1]
        diagnoses = [
            (
                np.sum(style_costs) / count,
                "it gives every layer the same weight: weight each layer's cost by its coefficient in STYLE_LAYERS",
            ),
            (
                np.sum(style_costs),
                "it adds the layers' costs without their weights: multiply each by its coefficient in STYLE_LAYERS",
            ),
            (
                np.dot(weights, style_costs) / count,
                "it divides the weighted sum by the number of layers: the style "
                "cost is the weighted SUM of the layers' costs",
            ),
            (
                weights[-1] * style_costs[-1],
                "it keeps only the last layer's cost: add each layer's weighted cost "
                "to J_style (+=) instead of replacing it",
            ),
            (
                np.dot(weights, style_costs) + weights[-1] * content_layer_cost,
                "it includes the content layer: the last element of each list is the content layer, which the style "
                "cost leaves out ([:-1])",
            ),
            (
                np.dot(weights, layer_costs[1:]),
                "it pairs the weights with the wrong layers: layer i of STYLE_LAYERS "
                "is element i of each list, and the LAST element (the content layer) is "
                "the one left out",
            ),
            (
                np.dot(weights, layer_costs[::-1][:count]),
                "it pairs the weights with the wrong layers (in reverse "
                "order, starting with the content layer): layer i of "
                "STYLE_LAYERS is element i of each list",
            ),
        ]
        for value, problem in diagnoses:
            if _close(got, float(value), rtol=1e-3):
                fail(name, problem + ".", case)
        fail(
            name,
            "its value is wrong: J_style = sum over the layers of STYLE_LAYERS of weight * "
            "compute_layer_style_cost(a_S, a_G), with a_S and a_G that layer's activations.",
            case,
        )


def _style_cost_oracles(style_image_output, generated_image_output, STYLE_LAYERS):
    """Oracle for the compute_layer_style_cost calls a correct compute_style_cost makes (the style layers only)."""
    calls = [(s, g) for s, g, _ in zip(style_image_output, generated_image_output, STYLE_LAYERS)]
    return {"compute_layer_style_cost": oracle_table(_oracle_layer_style_cost, calls)}


# ----------------------------------------------------------------------------------------------
# total_cost
# ----------------------------------------------------------------------------------------------


def test_total_cost(func, seed):
    """total_cost with its default weights and with others, on Python numbers and on 0-d tensors."""
    name = "total_cost"
    rng = np.random.default_rng(seed)
    cost = _reference(name)
    draws = [rng.uniform(0.5, 5.0, size=2) for _ in range(5)]
    weights = [
        (None, None),
        (None, None),
        (float(np.round(rng.uniform(1, 5), 2)), float(np.round(rng.uniform(6, 30), 2))),
        (float(np.round(rng.uniform(20, 60), 1)), float(np.round(rng.uniform(0.5, 3), 2))),
        (3.0, 3.0),
    ]
    for k, ((J_content, J_style), (alpha, beta)) in enumerate(zip(draws, weights)):
        # odd cases hand over 0-d arrays (tensors in the kernel), even ones Python floats
        args = (np.float32(J_content), np.float32(J_style)) if k % 2 else (float(J_content), float(J_style))
        args = tuple(np.asarray(a) for a in args) if k % 2 else args
        kwargs = {} if alpha is None else ({"alpha": alpha, "beta": beta} if k != 3 else {})
        call_args = args + ((alpha, beta) if k == 3 else ())
        case = f"J_content = {float(J_content):.3g}, J_style = {float(J_style):.3g}" + (
            ", default alpha and beta" if alpha is None else f", alpha = {alpha}, beta = {beta}"
        )
        got = _scalar(name, call_student(name, func, *call_args, case=case, **kwargs), "the total cost", case)
        want = float(cost(*call_args, **kwargs))
        if _close(got, want):
            continue
        a, b = (10.0, 40.0) if alpha is None else (alpha, beta)
        Jc, Js = float(np.float32(J_content)), float(np.float32(J_style))
        diagnoses = [
            (
                b * Jc + a * Js,
                "alpha and beta are swapped: alpha (10 by default) weights J_content and beta (40 by "
                "default) weights J_style",
            ),
            (10 * Jc + 40 * Js, "it ignores the alpha and beta it is given: use the arguments, not fixed numbers"),
            (Jc + Js, "it adds the costs without their weights: J = alpha J_content + beta J_style"),
            ((a * Jc + b * Js) / (a + b), "it divides by alpha + beta: J = alpha J_content + beta J_style, no more"),
            (a * Jc - b * Js, "it subtracts the style cost: J = alpha J_content + beta J_style"),
        ]
        for value, problem in diagnoses:
            if _close(got, value, rtol=1e-4):
                fail(name, problem + ".", case)
        fail(name, "its value is wrong: J = alpha J_content + beta J_style.", case)


# ----------------------------------------------------------------------------------------------
# train_step
# ----------------------------------------------------------------------------------------------


def _smooth_image(rng, n_H, n_W):
    """A content image: a few soft coloured blobs, (1, n_H, n_W, 3) in [0, 1]."""
    yy, xx = np.mgrid[0:n_H, 0:n_W] / max(n_H, n_W)
    image = np.full((n_H, n_W, 3), rng.uniform(0, 0.3))
    for _ in range(4):
        cy, cx, r = rng.uniform(0, n_H / max(n_H, n_W)), rng.uniform(0, n_W / max(n_H, n_W)), rng.uniform(0.15, 0.4)
        image += np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))[..., None] * rng.uniform(0.2, 1, 3)
    return np.clip(image, 0, 1)[None].astype(np.float32)


def _striped_image(rng, n_H, n_W):
    """A style image: stripes of two colours at a random angle and frequency, (1, n_H, n_W, 3) in [0, 1]."""
    yy, xx = np.mgrid[0:n_H, 0:n_W] / max(n_H, n_W)
    angle, frequency = rng.uniform(0, np.pi), rng.uniform(4, 8)
    t = (0.5 + 0.5 * np.sin(2 * np.pi * frequency * (np.cos(angle) * xx + np.sin(angle) * yy)))[..., None]
    colour = rng.uniform(0, 1, 3)
    return (t * colour + (1 - t) * (1 - colour))[None].astype(np.float32)  # two contrasting colours


def _train_spec(rng):
    """One run of train_step: a small network, a content and a style image, the noisy start, Adam's learning rate,
    steps."""
    plans = [
        ((20, 28), [[6, 6], [8, 8], [12, 12], [12]], "block4_conv1", 0.02),
        ((24, 16), [[4, 8], [8, 8], [10, 12]], "block3_conv2", 0.03),
        ((18, 18), [[6], [8, 8], [12, 12], [12]], "block4_conv1", 0.025),
    ]
    (n_H, n_W), blocks, content_layer, learning_rate = plans[int(rng.integers(len(plans)))]
    conv_names = [f"block{b}_conv{j}" for b, filters in enumerate(blocks, 1) for j in range(1, len(filters) + 1)]
    # five style layers weighted 0.2, as in the notebook's STYLE_LAYERS: the student's compute_style_cost may
    # read its default STYLE_LAYERS (bound when the cell ran) rather than the global the adapter sets
    style_names = [n for n in conv_names if n != content_layer][:5]
    content = _smooth_image(rng, n_H, n_W)
    # The start is the content image with strong noise, as in the notebook. Many of its pixels sit at 0 or 1, so
    # that a step that is not clipped leaves [0, 1]. (From grey noise, which is as far from the content as from the
    # style, a train_step that swaps a_C and a_S can make the total cost fall almost as far as a correct one.)
    generated = np.clip(content + rng.uniform(-0.4, 0.4, content.shape), 0, 1).astype(np.float32)
    return {
        "size": [n_H, n_W],
        "blocks": blocks,
        "style_layers": [[n, 0.2] for n in style_names],
        "content_layer": content_layer,
        "fill_seed": int(rng.integers(2**31)),
        "content": content,
        "style": _striped_image(rng, n_H, n_W),
        "generated": generated,
        "learning_rate": learning_rate,
        "steps": TRAIN_STEPS,
    }


@functools.lru_cache(maxsize=4)
def _feature_model(seed):
    """The network of the run of `seed`, built once per grading run."""
    return build_feature_model(_train_spec(np.random.default_rng(seed)))


def _reference_total_cost(seed, image):
    """The reference total cost (alpha 10, beta 40) of `image` in the run of `seed`."""
    import tensorflow as tf

    spec = _train_spec(np.random.default_rng(seed))
    model = _feature_model(seed)
    outputs_C, outputs_S = model(tf.constant(spec["content"])), model(tf.constant(spec["style"]))
    outputs_G = model(tf.constant(np.asarray(image, np.float32)))
    layers = [(str(n), float(w)) for n, w in spec["style_layers"]]
    J = reference.total_cost(
        reference.compute_content_cost(outputs_C, outputs_G),
        reference.compute_style_cost(outputs_S, outputs_G, layers),
        alpha=10,
        beta=40,
    )
    return float(J)


@functools.lru_cache(maxsize=4)
def _reference_run(seed):
    """The reference total cost of the start, and of the image the reference train_step makes in as many steps."""
    spec = _train_spec(np.random.default_rng(seed))
    image = adapt(TRAIN_STEP_ADAPTER, reference.train_step)(spec)["image"]
    return _reference_total_cost(seed, spec["generated"]), _reference_total_cost(seed, image)


def test_train_step(func, seed):
    """train_step for a few steps on a small network: J is one number, the image stays in [0, 1], the cost falls."""
    name = "train_step"
    spec = _train_spec(np.random.default_rng(seed))
    n_H, n_W = spec["size"]
    steps = spec["steps"]
    case = (
        f"{steps} calls of train_step on a {n_H} x {n_W} image, with a small VGG-like network as "
        f"vgg_model_outputs and Adam with learning rate {spec['learning_rate']} as optimizer"
    )
    report = call_student(name, func, spec, case=case)
    if not isinstance(report, dict) or not isinstance(report.get("J"), list) or len(report["J"]) != steps:
        fail(name, "its results could not be read.", case)
    J = [_scalar(name, value, "the J it returns", case) for value in report["J"]]
    image = report.get("image")
    if not isinstance(image, np.ndarray) or image.shape != spec["generated"].shape:
        fail(name, f"the image should keep its shape {spec['generated'].shape}.", case)
    if not np.all(np.isfinite(image)):
        fail(name, "the image holds values that are not finite numbers.", case)
    if image.min() < -1e-6 or image.max() > 1 + 1e-6:
        fail(
            name,
            "after the step the image has values outside [0, 1]: once the gradient is applied, clip the "
            "variable itself (generated_image.assign(clip_0_1(generated_image))).",
            case,
        )
    if np.max(np.abs(image - spec["generated"])) < 1e-6:
        fail(
            name,
            "the image did not change: apply the gradient of J to it with "
            "optimizer.apply_gradients([(grad, generated_image)]).",
            case,
        )
    start, reference_end = _reference_run(seed)
    end = _reference_total_cost(seed, image)
    advice = (
        "Inside the GradientTape compute a_G = vgg_model_outputs(generated_image), the content cost from a_C "
        "and a_G, the style cost from a_S and a_G, and J with total_cost(J_content, J_style, alpha=10, "
        "beta=40); then apply the gradient of J itself (the optimiser goes down it). (train_step uses your "
        "cost functions: make sure they pass their own tests first.)"
    )
    if end >= start:
        fail(name, f"over {steps} steps the total cost rose instead of falling. {advice}", case)
    if start - end < FALL_FRACTION * (start - reference_end):
        fail(
            name,
            f"over {steps} steps the total cost fell much less than a correct train_step makes it fall. {advice}",
            case,
        )
    if end > END_FACTOR * reference_end:
        fail(
            name,
            f"over {steps} steps the total cost fell, but it ends far above where a correct train_step "
            f"brings it: the image moved towards other targets than the content of the content image and "
            f"the style of the style image. {advice}",
            case,
        )
    if not J[-1] < J[0]:
        fail(
            name,
            "the J it returns did not fall over the steps: return J, the total cost computed in the GradientTape.",
            case,
        )


_ORACLES = {"compute_layer_style_cost": _layer_style_cost_oracles, "compute_style_cost": _style_cost_oracles}
_ADAPTERS = {"train_step": TRAIN_STEP_ADAPTER}

HIDDEN_TESTS = {
    f"test_{name}": replayed(
        name,
        globals()[f"test_{name}"],
        getattr(reference, name),
        _ORACLES.get(name),
        adapter=_ADAPTERS.get(name, "tensors"),
    )
    for name in GRADED
}
