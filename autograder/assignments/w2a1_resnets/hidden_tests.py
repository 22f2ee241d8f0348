"""Hidden tests for w2a1_resnets: the student's blocks and ResNet50 against the reference, judged out of the kernel.

Each script `test_<function>(func, seed)` builds the student's function through an adapter (the kernel
hands back a graph description and outputs, cnnbook.grading.adapters) on a few cases drawn from `seed`,
and compares it with the reference built the same way:

- the graph, layer by layer (autograder.judging.graph_comparison.graph_problem), so a failure names the first wrong
  layer: its kind, filters, kernel size, strides, padding, axis, initializer;
- the outputs on the same input in inference AND training mode (batch normalisation uses its moving
  averages in one and the batch's statistics in the other), with the convolution kernels made by a
  constant initializer, or with every weight set from its kind and shape (fill_seed);
- non-default arguments: non-square inputs, even and odd f, filter lists, strides s of 1, 2 and 3,
  other input shapes and class counts for ResNet50.

The blocks are judged as the student wrote them. ResNet50 is built with stand-in blocks (the adapter
"w2a1_resnets.resnet50"), so a mistake in a block costs only that block's points. Messages speak of
layers and arguments, never of computed values.
"""

import re

import numpy as np

from autograder.assignments.w2a1_resnets import reference
from autograder.judging.graph_comparison import canonical_graph, graph_problem, outputs_problem
from autograder.judging.replay import replayed
from autograder.judging.toolkit import fail, reference_report

__all__ = ["test_identity_block", "test_convolutional_block", "test_ResNet50", "HIDDEN_TESTS", "GRADED"]

GRADED = ("identity_block", "convolutional_block", "ResNet50")
ADAPTERS = {"identity_block": "keras_block", "convolutional_block": "keras_block", "ResNet50": "w2a1_resnets.resnet50"}
BOTH_MODES = ["inference", "training"]


def initializer_token(class_name: str, **config) -> dict:
    """Return the adapter's token for the factory initializer(seed=0) of a Keras initializer."""
    return {"__initializer__": [class_name, config]}


ARGUMENT_NAMES = {
    "identity_block": ("f", "filters"),
    "convolutional_block": ("f", "filters", "s"),
    "ResNet50": ("input_shape", "classes"),
}


def describe_spec(spec: dict) -> str:
    """Words for a case: the input's shape and the arguments (initializers by what they make)."""
    function = spec.get("function", "")
    parts = []
    if spec.get("input_shapes"):
        parts.append(f"X of shape (m, {', '.join(str(n) for n in spec['input_shapes'][0])})")
    named = dict(zip(ARGUMENT_NAMES.get(function, ()), spec.get("args", [])))
    named.update(spec.get("kwargs", {}))
    for name, value in named.items():
        if isinstance(value, dict) and "__initializer__" in value:
            class_name, config = value["__initializer__"]
            options = ", ".join(f"{k}={v!r}" for k, v in config.items())
            value = f"a factory of {class_name}({options})"
        else:
            value = repr(value)
        parts.append(f"{name}={value}")
    if function == "ResNet50" and not named:
        parts.append("the default arguments")
    elif function != "ResNet50" and "initializer" not in named:
        parts.append("the default initializer")
    return ", ".join(parts)


def error_hint(function: str, text: str) -> str:
    """A hint for errors whose Keras wording does not say what went wrong in the block."""
    lowered = text.lower()
    if "incompatible shapes" in lowered or "broadcast" in lowered or "same shape" in lowered:
        if function == "convolutional_block":
            return (
                " The two inputs of the addition have different shapes: the main path and the shortcut must "
                "both end with F3 channels and both use the stride s once (on the main path's first 1x1 "
                "convolution and on the shortcut's convolution); the f x f convolution keeps the size "
                "with padding='same'."
            )
        return (
            " The two inputs of the addition have different shapes: the main path must keep the height and "
            "width of X (padding='same' on the f x f convolution, stride 1 everywhere) and end with F3 "
            "channels, the number of channels of X."
        )
    if "zero or negative" in lowered:
        return (
            " The maps became too small before this layer: a stride is applied too often; check the stem and "
            "each stage's stride (stage 2's convolutional block has s=1, the others s=2)."
        )
    if "is incompatible with the layer: expected shape" in lowered:
        return " Build the model's input from the argument: keras.Input(input_shape), not a fixed shape."
    if "unexpected keyword argument" in lowered:
        return " Keep the function's signature as given in the notebook."
    return ""


