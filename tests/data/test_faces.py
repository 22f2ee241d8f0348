"""Faces with identities and the staff database: shapes, disjoint people, consistent identities, determinism, cache.

The tests that build every split and the staff database (`built`, and the rebuilds from an empty cache) are slow:
`make test` runs them; `make test-fast` keeps the renderer's and the refusals."""

import shutil
import warnings

import numpy as np
import pytest
from PIL import Image

from cnnbook.data import face_renderer, faces
from cnnbook.data.cache import CacheRebuildWarning
from cnnbook.data.faces import FACE_SPLITS, STAFF_NAMES, load_face_identities, load_staff_database
from tests.support.offline import refuse_connections


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build every split and the staff database once, offline, in an empty cache."""
    folder = tmp_path_factory.mktemp("faces_cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CNNBOOK_DATA_DIR", str(folder))
        refuse_connections(mp)
        with warnings.catch_warnings():
            warnings.simplefilter("error", CacheRebuildWarning)
            splits = {split: load_face_identities(split) for split in FACE_SPLITS}
            staff = load_staff_database()
    return folder, splits, staff


@pytest.mark.slow
@pytest.mark.parametrize("split, n_people", [("train", 200), ("validation", 30), ("test", 50)])
def test_split_shapes_and_counts(built, split, n_people):
    images, labels = built[1][split]
    assert images.shape == (n_people * 10, 96, 96, 3) and images.dtype == np.uint8
    assert labels.shape == (n_people * 10,) and np.issubdtype(labels.dtype, np.integer)
    people, counts = np.unique(labels, return_counts=True)
    assert len(people) == n_people and (counts == 10).all()
    assert images.reshape(len(images), -1).std(axis=1).min() > 10


@pytest.mark.slow
def test_splits_hold_disjoint_people(built):
    ids = {split: set(np.unique(labels).tolist()) for split, (_, labels) in built[1].items()}
    assert len(ids["train"]) >= 200
    assert not ids["train"] & ids["validation"] and not ids["train"] & ids["test"]
    assert not ids["validation"] & ids["test"]


def face_features(images):
    # a coarse 4 x 4 grid of mean colours over the face region, with the exposure divided out
    centre = images[:, 20:76, 24:72].astype(np.float32)
    centre /= centre.mean(axis=(1, 2, 3), keepdims=True) + 1
    return centre.reshape(len(images), 4, 14, 4, 12, 3).mean(axis=(2, 4)).reshape(len(images), -1)


def nearest_centroid_accuracy(features, labels):
    # leave-one-out: each photo against the mean of its person's other photos and the means of everyone else
    people = np.unique(labels)
    sums = np.stack([features[labels == p].sum(0) for p in people])
    counts = np.array([(labels == p).sum() for p in people])[:, None]
    hits = 0
    for k, (f, label) in enumerate(zip(features, labels)):
        j = np.searchsorted(people, label)
        centroids = sums / counts
        centroids[j] = (sums[j] - f) / (counts[j] - 1)
        hits += people[((centroids - f) ** 2).sum(1).argmin()] == label
    return hits / len(labels)


@pytest.mark.slow
def test_photos_of_one_person_look_alike(built):
    # identity is stable across photos: even crude colour features find the person far above chance (1 / 50)
    images, labels = built[1]["test"]
    features = face_features(images)
    assert nearest_centroid_accuracy(features, labels) > 0.25
    shuffled = np.random.default_rng(0).permutation(labels)
    assert nearest_centroid_accuracy(features, shuffled) < 0.1  # the measure itself is not lenient


@pytest.mark.slow
def test_photos_of_one_person_differ(built):
    images, labels = built[1]["validation"]
    first = images[labels == labels[0]].astype(int)
    assert len(first) == 10
    assert min(np.abs(first[i] - first[j]).mean() for i in range(10) for j in range(i)) > 5


def test_renderer_is_a_pure_function_of_identity_and_photo():
    person = face_renderer.random_identity(np.random.default_rng(1))
    photo = face_renderer.random_photo(np.random.default_rng(2), person)
    np.testing.assert_array_equal(
        face_renderer.render_face(person, photo, 96), face_renderer.render_face(person, photo, 96)
    )
    other = face_renderer.random_identity(np.random.default_rng(3))
    assert (
        np.abs(
            face_renderer.render_face(other, photo, 96).astype(int) - face_renderer.render_face(person, photo, 96)
        ).mean()
        > 5
    )
    assert face_renderer.render_face(person, photo, 64).shape == (64, 64, 3)


@pytest.mark.slow
def test_train_split_is_identical_from_an_empty_cache(built, offline_cache):
    images, labels = load_face_identities("train")
    np.testing.assert_array_equal(images, built[1]["train"][0])
    np.testing.assert_array_equal(labels, built[1]["train"][1])


def test_unknown_split_is_refused(offline_cache):
    with pytest.raises(ValueError, match="validation"):
        load_face_identities("valid")


@pytest.mark.slow
def test_corrupt_and_stale_splits_are_rebuilt(built, offline_cache, monkeypatch):
    shutil.copytree(built[0], offline_cache, dirs_exist_ok=True)
    path = offline_cache / "face_identities_validation.npz"
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x55
    path.write_bytes(bytes(data))
    with pytest.warns(CacheRebuildWarning, match=r"face_identities_validation\.npz"):
        images, labels = load_face_identities("validation")
    np.testing.assert_array_equal(images, built[1]["validation"][0])
    monkeypatch.setattr(face_renderer, "FACE_RENDERER_VERSION", "999")
    monkeypatch.setattr(faces, "FACE_RENDERER_VERSION", "999")
    with pytest.warns(CacheRebuildWarning, match="generator version"):
        images, labels = load_face_identities("validation")
    np.testing.assert_array_equal(labels, built[1]["validation"][1])


@pytest.mark.slow
def test_staff_database_structure(built):
    staff = built[2]
    assert staff.names == list(STAFF_NAMES) and len(set(staff.names)) >= 10
    assert all(" " in name and name.istitle() for name in staff.names)  # readable first and last names
    assert set(staff.enrolment) == set(staff.names) == set(staff.enrolment_paths)
    for name in staff.names:
        assert staff.enrolment[name].shape == (96, 96, 3) and staff.enrolment[name].dtype == np.uint8
    n_door = len(staff.door_names)
    assert staff.door_images.shape == (n_door, 96, 96, 3) and len(staff.door_paths) == n_door
    known = [name for name in staff.door_names if name is not None]
    assert set(known) <= set(staff.names) and len(set(known)) >= 5
    assert staff.door_names.count(None) >= 5  # strangers at the door


@pytest.mark.slow
def test_staff_photos_are_files_matching_the_arrays(built):
    staff = built[2]
    for name, path in staff.enrolment_paths.items():
        with Image.open(path) as image:
            np.testing.assert_array_equal(np.asarray(image.convert("RGB")), staff.enrolment[name])
    for k, path in enumerate(staff.door_paths):
        with Image.open(path) as image:
            np.testing.assert_array_equal(np.asarray(image.convert("RGB")), staff.door_images[k])


def test_staff_are_in_no_split():
    # staff and strangers come from their own random streams: no FaceIdentity repeats a split's person
    split_people = {
        face_renderer.random_identity(np.random.default_rng([faces._SEED, faces._IDENTITY, i])) for i in range(280)
    }
    staff_people = {
        face_renderer.random_identity(np.random.default_rng([faces._SEED, faces._STAFF, k]))
        for k in range(len(STAFF_NAMES))
    }
    assert len(staff_people) == len(STAFF_NAMES) and not staff_people & split_people


@pytest.mark.slow
def test_door_photos_resemble_their_enrolment_photo(built):
    # even crude colour features usually pick the right enrolment photo for a staff member at the door
    staff = built[2]
    enrolled = face_features(np.stack([staff.enrolment[n] for n in staff.names]))
    door = face_features(staff.door_images)
    hits = [
        ((enrolled - door[k]) ** 2).sum(1).argmin() == staff.names.index(name)
        for k, name in enumerate(staff.door_names)
        if name is not None
    ]
    assert np.mean(hits) >= 0.6  # chance is 1 / 12


@pytest.mark.slow
def test_staff_database_is_identical_and_repaired(built, offline_cache):
    shutil.copytree(built[0], offline_cache, dirs_exist_ok=True)
    (offline_cache / "staff_database" / "door" / "03.png").write_bytes(b"broken")
    with pytest.warns(CacheRebuildWarning, match="staff_database"):
        staff = load_staff_database()
    np.testing.assert_array_equal(staff.door_images, built[2].door_images)
    assert staff.door_names == built[2].door_names
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheRebuildWarning)
        again = load_staff_database()
    np.testing.assert_array_equal(again.enrolment[STAFF_NAMES[0]], built[2].enrolment[STAFF_NAMES[0]])
