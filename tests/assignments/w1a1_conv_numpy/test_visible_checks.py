"""The visible checks of w1a1_conv_numpy (cnnbook.assignments.w1a1_conv_numpy.checks) accept right answers, catch the
catalogued mistakes, and never reveal the values the function should have returned."""

import json
import re

import numpy as np
import pytest

from autograder.assignments.w1a1_conv_numpy import hidden_tests, reference
from autograder.course import REPO
from cnnbook.assignments.w1a1_conv_numpy import checks
from cnnbook.checks import CheckFailure
from tests.assignments.w1a1_conv_numpy import catalogue
from tests.support import variants

NOTEBOOK = REPO / "solutions" / "w1a1_conv_numpy" / "w1a1_conv_numpy.ipynb"
GRADED = hidden_tests.GRADED
MISTAKES = variants.mistakes_for(catalogue)
ALTERNATIVES = variants.alternatives_for(catalogue)

# Mistakes a visible check cannot reasonably see, with the reason. Every other mistake must be caught.
VISIBLE_BLIND_SPOTS: dict[str, str] = {}


def check(function):
    return getattr(checks, f"check_{function}")


def notebook_namespace(replacement=None):
    """The notebook's solution cells, executed in a fresh namespace; replacement=(function, source) swaps one."""
    namespace = {"np": np}
    for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]:
        meta = cell["metadata"]["nbgrader"]
        if cell["cell_type"] == "code" and meta.get("solution"):
            source = "".join(cell["source"])
            if replacement is not None and meta["grade_id"] == replacement[0]:
                source = replacement[1]
            exec(source, namespace)
    return namespace


def mistake(function, name):
    return next(v for v in MISTAKES if v.function == function and v.name == name)


class Recorder:
    """Wraps a function and remembers the arguments of every call, to recompute the right answers."""

    def __init__(self, func):
        self.func = func
        self.calls = []

    def __call__(self, *args, **kwargs):
        self.calls.append(([np.copy(a) if isinstance(a, np.ndarray) else a for a in args], dict(kwargs)))
        return self.func(*args, **kwargs)


def numbers_in(value):
    """Every float in a result: arrays, scalars, and (nested) tuples of them."""
    if isinstance(value, (tuple, list)):
        return [number for item in value for number in numbers_in(item)]
    if isinstance(value, dict):
        return []
    array = np.asarray(value, dtype=float).ravel()
    return [float(number) for number in array[:2000]]


def renderings(number):
    """The ways a message could print number; only numbers that are not whole are worth looking for."""
    if float(number).is_integer():
        return []
    return {f"{number:.2f}", f"{number:.3f}", f"{number:.4f}", f"{number:.6g}", repr(number), str(number)}


# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("function", GRADED)
def test_reference_passes_with_one_line(function, capsys):
    assert check(function)(getattr(reference, function)) is None
    assert capsys.readouterr().out == f"{function}: all visible checks passed\n"


def test_notebook_solutions_pass(capsys):
    namespace = notebook_namespace()
    for function in GRADED:
        check(function)(namespace[function])
    assert capsys.readouterr().out.count("all visible checks passed") == len(GRADED)


@pytest.mark.parametrize("variant", ALTERNATIVES, ids=lambda v: v.id)
def test_alternative_passes(variant):
    check(variant.function)(variant.impl)


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_is_caught_without_revealing_the_answer(variant):
    if variant.id in VISIBLE_BLIND_SPOTS:
        pytest.skip(VISIBLE_BLIND_SPOTS[variant.id])
    recorder = Recorder(variant.impl)
    with pytest.raises(CheckFailure) as failure:
        check(variant.function)(recorder)
    message = str(failure.value)
    assert message.startswith(f"{variant.function}: ")
    assert isinstance(failure.value, AssertionError)  # nbgrader and pytest see a failed test
    # Recompute what the right function returns on every input the check tried: none may be printed.
    right = getattr(reference, variant.function)
    for args, kwargs in recorder.calls:
        for number in numbers_in(right(*args, **kwargs)):
            for text in renderings(number):
                assert text not in message, f"the message shows the expected value {text}: {message}"
    assert not re.search(r"\d\.\d{3,}", message), message


def test_most_mistakes_are_visible():
    assert len(VISIBLE_BLIND_SPOTS) <= len(MISTAKES) // 4


