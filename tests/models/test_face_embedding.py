"""The shipped face-embedding network: loads offline, gives unit-norm encodings, and tells people apart."""

import shutil

import numpy as np
import pytest

from cnnbook.data import load_face_identities, load_staff_database
from cnnbook.models import weight_files
from cnnbook.models.face_embedding import (
    ENCODING_SIZE,
    METRICS_FILE,
    WEIGHTS_FILE,
    build_face_embedding,
    encode_faces,
    face_distance_threshold,
    face_embedding_metrics,
    load_face_embedding,
)
from tests.support.offline import refuse_connections


@pytest.fixture(scope="module")
def model():
    with pytest.MonkeyPatch.context() as mp:
        refuse_connections(mp)  # the shipped weights must load without the network
        return load_face_embedding()


def test_encodings_have_the_right_shape_and_unit_norm(model):
    images, _ = load_face_identities("validation")
    encodings = encode_faces(model, images[:6])
    assert encodings.shape == (6, ENCODING_SIZE)
    np.testing.assert_allclose(np.linalg.norm(encodings, axis=1), 1.0, atol=1e-4)


def test_network_takes_uint8_photos_as_they_are(model):
    images, _ = load_face_identities("test")
    from_uint8 = encode_faces(model, images[:2])
    from_float = np.asarray(model(images[:2].astype(np.float32), training=False))
    np.testing.assert_allclose(from_uint8, from_float, atol=1e-5)


def test_loaded_weights_are_the_trained_ones(model):
    fresh = build_face_embedding()
    images, _ = load_face_identities("validation")
    assert not np.allclose(encode_faces(fresh, images[:2]), encode_faces(model, images[:2]), atol=1e-3)
    assert model.trainable is False


def test_threshold_and_measured_accuracy_are_recorded():
    metrics = face_embedding_metrics()
    threshold = face_distance_threshold()
    assert 0.0 < threshold < 2.0 and threshold == pytest.approx(metrics["threshold"])
    assert metrics["test_accuracy"] >= 0.95
    roc = metrics["test_roc"]
    fpr, tpr = np.array(roc["false_positive_rate"]), np.array(roc["true_positive_rate"])
    assert len(fpr) == len(tpr) == len(roc["thresholds"])
    assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0)  # rates grow with the threshold
    assert fpr[0] == tpr[0] == 0.0 and fpr[-1] == tpr[-1] == 1.0


def test_door_photos_are_nearer_their_own_enrolment_photo(model):
    database = load_staff_database()
    first, second = [name for name in database.names if name in database.door_names][:2]
    enrolled = encode_faces(model, np.stack([database.enrolment[first], database.enrolment[second]]))  # (2, 128)
    at_door = [i for i, name in enumerate(database.door_names) if name in (first, second)]
    door = encode_faces(model, database.door_images[at_door])  # (4, 128)
    distances = np.linalg.norm(door[:, None, :] - enrolled[None, :, :], axis=2)  # (4, 2)
    nearest = [(first, second)[k] for k in np.argmin(distances, axis=1)]
    # guessing would get all four right once in sixteen tries
    assert nearest == [database.door_names[i] for i in at_door]


@pytest.fixture
def copied_weights(tmp_path, monkeypatch):
    """A copy of the shipped face-embedding files in a temporary WEIGHTS_DIR, with their checksums."""
    for name in (WEIGHTS_FILE, METRICS_FILE, weight_files.CHECKSUMS.name):
        shutil.copy(weight_files.WEIGHTS_DIR / name, tmp_path / name)
    monkeypatch.setattr(weight_files, "WEIGHTS_DIR", tmp_path)
    monkeypatch.setattr(weight_files, "CHECKSUMS", tmp_path / weight_files.CHECKSUMS.name)
    return tmp_path


def test_checksum_check_accepts_the_copy_and_rejects_an_altered_one(copied_weights):
    assert weight_files.weight_path(WEIGHTS_FILE) == copied_weights / WEIGHTS_FILE
    path = copied_weights / WEIGHTS_FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(weight_files.WeightFileError, match="does not match"):
        load_face_embedding()


def test_a_missing_weight_file_is_reported(copied_weights):
    (copied_weights / WEIGHTS_FILE).unlink()
    with pytest.raises(weight_files.WeightFileError, match="missing"):
        load_face_embedding()
