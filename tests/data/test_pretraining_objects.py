"""The pretraining objects (the MobileNetV2 base's source task): 27 classes, no kite, deterministic, varied."""

import numpy as np
import pytest

from cnnbook.data import outdoor_drawing
from cnnbook.data.pretraining_objects import PRETRAINING_CLASSES, make_pretraining_objects, render_object_photo
from cnnbook.data.transfer_target import TRANSFER_CLASSES


def test_at_least_ten_classes_and_never_a_kite():
    assert len(PRETRAINING_CLASSES) == len(set(PRETRAINING_CLASSES)) == 27
    assert not any("kite" in name for name in PRETRAINING_CLASSES)
    assert not any("kite" in name for name in outdoor_drawing.OBJECT_DRAWERS)
    assert "kite" in TRANSFER_CLASSES  # the class the base must not see is the target's


@pytest.mark.parametrize("name", PRETRAINING_CLASSES)
def test_every_class_renders_a_photo(name):
    image = render_object_photo(np.random.default_rng([3, 1]), name, 96)
    assert image.shape == (96, 96, 3) and image.dtype == np.uint8
    assert image.std() > 5  # not a blank frame


def test_an_object_changes_its_background():
    # the same stream draws the same background; an object class adds pixels to it, the empty sky does not
    for name in ("balloons", "house", "fish"):
        with_object = render_object_photo(np.random.default_rng([8, 8]), name, 96).astype(int)
        empty = render_object_photo(np.random.default_rng([8, 8]), "empty_sky", 96).astype(int)
        assert np.mean(np.abs(with_object - empty).sum(axis=2) > 30) > 0.01, name


def test_the_set_is_balanced_shuffled_and_deterministic():
    x, y = make_pretraining_objects(2, seed=5, size=48)
    assert x.shape == (54, 48, 48, 3) and x.dtype == np.uint8 and y.dtype == np.int64
    assert np.bincount(y).tolist() == [2] * 27
    assert not np.array_equal(y, np.sort(y))
    x2, y2 = make_pretraining_objects(2, seed=5, size=48)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    x3, _ = make_pretraining_objects(2, seed=6, size=48)
    assert not np.array_equal(x, x3)


def test_unknown_class_is_a_clear_error():
    with pytest.raises(ValueError, match="kite"):
        render_object_photo(np.random.default_rng(0), "kite")
