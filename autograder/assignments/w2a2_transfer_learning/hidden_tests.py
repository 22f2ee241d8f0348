"""Hidden tests for w2a2_transfer_learning: augmentation, the transfer model, the fine-tuning step.

Every builder is called through an adapter of cnnbook/assignments/w2a2_transfer_learning/adapter.py, in the
kernel for the student and in the grader for the reference, and judged from what it reports:

- data_augmenter: the graph of the returned Sequential (layer kinds, mode, factor). The two random layers
  may come in either order: a horizontal flip and a rotation by a symmetric random angle commute in
  distribution, so both orders augment alike.
- kite_model: built on stand-ins (a given augmentation model and a small untrained base, so no weights are
  loaded), for the default image shape and a drawn one. Checked in this order, each with its own message:
  the given augmentation model and base are used (not rebuilt); the base is frozen and called with
  training=False; the output is a logit; then the whole graph (kind, arguments and order of every layer:
  the preprocessing may be written as mobilenet_v2.preprocess_input, x / 127.5 - 1 or
  layers.Rescaling(1 / 127.5, offset=-1), which compute the same thing) and the outputs in inference mode
  with every weight set from its kind and shape.
- fine_tune: on a small classifier around a frozen stand-in base, compiled as after the first phase, with a
  drawn fine_tune_at and learning rate: which of the base's layers train, that the model is compiled again,
  with Adam at a tenth of the learning rate, binary cross-entropy from logits and an accuracy that
  thresholds logits at 0, and that the model is returned.
"""

import numpy as np

from autograder.assignments.w2a2_transfer_learning import reference
from autograder.judging.graph_comparison import canonical_graph, graph_problem, outputs_problem
from autograder.judging.replay import replayed
from autograder.judging.toolkit import reference_report, reject, student_report
from cnnbook.assignments.w2a2_transfer_learning.adapter import AUGMENTATION_NAME, BASE_FILTERS, BASE_NAME
from cnnbook.grading.adapters import adapt

GRADED = ("data_augmenter", "kite_model", "fine_tune")
ADAPTERS = {name: f"w2a2_transfer_learning.{name}" for name in GRADED}
BASE_LAYERS = 1 + 3 * len(BASE_FILTERS)  # the stand-in base: its input, then convolution, BN, ReLU6 per stage


# ----------------------------------------------------------------------------------------------
# data_augmenter
# ----------------------------------------------------------------------------------------------


def rotation_then_flip():
    """The reference's two layers in the other order (an equally good augmentation)."""
    import keras

    return keras.Sequential([keras.layers.RandomRotation(0.2), keras.layers.RandomFlip("horizontal")])


def test_data_augmenter(func, seed):
    """data_augmenter(): a Sequential of RandomFlip("horizontal") and RandomRotation(0.2), in either order."""
    # Nothing to draw: the function takes no argument. It is built on the notebook's image shape, since a
    # Sequential may start with keras.Input(shape=IMG_SIZE + (3,)).
    spec = {"image_shape": list(reference.IMG_SIZE)}
    case = "data_augmenter(), applied to images of 160 x 160 x 3"
    got = student_report("data_augmenter", func, spec, case)
    want = reference_report(ADAPTERS["data_augmenter"], reference.data_augmenter, spec)
    problem = graph_problem(got["graph"], want["graph"], "data_augmenter")
    if (
        problem
        and graph_problem(
            got["graph"], adapt(ADAPTERS["data_augmenter"], rotation_then_flip)(spec)["graph"], "data_augmenter"
        )
        is None
    ):
        problem = None
    if problem:
        reject(problem, case)


# ----------------------------------------------------------------------------------------------
# kite_model
# ----------------------------------------------------------------------------------------------


def nested_node(graph, name):
    """Return the raw node of the model named `name` nested in `graph`, or None."""
    return next((n for n in graph["nodes"] if (n.get("nested") or {}).get("name") == name), None)


def head_problem(got):
    """Return what is wrong with the output layer in words (an activation on the logit), or None."""
    try:
        nodes, _, outputs = canonical_graph(got["graph"])
    except ValueError:
        return None
    last = nodes[outputs[0]].kind
    if last in ("Sigmoid", "Softmax"):
        return (
            f"kite_model: the last layer applies a {last.lower()}; it should output a logit: Dense(1) without an "
            f"activation (the loss, BinaryCrossentropy(from_logits=True), applies the sigmoid itself)"
        )
    return None


