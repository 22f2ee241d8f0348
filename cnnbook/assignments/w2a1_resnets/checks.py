"""Visible checks for w2a1_resnets: the identity block, the convolutional block and ResNet-50 in Keras.

Each ``check_<function>(func)`` builds the student's block or model on small symbolic inputs and checks
what the exercise states in words: the output's shape, the layers of the main path and the shortcut
(kinds, kernel sizes, strides, padding, filters, batch normalisation over the channels), that every
convolution takes its kernel from ``initializer(seed=0)``, and two behaviours that follow from the
design without any reference: with every kernel at zero an identity block returns ReLU(X), and batch
normalisation makes training mode and inference mode give different outputs. ResNet50 is checked for
its parameter count, its stages and its output. Messages name layers and arguments, never numbers the
function should compute.

Used by: solutions/w2a1_resnets/w2a1_resnets.ipynb
"""

import re
import types

import numpy as np

from cnnbook.assignments.w2a1_resnets.adapter import stand_in_blocks
from cnnbook.checks import fail, report_success, visible_check

__all__ = [
    "check_identity_block",
    "check_convolutional_block",
    "check_ResNet50",
    "RESNET50_PARAMETERS",
    "RESNET50_STAGES",
]

RESNET50_PARAMETERS = 23_600_006
# (blocks, channels after the stage, height = width of its maps) for a 64 x 64 input
RESNET50_STAGES = ((3, 256, 15), (4, 512, 8), (6, 1024, 4), (3, 2048, 2))


# ----------------------------------------------------------------------------------------------
# Building and reading a block
# ----------------------------------------------------------------------------------------------


def constant_initializer(value):
    """Return a factory initializer(seed=0) of keras.initializers.Constant(value), as the exercise calls it."""
    import keras

    def initializer(seed=0):
        return keras.initializers.Constant(value)

    return initializer


def error_text(exc):
    """Return an exception's message without terminal colour codes, cut to 300 characters, with a hint where one
    helps."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # Keras marks words in bold for terminals
    text = text if len(text) <= 300 else text[:300] + " ..."
    lowered = text.lower()
    if "incompatible shapes" in lowered or "broadcast" in lowered:
        text += (
            " Hint: the two inputs of the addition have different shapes; print the .shape of the main path "
            "after each layer and compare it with the shortcut's."
        )
    elif "zero or negative" in lowered:
        text += (
            " Hint: the maps became too small before this layer: a stride is applied too often; check the "
            "stem and each stage's stride (stage 2's convolutional block has s=1, the others s=2)."
        )
    return text


def call_builder(name, func, *args, case, **kwargs):
    """Call the student's block or model builder; an exception becomes a failure that says what it was."""
    try:
        return func(*args, **kwargs)
    except Exception as exc:
        fail(name, f"raised {type(exc).__name__}: {error_text(exc)}", case)


def build_block(name, block, input_shape, *args, **kwargs):
    """Call the student's block on keras.Input(input_shape) and return it as a keras.Model; fail in plain words."""
    import keras

    X = keras.Input(shape=input_shape)
    arguments = ", ".join(
        [repr(a) for a in args]
        + [f"{k}={'a factory of a Constant initializer' if k == 'initializer' else repr(v)}" for k, v in kwargs.items()]
    )
    out = call_builder(
        name, block, X, *args, case=f"X = keras.Input(shape={input_shape}), then {name}(X, {arguments})", **kwargs
    )
    if not isinstance(out, keras.KerasTensor):
        what = "None (is the return statement missing?)" if out is None else type(out).__name__
        fail(
            name,
            f"it should return the output tensor of its last layer (the ReLU after the addition); it returned {what}.",
        )
    return keras.Model(X, out)


def layers_of(model, kind):
    """Return the layers of `model` of class name `kind`, in the order the graph runs them."""
    return [layer for layer in model.operations if type(layer).__name__ == kind]


def source_of(layer):
    """Return the layer or operation whose output `layer` reads (its first input), or None for the model's input."""
    tensor = layer._inbound_nodes[0].input_tensors[0]
    operation = tensor._keras_history.operation
    return None if type(operation).__name__ == "InputLayer" else operation


def readers_of(model, layer):
    """Return the layers and operations of `model` that read the output of `layer`."""
    return [
        op
        for op in model.operations
        if type(op).__name__ != "InputLayer"
        and any(t._keras_history.operation is layer for t in op._inbound_nodes[0].input_tensors)
    ]


