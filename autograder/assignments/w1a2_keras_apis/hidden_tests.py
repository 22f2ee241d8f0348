"""Hidden tests for w1a2_keras_apis: the student's models against the reference, judged from their graphs.

The probe builds the student's model in the kernel (adapter "keras_model") and hands out its graph and
its outputs on inputs drawn for this run, with every weight set from its kind and shape; the grader
builds the reference the same way and compares: the layers (kind, arguments, order, shapes,
parameters), the API asked for (Sequential or Functional), and the outputs in inference and training
mode. convolutional_model is also built for input shapes other than the default.
"""

import numpy as np

from autograder.assignments.w1a2_keras_apis import reference
from autograder.judging.graph_comparison import graph_problem, outputs_problem
from autograder.judging.replay import replayed
from autograder.judging.toolkit import reference_report, reject, student_report

GRADED = ("happyModel", "convolutional_model")


def _judge(name, got, want, case):
    """Fail with the first difference between the student's model and the reference: layers first, then outputs."""
    problem = graph_problem(got["graph"], want["graph"], name) or outputs_problem(got, want, name)
    if problem:
        reject(problem, case)


def test_happyModel(func, seed):
    """happyModel(): its layers, the Sequential API, and its outputs in inference and training mode."""
    rng = np.random.default_rng(seed)
    spec = {
        "args": [],
        "kwargs": {},
        "X": [rng.uniform(0, 1, size=(3, 64, 64, 3))],
        "modes": ["inference", "training"],
        "fill_seed": int(rng.integers(2**31)),
    }
    case = "happyModel() on a batch of 3 images of 64 x 64 x 3"
    got = student_report("happyModel", func, spec, case)
    want = reference_report("keras_model", reference.happyModel, spec)
    _judge("happyModel", got, want, case)


def test_convolutional_model(func, seed):
    """convolutional_model(input_shape) for the default shape and two other drawn shapes."""
    rng = np.random.default_rng(seed)
    shapes = [
        (64, 64, 3),
        (int(rng.integers(24, 48)), int(rng.integers(48, 72)), 3),
        (int(rng.integers(16, 40)), int(rng.integers(16, 40)), int(rng.integers(1, 3))),
    ]
    for shape in shapes:
        spec = {
            "args": [list(shape)],
            "kwargs": {},
            "X": [rng.uniform(0, 1, size=(2, *shape))],
            "modes": ["inference"],
            "fill_seed": int(rng.integers(2**31)),
        }
        case = f"convolutional_model(input_shape={shape})"
        got = student_report("convolutional_model", func, spec, case)
        want = reference_report("keras_model", reference.convolutional_model, spec)
        _judge("convolutional_model", got, want, case)


HIDDEN_TESTS = {
    f"test_{name}": replayed(name, globals()[f"test_{name}"], getattr(reference, name), adapter="keras_model")
    for name in GRADED
}
