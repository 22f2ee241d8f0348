"""The hidden tests of w2a1_resnets are themselves tested against the mistake catalogue.

Every catalogued mistake must be rejected with a message in the exercise's terms (also when pasted into
the notebook), every alternative, the reference and the notebook's own solutions must be accepted, and
a mistake in a block must not cost ResNet50's points (ResNet50 is judged with stand-in blocks).

Building Keras models is slow on two cores: the reference reports are built once per process
(hidden_tests caches them), and most tests use one seed; the grading path (record in the grader, run in
a "kernel", replay) is exercised on a sample.
"""

import re

import keras
import numpy as np
import pytest
from keras import layers
from keras.initializers import glorot_uniform, random_uniform

from autograder.assignments.w2a1_resnets import hidden_tests, reference
from autograder.course import REPO
from autograder.judging.verdicts import judge_here
from cnnbook.assignments.w2a1_resnets.adapter import (
    convolutional_block_stand_in,
    identity_block_stand_in,
    stand_in_blocks,
)
from cnnbook.grading.adapters import adapt
from tests.assignments.w2a1_resnets import catalogue
from tests.support import variants
from tests.support.notebooks import check_notebook_structure, run_solution_cells  # noqa: E402

A = "w2a1_resnets"
NOTEBOOK = REPO / "solutions" / A / f"{A}.ipynb"
GRADED = hidden_tests.GRADED
MISTAKES = variants.mistakes_for(catalogue)
ALTERNATIVES = variants.alternatives_for(catalogue)
POINTS = {"identity_block": 3, "convolutional_block": 3, "ResNet50": 4}


def judge(function, func, seed=0):
    """Run the hidden test of `function` on `func` in this process (the adapter as the probe applies it)."""
    getattr(hidden_tests, f"test_{function}")(adapt(hidden_tests.ADAPTERS[function], func), seed=seed)


def assert_in_exercise_terms(message, function):
    problem = message.split("\n  (hidden test case:")[0]
    assert message.startswith(f"{function}: ") and "hidden test case" in message, message
    assert not re.search(r"\d\.\d{3,}", problem), message  # no computed values
    assert "\x1b[" not in message, message  # no terminal colour codes


# ----------------------------------------------------------------------------------------------
# The catalogue and the notebook are complete
# ----------------------------------------------------------------------------------------------


def notebook_namespace(*replacements):
    """Execute the solution cells in a fresh namespace with the notebook's imports; (function, source) pairs swap
    cells."""
    namespace = {
        "np": np,
        "keras": keras,
        "layers": layers,
        "glorot_uniform": glorot_uniform,
        "random_uniform": random_uniform,
        "__name__": "w2a1_notebook",
    }
    return run_solution_cells(A, namespace, dict(replacements))


def test_notebook_structure():
    check_notebook_structure(A, POINTS, list(GRADED))


def test_notebook_demos_shrink_when_grading():
    text = NOTEBOOK.read_text(encoding="utf-8")
    assert text.count("demo_steps(") >= 3
    assert "MY_PHOTO = None" in text and "TRAIN_RESNET50 = False" in text  # optional cells do nothing by default


# ----------------------------------------------------------------------------------------------
# Correct implementations pass
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("function", GRADED)
def test_reference_passes_through_the_grading_path(function):
    judge_here(A, f"test_{function}", getattr(reference, function), seed=0)


@pytest.mark.parametrize("function", GRADED)
def test_notebook_solution_passes(function):
    judge(function, notebook_namespace()[function], seed=1)


@pytest.mark.parametrize("variant", ALTERNATIVES, ids=lambda v: v.id)
def test_alternative_pasted_into_notebook_passes(variant):
    namespace = notebook_namespace((variant.function, variant.source()))
    judge(variant.function, namespace[variant.function], seed=2)


