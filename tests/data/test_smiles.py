"""The smiles data set: shapes, balance, determinism, cache integrity, and that it is made offline."""

import shutil
import warnings

import numpy as np
import pytest

from cnnbook.data import smiles
from cnnbook.data.cache import CacheRebuildWarning
from cnnbook.data.smiles import load_smiles
from tests.support.offline import assert_same, refuse_connections


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build the data set once, offline, in an empty cache; return (cache folder, arrays)."""
    folder = tmp_path_factory.mktemp("smiles_cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CNNBOOK_DATA_DIR", str(folder))
        refuse_connections(mp)
        with warnings.catch_warnings():
            warnings.simplefilter("error", CacheRebuildWarning)  # an empty cache is filled without complaint
            data = load_smiles()
    return folder, data


def test_shapes_dtypes_and_ranges(built):
    x_train, y_train, x_test, y_test = built[1]
    assert x_train.shape == (600, 64, 64, 3) and x_train.dtype == np.uint8
    assert x_test.shape == (150, 64, 64, 3) and x_test.dtype == np.uint8
    assert y_train.shape == (600,) and y_test.shape == (150,)
    assert np.issubdtype(y_train.dtype, np.integer)
    assert set(np.unique(y_train)) == {0, 1} and set(np.unique(y_test)) == {0, 1}


def test_classes_are_balanced_and_shuffled(built):
    _, y_train, _, y_test = built[1]
    assert np.bincount(y_train).tolist() == [300, 300]
    assert np.bincount(y_test).tolist() == [75, 75]
    # not sorted by class: a first batch of 32 holds both classes
    assert 0 < y_train[:32].mean() < 1


def test_images_are_varied_photographs(built):
    x_train, _, x_test, _ = built[1]
    every = np.concatenate([x_train, x_test])
    # each image has contrast, uses the range, and no two images are identical
    assert every.reshape(len(every), -1).std(axis=1).min() > 15
    assert every.min() < 30 and every.max() > 225
    assert len(np.unique(every.reshape(len(every), -1), axis=0)) == len(every)
    # backgrounds differ: the corner pixels are spread over the colour range
    assert every[:, 0, 0].std(axis=0).min() > 30


def test_warm_cache_returns_the_same_arrays_silently(built, monkeypatch):
    folder, data = built
    monkeypatch.setenv("CNNBOOK_DATA_DIR", str(folder))
    refuse_connections(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheRebuildWarning)
        assert_same(load_smiles(), data)


def test_identical_across_two_runs_from_empty_caches(built, offline_cache):
    assert_same(load_smiles(), built[1])


def test_truncated_cache_is_reported_and_rebuilt(built, offline_cache):
    shutil.copytree(built[0], offline_cache, dirs_exist_ok=True)
    path = offline_cache / "smiles.npz"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.warns(CacheRebuildWarning, match=r"smiles\.npz"):
        assert_same(load_smiles(), built[1])
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheRebuildWarning)
        load_smiles()  # repaired


def test_stale_generator_version_is_rebuilt(built, offline_cache, monkeypatch):
    shutil.copytree(built[0], offline_cache, dirs_exist_ok=True)
    monkeypatch.setattr(smiles, "SMILES_VERSION", "999")
    with pytest.warns(CacheRebuildWarning, match="generator version"):
        assert_same(load_smiles(), built[1])
