"""The "w4a1_face_recognition.door" adapter: call verify or who_is_it with a given THRESHOLD and report what it printed.

verify(image_path, identity, database, model) and who_is_it(image_path, database, model) compare a distance
with the notebook's global THRESHOLD and print a message. To judge them at several thresholds, and to judge
the message of who_is_it, the hidden tests call them as ``func(spec)`` with

    spec = {"args": [the function's positional arguments], "threshold": the value THRESHOLD takes for the call}

and the adapter reports ``{"returned": what the function returned (tensors as arrays), "printed": its output}``.
THRESHOLD is set in a copy of the function's globals; the student's namespace is not touched. The adapter knows
how to call the function, not what it should return.

Used by: cnnbook.grading.adapters (by name)
"""

import contextlib
import io
import types

from cnnbook.grading.adapters import register
from cnnbook.grading.adapters.tensors import to_plain

__all__ = ["with_threshold", "MAX_PRINTED"]

MAX_PRINTED = 2000  # characters of printed output handed to the grader


def with_threshold(func, threshold):
    """Return a copy of `func` whose global name THRESHOLD is `threshold` (func itself if it has no globals)."""
    if not isinstance(func, types.FunctionType):
        return func
    clone = types.FunctionType(
        func.__code__, {**func.__globals__, "THRESHOLD": threshold}, func.__name__, func.__defaults__, func.__closure__
    )
    clone.__kwdefaults__ = func.__kwdefaults__
    return clone


@register("w4a1_face_recognition.door")
def door(func):
    """Wrap `func`: call it on spec["args"] with THRESHOLD = spec["threshold"]; report its value and printed text."""

    def call(spec):
        target = with_threshold(func, float(spec["threshold"]))
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            value = target(*spec["args"])
        return {"returned": to_plain(value), "printed": printed.getvalue()[:MAX_PRINTED]}

    return call
