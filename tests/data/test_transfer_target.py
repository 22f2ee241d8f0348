"""The transfer-learning folder: two class folders of 160 x 160 PNGs, deterministic, checked and repaired.

The tests that build the whole folder (`built`, and the rebuilds from an empty cache) are slow: `make test` runs them;
`make test-fast` keeps the renderer's."""

import hashlib
import shutil
import warnings

import numpy as np
import pytest
from PIL import Image

from cnnbook.data import transfer_target
from cnnbook.data.cache import CacheRebuildWarning
from cnnbook.data.transfer_target import TRANSFER_CLASSES, render_sky_photo, transfer_learning_folder
from tests.support.offline import refuse_connections


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build the folder once, offline, in an empty cache; return (folder, {relative path: sha256})."""
    cache = tmp_path_factory.mktemp("kites_cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CNNBOOK_DATA_DIR", str(cache))
        refuse_connections(mp)
        with warnings.catch_warnings():
            warnings.simplefilter("error", CacheRebuildWarning)
            folder = transfer_learning_folder()
    return folder, digests(folder)


def digests(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_layout_is_two_class_folders_of_pngs(built):
    folder, files = built
    # image_dataset_from_directory takes every sub-folder as a class: there must be exactly these two
    assert sorted(p.name for p in folder.iterdir()) == sorted(TRANSFER_CLASSES) == ["kite", "not_kite"]
    for name in TRANSFER_CLASSES:
        pngs = sorted((folder / name).iterdir())
        assert 120 <= len(pngs) <= 200 and all(p.suffix == ".png" for p in pngs)
    assert len(files) == sum(len(list((folder / n).iterdir())) for n in TRANSFER_CLASSES)


@pytest.mark.slow
def test_every_image_is_a_160_rgb_png(built):
    folder, files = built
    for relative in files:
        with Image.open(folder / relative) as image:
            assert image.format == "PNG" and image.mode == "RGB" and image.size == (160, 160)


def test_images_differ_and_kites_are_drawn():
    # a kite adds its colours to the same sky: the renderer with and without a kite differs
    kite = render_sky_photo(np.random.default_rng([1, 2]), with_kite=True)
    assert kite.shape == (160, 160, 3) and kite.dtype == np.uint8
    plain = [render_sky_photo(np.random.default_rng([1, i]), with_kite=False) for i in range(5)]
    assert len({image.tobytes() for image in plain}) == 5


@pytest.mark.slow
def test_identical_from_an_empty_cache(built, offline_cache):
    assert digests(transfer_learning_folder()) == built[1]


@pytest.mark.slow
@pytest.mark.parametrize("tamper", ["edit", "add", "remove"])
def test_a_tampered_folder_is_reported_and_rebuilt(built, offline_cache, tamper):
    shutil.copytree(built[0].parent, offline_cache, dirs_exist_ok=True)
    folder = transfer_learning_folder()
    first = sorted((folder / "kite").iterdir())[0]
    if tamper == "edit":
        first.write_bytes(first.read_bytes()[:500])  # truncated PNG
    elif tamper == "add":
        (folder / "not_kite" / "stray.png").write_bytes(first.read_bytes())
    else:
        first.unlink()
    with pytest.warns(CacheRebuildWarning, match="kite_photos"):
        again = transfer_learning_folder()
    assert digests(again) == built[1]


@pytest.mark.slow
def test_stale_version_is_rebuilt(built, offline_cache, monkeypatch):
    shutil.copytree(built[0].parent, offline_cache, dirs_exist_ok=True)
    monkeypatch.setattr(transfer_target, "TRANSFER_VERSION", "999")
    with pytest.warns(CacheRebuildWarning, match="generator version"):
        assert digests(transfer_learning_folder()) == built[1]


@pytest.mark.slow
def test_keras_reads_the_folder(built):
    tf = pytest.importorskip("tensorflow")
    dataset = tf.keras.utils.image_dataset_from_directory(built[0], image_size=(160, 160), batch_size=32, shuffle=False)
    assert dataset.class_names == ["kite", "not_kite"]
    labels = np.concatenate([y.numpy() for _, y in dataset])
    images, _ = next(iter(dataset))
    assert images.shape == (32, 160, 160, 3)
    assert np.bincount(labels).tolist() == [len(list((built[0] / n).iterdir())) for n in TRANSFER_CLASSES]