def pair(value):
    """Return a kernel size or stride as a pair: 3 -> (3, 3)."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def check_batch_norms(name, model, convs):
    """Fail unless each Conv2D is read by a BatchNormalization over the channel axis (axis=3)."""
    for k, conv in enumerate(convs):
        norms = [op for op in readers_of(model, conv) if type(op).__name__ == "BatchNormalization"]
        if not norms:
            fail(
                name,
                f"{conv_words(k, len(convs))} should be followed by a BatchNormalization layer; yours is "
                f"followed by {describe_readers(model, conv)}.",
            )
        axis = norms[0].axis
        axis = axis[0] if isinstance(axis, (list, tuple)) and len(axis) == 1 else axis
        if axis not in (3, -1):
            fail(
                name,
                f"the BatchNormalization after {conv_words(k, len(convs))} normalises axis {axis}; it "
                f"should normalise the channels, axis=3.",
            )


def conv_words(k, count):
    """Words for the k-th convolution of a block's main path: "the first Conv2D (1x1)"..."""
    words = (
        "the first Conv2D (1 x 1)",
        "the second Conv2D (f x f)",
        "the third Conv2D (1 x 1)",
        "the shortcut's Conv2D",
    )
    return words[k] if count in (3, 4) and k < 4 else f"Conv2D number {k + 1}"


def describe_readers(model, layer):
    """Words for what reads a layer's output: "a ReLU", "nothing"..."""
    readers = [type(op).__name__ for op in readers_of(model, layer)]
    return " and ".join(f"{'an' if r[0] in 'AEIOU' else 'a'} {r}" for r in readers) if readers else "nothing"


def check_kernels_from_initializer(name, block, input_shape, args, kwargs):
    """Fail unless every Conv2D of the block takes its kernel from initializer(seed=0)."""
    model = build_block(name, block, input_shape, *args, **kwargs, initializer=constant_initializer(0.5))
    for k, conv in enumerate(layers_of(model, "Conv2D")):
        if not np.allclose(np.asarray(conv.kernel), 0.5):
            fail(
                name,
                f"the kernel of {conv_words(k, len(layers_of(model, 'Conv2D')))} is not made by the "
                f"initializer argument: give every Conv2D kernel_initializer=initializer(seed=0).",
            )


def check_modes(name, block, input_shape, args, kwargs):
    """Fail unless batch norm follows the model's mode: outputs differ between training and inference, and a
    plain call model(X) behaves as inference."""
    model = build_block(name, block, input_shape, *args, **kwargs, initializer=constant_initializer(0.2))
    X = np.random.default_rng(3).standard_normal((4, *input_shape)).astype(np.float32)
    training, inference, plain = (np.asarray(model(X, training=mode)) for mode in (True, False, None))
    if np.allclose(training, inference, atol=1e-6):
        fail(
            name,
            "the block gives the same output in training mode and in inference mode. Batch normalisation "
            "should use the batch's statistics while training and its moving averages when predicting.",
        )
    if not np.allclose(plain, inference, atol=1e-5):
        fail(
            name,
            "called without a mode, model(X), the block should behave as in inference mode; yours uses the "
            "batch's statistics. Call each BatchNormalization layer on X alone, without training=...: Keras "
            "passes the mode to every layer itself (training=True while fitting, False when predicting).",
        )


def is_relu(operation):
    """Return True for a ReLU however it is spelled: layers.ReLU(), layers.Activation("relu"), keras.ops.relu."""
    kind = type(operation).__name__
    if kind in ("ReLU", "Relu"):
        return True
    if kind == "Activation":
        activation = operation.get_config().get("activation")
        return "relu" == (activation if isinstance(activation, str) else getattr(activation, "__name__", ""))
    return False


def inputs_of(operation):
    """Return the layers and operations whose outputs `operation` reads (None for the model's input)."""
    found = []
    for tensor in operation._inbound_nodes[0].input_tensors:
        source = tensor._keras_history.operation
        found.append(None if type(source).__name__ == "InputLayer" else source)
    return found


