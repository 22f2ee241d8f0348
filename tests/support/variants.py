"""Registry of implementation variants: mistakes students make and alternative correct solutions.

Decorate a top-level function named ``<graded function>__<slug>`` with ``@mistake("<graded function>")``
or ``@alternative("<graded function>")``. Its body may use only ``np`` and the names of the graded
functions, because ``Variant.source()`` gives text that is pasted into (or executed as) the notebook's
solution cell for that function, where those are the names that exist.
"""

import ast
import importlib
import inspect
import re
import textwrap
from dataclasses import dataclass
from typing import Callable

__all__ = ["Variant", "mistake", "alternative", "variants_for", "mistakes_for", "alternatives_for"]

_REGISTRY: dict[str, list["Variant"]] = {}


@dataclass(frozen=True)
class Variant:
    """One implementation of a graded function: a mistake (correct=False) or an alternative (correct=True)."""

    function: str
    name: str
    correct: bool
    impl: Callable

    @property
    def id(self) -> str:
        """A readable identifier for test ids: '<function>__<name>'."""
        return f"{self.function}__{self.name}"

    def source(self) -> str:
        """The implementation's source, dedented, without decorators, with the def renamed to the graded name."""
        text = textwrap.dedent(inspect.getsource(self.impl))
        node = ast.parse(text).body[0]
        lines = text.splitlines()[node.lineno - 1 :]  # FunctionDef.lineno is the `def` line, after decorators
        pattern = rf"^(\s*def\s+){re.escape(self.impl.__name__)}(\s*\()"
        lines[0], count = re.subn(pattern, rf"\g<1>{self.function}\g<2>", lines[0])
        if count != 1:
            raise ValueError(f"could not rename the def line of {self.impl.__name__}")
        return "\n".join(lines) + "\n"


def _register(function: str, correct: bool):
    def decorate(impl):
        prefix = f"{function}__"
        if not impl.__name__.startswith(prefix):
            raise ValueError(f"variant {impl.__name__} of {function} must be named {prefix}<slug>")
        variant = Variant(function, impl.__name__[len(prefix) :], correct, impl)
        _REGISTRY.setdefault(impl.__module__, []).append(variant)
        return impl

    return decorate


def mistake(function: str):
    """Register the decorated function as a plausible WRONG implementation of `function`."""
    return _register(function, correct=False)


def alternative(function: str):
    """Register the decorated function as an alternative CORRECT implementation of `function`."""
    return _register(function, correct=True)


def variants_for(module) -> list[Variant]:
    """Every variant registered by a catalogue module (a module object or its dotted name)."""
    if isinstance(module, str):
        module = importlib.import_module(module)
    return list(_REGISTRY.get(module.__name__, []))


def mistakes_for(module, function: str | None = None) -> list[Variant]:
    """The mistakes of a catalogue module, optionally only those of one graded function."""
    return [v for v in variants_for(module) if not v.correct and function in (None, v.function)]


def alternatives_for(module, function: str | None = None) -> list[Variant]:
    """The alternative correct implementations of a catalogue module, optionally for one graded function."""
    return [v for v in variants_for(module) if v.correct and function in (None, v.function)]
