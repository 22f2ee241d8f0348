"""Street scenes: the renderer's outputs agree with each other, the detection and segmentation sets, and their cache.

The tests that build the whole sets (`built`, and the rebuilds from an empty cache) are slow: `make test` runs them;
`make test-fast` keeps the renderer's."""

import shutil
import warnings

import numpy as np
import pytest

from cnnbook.data import street_scenes
from cnnbook.data.cache import CacheRebuildWarning
from cnnbook.data.street_scenes import (
    DETECTION_CLASSES,
    SEGMENTATION_CLASSES,
    load_detection_scenes,
    load_segmentation_scenes,
    render_street_scene,
)
from tests.support.offline import refuse_connections

SEG = {name: i for i, name in enumerate(SEGMENTATION_CLASSES)}
DET = {name: i for i, name in enumerate(DETECTION_CLASSES)}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build both detection splits and the segmentation set once, offline, in an empty cache."""
    folder = tmp_path_factory.mktemp("streets_cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CNNBOOK_DATA_DIR", str(folder))
        refuse_connections(mp)
        with warnings.catch_warnings():
            warnings.simplefilter("error", CacheRebuildWarning)
            data = {
                "train": load_detection_scenes("train"),
                "test": load_detection_scenes("test"),
                "segmentation": load_segmentation_scenes(),
            }
    return folder, data


@pytest.fixture(scope="module")
def scenes():
    return [render_street_scene(np.random.default_rng([123, i]), 128, 160) for i in range(40)]


def test_class_lists():
    assert len(SEGMENTATION_CLASSES) >= 8 and len(set(SEGMENTATION_CLASSES)) == len(SEGMENTATION_CLASSES)
    for name in ("road", "sidewalk", "lane_marking", "sky", "building", "vegetation", "car", "person"):
        assert name in SEGMENTATION_CLASSES
    for name in ("car", "person", "traffic_light", "bus"):
        assert name in DETECTION_CLASSES


def test_renderer_outputs(scenes):
    for image, boxes, classes, mask in scenes:
        assert image.shape == (128, 160, 3) and image.dtype == np.uint8
        assert mask.shape == (128, 160) and mask.dtype == np.uint8 and mask.max() < len(SEGMENTATION_CLASSES)
        assert boxes.dtype == np.float32 and boxes.shape == (len(classes), 4)
        assert np.issubdtype(classes.dtype, np.integer) and ((classes >= 0) & (classes < len(DETECTION_CLASSES))).all()
        y1, x1, y2, x2 = boxes.T
        assert (y1 >= 0).all() and (x1 >= 0).all() and (y2 <= 128).all() and (x2 <= 160).all()
        assert (y2 - y1 >= 3).all() and (x2 - x1 >= 3).all()


def test_renderer_is_deterministic_and_seed_dependent():
    a = render_street_scene(np.random.default_rng(5), 96, 128)
    b = render_street_scene(np.random.default_rng(5), 96, 128)
    c = render_street_scene(np.random.default_rng(6), 96, 128)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], c[0])


def test_layout_sky_above_road(scenes):
    # perspective: the top row is mostly sky or buildings, the bottom row mostly road, sidewalk or markings
    top = np.concatenate([mask[0] for *_, mask in scenes])
    bottom = np.concatenate([mask[-1] for *_, mask in scenes])
    assert np.isin(top, [SEG["sky"], SEG["building"], SEG["vegetation"], SEG["pole"]]).mean() > 0.9
    assert (
        np.isin(
            bottom, [SEG["road"], SEG["sidewalk"], SEG["lane_marking"], SEG["car"], SEG["bus"], SEG["vegetation"]]
        ).mean()
        > 0.9
    )
    assert (bottom == SEG["road"]).mean() > 0.4


def test_boxes_sit_on_pixels_of_their_class(scenes):
    # every box holds pixels of its class in the mask (so boxes and mask come from the same drawing)
    to_mask = {
        DET["car"]: SEG["car"],
        DET["bus"]: SEG["bus"],
        DET["person"]: SEG["person"],
        DET["traffic_light"]: SEG["traffic_light"],
    }
    n_boxes = 0
    for _, boxes, classes, mask in scenes:
        for (y1, x1, y2, x2), c in zip(boxes, classes):
            window = mask[int(y1) : int(np.ceil(y2)), int(x1) : int(np.ceil(x2))]
            assert (window == to_mask[int(c)]).mean() > 0.1
            n_boxes += 1
    assert n_boxes > 100


def test_cars_are_frequent_and_varied(scenes):
    cars = [int((classes == DET["car"]).sum()) for _, _, classes, _ in scenes]
    assert np.mean([n > 0 for n in cars]) >= 0.9 and np.mean(cars) >= 2.5
    sizes = np.concatenate([(b[:, 3] - b[:, 1])[c == DET["car"]] for _, b, c, _ in scenes])
    assert sizes.min() < 8 and sizes.max() > 40  # near and far cars


@pytest.mark.slow
def test_detection_sets(built):
    for split, n in (("train", 800), ("test", 200)):
        images, boxes, classes = built[1][split]
        assert images.shape == (n, 128, 128, 3) and images.dtype == np.uint8
        assert len(boxes) == len(classes) == n
        assert all(b.shape == (len(c), 4) and b.dtype == np.float32 for b, c in zip(boxes, classes))
        counts = np.bincount(np.concatenate(classes), minlength=len(DETECTION_CLASSES))
        assert (counts > 0).all(), counts  # every class shows up
        assert counts[DET["car"]] > counts.sum() / 2  # cars dominate
        assert np.mean([len(c) > 0 for c in classes]) > 0.95


@pytest.mark.slow
def test_detection_splits_differ(built):
    train, test = built[1]["train"][0], built[1]["test"][0]
    assert not any(np.array_equal(test[i], train[i]) for i in range(20))


@pytest.mark.slow
def test_segmentation_set(built):
    x_train, y_train, x_test, y_test = built[1]["segmentation"]
    assert x_train.shape == (500, 96, 128, 3) and x_train.dtype == np.uint8
    assert y_train.shape == (500, 96, 128) and y_train.dtype == np.uint8
    assert x_test.shape == (100, 96, 128, 3) and y_test.shape == (100, 96, 128)
    counts = np.bincount(y_train.ravel(), minlength=len(SEGMENTATION_CLASSES))
    assert len(counts) == len(SEGMENTATION_CLASSES) and (counts > 0).all(), counts
    assert counts[SEG["road"]] > counts[SEG["car"]] > counts[SEG["person"]]


@pytest.mark.slow
def test_identical_from_an_empty_cache(built, offline_cache):
    images, boxes, classes = load_detection_scenes("test")
    np.testing.assert_array_equal(images, built[1]["test"][0])
    for a, b in zip(boxes, built[1]["test"][1]):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(classes, built[1]["test"][2]):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(load_segmentation_scenes(), built[1]["segmentation"]):
        np.testing.assert_array_equal(a, b)


@pytest.mark.slow
def test_corrupt_and_stale_caches_are_rebuilt(built, offline_cache, monkeypatch):
    shutil.copytree(built[0], offline_cache, dirs_exist_ok=True)
    path = offline_cache / "street_detection_test.npz"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.warns(CacheRebuildWarning, match=r"street_detection_test\.npz"):
        images, _, _ = load_detection_scenes("test")
    np.testing.assert_array_equal(images, built[1]["test"][0])
    monkeypatch.setattr(street_scenes, "STREET_SCENES_VERSION", "999")
    with pytest.warns(CacheRebuildWarning, match="generator version"):
        masks = load_segmentation_scenes()[3]
    np.testing.assert_array_equal(masks, built[1]["segmentation"][3])


def test_unknown_split_is_refused(offline_cache):
    with pytest.raises(ValueError, match="train"):
        load_detection_scenes("validation")
