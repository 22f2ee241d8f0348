"""Judging Keras models out of the kernel: graph descriptions, adapters, and the comparison's verdicts.

Equivalent spellings of one model must be accepted and each plausible mistake rejected with a message
that names the layer; the adapters must report the same thing for the same model however it was built.
"""

import json

import numpy as np
import pytest

keras = pytest.importorskip("keras")
from keras import layers  # noqa: E402

from autograder.judging.cases import Case, encode_cases  # noqa: E402
from autograder.judging.graph_comparison import canonical_graph, graph_problem, outputs_problem  # noqa: E402
from autograder.judging.verdicts import read_result  # noqa: E402
from cnnbook.grading.adapters import adapt  # noqa: E402
from cnnbook.grading.graph_export import describe_model, fill_weights, weight_values  # noqa: E402
from cnnbook.grading.runner import run_cases  # noqa: E402

CONSTANT = {"__initializer__": ["Constant", {"value": 1}]}


def small_sequential():
    return keras.Sequential(
        [
            keras.Input((16, 16, 3)),
            layers.ZeroPadding2D(1),
            layers.Conv2D(4, 3),
            layers.BatchNormalization(axis=3),
            layers.ReLU(),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


def small_sequential_respelled():
    return keras.Sequential(
        [
            keras.Input(shape=(16, 16, 3)),
            layers.ZeroPadding2D(((1, 1), (1, 1))),
            layers.Conv2D(4, (3, 3), strides=(1, 1), padding="valid"),
            layers.BatchNormalization(axis=-1),
            layers.Activation("relu"),
            layers.MaxPool2D(pool_size=2),
            layers.Flatten(),
            layers.Dense(1),
            layers.Activation("sigmoid"),
        ]
    )


def small_without_batchnorm():
    return keras.Sequential(
        [
            keras.Input((16, 16, 3)),
            layers.ZeroPadding2D(1),
            layers.Conv2D(4, 3),
            layers.ReLU(),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


def small_wrong_kernel():
    return keras.Sequential(
        [
            keras.Input((16, 16, 3)),
            layers.ZeroPadding2D(1),
            layers.Conv2D(4, 5),
            layers.BatchNormalization(axis=3),
            layers.ReLU(),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


def small_functional():
    inputs = keras.Input((16, 16, 3))
    x = layers.Conv2D(4, 3)(layers.ZeroPadding2D(1)(inputs))
    x = keras.ops.relu(layers.BatchNormalization(axis=3)(x))
    x = layers.Dense(1, activation="sigmoid")(layers.Flatten()(layers.MaxPooling2D()(x)))
    return keras.Model(inputs, x)


def residual(X, f, filters, initializer=keras.initializers.RandomUniform):
    """A bottleneck residual block: the shape of the course's identity block."""
    F1, F2, F3 = filters
    shortcut = X
    X = layers.Conv2D(F1, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F2, f, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F3, 1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X)
    return layers.Activation("relu")(layers.Add()([X, shortcut]))


def residual_shortcut_first(X, f, filters, initializer=keras.initializers.RandomUniform):
    F1, F2, F3 = filters
    X_shortcut = X
    main = layers.Conv2D(F1, (1, 1), kernel_initializer=initializer(seed=0))(X)
    main = keras.ops.relu(layers.BatchNormalization(axis=-1)(main))
    main = layers.Conv2D(F2, (f, f), padding="same", kernel_initializer=initializer(seed=0))(main)
    main = layers.ReLU()(layers.BatchNormalization(axis=3)(main))
    main = layers.BatchNormalization(axis=3)(layers.Conv2D(F3, 1, kernel_initializer=initializer(seed=0))(main))
    return layers.ReLU()(X_shortcut + main)


def residual_add_after_relu(X, f, filters, initializer=keras.initializers.RandomUniform):
    F1, F2, F3 = filters
    shortcut = X
    X = layers.Conv2D(F1, 1, kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F2, f, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F3, 1, kernel_initializer=initializer(seed=0))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    return layers.Add()([X, shortcut])


def residual_ignores_initializer(X, f, filters, initializer=keras.initializers.RandomUniform):
    F1, F2, F3 = filters
    shortcut = X
    X = layers.Conv2D(F1, 1)(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.Conv2D(F2, f, padding="same")(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.BatchNormalization(axis=3)(layers.Conv2D(F3, 1)(X))
    return layers.Activation("relu")(layers.Add()([X, shortcut]))


def model_report(builder, **spec):
    return adapt("keras_model", builder)(
        {
            "X": [np.linspace(0, 1, 2 * 16 * 16 * 3).reshape(2, 16, 16, 3)],
            "modes": ["inference"],
            "fill_seed": 1,
            **spec,
        }
    )


def block_report(block, modes=("inference", "training")):
    X = np.random.default_rng(0).standard_normal((3, 5, 5, 6))
    return adapt("keras_block", block)(
        {
            "input_shapes": [[5, 5, 6]],
            "args": [3, [4, 2, 6]],
            "kwargs": {"initializer": CONSTANT},
            "X": [X],
            "modes": list(modes),
        }
    )


@pytest.fixture(scope="module")
def want_model():
    return model_report(small_sequential)


@pytest.fixture(scope="module")
def want_block():
    return block_report(residual)


def test_description_lists_every_layer_with_shapes_and_parameters():
    graph = describe_model(small_sequential())
    assert [n["op"] for n in graph["nodes"]] == [
        "InputLayer",
        "ZeroPadding2D",
        "Conv2D",
        "BatchNormalization",
        "ReLU",
        "MaxPooling2D",
        "Flatten",
        "Dense",
    ]
    conv = graph["nodes"][2]
    assert conv["output_shapes"] == [[None, 16, 16, 4]] and conv["params"] == 3 * 3 * 3 * 4 + 4
    assert graph["params"] == 112 + 16 + 8 * 8 * 4 + 1
    json.dumps(graph)  # plain data only


def test_description_of_an_unbuilt_sequential_model_says_what_to_do():
    with pytest.raises(ValueError, match="keras.Input"):
        describe_model(keras.Sequential([layers.Dense(2)]))


def test_equivalent_spellings_are_the_same_model(want_model):
    for builder in (small_sequential_respelled,):
        got = model_report(builder)
        assert graph_problem(got["graph"], want_model["graph"], "the model") is None
        assert outputs_problem(got, want_model, "the model") is None


def test_a_missing_layer_is_named(want_model):
    message = graph_problem(model_report(small_without_batchnorm)["graph"], want_model["graph"], "happyModel")
    assert message.startswith("happyModel: layer 3 (after the Conv2D) should be a BatchNormalization(axis=3)")


def test_a_wrong_argument_is_named(want_model):
    message = graph_problem(model_report(small_wrong_kernel)["graph"], want_model["graph"], "happyModel")
    assert "layer 2" in message and "kernel_size=(3, 3)" in message and "kernel_size=(5, 5)" in message


def test_the_api_asked_for_is_required(want_model):
    message = graph_problem(model_report(small_functional)["graph"], want_model["graph"], "happyModel")
    assert "Sequential" in message


def test_block_spellings_and_order_of_branches_do_not_matter(want_block):
    got = block_report(residual_shortcut_first)
    assert graph_problem(got["graph"], want_block["graph"], "identity_block") is None
    assert outputs_problem(got, want_block, "identity_block") is None


def test_block_mistakes_are_rejected_by_structure_and_by_values(want_block):
    for block, words in (
        (residual_add_after_relu, "should be a ReLU"),
        (residual_ignores_initializer, "kernel_initializer"),
    ):
        got = block_report(block)
        assert words in graph_problem(got["graph"], want_block["graph"], "identity_block")
        assert outputs_problem(got, want_block, "identity_block") is not None


def test_training_and_inference_outputs_differ_for_batch_norm(want_block):
    train, infer = want_block["outputs"]["training"][0], want_block["outputs"]["inference"][0]
    assert train.shape == infer.shape == (3, 5, 5, 6) and not np.allclose(train, infer)


def test_filled_weights_depend_only_on_kind_and_shape():
    first, second = small_sequential(), small_sequential_respelled()
    fill_weights(first, 5)
    fill_weights(second, 5)
    for a, b in zip(first.weights, second.weights):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    assert not np.array_equal(weight_values("kernel", (3, 3), 0), weight_values("kernel", (3, 3), 1))
    assert np.all(weight_values("moving_variance", (8,), 0) > 0)


def test_a_block_that_returns_nothing_gets_a_clear_error():
    def forgets_return(X, f, filters, initializer=None):
        layers.Conv2D(2, 1)(X)

    results = run_cases(
        forgets_return,
        encode_cases([Case(({"input_shapes": [[4, 4, 2]], "args": [1, [1, 1, 2]]},), adapter="keras_block")]),
    )
    result = read_result(results[0])
    assert result.error.startswith("TypeError") and "return" in result.error and "None" in result.error


def test_an_unknown_adapter_is_refused():
    results = run_cases(len, encode_cases([Case(([1],), adapter="../os")]))
    assert "unknown adapter" in read_result(results[0]).error


def test_tensors_adapter_gives_tensors_in_and_arrays_out():
    def scale(x, factor):
        import tensorflow as tf

        assert isinstance(x, tf.Tensor) and isinstance(factor, float)
        return x * factor, float(factor)

    value, factor = adapt("tensors", scale)(np.ones((2, 2)), 3.0)
    assert isinstance(value, np.ndarray) and value.dtype == np.float32 and np.all(value == 3)
    assert factor == 3.0


def test_a_malformed_description_is_reported_not_raised(want_model):
    message = graph_problem(
        {"nodes": [{"op": "Dense", "inputs": [[7, 0]]}], "inputs": [0], "outputs": [[0, 0]]},
        want_model["graph"],
        "happyModel",
    )
    assert message.startswith("happyModel: the model's description could not be read")


def test_canonical_graph_folds_activations_into_one_node():
    nodes, _, outputs = canonical_graph(describe_model(small_sequential_respelled()))
    kinds = [n.kind for n in nodes]
    assert kinds.count("ReLU") == 1 and kinds[-1] == "Sigmoid" and nodes[outputs[0]].kind == "Sigmoid"


def scaled_pixels(scale):
    """A model that rescales pixels with `scale(x)`, then a convolution: the shape of a preprocessing step."""
    inputs = keras.Input((8, 8, 3))
    return keras.Model(inputs, layers.Conv2D(2, 3)(scale(inputs)))


def test_scalar_steps_on_one_tensor_are_one_rescaling():
    from keras.applications.mobilenet_v2 import preprocess_input

    want = describe_model(scaled_pixels(preprocess_input))
    for spelling in (
        lambda x: x / 127.5 - 1,
        lambda x: (x - 127.5) / 127.5,
        lambda x: x * (1 / 127.5) + (-1.0),
        layers.Rescaling(1 / 127.5, offset=-1),
        lambda x: layers.Rescaling(1 / 127.5)(x) - 1,
    ):
        assert graph_problem(describe_model(scaled_pixels(spelling)), want, "the model") is None
    nodes, _, _ = canonical_graph(want)
    assert [n.kind for n in nodes] == ["Input", "Rescaling", "Conv2D"]
    assert nodes[1].attrs == {"scale": 0.00784314, "offset": -1.0}


def test_a_different_rescaling_is_named():
    want = describe_model(scaled_pixels(lambda x: x / 127.5 - 1))
    message = graph_problem(describe_model(scaled_pixels(layers.Rescaling(1 / 255))), want, "the model")
    assert message == (
        "the model: layer 1 (after the input), a Rescaling, should have offset=-1.0; yours has offset=0.0"
    )
    missing = graph_problem(describe_model(scaled_pixels(lambda x: x)), want, "the model")
    assert "should be a Rescaling(scale=0.00784314, offset=-1.0)" in missing


def test_a_scaled_tensor_read_twice_is_not_folded_into_the_next_step():
    inputs = keras.Input((4,))
    half = inputs / 2.0
    model = keras.Model(inputs, layers.Concatenate()([half - 1.0, half]))
    nodes, _, _ = canonical_graph(describe_model(model))
    assert sorted((n.attrs["scale"], n.attrs["offset"]) for n in nodes if n.kind == "Rescaling") == [
        (0.5, 0.0),
        (1.0, -1.0),
    ]


def projection_block(X, f, filters, shortcut_initializer=None):
    """A residual block with a convolution on the shortcut (its initializer may differ from the main path's)."""
    F1, F2, F3 = filters
    main = layers.Activation("relu")(layers.BatchNormalization(axis=3)(layers.Conv2D(F1, 1, strides=2)(X)))
    main = layers.Activation("relu")(layers.BatchNormalization(axis=3)(layers.Conv2D(F2, f, padding="same")(main)))
    main = layers.BatchNormalization(axis=3)(layers.Conv2D(F3, 1)(main))
    shortcut = layers.Conv2D(F3, 1, strides=2, kernel_initializer=shortcut_initializer or "glorot_uniform")(X)
    return layers.Activation("relu")(layers.Add()([main, layers.BatchNormalization(axis=3)(shortcut)]))


def test_the_inputs_of_an_add_are_paired_as_the_student_meant():
    """Both pairings of an Add's inputs fail; the message comes from the one that matches a whole branch."""

    def report(**kwargs):
        return adapt("keras_block", lambda X: projection_block(X, 3, [2, 2, 4], **kwargs))(
            {"input_shapes": [[6, 6, 3]]}
        )

    message = graph_problem(report(shortcut_initializer="he_normal")["graph"], report()["graph"], "the block")
    assert "kernel_initializer" in message and "HeNormal" in message, message


def test_a_block_case_holding_arrays_is_recorded_and_replayed():
    from autograder.judging.replay import replayed

    def script(block, seed):
        spec = {
            "input_shapes": [[5, 5, 6]],
            "args": [3, [4, 2, 6]],
            "kwargs": {"initializer": CONSTANT},
            "X": [np.random.default_rng(seed).standard_normal((2, 5, 5, 6))],
            "modes": ["inference"],
        }
        got = block(spec)
        problem = graph_problem(got["graph"], adapt("keras_block", residual)(spec)["graph"], "identity_block")
        assert problem is None, problem

    test = replayed("identity_block", script, residual, adapter="keras_block")
    cases = test.make_cases(np.random.default_rng(0))
    assert test.judge(cases, [read_result(r) for r in run_cases(residual_shortcut_first, encode_cases(cases))]) is None
    message = test.judge(cases, [read_result(r) for r in run_cases(residual_add_after_relu, encode_cases(cases))])
    assert message and "should be a ReLU" in message


def test_a_one_by_one_convolution_pads_the_same_either_way():
    def head(padding, kernel_size=1, strides=1):
        inputs = keras.Input((8, 8, 4))
        return describe_model(
            keras.Model(inputs, layers.Conv2D(3, kernel_size, strides=strides, padding=padding)(inputs))
        )

    assert graph_problem(head("valid", (1, 1)), head("same"), "the head") is None
    assert "padding" in graph_problem(head("valid", 3), head("same", 3), "the head")
    assert graph_problem(head("valid", 1, 2), head("same", 1, 2), "the head") is None
