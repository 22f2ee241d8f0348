"""Visible checks for w3a2_unet: the U-Net's down block, up block and whole model.

Each ``check_<function>(func)`` builds the student's block or model on symbolic Keras inputs and checks
what the exercise states in its text: the shapes of what it returns, which layers it uses (kind, kernel
size, stride, padding, activation, initializer, dropout), the order of the concatenation, and for the
whole model the parameter count the exercise gives. Messages say which property is wrong in the
exercise's terms and, where it helps, list the student's own layers.

Used by: solutions/w3a2_unet/w3a2_unet.ipynb
"""

from cnnbook.checks import (
    call_student,
    fail,
    layer_table,
    report_success,
    require_helpers_pass,
    shape_text,
    visible_check,
)

__all__ = ["check_conv_block", "check_upsampling_block", "check_unet_model", "UNET_PARAMS"]

# unet_model(input_size=(96, 128, 3), n_filters=32, n_classes=12), as the exercise states
UNET_PARAMS = 8_640_108


def as_tensors(name, value, count):
    """Return what a block returned as a list of `count` Keras tensors, or fail saying what it returned instead."""
    import keras

    values = list(value) if isinstance(value, (tuple, list)) else [value]
    if len(values) != count or not all(isinstance(v, keras.KerasTensor) for v in values):
        wanted = (
            "two tensors, (next_layer, skip_connection)" if count == 2 else "one tensor, the output of its last layer"
        )
        fail(name, f"it should return {wanted}, but it returned {shape_text(value)}.")
    return values


def shape_of(tensor) -> tuple:
    """Return a symbolic tensor's shape as a tuple (None for the batch axis)."""
    return tuple(None if n is None else int(n) for n in tensor.shape)


def producer(tensor):
    """Return the layer or operation that made a symbolic tensor."""
    return tensor._keras_history[0]


def layers_of(model, kind: str) -> list:
    """Return the model's layers of class `kind` ("Conv2D", "Dropout", ...)."""
    return [layer for layer in model.layers if type(layer).__name__ == kind]


def relu_count(model) -> int:
    """Return how many ReLUs the model applies: as a layer's activation, a ReLU or Activation layer, or
    keras.ops.relu."""
    from cnnbook.grading.graph_export import describe_model

    count = 0
    for node in describe_model(model)["nodes"]:
        activation = str(node["config"].get("activation", "")).lower()
        if node["op"] in ("ReLU", "Relu") or (
            node["op"] != "ReLU" and "relu" in activation and "relu6" not in activation
        ):
            count += 1
    return count


def initializer_name(layer) -> str:
    """Return the class name of a layer's kernel initializer ("HeNormal", "GlorotUniform", ...)."""
    return type(getattr(layer, "kernel_initializer", None)).__name__


def require_convolutions(name, model, count, n_filters):
    """Fail unless the model has `count` Conv2D layers of n_filters 3x3 filters, same padding, he_normal, each with a
    ReLU."""
    convs = layers_of(model, "Conv2D")
    if len(convs) != count:
        fail(
            name, f"it should have {count} Conv2D layers; yours has {len(convs)}.\n  Your layers:\n{layer_table(model)}"
        )
    for conv in convs:
        if tuple(conv.kernel_size) != (3, 3) or tuple(conv.strides) != (1, 1) or conv.padding != "same":
            fail(
                name,
                f"each Conv2D should have 3 x 3 filters, stride 1 and padding='same' (so the height and width "
                f"stay the same); yours has kernel_size={tuple(conv.kernel_size)}, strides={tuple(conv.strides)}, "
                f"padding={conv.padding!r}.",
            )
        if conv.filters != n_filters:
            fail(
                name, f"each Conv2D should have n_filters filters ({n_filters} here); one of yours has {conv.filters}."
            )
        if initializer_name(conv) != "HeNormal":
            fail(
                name,
                f"each Conv2D should start from kernel_initializer='he_normal'; yours uses {initializer_name(conv)}.",
            )
    if relu_count(model) != count:
        fail(
            name,
            f"each of the {count} convolutions should be followed by a ReLU (activation='relu'); "
            f"yours applies {relu_count(model)} ReLU(s).",
        )