def test_a_crash_in_student_code_names_the_function_and_case():
    def conv_forward(A_prev, W, b, hparameters):
        raise IndexError("index 7 is out of bounds for axis 1 with size 7")

    with pytest.raises(CheckFailure, match=r"^conv_forward: raised IndexError: index 7 .*\n  \(case: A_prev of shape"):
        checks.check_conv_forward(conv_forward)


def test_a_missing_return_is_named():
    def zero_pad(X, pad):
        np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))

    with pytest.raises(CheckFailure, match="forget the return statement"):
        checks.check_zero_pad(zero_pad)


def test_student_written_not_implemented_is_reported():
    def pool_backward(dA, cache, mode="max"):
        raise NotImplementedError()

    with pytest.raises(CheckFailure, match="raised NotImplementedError"):
        checks.check_pool_backward(pool_backward)


@pytest.mark.parametrize(
    "got, hint",
    [
        ((2, 2, 3, 2), "missing the + 1"),
        ((2, 5, 7, 2), "ignores the stride"),
        ((2, 3, 4, 3), "one entry per filter"),
    ],
)
def test_conv_shape_diagnoses(got, hint):
    # A_prev (2, 5, 7, 3), W (3, 3, 3, 2), stride 2, pad 1: the right shape is (2, 3, 4, 2).
    message = checks.conv_output_shape_problem(got, (2, 5, 7, 3), (3, 3, 3, 2), stride=2, pad=1)
    assert hint in message
    assert checks.conv_output_shape_problem((2, 3, 4, 2), (2, 5, 7, 3), (3, 3, 3, 2), 2, 1) is None


def test_gradient_shape_diagnoses():
    assert "still contains the padding" in checks.gradient_shape_problem(
        "dA_prev", np.zeros((1, 6, 7, 2)), (1, 4, 5, 2), pad=1
    )
    assert "[pad:-pad] is empty" in checks.gradient_shape_problem(
        "dA_prev", np.zeros((1, 0, 0, 2)), (1, 4, 5, 2), pad=0
    )
    assert "(1, 1, 1, n_C)" in checks.gradient_shape_problem("db", np.zeros(3), (1, 1, 1, 3))
    assert checks.gradient_shape_problem("dW", np.zeros((2, 2, 1, 3)), (2, 2, 1, 3)) is None


@pytest.mark.parametrize(
    "helper, mistake_name, caller",
    [
        ("zero_pad", "pads_channels_too", "conv_forward"),
        ("conv_single_step", "forgets_bias", "conv_forward"),
        ("zero_pad", "repeats_edge_values", "conv_backward"),
        ("create_mask_from_window", "marks_minimum", "pool_backward"),
        ("distribute_value", "forgets_to_divide", "pool_backward"),
    ],
)
def test_a_broken_helper_is_named_by_its_caller(helper, mistake_name, caller):
    namespace = notebook_namespace((helper, mistake(helper, mistake_name).source()))
    with pytest.raises(CheckFailure, match=f"^{caller}: it calls your {helper}, which does not pass its own check"):
        check(caller)(namespace[caller])


@pytest.mark.parametrize("variable, value", [("NBGRADER_EXECUTION", "autograde"), ("CNNBOOK_GRADING", "1")])
def test_in_grading_mode_a_failure_is_printed_not_raised(monkeypatch, capsys, variable, value):
    """The hidden tests decide the points; a broken helper must not also fail its caller's test cell."""
    monkeypatch.setenv(variable, value)
    namespace = notebook_namespace(("zero_pad", mistake("zero_pad", "pads_channels_too").source()))
    assert checks.check_conv_forward(namespace["conv_forward"]) is None
    assert checks.check_zero_pad(namespace["zero_pad"]) is None
    out = capsys.readouterr().out
    assert "visible check (not graded" in out and "conv_forward: it calls your zero_pad" in out


def test_float_of_an_array_gets_a_hint():
    def conv_single_step(a_slice_prev, W, b):
        return float(np.sum(a_slice_prev * W) + b)  # b has shape (1, 1, 1)

    try:
        float(np.ones((1, 1, 1)))
    except TypeError:  # NumPy >= 2.? refuses; older versions only warn
        with pytest.raises(CheckFailure, match=r"use b\.item\(\)"):
            checks.check_conv_single_step(conv_single_step)
    else:
        checks.check_conv_single_step(conv_single_step)
