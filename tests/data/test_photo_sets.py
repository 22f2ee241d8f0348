"""The photo sets of w1a2 (smiles, hand signs): shapes, balance, variety, determinism, cache integrity, offline.

Every test builds a whole set in an empty cache (`built`, and the rebuilds): slow (`make test` runs them)."""

import shutil
import warnings
from dataclasses import dataclass

import numpy as np
import pytest

from cnnbook.data import hand_signs, smiles
from cnnbook.data.cache import CacheRebuildWarning
from tests.support.offline import assert_same, refuse_connections

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class PhotoSet:
    module: object
    loader: str  # the module's load function
    version: str  # the module's constant naming its generator version
    train: int  # images per class in the training split
    test: int  # images per class in the test split
    classes: int
    first_batch_classes: int  # at least this many classes in the first batch of 32 (the set is shuffled)


SETS = {
    "smiles": PhotoSet(smiles, "load_smiles", "SMILES_VERSION", 300, 75, 2, 2),
    "hand_signs": PhotoSet(hand_signs, "load_hand_signs", "HAND_SIGNS_VERSION", 180, 20, 6, 4),
}


def load(name):
    return getattr(SETS[name].module, SETS[name].loader)()


@pytest.fixture(scope="module", params=sorted(SETS))
def built(request, tmp_path_factory):
    """Build one set once, offline, in an empty cache; return (name, cache folder, arrays)."""
    folder = tmp_path_factory.mktemp(f"{request.param}_cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CNNBOOK_DATA_DIR", str(folder))
        refuse_connections(mp)
        with warnings.catch_warnings():
            warnings.simplefilter("error", CacheRebuildWarning)  # an empty cache is filled without complaint
            data = load(request.param)
    return request.param, folder, data


def test_shapes_dtypes_and_ranges(built):
    name, _, (x_train, y_train, x_test, y_test) = built
    spec = SETS[name]
    n_train, n_test = spec.train * spec.classes, spec.test * spec.classes
    assert x_train.shape == (n_train, 64, 64, 3) and x_train.dtype == np.uint8
    assert x_test.shape == (n_test, 64, 64, 3) and x_test.dtype == np.uint8
    assert y_train.shape == (n_train,) and y_test.shape == (n_test,)
    assert np.issubdtype(y_train.dtype, np.integer)
    assert set(np.unique(y_train)) == set(np.unique(y_test)) == set(range(spec.classes))


def test_classes_are_balanced_and_shuffled(built):
    name, _, (_, y_train, _, y_test) = built
    spec = SETS[name]
    assert np.bincount(y_train).tolist() == [spec.train] * spec.classes
    assert np.bincount(y_test).tolist() == [spec.test] * spec.classes
    assert len(set(y_train[:32].tolist())) >= spec.first_batch_classes


def test_images_are_varied_photographs(built):
    _, _, (x_train, _, x_test, _) = built
    every = np.concatenate([x_train, x_test])
    # each image has contrast, uses the range, and no two images are identical
    assert every.reshape(len(every), -1).std(axis=1).min() > 15
    assert every.min() < 30 and every.max() > 225
    assert len(np.unique(every.reshape(len(every), -1), axis=0)) == len(every)
    # backgrounds differ: the corner pixels are spread over the colour range
    assert every[:, 0, 0].std(axis=0).min() > 30


def test_warm_cache_returns_the_same_arrays_silently(built, monkeypatch):
    name, folder, data = built
    monkeypatch.setenv("CNNBOOK_DATA_DIR", str(folder))
    refuse_connections(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheRebuildWarning)
        assert_same(load(name), data)


def test_identical_across_two_runs_from_empty_caches(built, offline_cache):
    name, _, data = built
    assert_same(load(name), data)


def test_truncated_cache_is_reported_and_rebuilt(built, offline_cache):
    name, folder, data = built
    shutil.copytree(folder, offline_cache, dirs_exist_ok=True)
    path = offline_cache / f"{name}.npz"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.warns(CacheRebuildWarning, match=rf"{name}\.npz"):
        assert_same(load(name), data)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheRebuildWarning)
        load(name)  # repaired


def test_stale_generator_version_is_rebuilt(built, offline_cache, monkeypatch):
    name, folder, data = built
    shutil.copytree(folder, offline_cache, dirs_exist_ok=True)
    monkeypatch.setattr(SETS[name].module, SETS[name].version, "999")
    with pytest.warns(CacheRebuildWarning, match="generator version"):
        assert_same(load(name), data)
