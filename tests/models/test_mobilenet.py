"""The MobileNetV2 base: the course's weights load offline and are checked; a cached ImageNet file is preferred."""

import shutil

import h5py
import numpy as np
import pytest

from cnnbook.models import mobilenet_base, weight_files
from cnnbook.models.mobilenet_base import COURSE_ALPHA, IMAGENET_FILE, WEIGHTS_FILE, load_mobilenet_base
from cnnbook.models.weight_files import WeightFileError
from tests.support.offline import refuse_connections


@pytest.fixture
def empty_keras_home(tmp_path, monkeypatch):
    """A Keras home without cached weights, and no network."""
    home = tmp_path / "keras_home"
    (home / "models").mkdir(parents=True)
    monkeypatch.setenv("KERAS_HOME", str(home))
    refuse_connections(monkeypatch)
    return home


def test_course_base_loads_offline(empty_keras_home):
    base = load_mobilenet_base(source="auto")  # no ImageNet file in the cache: the course's base
    assert base.weights_source == "course"
    features = base.predict(np.zeros((2, 160, 160, 3), np.float32), verbose=0)
    assert features.shape == (2, 5, 5, 1280)
    assert np.all(np.isfinite(features))
    # the weights are the trained ones, not a fresh initialisation
    fresh = mobilenet_base.build_mobilenet_base((160, 160, 3), COURSE_ALPHA)
    assert any(not np.allclose(a, b) for a, b in zip(base.get_weights(), fresh.get_weights()))


def test_course_base_accepts_other_input_sizes(empty_keras_home):
    base = load_mobilenet_base(input_shape=(96, 96, 3), source="course")
    assert base.output_shape == (None, 3, 3, 1280)


def test_imagenet_source_without_the_cached_file_is_a_clear_error(empty_keras_home):
    with pytest.raises(FileNotFoundError, match=IMAGENET_FILE):
        load_mobilenet_base(source="imagenet")


def test_unknown_source_is_refused():
    with pytest.raises(ValueError, match="source"):
        load_mobilenet_base(source="kites")


def test_checksum_rejects_an_altered_copy(empty_keras_home, tmp_path, monkeypatch):
    weights_dir = tmp_path / "weights"
    weights_dir.mkdir()
    for name in (WEIGHTS_FILE, "checksums.json"):
        shutil.copy(weight_files.WEIGHTS_DIR / name, weights_dir / name)
    monkeypatch.setattr(weight_files, "WEIGHTS_DIR", weights_dir)
    monkeypatch.setattr(weight_files, "CHECKSUMS", weights_dir / "checksums.json")
    assert weight_files.weight_path(WEIGHTS_FILE) == weights_dir / WEIGHTS_FILE  # the unaltered copy passes
    data = bytearray((weights_dir / WEIGHTS_FILE).read_bytes())
    data[len(data) // 2] ^= 0x01
    (weights_dir / WEIGHTS_FILE).write_bytes(bytes(data))
    with pytest.raises(WeightFileError, match=WEIGHTS_FILE):
        load_mobilenet_base(source="course")


def test_auto_prefers_the_imagenet_file_in_the_keras_cache(empty_keras_home):
    import keras
    from keras.src.legacy.saving import legacy_h5_format  # the layout of Keras's published .h5 weight files

    reference = keras.applications.MobileNetV2(include_top=False, weights=None, alpha=1.0, input_shape=(160, 160, 3))
    rng = np.random.default_rng(0)
    # weights no initialiser would draw, so a match proves they were read from the file
    reference.set_weights(
        [
            rng.normal(0, 0.1, w.shape).astype(w.dtype) + (1.0 if "variance" in v.path else 0.0)
            for w, v in zip(reference.get_weights(), reference.weights)
        ]
    )
    with h5py.File(empty_keras_home / "models" / IMAGENET_FILE, "w") as fh:
        legacy_h5_format.save_weights_to_hdf5_group(fh, reference)

    base = load_mobilenet_base(source="auto")
    assert base.weights_source == "imagenet"
    assert base.count_params() == reference.count_params()
    loaded, expected = base.get_weights(), reference.get_weights()
    assert len(loaded) == len(expected)
    for a, b in zip(loaded, expected):
        np.testing.assert_array_equal(a, b)
    assert load_mobilenet_base(source="imagenet").weights_source == "imagenet"
