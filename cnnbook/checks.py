"""How a check reports what is wrong, and the small comparisons that every check module shares.

A check fails by raising ``CheckFailure`` (an ``AssertionError``, so nbgrader and pytest treat it as a
failed test) whose message names the function and explains the problem in the exercise's own terms:
a shape, an axis, a formula. Messages never contain the values the function should have returned.

Used by: cnnbook.assignments.w1a1_conv_numpy.checks, cnnbook.assignments.w1a2_keras_apis.checks,
cnnbook.assignments.w2a1_resnets.checks, cnnbook.assignments.w2a2_transfer_learning.checks,
cnnbook.assignments.w3a1_yolo.checks, cnnbook.assignments.w3a2_unet.checks,
cnnbook.assignments.w4a1_face_recognition.checks, cnnbook.assignments.w4a2_style_transfer.checks,
cnnbook.quiz_checks, the grader
"""

import contextlib
import functools
import io

import numpy as np

from cnnbook.grading import is_grading

__all__ = [
    "UNGRADED_FAILURE",
    "SUCCESS_LINE",
    "CheckFailure",
    "visible_check",
    "require_helpers_pass",
    "exception_hint",
    "fail",
    "require",
    "report_success",
    "call_student",
    "describe_case",
    "shape_text",
    "same_values",
    "first_difference",
    "require_array",
    "require_unchanged",
    "layer_table",
    "require_keras_model",
    "final_activation",
]


# What a check prints in grading mode, where its failures do not fail the cell, and on success; the feedback
# page reads both back (autograder/feedback_pages.py).
UNGRADED_FAILURE = "visible check (not graded, the hidden tests decide): "
SUCCESS_LINE = "{function}: all visible checks passed"


class CheckFailure(AssertionError):
    """A check found a mistake; the message says what is wrong and how to put it right."""


def visible_check(check):
    """Decorate a check_<function>(func): outside grading a failure raises; inside grading it is printed.

    When the grader runs a notebook, the hidden tests decide the points, and they run the function with
    correct versions of the other graded functions it calls. A visible check cannot do that (it has no
    reference solutions), so in grading mode its failures are reported without failing the test cell:
    a mistake in zero_pad must not cost the points of conv_forward as well.
    """

    @functools.wraps(check)
    def run(func):
        try:
            check(func)
        except CheckFailure as failure:
            if not is_grading():
                raise
            print(f"{UNGRADED_FAILURE}{failure}")

    return run


def require_helpers_pass(function_name, func, helpers):
    """Fail early, and say so, when func calls a graded helper that fails its own visible check.

    helpers: {name of a graded function: its check}. Only helpers that func calls by name and that
    exist in its namespace are checked, with their output silenced.
    """
    code = getattr(func, "__code__", None)
    namespace = getattr(func, "__globals__", {})
    for helper, helper_check in helpers.items():
        if code is None or helper not in code.co_names or helper not in namespace:
            continue
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                helper_check(namespace[helper])
        except CheckFailure as failure:
            first_line = str(failure).splitlines()[0]
            fail(
                function_name,
                f"it calls your {helper}, which does not pass its own check yet "
                f"({first_line}). Fix {helper} first, then run this check again.",
            )


def fail(function_name, problem, case=None):
    """Raise CheckFailure with a message "<function_name>: <problem>" and, if given, the case it happened in."""
    message = f"{function_name}: {problem}"
    if case:
        message += f"\n  (case: {case})"
    raise CheckFailure(message)


def require(condition, function_name, problem, case=None):
    """Fail with the given problem unless condition holds."""
    if not condition:
        fail(function_name, problem, case)


def report_success(function_name):
    """Print the one line a student sees when every visible check of a function passed."""
    print(SUCCESS_LINE.format(function=function_name))


