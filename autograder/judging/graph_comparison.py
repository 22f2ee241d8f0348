"""Judge a student's Keras model against the reference from two graph descriptions (cnnbook.grading.graph_export).

Equivalent spellings count as the same model: an activation given to Conv2D or Dense, an Activation
layer, a ReLU layer and keras.ops.relu are one "ReLU" node; Add() and `x + y` are one "Add" (whose
inputs may come in either order); MaxPool2D is MaxPooling2D; a kernel size of 3 is (3, 3); axis -1 is
the last axis; a chain of scalar steps on one tensor (x / 127.5 - 1, keras.applications' preprocess_input,
layers.Rescaling(1 / 127.5, offset=-1)) is one "Rescaling" with the scale and offset of the whole chain. The
two graphs are then matched from the outputs back to the inputs, and the first
difference (closest to the input) is described in the exercise's terms: which layer, what it should be.
"""

import itertools
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Layer", "canonical_graph", "graph_problem", "outputs_problem", "describe_layer"]

ACTIVATIONS = {
    "relu": "ReLU",
    "sigmoid": "Sigmoid",
    "softmax": "Softmax",
    "tanh": "Tanh",
    "elu": "ELU",
    "selu": "SELU",
    "gelu": "GELU",
    "swish": "Swish",
    "silu": "Swish",
    "relu6": "ReLU6",
    "leaky_relu": "LeakyReLU",
    "softplus": "Softplus",
}
OP_KINDS = {
    "Relu": "ReLU",
    "Sigmoid": "Sigmoid",
    "Softmax": "Softmax",
    "Tanh": "Tanh",
    "Relu6": "ReLU6",
    "Add": "Add",
    "Concatenate": "Concatenate",
    "Silu": "Swish",
    "Gelu": "GELU",
    "Elu": "ELU",
}
UNORDERED = {"Add", "Multiply", "Maximum", "Minimum", "Average"}
AFFINE_OPS = {"TrueDivide", "Multiply", "Add", "Subtract"}  # keras.ops applied to one tensor and one number
TUPLE_KEYS = {"kernel_size", "strides", "pool_size", "dilation_rate", "size", "cropping"}
IGNORED_KEYS = {
    "name",
    "trainable",
    "dtype",
    "build_config",
    "seed",
    "data_format",
    "activity_regularizer",
    "kernel_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "bias_constraint",
    "beta_regularizer",
    "gamma_regularizer",
    "beta_constraint",
    "gamma_constraint",
    "synchronized",
    "renorm",
    "renorm_clipping",
    "renorm_momentum",
    "sparse",
    "ragged",
    "optional",
    "batch_shape",
    "value_range",
}
AXIS_KEYS = {"axis"}
# What messages show of a layer (all attributes are compared; these say what it is).
SHOWN = {
    "Conv2D": ("filters", "kernel_size", "strides", "padding"),
    "Conv2DTranspose": ("filters", "kernel_size", "strides", "padding"),
    "DepthwiseConv2D": ("kernel_size", "strides", "padding"),
    "Dense": ("units",),
    "BatchNormalization": ("axis",),
    "MaxPooling2D": ("pool_size", "strides", "padding"),
    "AveragePooling2D": ("pool_size", "strides", "padding"),
    "ZeroPadding2D": ("padding",),
    "Dropout": ("rate",),
    "Concatenate": ("axis",),
    "Softmax": ("axis",),
    "RandomFlip": ("mode",),
    "RandomRotation": ("factor",),
}


@dataclass
class Layer:
    """One node of a canonical graph."""

    kind: str
    attrs: dict
    inputs: list = field(default_factory=list)  # canonical indices of the nodes it reads, in order
    shape: tuple | None = None  # its output shape, batch axis None
    params: int = 0
    trainable: bool = True
    nested: dict | None = None


def as_tuple(value):
    """Return a kernel size, stride or pool size as a tuple: 3 -> (3, 3), [1, 2] -> (1, 2)."""
    if isinstance(value, (list, tuple)):
        return tuple(as_tuple(v) if isinstance(v, (list, tuple)) else v for v in value)
    if isinstance(value, int):
        return (value, value)
    return value


