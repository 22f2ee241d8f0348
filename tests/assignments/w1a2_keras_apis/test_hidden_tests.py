"""The hidden tests of w1a2_keras_apis are themselves tested against the mistake catalogue.

Every catalogued mistake must be rejected with a message that names the function, every alternative
spelling, the reference and the notebook's own solutions must be accepted, on the grading path (the
probe builds the model and hands its description out; the judge compares it with the reference).
"""

import pytest

from autograder.course import REPO

keras = pytest.importorskip("keras")

from autograder.assignments.w1a2_keras_apis import hidden_tests, reference  # noqa: E402
from autograder.judging.verdicts import judge_here  # noqa: E402
from tests.assignments.w1a2_keras_apis import catalogue  # noqa: E402
from tests.support import variants  # noqa: E402
from tests.support.judging import rejection  # noqa: E402
from tests.support.notebooks import check_notebook_structure, solution_sources  # noqa: E402

A = "w1a2_keras_apis"
NOTEBOOK = REPO / "solutions" / A / f"{A}.ipynb"
GRADED = hidden_tests.GRADED
POINTS = {"happyModel": 2, "convolutional_model": 3}
MISTAKES = variants.mistakes_for(catalogue)
ALTERNATIVES = variants.alternatives_for(catalogue)


def notebook_function(name, source=None):
    """Define one solution cell (or `source` in its place) in a namespace holding the notebook's imports."""
    namespace = {"keras": keras, "layers": keras.layers, "__name__": "w1a2_notebook"}
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
        "happyModel__without_batch_normalization": "should be a BatchNormalization(axis=3)",
        "happyModel__three_by_three_filters": "kernel_size=(7, 7)",
        "happyModel__functional_api": "build it as a Sequential model",
        "convolutional_model__fixed_input_shape": "the input should have shape",
        "convolutional_model__sequential_api": "build it as a Functional model",
        "convolutional_model__logits_without_softmax": "should be a Softmax",
    }
    by_id = {v.id: v for v in MISTAKES}
    for variant_id, words in expectations.items():
        variant = by_id[variant_id]
        with pytest.raises(AssertionError, match=words.replace("(", r"\(").replace(")", r"\)")):
            judge_here(A, f"test_{variant.function}", variant.impl, seed=0)


def test_cases_differ_between_grading_runs():
    """Other seeds draw other input shapes for convolutional_model, so the inputs cannot be known in advance."""
    from autograder.judging.cases import case_generator

    test = hidden_tests.HIDDEN_TESTS["test_convolutional_model"]
    shapes = {
        tuple(tuple(c.args[0]["args"][0]) for c in test.make_cases(case_generator(seed, "test_convolutional_model")))
        for seed in range(3)
    }
    assert len(shapes) == 3
