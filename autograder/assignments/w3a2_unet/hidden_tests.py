"""Hidden tests for w3a2_unet: the student's U-Net blocks and model against the reference, judged from their graphs.

The probe builds each block on symbolic inputs in the kernel (adapter "keras_block") and hands out its
graph and its outputs on inputs drawn for this run, with every weight set from its kind and shape
(fill_seed); the grader builds the reference the same way and compares the layers (kind, arguments,
order, wiring, shapes, parameters), then the outputs in inference mode (dropout is random in training
mode, so outputs are compared in inference mode only; the graph says whether the dropout is there).
Sizes, filter counts, dropout rates and class counts are drawn, so they differ from the notebook's.

unet_model is built with stand-in blocks (adapter "w3a2_unet.unet_model", see
cnnbook/assignments/w3a2_unet/adapter.py): its grade depends on how it assembles the blocks, never on the
student's blocks themselves.
"""

import numpy as np

from autograder.assignments.w3a2_unet import reference
from autograder.judging.graph_comparison import canonical_graph, graph_problem, outputs_problem
from autograder.judging.replay import replayed
from autograder.judging.toolkit import reference_report, reject, student_report

GRADED = ("conv_block", "upsampling_block", "unet_model")
ADAPTERS = {"conv_block": "keras_block", "upsampling_block": "keras_block", "unet_model": "w3a2_unet.unet_model"}


def _judge(name, got, want, case, extra=None):
    """Fail with the first difference between the student's graph and the reference: a specific check, layers,
    outputs."""
    problem = (
        (extra(got["graph"]) if extra else None)
        or graph_problem(got["graph"], want["graph"], name)
        or outputs_problem(got, want, name)
    )
    if problem:
        reject(problem, case)


def _returns_a_pair(got, case):
    """Fail unless conv_block returned a tuple (or list) of two tensors."""
    if got.get("returned") not in ("tuple", "list") or len(got["graph"].get("outputs", [])) != 2:
        raise AssertionError(
            f"conv_block: it should return two tensors, (next_layer, skip_connection); it returned "
            f"{got.get('returned')} with {len(got['graph'].get('outputs', []))} tensor(s)\n"
            f"  (hidden test case: {case})"
        )


def _returned_in_order(got, want, case):
    """Fail when conv_block returns its two tensors the other way round: (skip_connection, next_layer)."""

    def shapes(report):
        nodes = report["graph"]["nodes"]
        return [nodes[int(i)]["output_shapes"][int(k)] for i, k in report["graph"]["outputs"]]

    got_shapes, want_shapes = shapes(got), shapes(want)
    if want_shapes[0] != want_shapes[1] and got_shapes == want_shapes[::-1]:
        raise AssertionError(
            "conv_block: it returns the skip connection first; return (next_layer, skip_connection), "
            f"the pooled tensor first\n  (hidden test case: {case})"
        )


def concatenation_order_problem(graph: dict) -> str | None:
    """Return a message when upsampling_block's Concatenate reads the skip connection before the upsampled tensor."""
    try:
        nodes, inputs, _ = canonical_graph(graph)
    except ValueError:
        return None  # graph_problem reports an unreadable graph
    for node in nodes:
        if node.kind == "Concatenate" and len(node.inputs) == 2:
            first, second = (nodes[i] for i in node.inputs)
            if first.kind == "Input" and second.kind == "Conv2DTranspose":
                return (
                    "upsampling_block: the concatenation takes the skip connection (contractive_input) first; "
                    "put the transposed convolution's output first, then the skip connection"
                )
    return None


def _fill_seed(rng):
    return int(rng.integers(2**31))