def composition_problem(got):
    """Return what is wrong with how the given models are used (missing, rebuilt, trainable, training mode), or None."""
    graph, uses = got["graph"], got.get("uses", {})
    others = [n for n in got.get("nested", []) if n not in (AUGMENTATION_NAME, BASE_NAME)]
    if not uses.get(AUGMENTATION_NAME):
        if others:
            return (
                "kite_model: apply the data_augmentation model it is given (X = data_augmentation(inputs)); "
                "yours builds another augmentation model instead"
            )
        return (
            "kite_model: the data_augmentation model it is given is not used: apply it to the inputs first "
            "(X = data_augmentation(inputs))"
        )
    if not uses.get(BASE_NAME):
        return "kite_model: use the base_model it is given (or, when it is None, the one load_mobilenet_base returns)"
    base = nested_node(graph, BASE_NAME)
    if base is None:
        return "kite_model: the base_model is not called in the model's path from the input to the output"
    trainable = sum(base["nested"].get("trainable_layers") or [])
    if base.get("trainable_params"):
        return (
            f"kite_model: the base should be frozen (base_model.trainable = False), so that only the new layers "
            f"learn; {trainable} of its {base['nested'].get('layers')} layers are trainable"
        )
    if base.get("constants") != [False]:
        return (
            "kite_model: call the base with training=False (base_model(X, training=False)), so that its batch "
            "normalisation keeps the statistics it learned, now and later when fine-tuning unfreezes it"
        )
    return None


def preprocessing_hint(got):
    """Return a hint when no step of the student's model rescales the pixels, else an empty string."""
    try:
        nodes, _, _ = canonical_graph(got["graph"])
    except ValueError:
        return ""
    if any(n.kind == "Rescaling" for n in nodes):
        return ""
    return (
        " (the pixels, 0..255, should go through keras.applications.mobilenet_v2.preprocess_input, which maps "
        "them to -1..1 as the base expects, between the augmentation and the base)"
    )


def test_kite_model(func, seed):
    """kite_model(image_shape, data_augmentation, base_model) on the stand-ins, for the default and a drawn shape."""
    rng = np.random.default_rng(seed)
    shapes = [(160, 160), (int(rng.integers(3, 6)) * 32, int(rng.integers(3, 6)) * 32 + int(rng.integers(0, 24)))]
    for image_shape in shapes:
        # one float32 image per case: the cases travel to the kernel, and a cell may print at most 2 MB
        spec = {
            "image_shape": list(image_shape),
            "X": [rng.uniform(0, 255, size=(1, *image_shape, 3)).astype(np.float32)],
            "fill_seed": int(rng.integers(2**31)),
        }
        case = (
            f"kite_model(image_shape={image_shape}, data_augmentation=<a given augmentation model>, "
            f"base_model=<a small stand-in base>)"
        )
        got = student_report("kite_model", func, spec, case)
        want = reference_report(ADAPTERS["kite_model"], reference.kite_model, spec)
        problem = composition_problem(got) or head_problem(got)
        if not problem:
            problem = graph_problem(got["graph"], want["graph"], "kite_model")
            if problem:
                problem += preprocessing_hint(got)
        if not problem and got["graph"].get("trainable_params") != want["graph"].get("trainable_params"):
            problem = (
                f"kite_model: only the new layers after the base should learn: the model should have "
                f"{want['graph']['trainable_params']:,} trainable parameters; yours has "
                f"{got['graph'].get('trainable_params'):,}"
            )
        problem = problem or outputs_problem(got, want, "kite_model")
        if problem:
            reject(problem, case)


# ----------------------------------------------------------------------------------------------
# fine_tune
# ----------------------------------------------------------------------------------------------


def describe_flags(flags):
    """Return which layers train, in words: "layers 7 to 15 train" or "no layer trains"."""
    on = [i for i, f in enumerate(flags) if f]
    if not on:
        return "no layer trains"
    if on == list(range(on[0], on[-1] + 1)):
        return f"layers {on[0]} to {on[-1]} train" if len(on) > 1 else f"only layer {on[0]} trains"
    return f"layers {', '.join(map(str, on))} train"


def trainable_problem(got, want, fine_tune_at):
    """Return what is wrong with which layers of the base train, or None."""
    flags, wanted = got.get("layers_trainable"), want["layers_trainable"]
    if flags == wanted and got.get("base_trainable"):
        return None
    n = len(wanted)
    if not flags or not any(flags) or not got.get("base_trainable"):
        return (
            "fine_tune: no layer of the base trains: unfreeze the base first (base_model.trainable = True; the "
            "model was built with a frozen base), then freeze again the layers before fine_tune_at"
        )
    if all(flags):
        return (
            "fine_tune: every layer of the base trains; freeze again the layers before index fine_tune_at "
            "(base_model.layers[:fine_tune_at]), so that only the top of the base is fine-tuned"
        )
    if flags == [not f for f in wanted]:
        return (
            "fine_tune: the layers from index fine_tune_at on should train and those before it stay frozen; "
            "yours freezes the top of the base and trains its bottom"
        )
    return (
        f"fine_tune: with fine_tune_at={fine_tune_at} in a base of {n} layers, layers {fine_tune_at} to {n - 1} "
        f"should train and the ones before stay frozen; in yours {describe_flags(flags)}"
    )


