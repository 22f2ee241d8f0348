"""swap_base rebuilds a transfer model around another base: same layers, fresh weights, the base in training mode."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from autograder.assignments.w2a2_transfer_learning import reference  # noqa: E402
from cnnbook.assignments.w2a2_transfer_learning.adapter import stand_in_base  # noqa: E402
from cnnbook.assignments.w2a2_transfer_learning.base_swap import swap_base  # noqa: E402
from cnnbook.grading.graph_export import describe_model  # noqa: E402


@pytest.fixture(scope="module")
def transfer_model():
    base = stand_in_base((64, 64, 3))
    return reference.kite_model((64, 64), reference.data_augmenter(), base), base


def test_the_copy_has_the_same_layers_around_the_new_base(transfer_model):
    model, base = transfer_model
    new_base = keras.models.clone_model(base)
    copy = swap_base(model, base, new_base)
    kinds = lambda m: [type(layer).__name__ for layer in m.layers]  # noqa: E731
    assert kinds(copy) == kinds(model) and copy.output_shape == model.output_shape
    assert any(layer is new_base for layer in copy.layers) and not any(layer is base for layer in copy.layers)
    assert new_base.trainable and copy.count_params() == model.count_params()
    assert sum(int(np.prod(w.shape)) for w in copy.trainable_weights) > sum(
        int(np.prod(w.shape)) for w in model.trainable_weights
    )


def test_the_new_base_follows_the_training_flag(transfer_model):
    model, base = transfer_model
    new_base = keras.models.clone_model(base)
    copy = swap_base(model, base, new_base)
    node = next(n for n in describe_model(copy)["nodes"] if (n.get("nested") or {}).get("name") == new_base.name)
    assert node["constants"] == []  # no training=False: batch normalisation uses the batch while training
    original = next(n for n in describe_model(model)["nodes"] if (n.get("nested") or {}).get("name") == base.name)
    assert original["constants"] == [False]


def test_the_other_layers_get_new_weights(transfer_model):
    model, base = transfer_model
    copy = swap_base(model, base, keras.models.clone_model(base))
    dense, dense_copy = model.layers[-1], copy.layers[-1]
    assert dense is not dense_copy and not np.allclose(dense.kernel.numpy(), dense_copy.kernel.numpy())


def test_a_base_the_model_does_not_contain_is_refused(transfer_model):
    model, _ = transfer_model
    with pytest.raises(ValueError, match="does not contain the base"):
        swap_base(model, stand_in_base((64, 64, 3), name="other"), stand_in_base((64, 64, 3), name="new"))
