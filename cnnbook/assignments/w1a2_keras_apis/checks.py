"""Visible checks for w1a2_keras_apis: a Sequential smile classifier and a Functional hand-sign classifier.

Each ``check_<function>(func)`` builds the student's model and checks what the exercise states in its
text: the API, the input and output shapes, the last activation (probabilities between 0 and 1, or that
sum to 1), and the parameter count the exercise gives. On a mistake the message says which property is
wrong and lists the student's own layers with their output shapes and parameters to compare with the
exercise's table.

Used by: solutions/w1a2_keras_apis/w1a2_keras_apis.ipynb
"""

import numpy as np

from cnnbook.checks import (
    call_student,
    fail,
    final_activation,
    layer_table,
    report_success,
    require_keras_model,
    visible_check,
)

__all__ = ["check_happyModel", "check_convolutional_model"]

HAPPY_PARAMS = 37_633
CONV_MODEL_PARAMS = 1_310


def require_model(name, model):
    """Fail unless `model` is a built Keras model with known input and output shapes."""
    require_keras_model(name, model)
    try:
        model.input_shape, model.output_shape  # noqa: B018 (raises for a model without an input)
    except (AttributeError, ValueError):
        fail(name, "the model has no input shape: begin it with keras.Input(shape=...).")


def require_shapes(name, model, input_shape, output_shape):
    """Fail unless the model's input and output shapes are (None, *input_shape) and (None, *output_shape)."""
    if tuple(model.input_shape) != (None, *input_shape):
        fail(
            name,
            f"the model's input shape is {tuple(model.input_shape)}; it should be (None, *{input_shape}): "
            f"the batch size, then one image.",
        )
    if tuple(model.output_shape) != (None, *output_shape):
        fail(
            name,
            f"the model's output shape is {tuple(model.output_shape)}; it should be (None, *{output_shape}).\n"
            f"  Your layers:\n{layer_table(model)}",
        )


def require_params(name, model, expected):
    """Fail unless the model has the parameter count the exercise states."""
    count = model.count_params()
    if count != expected:
        fail(
            name,
            f"the model has {count:,} parameters; the architecture of the exercise has {expected:,}. "
            f"Compare each layer's output shape and parameters with the table in the exercise "
            f"(kernel sizes, number of filters, padding, pooling, BatchNormalization's axis).\n"
            f"  Your layers:\n{layer_table(model)}",
        )


def predictions(model, shape, seed=0):
    """Return the model's outputs, as a NumPy array, on a small batch of random images of `shape`."""
    batch = np.random.default_rng(seed).uniform(0, 1, size=(4, *shape)).astype("float32")
    return np.asarray(model(batch, training=False))


@visible_check
def check_happyModel(happyModel):
    """Check happyModel(): a Sequential model, 64 x 64 x 3 images in, one probability out, 37,633 parameters."""
    import keras

    name = "happyModel"
    model = call_student(name, happyModel)
    require_model(name, model)
    if not isinstance(model, keras.Sequential):
        fail(
            name,
            f"build it with the Sequential API (keras.Sequential([...])); yours is a {type(model).__name__} model.",
        )
    require_shapes(name, model, (64, 64, 3), (1,))
    out = predictions(model, (64, 64, 3))
    if final_activation(model) != "sigmoid" or not np.all((out >= 0) & (out <= 1)):
        fail(
            name,
            "its output is not a probability between 0 and 1: the last layer should be Dense(1) with a "
            "sigmoid activation.",
        )
    require_params(name, model, HAPPY_PARAMS)
    report_success(name)


@visible_check
def check_convolutional_model(convolutional_model):
    """Check convolutional_model(input_shape): a Functional model, any input shape, six probabilities out, 1,310
    parameters."""
    import keras

    name = "convolutional_model"
    model = call_student(name, convolutional_model, (64, 64, 3), case="input_shape=(64, 64, 3)")
    require_model(name, model)
    if isinstance(model, keras.Sequential):
        fail(
            name,
            "build it with the Functional API: call each layer on the previous tensor, then "
            "keras.Model(inputs=..., outputs=...); yours is a Sequential model.",
        )
    require_shapes(name, model, (64, 64, 3), (6,))
    out = predictions(model, (64, 64, 3))
    if final_activation(model) != "softmax" or not (np.all(out >= 0) and np.allclose(out.sum(axis=1), 1.0, atol=1e-4)):
        fail(
            name,
            "its outputs are not probabilities that sum to 1 over the six classes: the last layer should be "
            "Dense(6) with a softmax activation.",
        )
    require_params(name, model, CONV_MODEL_PARAMS)
    other = call_student(name, convolutional_model, (32, 48, 1), case="input_shape=(32, 48, 1)")
    require_model(name, other)
    if tuple(other.input_shape) != (None, 32, 48, 1):
        fail(
            name,
            f"called with input_shape=(32, 48, 1), its input shape is {tuple(other.input_shape)}: "
            f"build the Input from the input_shape argument instead of a fixed shape.",
        )
    report_success(name)
