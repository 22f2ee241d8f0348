"""The style-transfer feature network: VGG19's layer names, the shipped course weights, and Keras's cached weights."""

import shutil

import h5py
import keras
import numpy as np
import pytest

from cnnbook.models import weight_files
from cnnbook.models.style_features import (
    CONFIG_FILE,
    COURSE_FILTERS,
    IMAGENET_NOTOP_FILE,
    VGG19_LAYER_NAMES,
    load_style_feature_extractor,
    style_feature_config,
)
from tests.support.offline import refuse_connections


@pytest.fixture
def no_keras_cache(tmp_path, monkeypatch):
    """An empty Keras home (no ImageNet weights there) and no network."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    refuse_connections(monkeypatch)
    return tmp_path / "keras"


@pytest.fixture(scope="module")
def vgg19():
    """Keras's own VGG19 without its classifier, randomly initialised (nothing downloaded)."""
    return keras.applications.VGG19(include_top=False, weights=None)


def test_layer_names_and_structure_match_vgg19(no_keras_cache, vgg19):
    model = load_style_feature_extractor("course")
    assert [layer.name for layer in model.layers[1:]] == [layer.name for layer in vgg19.layers[1:]]
    assert tuple(layer.name for layer in model.layers[1:]) == VGG19_LAYER_NAMES
    for ours, theirs in zip(model.layers[1:], vgg19.layers[1:]):
        assert type(ours) is type(theirs)
        if isinstance(ours, keras.layers.Conv2D):
            for key in ("kernel_size", "strides", "padding", "activation", "use_bias"):
                assert ours.get_config()[key] == theirs.get_config()[key], (ours.name, key)
            assert ours.filters * 4 == theirs.filters  # a quarter of VGG19's width
        else:
            assert ours.get_config()["pool_size"] == theirs.get_config()["pool_size"]


def test_course_network_loads_offline_and_gives_block5_pool(no_keras_cache):
    model = load_style_feature_extractor("auto")  # no ImageNet weights: the course's network
    assert model.count_params() < 2_000_000 and model.trainable is False
    images = np.random.default_rng(0).random((2, 64, 64, 3)).astype(np.float32)
    out = np.asarray(model(images))
    assert out.shape == (2, 2, 2, COURSE_FILTERS[-1])
    conv = keras.Model(model.input, model.get_layer("block3_conv1").output)
    assert conv(images).shape == (2, 16, 16, COURSE_FILTERS[2])
    assert np.isfinite(out).all() and out.max() > 0  # a dead network would give only zeros


def test_shipped_configuration_names_its_evidence():
    config = style_feature_config()
    assert config["source"] in ("trained", "random")
    assert config["filters"] == list(COURSE_FILTERS)
    assert (config["weights_file"] is None) == (config["source"] == "random")
    assert config["comparison"]["results"]["trained"] and config["comparison"]["results"]["random"]


def test_imagenet_without_cached_weights_is_a_clear_error(no_keras_cache):
    with pytest.raises(FileNotFoundError, match=IMAGENET_NOTOP_FILE):
        load_style_feature_extractor("imagenet")
    with pytest.raises(ValueError, match="source"):
        load_style_feature_extractor("vgg16")


def write_keras_applications_h5(model, path):
    """Write a model's weights the way Keras's downloadable application files hold them (HDF5, by layer name)."""
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = [layer.name.encode() for layer in model.layers]
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.2.4"
        for layer in model.layers:
            group = f.create_group(layer.name)
            names = [f"{layer.name}/{w.name}:0".encode() for w in layer.weights]
            group.attrs["weight_names"] = names
            for name, w in zip(names, layer.weights):
                group.create_dataset(name.decode(), data=np.asarray(w))


def test_auto_uses_keras_cached_vgg19_weights(no_keras_cache, vgg19):
    (no_keras_cache / "models").mkdir(parents=True)
    write_keras_applications_h5(vgg19, no_keras_cache / "models" / IMAGENET_NOTOP_FILE)
    for source in ("auto", "imagenet"):
        model = load_style_feature_extractor(source)
        # (Keras numbers the names of unnamed input layers, so only the layers after the input are compared)
        assert [layer.name for layer in model.layers[1:]] == list(VGG19_LAYER_NAMES)
        loaded, saved = model.get_weights(), vgg19.get_weights()
        assert len(loaded) == len(saved) == 32
        for a, b in zip(loaded, saved):
            np.testing.assert_array_equal(a, b)
    # "course" still gives the course's network
    assert load_style_feature_extractor("course").count_params() < vgg19.count_params() / 10


@pytest.fixture
def copied_files(tmp_path, monkeypatch):
    """A copy of the shipped style-feature files in a temporary WEIGHTS_DIR, with their checksums."""
    names = [CONFIG_FILE, weight_files.CHECKSUMS.name]
    if style_feature_config()["weights_file"]:
        names.append(style_feature_config()["weights_file"])
    for name in names:
        shutil.copy(weight_files.WEIGHTS_DIR / name, tmp_path / name)
    monkeypatch.setattr(weight_files, "WEIGHTS_DIR", tmp_path)
    monkeypatch.setattr(weight_files, "CHECKSUMS", tmp_path / weight_files.CHECKSUMS.name)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    return tmp_path


def test_checksum_check_rejects_an_altered_copy(copied_files):
    load_style_feature_extractor("course")  # the untouched copy loads
    config = style_feature_config()
    altered = copied_files / (config["weights_file"] or CONFIG_FILE)
    data = bytearray(altered.read_bytes())
    data[len(data) // 2] ^= 0x01
    altered.write_bytes(bytes(data))
    with pytest.raises(weight_files.WeightFileError, match="does not match"):
        load_style_feature_extractor("course")