def check_addition(name, model, shortcut_is_X):
    """Fail unless the block ends with ReLU(main path + shortcut), the sum of two batch-normalised (or X) tensors."""
    last = model.output._keras_history.operation
    if type(last).__name__ == "Add" and any(source is not None and is_relu(source) for source in inputs_of(last)):
        fail(
            name,
            "the block ends with the addition, after a ReLU on the main path: the last ReLU must come AFTER "
            "the addition of the shortcut, ReLU(main path + shortcut), not before it.",
        )
    if not is_relu(last):
        fail(
            name,
            f"the block should end with a ReLU applied to the sum of the main path and the shortcut; yours "
            f"ends with {'an' if type(last).__name__[0] in 'AEIOU' else 'a'} {type(last).__name__}.",
        )
    added = inputs_of(last)[0]
    if type(added).__name__ != "Add":
        fail(name, "the last ReLU should be applied to the sum of the main path and the shortcut (layers.Add() or +).")
    sources = inputs_of(added)
    if any(source is not None and is_relu(source) for source in sources):
        fail(
            name,
            "a ReLU is applied before the addition: the output of the last BatchNormalization goes into the "
            "addition as it is, and the block's final ReLU comes AFTER the addition.",
        )
    if shortcut_is_X and None not in sources:
        fail(name, "the shortcut should be the block's input X itself, added unchanged to the main path.")
    if any(source is not None and type(source).__name__ != "BatchNormalization" for source in sources):
        fail(
            name,
            "each input of the addition should come straight from a BatchNormalization layer"
            + (" (or be X itself, the shortcut)." if shortcut_is_X else "."),
        )


def check_main_path(name, convs, f, filters, s=1):
    """Fail unless the main path's Conv2D layers `convs` are 1x1 (stride s, valid), f x f (same), 1x1 (valid), F1, F2,
    F3 filters."""
    expected = (
        (filters[0], (1, 1), (s, s), "valid"),
        (filters[1], (f, f), (1, 1), "same"),
        (filters[2], (1, 1), (1, 1), "valid"),
    )
    for k, (conv, (n_filters, kernel, stride, padding)) in enumerate(zip(convs, expected)):
        where = conv_words(k, 3)
        if pair(conv.kernel_size) != kernel:
            fail(
                name, f"{where} of the main path should have kernel_size={kernel}; yours has {pair(conv.kernel_size)}."
            )
        if conv.filters != n_filters:
            fail(
                name,
                f"{where} of the main path should have F{k + 1} = filters[{k}] = {n_filters} filters; "
                f"yours has {conv.filters}.",
            )
        if pair(conv.strides) != stride:
            where_s = (
                "the stride s goes on the first 1 x 1 convolution of the main path"
                if s > 1 or k == 0
                else "only the first 1 x 1 convolution of a convolutional block has a stride"
            )
            fail(
                name,
                f"{where} of the main path should have strides={stride} ({where_s}); yours has {pair(conv.strides)}.",
            )
        if conv.padding != padding:
            why = "so the block keeps the height and width" if padding == "same" else "as a 1 x 1 convolution"
            fail(
                name,
                f"{where} of the main path should use padding='{padding}' ({why}); yours uses "
                f"padding='{conv.padding}'.",
            )


# ----------------------------------------------------------------------------------------------
# identity_block
# ----------------------------------------------------------------------------------------------


@visible_check
def check_identity_block(identity_block):
    """Check identity_block(X, f, filters, initializer): shape, main path, batch norm, initializer, the shortcut,
    modes."""
    name = "identity_block"
    input_shape, f, filters = (5, 5, 6), 3, [2, 4, 6]
    model = build_block(name, identity_block, input_shape, f, filters)
    if tuple(model.output.shape) != (None, *input_shape):
        fail(
            name,
            f"for X of shape (m, 5, 5, 6) and filters {filters} the block should return a tensor of the "
            f"same shape (m, 5, 5, 6); yours has shape {tuple(model.output.shape)}.",
        )
    convs = layers_of(model, "Conv2D")
    if len(convs) != 3:
        fail(name, f"the main path should have three Conv2D layers (1 x 1, f x f, 1 x 1); yours has {len(convs)}.")
    check_main_path(name, convs, f, filters)
    norms = layers_of(model, "BatchNormalization")
    check_batch_norms(name, model, convs)
    if len(norms) != 3:
        fail(
            name,
            f"the block should have three BatchNormalization layers, one after each Conv2D; yours has {len(norms)}.",
        )
    check_addition(name, model, shortcut_is_X=True)
    check_kernels_from_initializer(name, identity_block, (4, 4, 3), (2, [2, 2, 3]), {})

    # With every kernel at zero the main path outputs zeros (batch norm keeps them at zero), so the
    # block reduces to ReLU(0 + X): a test of the shortcut and the final ReLU that needs no reference.
    zeros = build_block(name, identity_block, input_shape, f, filters, initializer=constant_initializer(0.0))
    X = np.random.default_rng(7).standard_normal((3, *input_shape)).astype(np.float32)
    for training in (False, True):
        out = np.asarray(zeros(X, training=training))
        if np.allclose(out, np.maximum(X, 0), atol=1e-5):
            continue
        if np.allclose(out, X, atol=1e-5):
            fail(
                name,
                "with every kernel at zero the main path gives zeros, so the block should return "
                "ReLU(0 + X); yours returns X unchanged: the last ReLU must come AFTER the addition "
                "of the shortcut, not before it.",
            )
        if np.allclose(out, 0, atol=1e-5):
            fail(
                name,
                "with every kernel at zero the main path gives zeros, so the block should return "
                "ReLU(0 + X); yours returns zeros: is the shortcut X added to the main path?",
            )
        fail(
            name,
            "with every kernel at zero the main path gives zeros, so the block should return ReLU(0 + X); "
            "yours does not: add the block's input X (the shortcut) to the output of the last "
            "BatchNormalization, then apply one ReLU.",
        )
    check_modes(name, identity_block, (4, 4, 3), (2, [2, 2, 3]), {})
    report_success(name)