@visible_check
def check_conv_block(conv_block):
    """Check conv_block: two 3x3 ReLU convolutions, dropout only when asked, 2x2 pooling only when asked, the skip
    before it."""
    import keras

    name = "conv_block"
    inputs = keras.Input((16, 24, 3))
    case = "inputs of shape (None, 16, 24, 3), n_filters=8"
    next_layer, skip = as_tensors(name, call_student(name, conv_block, inputs, n_filters=8, case=case), 2)
    if shape_of(skip) != (None, 16, 24, 8):
        fail(
            name,
            f"the skip connection has shape {shape_of(skip)}; it should keep the input's height and width "
            f"with n_filters channels, (None, 16, 24, 8): take it before the pooling.",
            case,
        )
    if shape_of(next_layer) != (None, 8, 12, 8):
        fail(
            name,
            f"next_layer has shape {shape_of(next_layer)}; 2 x 2 max pooling should halve the height and width, "
            f"(None, 8, 12, 8).",
            case,
        )
    model = keras.Model(inputs, [next_layer, skip])
    require_convolutions(name, model, 2, 8)
    if layers_of(model, "Dropout"):
        fail(
            name,
            "with dropout_prob=0 (the default) the block should have no Dropout layer: add it only when "
            "dropout_prob > 0.",
            case,
        )
    if len(layers_of(model, "MaxPooling2D")) != 1 or tuple(layers_of(model, "MaxPooling2D")[0].pool_size) != (2, 2):
        fail(name, "next_layer should come from one MaxPooling2D layer with a 2 x 2 window.", case)

    case = "inputs of shape (None, 16, 24, 3), n_filters=8, dropout_prob=0.25"
    next_layer, skip = as_tensors(
        name, call_student(name, conv_block, keras.Input((16, 24, 3)), n_filters=8, dropout_prob=0.25, case=case), 2
    )
    dropout = producer(skip)
    if type(dropout).__name__ != "Dropout" or abs(dropout.rate - 0.25) > 1e-9:
        fail(
            name,
            "with dropout_prob > 0, a Dropout(dropout_prob) layer should follow the two convolutions, and the "
            "skip connection should be its output (before the pooling).",
            case,
        )

    case = "inputs of shape (None, 16, 24, 3), n_filters=8, max_pooling=False"
    inputs = keras.Input((16, 24, 3))
    next_layer, skip = as_tensors(
        name, call_student(name, conv_block, inputs, n_filters=8, max_pooling=False, case=case), 2
    )
    if shape_of(next_layer) != (None, 16, 24, 8) or layers_of(keras.Model(inputs, [next_layer, skip]), "MaxPooling2D"):
        fail(
            name,
            "with max_pooling=False the block should not pool: next_layer is then the skip connection itself.",
            case,
        )
    report_success(name)


@visible_check
def check_upsampling_block(upsampling_block):
    """Check upsampling_block: a 3x3 stride-2 transposed convolution, concatenated before the skip, two 3x3 ReLU
    convolutions."""
    import keras

    name = "upsampling_block"
    expansive, contractive = keras.Input((6, 8, 32)), keras.Input((12, 16, 16))
    case = "expansive_input (None, 6, 8, 32), contractive_input (None, 12, 16, 16), n_filters=16"
    try:
        value = upsampling_block(expansive, contractive, n_filters=16)
    except Exception as exc:  # most often the concatenation of two tensors of different heights and widths
        hint = (
            " The transposed convolution should double the height and width (3 x 3, strides=2, padding='same') so "
            "that its output fits the skip connection."
            if "Concatenate" in str(exc) or "concat" in str(exc)
            else ""
        )
        fail(name, f"raised {type(exc).__name__}: {str(exc)[:300]}.{hint}", case)
    (output,) = as_tensors(name, value, 1)
    model = keras.Model([expansive, contractive], output)
    transposed = layers_of(model, "Conv2DTranspose")
    if len(transposed) != 1:
        fail(name, f"it should begin with one Conv2DTranspose layer; yours has {len(transposed)}.", case)
    up = transposed[0]
    if (tuple(up.kernel_size), tuple(up.strides), up.padding, up.filters) != ((3, 3), (2, 2), "same", 16):
        fail(
            name,
            f"the Conv2DTranspose should have n_filters filters of 3 x 3, strides=2 and padding='same'; yours "
            f"has filters={up.filters}, kernel_size={tuple(up.kernel_size)}, strides={tuple(up.strides)}, "
            f"padding={up.padding!r}.",
            case,
        )
    if str(getattr(up.activation, "__name__", "linear")) != "linear":
        fail(name, "the Conv2DTranspose should have no activation: the ReLUs come after the concatenation.", case)
    first_conv = next((layer for layer in model.layers if type(layer).__name__ == "Conv2D"), None)
    if first_conv is None:
        fail(
            name,
            f"after the concatenation it should have two Conv2D layers; yours has none.\n  Your layers:\n"
            f"{layer_table(model)}",
            case,
        )
    merge = producer(first_conv.input)
    if type(merge).__name__ != "Concatenate":
        fail(
            name,
            f"the first Conv2D should read the concatenation of the upsampled tensor and the skip connection; "
            f"it reads the output of a {type(merge).__name__}.",
            case,
        )
    if merge.axis not in (-1, 3):
        fail(
            name,
            f"concatenate along the channels (axis=3 or axis=-1); yours concatenates along axis {merge.axis}.",
            case,
        )
    merge_node = first_conv.input._keras_history
    merge_inputs = merge._inbound_nodes[merge_node[1]].input_tensors
    if len(merge_inputs) != 2 or producer(merge_inputs[0]) is not up:
        fail(
            name,
            "concatenate the transposed convolution's output first, then the skip connection "
            "(contractive_input): [up, contractive_input].",
            case,
        )
    if shape_of(output) != (None, 12, 16, 16):
        fail(
            name,
            f"its output has shape {shape_of(output)}; it should have the skip connection's height and width "
            f"and n_filters channels, (None, 12, 16, 16).\n  Your layers:\n{layer_table(model)}",
            case,
        )
    require_convolutions(name, model, 2, 16)
    report_success(name)


