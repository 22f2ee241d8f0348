"""Adapters of w2a2_transfer_learning: the builders are judged on small stand-ins, so grading loads no weights.

The transfer model builder takes the augmentation model and the pretrained base it must use. To judge
how the student assembles them (and not the pretrained base, which would be slow to load, nor the
student's own data_augmenter, which has a test of its own), the adapter "w2a2_transfer_learning.kite_model"
hands the builder two STAND-INS, built the same way in the kernel and in the grader:

- an augmentation model named "data_augmentation" that shifts images at random (it is not the
  augmentation the exercise asks for, so it gives nothing away);
- a base named "base_model": five stride-2 convolutions with batch normalisation and ReLU6, so it has
  MobileNetV2's interface ((m, n_H, n_W, 3) in -1..1 -> (m, n_H/32, n_W/32, n_C)) and layers whose
  behaviour depends on the training flag, but none of its weights or size.

The adapter "w2a2_transfer_learning.fine_tune" builds a small classifier around a stand-in base, frozen and
compiled as after the first phase of training, calls the student's fine-tuning step on it, and reports
which layers train and how the model was compiled. "w2a2_transfer_learning.data_augmenter" builds the
returned augmentation model on an input of a given shape so its graph can be described. None of them
knows what a right answer looks like.

Used by: cnnbook.assignments.w2a2_transfer_learning.checks, cnnbook.grading.adapters (by name), the grader
"""

import numpy as np

from cnnbook.grading.adapters import register
from cnnbook.grading.adapters.keras_models import describe_returned, report
from cnnbook.grading.graph_export import describe_model, plain

__all__ = ["stand_in_base", "stand_in_augmentation", "stand_in_classifier", "BASE_NAME", "AUGMENTATION_NAME"]

BASE_NAME = "base_model"
AUGMENTATION_NAME = "data_augmentation"
BASE_FILTERS = (8, 12, 16, 24, 32)  # one stride-2 stage each: 5 stages divide the image side by 32


def stand_in_base(input_shape, name=BASE_NAME):
    """Return a small untrained base: (m, n_H, n_W, 3) -> (m, ceil(n_H/32), ceil(n_W/32), 32), 16 layers.

    Arguments:
    input_shape -- (n_H, n_W, 3)
    name -- the model's name (graphs name nested models by it)
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=tuple(input_shape))
    X = inputs
    for k, filters in enumerate(BASE_FILTERS):
        X = layers.Conv2D(filters, 3, strides=2, padding="same", use_bias=False, name=f"stage{k + 1}_conv")(X)
        X = layers.BatchNormalization(name=f"stage{k + 1}_bn")(X)
        X = layers.ReLU(6.0, name=f"stage{k + 1}_relu6")(X)
    return keras.Model(inputs, X, name=name)


def stand_in_augmentation(name=AUGMENTATION_NAME):
    """Return a small augmentation model (random shifts of up to a tenth of the image), unbuilt, named `name`."""
    import keras

    return keras.Sequential([keras.layers.RandomTranslation(0.1, 0.1)], name=name)


def stand_in_classifier(input_shape, base):
    """Return a one-logit classifier with `base` nested in it, called in inference mode: (m, n_H, n_W, 3) -> (m, 1)."""
    import keras
    from keras import layers

    inputs = keras.Input(shape=tuple(input_shape))
    X = base(inputs, training=False)
    X = layers.GlobalMaxPooling2D()(X)
    return keras.Model(inputs, layers.Dense(1)(X), name="classifier")


def nested_names(model) -> list[str]:
    """Return the names of the models used as layers of `model`."""
    import keras

    return [layer.name for layer in model.layers if isinstance(layer, keras.Model)]


@register("w2a2_transfer_learning.data_augmenter")
def data_augmenter(func):
    """Wrap data_augmenter: spec {image_shape} -> {"returned", "graph"} of the model it returns, built for that
    shape."""

    def call(spec: dict) -> dict:
        import keras

        value = func()
        if not isinstance(value, keras.Model):
            raise TypeError(f"it should return a keras Sequential model; it returned {describe_returned(value)}")
        value(keras.Input(shape=(*spec["image_shape"], 3)))  # builds a model given without keras.Input
        return {"returned": type(value).__name__, "graph": describe_model(value)}

    return call


@register("w2a2_transfer_learning.kite_model")
def kite_model(func):
    """Wrap the builder: spec {image_shape, X, fill_seed} -> report of the model it builds on the stand-ins.

    The report is keras_models.report's (graph, outputs in inference mode) with "uses": which of the given
    models ("data_augmentation", "base_model") the built model contains, and "nested": the names of the
    models nested in it.
    """

    def call(spec: dict) -> dict:
        import keras

        image_shape = tuple(int(n) for n in spec["image_shape"])
        augmentation = stand_in_augmentation()
        base = stand_in_base(image_shape + (3,))
        value = func(image_shape, augmentation, base)
        if not isinstance(value, keras.Model):
            raise TypeError(f"it should return a keras Model; it returned {describe_returned(value)}")
        result = report(
            value,
            {"X": spec.get("X", []), "modes": ["inference"], "fill_seed": spec.get("fill_seed")},
            type(value).__name__,
        )
        layers = value.layers
        result["uses"] = {
            AUGMENTATION_NAME: any(layer is augmentation for layer in layers),
            BASE_NAME: any(layer is base for layer in layers),
        }
        result["nested"] = nested_names(value)
        return result

    return call


def compile_summary(model) -> dict:
    """Return how `model` is compiled: optimizer class and learning rate, loss and metrics as plain data."""
    config = model.get_compile_config() if getattr(model, "compiled", False) else None
    if not config:
        return {"compiled": False}
    optimizer = getattr(model, "optimizer", None)
    try:
        learning_rate = float(np.asarray(optimizer.learning_rate))
    except Exception:  # a schedule, or no optimizer: the judge says what it expected
        learning_rate = None
    return {
        "compiled": True,
        "optimizer": type(optimizer).__name__,
        "learning_rate": learning_rate,
        "loss": plain(config.get("loss")),
        "metrics": plain(config.get("metrics")),
    }


@register("w2a2_transfer_learning.fine_tune")
def fine_tune(func):
    """Wrap the fine-tuning step: spec {image_shape, fine_tune_at, base_learning_rate} -> report.

    Before the call the model is as after the first phase: the stand-in base frozen inside a small classifier,
    compiled with Adam at base_learning_rate. The report: "returned_model" (whether it returned the model it was
    given), "recompiled" (whether the model has a new optimizer), "base_trainable", "layers_trainable" (the
    flag of each of the base's layers, in order), "compile" (compile_summary) and "graph" (describe_model, whose
    nested summary holds the same flags).
    """

    def call(spec: dict) -> dict:
        import keras

        input_shape = tuple(int(n) for n in spec["image_shape"]) + (3,)
        base = stand_in_base(input_shape)
        base.trainable = False
        model = stand_in_classifier(input_shape, base)
        first = keras.optimizers.Adam(learning_rate=float(spec["base_learning_rate"]))
        model.compile(optimizer=first, loss=keras.losses.BinaryCrossentropy(from_logits=True))
        value = func(model, base, int(spec["fine_tune_at"]), float(spec["base_learning_rate"]))
        return {
            "returned": describe_returned(value),
            "returned_model": value is model,
            "recompiled": getattr(model, "optimizer", None) is not first,
            "base_trainable": bool(base.trainable),
            "layers_trainable": [bool(layer.trainable) for layer in base.layers],
            "compile": compile_summary(model),
            "graph": describe_model(model),
        }

    return call
