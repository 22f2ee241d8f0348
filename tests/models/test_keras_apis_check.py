"""The w1a2 models the budget script measures are the design's: same layers, same parameter counts."""

import pytest

from tests.support.offline import refuse_connections
from training import keras_apis_check


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


def test_happy_model_has_the_designed_parameter_count(keras):
    model = keras_apis_check.happy_model(keras)
    assert model.count_params() == 37_633
    assert model.output_shape == (None, 1)


def test_signs_model_has_the_designed_parameter_count(keras):
    model = keras_apis_check.signs_model(keras)
    assert model.count_params() == 1_310
    assert model.output_shape == (None, 6)
    assert [type(layer).__name__ for layer in model.layers[1:]] == [
        "Conv2D",
        "ReLU",
        "MaxPooling2D",
        "Conv2D",
        "ReLU",
        "MaxPooling2D",
        "Flatten",
        "Dense",
    ]


def test_one_short_run_reports_what_it_trained(keras, monkeypatch, capsys):
    refuse_connections(monkeypatch)
    result = keras_apis_check.run("signs", seed=0, settings={"epochs": 1, "batch_size": 64, "learning_rate": 1e-2})
    assert result["params"] == 1_310
    assert len(result["test_accuracy_per_epoch"]) == 1
    assert result["test_accuracy"] == pytest.approx(result["test_accuracy_per_epoch"][-1], abs=1e-4)
    assert 0.0 <= result["test_accuracy"] <= 1.0 and result["seconds"] > 0
    assert "signs  seed 0: test accuracy" in capsys.readouterr().out