def is_binary_accuracy_of_logits(metric):
    """Return True for a BinaryAccuracy metric whose threshold is 0 (a logit above 0 is a probability above 0.5)."""
    return (
        isinstance(metric, dict)
        and metric.get("class_name") == "BinaryAccuracy"
        and float((metric.get("config") or {}).get("threshold", 0.5)) == 0.0
    )


def loss_is_from_logits(loss):
    """Return (is binary cross-entropy, from_logits) of a compiled loss given as a string, config or name."""
    if isinstance(loss, dict):
        config = loss.get("config") or {}
        return loss.get("class_name") == "BinaryCrossentropy", bool(config.get("from_logits", False))
    return str(loss) in ("binary_crossentropy", "BinaryCrossentropy"), False


def compile_problem(got, base_learning_rate):
    """Return what is wrong with how the model is compiled for fine-tuning, or None."""
    compiled = got.get("compile") or {}
    if not got.get("recompiled") or not compiled.get("compiled"):
        return (
            "fine_tune: compile the model again (model.compile(...)) after changing which layers train: the "
            "new trainable layers and the new learning rate take effect only then"
        )
    if compiled.get("optimizer") != "Adam":
        return f"fine_tune: the optimizer should be Adam; yours is {compiled.get('optimizer')}"
    rate = compiled.get("learning_rate")
    if rate is None or not np.isclose(rate, base_learning_rate / 10, rtol=1e-4):
        yours = f"{rate:.3g}, {rate / base_learning_rate:.3g} times base_learning_rate" if rate else repr(rate)
        return (
            f"fine_tune: Adam's learning rate should be a tenth of base_learning_rate (small steps, so the "
            f"pretrained weights are only adjusted); yours is {yours}"
        )
    binary, from_logits = loss_is_from_logits(compiled.get("loss"))
    if not binary:
        return "fine_tune: the loss should be binary cross-entropy (keras.losses.BinaryCrossentropy)"
    if not from_logits:
        return (
            "fine_tune: the model outputs a logit, not a probability: the loss should be "
            "BinaryCrossentropy(from_logits=True)"
        )
    metrics = compiled.get("metrics") or []
    metrics = metrics if isinstance(metrics, list) else [metrics]
    if not any(is_binary_accuracy_of_logits(m) for m in metrics):
        return (
            "fine_tune: report the accuracy of a model that outputs logits: "
            "keras.metrics.BinaryAccuracy(threshold=0.0) (a logit above 0 is a probability above 0.5; the "
            "metric 'accuracy' would compare the logits with 0.5)"
        )
    return None


def test_fine_tune(func, seed):
    """fine_tune(model, base_model, fine_tune_at, base_learning_rate) for the default-like and drawn arguments."""
    rng = np.random.default_rng(seed)
    # the notebook's learning rate with the top of the base unfrozen, then another split and rate
    cases = [
        (int(rng.integers(BASE_LAYERS // 2, BASE_LAYERS - 1)), 0.001),
        (int(rng.integers(2, BASE_LAYERS // 2)), float(rng.choice([2e-3, 5e-4, 3e-3, 1e-2]))),
    ]
    for fine_tune_at, base_learning_rate in cases:
        spec = {"image_shape": [64, 64], "fine_tune_at": fine_tune_at, "base_learning_rate": base_learning_rate}
        case = (
            f"fine_tune(model, base_model, fine_tune_at={fine_tune_at}, base_learning_rate={base_learning_rate}) "
            f"on a classifier around a frozen base of {BASE_LAYERS} layers"
        )
        got = student_report("fine_tune", func, spec, case, key="layers_trainable")
        want = reference_report(ADAPTERS["fine_tune"], reference.fine_tune, spec)
        problem = trainable_problem(got, want, fine_tune_at) or compile_problem(got, base_learning_rate)
        if not problem:
            problem = graph_problem(got["graph"], want["graph"], "fine_tune", compare_trainable=True)
        if not problem and not got.get("returned_model"):
            problem = f"fine_tune: it should return the model it was given, compiled; it returned {got.get('returned')}"
        if problem:
            reject(problem, case)


HIDDEN_TESTS = {
    f"test_{name}": replayed(name, globals()[f"test_{name}"], getattr(reference, name), adapter=ADAPTERS[name])
    for name in GRADED
}
