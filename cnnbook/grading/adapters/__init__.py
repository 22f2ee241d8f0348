"""How the probe calls a graded function whose inputs or outputs are not plain data (tensors, Keras models).

The wire carries only plain data (cnnbook.grading.wire). A hidden test that needs TensorFlow names an
adapter in its cases; the probe wraps the student's function in it, and the grader wraps the reference
in the same adapter, so both are called and reported in the same way. An adapter turns plain arguments
into what the function takes (tensors, Keras inputs, initializers) and what the function returns into
plain data (arrays, a model's graph). Adapters know how to call a function, never what it should return.

Names: "tensors" and "keras_block", "keras_model" (modules `tensors` and `keras_models` here); an
assignment's own adapters live in its kernel-side folder, cnnbook/assignments/<id>/adapter.py, and are
named "<id>.<adapter>" (for example "w2a2_transfer_learning.fine_tune").

Used by: cnnbook.assignments.w2a1_resnets.adapter, cnnbook.assignments.w2a2_transfer_learning.adapter,
cnnbook.assignments.w3a2_unet.adapter, cnnbook.assignments.w4a1_face_recognition.adapter,
cnnbook.assignments.w4a2_style_transfer.adapter, cnnbook.assignments.w4a2_style_transfer.checks,
cnnbook.grading.runner, the grader
"""

import importlib
import importlib.util
import re
from typing import Callable

__all__ = ["register", "adapt"]

_ADAPTERS: dict[str, Callable] = {}
_BUILT_IN = {"tensors": "tensors", "keras_block": "keras_models", "keras_model": "keras_models"}


def register(name: str):
    """Register the decorated factory `factory(func) -> callable on plain data` under `name`."""

    def decorate(factory):
        _ADAPTERS[name] = factory
        return factory

    return decorate


def adapt(name: str, func: Callable) -> Callable:
    """Return `func` wrapped in the adapter `name`; raise ValueError for a name no adapter module defines."""
    if name not in _ADAPTERS:
        importlib.import_module(adapter_module(name))
    if name not in _ADAPTERS:
        raise ValueError(f"unknown adapter {name!r}")
    return _ADAPTERS[name](func)


def adapter_module(name: str) -> str:
    """Return the module that registers the adapter `name`: one of this package, or an assignment's adapter.py."""
    if name in _BUILT_IN:
        return f"{__name__}.{_BUILT_IN[name]}"
    assignment = name.partition(".")[0]
    module = f"cnnbook.assignments.{assignment}.adapter"
    if (
        not re.fullmatch(r"[a-z][a-z0-9_]*", assignment)
        or importlib.util.find_spec(f"cnnbook.assignments.{assignment}") is None
        or importlib.util.find_spec(module) is None
    ):
        raise ValueError(f"unknown adapter {name!r}")
    return module
