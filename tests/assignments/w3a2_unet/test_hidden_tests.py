"""The hidden tests of w3a2_unet are themselves tested against the mistake catalogue.

Every catalogued mistake must be rejected with a message that names the function, every alternative
spelling, the reference and the notebook's own solutions must be accepted, on the grading path (the
probe builds the block or model and hands its description out; the judge compares it with the
reference). unet_model is judged with stand-in blocks, so a mistake in a block costs only that block.
"""

import json

import pytest

from autograder.course import REPO

keras = pytest.importorskip("keras")

from autograder.assignments.w3a2_unet import hidden_tests, reference  # noqa: E402
from autograder.judging.cases import case_generator  # noqa: E402
from autograder.judging.verdicts import judge_here  # noqa: E402
from cnnbook.assignments.w3a2_unet.adapter import conv_block_stand_in, upsampling_block_stand_in  # noqa: E402
from cnnbook.grading.adapters import adapt  # noqa: E402
from tests.assignments.w3a2_unet import catalogue  # noqa: E402
from tests.support import variants  # noqa: E402
from tests.support.judging import rejection  # noqa: E402
from tests.support.notebooks import check_notebook_structure, solution_sources  # noqa: E402

A = "w3a2_unet"
NOTEBOOK = REPO / "solutions" / A / f"{A}.ipynb"
GRADED = hidden_tests.GRADED
POINTS = {"conv_block": 3, "upsampling_block": 3, "unet_model": 4}
MISTAKES = variants.mistakes_for(catalogue)
ALTERNATIVES = variants.alternatives_for(catalogue)


def notebook_function(name, source=None, blocks=None):
    """Define one solution cell (or `source` in its place) in a namespace holding the notebook's imports and
    `blocks`."""
    namespace = {"keras": keras, "layers": keras.layers, "__name__": "w3a2_notebook", **(blocks or {})}
    exec(compile(source or solution_sources(A)[name], f"<cell {name}>", "exec"), namespace)
    return namespace[name]


def test_notebook_structure():
    check_notebook_structure(A, POINTS, list(GRADED))


@pytest.mark.parametrize("function", GRADED)
def test_reference_and_notebook_solutions_pass(function):
    judge_here(A, f"test_{function}", getattr(reference, function), seed=1)
    judge_here(A, f"test_{function}", notebook_function(function), seed=2)


@pytest.mark.parametrize("variant", ALTERNATIVES, ids=lambda v: v.id)
def test_alternative_passes(variant):
    judge_here(A, f"test_{variant.function}", notebook_function(variant.function, variant.source()), seed=3)


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_is_rejected_with_a_message_that_names_the_function(variant):
    rejection(A, variant.function, notebook_function(variant.function, variant.source()), seed=4)


def test_the_messages_name_the_layer_and_what_is_wrong():
    expectations = {
        "conv_block__dropout_forgotten": "should be a Dropout",
        "conv_block__default_initializer": "kernel_initializer",
        "conv_block__returns_the_skip_first": "return \\(next_layer, skip_connection\\)",
        "upsampling_block__skip_concatenated_first": "put the transposed convolution's output first",
        "upsampling_block__concatenated_along_the_height": "axis=3",
        "upsampling_block__relu_on_the_transposed_convolution": "Conv2DTranspose.*but yours has a ReLU there",
        "unet_model__softmax_on_the_output": "should have 1 output(s)|should be a Conv2D|Softmax",
        "unet_model__filters_not_doubled": "n_filters",
        "unet_model__dropout_only_in_the_bottleneck": "dropout_prob",
        "unet_model__bottleneck_pools": "twice the height and width",
        "unet_model__skips_paired_with_the_wrong_up_blocks": "skip of the down block at that resolution",
    }
    by_id = {v.id: v for v in MISTAKES}
    for variant_id, words in expectations.items():
        variant = by_id[variant_id]
        with pytest.raises(AssertionError, match=words) as failure:
            judge_here(A, f"test_{variant.function}", variant.impl, seed=0)
        print(variant_id, "->", failure.value)


def test_unet_model_is_judged_without_the_students_blocks():
    """A unet_model that calls broken blocks (or blocks that do not exist yet) gets full marks for the assembly."""
    broken = {
        "conv_block": catalogue.conv_block__one_convolution,
        "upsampling_block": catalogue.upsampling_block__skip_concatenated_first,
    }
    judge_here(A, "test_unet_model", notebook_function("unet_model", blocks=broken), seed=5)
    judge_here(A, "test_unet_model", notebook_function("unet_model"), seed=6)  # no blocks defined at all


def test_stand_ins_are_put_back_after_the_build():
    namespace_blocks = {"conv_block": reference.conv_block, "upsampling_block": reference.upsampling_block}
    func = notebook_function("unet_model", blocks=namespace_blocks)
    adapt("w3a2_unet.unet_model", func)({"args": [[32, 32, 3], 2, 3], "kwargs": {}, "X": [], "modes": []})
    assert func.__globals__["conv_block"] is reference.conv_block
    assert func.__globals__["upsampling_block"] is reference.upsampling_block


def test_stand_ins_have_the_shapes_of_the_blocks_and_no_weights():
    inputs = keras.Input((16, 24, 3))
    next_layer, skip = conv_block_stand_in(inputs, n_filters=8)
    assert tuple(next_layer.shape) == (None, 8, 12, 8) and tuple(skip.shape) == (None, 16, 24, 8)
    same, skip = conv_block_stand_in(inputs, n_filters=8, max_pooling=False)
    assert same is skip
    expansive = keras.Input((8, 12, 16))
    up = upsampling_block_stand_in(expansive, skip, n_filters=4)
    assert tuple(up.shape) == (None, 16, 24, 4)
    assert keras.Model([inputs, expansive], up).count_params() == 0
    with pytest.raises(ValueError, match="twice the height and width"):
        upsampling_block_stand_in(keras.Input((4, 6, 16)), skip, n_filters=4)


def test_cases_differ_between_grading_runs():
    """Other seeds draw other sizes, so the inputs cannot be known in advance."""
    for name in GRADED:
        test = hidden_tests.HIDDEN_TESTS[f"test_{name}"]
        drawn = {
            json.dumps(
                [
                    c.args[0].get("input_shapes") or c.args[0]["args"] or c.args[0]["kwargs"]
                    for c in test.make_cases(case_generator(seed, f"test_{name}"))
                ],
                default=str,
            )
            for seed in range(3)
        }
        assert len(drawn) == 3, name
