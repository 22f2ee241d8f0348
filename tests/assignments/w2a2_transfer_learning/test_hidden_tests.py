"""The hidden tests of w2a2_transfer_learning are themselves tested against the mistake catalogue.

Every catalogued mistake must be rejected with a message that names the function, every alternative
spelling, the reference and the notebook's own solutions must be accepted, on the grading path (the
probe builds the models on the adapters' stand-ins and hands out their descriptions; the judge compares
them with the reference's).
"""

import pytest

from autograder.course import REPO

keras = pytest.importorskip("keras")

from autograder.assignments.w2a2_transfer_learning import hidden_tests, reference  # noqa: E402
from autograder.judging.cases import case_generator  # noqa: E402
from autograder.judging.verdicts import judge_here  # noqa: E402
from cnnbook.grading.adapters import adapt  # noqa: E402
from tests.assignments.w2a2_transfer_learning import catalogue  # noqa: E402
from tests.support import variants  # noqa: E402
from tests.support.judging import rejection  # noqa: E402
from tests.support.notebooks import check_notebook_structure, notebook_cells, solution_sources  # noqa: E402

A = "w2a2_transfer_learning"
NOTEBOOK = REPO / "solutions" / A / f"{A}.ipynb"
GRADED = hidden_tests.GRADED
POINTS = {"data_augmenter": 1, "kite_model": 3, "fine_tune": 2}
MISTAKES = variants.mistakes_for(catalogue)
ALTERNATIVES = variants.alternatives_for(catalogue)


def notebook_namespace(**overrides):
    """The names the notebook has defined when its solution cells run (imports, IMG_SIZE, data_augmenter)."""
    import tensorflow as tf
    from keras.applications.mobilenet_v2 import preprocess_input

    from cnnbook.models.mobilenet_base import load_mobilenet_base

    namespace = {
        "keras": keras,
        "layers": keras.layers,
        "tf": tf,
        "preprocess_input": preprocess_input,
        "load_mobilenet_base": load_mobilenet_base,
        "IMG_SIZE": (160, 160),
        "data_augmenter": reference.data_augmenter,
        "__name__": "w2a2_notebook",
    }
    namespace.update(overrides)
    return namespace


def notebook_function(name, source=None, **overrides):
    """Define one solution cell (or `source` in its place) in a namespace holding the notebook's names."""
    namespace = notebook_namespace(**overrides)
    exec(compile(source or solution_sources(A)[name], f"<cell {name}>", "exec"), namespace)
    return namespace[name]


def test_notebook_structure():
    check_notebook_structure(A, POINTS, list(GRADED))


def test_demos_shrink_when_grading():
    """Every training demo's epochs and both data sets go through demo_steps, so grading trains one batch."""
    code = "\n".join("".join(c["source"]) for c in notebook_cells(A) if c["cell_type"] == "code")
    assert "initial_epochs = demo_steps(" in code and "fine_tune_epochs = demo_steps(" in code
    assert "train_dataset.take(demo_steps(" in code and "validation_dataset.take(demo_steps(" in code
    assert code.count(".fit(") == 3 and "tf.config.run_functions_eagerly(quick_demos())" in code


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


