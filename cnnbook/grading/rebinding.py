"""Call a function with some of the global names it uses rebound, leaving the function itself untouched.

The grader's probe answers the calls a graded function makes to other graded functions from oracle tables
(cnnbook.grading.runner), and hidden tests judged in the grader's process bind those names to the
reference (autograder.judging.toolkit), so one mistake costs one test. Both make a copy of the student's
function whose globals are a new, updated dictionary: code, defaults, keyword-only defaults, closure,
attributes, name and docstring are the original's. names_bound instead points names of a namespace at other
objects for a while, so every function of a notebook sees them (the stand-in blocks of a builder's adapter).

Used by: cnnbook.assignments.w2a1_resnets.adapter, cnnbook.assignments.w3a2_unet.adapter,
cnnbook.grading.adapters.keras_models, cnnbook.grading.runner, the grader
"""

import contextlib
import types

__all__ = ["with_globals", "names_bound"]


def with_globals(func, **replacements):
    """Return a copy of `func` whose global lookups of the given names find the given objects instead.

    func: a plain Python function (a notebook ``def``); anything else (a builtin, a callable object) is
    returned unchanged, since it has no globals to rebind.
    """
    if not isinstance(func, types.FunctionType):
        return func
    clone = types.FunctionType(
        func.__code__, {**func.__globals__, **replacements}, func.__name__, func.__defaults__, func.__closure__
    )
    clone.__kwdefaults__ = func.__kwdefaults__
    clone.__dict__.update(func.__dict__)
    clone.__qualname__ = func.__qualname__
    clone.__doc__ = func.__doc__
    return clone


@contextlib.contextmanager
def names_bound(namespace: dict, replacements: dict):
    """Point the given names of `namespace` at the given objects while the block runs; put the old ones back after."""
    saved = {name: namespace[name] for name in replacements if name in namespace}
    namespace.update(replacements)
    try:
        yield
    finally:
        for name in replacements:
            namespace.pop(name, None)
        namespace.update(saved)
