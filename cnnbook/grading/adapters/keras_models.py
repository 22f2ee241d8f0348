"""The "keras_block" and "keras_model" adapters: build a student's Keras block or model and report it as data.

keras_block calls func(*inputs, *args, **kwargs) on symbolic keras.Input tensors of the given shapes
(a block such as identity_block) and wraps what it returns in a keras.Model; keras_model calls
func(*args, **kwargs), which must return a model (happyModel, ResNet50). Both report:

    {"returned": the type name of what func returned,
     "graph": cnnbook.grading.graph_export.describe_model of the model,
     "outputs": {mode: [one array per model output]} for each mode in spec["modes"]}

Arguments may hold initializer tokens {"__initializer__": [class name, config]}: the adapter passes a
factory `initializer(seed=0)` that returns that Keras initializer, which is how the course's blocks take
their initializer. With spec["fill_seed"] an integer, every weight is set by keras_graph.fill_weights
before the outputs are computed, so they depend on the graph only.

Used by: cnnbook.assignments.w2a1_resnets.adapter, cnnbook.assignments.w2a2_transfer_learning.adapter,
cnnbook.assignments.w3a2_unet.adapter
"""

import functools
import types

import numpy as np

from cnnbook.grading.adapters import register
from cnnbook.grading.adapters.tensors import to_plain
from cnnbook.grading.graph_export import describe_model, fill_weights
from cnnbook.grading.rebinding import names_bound

__all__ = ["initializer_factory", "decode_tokens", "mixing_matrix", "with_stand_ins"]

MODES = {"inference": False, "training": True}


def initializer_factory(class_name: str, config: dict):
    """Return `initializer(seed=0)`, a factory of the Keras initializer `class_name` with `config` (seed from the
    call)."""
    import keras

    cls = getattr(keras.initializers, class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, keras.initializers.Initializer)):
        raise ValueError(f"unknown initializer {class_name!r}")

    def initializer(seed=0):
        options = dict(config)
        try:
            return cls(seed=seed, **options)
        except TypeError:  # an initializer without a seed (Constant, Zeros, Ones)
            return cls(**options)

    initializer.__name__ = class_name
    return initializer


def decode_tokens(value):
    """Return `value` with every initializer token replaced by its factory."""
    if isinstance(value, dict):
        if set(value) == {"__initializer__"}:
            class_name, config = value["__initializer__"]
            return initializer_factory(str(class_name), dict(config))
        return {k: decode_tokens(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(decode_tokens(v) for v in value)
    if isinstance(value, list):
        return [decode_tokens(v) for v in value]
    return value


def report(model, spec: dict, returned: str) -> dict:
    """Return the graph of `model` and its outputs on spec["X"] in each of spec["modes"]."""
    graph = describe_model(model)
    outputs = {}
    if spec.get("modes"):
        if spec.get("fill_seed") is not None:
            fill_weights(model, int(spec["fill_seed"]))
        X = [np.asarray(x, dtype=np.float32) for x in spec.get("X", [])]
        for mode in spec["modes"]:
            try:
                value = model(X if len(X) != 1 else X[0], training=MODES[mode])
            except Exception as exc:  # the graph is still judged; this says why there are no outputs
                outputs[mode] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
                continue
            value = list(value) if isinstance(value, (list, tuple)) else [value]
            outputs[mode] = [np.asarray(to_plain(v)) for v in value]
    return {"returned": returned, "graph": graph, "outputs": outputs}


def describe_returned(value) -> str:
    """Return words for what a block or builder returned, for messages."""
    if value is None:
        return "None (is the return statement missing?)"
    return type(value).__name__


@register("keras_block")
def keras_block(func):
    """Wrap a block function: spec {input_shapes, args, kwargs, X, modes, fill_seed} -> report (see the module)."""

    def call(spec: dict) -> dict:
        import keras

        inputs = [keras.Input(shape=tuple(shape)) for shape in spec["input_shapes"]]
        value = func(
            *inputs, *decode_tokens(tuple(spec.get("args", ()))), **decode_tokens(dict(spec.get("kwargs", {})))
        )
        outputs = list(value) if isinstance(value, (tuple, list)) else [value]
        if not outputs or not all(isinstance(v, keras.KerasTensor) for v in outputs):
            raise TypeError(
                f"the block should return the output tensor of its last layer (or a tuple of them); "
                f"it returned {describe_returned(value)}"
            )
        model = keras.Model(inputs if len(inputs) > 1 else inputs[0], outputs if len(outputs) > 1 else outputs[0])
        return report(model, spec, type(value).__name__)

    return call


@register("keras_model")
def keras_model(func):
    """Wrap a model builder: spec {args, kwargs, X, modes, fill_seed} -> report (see the module)."""

    def call(spec: dict) -> dict:
        import keras

        value = func(*decode_tokens(tuple(spec.get("args", ()))), **decode_tokens(dict(spec.get("kwargs", {}))))
        if not isinstance(value, keras.Model):
            raise TypeError(f"it should return a keras Model; it returned {describe_returned(value)}")
        return report(value, spec, type(value).__name__)

    return call


@functools.lru_cache(maxsize=64)
def mixing_matrix(n_in: int, n_out: int) -> np.ndarray:
    """Return a fixed (n_in, n_out) matrix that mixes channels in a stand-in block (small integers scaled by
    1 / sqrt(n_in)): a rule without weights, so a stand-in computes nothing a student could use."""
    i = np.arange(n_in, dtype=np.int64)[:, None]
    j = np.arange(n_out, dtype=np.int64)[None, :]
    pattern = (7 * i + 13 * j + i * j) % 11 - 5  # integers in -5..5
    return (pattern / (5.0 * np.sqrt(n_in))).astype(np.float32)


def with_stand_ins(func, stand_ins: dict):
    """Return the "keras_model" adapter of the builder `func`, run while the names in `stand_ins` (the graded blocks it
    calls) point at stand-ins in its notebook's namespace, so its grade does not depend on the student's blocks."""
    build = keras_model(func)

    def call(spec: dict) -> dict:
        namespace = func.__globals__ if isinstance(func, types.FunctionType) else {}
        with names_bound(namespace, stand_ins):
            return build(spec)

    return call
