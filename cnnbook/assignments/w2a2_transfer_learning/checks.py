"""Visible checks for w2a2_transfer_learning: the augmentation model, the transfer model, the fine-tuning step.

The checks build the student's models on small stand-ins (cnnbook.assignments.w2a2_transfer_learning.adapter:
an augmentation model and an untrained base of a few layers with MobileNetV2's interface), so they run in
a second and load no weights. Each says in plain words which property the exercise asks for is missing:
a layer, its mode or factor, the given models used, the frozen base and its inference mode, the
preprocessing, the logit at the end, which layers train after fine-tuning and how the model is compiled.

Used by: solutions/w2a2_transfer_learning/w2a2_transfer_learning.ipynb
"""

import numpy as np

from cnnbook.checks import (
    call_student,
    fail,
    final_activation,
    report_success,
    require_keras_model,
    shape_text,
    visible_check,
)

__all__ = ["check_data_augmenter", "check_kite_model", "check_fine_tune"]

IMG_SHAPE = (160, 160, 3)


def layer_kinds(model) -> list[str]:
    """Return the class names of a model's layers, in order."""
    return [type(layer).__name__ for layer in model.layers]


@visible_check
def check_data_augmenter(data_augmenter):
    """Check data_augmenter(): a Sequential of a horizontal RandomFlip and a RandomRotation of 0.2, identity at
    inference."""
    import keras

    name = "data_augmenter"
    model = call_student(name, data_augmenter)
    if not isinstance(model, keras.Sequential):
        fail(
            name,
            f"it should return a keras.Sequential model holding the two random layers; it returned "
            f"{shape_text(model)}.",
        )
    kinds = layer_kinds(model)
    for kind in ("RandomFlip", "RandomRotation"):
        if kinds.count(kind) != 1:
            fail(name, f"the model should hold one {kind} layer; its layers are {kinds}.")
    if len(kinds) != 2:
        fail(name, f"the model should hold exactly two layers, RandomFlip and RandomRotation; its layers are {kinds}.")
    flip = next(layer for layer in model.layers if type(layer).__name__ == "RandomFlip")
    if flip.get_config().get("mode") != "horizontal":
        fail(
            name,
            f"RandomFlip's mode is {flip.get_config().get('mode')!r}; the exercise asks for 'horizontal' "
            f"(a kite seen in a mirror is still a kite, but an upside-down sky is not a photo we will meet). "
            f"Note that RandomFlip() flips both ways by default.",
        )
    rotation = next(layer for layer in model.layers if type(layer).__name__ == "RandomRotation")
    factor = rotation.get_config().get("factor")
    factor = tuple(float(f) for f in factor) if isinstance(factor, (list, tuple)) else (-float(factor), float(factor))
    if not np.allclose(factor, (-0.2, 0.2)):
        fail(
            name,
            f"RandomRotation turns images by up to {max(np.abs(factor)):g} of a full turn; the exercise asks "
            f"for a factor of 0.2 (the factor is a fraction of 360 degrees, not an angle).",
        )
    images = np.random.default_rng(0).uniform(0, 255, size=(2, *IMG_SHAPE)).astype("float32")
    if not np.allclose(np.asarray(model(images, training=False)), images):
        fail(name, "outside training (training=False) the model should leave images unchanged.")
    report_success(name)


def base_call(model, base):
    """Return the description of the node where `model` calls `base` (cnnbook.grading.graph_export), or None."""
    from cnnbook.grading.graph_export import describe_model

    return next((n for n in describe_model(model)["nodes"] if (n.get("nested") or {}).get("name") == base.name), None)


def base_input_values(model, base, images):
    """Return what `model` feeds its base when given `images` (inference mode)."""
    import keras

    node = next(n for n in base._inbound_nodes if n.operation is base)
    feeder = keras.Model(model.inputs[0], node.input_tensors[0])
    return np.asarray(feeder(images, training=False))