def padding_pairs(value):
    """Return ZeroPadding2D's padding as ((top, bottom), (left, right))."""
    if isinstance(value, int):
        return ((value, value), (value, value))
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return tuple((v, v) if isinstance(v, int) else tuple(v) for v in value)
    return as_tuple(value)


def initializer_key(value):
    """Return an initializer's class and its non-default configuration, ignoring how it was spelled."""
    if isinstance(value, dict) and "class_name" in value:
        config = value.get("config") or {}
        kept = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in config.items() if v is not None))
        return (str(value["class_name"]), kept)
    if isinstance(value, str):  # "glorot_uniform"
        return ("".join(p.capitalize() for p in value.split("_")), ())
    return value


def activation_name(value) -> str:
    """Return the lower-case name of an activation given as a string or a serialised function."""
    if isinstance(value, dict):
        value = value.get("config", value.get("class_name", ""))
        if isinstance(value, dict):
            value = value.get("name", "")
    return str(value or "linear").lower()


def normalised_attrs(config: dict, rank: int | None) -> dict:
    """Return the configuration entries that decide what a layer computes, in one spelling."""
    attrs = {}
    for key, value in config.items():
        if key in IGNORED_KEYS or key == "activation":
            continue
        if key.endswith("_initializer"):
            value = initializer_key(value)
        elif key in TUPLE_KEYS:
            value = as_tuple(value)
        elif key == "padding":
            value = value.lower() if isinstance(value, str) else padding_pairs(value)
        elif key in AXIS_KEYS and isinstance(value, int) and rank is not None and value < 0:
            value = rank + value
        elif isinstance(value, list):
            value = as_tuple(value)
        attrs[key] = value
    if "pool_size" in attrs and attrs.get("strides") is None:
        attrs["strides"] = attrs["pool_size"]  # strides=None means strides=pool_size
    if attrs.get("padding") == "same" and "kernel_size" in attrs and set(attrs["kernel_size"]) == {1}:
        attrs["padding"] = "valid"  # "same" pads a 1x1 window by nothing, whatever the stride: it is "valid"
    return attrs


def affine_step(raw: dict, n_inputs: int) -> tuple[float, float] | None:
    """Return (scale, offset) when a node computes scale * x + offset of one tensor x, else None.

    A Rescaling layer, or x / c, x * c, x + c, x - c (keras.ops with one number). The description does not say
    on which side the number stood, so c - x reads as x - c: the outputs tell those apart.
    """
    config, constants = raw.get("config") or {}, raw.get("constants") or []
    if raw.get("kind") == "layer" and raw.get("op") == "Rescaling":
        scale, offset = config.get("scale"), config.get("offset", 0.0)
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (scale, offset))
        return (float(scale), float(offset)) if numbers else None
    if (
        raw.get("kind") != "op"
        or raw.get("op") not in AFFINE_OPS
        or n_inputs != 1
        or len(constants) != 1
        or isinstance(constants[0], bool)
        or not isinstance(constants[0], (int, float))
    ):
        return None
    c = float(constants[0])
    if raw["op"] == "TrueDivide":
        return (1.0 / c, 0.0) if c != 0 else None
    return {"Multiply": (c, 0.0), "Add": (1.0, c), "Subtract": (1.0, -c)}[raw["op"]]


def rescaling_attrs(scale: float, offset: float) -> dict:
    """Return a Rescaling's attributes, rounded so that 1 / 127.5 compares equal however it was computed."""
    return {"scale": float(f"{scale:.6g}"), "offset": float(f"{offset:.6g}") + 0.0}


