"""The visible checks of w4a2_style_transfer (cnnbook.assignments.w4a2_style_transfer.checks) accept right answers,
catch the
catalogued mistakes with a message in the exercise's terms, and never reveal the values a function should return.

Variants are run as they would be once pasted into their solution cell (tests.assignments.w4a2_style_transfer.notebook):
train_step reads
the notebook's cost functions and globals, which the catalogue module does not define.
"""

import re

import pytest

pytest.importorskip("tensorflow")

from autograder.assignments.w4a2_style_transfer import reference  # noqa: E402
from cnnbook.assignments.w4a2_style_transfer import checks  # noqa: E402
from cnnbook.checks import CheckFailure  # noqa: E402
from tests.assignments.w4a2_style_transfer import catalogue  # noqa: E402
from tests.assignments.w4a2_style_transfer.notebook import GRADED, notebook_function, notebook_namespace  # noqa: E402
from tests.support import variants  # noqa: E402

MISTAKES = variants.mistakes_for(catalogue)
ALTERNATIVES = variants.alternatives_for(catalogue)

# Mistakes a visible check cannot reasonably see, with the reason. Every other mistake must be caught.
VISIBLE_BLIND_SPOTS: dict[str, str] = {
    "train_step__content_and_style_activations_swapped": "the J that train_step returns falls just as well with a_C "
    "and a_S swapped; seeing it takes measuring the "
    "image with correct costs against a correct train_step's result, which only the hidden test does",
}


def check(function):
    return getattr(checks, f"check_{function}")


@pytest.mark.parametrize("function", GRADED)
def test_reference_passes_with_one_line(function, capsys):
    assert check(function)(getattr(reference, function)) is None
    assert capsys.readouterr().out == f"{function}: all visible checks passed\n"


def test_notebook_solutions_pass_and_print_nothing_else(capsys):
    namespace = notebook_namespace()
    for function in GRADED:
        check(function)(namespace[function])
    assert capsys.readouterr().out.splitlines() == [f"{f}: all visible checks passed" for f in GRADED]


@pytest.mark.parametrize("variant", ALTERNATIVES, ids=lambda v: v.id)
def test_alternative_passes(variant):
    check(variant.function)(notebook_function(variant.function, variant.source()))


@pytest.mark.parametrize("variant", MISTAKES, ids=lambda v: v.id)
def test_mistake_is_caught_without_revealing_the_answer(variant):
    if variant.id in VISIBLE_BLIND_SPOTS:
        pytest.skip(VISIBLE_BLIND_SPOTS[variant.id])
    with pytest.raises(CheckFailure) as failure:
        check(variant.function)(notebook_function(variant.function, variant.source()))
    message = str(failure.value)
    assert message.startswith(f"{variant.function}: ")
    assert isinstance(failure.value, AssertionError)  # nbgrader and pytest see a failed test
    problem = message.split("\n  (case:")[0]
    assert not re.search(r"\d\.\d{3,}", problem), message  # no computed values


def test_most_mistakes_are_visible():
    assert len(VISIBLE_BLIND_SPOTS) <= len(MISTAKES) // 4


def test_the_untouched_exercise_is_reported():
    def gram_matrix(A):
        raise NotImplementedError()

    with pytest.raises(CheckFailure, match=r"^gram_matrix: raised NotImplementedError"):
        checks.check_gram_matrix(gram_matrix)


def test_train_step_names_a_failing_helper_first():
    wrong = next(v for v in MISTAKES if v.id == "compute_content_cost__first_layer_instead_of_last")
    step = notebook_function("train_step", others={"compute_content_cost": wrong.source()})
    with pytest.raises(CheckFailure, match="calls your compute_content_cost, which does not pass its own check"):
        checks.check_train_step(step)


def test_a_cost_with_an_axis_left_is_told_to_sum_over_every_axis():
    wrong = next(v for v in MISTAKES if v.id == "compute_content_cost__squares_per_channel_not_summed")
    with pytest.raises(CheckFailure, match="single number"):
        checks.check_compute_content_cost(notebook_function("compute_content_cost", wrong.source()))


def test_in_grading_mode_a_failure_is_printed_not_raised(monkeypatch, capsys):
    monkeypatch.setenv("CNNBOOK_GRADING", "1")
    wrong = next(v for v in MISTAKES if v.id == "total_cost__alpha_and_beta_swapped")
    assert checks.check_total_cost(wrong.impl) is None
    assert "visible check (not graded" in capsys.readouterr().out
