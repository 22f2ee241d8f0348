"""The visible checks of w1a2_keras_apis accept the reference and explain each kind of mistake in words."""

import pytest

keras = pytest.importorskip("keras")

from autograder.assignments.w1a2_keras_apis import reference  # noqa: E402
from cnnbook.assignments.w1a2_keras_apis.checks import check_convolutional_model, check_happyModel  # noqa: E402
from cnnbook.checks import (
    CheckFailure,  # noqa: E402
    layer_table,  # noqa: E402
)
from tests.assignments.w1a2_keras_apis import catalogue  # noqa: E402


def test_the_reference_passes(capsys):
    check_happyModel(reference.happyModel)
    check_convolutional_model(reference.convolutional_model)
    assert capsys.readouterr().out.count("all visible checks passed") == 2


@pytest.mark.parametrize(
    "mistake, words",
    [
        (catalogue.happyModel__without_batch_normalization, "exercise has 37,633"),
        (catalogue.happyModel__no_activation_on_the_output, "sigmoid"),
        (catalogue.happyModel__functional_api, "Sequential API"),
        (catalogue.happyModel__strided_convolution, "parameters"),
    ],
)
def test_happyModel_mistakes_are_explained(mistake, words):
    with pytest.raises(CheckFailure, match=words) as failure:
        check_happyModel(mistake)
    assert str(failure.value).startswith("happyModel: ")


@pytest.mark.parametrize(
    "mistake, words",
    [
        (catalogue.convolutional_model__fixed_input_shape, "input_shape argument"),
        (catalogue.convolutional_model__sequential_api, "Functional API"),
        (catalogue.convolutional_model__logits_without_softmax, "softmax"),
        (catalogue.convolutional_model__filter_counts_swapped, "exercise has 1,310"),
    ],
)
def test_convolutional_model_mistakes_are_explained(mistake, words):
    with pytest.raises(CheckFailure, match=words):
        check_convolutional_model(mistake)


def test_a_function_that_returns_nothing_or_raises_is_explained():
    with pytest.raises(CheckFailure, match="returned None"):
        check_happyModel(lambda: None)
    with pytest.raises(CheckFailure, match="raised NameError"):
        check_convolutional_model(lambda input_shape: undefined_layer)  # noqa: F821


def test_messages_list_the_students_layers():
    table = layer_table(catalogue.happyModel__without_batch_normalization())
    assert "Conv2D" in table and "4,736 parameters" in table and "BatchNormalization" not in table


def test_in_grading_mode_a_failure_is_printed_not_raised(monkeypatch, capsys):
    monkeypatch.setenv("CNNBOOK_GRADING", "1")
    check_happyModel(catalogue.happyModel__no_activation_on_the_output)
    assert "visible check (not graded" in capsys.readouterr().out