def canonical_graph(description: dict) -> tuple[list[Layer], list[int], list[int]]:
    """Return (nodes, input indices, output indices) of a graph description, in the canonical spelling.

    Raises ValueError when the description is malformed (an unreadable result).
    """
    try:
        raw_nodes = description["nodes"]
        nodes: list[Layer] = []
        where: dict[tuple[int, int], int] = {}  # (raw node, output index) -> canonical node
        affine: dict[int, tuple[float, float]] = {}  # canonical Rescaling node -> its exact (scale, offset)
        outputs_raw = {int(a) for a, _ in description["outputs"]}
        consumers: dict[int, int] = {}  # raw node -> how many nodes read it
        for raw in raw_nodes:
            for a, _ in raw.get("inputs", []):
                consumers[int(a)] = consumers.get(int(a), 0) + 1
        for i, raw in enumerate(raw_nodes):
            shapes = [tuple(s) for s in raw.get("output_shapes", [])]
            shape = shapes[0] if shapes else None
            rank = len(shape) if shape is not None else None
            inputs = [where[(int(a), int(b))] for a, b in raw.get("inputs", [])]
            op, config = str(raw["op"]), dict(raw.get("config") or {})
            activation = activation_name(config.get("activation")) if "activation" in config else "linear"

            def add(kind, attrs, node_inputs, params=0):
                nodes.append(
                    Layer(kind, attrs, node_inputs, shape, params, bool(raw.get("trainable", True)), raw.get("nested"))
                )
                return len(nodes) - 1

            step = affine_step(raw, len(inputs))
            if step is not None:
                source = int(raw["inputs"][0][0])
                if inputs[0] in affine and consumers.get(source) == 1 and source not in outputs_raw:
                    # one more step of a chain: s2 (s1 x + o1) + o2
                    (s1, o1), (s2, o2) = affine[inputs[0]], step
                    index = inputs[0]
                    affine[index] = (s1 * s2, o1 * s2 + o2)
                    nodes[index].attrs = rescaling_attrs(*affine[index])
                    nodes[index].shape = shape
                else:
                    index = add("Rescaling", rescaling_attrs(*step), inputs)
                    affine[index] = step
            elif op == "InputLayer":
                index = add("Input", {"shape": tuple(shape[1:]) if shape else None}, [])
            elif op == "Activation":
                if activation == "linear":
                    index = inputs[0]
                else:
                    index = add(ACTIVATIONS.get(activation, activation), {}, inputs)
            elif (
                op == "ReLU"
                and config.get("max_value") is None
                and not config.get("negative_slope")
                and not config.get("threshold")
            ):
                index = add("ReLU", {}, inputs)
            elif raw.get("kind") == "op" and op in OP_KINDS:
                attrs = normalised_attrs(config, rank)
                if raw.get("constants"):
                    attrs["constants"] = tuple(raw["constants"])
                index = add(OP_KINDS[op], attrs, inputs)
            elif raw.get("nested") is not None:
                index = add("Model", {"name": raw["nested"].get("name")}, inputs, int(raw.get("params", 0)))
            else:
                kind = op if raw.get("kind") == "layer" else f"keras.ops.{op}"
                attrs = normalised_attrs(config, rank)
                if raw.get("constants"):
                    attrs["constants"] = tuple(raw["constants"])
                index = add(kind, attrs, inputs, int(raw.get("params", 0)))
                if activation != "linear":  # Conv2D(..., activation="relu") is a Conv2D, then a ReLU
                    index = add(ACTIVATIONS.get(activation, activation), {}, [index])
            if (
                nodes
                and index == len(nodes) - 1
                and nodes[index].kind == "Softmax"
                and nodes[index].attrs.get("axis") in (None, (rank or 0) - 1)
            ):
                nodes[index].attrs.pop("axis", None)  # softmax over the last axis, however it was spelled
            for t in range(max(1, len(shapes))):
                where[(i, t)] = index
        inputs = [where[(int(i), 0)] for i in description["inputs"]]
        outputs = [where[(int(a), int(b))] for a, b in description["outputs"]]
        return nodes, inputs, outputs
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise ValueError(f"the model's description could not be read ({type(exc).__name__})") from exc


def describe_layer(node: Layer, attrs: bool = True) -> str:
    """Return a layer in words, e.g. "Conv2D(filters=32, kernel_size=(7, 7))"."""
    if not attrs or not node.attrs:
        return node.kind
    keys = SHOWN.get(node.kind, tuple(k for k in node.attrs if not k.endswith("_initializer") and k != "constants"))
    shown = {k: node.attrs[k] for k in keys if k in node.attrs}
    inner = ", ".join(f"{k}={show(v)}" for k, v in shown.items())
    return f"{node.kind}({inner})" if inner else node.kind