@visible_check
def check_kite_model(kite_model):
    """Check kite_model(image_shape, data_augmentation, base_model) on a small stand-in base."""

    from cnnbook.assignments.w2a2_transfer_learning.adapter import stand_in_augmentation, stand_in_base

    name = "kite_model"
    augmentation, base = stand_in_augmentation(), stand_in_base(IMG_SHAPE)
    case = "image_shape=(160, 160), a given augmentation model and a small stand-in base"
    model = call_student(name, kite_model, IMG_SHAPE[:2], augmentation, base, case=case)
    require_keras_model(name, model)
    if tuple(model.input_shape) != (None, *IMG_SHAPE) or tuple(model.output_shape) != (None, 1):
        fail(
            name,
            f"the model maps {model.input_shape} to {model.output_shape}; it should map (None, 160, 160, 3) "
            f"images to (None, 1), one logit per image.",
            case,
        )
    if not any(layer is augmentation for layer in model.layers):
        fail(
            name,
            "the model does not use the data_augmentation model it is given: apply it to the inputs first "
            "(do not build a new one inside kite_model).",
            case,
        )
    fed_to_augmentation = [t for node in augmentation._inbound_nodes for t in node.input_tensors]
    if not any(t is model.inputs[0] for t in fed_to_augmentation):
        fail(
            name,
            "the data_augmentation model should be the first step: apply it to the inputs first, before the "
            "preprocessing (rotating already scaled pixels would fill the corners with other values).",
            case,
        )
    if not any(layer is base for layer in model.layers):
        fail(name, "the model does not use the base_model it is given.", case)
    if base.trainable_weights:
        fail(name, "the base should be frozen (base_model.trainable = False): only the new layers on top learn.", case)
    call = base_call(model, base)
    if call is None or call.get("constants") != [False]:
        fail(name, "call the base in inference mode: base_model(X, training=False).", case)
    low_high = np.stack([np.zeros(IMG_SHAPE, "float32"), np.full(IMG_SHAPE, 255.0, "float32")])
    fed = base_input_values(model, base, low_high)
    if not (np.allclose(fed[0], -1, atol=1e-3) and np.allclose(fed[1], 1, atol=1e-3)):
        fail(
            name,
            f"the base receives pixels of 0 and 255 as {fed[0].mean():.3g} and {fed[1].mean():.3g}; it expects "
            f"them scaled to -1 and 1 by preprocess_input, between the augmentation and the base.",
            case,
        )
    kinds = layer_kinds(model)
    if "GlobalAveragePooling2D" not in kinds:
        fail(
            name,
            f"the base's feature maps should be averaged by GlobalAveragePooling2D; the model's layers are {kinds}.",
            case,
        )
    dropouts = [layer for layer in model.layers if type(layer).__name__ == "Dropout"]
    if len(dropouts) != 1 or not np.isclose(dropouts[0].rate, 0.2):
        fail(
            name,
            f"the head should have one Dropout layer with rate 0.2; the model's layers are {kinds}"
            + (f" (rate {dropouts[0].rate:g})" if len(dropouts) == 1 else "")
            + ".",
            case,
        )
    if final_activation(model) not in ("linear", "dense") or kinds[-1] != "Dense":
        fail(
            name,
            "the last layer should be Dense(1) without an activation: the model outputs a logit, and the "
            "loss applies the sigmoid (BinaryCrossentropy(from_logits=True)).",
            case,
        )
    other_case = "image_shape=(96, 128)"
    other = call_student(
        name, kite_model, (96, 128), stand_in_augmentation(), stand_in_base((96, 128, 3)), case=other_case
    )
    require_keras_model(name, other)
    if tuple(other.input_shape) != (None, 96, 128, 3):
        fail(
            name,
            f"with image_shape=(96, 128) the model's input shape is {other.input_shape}: build the input "
            f"from the image_shape argument.",
            other_case,
        )
    report_success(name)


def describe_trainable(flags) -> str:
    """Return which layers train, in words ("layers 12 to 15")."""
    on = [i for i, f in enumerate(flags) if f]
    if not on:
        return "none of its layers"
    if on == list(range(on[0], on[-1] + 1)):
        return f"layers {on[0]} to {on[-1]}"
    return "layers " + ", ".join(map(str, on))


@visible_check
def check_fine_tune(fine_tune):
    """Check fine_tune(model, base_model, fine_tune_at, base_learning_rate) on a classifier around a frozen stand-in
    base."""
    import keras

    from cnnbook.assignments.w2a2_transfer_learning.adapter import compile_summary, stand_in_base, stand_in_classifier

    name = "fine_tune"
    fine_tune_at, base_learning_rate = 10, 0.002
    base = stand_in_base((64, 64, 3))
    base.trainable = False
    model = stand_in_classifier((64, 64, 3), base)
    first = keras.optimizers.Adam(learning_rate=base_learning_rate)
    model.compile(optimizer=first, loss=keras.losses.BinaryCrossentropy(from_logits=True))
    n = len(base.layers)
    case = f"fine_tune_at={fine_tune_at}, base_learning_rate={base_learning_rate}, a frozen base of {n} layers"
    value = call_student(name, fine_tune, model, base, fine_tune_at, base_learning_rate, case=case)
    flags = [layer.trainable for layer in base.layers]
    if flags != [i >= fine_tune_at for i in range(n)] or not base.trainable:
        fail(
            name,
            f"layers {fine_tune_at} to {n - 1} of the base should train and the ones before stay frozen; in "
            f"yours {describe_trainable(flags) if base.trainable else 'none of its layers'} train. Unfreeze "
            f"the base first (base_model.trainable = True), then freeze base_model.layers[:fine_tune_at].",
            case,
        )
    if model.optimizer is first:
        fail(name, "compile the model again after changing which layers train.", case)
    compiled = compile_summary(model)
    if (
        compiled.get("optimizer") != "Adam"
        or compiled.get("learning_rate") is None
        or not np.isclose(compiled["learning_rate"], base_learning_rate / 10, rtol=1e-4)
    ):
        fail(
            name,
            f"compile with Adam at a tenth of base_learning_rate; yours uses {compiled.get('optimizer')} at "
            f"{compiled.get('learning_rate') or 0:.3g}.",
            case,
        )
    loss = compiled.get("loss")
    if not (
        isinstance(loss, dict)
        and loss.get("class_name") == "BinaryCrossentropy"
        and (loss.get("config") or {}).get("from_logits")
    ):
        fail(name, "the loss should be BinaryCrossentropy(from_logits=True): the model outputs a logit.", case)
    metrics = compiled.get("metrics") or []
    if not any(
        isinstance(m, dict)
        and m.get("class_name") == "BinaryAccuracy"
        and float((m.get("config") or {}).get("threshold", 0.5)) == 0.0
        for m in metrics
    ):
        fail(
            name,
            "measure the accuracy with keras.metrics.BinaryAccuracy(threshold=0.0): a logit above 0 means "
            "the second class.",
            case,
        )
    if value is not model:
        fail(name, f"it should return the model it was given; it returned {shape_text(value)}.", case)
    report_success(name)