# ----------------------------------------------------------------------------------------------
# convolutional_block
# ----------------------------------------------------------------------------------------------


@visible_check
def check_convolutional_block(convolutional_block):
    """Check convolutional_block(X, f, filters, s, initializer): shapes for s = 2, 1 and the default, the paths,
    modes."""
    name = "convolutional_block"
    input_shape, f, filters = (7, 7, 4), 3, [2, 3, 5]
    for s, out_size in ((2, 4), (1, 7), (None, 4)):
        kwargs = {} if s is None else {"s": s}
        model = build_block(name, convolutional_block, input_shape, f, filters, **kwargs)
        want = (None, out_size, out_size, filters[2])
        if tuple(model.output.shape) != want:
            given = "s not given (the default, 2)" if s is None else f"s={s}"
            fail(
                name,
                f"for X of shape (m, 7, 7, 4), filters {filters} and {given}, the block should return "
                f"(m, ceil(n_H / s), ceil(n_W / s), F3) = (m, {out_size}, {out_size}, {filters[2]}); yours "
                f"has shape {tuple(model.output.shape)}.",
            )
    model = build_block(name, convolutional_block, input_shape, f, filters, s=2)
    convs = layers_of(model, "Conv2D")
    if len(convs) != 4:
        fail(
            name,
            f"the block should have four Conv2D layers (three on the main path, one on the shortcut); "
            f"yours has {len(convs)}.",
        )
    reading_X = [conv for conv in convs if source_of(conv) is None]
    if len(reading_X) != 2:
        fail(
            name,
            f"two Conv2D layers should read the block's input X: the main path's first 1 x 1 convolution "
            f"and the shortcut's; yours has {len(reading_X)}.",
        )
    # The shortcut is the convolution on X with F3 filters whose batch norm feeds the addition directly.
    shortcut = next((c for c in reading_X if c.filters == filters[2]), None)
    if shortcut is None:
        fail(
            name,
            f"the shortcut's Conv2D should have F3 = filters[2] = {filters[2]} filters, so its output "
            f"can be added to the main path's.",
        )
    if pair(shortcut.kernel_size) != (1, 1) or shortcut.padding != "valid":
        fail(name, "the shortcut's Conv2D should be a 1 x 1 convolution with padding='valid'.")
    if pair(shortcut.strides) != (2, 2):
        fail(name, "the shortcut's Conv2D should have strides=(s, s), so the shortcut shrinks X like the main path.")
    main = [c for c in convs if c is not shortcut]
    check_main_path(name, main, f, filters, s=2)
    check_batch_norms(name, model, main + [shortcut])
    if len(layers_of(model, "BatchNormalization")) != 4:
        fail(
            name,
            f"the block should have four BatchNormalization layers, one after each Conv2D; yours has "
            f"{len(layers_of(model, 'BatchNormalization'))}.",
        )
    check_addition(name, model, shortcut_is_X=False)
    check_kernels_from_initializer(name, convolutional_block, (4, 4, 3), (2, [2, 2, 3]), {"s": 2})
    check_modes(name, convolutional_block, (4, 4, 3), (2, [2, 2, 3]), {"s": 2})
    report_success(name)


# ----------------------------------------------------------------------------------------------
# ResNet50
# ----------------------------------------------------------------------------------------------


def additions_of(model):
    """Return (channels, height) of the output of every addition in `model`, in the order the graph runs them."""
    found = []
    for op in model.operations:
        if type(op).__name__ in ("Add", "add"):
            shape = op._inbound_nodes[0].output_tensors[0].shape
            found.append((shape[-1], shape[1]))
    return found