# ----------------------------------------------------------------------------------------------
# Mistakes fail, with a message in the exercise's terms
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_pasted_into_notebook_is_rejected(variant):
    namespace = notebook_namespace((variant.function, variant.source()))
    with pytest.raises(AssertionError) as failure:
        judge(variant.function, namespace[variant.function], seed=3)
    assert_in_exercise_terms(str(failure.value), variant.function)


EXPECTED_WORDS = {
    "identity_block__missing_second_batch_norm": "should be a BatchNormalization(axis=3)",
    "identity_block__relu_before_the_addition": "ReLU is applied before the addition",
    "identity_block__middle_conv_valid_padding": "padding='same'",
    "identity_block__initializer_ignored": "kernel_initializer=RandomUniform",
    "identity_block__batch_norm_over_width": "axis=3",
    "identity_block__batch_norm_always_training": "fixed training argument",
    "identity_block__middle_conv_one_by_one": "kernel_size=(3, 3)",
    "identity_block__shortcut_from_first_layer": "input X itself",
    "convolutional_block__stride_on_middle_conv": "strides=(2, 2)",
    "convolutional_block__shortcut_without_stride": "stride s",
    "convolutional_block__shortcut_without_batch_norm": "BatchNormalization",
    "convolutional_block__relu_before_the_addition": "ReLU is applied before the addition",
    "convolutional_block__middle_conv_valid_padding": "padding='same'",
    "convolutional_block__shortcut_ignores_initializer": "kernel_initializer=GlorotUniform(seed=0)",
    "convolutional_block__stride_fixed_at_two": "strides=(3, 3)",
    "ResNet50__without_average_pool": "AveragePooling2D",
    "ResNet50__without_softmax": "Softmax",
    "ResNet50__wrong_filters_in_stage_four": "filters=(256, 256, 1024)",
    "ResNet50__one_identity_block_missing_in_stage_four": "identity_block(f=(3, 3), filters=(256, 256, 1024))",
    "ResNet50__stage_two_with_default_stride": "s=1",
    "ResNet50__classes_and_input_shape_ignored": "the input should have shape (72, 80, 1)",
    "ResNet50__stem_without_batch_norm": "BatchNormalization(axis=3)",
    "ResNet50__max_pool_without_stride": "strides=(2, 2)",
}


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_message_names_what_is_wrong(variant):
    assert variant.id in EXPECTED_WORDS, f"add the words the message of {variant.id} must contain"
    with pytest.raises(AssertionError) as failure:
        judge(variant.function, variant.impl, seed=4)
    assert EXPECTED_WORDS[variant.id] in str(failure.value), str(failure.value)


@pytest.mark.parametrize("function", ["identity_block", "convolutional_block", "ResNet50"])
def test_the_grading_path_rejects_and_accepts_like_the_script(function):
    wrong = variants.mistakes_for(catalogue, function)[0]
    with pytest.raises(AssertionError, match=function):
        judge_here(A, f"test_{function}", wrong.impl, seed=5)
    judge_here(A, f"test_{function}", variants.alternatives_for(catalogue, function)[0].impl, seed=5)


def test_a_block_with_batch_norm_fixed_to_training_mode_is_named_even_though_modes_are_passed():
    """Keras lets the model's mode override a fixed training=True, so only the graph shows this mistake."""
    variant = next(v for v in MISTAKES if v.name == "batch_norm_always_training")
    report = adapt("keras_block", variant.impl)(
        {
            "input_shapes": [[4, 4, 3]],
            "args": [2, [2, 2, 3]],
            "X": [np.ones((2, 4, 4, 3), np.float32)],
            "modes": ["inference"],
        }
    )
    assert hidden_tests.fixed_training_problem("identity_block", report)


# ----------------------------------------------------------------------------------------------
# Isolation: ResNet50 is judged with stand-in blocks
# ----------------------------------------------------------------------------------------------