def call(function: str, func, spec: dict) -> dict:
    """Call the adapted student function on `spec`; an error it raised becomes a failure that says what it was."""
    try:
        return func({key: value for key, value in spec.items() if key != "function"})
    except AssertionError:
        raise
    except Exception as exc:
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # Keras marks words in bold for terminals
        text = text if len(text) <= 300 else text[:300] + " ..."
        fail(function, f"raised {type(exc).__name__}: {text}{error_hint(function, text)}", describe_spec(spec))


def fixed_training_problem(function: str, got: dict) -> str | None:
    """Say so when a BatchNormalization is called with a fixed training argument (its mode no longer follows the
    model's)."""
    try:
        nodes, _, _ = canonical_graph(got["graph"])
    except (ValueError, KeyError, TypeError):
        return None
    if any(n.kind == "BatchNormalization" and n.attrs.get("constants") for n in nodes):
        return (
            "a BatchNormalization layer is called with a fixed training argument; call it on X alone. Keras "
            "passes the mode to every layer itself (training=True while fitting, False when predicting); with "
            "a fixed value, a plain call model(X) uses the batch's statistics even when predicting."
        )
    return None


def relu_before_addition_problem(function: str, got: dict, want: dict) -> str | None:
    """Say so when a ReLU feeds the addition of a block (the reference adds batch-normalised tensors)."""

    def relu_into_add(graph):
        try:
            nodes, _, _ = canonical_graph(graph)
        except (ValueError, KeyError, TypeError):
            return False
        return any(n.kind == "Add" and any(nodes[i].kind == "ReLU" for i in n.inputs) for n in nodes)

    if relu_into_add(got["graph"]) and not relu_into_add(want["graph"]):
        return (
            "a ReLU is applied before the addition: the output of the last BatchNormalization goes into the "
            "addition as it is, and the block's final ReLU comes after the addition, ReLU(main path + shortcut)."
        )
    return None


def judge(function: str, got, want: dict, spec: dict) -> None:
    """Compare one case's report with the reference's; fail with the first difference, in the exercise's terms."""
    if not isinstance(got, dict) or not isinstance(got.get("graph"), dict):
        fail(
            function, "its result could not be read; run the notebook from the top and try again.", describe_spec(spec)
        )
    problem = fixed_training_problem(function, got) or relu_before_addition_problem(function, got, want)
    problem = problem or graph_problem(got["graph"], want["graph"], function)
    if problem and problem.startswith(f"{function}: the input should be an Input(") and function != "ResNet50":
        used = problem.split("but yours has ", 1)[-1].split(" there", 1)[0]
        problem = (
            f"{function}: where the block's input X itself should be used (the shortcut adds X, unchanged, "
            f"to the main path), yours uses the output of {used}."
        )
    if problem:
        fail(
            function,
            problem[len(function) + 2 :] if problem.startswith(f"{function}: ") else problem,
            describe_spec(spec),
        )
    problem = outputs_problem(got, want, function)
    if problem:
        modes = [
            m
            for m in want.get("outputs", {})
            if outputs_problem(
                {"outputs": {m: got.get("outputs", {}).get(m)}}, {"outputs": {m: want["outputs"][m]}}, function
            )
        ]
        hint = ""
        if modes == ["inference"]:
            hint = " Only inference mode is wrong: batch normalisation must use its moving averages there."
        elif modes == ["training"]:
            hint = " Only training mode is wrong: batch normalisation must use the batch's statistics there."
        fail(function, problem[len(function) + 2 :] + hint, describe_spec(spec))


def draw_input(rng, m: int, shape) -> np.ndarray:
    """A batch of m inputs of `shape` (n_H, n_W, n_C), float32, with positive and negative values."""
    return rng.standard_normal((m, *shape)).astype(np.float32)


# ----------------------------------------------------------------------------------------------
# identity_block and convolutional_block
# ----------------------------------------------------------------------------------------------