def shape_text(value):
    """Describe what a value is: 'an array of shape (2, 3)', 'a float', 'a tuple of length 2', ..."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}" if value.ndim else "a 0-d array"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of length {len(value)}"
    if value is None:
        return "None (did you forget the return statement?)"
    return f"a {type(value).__name__}"


def describe_case(**named):
    """Format the inputs of a case for a message: arrays by their shape, numbers short, the rest as they are."""
    parts = []
    for name, value in named.items():
        if isinstance(value, np.ndarray):
            parts.append(f"{name} of shape {value.shape}")
        elif isinstance(value, (float, np.floating)):
            parts.append(f"{name}={float(value):.3g}")  # an input, shown short
        else:
            parts.append(f"{name}={value!r}")
    return ", ".join(parts)


def exception_hint(exc):
    """A short hint for exceptions whose NumPy wording puzzles beginners, or an empty string."""
    text = str(exc)
    if isinstance(exc, TypeError) and ("0-dimensional arrays" in text or "length-1 arrays" in text):
        return (
            " Hint: float() and int() only accept a single number; to take the number out of an array "
            "with one element, such as b of shape (1, 1, 1), use b.item()."
        )
    if isinstance(exc, ValueError) and "could not be broadcast" in text:
        return " Hint: the two arrays in an operation have shapes that do not fit; print their .shape."
    return ""


def call_student(function_name, func, *args, case=None, **kwargs):
    """Run the student's function; turn any exception it raises into a CheckFailure that names the case."""
    try:
        return func(*args, **kwargs)
    except CheckFailure:
        raise
    except Exception as exc:  # the student's code failed: say where, keep the original as the cause
        text = str(exc)
        if len(text) > 300:
            text = text[:300] + " ..."
        raise CheckFailure(
            f"{function_name}: raised {type(exc).__name__}: {text}{exception_hint(exc)}"
            + (f"\n  (case: {case})" if case else "")
        ) from exc


def require_array(value, function_name, what, case=None):
    """Fail unless value is a NumPy array; `what` names it in the message ("Z", "the mask", ...)."""
    if not isinstance(value, np.ndarray):
        fail(function_name, f"{what} should be a NumPy array, but it is {shape_text(value)}.", case)


def require_unchanged(before, after, function_name, what, case=None):
    """Fail if an input array was modified by the student's function."""
    if not (np.shape(before) == np.shape(after) and np.array_equal(before, after)):
        fail(
            function_name,
            f"it modified its input {what} in place. Work on a new array (np.zeros, .copy()) instead.",
            case,
        )


def same_values(got, expected, rtol=1e-6, atol=1e-9):
    """True when got and expected have the same shape and equal values up to rounding."""
    got = np.asarray(got)
    expected = np.asarray(expected)
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def first_difference(got, expected, rtol=1e-6, atol=1e-9):
    """Index of the first entry where two same-shaped arrays differ (a tuple), or None if none does."""
    wrong = ~np.isclose(np.asarray(got), np.asarray(expected), rtol=rtol, atol=atol)
    if not wrong.any():
        return None
    return tuple(int(i) for i in np.argwhere(wrong)[0])


def layer_table(model) -> str:
    """Return a Keras model's layers as text lines: class, output shape, parameters (to compare with an exercise)."""
    lines = []
    for layer in model.layers:
        try:
            shape = tuple(layer.output.shape)
        except (AttributeError, ValueError):
            shape = "?"
        lines.append(f"    {type(layer).__name__:<22} output {str(shape):<24} {layer.count_params():>10,} parameters")
    return "\n".join(lines)


def require_keras_model(function_name, value):
    """Fail unless `value` is a Keras model."""
    import keras

    if not isinstance(value, keras.Model):
        fail(function_name, f"it should return a Keras model, but it returned {shape_text(value)}.")


def final_activation(model) -> str:
    """Return the name of the activation a Keras model's last layer applies ("sigmoid", "softmax", "linear", ...)."""
    last = model.layers[-1]
    if type(last).__name__ == "Softmax":
        return "softmax"
    activation = getattr(last, "activation", None)
    return getattr(activation, "__name__", str(activation)) if activation is not None else type(last).__name__.lower()