def test_broken_blocks_cost_resnet50_nothing():
    broken_identity = variants.mistakes_for(catalogue, "identity_block")[0]
    broken_convolutional = variants.mistakes_for(catalogue, "convolutional_block")[1]
    namespace = notebook_namespace(
        ("identity_block", broken_identity.source()), ("convolutional_block", broken_convolutional.source())
    )
    with pytest.raises(Exception):  # the student's own blocks are broken: a real ResNet50 cannot even be built
        namespace["ResNet50"]()
    judge("ResNet50", namespace["ResNet50"], seed=6)


def test_stand_ins_record_their_arguments_and_shapes():
    X = keras.Input((15, 15, 64))
    out = convolutional_block_stand_in(X, 3, (64, 64, 256), s=2)
    out = identity_block_stand_in(out, f=(3, 3), filters=[64, 64, 256])
    model = keras.Model(X, out)
    assert tuple(model.output.shape) == (None, 8, 8, 256)
    conv, ident = model.layers[1:]
    assert type(conv).__name__ == "convolutional_block" and type(ident).__name__ == "identity_block"
    assert conv.get_config()["f"] == [3, 3] and conv.get_config()["filters"] == [64, 64, 256]
    assert conv.get_config()["s"] == [2, 2] and "s" not in ident.get_config()
    assert ident.get_config()["f"] == [3, 3] and model.count_params() == 0
    values = np.asarray(model(np.random.default_rng(0).normal(size=(2, 15, 15, 64)).astype("float32")))
    assert values.shape == (2, 8, 8, 256) and values.std() > 0


def test_stand_ins_are_put_back_even_after_an_error():
    namespace = {"identity_block": "mine", "other": 1}
    with pytest.raises(RuntimeError):
        with stand_in_blocks(namespace):
            assert namespace["identity_block"] is identity_block_stand_in
            assert namespace["convolutional_block"] is convolutional_block_stand_in
            raise RuntimeError("a student's error")
    assert namespace == {"identity_block": "mine", "other": 1}


def test_stand_in_blocks_do_not_compute_a_residual_block():
    """A stand-in is no answer: its output differs from a real block's with the same input and any weights."""
    X = keras.Input((4, 4, 6))
    stand_in = keras.Model(X, identity_block_stand_in(X, 3, [2, 3, 6]))
    real = keras.Model(X, reference.identity_block(X, 3, [2, 3, 6]))
    x = np.random.default_rng(1).normal(size=(2, 4, 4, 6)).astype("float32")
    assert stand_in.count_params() == 0 < real.count_params()
    assert not np.allclose(np.asarray(stand_in(x)), np.asarray(real(x)))


# ----------------------------------------------------------------------------------------------
# The cases cover what the exercise asks for
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_cases_cover_modes_initializers_strides_and_shapes(seed):
    rng = np.random.default_rng(seed)
    for cases in (hidden_tests.identity_cases(rng), hidden_tests.convolutional_cases(rng)):
        assert any(
            set(c["modes"]) == {"training", "inference"}
            and c["fill_seed"] is None
            and c["kwargs"].get("initializer", {}).get("__initializer__", [""])[0] == "Constant"
            for c in cases
        )
        assert any("initializer" not in c["kwargs"] for c in cases)  # the default initializer
        assert any(c["input_shapes"][0][0] != c["input_shapes"][0][1] for c in cases)  # non-square
        assert any(c["args"][0] == 2 for c in cases) and any(c["args"][0] == 3 for c in cases)  # even and odd f
    strides = [
        c["args"][2] if len(c["args"]) == 3 else c["kwargs"].get("s", 2) for c in hidden_tests.convolutional_cases(rng)
    ]
    assert set(strides) == {1, 2, 3}
    resnet = hidden_tests.resnet_cases(rng)
    assert resnet[0]["args"] == [] and resnet[0]["kwargs"] == {}
    assert resnet[1]["args"][0] != [64, 64, 3] and resnet[1]["kwargs"]["classes"] != 6