@visible_check
def check_unet_model(unet_model):
    """Check unet_model: shapes, the blocks' count and dropout, logits without softmax, and the parameter count."""
    import keras

    name = "unet_model"
    # the unwrapped checks raise even in grading mode, so a broken block is named here
    require_helpers_pass(
        name,
        unet_model,
        {"conv_block": check_conv_block.__wrapped__, "upsampling_block": check_upsampling_block.__wrapped__},
    )
    case = "input_size=(96, 128, 3), n_filters=32, n_classes=12"
    model = call_student(name, unet_model, (96, 128, 3), n_filters=32, n_classes=12, case=case)
    if not isinstance(model, keras.Model):
        fail(name, f"it should return a Keras model, but it returned {shape_text(model)}.")
    if tuple(model.input_shape) != (None, 96, 128, 3):
        fail(
            name,
            f"the model's input shape is {tuple(model.input_shape)}; it should be (None, 96, 128, 3): "
            f"build the Input from input_size.",
            case,
        )
    if tuple(model.output_shape) != (None, 96, 128, 12):
        fail(
            name,
            f"the model's output shape is {tuple(model.output_shape)}; it should give n_classes numbers for "
            f"every pixel, (None, 96, 128, 12).",
            case,
        )
    for kind, count in (("MaxPooling2D", 4), ("Conv2DTranspose", 4)):
        if len(layers_of(model, kind)) != count:
            fail(
                name,
                f"it should have {count} {kind} layers (one per {'down' if kind == 'MaxPooling2D' else 'up'} "
                f"block); yours has {len(layers_of(model, kind))}.",
                case,
            )
    rates = sorted(round(float(layer.rate), 6) for layer in layers_of(model, "Dropout"))
    if rates != [0.3, 0.3]:
        fail(
            name,
            f"dropout_prob=0.3 belongs to the two deepest conv_blocks only (the fourth and the bottleneck); "
            f"your model's Dropout rates are {rates}.",
            case,
        )
    last = model.layers[-1]
    activation = str(getattr(getattr(last, "activation", None), "__name__", type(last).__name__)).lower()
    if type(last).__name__ != "Conv2D" or tuple(last.kernel_size) != (1, 1) or activation != "linear":
        fail(
            name,
            "the last layer should be a Conv2D with n_classes filters of 1 x 1 and no activation: the model "
            "returns logits, and the loss applies the softmax.",
            case,
        )
    if model.count_params() != UNET_PARAMS:
        fail(
            name,
            f"the model has {model.count_params():,} parameters; the U-Net of the exercise has {UNET_PARAMS:,}. "
            f"Check the filters of each block (n_filters doubled at every level down, halved on the way up), "
            f"which skip each up block receives, and the last two convolutions.",
            case,
        )
    case = "input_size=(32, 48, 1), n_filters=2, n_classes=5"
    small = call_student(name, unet_model, (32, 48, 1), n_filters=2, n_classes=5, case=case)
    if not isinstance(small, keras.Model) or tuple(small.output_shape) != (None, 32, 48, 5):
        fail(
            name,
            f"called with {case}, its output shape is {getattr(small, 'output_shape', None)}; it should be "
            f"(None, 32, 48, 5): use the arguments input_size, n_filters and n_classes instead of fixed values.",
        )
    report_success(name)
