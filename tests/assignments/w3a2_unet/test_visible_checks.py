"""The visible checks of w3a2_unet accept the reference and the alternatives, and explain each kind of mistake in
words."""

import pytest

keras = pytest.importorskip("keras")

from autograder.assignments.w3a2_unet import reference  # noqa: E402
from cnnbook.assignments.w3a2_unet.checks import UNET_PARAMS, check_conv_block, check_unet_model, check_upsampling_block  # noqa: E402
from cnnbook.checks import CheckFailure  # noqa: E402
from tests.assignments.w3a2_unet import catalogue  # noqa: E402
from tests.support import variants  # noqa: E402

CHECKS = {"conv_block": check_conv_block, "upsampling_block": check_upsampling_block, "unet_model": check_unet_model}


def test_the_reference_passes(capsys):
    for name, check in CHECKS.items():
        check(getattr(reference, name))
    assert capsys.readouterr().out.count("all visible checks passed") == 3


def test_the_parameter_count_is_the_reference_models():
    assert reference.unet_model((96, 128, 3), n_filters=32, n_classes=12).count_params() == UNET_PARAMS


@pytest.mark.parametrize(
    "variant", [v for v in variants.alternatives_for(catalogue) if v.function != "unet_model"], ids=lambda v: v.id
)
def test_alternatives_pass(variant, capsys):
    CHECKS[variant.function](variant.impl)
    assert "all visible checks passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "mistake, words",
    [
        (catalogue.conv_block__skip_taken_after_pooling, "take it before the pooling"),
        (catalogue.conv_block__dropout_even_when_the_rate_is_zero, "no Dropout layer"),
        (catalogue.conv_block__dropout_forgotten, "Dropout(dropout_prob) layer should follow"),
        (catalogue.conv_block__pools_even_when_max_pooling_is_false, "max_pooling=False"),
        (catalogue.conv_block__one_convolution, "2 Conv2D layers"),
        (catalogue.conv_block__default_initializer, "he_normal"),
        (catalogue.conv_block__valid_padding, "shape"),
        (catalogue.conv_block__returns_the_skip_first, "shape"),
        (catalogue.conv_block__second_convolution_without_relu, "followed by a ReLU"),
    ],
)
def test_conv_block_mistakes_are_explained(mistake, words):
    with pytest.raises(CheckFailure, match=words.replace("(", r"\(").replace(")", r"\)")) as failure:
        check_conv_block(mistake)
    assert str(failure.value).startswith("conv_block: ")


@pytest.mark.parametrize(
    "mistake, words",
    [
        (catalogue.upsampling_block__skip_concatenated_first, "output first, then the skip"),
        (catalogue.upsampling_block__transposed_convolution_with_stride_one, "double the height and width"),
        (catalogue.upsampling_block__concatenated_along_the_height, "axis"),
        (catalogue.upsampling_block__added_instead_of_concatenated, "concatenation"),
        (catalogue.upsampling_block__upsampling_layer_instead_of_transposed_convolution, "Conv2DTranspose"),
        (catalogue.upsampling_block__relu_on_the_transposed_convolution, "no activation"),
        (catalogue.upsampling_block__one_convolution_after_the_merge, "2 Conv2D layers"),
        (catalogue.upsampling_block__two_by_two_transposed_kernel, "3 x 3"),
    ],
)
def test_upsampling_block_mistakes_are_explained(mistake, words):
    with pytest.raises(CheckFailure, match=words) as failure:
        check_upsampling_block(mistake)
    assert str(failure.value).startswith("upsampling_block: ")


@pytest.mark.parametrize(
    "mistake, words",
    [
        (catalogue.unet_model__softmax_on_the_output, "no activation"),
        (catalogue.unet_model__filters_not_doubled, "parameters"),
        (catalogue.unet_model__skips_paired_with_the_wrong_up_blocks, "raised"),
        (catalogue.unet_model__dropout_only_in_the_bottleneck, "Dropout rates"),
        (catalogue.unet_model__bottleneck_pools, "raised"),
        (catalogue.unet_model__up_blocks_keep_the_bottleneck_filters, "parameters"),
        (catalogue.unet_model__no_three_by_three_convolution_at_the_end, "parameters"),
        (catalogue.unet_model__fixed_input_size, "input_size"),
    ],
)
def test_unet_model_mistakes_are_explained(mistake, words):
    with pytest.raises(CheckFailure, match=words) as failure:
        check_unet_model(mistake)
    assert str(failure.value).startswith("unet_model: ")


def test_unet_model_names_a_broken_block_first():
    namespace = {
        "keras": keras,
        "layers": keras.layers,
        "conv_block": catalogue.conv_block__dropout_forgotten,
        "upsampling_block": reference.upsampling_block,
    }
    exec(variants.alternatives_for(catalogue, "unet_model")[0].source(), namespace)  # noqa: S102
    with pytest.raises(CheckFailure, match="calls your conv_block, which does not pass its own check"):
        check_unet_model(namespace["unet_model"])


def test_a_block_that_returns_nothing_or_one_tensor_is_explained():
    with pytest.raises(CheckFailure, match="two tensors"):
        check_conv_block(lambda inputs, n_filters=32, dropout_prob=0, max_pooling=True: None)
    with pytest.raises(CheckFailure, match="two tensors"):
        check_conv_block(lambda inputs, n_filters=32, dropout_prob=0, max_pooling=True: inputs)
    with pytest.raises(CheckFailure, match="one tensor"):
        check_upsampling_block(lambda expansive_input, contractive_input, n_filters=32: None)


def test_in_grading_mode_a_failure_is_printed_not_raised(monkeypatch, capsys):
    monkeypatch.setenv("CNNBOOK_GRADING", "1")
    check_conv_block(catalogue.conv_block__dropout_forgotten)
    assert "visible check (not graded" in capsys.readouterr().out
