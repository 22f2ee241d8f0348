"""The hand-signs data set: shapes, balance, determinism, cache integrity, and that it is made offline."""

import shutil
import warnings

import numpy as np
import pytest

from cnnbook.data import hand_signs
from cnnbook.data.cache import CacheRebuildWarning
from cnnbook.data.hand_signs import load_hand_signs
from tests.support.offline import assert_same, refuse_connections


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build the data set once, offline, in an empty cache; return (cache folder, arrays)."""
    folder = tmp_path_factory.mktemp("hand_signs_cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CNNBOOK_DATA_DIR", str(folder))
        refuse_connections(mp)
        with warnings.catch_warnings():
            warnings.simplefilter("error", CacheRebuildWarning)  # an empty cache is filled without complaint
            data = load_hand_signs()
    return folder, data


def test_shapes_dtypes_and_ranges(built):
    x_train, y_train, x_test, y_test = built[1]
    assert x_train.shape == (1080, 64, 64, 3) and x_train.dtype == np.uint8
    assert x_test.shape == (120, 64, 64, 3) and x_test.dtype == np.uint8
    assert y_train.shape == (1080,) and y_test.shape == (120,)
    assert np.issubdtype(y_train.dtype, np.integer)
    assert set(np.unique(y_train)) == set(range(6)) and set(np.unique(y_test)) == set(range(6))


def test_classes_are_balanced_and_shuffled(built):
    _, y_train, _, y_test = built[1]
    assert np.bincount(y_train).tolist() == [180] * 6
    assert np.bincount(y_test).tolist() == [20] * 6
    assert len(set(y_train[:32].tolist())) >= 4  # a first batch mixes the classes


def test_the_label_is_the_number_of_raised_fingers():
    # the renderer draws exactly the fingers the label counts, whichever finger set it picks
    for count in range(6):
        for i in range(30):
            hand = hand_signs.random_hand(np.random.default_rng([9, count, i]), count)
            assert len(hand["raised"]) == count
            assert set(hand["raised"]) <= {0, 1, 2, 3, 4}


def test_more_fingers_means_more_hand_in_the_picture():
    # same hand, same photo conditions, only the raised fingers change: the hand's area grows with the count
    def hand_pixels(count):
        hand = hand_signs.random_hand(np.random.default_rng(5), 5)
        raised = {0: (), 1: (1,), 2: (1, 2), 3: (1, 2, 3), 4: (1, 2, 3, 4), 5: (0, 1, 2, 3, 4)}[count]
        hand.update(
            raised=raised,
            background=("solid", (0, 0, 255)),
            noise=0.0,
            light_strength=0.0,
            brightness=1.0,
            tint=(1.0, 1.0, 1.0),
            sleeve=None,
        )
        image = hand_signs.render_hand(hand, 64).astype(int)
        return int(((image[..., 2] < 200) | (image[..., 0] > 60)).sum())  # not the blue wall

    areas = [hand_pixels(count) for count in range(6)]
    assert all(a < b for a, b in zip(areas[1:5], areas[2:5])), areas
    assert areas[0] < areas[5]


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
        assert_same(load_hand_signs(), data)


def test_identical_across_two_runs_from_empty_caches(built, offline_cache):
    assert_same(load_hand_signs(), built[1])


def test_truncated_cache_is_reported_and_rebuilt(built, offline_cache):
    shutil.copytree(built[0], offline_cache, dirs_exist_ok=True)
    path = offline_cache / "hand_signs.npz"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.warns(CacheRebuildWarning, match=r"hand_signs\.npz"):
        assert_same(load_hand_signs(), built[1])
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheRebuildWarning)
        load_hand_signs()  # repaired


def test_stale_generator_version_is_rebuilt(built, offline_cache, monkeypatch):
    shutil.copytree(built[0], offline_cache, dirs_exist_ok=True)
    monkeypatch.setattr(hand_signs, "HAND_SIGNS_VERSION", "999")
    with pytest.warns(CacheRebuildWarning, match="generator version"):
        assert_same(load_hand_signs(), built[1])
