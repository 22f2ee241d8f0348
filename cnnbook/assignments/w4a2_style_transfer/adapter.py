"""The "w4a2_style_transfer.train_step" adapter: run a student's train_step for a few steps on a small feature network.

train_step(generated_image) reads globals of the notebook: `vgg_model_outputs` (a model from an image to the
activations of the style layers and, last, the content layer), `a_C` and `a_S` (those activations for the
content and the style image), `optimizer` and `STYLE_LAYERS`. To run it on inputs of the grader's choosing,
the adapter builds these from a spec and calls a copy of train_step whose globals point to them (the
student's function and namespace stay as they are); the cost functions train_step calls are the notebook's
own. The spec:

    {"size": [n_H, n_W], "blocks": [[filters of each convolution of block 1], [block 2], ...],
     "style_layers": [[layer name, weight], ...], "content_layer": layer name, "fill_seed": int,
     "content": (1, n_H, n_W, 3), "style": (1, n_H, n_W, 3), "generated": (1, n_H, n_W, 3) in [0, 1],
     "learning_rate": float, "steps": int}

The report: {"J": [what train_step returned at each step, as arrays], "image": the image after the last step}.
The adapter knows how to call train_step; what its results should be is for the grader to judge.

Used by: cnnbook.grading.adapters (by name), the grader
"""

import types

import numpy as np

from cnnbook.grading.adapters import register
from cnnbook.grading.adapters.tensors import to_plain
from cnnbook.grading.graph_export import fill_weights

__all__ = ["build_feature_model", "with_notebook_globals"]


def build_feature_model(spec: dict):
    """Return a small VGG-like model from images (1, n_H, n_W, 3) to [style layers' activations..., content layer's].

    The input is centred (0..1 to -1..1), then blocks of 3x3 'same' ReLU convolutions, each block followed by a
    2x2 max-pool, named as in VGG19 (block1_conv1, block1_conv2, block1_pool, ...); every weight is set from its
    kind and shape by fill_weights.
    """
    import keras

    n_H, n_W = (int(n) for n in spec["size"])
    images = keras.Input((n_H, n_W, 3))
    X = keras.layers.Rescaling(2.0, offset=-1.0, name="centre")(images)  # values 0..1 -> -1..1, centred as VGG's are
    for b, filters in enumerate(spec["blocks"], start=1):
        for j, n_C in enumerate(filters, start=1):
            X = keras.layers.Conv2D(int(n_C), 3, padding="same", activation="relu", name=f"block{b}_conv{j}")(X)
        X = keras.layers.MaxPooling2D(2, name=f"block{b}_pool")(X)  # halves n_H and n_W
    network = keras.Model(images, X)
    fill_weights(network, int(spec["fill_seed"]))
    names = [str(name) for name, _ in spec["style_layers"]] + [str(spec["content_layer"])]
    outputs = keras.Model(images, [network.get_layer(name).output for name in names])
    outputs.trainable = False
    return outputs


def with_notebook_globals(train_step, **names):
    """Return a copy of train_step (a tf.function or a plain function) whose global lookups of `names` find the given
    objects."""
    import tensorflow as tf

    inner = getattr(train_step, "python_function", None)  # the Python function inside a tf.function
    plain = inner if inner is not None else train_step
    if not isinstance(plain, types.FunctionType):
        raise TypeError(
            f"train_step should be a function (def train_step(generated_image): ...), not {type(train_step).__name__}"
        )
    clone = types.FunctionType(
        plain.__code__, {**plain.__globals__, **names}, plain.__name__, plain.__defaults__, plain.__closure__
    )
    clone.__kwdefaults__ = plain.__kwdefaults__
    return tf.function(clone) if inner is not None else clone


@register("w4a2_style_transfer.train_step")
def train_step_adapter(func):
    """Wrap train_step: spec in (see the module's docstring), {"J": [...], "image": array} out."""

    def call(spec):
        import keras
        import tensorflow as tf

        model = build_feature_model(spec)
        a_C = model(tf.constant(np.asarray(spec["content"], np.float32)))  # [style layers..., content layer]
        a_S = model(tf.constant(np.asarray(spec["style"], np.float32)))
        optimizer = keras.optimizers.Adam(learning_rate=float(spec["learning_rate"]))
        style_layers = [(str(name), float(weight)) for name, weight in spec["style_layers"]]
        step = with_notebook_globals(
            func, vgg_model_outputs=model, a_C=a_C, a_S=a_S, optimizer=optimizer, STYLE_LAYERS=style_layers
        )
        generated_image = tf.Variable(np.asarray(spec["generated"], np.float32))
        J = [to_plain(step(generated_image)) for _ in range(int(spec["steps"]))]
        return {"J": J, "image": generated_image.numpy()}

    return call
