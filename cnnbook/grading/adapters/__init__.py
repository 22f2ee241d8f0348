"""How the probe calls a graded function whose inputs or outputs are not plain data (tensors, Keras models).

The wire carries only plain data (cnnbook.grading.wire). A hidden test that needs TensorFlow names an
adapter in its cases; the probe wraps the student's function in it, and the grader wraps the reference
in the same adapter, so both are called and reported in the same way. An adapter turns plain arguments
into what the function takes (tensors, Keras inputs, initializers) and what the function returns into
plain data (arrays, a model's graph). Adapters know how to call a function, never what it should return.

Names: "tensors" and "keras_block", "keras_model" (modules `tensors` and `keras_models` here); an
assignment's own adapters live in a module of this package named for the assignment and are named
"<module>.<adapter>" (for example "w2a2_transfer_learning.fine_tune").
"""
import importlib
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
    """Return `func` wrapped in the adapter `name`; raise ValueError for a name no module of this package defines."""
    if name not in _ADAPTERS:
        module = _BUILT_IN.get(name) or name.partition(".")[0]
        if not re.fullmatch(r"[a-z][a-z0-9_]*", module):
            raise ValueError(f"unknown adapter {name!r}")
        try:
            importlib.import_module(f"{__name__}.{module}")
        except ModuleNotFoundError as exc:
            raise ValueError(f"unknown adapter {name!r}") from exc
    if name not in _ADAPTERS:
        raise ValueError(f"unknown adapter {name!r}")
    return _ADAPTERS[name](func)