def show(value) -> str:
    """Return an attribute's value in words (initializers by class name)."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], tuple):
        options = ", ".join(f"{k}={v}" for k, v in value[1])
        return f"{value[0]}({options})"
    return repr(value)


def article(word: str) -> str:
    """Return "an" before a vowel sound, else "a"."""
    return "an" if word[:1].upper() in "AEIOU" else "a"


@dataclass
class Mismatch:
    """Where two graphs first differ: the reference node, the student's node, and what differs."""

    ref: int
    got: int
    problem: str


class GraphMatcher:
    """Match a student's canonical graph against the reference's, from the outputs back (memoised)."""

    def __init__(self, got: list[Layer], want: list[Layer], compare_trainable: bool):
        self.got, self.want = got, want
        self.compare_trainable = compare_trainable
        self.memo: dict[tuple[int, int], Mismatch | None] = {}
        self.order = {i: k for k, i in enumerate(i for i, n in enumerate(want) if n.kind != "Input")}

    def match(self, g: int, w: int) -> Mismatch | None:
        key = (g, w)
        if key not in self.memo:
            self.memo[key] = None  # a cycle cannot happen in a model; this only guards the recursion
            self.memo[key] = self.compare(g, w)
        return self.memo[key]

    def compare(self, g: int, w: int) -> Mismatch | None:
        got, want = self.got[g], self.want[w]
        if got.kind != want.kind:
            return Mismatch(w, g, "kind")
        if len(got.inputs) != len(want.inputs):
            return Mismatch(w, g, "inputs")
        orders = itertools.permutations(got.inputs) if want.kind in UNORDERED and len(got.inputs) <= 4 else [got.inputs]
        # For an unordered node (Add), the pairing of inputs that matches more of them whole is the one the
        # student meant; among equals, report the difference closest to the input.
        first, best = None, None
        for order in orders:
            results = [self.match(a, b) for a, b in zip(order, want.inputs)]
            found = next((m for m in results if m), None)
            if found is None:
                first = None
                break
            rank = (-sum(m is None for m in results), self.order.get(found.ref, -1))
            if best is None or rank < best:
                first, best = found, rank
        if first is not None:
            return first
        for key in sorted(set(want.attrs) | set(got.attrs)):
            if want.attrs.get(key) != got.attrs.get(key):
                return Mismatch(w, g, f"attr:{key}")
        if (
            want.nested is not None
            and (got.nested or {}).get("trainable_layers") != want.nested.get("trainable_layers")
            and self.compare_trainable
        ):
            return Mismatch(w, g, "nested_trainable")
        if want.params != got.params:
            return Mismatch(w, g, "params")
        if self.compare_trainable and want.trainable != got.trainable:
            return Mismatch(w, g, "trainable")
        if want.shape != got.shape:
            return Mismatch(w, g, "shape")
        return None

    def where(self, w: int) -> str:
        """Words for the position of reference node `w`: "layer 4 (the BatchNormalization after the Conv2D)"."""
        node = self.want[w]
        if node.kind == "Input":
            return "the input"
        after = " and ".join(
            dict.fromkeys(
                "the input" if self.want[i].kind == "Input" else f"the {self.want[i].kind}" for i in node.inputs
            )
        )
        return f"layer {self.order[w] + 1} (after {after})" if after else f"layer {self.order[w] + 1}"

    def message(self, m: Mismatch, what: str) -> str:
        got, want = self.got[m.got], self.want[m.ref]
        here = self.where(m.ref)
        if m.problem == "kind":
            return (
                f"{what}: {here} should be {article(want.kind)} {describe_layer(want)}, but yours has "
                f"{article(got.kind)} {describe_layer(got, False)} there "
                "(is a layer missing, extra, or in the wrong order?)"
            )
        if m.problem == "inputs":
            return (
                f"{what}: {here}, a {want.kind}, should take {len(want.inputs)} input(s); yours takes {len(got.inputs)}"
            )
        if m.problem.startswith("attr:"):
            key = m.problem[5:]
            return (
                f"{what}: {here}, a {want.kind}, should have {key}={show(want.attrs.get(key))}; "
                f"yours has {key}={show(got.attrs.get(key))}"
            )
        if m.problem == "nested_trainable":
            n_want = sum(want.nested["trainable_layers"])
            n_got = sum((got.nested or {}).get("trainable_layers") or [])
            return (
                f"{what}: in the nested model {want.nested.get('name')!r}, {n_want} layers should be trainable; "
                f"yours has {n_got} (check which layers you freeze)"
            )
        if m.problem == "params":
            return (
                f"{what}: {here}, a {describe_layer(want)}, should have {want.params:,} parameters; "
                f"yours has {got.params:,}"
            )
        if m.problem == "trainable":
            return f"{what}: {here}, a {want.kind}, should {'' if want.trainable else 'not '}be trainable"
        return f"{what}: the output of {here}, a {want.kind}, should have shape {want.shape}; yours has {got.shape}"