@pytest.mark.parametrize(
    "variant_id, words",
    [
        ("data_augmenter__flips_both_ways", "should have mode='horizontal'"),
        ("data_augmenter__rotation_factor_halved", "should have factor=(-0.2, 0.2)"),
        ("kite_model__base_left_trainable", "the base should be frozen"),
        ("kite_model__base_follows_the_training_flag", "training=False"),
        ("kite_model__without_preprocessing", "preprocess_input"),
        ("kite_model__flatten_instead_of_pooling", "should be a GlobalAveragePooling2D"),
        ("kite_model__dropout_rate_half", "should have rate=0.2"),
        ("kite_model__sigmoid_output", "it should output a logit"),
        ("kite_model__builds_its_own_augmentation", "yours builds another augmentation model"),
        ("kite_model__without_augmentation", "is not used"),
        ("fine_tune__learning_rate_not_divided", "a tenth of base_learning_rate"),
        ("fine_tune__loss_on_probabilities", "from_logits=True"),
        ("fine_tune__freezes_the_top_instead", "yours freezes the top of the base"),
        ("fine_tune__base_not_unfrozen_first", "unfreeze the base first"),
        ("fine_tune__one_layer_too_many_frozen", "should train and the ones before stay frozen"),
        ("fine_tune__not_compiled_again", "compile the model again"),
        ("fine_tune__accuracy_thresholds_logits_at_one_half", "BinaryAccuracy(threshold=0.0)"),
    ],
)
def test_the_messages_say_what_is_wrong_in_the_exercises_terms(variant_id, words):
    variant = {v.id: v for v in MISTAKES}[variant_id]
    with pytest.raises(AssertionError) as failure:
        judge_here(A, f"test_{variant.function}", variant.impl, seed=0)
    assert words in str(failure.value)


def test_kite_model_is_judged_without_the_students_data_augmenter():
    """A data_augmenter that is still unwritten costs kite_model nothing: the test passes its own augmentation."""

    def unwritten():
        raise NotImplementedError()

    judge_here(A, "test_kite_model", notebook_function("kite_model", data_augmenter=unwritten), seed=5)


def test_kite_model_must_use_the_base_it_is_given():
    def own_base(image_shape=(160, 160), data_augmentation=None, base_model=None):
        base = keras.applications.MobileNetV2(
            input_shape=tuple(image_shape) + (3,), alpha=0.35, include_top=False, weights=None
        )
        return reference.kite_model(image_shape, data_augmentation, base)

    with pytest.raises(AssertionError, match="use the base_model it is given"):
        judge_here(A, "test_kite_model", own_base, seed=6)


def test_cases_differ_between_grading_runs():
    """Other seeds draw other image shapes for kite_model and other splits and rates for fine_tune."""

    def drawn(grade_id, seed, keys):
        cases = hidden_tests.HIDDEN_TESTS[grade_id].make_cases(case_generator(seed, grade_id))
        return tuple(tuple(str(c.args[0][k]) for k in keys) for c in cases)

    assert len({drawn("test_kite_model", seed, ["image_shape"]) for seed in range(3)}) == 3
    assert len({drawn("test_fine_tune", seed, ["fine_tune_at", "base_learning_rate"]) for seed in range(3)}) == 3


def test_the_stand_ins_are_not_the_answers():
    """The adapters hand the builder an augmentation and a base that are not what the exercises ask for."""
    from cnnbook.assignments.w2a2_transfer_learning.adapter import stand_in_augmentation, stand_in_base

    kinds = [type(layer).__name__ for layer in stand_in_augmentation().layers]
    assert "RandomFlip" not in kinds and "RandomRotation" not in kinds
    base = stand_in_base((64, 64, 3))
    assert base.output_shape == (None, 2, 2, 32) and len(base.layers) == hidden_tests.BASE_LAYERS
    assert base.count_params() < 20_000


def test_fine_tune_report_lists_every_flag_and_the_compilation():
    report = adapt("w2a2_transfer_learning.fine_tune", reference.fine_tune)(
        {"image_shape": [64, 64], "fine_tune_at": 7, "base_learning_rate": 0.01}
    )
    assert report["layers_trainable"] == [i >= 7 for i in range(hidden_tests.BASE_LAYERS)]
    assert report["returned_model"] and report["recompiled"] and report["base_trainable"]
    compiled = report["compile"]
    assert compiled["optimizer"] == "Adam" and abs(compiled["learning_rate"] - 0.001) < 1e-9
    assert compiled["loss"]["config"]["from_logits"] is True
    base = next(n for n in report["graph"]["nodes"] if n.get("nested"))
    assert base["nested"]["trainable_layers"] == report["layers_trainable"]