def describe_stages(additions):
    """Words for the residual blocks found, grouped by their channels: "3 blocks of 256 channels, ..."."""
    groups = []
    for channels, _ in additions:
        if groups and groups[-1][1] == channels:
            groups[-1][0] += 1
        else:
            groups.append([1, channels])
    return ", then ".join(f"{n} block{'s' if n > 1 else ''} of {c} channels" for n, c in groups) or "no residual blocks"


@visible_check
def check_ResNet50(ResNet50):
    """Check ResNet50(): input and output shapes, the stages of blocks, the parameter count, the head, probabilities."""
    import keras

    name = "ResNet50"
    model = call_builder(name, ResNet50, case="ResNet50() with its default arguments")
    if not isinstance(model, keras.Model):
        fail(
            name,
            f"it should return a keras Model (keras.Model(inputs=X_input, outputs=X)); it returned "
            f"{'None (is the return statement missing?)' if model is None else type(model).__name__}.",
        )
    if tuple(model.input_shape) != (None, 64, 64, 3):
        fail(
            name,
            f"with the default arguments the model's input should have shape (m, 64, 64, 3), from "
            f"input_shape; yours has {tuple(model.input_shape)}.",
        )
    if tuple(model.output_shape) != (None, 6):
        fail(
            name,
            f"with the default arguments the model should output one probability per class, shape "
            f"(m, classes) = (m, 6); yours has {tuple(model.output_shape)}.",
        )
    additions = additions_of(model)
    want = [(c, h) for n, c, h in RESNET50_STAGES for _ in range(n)]
    if [c for c, _ in additions] != [c for c, _ in want]:
        fail(
            name,
            f"the residual blocks should come in four stages: 3 blocks of 256 channels, then 4 of 512, "
            f"then 6 of 1024, then 3 of 2048 (one convolutional block and the identity blocks in each); "
            f"yours has {describe_stages(additions)}. Check each stage's filter list and block count.",
        )
    stage_of_block = [stage for stage, (n, _, _) in enumerate(RESNET50_STAGES, start=2) for _ in range(n)]
    for stage, (_, got), (_, right) in zip(stage_of_block, additions, want):
        if got != right:
            stride = "s=1" if stage == 2 else "s=2"
            fail(
                name,
                f"the maps of stage {stage} should be {right} x {right} for a 64 x 64 input; yours are "
                f"{got} x {got}. Check the stem (zero padding 3, 7 x 7 convolution with stride 2, 3 x 3 max "
                f"pooling with stride 2) and that stage {stage}'s convolutional block has {stride}.",
            )
    flatten = layers_of(model, "Flatten")
    if not flatten or type(source_of(flatten[0])).__name__ != "AveragePooling2D":
        fail(name, "the last stage should be followed by AveragePooling2D((2, 2)), then Flatten, then the Dense layer.")
    if model.count_params() != RESNET50_PARAMETERS:
        fail(
            name,
            f"with the default arguments the model should have {RESNET50_PARAMETERS:,} parameters; yours "
            f"has {model.count_params():,}. Compare each layer with the table: the stem's Conv2D(64, (7, 7)) "
            f"and BatchNormalization(axis=3), and the Dense layer with `classes` units.",
        )
    X = np.random.default_rng(5).uniform(0, 1, (2, 64, 64, 3)).astype(np.float32)
    probabilities = np.asarray(model(X, training=False))
    if np.any(probabilities < 0) or not np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-4):
        fail(
            name,
            "the outputs should be class probabilities (non-negative, summing to 1 for each image): give "
            "the Dense layer activation='softmax'.",
        )
    # Only the shapes matter here, so the blocks are stand-ins of the right shapes: a second full build of
    # ResNet-50 would add seconds to every run of this check (and of the grader).
    namespace = ResNet50.__globals__ if isinstance(ResNet50, types.FunctionType) else {}
    with stand_in_blocks(namespace):
        other = call_builder(
            name, ResNet50, input_shape=(72, 72, 1), classes=3, case="ResNet50(input_shape=(72, 72, 1), classes=3)"
        )
    if (
        not isinstance(other, keras.Model)
        or tuple(other.input_shape) != (None, 72, 72, 1)
        or tuple(other.output_shape) != (None, 3)
    ):
        fail(
            name,
            "ResNet50(input_shape=(72, 72, 1), classes=3) should take inputs of shape (m, 72, 72, 1) and "
            "output (m, 3); yours does not. "
            "Use the arguments: keras.Input(input_shape) and a Dense layer with `classes` units.",
        )
    report_success(name)
