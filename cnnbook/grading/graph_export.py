"""A Keras model as plain data: its graph of layers and operations, so the grader can judge it out of the kernel.

`describe_model` walks a built model from its outputs back to its inputs and lists every call of a
layer or operation (a node) in topological order, with the layer's class, its configuration, the
nodes it reads, its output shapes and its parameter count. Nothing here knows what a right model looks
like: the grader compares two descriptions (autograder.judging.graph_comparison). `fill_weights` gives every
variable a value that depends only on its kind and shape, so two models with the same graph compute the
same function, whatever order their layers were created in.

Used by: cnnbook.assignments.w2a2_transfer_learning.adapter, cnnbook.assignments.w2a2_transfer_learning.checks,
cnnbook.assignments.w3a2_unet.checks, cnnbook.assignments.w4a2_style_transfer.adapter,
cnnbook.grading.adapters.keras_models
"""

import zlib

import numpy as np

__all__ = ["describe_model", "fill_weights", "plain"]

MAX_CONFIG_ITEMS = 64  # a layer's configuration beyond this many entries is cut (nobody's layer needs more)


def plain(value, depth: int = 0):
    """Return `value` as JSON-ready data (tuples become lists; objects become their type name)."""
    if depth > 8:
        return "..."
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [plain(v, depth + 1) for v in value[:MAX_CONFIG_ITEMS]]
    if isinstance(value, dict):
        return {str(k): plain(v, depth + 1) for k, v in list(value.items())[:MAX_CONFIG_ITEMS]}
    if isinstance(value, np.ndarray) and value.size <= 16:
        return plain(value.tolist(), depth + 1)
    return f"<{type(value).__name__}>"


def shape_of(tensor) -> list:
    """Return a symbolic tensor's shape as a list (None for the batch axis)."""
    return [None if n is None else int(n) for n in tensor.shape]


def config_of(operation) -> dict:
    """Return the layer's or operation's configuration as plain data, without its name and dtype."""
    try:
        config = operation.get_config()
    except Exception:  # an operation without a configuration (some keras.ops)
        config = {}
    if not isinstance(config, dict):
        return {}
    return {k: plain(v) for k, v in config.items() if k not in ("name", "dtype", "trainable", "build_config")}


def constants_of(node) -> list:
    """Return the arguments of a node that are not tensors (the 127.5 of x / 127.5), as plain data."""
    arguments = getattr(node, "arguments", None)
    if arguments is None:
        return []
    values = list(getattr(arguments, "args", ())) + list(getattr(arguments, "kwargs", {}).values())
    return [
        plain(v)
        for v in values
        if not hasattr(v, "_keras_history") and isinstance(v, (bool, int, float, str, np.number))
    ]


def count_params(operation) -> tuple[int, int]:
    """Return (all, trainable) parameters of a layer; operations have none."""
    weights = getattr(operation, "weights", None) or []
    total = sum(int(np.prod(w.shape)) for w in weights)
    trainable = sum(int(np.prod(w.shape)) for w in getattr(operation, "trainable_weights", []) or [])
    return total, trainable


def graph_of(model):
    """Return the functional graph to walk: the model itself, or the graph a built Sequential keeps."""
    import keras

    if isinstance(model, keras.Sequential):
        functional = getattr(model, "_functional", None)
        if functional is None:
            raise ValueError("the Sequential model has no input shape yet: start it with keras.Input(shape=...)")
        return functional
    if not hasattr(model, "outputs") or model.outputs is None:
        raise ValueError(f"the {type(model).__name__} model is not a functional model with inputs and outputs")
    return model


def nested_summary(operation) -> dict:
    """Return what the grader needs of a model used as a layer: size, layer count, which layers train."""
    flags = [bool(layer.trainable) for layer in operation.layers]
    return {"layers": len(flags), "trainable_layers": flags, "name": operation.name}


def describe_model(model) -> dict:
    """Return the graph of a built Keras model as plain data.

    Returns a dict with:
    class -- the model's class name (Sequential, Functional, ...)
    nodes -- one dict per call of a layer or operation, inputs first: {op, kind ("layer" or "op"), config,
             constants, inputs: [[node index, output index], ...], output_shapes, params, trainable_params,
             trainable, shared (the layer is called more than once), nested (for a model used as a layer)}
    inputs, outputs -- node indices (outputs as [node index, output index])
    params, trainable_params -- the model's totals
    """
    import keras

    graph = graph_of(model)
    index: dict[tuple[int, int], int] = {}
    nodes: list[dict] = []

    def visit(tensor) -> list[int]:
        operation, node_index, tensor_index = tensor._keras_history
        key = (id(operation), node_index)
        if key not in index:
            node = operation._inbound_nodes[node_index]
            inputs = [visit(t) for t in node.input_tensors]
            params, trainable_params = count_params(operation)
            entry = {
                "op": type(operation).__name__,
                "kind": "layer" if isinstance(operation, keras.layers.Layer) else "op",
                # A nested model's configuration is its whole graph: its summary below says what matters.
                "config": {} if isinstance(operation, keras.Model) else config_of(operation),
                "constants": constants_of(node),
                "inputs": inputs,
                "output_shapes": [shape_of(t) for t in node.output_tensors],
                "params": params,
                "trainable_params": trainable_params,
                "trainable": bool(getattr(operation, "trainable", False)),
                "shared": len(operation._inbound_nodes) > 1,
            }
            if isinstance(operation, keras.Model):
                entry["nested"] = nested_summary(operation)
            index[key] = len(nodes)
            nodes.append(entry)
        return [index[key], tensor_index]

    outputs = [visit(t) for t in graph.outputs]
    inputs = [visit(t)[0] for t in graph.inputs]
    total = int(sum(int(np.prod(w.shape)) for w in model.weights))
    trainable = int(sum(int(np.prod(w.shape)) for w in model.trainable_weights))
    return {
        "class": type(model).__name__,
        "nodes": nodes,
        "inputs": inputs,
        "outputs": outputs,
        "params": total,
        "trainable_params": trainable,
    }


def weight_values(name: str, shape: tuple, seed: int) -> np.ndarray:
    """Return deterministic values for a variable of kind `name` (kernel, bias, gamma, ...) and `shape`."""
    rng = np.random.default_rng([seed, zlib.crc32(name.encode()), *shape])
    if name in ("moving_variance",):
        return rng.uniform(0.5, 1.5, size=shape)
    if name in ("gamma",):
        return rng.uniform(0.5, 1.5, size=shape)
    if name in ("bias", "beta", "moving_mean"):
        return rng.uniform(-0.1, 0.1, size=shape)
    fan_in = int(np.prod(shape[:-1])) if len(shape) > 1 else 1
    # Scaled so activations neither vanish nor explode through a deep network.
    return rng.uniform(-1.0, 1.0, size=shape) * np.sqrt(3.0 / max(fan_in, 1))


def fill_weights(model, seed: int = 0) -> None:
    """Set every variable of `model` (nested models included) to weight_values of its kind and shape."""
    for variable in model.weights:
        name = variable.name.split("/")[-1].split(":")[0]
        shape = tuple(int(n) for n in variable.shape)
        variable.assign(weight_values(name, shape, seed).astype(variable.dtype))
