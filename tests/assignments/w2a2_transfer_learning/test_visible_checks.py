"""The visible checks of w2a2_transfer_learning accept the reference and explain each kind of mistake in words."""

import pytest

keras = pytest.importorskip("keras")

from autograder.assignments.w2a2_transfer_learning import reference  # noqa: E402
from cnnbook.assignments.w2a2_transfer_learning.checks import check_data_augmenter, check_fine_tune, check_kite_model  # noqa: E402
from cnnbook.checks import CheckFailure  # noqa: E402
from tests.assignments.w2a2_transfer_learning import catalogue  # noqa: E402


def test_the_reference_passes(capsys):
    check_data_augmenter(reference.data_augmenter)
    check_kite_model(reference.kite_model)
    check_fine_tune(reference.fine_tune)
    assert capsys.readouterr().out.count("all visible checks passed") == 3


@pytest.mark.parametrize(
    "alternative",
    [
        catalogue.data_augmenter__added_one_by_one,
        catalogue.data_augmenter__rotation_first,
        catalogue.data_augmenter__with_an_input,
    ],
)
def test_data_augmenter_alternatives_pass(alternative, capsys):
    check_data_augmenter(alternative)
    assert "all visible checks passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "mistake, words",
    [
        (catalogue.data_augmenter__flips_both_ways, "flips both ways by default"),
        (catalogue.data_augmenter__vertical_flip, "mode is 'vertical'"),
        (catalogue.data_augmenter__rotation_factor_halved, "fraction of 360 degrees"),
        (catalogue.data_augmenter__without_rotation, "one RandomRotation layer"),
        (catalogue.data_augmenter__zoom_added, "exactly two layers"),
        (catalogue.data_augmenter__returns_the_layers_in_a_list, "keras.Sequential model"),
    ],
)
def test_data_augmenter_mistakes_are_explained(mistake, words):
    with pytest.raises(CheckFailure, match=words) as failure:
        check_data_augmenter(mistake)
    assert str(failure.value).startswith("data_augmenter: ")


@pytest.mark.parametrize(
    "mistake, words",
    [
        (catalogue.kite_model__base_left_trainable, "should be frozen"),
        (catalogue.kite_model__base_follows_the_training_flag, "training=False"),
        (catalogue.kite_model__without_preprocessing, "scaled to -1 and 1"),
        (catalogue.kite_model__pixels_scaled_to_0_1, "scaled to -1 and 1"),
        (catalogue.kite_model__flatten_instead_of_pooling, "GlobalAveragePooling2D"),
        (catalogue.kite_model__without_dropout, "rate 0.2"),
        (catalogue.kite_model__sigmoid_output, "without an activation"),
        (catalogue.kite_model__without_augmentation, "data_augmentation model it is given"),
        (catalogue.kite_model__builds_its_own_augmentation, "data_augmentation model it is given"),
        (catalogue.kite_model__preprocessing_before_augmentation, "apply it to the inputs first"),
        (catalogue.kite_model__two_softmax_outputs, r"\(None, 1\), one logit"),
    ],
)
def test_kite_model_mistakes_are_explained(mistake, words):
    with pytest.raises(CheckFailure, match=words) as failure:
        check_kite_model(mistake)
    assert str(failure.value).startswith("kite_model: ")


@pytest.mark.parametrize(
    "mistake, words",
    [
        (catalogue.fine_tune__learning_rate_not_divided, "a tenth of base_learning_rate"),
        (catalogue.fine_tune__loss_on_probabilities, "from_logits=True"),
        (catalogue.fine_tune__freezes_the_top_instead, "in yours layers 0 to 9 train"),
        (catalogue.fine_tune__base_not_unfrozen_first, "none of its layers train"),
        (catalogue.fine_tune__not_compiled_again, "compile the model again"),
        (catalogue.fine_tune__accuracy_thresholds_logits_at_one_half, "threshold=0.0"),
        (catalogue.fine_tune__rmsprop, "uses RMSprop"),
    ],
)
def test_fine_tune_mistakes_are_explained(mistake, words):
    with pytest.raises(CheckFailure, match=words) as failure:
        check_fine_tune(mistake)
    assert str(failure.value).startswith("fine_tune: ")


def test_a_function_that_returns_nothing_or_raises_is_explained():
    with pytest.raises(CheckFailure, match="returned None"):
        check_data_augmenter(lambda: None)
    with pytest.raises(CheckFailure, match="raised NotImplementedError"):
        check_kite_model(
            lambda image_shape, data_augmentation, base_model: (_ for _ in ()).throw(NotImplementedError())
        )
    with pytest.raises(CheckFailure, match="return the model it was given"):
        check_fine_tune(lambda *args: reference.fine_tune(*args) and None)


def test_in_grading_mode_a_failure_is_printed_not_raised(monkeypatch, capsys):
    monkeypatch.setenv("CNNBOOK_GRADING", "1")
    check_kite_model(catalogue.kite_model__sigmoid_output)
    assert "visible check (not graded" in capsys.readouterr().out
