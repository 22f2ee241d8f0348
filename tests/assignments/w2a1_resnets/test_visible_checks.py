"""The visible checks of w2a1_resnets (cnnbook.assignments.w2a1_resnets.checks) accept right answers, catch the
catalogued
mistakes with plain-words messages, and never print the values a block should compute."""

import re

import pytest

from autograder.assignments.w2a1_resnets import reference
from cnnbook.assignments.w2a1_resnets import checks
from cnnbook.checks import CheckFailure
from tests.assignments.w2a1_resnets import catalogue
from tests.assignments.w2a1_resnets.test_hidden_tests import notebook_namespace
from tests.support import variants

GRADED = ("identity_block", "convolutional_block", "ResNet50")
MISTAKES = variants.mistakes_for(catalogue)
ALTERNATIVES = variants.alternatives_for(catalogue)

# Mistakes a visible check cannot reasonably see, with the reason. Every other mistake must be caught.
VISIBLE_BLIND_SPOTS: dict[str, str] = {}


def check(function):
    return getattr(checks, f"check_{function}")


@pytest.mark.parametrize("function", GRADED)
def test_reference_passes(function, capsys):
    check(function)(getattr(reference, function))
    assert capsys.readouterr().out.strip() == f"{function}: all visible checks passed"


def test_notebook_solutions_pass(capsys):
    namespace = notebook_namespace()
    for function in GRADED:
        check(function)(namespace[function])
    assert capsys.readouterr().out.count("all visible checks passed") == 3


@pytest.mark.parametrize("variant", [v for v in ALTERNATIVES if v.function != "ResNet50"], ids=lambda v: v.id)
def test_alternative_block_passes(variant):
    check(variant.function)(variant.impl)


def test_an_alternative_resnet50_passes():
    check("ResNet50")(variants.alternatives_for(catalogue, "ResNet50")[0].impl)


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_is_caught_in_plain_words(variant):
    if variant.id in VISIBLE_BLIND_SPOTS:
        pytest.skip(VISIBLE_BLIND_SPOTS[variant.id])
    with pytest.raises(CheckFailure) as failure:
        check(variant.function)(variant.impl)
    message = str(failure.value)
    assert message.startswith(f"{variant.function}: "), message
    assert not re.search(r"\d\.\d{3,}", message), message  # no computed values
    assert "\x1b[" not in message, message


def test_relu_before_the_addition_is_explained():
    wrong = next(v for v in MISTAKES if v.id == "identity_block__relu_before_the_addition")
    with pytest.raises(CheckFailure, match="AFTER the addition"):
        check("identity_block")(wrong.impl)


def test_fixed_training_mode_is_explained():
    wrong = next(v for v in MISTAKES if v.id == "identity_block__batch_norm_always_training")
    with pytest.raises(CheckFailure, match="without training="):
        check("identity_block")(wrong.impl)


def test_a_block_that_returns_nothing_gets_a_clear_message():
    def identity_block(X, f, filters, initializer=None):
        reference.identity_block(X, f, filters)

    with pytest.raises(CheckFailure, match="return statement"):
        check("identity_block")(identity_block)


def test_resnet50_stage_counts_are_described():
    wrong = next(v for v in MISTAKES if v.id == "ResNet50__one_identity_block_missing_in_stage_four")
    with pytest.raises(CheckFailure, match="5 blocks of 1024 channels"):
        check("ResNet50")(wrong.impl)


def test_in_grading_mode_a_failing_check_prints_instead(monkeypatch, capsys):
    monkeypatch.setenv("CNNBOOK_GRADING", "1")
    wrong = variants.mistakes_for(catalogue, "convolutional_block")[0]
    check("convolutional_block")(wrong.impl)
    assert "visible check (not graded" in capsys.readouterr().out