def test_conv_block(func, seed):
    """conv_block on drawn input sizes and filter counts, with and without dropout and pooling."""
    rng = np.random.default_rng(seed)
    n_H, n_W = 2 * int(rng.integers(4, 9)), 2 * int(rng.integers(4, 9))
    calls = [
        ((n_H, n_W, 3), {}),  # the defaults: 32 filters
        (
            (n_W, n_H, int(rng.integers(2, 6))),
            {"n_filters": int(rng.integers(4, 12)), "dropout_prob": 0, "max_pooling": True},
        ),
        (
            (n_H, n_W, int(rng.integers(4, 9))),
            {"n_filters": int(rng.integers(4, 12)), "dropout_prob": round(float(rng.uniform(0.1, 0.5)), 2)},
        ),
        (
            (n_H + 1, n_W - 1, 2),
            {
                "n_filters": int(rng.integers(4, 12)),
                "dropout_prob": round(float(rng.uniform(0.1, 0.5)), 2),
                "max_pooling": False,
            },
        ),
    ]
    for shape, kwargs in calls:
        spec = {
            "input_shapes": [list(shape)],
            "args": [],
            "kwargs": kwargs,
            "X": [rng.uniform(-1, 1, size=(2, *shape))],
            "modes": ["inference"],
            "fill_seed": _fill_seed(rng),
        }
        case = (
            f"conv_block(inputs of shape (None, {', '.join(map(str, shape))})"
            + "".join(f", {k}={v!r}" for k, v in kwargs.items())
            + ")"
        )
        got = student_report("conv_block", func, spec, case)
        _returns_a_pair(got, case)
        want = reference_report(ADAPTERS["conv_block"], reference.conv_block, spec)
        _returned_in_order(got, want, case)
        _judge("conv_block", got, want, case)


def test_upsampling_block(func, seed):
    """upsampling_block on drawn sizes, with a skip of as many channels as the block's filters and of another count."""
    rng = np.random.default_rng(seed)
    calls = []
    for skip_channels in ("same", "other"):
        n_H, n_W = int(rng.integers(3, 8)), int(rng.integers(3, 8))
        n_filters = int(rng.integers(4, 12))
        n_C = 2 * n_filters if skip_channels == "same" else int(rng.integers(3, 10))
        n_C_skip = n_filters if skip_channels == "same" else int(rng.integers(3, 10))
        calls.append(((n_H, n_W, n_C), (2 * n_H, 2 * n_W, n_C_skip), {"n_filters": n_filters}))
    calls.append(((int(rng.integers(2, 5)), int(rng.integers(2, 5)), 64), None, {}))  # the default: 32 filters
    for expansive, contractive, kwargs in calls:
        if contractive is None:
            contractive = (2 * expansive[0], 2 * expansive[1], 32)
        spec = {
            "input_shapes": [list(expansive), list(contractive)],
            "args": [],
            "kwargs": kwargs,
            "X": [rng.uniform(-1, 1, size=(2, *expansive)), rng.uniform(0, 1, size=(2, *contractive))],
            "modes": ["inference"],
            "fill_seed": _fill_seed(rng),
        }
        case = (
            f"upsampling_block(expansive_input of shape (None, {', '.join(map(str, expansive))}), contractive_input "
            f"of shape (None, {', '.join(map(str, contractive))})"
            + "".join(f", {k}={v!r}" for k, v in kwargs.items())
            + ")"
        )
        got = student_report("upsampling_block", func, spec, case)
        want = reference_report(ADAPTERS["upsampling_block"], reference.upsampling_block, spec)
        _judge("upsampling_block", got, want, case, extra=concatenation_order_problem)


def test_unet_model(func, seed):
    """unet_model with its defaults and with drawn input sizes (multiples of 16), filter and class counts."""
    rng = np.random.default_rng(seed)
    calls = [
        ([], {}, (96, 128, 3)),
        (
            [
                (16 * int(rng.integers(1, 4)), 16 * int(rng.integers(2, 4)), int(rng.integers(1, 4))),
                int(rng.integers(2, 6)),
            ],
            {"n_classes": int(rng.integers(2, 15))},
            None,
        ),
    ]
    for args, kwargs, shape in calls:
        shape = shape or tuple(kwargs.get("input_size") or args[0])
        spec = {
            "args": [list(a) if isinstance(a, tuple) else a for a in args],
            "kwargs": {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()},
            "X": [rng.uniform(0, 1, size=(2, *shape))],
            "modes": ["inference"],
            "fill_seed": _fill_seed(rng),
        }
        case = (
            "unet_model("
            + ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
            + ") with stand-ins for conv_block and upsampling_block"
        )
        got = student_report("unet_model", func, spec, case)
        want = reference_report(ADAPTERS["unet_model"], reference.unet_model, spec)
        _judge("unet_model", got, want, case)


HIDDEN_TESTS = {
    f"test_{name}": replayed(name, globals()[f"test_{name}"], getattr(reference, name), adapter=ADAPTERS[name])
    for name in GRADED
}