def identity_cases(rng) -> list[dict]:
    """Default initializer; a constant one with an even f on a non-square input; filled weights; both modes."""
    F = int(rng.integers(4, 7))
    constant = initializer_token("Constant", value=round(float(rng.uniform(0.05, 0.3)), 3))
    shapes = [(4, 4, 5), (5, 7, F), (6, 5, 8)]
    return [
        {
            "function": "identity_block",
            "input_shapes": [list(shapes[0])],
            "args": [3, [2, 3, 5]],
            "kwargs": {},
            "X": [draw_input(rng, 2, shapes[0])],
            "modes": ["inference"],
            "fill_seed": None,
        },
        {
            "function": "identity_block",
            "input_shapes": [list(shapes[1])],
            "args": [2, [3, 2, F]],
            "kwargs": {"initializer": constant},
            "X": [draw_input(rng, 3, shapes[1])],
            "modes": BOTH_MODES,
            "fill_seed": None,
        },
        {
            "function": "identity_block",
            "input_shapes": [list(shapes[2])],
            "args": [3, [4, 6, 8]],
            "kwargs": {"initializer": initializer_token("GlorotUniform")},
            "X": [draw_input(rng, 3, shapes[2])],
            "modes": BOTH_MODES,
            "fill_seed": int(rng.integers(1000)),
        },
    ]


def convolutional_cases(rng) -> list[dict]:
    """s left at its default (2), s = 3 on a size it does not tile with a constant initializer, s = 1 filled."""
    constant = initializer_token("Constant", value=round(float(rng.uniform(0.05, 0.3)), 3))
    return [
        {
            "function": "convolutional_block",
            "input_shapes": [[6, 6, 3]],
            "args": [3, [2, 3, 4]],
            "kwargs": {},
            "X": [draw_input(rng, 2, (6, 6, 3))],
            "modes": ["inference"],
            "fill_seed": None,
        },
        {
            "function": "convolutional_block",
            "input_shapes": [[7, 8, 4]],
            "args": [2, [3, 2, 5], 3],
            "kwargs": {"initializer": constant},
            "X": [draw_input(rng, 3, (7, 8, 4))],
            "modes": BOTH_MODES,
            "fill_seed": None,
        },
        {
            "function": "convolutional_block",
            "input_shapes": [[5, 6, 3]],
            "args": [3, [4, 3, 6]],
            "kwargs": {"s": 1, "initializer": initializer_token("RandomUniform", minval=-0.1, maxval=0.1)},
            "X": [draw_input(rng, 3, (5, 6, 3))],
            "modes": BOTH_MODES,
            "fill_seed": int(rng.integers(1000)),
        },
    ]


def run_block_cases(function: str, func, cases: list[dict]) -> None:
    for spec in cases:
        got = call(function, func, spec)
        judge(
            function,
            got,
            reference_report(
                ADAPTERS[function], getattr(reference, function), {k: v for k, v in spec.items() if k != "function"}
            ),
            spec,
        )


def test_identity_block(func, seed=0):
    """identity_block (keras_block adapter) against the reference: graph, then outputs in both modes."""
    run_block_cases("identity_block", func, identity_cases(np.random.default_rng(seed)))


def test_convolutional_block(func, seed=0):
    """convolutional_block (keras_block adapter) against the reference: graph, then outputs in both modes."""
    run_block_cases("convolutional_block", func, convolutional_cases(np.random.default_rng(seed)))


# ----------------------------------------------------------------------------------------------
# ResNet50 (built with stand-in blocks)
# ----------------------------------------------------------------------------------------------


def resnet_cases(rng) -> list[dict]:
    """The defaults; another input shape (non-square, one channel, given by position) and class count."""
    shape = (int(rng.choice([56, 72])), int(rng.choice([64, 80])), 1)
    classes = int(rng.integers(2, 6))
    return [
        {
            "function": "ResNet50",
            "args": [],
            "kwargs": {},
            "X": [draw_input(rng, 2, (64, 64, 3))],
            "modes": BOTH_MODES,
            "fill_seed": int(rng.integers(1000)),
        },
        {
            "function": "ResNet50",
            "args": [list(shape)],
            "kwargs": {"classes": classes},
            "X": [draw_input(rng, 2, shape)],
            "modes": BOTH_MODES,
            "fill_seed": int(rng.integers(1000)),
        },
    ]


def test_ResNet50(func, seed=0):
    """ResNet50 (stand-in blocks) against the reference: the stem, the blocks' order and arguments, the head."""
    run_block_cases("ResNet50", func, resnet_cases(np.random.default_rng(seed)))


HIDDEN_TESTS = {
    f"test_{name}": replayed(name, globals()[f"test_{name}"], getattr(reference, name), adapter=ADAPTERS[name])
    for name in GRADED
}