def graph_problem(got: dict, want: dict, what: str = "the model", compare_trainable: bool = False) -> str | None:
    """Return what differs between the student's graph description `got` and the reference's `want`, or None.

    what: how messages name the thing judged ("happyModel", "the block").
    compare_trainable: also require the same trainable flags (frozen layers, a frozen nested model).
    """
    try:
        g_nodes, g_in, g_out = canonical_graph(got)
    except ValueError as exc:
        return f"{what}: {exc}"
    w_nodes, w_in, w_out = canonical_graph(want)
    if len(g_in) != len(w_in):
        return f"{what}: the model should have {len(w_in)} input(s); yours has {len(g_in)}"
    if len(g_out) != len(w_out):
        return f"{what}: the model should have {len(w_out)} output(s); yours has {len(g_out)}"
    for g, w in zip(g_in, w_in):
        if g_nodes[g].attrs != w_nodes[w].attrs:
            want_shape, got_shape = w_nodes[w].attrs.get("shape"), g_nodes[g].attrs.get("shape")
            return f"{what}: the input should have shape {want_shape}; yours has {got_shape}"
    matcher = GraphMatcher(g_nodes, w_nodes, compare_trainable)
    for g, w in zip(g_out, w_out):
        mismatch = matcher.match(g, w)
        if mismatch is not None:
            return matcher.message(mismatch, what)
    if got.get("class") != want.get("class") and "Sequential" in (got.get("class"), want.get("class")):
        return f"{what}: build it as a {want.get('class')} model; yours is a {got.get('class')}"
    if got.get("params") != want.get("params"):
        return (
            f"{what}: the model should have {want.get('params'):,} parameters; yours has {got.get('params'):,} "
            f"(a layer reused where a new one is needed, or an extra branch?)"
        )
    if compare_trainable and got.get("trainable_params") != want.get("trainable_params"):
        return (
            f"{what}: the model should have {want.get('trainable_params'):,} trainable parameters; yours has "
            f"{got.get('trainable_params'):,}"
        )
    return None


def outputs_problem(got: dict, want: dict, what: str, rtol: float = 1e-4, atol: float = 1e-5) -> str | None:
    """Return what differs between the outputs of two adapter reports (each mode, each output), or None."""
    for mode, want_values in want.get("outputs", {}).items():
        got_values = got.get("outputs", {}).get(mode)
        if isinstance(got_values, dict) and isinstance(got_values.get("error"), str):
            return f"{what}: running the model on a batch in {mode} mode raised {got_values['error']}"
        if not isinstance(got_values, list) or len(got_values) != len(want_values):
            return f"{what}: its outputs in {mode} mode could not be computed"
        for k, (g, w) in enumerate(zip(got_values, want_values)):
            g = np.asarray(g) if isinstance(g, np.ndarray) else None
            if g is None or g.shape != w.shape:
                return f"{what}: output {k + 1} in {mode} mode has the wrong shape"
            if not np.all(np.isfinite(g)) or not np.allclose(
                g, w, rtol=rtol, atol=atol * max(1.0, float(np.abs(w).max()))
            ):
                wrong = int((~np.isclose(g, w, rtol=rtol, atol=atol)).sum()) if np.all(np.isfinite(g)) else g.size
                return (
                    f"{what}: with the same weights, its output in {mode} mode differs from the expected one "
                    f"in {wrong} of {w.size} values (check each layer's arguments and the order of the layers)"
                )
    return None
